/**
 * Vite plugin: the module `virtual:fluent-icon-paths`, the SVG path data of the Fluent icons
 * that the framework-free start page draws, read at build time from @fluentui/react-icons. The
 * start page shows the same drawings as the Fluent screens without loading React or the icons'
 * React wrapper. An icon name the package does not have fails the build, naming it.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "vite";

const MODULE_ID = "virtual:fluent-icon-paths";
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

/** Serves `virtual:fluent-icon-paths`: `{ [name]: pathData[] }` for `names`. */
export function fluentIconPaths(names: readonly string[]): Plugin {
  return {
    name: "fluent-icon-paths",
    resolveId: (source) => (source === MODULE_ID ? RESOLVED_ID : undefined),
    load: (id) => (id === RESOLVED_ID ? `export default ${JSON.stringify(readIconPaths(names))};` : undefined),
  };
}
