/**
 * The colour theme, without any UI framework: the admin's choice (follow the system, or always
 * light or dark — kept in the UI's local storage: a preference, never a secret) and the system's
 * `prefers-color-scheme`. The page marks its root with the result (`data-theme`), which picks
 * Fluent's tokens as CSS custom properties (`virtual:fluent-theme.css`, written at build time);
 * the Fluent screens get the same theme through FluentProvider.
 */

/** The admin's choice: follow the system, or always light or dark. */
export type ThemeChoice = "system" | "light" | "dark";

/** What is shown: light or dark. */
export type ThemeMode = "light" | "dark";

const DARK_QUERY = "(prefers-color-scheme: dark)";
const CHOICE_KEY = "entra-setup.theme";

function darkQuery(): MediaQueryList | undefined {
  return typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia(DARK_QUERY)
    : undefined;
}

/** Whether the system currently prefers a dark colour scheme. */
export function prefersDark(): boolean {
  return darkQuery()?.matches ?? false;
}

/** Call `onChange` whenever the system's preference changes; returns the way to stop. */
export function onPrefersDarkChange(onChange: () => void): () => void {
  const query = darkQuery();
  query?.addEventListener("change", onChange);
  return () => query?.removeEventListener("change", onChange);
}

/** The choice kept from last time ("system" when none was, or storage is refused). */
export function storedChoice(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(CHOICE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

/** Keep the admin's choice for the next launch. */
export function keepChoice(choice: ThemeChoice): void {
  try {
    window.localStorage.setItem(CHOICE_KEY, choice);
  } catch {
    // No storage: the choice lasts until the window closes.
  }
}

/** What a choice shows, given the system's preference. */
export function modeOf(choice: ThemeChoice, systemDark: boolean): ThemeMode {
  return choice === "dark" || (choice === "system" && systemDark) ? "dark" : "light";
}

