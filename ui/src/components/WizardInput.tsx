/**
 * A text input of the wizard: saved as typed (the shell keeps progress after every change) and
 * validated offline, its issues shown under it.
 */
import { useState } from "react";
import { Field, Input } from "@fluentui/react-components";
import type { InputField, InputIssue } from "../ipc";
import { IssueList } from "./IssueList";

export interface WizardInputProps {
  field: InputField;
  label: string;
  hint: string;
  initial: string | undefined;
  placeholder?: string;
  issues: InputIssue[];
  onChange: (field: InputField | "secret", value: string) => void;
  required?: boolean;
}

export function WizardInput({ field, label, hint, initial, placeholder, issues, onChange, required }: WizardInputProps) {
  const [value, setValue] = useState(initial ?? "");
  const mine = issues.filter((issue) => (issue.field as string) === field);
  const hasError = mine.some((issue) => issue.severity === "error");
  return (
    <Field
      label={label}
      hint={hint}
      required={required}
      validationState={hasError ? "error" : "none"}
    >
      <Input
        value={value}
        placeholder={placeholder}
        data-testid={`input-${field}`}
        spellCheck={false}
        autoComplete="off"
        onChange={(_, data) => {
          setValue(data.value);
          onChange(field, data.value);
        }}
      />
      <IssueList issues={mine} testId={`issues-${field}`} />
    </Field>
  );
}
