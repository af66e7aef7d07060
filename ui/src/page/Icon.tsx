/** @jsxImportSource preact */
/**
 * A Fluent icon drawn as inline SVG (the same drawing as @fluentui/react-icons', without React):
 * 1em square in the text's colour, hidden from assistive technology (the words say it).
 */
import paths from "virtual:fluent-icon-paths";
import type { IconName } from "./iconNames";

export function Icon({ name, class: className }: { name: IconName; class?: string }) {
  return (
    <svg
      class={className ? `icon ${className}` : "icon"}
      viewBox="0 0 20 20"
      width="1em"
      height="1em"
      fill="currentColor"
      aria-hidden="true"
      focusable="false"
    >
      {(paths[name] ?? []).map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
