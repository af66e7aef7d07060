/**
 * The persistent mark that the wizard is rehearsing on the demo tenant, not a Microsoft tenant,
 * with the picker of the demo's scenarios (the healthy tenant and the broken ones). When the
 * scenarios cannot be listed, the picker offers the one playing and says why.
 */
import { useId } from "react";
import { Body1, MessageBar, MessageBarBody, MessageBarTitle, Select, makeStyles, tokens } from "@fluentui/react-components";
import { demoScenarios } from "../ipc";
import type { DemoScenario } from "../ipc";
import { useLoaded } from "../hooks/useLoaded";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  body: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalM, width: "100%" },
  text: { flexGrow: 1, flexBasis: "320px", minWidth: 0 },
  picker: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  // A set width: the scenarios' names arrive after the banner shows, and must not resize it.
  select: { width: "240px" },
});

export interface DemoBannerProps {
  scenario: DemoScenario;
  onSwitch: (name: string) => void;
}

export function DemoBanner({ scenario, onSwitch }: DemoBannerProps) {
  const styles = useStyles();
  const selectId = useId();
  // Until the scenarios are listed (or when they cannot be), the picker offers the one playing.
  const { value: listed, failure } = useLoaded(demoScenarios, []);
  const scenarios = listed ?? [scenario];
  return (
    <>
      <MessageBar intent="warning" layout="multiline" data-testid="demo-banner" role="region" aria-label="Demo tenant">
        <MessageBarBody className={styles.body}>
          <div className={styles.text}>
            <MessageBarTitle>Demo tenant — nothing here touches Microsoft.</MessageBarTitle>
            <Body1 data-testid="demo-description">
              {scenario.title}: {scenario.description}
            </Body1>
          </div>
          <div className={styles.picker}>
            <label htmlFor={selectId}>Scenario</label>
            <Select
              id={selectId}
              value={scenario.name}
              className={styles.select}
              data-testid="demo-scenario"
              onChange={(_, data) => onSwitch(data.value)}
            >
              {scenarios.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.title}
                </option>
              ))}
            </Select>
          </div>
        </MessageBarBody>
      </MessageBar>
      <FailureBar notice={failure.notice} testId="demo-scenarios-error" />
    </>
  );
}
