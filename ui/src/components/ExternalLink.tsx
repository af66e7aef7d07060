/**
 * A button that opens a Microsoft page (admin center, sign-in) in the system browser; when the
 * browser cannot be opened, that is said under it (the message names the page).
 */
import { Button } from "@fluentui/react-components";
import { OpenRegular } from "@fluentui/react-icons";
import { openExternal } from "../ipc";
import { useFailure } from "../hooks/useFailure";
import { FailureBar } from "./FailureBar";

export interface ExternalLinkProps {
  /** The page. */
  href: string;
  /** What the button says. */
  children: string;
  /** For tests. */
  testId?: string;
}

export function ExternalLink({ href, children, testId }: ExternalLinkProps) {
  const failure = useFailure();
  const open = () => {
    failure.clear();
    openExternal(href).catch((cause: unknown) => failure.show(cause, open));
  };
  return (
    <>
      <Button
        appearance="secondary"
        icon={<OpenRegular />}
        iconPosition="after"
        data-testid={testId}
        aria-label={`${children} (opens in your browser)`}
        onClick={open}
      >
        {children}
      </Button>
      <FailureBar notice={failure.notice} testId={testId ? `${testId}-error` : "external-link-error"} />
    </>
  );
}
