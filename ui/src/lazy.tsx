/**
 * The Fluent parts of the UI that load when first opened, each its own chunk: the wizard, the
 * reminders and troubleshoot screens, and the export panel. Each can be preloaded (the admin
 * points at what opens it, the first idle moment, before a screen is switched to);
 * a part whose chunk is already in renders at once, without suspending, so opening it shows
 * no placeholder. A part that cannot load says so where it would be, with Try again.
 */
import { Component as ReactComponent, Fragment, Suspense, lazy, useState } from "react";
import type { ComponentType, ReactNode } from "react";
import { FailureBar } from "./components/FailureBar";
import { describeFailure } from "./failures";

/** A component whose chunk loads on first use or on `preload()`. */
export interface Preloadable<P extends object> {
  /** Renders the part, suspending (to the nearest Suspense) until its chunk is in. */
  Component: ComponentType<P>;
  /** Starts loading the chunk (once; again after a failure); resolves when the part can render without suspending. */
  preload: () => Promise<void>;
  /** Whether the chunk is in. */
  loaded: () => boolean;
}

/** Let the parts whose load failed load again when next rendered (Try again). */
const failedResets = new Set<() => void>();

/** Make `pick(module)` a part loaded by `load` (a dynamic `import()`). */
export function preloadable<M, P extends object>(
  load: () => Promise<M>,
  pick: (module: M) => ComponentType<P>,
): Preloadable<P> {
  let component: ComponentType<P> | undefined;
  let attempt: Promise<void> | undefined;
  let failed = false;
  const start = () => {
    failed = false;
    const started = load().then(
      (module) => {
        component = pick(module);
      },
      (cause: unknown) => {
        failed = true;
        throw cause;
      },
    );
    attempt = started;
    return started;
  };
  const preload = () => (!attempt || failed ? start() : attempt);
  // React keeps a lazy part's failure for good, and calls its loader once: a new one for each
  // try. Only the Deferred's Try again makes one (a failure rendered again would otherwise load
  // again, and again).
  const lazyPart = () => lazy(() => preload().then(() => ({ default: component as ComponentType<P> })));
  let Lazy = lazyPart();
  failedResets.add(() => {
    if (failed) Lazy = lazyPart();
  });
  function Component(props: P) {
    // Chosen once per mount: switching from the lazy wrapper to the loaded component later
    // would remount the part and lose its state.
    const [Chosen] = useState<ComponentType<P>>(() => component ?? Lazy);
    return <Chosen {...props} />;
  }
  return { Component, preload, loaded: () => component !== undefined };
}

export const wizardScreen = preloadable(
  () => import("./screens/WizardScreen"),
  (m) => m.WizardScreen,
);
export const remindersScreen = preloadable(
  () => import("./screens/RemindersScreen"),
  (m) => m.RemindersScreen,
);
export const troubleshootScreen = preloadable(
  () => import("./screens/TroubleshootScreen"),
  (m) => m.TroubleshootScreen,
);
export const exportPanel = preloadable(
  () => import("./components/ExportPanel"),
  (m) => m.ExportPanel,
);

/**
 * Run `task` once the page is idle (requestIdleCallback, or shortly after where the webview has
 * none: WebKit). Returns a cancel function. One call, never a repeating timer.
 */
export function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const handle = window.requestIdleCallback(task, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(task, 300);
  return () => window.clearTimeout(handle);
}

/**
 * Where a part loads: `placeholder` (a same-size, still skeleton) until its chunk is in, and if
 * it cannot load (or fails to render), the failure with Try again, which mounts it afresh.
 */
export function Deferred({ placeholder, children, testId }: { placeholder: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <PartBoundary testId={testId}>
      <Suspense fallback={placeholder}>{children}</Suspense>
    </PartBoundary>
  );
}

interface PartBoundaryState {
  failure: { cause: unknown } | null;
  attempt: number;
}

class PartBoundary extends ReactComponent<{ children: ReactNode; testId?: string }, PartBoundaryState> {
  state: PartBoundaryState = { failure: null, attempt: 0 };

  static getDerivedStateFromError(cause: unknown): Partial<PartBoundaryState> {
    return { failure: { cause } };
  }

  render() {
    const { failure, attempt } = this.state;
    if (failure) {
      const retry = () => {
        for (const reset of failedResets) reset();
        this.setState({ failure: null, attempt: attempt + 1 });
      };
      return <FailureBar notice={describeFailure(failure.cause, { retry })} testId={this.props.testId ?? "part-error"} />;
    }
    return <Fragment key={attempt}>{this.props.children}</Fragment>;
  }
}
