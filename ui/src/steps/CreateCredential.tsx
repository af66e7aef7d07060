/**
 * "Create it for me" for a client secret or a certificate: its lifetime among the profile's
 * choices (the recommended one marked) or a custom end date, within the profile's limit, and the
 * button that makes it. Without the administrator's sign-in and the app's client ID, it says so
 * and offers the step that comes first.
 */
import { useState } from "react";
import { Field, Input, Select, makeStyles, tokens } from "@fluentui/react-components";
import type { CredentialType, RepairOutcome, WizardView } from "../ipc";
import { NeededFirst } from "./NeededFirst";
import { RepairButton } from "./RepairButton";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
});

/** The Select's value for the custom end date. */
const CUSTOM = "custom";

export interface CreateCredentialProps extends Pick<StepProps, "view" | "recheck" | "goTo"> {
  /** What is made (it names the test ids: `secret-days`, `create-certificate`, …). */
  credential: CredentialType;
  /** The button's label. */
  label: string;
  /** Make it, living `days` or (with null) until the custom end date `until` (YYYY-MM-DD). */
  create: (days: number | null, until?: string) => Promise<RepairOutcome>;
  onView: (view: WizardView) => void;
}

export function CreateCredential({ view, recheck, goTo, credential, label, create, onView }: CreateCredentialProps) {
  const styles = useStyles();
  const secret = view.secret;
  const [lifetime, setLifetime] = useState(String(secret.default_days));
  const [until, setUntil] = useState("");
  if (!view.admin || !view.inputs.client_id) {
    return (
      <NeededFirst
        needs={`Creating a ${credential} needs your administrator sign-in and the app's client ID.`}
        step={view.admin ? "registration" : "sign_in"}
        goTo={goTo}
      />
    );
  }
  return (
    <div className={styles.row}>
      <Field label="Expires" hint={`At most ${secret.max_days} days for this integration`}>
        <Select value={lifetime} onChange={(_, data) => setLifetime(data.value)} data-testid={`${credential}-days`}>
          {secret.choices.map((choice) => (
            <option key={choice.days} value={String(choice.days)}>
              {choice.default ? `${choice.label} — recommended here` : choice.label}
            </option>
          ))}
          <option value={CUSTOM}>Custom end date</option>
        </Select>
      </Field>
      {lifetime === CUSTOM && (
        <Field label="End date">
          <Input type="date" value={until} onChange={(_, data) => setUntil(data.value)} data-testid={`${credential}-until`} />
        </Field>
      )}
      <RepairButton
        label={label}
        testId={`create-${credential}`}
        action={() => (lifetime === CUSTOM ? create(null, until) : create(Number(lifetime)))}
        onView={onView}
        after={recheck}
      />
    </div>
  );
}
