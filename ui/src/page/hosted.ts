/**
 * The Fluent screens' code — React, Fluent UI and each screen's own chunk — loaded when the
 * admin first opens one or shows they are about to (pointing at or focusing what opens it),
 * never at launch: the start screen needs none of it.
 */
import type { HostedView } from "../navigation";

type Host = typeof import("../screens/host");

let host: Host | undefined;
let loading: Promise<Host> | undefined;

/** Load the screens' host (once; again after a failure). */
export function loadHost(): Promise<Host> {
  loading ??= import("../screens/host").then(
    (module) => {
      host = module;
      return module;
    },
    (cause: unknown) => {
      loading = undefined;
      throw cause;
    },
  );
  return loading;
}

/** The host, when its code is in. */
export function loadedHost(): Host | undefined {
  return host;
}

/** Load the host and a screen's chunk; resolves when the screen can show without a placeholder. */
export async function preloadHosted(screen: HostedView["name"]): Promise<void> {
  const module = await loadHost();
  await module.preloadScreen(screen);
}

/** Preload a screen the admin is about to open; a failure shows when it is opened. */
export function preloadQuietly(screen: HostedView["name"]): void {
  preloadHosted(screen).catch(() => {});
}
