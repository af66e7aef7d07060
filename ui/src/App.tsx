/**
 * The app shell: Fluent theme (following the system's light/dark preference), the page
 * landmarks (header and main) and the choice of which screen is shown.
 */
import { useState } from "react";
import { FluentProvider, makeStyles, tokens } from "@fluentui/react-components";
import { AppHeader } from "./components/AppHeader";
import { StartScreen } from "./screens/StartScreen";
import { useSystemTheme } from "./theme";

/** The screens the app can show. Later steps of the wizard add their own variants. */
type Screen = { name: "start" };

const useStyles = makeStyles({
  root: {
    minHeight: "100%",
    display: "flex",
    flexDirection: "column",
    backgroundColor: tokens.colorNeutralBackground2,
  },
  main: {
    flexGrow: 1,
    boxSizing: "border-box",
    width: "100%",
    maxWidth: "1280px",
    marginInline: "auto",
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
  },
});

export function App() {
  const theme = useSystemTheme();
  const styles = useStyles();
  const [screen] = useState<Screen>({ name: "start" });

  return (
    <FluentProvider theme={theme} className={styles.root}>
      <AppHeader />
      <main className={styles.main}>{screen.name === "start" && <StartScreen />}</main>
    </FluentProvider>
  );
}
