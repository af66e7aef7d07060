/**
 * The Fluent theme that follows the operating system's light/dark preference
 * (`prefers-color-scheme`), updating live when the preference changes.
 */
import { useSyncExternalStore } from "react";
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
