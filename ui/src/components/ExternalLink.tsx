/** A button that opens a Microsoft page (admin center, sign-in) in the system browser. */
import { Button } from "@fluentui/react-components";
import { OpenRegular } from "@fluentui/react-icons";
import { openExternal } from "../ipc";

export interface ExternalLinkProps {
  /** The page. */
  href: string;
  /** What the button says. */
  children: string;
  /** For tests. */
  testId?: string;
}

export function ExternalLink({ href, children, testId }: ExternalLinkProps) {
  return (
    <Button
      appearance="secondary"
      icon={<OpenRegular />}
      iconPosition="after"
      data-testid={testId}
      aria-label={`${children} (opens in your browser)`}
      onClick={() => void openExternal(href).catch(() => undefined)}
    >
      {children}
    </Button>
  );
}
