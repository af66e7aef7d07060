/** The page's Fluent icons as glyph classes over a cut-down icon font, written at build time by build/fluentIcons.ts. */
declare module "virtual:fluent-icons.css";

/** Fluent's light and dark themes as CSS custom properties, written at build time by build/fluentThemeCss.ts. */
declare module "virtual:fluent-theme.css";
