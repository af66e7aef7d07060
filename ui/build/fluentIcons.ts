/**
 * Vite plugin: the stylesheet `virtual:fluent-icons.css`, the Fluent icons the start page draws,
 * read at build time from @fluentui/react-icons: each icon is a class (`icon-ClockRegular`) whose
 * mask is the icon's SVG, painted in the text's colour (`.icon` in page.css). The start page shows
 * the same drawings as the Fluent screens without React, the icons' React wrapper, or any SVG
 * element built by script. An icon name the package does not have fails the build, naming it.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "vite";

const MODULE_ID = "virtual:fluent-icons.css";
const RESOLVED_ID = `\0${MODULE_ID}`;

/** The icons' definitions: `export const Name = ( createFluentIcon('Name', "1em", ["M…", …]));`. */
function iconSources(): string {
  const entry = createRequire(import.meta.url).resolve("@fluentui/react-icons");
  const icons = path.join(path.dirname(entry), "..", "lib", "icons");
  return readdirSync(icons)
    .filter((file) => /^chunk-\d+\.js$/.test(file))
    .map((file) => readFileSync(path.join(icons, file), "utf8"))
    .join("\n");
}

/** Each named icon's path data (a 20 × 20 view box), as @fluentui/react-icons draws it. */
export function readIconPaths(names: readonly string[]): Record<string, string[]> {
  const sources = iconSources();
  const paths: Record<string, string[]> = {};
  for (const name of names) {
    const found = new RegExp(`export const ${name} = \\(\\s*/\\*#__PURE__\\*/createFluentIcon\\('${name}', "1em", (\\[[^\\]]*\\])`).exec(
      sources,
    );
    if (!found?.[1]) {
      throw new Error(`@fluentui/react-icons has no 20 px icon named ${name} (asked for by the start page)`);
    }
    paths[name] = JSON.parse(found[1]) as string[];
  }
  return paths;
}

/** An icon as a data URL: its paths in a 20 × 20 view box, filled black (a mask's opaque part). */
export function iconDataUrl(paths: readonly string[]): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20">${paths.map((d) => `<path d="${d}"/>`).join("")}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** One rule per icon: `.icon-Name { --icon: url("data:…"); }`. */
export function iconStylesheet(names: readonly string[]): string {
  return Object.entries(readIconPaths(names))
    .map(([name, paths]) => `.icon-${name} {\n  --icon: url("${iconDataUrl(paths)}");\n}\n`)
    .join("");
}

/** Serves `virtual:fluent-icons.css` for `names`. */
export function fluentIcons(names: readonly string[]): Plugin {
  return {
    name: "fluent-icons",
    resolveId: (source) => (source === MODULE_ID ? RESOLVED_ID : undefined),
    load: (id) => (id === RESOLVED_ID ? iconStylesheet(names) : undefined),
  };
}
