/**
 * How urgent a secret's expiry is, as a badge with words (never colour alone). The core decides
 * the urgency; this only gives it a colour and the stage's words.
 */
import { Badge } from "@fluentui/react-components";
import type { Stage, Urgency } from "../ipc";

const COLOURS: Record<Urgency, "danger" | "warning" | "informative"> = {
  expired: "danger",
  urgent: "danger",
  soon: "warning",
  later: "informative",
};

function words(stage: Stage): string {
  if (stage.state === "expired") return "Expired";
  if (stage.state === "due") return `Within ${stage.lead_days} day${stage.lead_days === 1 ? "" : "s"}`;
  return "Not yet due";
}

export function ExpiryBadge({ stage, urgency }: { stage: Stage; urgency: Urgency }) {
  const color = COLOURS[urgency];
  const text = words(stage);
  return (
    <Badge appearance={color === "informative" ? "outline" : "filled"} color={color} data-testid="expiry-badge">
      {text}
    </Badge>
  );
}

