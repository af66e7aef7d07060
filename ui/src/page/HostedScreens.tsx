/** @jsxImportSource preact */
/**
 * Where the page shows a Fluent screen: a React root mounted in the page's main area while one
 * is open, rendered again whenever the page's screen or theme changes, and unmounted when the
 * admin goes back to the start screen. When the screens' code cannot load, that is said here,
 * with Try again.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { HostedView, Navigation, ShownFailure } from "../navigation";
import type { ThemeMode } from "../theme";
import { FailureNotice } from "./FailureNotice";
import { loadHost, loadedHost } from "./hosted";

export interface HostedScreensProps {
  view: HostedView;
  mode: ThemeMode;
  nav: Navigation;
}

export function HostedScreens(props: HostedScreensProps) {
  const element = useRef<HTMLDivElement>(null);
  const root = useRef<ReturnType<NonNullable<ReturnType<typeof loadedHost>>["mountScreens"]> | null>(null);
  const [host, setHost] = useState(loadedHost);
  const [failure, setFailure] = useState<ShownFailure | null>(null);

  const load = () => {
    setFailure(null);
    loadHost().then(setHost, (cause: unknown) => setFailure({ cause, retry: load }));
  };
  useEffect(() => {
    if (!host) load();
  }, []);

  useLayoutEffect(() => {
    if (!host || !element.current) return;
    const mounted = host.mountScreens(element.current);
    root.current = mounted;
    return () => {
      root.current = null;
      mounted.unmount();
    };
  }, [host]);
  // Every render of the page renders the screens again (React keeps their state).
  useLayoutEffect(() => {
    root.current?.render(props);
  });

  return (
    <>
      <FailureNotice failure={failure} testId="screen-load-error" onDismiss={() => setFailure(null)} />
      <div ref={element} class="hosted" />
    </>
  );
}
