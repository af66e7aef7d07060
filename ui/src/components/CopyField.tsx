/**
 * A value the admin must paste somewhere else, shown read-only with a labelled copy button;
 * when the clipboard refuses, that is said under it (the value stays there to select by hand).
 */
import { useEffect, useId, useRef, useState } from "react";
import { Button, Caption1, Text, makeStyles, tokens } from "@fluentui/react-components";
import { CheckmarkRegular, CopyRegular } from "@fluentui/react-icons";
import { copyText } from "../ipc";
import { useAction } from "../hooks/useAction";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0 },
  row: {
    display: "flex",
    alignItems: "flex-start",
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  value: {
    flexGrow: 1,
    minWidth: 0,
    fontFamily: tokens.fontFamilyMonospace,
    overflowWrap: "anywhere",
    whiteSpace: "pre-wrap",
    alignSelf: "center",
  },
  label: { fontWeight: tokens.fontWeightSemibold },
});

export interface CopyFieldProps {
  /** What the value is ("Redirect URI"). */
  label: string;
  /** The value. */
  value: string;
  /** For tests. */
  testId?: string;
}

export function CopyField({ label, value, testId }: CopyFieldProps) {
  const styles = useStyles();
  const labelId = useId();
  const [copied, setCopied] = useState(false);
  // "Copied" shows for 2 s after each copy; the one timer goes with the field.
  const copiedTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(copiedTimer.current), []);
  const copy = useAction(async () => {
    try {
      await copyText(value);
    } catch (cause) {
      setCopied(false);
      throw cause;
    }
    setCopied(true);
    window.clearTimeout(copiedTimer.current);
    copiedTimer.current = window.setTimeout(() => setCopied(false), 2000);
  });
  return (
    <div className={styles.root}>
      <Caption1 id={labelId} className={styles.label}>
        {label}
      </Caption1>
      <div className={styles.row}>
        <Text className={styles.value} data-testid={testId} aria-labelledby={labelId}>
          {value}
        </Text>
        <Button
          size="small"
          icon={copied ? <CheckmarkRegular /> : <CopyRegular />}
          aria-label={`Copy ${label}`}
          onClick={() => void copy.run()}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <FailureBar notice={copy.failure.notice} testId={testId ? `${testId}-copy-error` : undefined} />
    </div>
  );
}
