/**
 * The banner at the top of every screen: the product name, Reminders, Troubleshoot and the theme
 * choice. Pointing at or focusing Reminders or Troubleshoot preloads its screen.
 */
import { useId } from "react";
import { Body1, Button, Select, Title2, makeStyles, tokens } from "@fluentui/react-components";
import { AlertRegular, ShieldKeyholeRegular, StethoscopeRegular } from "@fluentui/react-icons";
import type { ThemeChoice } from "../theme";
import { preloadQuietly, remindersScreen, troubleshootScreen } from "../lazy";

const useStyles = makeStyles({
  header: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  icon: {
    flexShrink: 0,
    fontSize: "40px",
    color: tokens.colorBrandForeground1,
  },
  text: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    flexGrow: 1,
    flexBasis: "360px",
    minWidth: 0,
  },
  title: {
    margin: 0,
  },
  tagline: {
    margin: 0,
    color: tokens.colorNeutralForeground2,
  },
  tools: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  theme: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
});

export interface AppHeaderProps {
  themeChoice?: ThemeChoice;
  onThemeChoice?: (choice: ThemeChoice) => void;
  onTroubleshoot?: () => void;
  onReminders?: () => void;
}

export function AppHeader({ themeChoice = "system", onThemeChoice, onTroubleshoot, onReminders }: AppHeaderProps) {
  const styles = useStyles();
  const themeId = useId();
  return (
    <header className={styles.header}>
      <ShieldKeyholeRegular className={styles.icon} aria-hidden />
      <div className={styles.text}>
        <Title2 as="h1" className={styles.title}>
          Entra Setup Wizard
        </Title2>
        <Body1 as="p" className={styles.tagline}>
          Registers and configures the Microsoft Entra ID app an integration needs, and verifies
          every step live against Microsoft.
        </Body1>
      </div>
      <div className={styles.tools}>
        {onReminders && (
          <Button
            appearance="subtle"
            icon={<AlertRegular />}
            onClick={onReminders}
            onPointerEnter={() => preloadQuietly(remindersScreen)}
            onFocus={() => preloadQuietly(remindersScreen)}
            data-testid="reminders-button"
          >
            Reminders
          </Button>
        )}
        {onTroubleshoot && (
          <Button
            appearance="subtle"
            icon={<StethoscopeRegular />}
            onClick={onTroubleshoot}
            onPointerEnter={() => preloadQuietly(troubleshootScreen)}
            onFocus={() => preloadQuietly(troubleshootScreen)}
            data-testid="troubleshoot-button"
          >
            Troubleshoot
          </Button>
        )}
        {onThemeChoice && (
          <div className={styles.theme}>
            <label htmlFor={themeId}>Theme</label>
            <Select
              id={themeId}
              value={themeChoice}
              data-testid="theme-choice"
              onChange={(_, data) => onThemeChoice(data.value as ThemeChoice)}
            >
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </Select>
          </div>
        )}
      </div>
    </header>
  );
}
