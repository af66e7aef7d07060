/** @jsxImportSource preact */
/**
 * A message bar drawn like Fluent's (error, warning or info: its icon, colours and a title),
 * with its actions at the end; an error is announced as an alert, the others as a status.
 */
import type { ComponentChildren } from "preact";
import { Icon } from "./Icon";

export type Intent = "error" | "warning" | "info";

const ICONS = { error: "ErrorCircleFilled", warning: "WarningFilled", info: "InfoFilled" } as const;

export interface MessageBarProps {
  intent: Intent;
  title?: string;
  testId?: string;
  /** Extra attributes the tests read (the failure's code). */
  code?: string;
  actions?: ComponentChildren;
  children?: ComponentChildren;
}

export function MessageBar({ intent, title, testId, code, actions, children }: MessageBarProps) {
  return (
    <div
      class={`bar bar-${intent}`}
      role={intent === "error" ? "alert" : "status"}
      data-testid={testId}
      data-code={code}
    >
      <Icon name={ICONS[intent]} class="bar-icon" />
      <div class="bar-body">
        {title && <strong class="bar-title">{title}</strong>}
        {title && " "}
        {children}
      </div>
      {actions && <div class="bar-actions">{actions}</div>}
    </div>
  );
}
