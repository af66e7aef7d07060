/**
 * Vite plugin: the stylesheet `virtual:fluent-theme.css`, Fluent's web light and dark themes as
 * CSS custom properties on the page's root (`.page[data-theme="light"]`, `…="dark"`), written at
 * build time from @fluentui/react-theme — the same values FluentProvider sets for the Fluent
 * screens, without shipping the theme objects in the start page's code or building the
 * properties at launch.
 */
import { webDarkTheme, webLightTheme } from "@fluentui/react-theme";
import type { Theme } from "@fluentui/react-theme";
import type { Plugin } from "vite";

const MODULE_ID = "virtual:fluent-theme.css";
const RESOLVED_ID = `\0${MODULE_ID}`;

/** A theme's tokens as one rule's custom property declarations. */
function rule(selector: string, theme: Theme): string {
  const declarations = Object.entries(theme).map(([name, value]) => `  --${name}: ${String(value)};`);
  return `${selector} {\n${declarations.join("\n")}\n}\n`;
}

/** The page's theme stylesheet: light and dark, chosen by the root's `data-theme`. */
export function themeStylesheet(): string {
  return rule('.page[data-theme="light"]', webLightTheme) + rule('.page[data-theme="dark"]', webDarkTheme);
}

/** Serves `virtual:fluent-theme.css`. */
export function fluentThemeCss(): Plugin {
  return {
    name: "fluent-theme-css",
    resolveId: (source) => (source === MODULE_ID ? RESOLVED_ID : undefined),
    load: (id) => (id === RESOLVED_ID ? themeStylesheet() : undefined),
  };
}
