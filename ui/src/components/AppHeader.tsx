/**
 * The banner at the top of every screen: the product name, Reminders, Troubleshoot and the theme
 * choice. Pointing at or focusing Reminders or Troubleshoot preloads its screen.
 */
import { useId } from "react";
import type { ReactElement, ReactNode } from "react";
import { Body1, Button, Select, Title2, makeStyles, tokens } from "@fluentui/react-components";
import { AlertRegular, ShieldKeyholeRegular, StethoscopeRegular } from "@fluentui/react-icons";
import type { ThemeChoice } from "../theme";
import { preloadQuietly, remindersScreen, troubleshootScreen } from "../lazy";
import type { Preloadable } from "../lazy";

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
          <ScreenButton icon={<AlertRegular />} onClick={onReminders} screen={remindersScreen} testId="reminders-button">
            Reminders
          </ScreenButton>
        )}
        {onTroubleshoot && (
          <ScreenButton icon={<StethoscopeRegular />} onClick={onTroubleshoot} screen={troubleshootScreen} testId="troubleshoot-button">
            Troubleshoot
          </ScreenButton>
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

interface ScreenButtonProps {
  icon: ReactElement;
  onClick: () => void;
  /** The screen it opens, preloaded when the button is pointed at or focused. */
  screen: Pick<Preloadable<object>, "preload">;
  testId: string;
  children: ReactNode;
}

/** A header button that opens a screen, loading the screen's code as soon as the admin means to. */
function ScreenButton({ icon, onClick, screen, testId, children }: ScreenButtonProps) {
  return (
    <Button
      appearance="subtle"
      icon={icon}
      onClick={onClick}
      onPointerEnter={() => preloadQuietly(screen)}
      onFocus={() => preloadQuietly(screen)}
      data-testid={testId}
    >
      {children}
    </Button>
  );
}
