/** @jsxImportSource preact */
/**
 * Open a saved configuration bundle from the start screen: a typed path or the system's open
 * dialog. The wizard resumes where the bundle left off; a file that is not a bundle this version
 * reads is refused with the shell's message.
 */
import { useId, useState } from "preact/hooks";
import { chooseOpenPath, openBundle } from "../ipc";
import type { WizardView } from "../ipc";
import type { ShownFailure } from "../navigation";
import { FailureNotice } from "./FailureNotice";
import { Icon } from "./Icon";

export interface OpenBundleProps {
  /** The wizard resumed from the bundle. */
  onOpened: (view: WizardView) => void | Promise<void>;
  /** The demo tenant's scenario to resume on when rehearsing. */
  demoScenario: string;
  /** About to open one (the wizard's code can load). */
  onIntent?: () => void;
}

export function OpenBundle({ onOpened, demoScenario, onIntent }: OpenBundleProps) {
  const headingId = useId();
  const pathId = useId();
  const hintId = useId();
  const [path, setPath] = useState("");
  const [demo, setDemo] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ShownFailure | null>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
    } catch (cause) {
      setFailure({ cause, retry: () => void run(action) });
    } finally {
      setBusy(false);
    }
  };
  const open = (chosen: string) => run(async () => onOpened(await openBundle(chosen, demo ? demoScenario : null)));
  const browse = () =>
    run(async () => {
      const chosen = await chooseOpenPath();
      if (chosen) {
        setPath(chosen);
        await onOpened(await openBundle(chosen, demo ? demoScenario : null));
      }
    });

  return (
    <section class="panel" aria-labelledby={headingId} data-testid="open-bundle-panel" onPointerEnter={onIntent} onFocusIn={onIntent}>
      <h2 id={headingId} class="subtitle2">
        Continue from a saved bundle
      </h2>
      <div class="row">
        <div class="field grow">
          <label for={pathId} class="field-label">
            Bundle file
          </label>
          <input
            id={pathId}
            class="input"
            value={path}
            aria-describedby={hintId}
            onInput={(event) => setPath(event.currentTarget.value)}
            data-testid="open-bundle-path"
          />
          <span id={hintId} class="field-hint">
            The .zip the wizard exported
          </span>
        </div>
        <div class="row-buttons">
          <button
            type="button"
            class="button button-primary"
            disabled={busy || path.trim() === ""}
            onClick={() => void open(path)}
            data-testid="open-bundle-button"
          >
            <Icon name="DocumentArrowUpRegular" class="button-icon" />
            Open bundle
          </button>
          <button type="button" class="button" disabled={busy} onClick={() => void browse()} data-testid="open-bundle-browse">
            <Icon name="FolderOpenRegular" class="button-icon" />
            Browse…
          </button>
        </div>
      </div>
      <label class="checkbox">
        <input type="checkbox" checked={demo} onChange={(event) => setDemo(event.currentTarget.checked)} data-testid="open-bundle-demo" />
        Continue on the demo tenant
      </label>
      <FailureNotice failure={failure} testId="open-bundle-error" onDismiss={() => setFailure(null)} />
    </section>
  );
}
