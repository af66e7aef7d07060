//! A step's live checks: the verification engine run for the profile with only that step's
//! checks, so a step verifies exactly what it shows, with the same rules (a network fault,
//! throttle or 5xx is `unverified`, never pass nor a false fail) as a whole verification.

use crate::check::CheckId;
use crate::profile::{Profile, WizardStep};
use crate::verify::{self, CheckResult, Context, Inputs, ProgressSink};

use super::plan;

/// The checks `step` verifies for `profile`.
pub fn step_checks(profile: &Profile, step: WizardStep) -> Vec<CheckId> {
    plan(profile)
        .into_iter()
        .find(|s| s.step == step)
        .map(|s| s.checks)
        .unwrap_or_default()
}

/// Run `step`'s checks live; progress is reported as each starts and ends.
pub async fn verify_step(
    profile: &Profile,
    step: WizardStep,
    inputs: &Inputs,
    ctx: &Context,
    progress: ProgressSink<'_>,
) -> Vec<CheckResult> {
    let checks = step_checks(profile, step);
    if checks.is_empty() {
        return Vec::new();
    }
    let mut restricted = profile.clone();
    restricted.checks = checks;
    verify::verify(&restricted, inputs, ctx, progress)
        .await
        .checks
}
