/**
 * The style pieces the screens share, spread into each component's `makeStyles`: a card (a
 * bordered surface on the neutral background, like the Entra admin center's), a column and a
 * wrapping row of controls.
 */
import { tokens } from "@fluentui/react-components";

/** A bordered surface on the neutral background, with rounded corners. */
export const cardSurface = {
  borderRadius: tokens.borderRadiusMedium,
  backgroundColor: tokens.colorNeutralBackground1,
  border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
};

/** Children one under the other, `gap` apart. */
export function column(gap: string) {
  return { display: "flex", flexDirection: "column", gap } as const;
}

/** Controls side by side, wrapping on a narrow window, `gap` apart and aligned on `align`. */
export function controlRow(gap: string, align: "center" | "end" = "end") {
  return { display: "flex", flexWrap: "wrap", gap, alignItems: align } as const;
}
