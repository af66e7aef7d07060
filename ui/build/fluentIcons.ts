/**
 * Vite plugin: the stylesheet `virtual:fluent-icons.css`, the Fluent icons the start page draws,
 * read at build time from @fluentui/react-icons: one SVG drawing holds them all, and each icon is
 * a class (`icon-ClockRegular`) that masks the text's colour with its cell of it (`.icon` in
 * page.css). The start page shows
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

/** The icons side by side in one drawing, each in its own 20 × 20 cell, as a data URL. */
export function spriteDataUrl(paths: readonly (readonly string[])[]): string {
  const cells = paths.map(
    (icon, index) => `<g transform="translate(${index * 20} 0)">${icon.map((d) => `<path d="${d}"/>`).join("")}</g>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${paths.length * 20} 20">${cells.join("")}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * The icons' stylesheet: one drawing holds them all (one image for the engine to keep, however
 * many icons show), sized so that each cell is the icon's box; each icon's class moves the
 * drawing to its cell.
 */
export function iconStylesheet(names: readonly string[]): string {
  const paths = readIconPaths(names);
  const sprite = spriteDataUrl(names.map((name) => paths[name] ?? []));
  const shared = `.icon {\n  --icon: url("${sprite}");\n  --icon-size: ${names.length * 100}% 100%;\n}\n`;
  const cells = names.map((name, index) => {
    const position = names.length > 1 ? (index / (names.length - 1)) * 100 : 0;
    return `.icon-${name} {\n  --icon-position: ${position}% 0;\n}\n`;
  });
  return shared + cells.join("");
}

/** Serves `virtual:fluent-icons.css` for `names`. */
export function fluentIcons(names: readonly string[]): Plugin {
  return {
    name: "fluent-icons",
    resolveId: (source) => (source === MODULE_ID ? RESOLVED_ID : undefined),
    load: (id) => (id === RESOLVED_ID ? iconStylesheet(names) : undefined),
  };
}
