/**
 * A button that opens a Microsoft page (admin center, sign-in) in the system browser; when the
 * browser cannot be opened, that is said under it (the message names the page).
 */
import { Button } from "@fluentui/react-components";
import { OpenRegular } from "@fluentui/react-icons";
import { openExternal } from "../ipc";
import { useAction } from "../hooks/useAction";
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
  const open = useAction(() => openExternal(href));
  return (
    <>
      <Button
        appearance="secondary"
        icon={<OpenRegular />}
        iconPosition="after"
        data-testid={testId}
        aria-label={`${children} (opens in your browser)`}
        onClick={() => void open.run()}
      >
        {children}
      </Button>
      <FailureBar notice={open.failure.notice} testId={testId ? `${testId}-error` : "external-link-error"} />
    </>
  );
}
