/**
 * Open a saved configuration bundle from the start screen: a typed path or the system's open
 * dialog. The wizard resumes where the bundle left off; a file that is not a bundle this version
 * reads is refused with the shell's message.
 */
import { useId, useState } from "react";
import { Button, Checkbox, Field, Input, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { DocumentArrowUpRegular, FolderOpenRegular } from "@fluentui/react-icons";
import { chooseOpenPath, openBundle } from "../ipc";
import type { WizardView } from "../ipc";
import { useAction } from "../hooks/useAction";
import { cardSurface, column, controlRow } from "../layout";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  panel: { ...column(tokens.spacingVerticalS), ...cardSurface, padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}` },
  title: { margin: 0 },
  row: controlRow(tokens.spacingHorizontalM),
  grow: { flexGrow: 1, minWidth: "280px" },
});

export interface OpenBundlePanelProps {
  /** The wizard resumed from the bundle. */
  onOpened: (view: WizardView) => void;
  /** The demo tenant's scenario to resume on when rehearsing. */
  demoScenario: string;
}

export function OpenBundlePanel({ onOpened, demoScenario }: OpenBundlePanelProps) {
  const styles = useStyles();
  const headingId = useId();
  const [path, setPath] = useState("");
  const [demo, setDemo] = useState(false);
  const open = useAction(async (chosen: string) => onOpened(await openBundle(chosen, demo ? demoScenario : null)));
  const browse = useAction(
    async () => {
      const chosen = await chooseOpenPath();
      if (chosen) {
        setPath(chosen);
        await open.run(chosen);
      }
    },
    { failure: open.failure },
  );

  return (
    <section className={styles.panel} aria-labelledby={headingId} data-testid="open-bundle-panel">
      <Subtitle2 as="h2" id={headingId} className={styles.title}>
        Continue from a saved bundle
      </Subtitle2>
      <div className={styles.row}>
        <Field className={styles.grow} label="Bundle file" hint="The .zip the wizard exported">
          <Input value={path} onChange={(_, d) => setPath(d.value)} data-testid="open-bundle-path" />
        </Field>
        <Button
          appearance="primary"
          icon={<DocumentArrowUpRegular />}
          disabled={open.busy || path.trim() === ""}
          onClick={() => void open.run(path)}
          data-testid="open-bundle-button"
        >
          Open bundle
        </Button>
        <Button icon={<FolderOpenRegular />} disabled={open.busy} onClick={() => void browse.run()} data-testid="open-bundle-browse">
          Browse…
        </Button>
      </div>
      <Checkbox
        checked={demo}
        onChange={(_, d) => setDemo(d.checked === true)}
        label="Continue on the demo tenant"
        data-testid="open-bundle-demo"
      />
      <FailureBar notice={open.failure.notice} testId="open-bundle-error" />
    </section>
  );
}
