/**
 * How urgent a secret's expiry is, as a badge with words (never colour alone): expired or within
 * 7 days is danger, within 30 days a warning, otherwise neutral — from the core's stage.
 */
import { Badge } from "@fluentui/react-components";
import type { Stage } from "../ipc";

export function urgency(stage: Stage): { color: "danger" | "warning" | "informative"; text: string } {
  if (stage.state === "expired") return { color: "danger", text: "Expired" };
  if (stage.state === "due" && stage.lead_days <= 7) return { color: "danger", text: `Within ${stage.lead_days} day${stage.lead_days === 1 ? "" : "s"}` };
  if (stage.state === "due") return { color: "warning", text: `Within ${stage.lead_days} days` };
  return { color: "informative", text: "Not yet due" };
}

export function ExpiryBadge({ stage }: { stage: Stage }) {
  const { color, text } = urgency(stage);
  return (
    <Badge appearance={color === "informative" ? "outline" : "filled"} color={color} data-testid="expiry-badge">
      {text}
    </Badge>
  );
}

/** "in 5 days", "today", "3 days ago". */
export function daysText(daysLeft: number): string {
  if (daysLeft === 0) return "today";
  if (daysLeft < 0) return `${-daysLeft} day${daysLeft === -1 ? "" : "s"} ago`;
  return `in ${daysLeft} day${daysLeft === 1 ? "" : "s"}`;
}
