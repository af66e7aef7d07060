/** The build-time pieces the page draws with: Fluent's icon font cut to the page's icons, and its themes' stylesheet. */
import { describe, expect, it } from "vitest";
import { ICON_FONT_FAMILY, iconCodePoints, iconFont, iconStylesheet } from "../../build/fluentIcons";
import { themeStylesheet } from "../../build/fluentThemeCss";
import { webDarkTheme, webLightTheme } from "@fluentui/react-theme";
import { PAGE_ICONS } from "./iconNames";

/** The code points a TrueType font's `cmap` maps to a glyph (its format 4 and 12 subtables). */
function mappedCodePoints(font: Buffer): Set<number> {
  const tables = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const entry = 12 + i * 16;
    if (font.toString("latin1", entry, entry + 4) === "cmap") cmap = font.readUInt32BE(entry + 8);
  }
  expect(cmap, "the font's cmap table").toBeGreaterThan(0);
  const points = new Set<number>();
  const subtables = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const at = cmap + font.readUInt32BE(cmap + 4 + i * 8 + 4);
    const format = font.readUInt16BE(at);
    if (format === 4) {
      const segments = font.readUInt16BE(at + 6) / 2;
      const ends = at + 14;
      const starts = ends + segments * 2 + 2;
      for (let s = 0; s < segments; s++) {
        const [first, last] = [font.readUInt16BE(starts + s * 2), font.readUInt16BE(ends + s * 2)];
        for (let c = first; c <= last && c !== 0xffff; c++) points.add(c);
      }
    } else if (format === 12) {
      const groups = font.readUInt32BE(at + 12);
      for (let g = 0; g < groups; g++) {
        const group = at + 16 + g * 12;
        for (let c = font.readUInt32BE(group); c <= font.readUInt32BE(group + 4); c++) points.add(c);
      }
    }
  }
  return points;
}

describe("the page's icons", () => {
  it("finds every icon the page names in @fluentui/react-icons' icon font", () => {
    const points = iconCodePoints(PAGE_ICONS);
    for (const name of PAGE_ICONS) expect(points[name], name).toBeGreaterThanOrEqual(0xe000);
    expect(points.ClockRegular).toBe(0xe508);
  });

  it("cuts the font down to the page's glyphs: a small TrueType font that has each of them", async () => {
    const points = iconCodePoints(PAGE_ICONS);
    const font = await iconFont(Object.values(points));
    expect(font.readUInt32BE(0)).toBe(0x00010000);
    expect(font.length).toBeLessThan(16 * 1024);
    const mapped = mappedCodePoints(font);
    for (const name of PAGE_ICONS) expect(mapped.has(points[name] ?? 0), name).toBe(true);
    // AccessTimeFilled, the font's first icon, is not one of the page's.
    expect(mapped.has(0xe000)).toBe(false);
  });

  it("carries the font in the stylesheet and gives each icon a class showing its glyph", async () => {
    const sheet = await iconStylesheet(PAGE_ICONS);
    const points = iconCodePoints(PAGE_ICONS);
    expect(sheet).toContain(`font-family: "${ICON_FONT_FAMILY}";`);
    const data = /url\("data:font\/ttf;base64,([A-Za-z0-9+/=]+)"\) format\("truetype"\)/.exec(sheet)?.[1];
    expect(data).toBeDefined();
    const carried = mappedCodePoints(Buffer.from(data ?? "", "base64"));
    for (const name of PAGE_ICONS) {
      const point = points[name] ?? 0;
      expect(carried.has(point), name).toBe(true);
      expect(sheet).toContain(`.icon-${name}::before {\n  content: "\\${point.toString(16)}";\n}`);
    }
  });

  it("fails the build naming an icon the font does not have", () => {
    expect(() => iconCodePoints(["NoSuchIconRegular"])).toThrow("NoSuchIconRegular");
  });
});

describe("the page's themes", () => {
  it("writes every token of the light and dark themes under the root's data-theme", () => {
    const sheet = themeStylesheet();
    expect(sheet).toContain('.page[data-theme="light"] {');
    expect(sheet).toContain('.page[data-theme="dark"] {');
    expect(sheet).toContain(`--colorNeutralBackground1: ${webLightTheme.colorNeutralBackground1};`);
    expect(sheet).toContain(`--colorNeutralBackground1: ${webDarkTheme.colorNeutralBackground1};`);
    const declarations = sheet.match(/^ {2}--/gm) ?? [];
    expect(declarations.length).toBe(Object.keys(webLightTheme).length + Object.keys(webDarkTheme).length);
  });
});
