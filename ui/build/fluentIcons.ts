/**
 * Vite plugin: the stylesheet `virtual:fluent-icons.css`, the Fluent icons the start page draws,
 * as glyphs of Fluent's own icon font (FluentSystemIcons-Resizable, shipped in
 * @fluentui/react-icons for its font icons). At build time the font is cut down to the page's
 * glyphs (subset-font, a few kilobytes) and carried in the stylesheet; each icon is a class
 * (`icon-ClockRegular`) whose `::before` is its glyph, drawn in the text's colour at the text's
 * size (`.icon` in page.css). A glyph is text to the engine: the icons cost no image, no SVG
 * document and no mask, and the page needs no React, no icon wrapper and no element built by
 * script for them. An icon name the font does not have fails the build, naming it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import subsetFont from "subset-font";
import type { Plugin } from "vite";

const MODULE_ID = "virtual:fluent-icons.css";
const RESOLVED_ID = `\0${MODULE_ID}`;

/** The font family the stylesheet declares (page.css draws `.icon` with it). */
export const ICON_FONT_FAMILY = "Fluent page icons";

/** The folder of @fluentui/react-icons' icon fonts and their name → code point maps. */
function fontsFolder(): string {
  const entry = createRequire(import.meta.url).resolve("@fluentui/react-icons");
  return path.join(path.dirname(entry), "..", "lib", "utils", "fonts");
}

/** Each named icon's code point in FluentSystemIcons-Resizable, as @fluentui/react-icons maps it. */
export function iconCodePoints(names: readonly string[]): Record<string, number> {
  const map = JSON.parse(readFileSync(path.join(fontsFolder(), "FluentSystemIcons-Resizable.json"), "utf8")) as Record<
    string,
    number
  >;
  const points: Record<string, number> = {};
  for (const name of names) {
    const point = map[name];
    if (typeof point !== "number") {
      throw new Error(`@fluentui/react-icons' icon font has no icon named ${name} (asked for by the start page)`);
    }
    points[name] = point;
  }
  return points;
}

/** FluentSystemIcons-Resizable cut down to the glyphs of `points`, as a TrueType font. */
export async function iconFont(points: readonly number[]): Promise<Buffer> {
  const font = readFileSync(path.join(fontsFolder(), "FluentSystemIcons-Resizable.ttf"));
  return subsetFont(font, String.fromCodePoint(...points), { targetFormat: "truetype" });
}

/** A code point as a CSS string escape (`"\f04b"`). */
function cssCharacter(point: number): string {
  return `"\\${point.toString(16)}"`;
}

/** The icons' stylesheet: the cut-down font, and for each icon a class whose `::before` is its glyph. */
export async function iconStylesheet(names: readonly string[]): Promise<string> {
  const points = iconCodePoints(names);
  const font = await iconFont(names.map((name) => points[name] ?? 0));
  const face =
    `@font-face {\n  font-family: "${ICON_FONT_FAMILY}";\n` +
    `  src: url("data:font/ttf;base64,${font.toString("base64")}") format("truetype");\n` +
    `  font-display: block;\n}\n`;
  const glyphs = names.map((name) => `.icon-${name}::before {\n  content: ${cssCharacter(points[name] ?? 0)};\n}\n`);
  return face + glyphs.join("");
}

/** Serves `virtual:fluent-icons.css` for `names`. */
export function fluentIcons(names: readonly string[]): Plugin {
  return {
    name: "fluent-icons",
    resolveId: (source) => (source === MODULE_ID ? RESOLVED_ID : undefined),
    load: (id) => (id === RESOLVED_ID ? iconStylesheet(names) : undefined),
  };
}
