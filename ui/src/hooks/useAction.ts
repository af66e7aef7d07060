/**
 * `useAction(action)`: what a button runs, with the failure it shows and whether it is under
 * way. Running it again after a failure ("Try again") runs the action as it is then (with the
 * form as it is then), with the same arguments.
 */
import { useMemo, useRef, useState } from "react";
import { useFailure } from "./useFailure";
import type { Failure, ScreenOffers } from "./useFailure";

/** An action on screen. */
export interface Action<A extends unknown[]> {
  /** Run it (its failure is shown, never thrown). */
  run: (...args: A) => Promise<void>;
  /** Whether it is under way. */
  busy: boolean;
  /** Its failure, for a {@link FailureBar}. */
  failure: Failure;
}

export interface ActionOptions {
  /** Offers that override the screen's own (see {@link useFailure}). */
  offers?: ScreenOffers;
  /** Another action's failure, when both show in one place. */
  failure?: Failure;
}

export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>, options: ActionOptions = {}): Action<A> {
  const own = useFailure(options.offers);
  const failure = options.failure ?? own;
  const { show, clear } = failure;
  const [busy, setBusy] = useState(false);
  const latest = useRef(action);
  latest.current = action;
  const run = useMemo(() => {
    const attempt = async (...args: A): Promise<void> => {
      setBusy(true);
      clear();
      try {
        await latest.current(...args);
      } catch (cause) {
        show(cause, () => void attempt(...args));
      } finally {
        setBusy(false);
      }
    };
    return attempt;
  }, [show, clear]);
  return { run, busy, failure };
}
