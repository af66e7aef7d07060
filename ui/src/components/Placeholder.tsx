/**
 * Still placeholders (no animation, so an idle screen repaints nothing) that take the space of
 * what is loading: bones the height of a line of text, and the skeletons of a screen or panel
 * whose chunk is on its way.
 */
import { makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { CSSProperties } from "react";

const useStyles = makeStyles({
  bone: {
    display: "block",
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralStencil1,
  },
  panel: {
    boxSizing: "border-box",
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  screen: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
});

/** A block of `height` (a line of text: its line height) and `width`. */
export function Bone({ height, width = "100%", className }: { height: string; width?: string; className?: string }) {
  const styles = useStyles();
  const style: CSSProperties = { height, width };
  return <span aria-hidden className={mergeClasses(styles.bone, className)} style={style} />;
}

/** A bordered panel's skeleton of at least `minHeight`, its title a line. */
export function PanelSkeleton({ minHeight, testId }: { minHeight: string; testId?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.panel} style={{ minHeight }} aria-hidden data-testid={testId}>
      <Bone height={tokens.lineHeightBase400} width="30%" />
    </div>
  );
}

/** A screen's skeleton while its chunk loads: its heading and a body of panels. */
export function ScreenSkeleton({ testId }: { testId?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.screen} aria-busy="true" data-testid={testId}>
      <Bone height={tokens.lineHeightBase500} width="40%" />
      <PanelSkeleton minHeight="320px" />
    </div>
  );
}
