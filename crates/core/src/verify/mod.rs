//! The verification engine: a profile and the admin's inputs become a plan of live checks with
//! dependencies between them; independent checks run concurrently; progress is reported as each
//! starts and ends; every checkpoint the profile lists gets exactly one result.
//!
//! A network fault, a throttle or a 5xx makes a check `unverified` — never `pass`, never a false
//! `fail` — and the checks that build on it are `unverified` too. The checks themselves live in
//! [`checks`]; how results are worded in [`outcome`].
//!
//! Not built yet: the checks that need an administrator's sign-in (redirect URI, account type,
//! delegated permissions and their consent, secret expiry, consent policy, mailbox) and the ones
//! that act as the mailbox owner (SMTP AUTH, test email). They are `skipped` with reason
//! `needs_sign_in`, except that a redirect URI that breaks the offline rules fails at once.

pub mod checks;
mod inputs;
pub mod outcome;
mod report;
pub mod sign_in;

pub use inputs::{Context, Inputs, Sessions};
pub use report::{CheckResult, Progress, Report, SkipReason, Status, Summary};

use std::collections::BTreeMap;

use crate::check::CheckId;
use crate::profile::Profile;
use crate::validate::{RedirectRules, redirect_uri_issues};

use outcome::{downstream, fail, skipped};

/// Where progress events go.
pub type ProgressSink<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// The results collected so far, reported as they arrive.
struct Board<'a> {
    profile: &'a Profile,
    results: BTreeMap<CheckId, CheckResult>,
    progress: ProgressSink<'a>,
}

impl Board<'_> {
    fn applies(&self, id: CheckId) -> bool {
        self.profile.checks.contains(&id)
    }

    fn start(&self, ids: &[CheckId]) {
        for id in ids.iter().filter(|id| self.applies(**id)) {
            (self.progress)(Progress::Started { id: *id });
        }
    }

    fn record(&mut self, result: CheckResult) {
        if self.applies(result.id) && !self.results.contains_key(&result.id) {
            (self.progress)(Progress::Finished {
                result: result.clone(),
            });
            self.results.insert(result.id, result);
        }
    }

    /// Every applicable check without a result yet gets one derived from `upstream`.
    fn block_rest(&mut self, upstream: &CheckResult) {
        for id in self.profile.checks.clone() {
            self.record(downstream(id, upstream));
        }
    }

    fn finish(mut self, tenant_id: Option<String>, client_id: Option<String>) -> Report {
        let checks: Vec<CheckResult> = self
            .profile
            .checks
            .iter()
            .map(|id| {
                self.results
                    .remove(id)
                    .unwrap_or_else(|| skipped(*id, SkipReason::NeedsSignIn, needs_sign_in(*id)))
            })
            .collect();
        Report {
            profile: self.profile.id.clone(),
            tenant_id,
            client_id,
            summary: Report::summarise(&checks),
            checks,
        }
    }
}

/// Run every checkpoint of `profile` that the inputs allow.
pub async fn verify(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    progress: ProgressSink<'_>,
) -> Report {
    let mut board = Board {
        profile,
        results: BTreeMap::new(),
        progress,
    };

    board.start(&[CheckId::Tenant]);
    let (tenant, info) = checks::tenant::run(ctx, inputs.tenant.trim()).await;
    let tenant_holds = tenant.holds();
    board.record(tenant.clone());
    let Some(info) = info.filter(|_| tenant_holds) else {
        board.block_rest(&tenant);
        return board.finish(None, inputs.client_id.clone());
    };
    let tenant_id = info.tenant_id.clone();

    // Offline rules that fail a check without asking anyone.
    if let Some(redirect) = &inputs.redirect_uri {
        record_redirect_offline(&mut board, redirect);
    }

    let Some(client_id) = inputs.client_id.as_deref().map(str::trim) else {
        let missing = skipped(
            CheckId::ClientId,
            SkipReason::MissingInput,
            "No application (client) ID was given (--client-id).",
        );
        board.record(missing.clone());
        for id in [
            CheckId::ClientSecret,
            CheckId::SecretExpiry,
            CheckId::ApiPermissions,
            CheckId::AdminConsent,
            CheckId::CalendarAccess,
        ] {
            board.record(downstream(id, &missing));
        }
        return board.finish(Some(tenant_id), None);
    };

    board.start(&[CheckId::ClientId, CheckId::ClientSecret]);
    let credentials =
        checks::app_credentials::run(ctx, &tenant_id, client_id, inputs.secret.as_ref()).await;
    let client_id_result = credentials.client_id.clone();
    let secret_result = credentials.client_secret.clone();
    board.record(credentials.client_id);
    board.record(credentials.client_secret);
    if !client_id_result.holds() {
        board.block_rest(&client_id_result);
        return board.finish(Some(tenant_id), Some(client_id.to_string()));
    }

    let required_roles = &profile.registration.permissions.application;
    match &credentials.token {
        Some(token) if !required_roles.is_empty() => {
            let judged = checks::app_permissions::judge(ctx, client_id, token, required_roles);
            board.record(judged.api_permissions);
            board.record(judged.admin_consent);
        }
        None if !required_roles.is_empty() => {
            board.record(downstream(CheckId::ApiPermissions, &secret_result));
            board.record(downstream(CheckId::AdminConsent, &secret_result));
        }
        _ => {}
    }

    if board.applies(CheckId::CalendarAccess) {
        match (&credentials.token, inputs.mailbox.as_deref()) {
            (_, None) => board.record(skipped(
                CheckId::CalendarAccess,
                SkipReason::MissingInput,
                "No mailbox was given to read a calendar from (--mailbox).",
            )),
            (None, Some(_)) => board.record(downstream(CheckId::CalendarAccess, &secret_result)),
            (Some(_), Some(_))
                if board
                    .results
                    .get(&CheckId::AdminConsent)
                    .is_some_and(|r| !r.holds()) =>
            {
                let consent = board.results[&CheckId::AdminConsent].clone();
                board.record(downstream(CheckId::CalendarAccess, &consent));
            }
            (Some(token), Some(mailbox)) => {
                board.start(&[CheckId::CalendarAccess]);
                let result = checks::calendar_access::run(ctx, token, mailbox.trim()).await;
                board.record(result);
            }
        }
    }

    board.finish(Some(tenant_id), Some(client_id.to_string()))
}

/// Why a check that was not run needs a sign-in.
fn needs_sign_in(id: CheckId) -> &'static str {
    match id {
        CheckId::SmtpAuth | CheckId::TestEmail => {
            "This check acts as the mailbox owner, who signs in after the administrator: run with --sign-in device-code and --mailbox."
        }
        _ => {
            "This check reads what only a signed-in administrator may read: run with --sign-in device-code."
        }
    }
}

/// A redirect URI that breaks the vendor guide's rules, or differs from what the product sends,
/// fails before anything is asked.
fn record_redirect_offline(board: &mut Board<'_>, redirect: &str) {
    if !board.applies(CheckId::RedirectUri) {
        return;
    }
    let rules = RedirectRules::for_account_types(&board.profile.registration.account_types);
    let issue = redirect_uri_issues(redirect, &rules)
        .into_iter()
        .find(|i| i.is_error());
    if let Some(issue) = issue {
        board.record(fail(
            CheckId::RedirectUri,
            issue.cause,
            issue.message,
            serde_json::json!({ "redirect_uri": redirect }),
        ));
    }
}
