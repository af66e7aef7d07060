/** A radio group under its legend (a paragraph that labels the group for screen readers). */
import { useId } from "react";
import type { ReactNode } from "react";
import { Body1, RadioGroup, makeStyles, tokens } from "@fluentui/react-components";

const useStyles = makeStyles({
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
});

export interface ChoiceGroupProps<T extends string> {
  legend: ReactNode;
  value: T;
  onChange: (value: T) => void;
  /** The group's `Radio`s. */
  children: ReactNode;
}

export function ChoiceGroup<T extends string>({ legend, value, onChange, children }: ChoiceGroupProps<T>) {
  const styles = useStyles();
  const legendId = useId();
  return (
    <>
      <Body1 id={legendId} className={styles.legend} as="p">
        {legend}
      </Body1>
      <RadioGroup aria-labelledby={legendId} value={value} onChange={(_, data) => onChange(data.value as T)}>
        {children}
      </RadioGroup>
    </>
  );
}
