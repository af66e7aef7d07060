/**
 * `useLoaded(load, deps)`: what a component shows from the shell, loaded when it mounts and again
 * when `deps` change; null until it is there and after a failure, whose retry loads it again. A
 * later answer of the shell (after a change) replaces it through `set`.
 */
import { useEffect, useState } from "react";
import type { DependencyList } from "react";
import { useFailure } from "./useFailure";
import type { Failure } from "./useFailure";

/** What was loaded, and the failure to show when it could not be. */
export interface Loaded<T> {
  value: T | null;
  /** Replace what was loaded (with the shell's answer to a change). */
  set: (value: T) => void;
  failure: Failure;
}

export function useLoaded<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [attempt, setAttempt] = useState(0);
  const failure = useFailure();
  useEffect(() => {
    failure.clear();
    load().then(setValue, (cause: unknown) => {
      setValue(null);
      failure.show(cause, () => setAttempt((n) => n + 1));
    });
  }, [...deps, attempt]);
  return { value, set: setValue, failure };
}
