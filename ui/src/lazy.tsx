/**
 * The parts of the UI that load when first opened, each its own chunk: the wizard, the
 * reminders and troubleshoot screens, and the export and open-bundle panels. Each can be
 * preloaded (hover on a profile card, the first idle moment, before a screen is switched to);
 * a part whose chunk is already in renders at once, without suspending, so opening it shows
 * no placeholder.
 */
import { Suspense, lazy, useState } from "react";
import type { ComponentType, ReactNode } from "react";

/** A component whose chunk loads on first use or on `preload()`. */
export interface Preloadable<P extends object> {
  /** Renders the part, suspending (to the nearest Suspense) until its chunk is in. */
  Component: ComponentType<P>;
  /** Starts loading the chunk (once); resolves when the part can render without suspending. */
  preload: () => Promise<void>;
  /** Whether the chunk is in. */
  loaded: () => boolean;
}

/** Make `pick(module)` a part loaded by `load` (a dynamic `import()`). */
export function preloadable<M, P extends object>(
  load: () => Promise<M>,
  pick: (module: M) => ComponentType<P>,
): Preloadable<P> {
  let component: ComponentType<P> | undefined;
  let loading: Promise<void> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => {
        component = pick(module);
      },
      (cause: unknown) => {
        // A failed load may be tried again on the next use.
        loading = undefined;
        throw cause;
      },
    ));
  const Lazy = lazy(() => preload().then(() => ({ default: component as ComponentType<P> })));
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
export const openBundlePanel = preloadable(
  () => import("./components/OpenBundlePanel"),
  (m) => m.OpenBundlePanel,
);
export const exportPanel = preloadable(
  () => import("./components/ExportPanel"),
  (m) => m.ExportPanel,
);

/** Preload the wizard's chunk (a profile card hovered or focused): opening it is then instant. */
export function preloadWizard(): void {
  wizardScreen.preload().catch(() => {
    // Tried again when the wizard is opened, where a failure shows.
  });
}

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

/** A Suspense boundary whose fallback is `placeholder` (a same-size, still skeleton). */
export function Deferred({ placeholder, children }: { placeholder: ReactNode; children: ReactNode }) {
  return <Suspense fallback={placeholder}>{children}</Suspense>;
}
