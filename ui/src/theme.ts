/**
 * The Fluent theme that follows the operating system's light/dark preference
 * (`prefers-color-scheme`), updating live when the preference changes, unless the admin picked
 * light or dark explicitly (kept in the UI's local storage: a preference, never a secret).
 */
import { useCallback, useState, useSyncExternalStore } from "react";
import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import type { Theme } from "@fluentui/react-components";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function darkQuery(): MediaQueryList | undefined {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia(DARK_QUERY)
    : undefined;
}

function subscribe(onChange: () => void): () => void {
  const query = darkQuery();
  query?.addEventListener("change", onChange);
  return () => query?.removeEventListener("change", onChange);
}

function prefersDark(): boolean {
  return darkQuery()?.matches ?? false;
}

/** Whether the system currently prefers a dark colour scheme. */
export function usePrefersDark(): boolean {
  return useSyncExternalStore(subscribe, prefersDark, () => false);
}

/** webDarkTheme or webLightTheme, following the system preference. */
export function useSystemTheme(): Theme {
  return usePrefersDark() ? webDarkTheme : webLightTheme;
}

/** The admin's choice: follow the system, or always light or dark. */
export type ThemeChoice = "system" | "light" | "dark";

const CHOICE_KEY = "entra-setup.theme";

function storedChoice(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(CHOICE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

/** The theme from the admin's choice (system by default), and a way to change the choice. */
export function useChosenTheme(): { theme: Theme; choice: ThemeChoice; choose: (choice: ThemeChoice) => void } {
  const prefersDark = usePrefersDark();
  const [choice, setChoice] = useState<ThemeChoice>(storedChoice);
  const choose = useCallback((next: ThemeChoice) => {
    setChoice(next);
    try {
      window.localStorage.setItem(CHOICE_KEY, next);
    } catch {
      // No storage: the choice lasts until the window closes.
    }
  }, []);
  const dark = choice === "dark" || (choice === "system" && prefersDark);
  return { theme: dark ? webDarkTheme : webLightTheme, choice, choose };
}
