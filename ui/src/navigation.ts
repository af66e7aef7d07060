/**
 * The screens the app shows and the ways between them, shared by the page (header and start
 * screen, drawn without React so the launch is quick) and the Fluent screens it hosts (the
 * wizard, reminders and troubleshoot, loaded when first needed).
 */
import type { ProfileSummary, Standing, WizardView } from "./ipc";

/** The demo tenant's healthy scenario, where every integration can be created and a rotation rehearsed. */
export const DEMO_SCENARIO = "contoso";

/** The reminders due, read before the start screen showed, or why they could not be read. */
export type DueAlerts = { ok: true; due: Standing[] } | { ok: false; cause: unknown };

/** A failure to show, and what runs again on Try again. */
export interface ShownFailure {
  cause: unknown;
  retry?: () => void;
}

/** The start screen, with what it shows from its first paint. */
export interface StartView {
  name: "start";
  /** The reminders due (the banner is there from the first paint). */
  due?: DueAlerts;
  /** The profiles, asked for beside the other reads. */
  profiles?: Promise<ProfileSummary[]>;
  /** The profiles, when they came in time for the screen's first paint (no skeletons then). */
  ready?: ProfileSummary[];
  /** A failure that brought the admin back here, or that kept the setup under way from resuming. */
  failure?: ShownFailure;
}

/** The screens drawn with Fluent, in the part of the UI loaded when first needed. */
export type HostedView = { name: "wizard"; view: WizardView } | { name: "reminders" } | { name: "troubleshoot"; back: Screen };

export type Screen = StartView | HostedView;

/** The ways between screens, given to every screen. */
export interface Navigation {
  /** Switch to a screen once what it shows first is in; the latest switch asked for wins. */
  go: (next: Screen | (() => Promise<Screen>)) => Promise<void>;
  /** Back to the start screen, showing `cause` there when given. */
  toStart: (cause?: unknown) => void;
  /** Back to the setup under way, or the start screen when there is none. */
  resume: () => void;
}
