/**
 * The summary: every checkpoint with its status, and what is left to do. The hand-over to the
 * product (the bundle export and the expiry reminder) attaches below, in its own section.
 */
import { Body1, MessageBar, MessageBarBody, MessageBarTitle, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { CheckList } from "../components/CheckList";
import { PanelSkeleton } from "../components/Placeholder";
import { Deferred, exportPanel } from "../lazy";
import { CHECK_LABELS } from "../labels";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  title: { margin: 0 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

export function SummaryStep({ view, step, running, recheck }: StepProps) {
  const styles = useStyles();
  const results = step.checks.map((id) => view.results.find((r) => r.id === id));
  const left = step.checks.filter((_id, i) => {
    const r = results[i];
    return !r || (r.status !== "pass" && r.status !== "warn");
  });
  const allGreen = left.length === 0 && running.length === 0;
  return (
    <div className={styles.group}>
      {allGreen ? (
        <MessageBar intent="success" data-testid="summary-all-passed">
          <MessageBarBody>
            <MessageBarTitle>Everything checks out.</MessageBarTitle> {view.title} is set up correctly.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <section aria-label="What is left to do" data-testid="summary-left">
          <Subtitle2 as="h3" className={styles.title}>
            Left to do
          </Subtitle2>
          <ul className={styles.list}>
            {left.map((id) => {
              const r = view.results.find((x) => x.id === id);
              return (
                <li key={id}>
                  <Body1>
                    <strong>{CHECK_LABELS[id]}:</strong>{" "}
                    {running.includes(id) ? "checking…" : (r?.fix ?? r?.message ?? "not checked yet")}
                  </Body1>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <CheckList checks={step.checks} results={view.results} running={running} onRetry={recheck} />
      <Deferred placeholder={<PanelSkeleton minHeight="240px" testId="export-loading" />}>
        <exportPanel.Component expiryKnown={view.secret.expiry_known} credential={view.secret.credential} />
      </Deferred>
    </div>
  );
}
