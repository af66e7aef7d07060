//! A step's live checks: the verification engine run for the profile with only that step's
//! checks, so a step verifies exactly what it shows, with the same rules (a network fault,
//! throttle or 5xx is `unverified`, never pass nor a false fail) as a whole verification.
//!
//! [`verify_step_as_chosen`] runs them with the credential the wizard works with: with a
//! certificate chosen, the app is proved with the certificate (`client_certificate`,
//! `certificate_expiry`), and without one at hand those checks wait for it.

use crate::check::CheckId;
use crate::credentials::{Certificate, CredentialType};
use crate::profile::{Profile, WizardStep};
use crate::verify::{self, CheckResult, Context, Inputs, ProgressSink};

use super::state::WizardState;
use super::{credential, plan};

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

/// Run `step`'s checks live with the credential `state` works with: the secret in `inputs`, or,
/// with a certificate chosen, `certificate` (the certificate's checks wait, skipped, when none is
/// at hand; the other checks run without a secret).
pub async fn verify_step_as_chosen(
    profile: &Profile,
    state: &WizardState,
    step: WizardStep,
    inputs: &Inputs,
    certificate: Option<&Certificate>,
    ctx: &Context,
    progress: ProgressSink<'_>,
) -> Vec<CheckResult> {
    let effective = credential::profile_for(profile, state);
    if credential::chosen(profile, state) == CredentialType::Secret {
        return verify_step(&effective, step, inputs, ctx, progress).await;
    }
    let checks = step_checks(&effective, step);
    if checks.is_empty() {
        return Vec::new();
    }
    let mut restricted = effective;
    let inputs = Inputs {
        secret: None,
        ..inputs.clone()
    };
    match certificate {
        Some(certificate) => {
            restricted.checks = checks;
            verify::verify_with_certificate(&restricted, &inputs, certificate, ctx, progress)
                .await
                .checks
        }
        None => {
            let waiting = credential::without_certificate(&checks);
            for result in &waiting {
                progress(verify::Progress::Finished {
                    result: result.clone(),
                });
            }
            restricted.checks = checks
                .into_iter()
                .filter(|id| !waiting.iter().any(|w| w.id == *id))
                .collect();
            let mut results = if restricted.checks.is_empty() {
                Vec::new()
            } else {
                verify::verify(&restricted, &inputs, ctx, progress)
                    .await
                    .checks
            };
            results.extend(waiting);
            results
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::{Cloud, Endpoints};
    use crate::http::{Http, RetryPolicy};
    use crate::profile::Catalog;
    use crate::verify::{SkipReason, Status};

    #[tokio::test]
    async fn without_a_certificate_the_credential_step_waits_for_one_without_asking_anyone() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("custom").expect("profile");
        let mut state = WizardState::new(profile, None);
        super::super::credential::choose(&mut state, profile, CredentialType::Certificate)
            .expect("custom takes a certificate");
        let inputs = state.verify_inputs(profile, None, Default::default());
        // Nothing answers here: a check that asked the network would not be skipped.
        let ctx = Context {
            http: Http::new(RetryPolicy::default()).expect("http"),
            endpoints: Endpoints::for_cloud(Cloud::Global),
            now: "2027-02-20T09:00:00Z".parse().expect("time"),
        };
        let heard = std::sync::Mutex::new(Vec::new());
        let results = verify_step_as_chosen(
            profile,
            &state,
            WizardStep::Secret,
            &inputs,
            None,
            &ctx,
            &|p| heard.lock().expect("progress").push(p),
        )
        .await;
        let ids: Vec<CheckId> = results.iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [CheckId::ClientCertificate, CheckId::CertificateExpiry]
        );
        for result in &results {
            assert_eq!(result.status, Status::Skipped);
            assert_eq!(result.reason, Some(SkipReason::MissingInput));
        }
        assert_eq!(
            heard.lock().expect("progress").len(),
            2,
            "each result is reported"
        );
    }
}
