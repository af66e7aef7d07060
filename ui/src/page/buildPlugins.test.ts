/** The build-time pieces the page draws with: Fluent's icons' path data and its themes' stylesheet. */
import { describe, expect, it } from "vitest";
import { iconStylesheet, readIconPaths, spriteDataUrl } from "../../build/fluentIcons";
import { themeStylesheet } from "../../build/fluentThemeCss";
import { webDarkTheme, webLightTheme } from "@fluentui/react-theme";
import { PAGE_ICONS } from "./iconNames";

describe("the page's icons", () => {
  it("has the path data of every icon the page names, as @fluentui/react-icons draws it", () => {
    const paths = readIconPaths(PAGE_ICONS);
    for (const name of PAGE_ICONS) {
      expect(paths[name]?.length, name).toBeGreaterThan(0);
      for (const d of paths[name] ?? []) expect(d).toMatch(/^M[\d.\s-]/);
    }
    expect(paths.ClockRegular?.[0]).toMatch(/^M10 2a8 8 0 1 1 0 16/);
  });

  it("draws every icon in its own cell of one drawing, and gives each icon a class that shows its cell", () => {
    const sheet = iconStylesheet(PAGE_ICONS);
    const paths = readIconPaths(PAGE_ICONS);
    const sprite = spriteDataUrl(PAGE_ICONS.map((name) => paths[name] ?? []));
    expect(sheet).toContain(`--icon: url("${sprite}");`);
    expect(sheet).toContain(`--icon-size: ${PAGE_ICONS.length * 100}% 100%;`);
    const drawing = decodeURIComponent(sprite);
    expect(drawing).toContain(`viewBox="0 0 ${PAGE_ICONS.length * 20} 20"`);
    PAGE_ICONS.forEach((name, index) => {
      expect(drawing).toContain(`<g transform="translate(${index * 20} 0)"><path d="${paths[name]?.[0]}"/>`);
      const position = (index / (PAGE_ICONS.length - 1)) * 100;
      expect(sheet).toContain(`.icon-${name} {\n  --icon-position: ${position}% 0;\n}`);
    });
  });

  it("fails the build naming an icon the package does not have", () => {
    expect(() => readIconPaths(["NoSuchIconRegular"])).toThrow("NoSuchIconRegular");
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
