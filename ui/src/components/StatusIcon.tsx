/**
 * The icon of a check's or a step's state, in the colour that goes with it: passed, failed, a
 * warning, could not be checked, skipped, running, or not checked yet. Decorative (the state is
 * said in words beside it).
 */
import { Spinner, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import {
  CheckmarkCircleFilled,
  CircleRegular,
  DismissCircleFilled,
  QuestionCircleRegular,
  SubtractCircleRegular,
  WarningFilled,
} from "@fluentui/react-icons";

const useStyles = makeStyles({
  pass: { color: tokens.colorPaletteGreenForeground1 },
  fail: { color: tokens.colorPaletteRedForeground1 },
  warn: { color: tokens.colorPaletteMarigoldForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function StatusIcon({ status, className }: { status: string; className?: string }) {
  const styles = useStyles();
  switch (status) {
    case "pass":
      return <CheckmarkCircleFilled aria-hidden className={mergeClasses(className, styles.pass)} />;
    case "fail":
      return <DismissCircleFilled aria-hidden className={mergeClasses(className, styles.fail)} />;
    case "warn":
      return <WarningFilled aria-hidden className={mergeClasses(className, styles.warn)} />;
    case "unverified":
      return <QuestionCircleRegular aria-hidden className={mergeClasses(className, styles.muted)} />;
    case "skipped":
      return <SubtractCircleRegular aria-hidden className={mergeClasses(className, styles.muted)} />;
    case "running":
      return <Spinner size="tiny" aria-hidden />;
    default:
      return <CircleRegular aria-hidden className={mergeClasses(className, styles.muted)} />;
  }
}
