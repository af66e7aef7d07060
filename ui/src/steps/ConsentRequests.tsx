/**
 * Users' requests for admin consent that wait for a reviewer, on the permissions step: who asked,
 * why and when, who reviews them, and a link to the Entra admin center's list where a reviewer
 * approves them. Shown once the admin consent check has read them (an administrator signed in).
 */
import { Body1, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { WizardView } from "../ipc";
import { ExternalLink } from "../components/ExternalLink";

type Pending = NonNullable<WizardView["consent_requests"]>;

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, alignItems: "flex-start" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  who: { fontWeight: tokens.fontWeightSemibold },
});

/** A Graph timestamp as a local date and time; the text as given when it is not one. */
function when(created: string | null): string | null {
  if (!created) return null;
  const date = new Date(created);
  return Number.isNaN(date.getTime()) ? created : date.toLocaleString();
}

export function ConsentRequests({ pending }: { pending: Pending }) {
  const styles = useStyles();
  if (pending.count === null) {
    return (
      <Body1 data-testid="consent-requests-unreadable">
        {pending.unreadable ?? "Users' requests for admin consent could not be read."}
      </Body1>
    );
  }
  if (pending.count === 0) {
    return <Body1 data-testid="consent-requests-none">No user has asked for admin consent to this app.</Body1>;
  }
  return (
    <section className={styles.group} aria-labelledby="consent-requests-heading" data-testid="consent-requests">
      <Subtitle2 as="h3" id="consent-requests-heading">
        {pending.count === 1 ? "1 request for admin consent waits for a reviewer" : `${pending.count} requests for admin consent wait for a reviewer`}
      </Subtitle2>
      <ul className={styles.list}>
        {pending.requests.map((request, index) => {
          const at = when(request.created);
          return (
            <li key={`${request.requested_by ?? "someone"}-${request.created ?? index}`} data-testid="consent-request">
              <span className={styles.who}>{request.requested_by ?? "A user"}</span>
              {request.reason ? `: “${request.reason}”` : ""}
              {at && <Caption1> — {at}</Caption1>}
            </li>
          );
        })}
      </ul>
      {pending.reviewers.length > 0 && (
        <Caption1 data-testid="consent-request-reviewers">Reviewers: {pending.reviewers.join("; ")}</Caption1>
      )}
      <ExternalLink href={pending.review_link} testId="consent-requests-review">
        Review the requests in the Entra admin center
      </ExternalLink>
    </section>
  );
}
