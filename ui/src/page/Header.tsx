/** @jsxImportSource preact */
/**
 * The banner at the top of every screen: the product name, Reminders, Troubleshoot and the theme
 * choice. Pointing at or focusing Reminders or Troubleshoot loads its screen's code.
 */
import { useId } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { ThemeChoice } from "../theme";
import { Icon } from "./Icon";
import type { IconName } from "./iconNames";

export interface HeaderProps {
  themeChoice: ThemeChoice;
  onThemeChoice: (choice: ThemeChoice) => void;
  /** Absent on the troubleshoot screen itself. */
  onTroubleshoot?: () => void;
  /** Absent on the reminders screen itself. */
  onReminders?: () => void;
  /** The admin is about to open a screen: its code can load. */
  onIntent?: (screen: "reminders" | "troubleshoot") => void;
}

export function Header({ themeChoice, onThemeChoice, onTroubleshoot, onReminders, onIntent }: HeaderProps) {
  const themeId = useId();
  return (
    <header class="header">
      <Icon name="ShieldKeyholeRegular" class="header-icon" />
      <div class="header-text">
        <h1 class="title2">Entra Setup Wizard</h1>
        <p class="body1 secondary">
          Registers and configures the Microsoft Entra ID app an integration needs, and verifies every step live
          against Microsoft.
        </p>
      </div>
      <div class="header-tools">
        {onReminders && (
          <ScreenButton icon="AlertRegular" onClick={onReminders} onIntent={() => onIntent?.("reminders")} testId="reminders-button">
            Reminders
          </ScreenButton>
        )}
        {onTroubleshoot && (
          <ScreenButton
            icon="StethoscopeRegular"
            onClick={onTroubleshoot}
            onIntent={() => onIntent?.("troubleshoot")}
            testId="troubleshoot-button"
          >
            Troubleshoot
          </ScreenButton>
        )}
        <div class="header-theme">
          <label for={themeId}>Theme</label>
          <select
            id={themeId}
            class="select"
            value={themeChoice}
            data-testid="theme-choice"
            onChange={(event) => onThemeChoice(event.currentTarget.value as ThemeChoice)}
          >
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </div>
      </div>
    </header>
  );
}

interface ScreenButtonProps {
  icon: IconName;
  onClick: () => void;
  onIntent: () => void;
  testId: string;
  children: ComponentChildren;
}

/** A header button that opens a screen, loading the screen's code as soon as the admin means to. */
function ScreenButton({ icon, onClick, onIntent, testId, children }: ScreenButtonProps) {
  return (
    <button
      type="button"
      class="button button-subtle"
      onClick={onClick}
      onPointerEnter={onIntent}
      onFocus={onIntent}
      data-testid={testId}
    >
      <Icon name={icon} class="button-icon" />
      {children}
    </button>
  );
}
