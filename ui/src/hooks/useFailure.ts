/**
 * `useFailure()`: a component's failure to show, as a {@link FailureNotice} for
 * {@link FailureBar}, with the actions its code allows. The retry is given with each failure
 * (what failed is what runs again); signing in and going back to the start screen come from the
 * nearest {@link FailureOffersContext} (the app offers both, the wizard offers its own sign-in
 * step) unless the component offers its own.
 */
import { createContext, useCallback, useContext, useMemo, useState } from "react";
import { dismissingNotice } from "../failures";
import type { FailureNotice, FailureOffers } from "../failures";

/** What a screen offers every failure shown inside it: the sign-in and the way back to the start screen. */
export type ScreenOffers = Omit<FailureOffers, "retry">;

/** The offers of the screen around a component (none outside any screen, as in component tests). */
export const FailureOffersContext = createContext<ScreenOffers>({});

/** A component's failure and what to do with it. */
export interface Failure {
  /** What to show (null when there is no failure, or it is one shown as nothing). */
  notice: FailureNotice | null;
  /** Show `failure`; `retry` runs what failed again. */
  show: (failure: unknown, retry?: () => void) => void;
  /** Forget the failure (when what failed is tried again, or succeeds). */
  clear: () => void;
}

/** The failure of one place on screen; `offers` override the screen's own. */
export function useFailure(offers: ScreenOffers = {}): Failure {
  const screen = useContext(FailureOffersContext);
  const [shown, setShown] = useState<{ failure: unknown; retry?: () => void } | null>(null);
  const show = useCallback((failure: unknown, retry?: () => void) => setShown({ failure, retry }), []);
  const clear = useCallback(() => setShown(null), []);
  const signIn = offers.signIn ?? screen.signIn;
  const startOver = offers.startOver ?? screen.startOver;
  const notice = useMemo(
    () => shown && dismissingNotice(shown.failure, { retry: shown.retry, signIn, startOver }, () => setShown(null)),
    [shown, signIn, startOver],
  );
  return { notice, show, clear };
}
