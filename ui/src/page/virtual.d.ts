/** The Fluent icons' path data, served at build time by build/fluentIconPaths.ts. */
declare module "virtual:fluent-icon-paths" {
  const paths: Record<string, string[]>;
  export default paths;
}

/** Fluent's light and dark themes as CSS custom properties, written at build time by build/fluentThemeCss.ts. */
declare module "virtual:fluent-theme.css";
