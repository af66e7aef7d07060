/** A reminder as the shell reports it, for the tests of what shows reminders. */
import type { Standing } from "../ipc";

/** A client secret due within a week; `overrides` change what a test needs. */
export function standing(overrides: Partial<Standing> = {}): Standing {
  return {
    tenant: "contoso.com",
    client_id: "11111111-0000-0000-0000-000000000001",
    key_id: "k1",
    expires: "2027-01-01T00:00:00Z",
    name: "Payroll sync",
    source: "add",
    days_left: 5,
    stage: { state: "due", lead_days: 7 },
    urgency: "urgent",
    due: true,
    ...overrides,
  };
}
