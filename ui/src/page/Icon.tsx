/** @jsxImportSource preact */
/**
 * A Fluent icon (the same drawing as @fluentui/react-icons'), 1em square in the text's colour,
 * hidden from assistive technology (the words say it): one element showing the icon's glyph of
 * Fluent's icon font, from the build's icon stylesheet (`virtual:fluent-icons.css`).
 */
import type { IconName } from "./iconNames";

export function Icon({ name, class: className }: { name: IconName; class?: string }) {
  return <span class={className ? `icon icon-${name} ${className}` : `icon icon-${name}`} aria-hidden="true" />;
}
