//! The verification engine: a profile and the admin's inputs become a plan of live checks with
//! dependencies between them; independent checks run concurrently; progress is reported as each
//! starts and ends; every checkpoint the profile lists gets exactly one result.
//!
//! A network fault, a throttle or a 5xx makes a check `unverified` — never `pass`, never a false
//! `fail` — and the checks that build on it are `unverified` too. The checks themselves live in
//! [`checks`]; how results are worded in [`outcome`].
//!
//! A registration proved with a certificate ([`verify_with_certificate`]) has `client_certificate`
//! and `certificate_expiry` where the profile lists `client_secret` and `secret_expiry`: the
//! client-credentials request sends a client assertion the certificate signs, and the expiry is
//! that of the registered certificate with its thumbprint.
//!
//! The checks that act as the mailbox owner (SMTP AUTH, test email) run last, with the owner's
//! tokens from [`Sessions`]; without them they are `skipped` with reason `needs_sign_in`.
//!
//! The checks that need an administrator's sign-in (redirect URI, account type, permissions and
//! their consent, secret expiry, consent policy, mailbox) read Graph with `sessions.admin_graph`
//! ([`admin_stage`]): the reads that need only the app ID run concurrently with the
//! client-credentials request, the grants of the app's service principal concurrently with the
//! calendar read. Without that token they are `skipped` with reason `needs_sign_in`, except that a
//! redirect URI that breaks the offline rules fails at once. With it, the registration's
//! permissions supersede the judgement from the app token's `roles` (kept as evidence).

mod admin_stage;
pub mod checks;
mod inputs;
pub mod outcome;
mod report;
pub mod sign_in;

pub use inputs::{Context, Inputs, Sessions};
pub use report::{CheckResult, Needed, Progress, Report, SkipReason, Status, Summary};

use std::collections::BTreeMap;

use crate::check::CheckId;
use crate::credentials::Certificate;
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
            tracing::info!(check = id.as_str(), "check started");
            (self.progress)(Progress::Started { id: *id });
        }
    }

    fn record(&mut self, result: CheckResult) {
        if self.applies(result.id) && !self.results.contains_key(&result.id) {
            tracing::info!(
                check = result.id.as_str(),
                status = %result.status,
                cause = result.cause.map(|c| c.as_str()),
                reason = result.reason.map(|r| r.to_string()),
                "check {}: {}",
                result.id.as_str(),
                result.status
            );
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
                self.results.remove(id).unwrap_or_else(|| {
                    let (message, needs) = needs_sign_in(*id);
                    skipped(*id, SkipReason::NeedsSignIn, message).with_needs(needs)
                })
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
#[tracing::instrument(name = "verify", skip_all, fields(profile = %profile.id))]
pub async fn verify(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    progress: ProgressSink<'_>,
) -> Report {
    run(profile, inputs, None, ctx, progress).await
}

/// Run every checkpoint of `profile` that the inputs allow, the app proved with `certificate`
/// (any secret in `inputs` is not used): `client_secret` and `secret_expiry` become
/// `client_certificate` and `certificate_expiry`.
#[tracing::instrument(name = "verify", skip_all, fields(profile = %profile.id))]
pub async fn verify_with_certificate(
    profile: &Profile,
    inputs: &Inputs,
    certificate: &Certificate,
    ctx: &Context,
    progress: ProgressSink<'_>,
) -> Report {
    let profile = with_certificate_checks(profile);
    let inputs = Inputs {
        secret: None,
        ..inputs.clone()
    };
    run(&profile, &inputs, Some(certificate), ctx, progress).await
}

/// `profile` with its secret checks turned into the certificate checks.
pub fn with_certificate_checks(profile: &Profile) -> Profile {
    let mut profile = profile.clone();
    for id in &mut profile.checks {
        *id = match *id {
            CheckId::ClientSecret => CheckId::ClientCertificate,
            CheckId::SecretExpiry => CheckId::CertificateExpiry,
            other => other,
        };
    }
    profile
}

async fn run(
    profile: &Profile,
    inputs: &Inputs,
    certificate: Option<&Certificate>,
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

    let admin = admin_stage::AdminStage::new(profile, inputs, ctx).with_certificate(certificate);
    let Some(client_id) = inputs.client_id.as_deref().map(str::trim) else {
        let missing = skipped(
            CheckId::ClientId,
            SkipReason::MissingInput,
            "No application (client) ID was given.",
        )
        .with_needs(&[Needed::ClientId]);
        board.record(missing.clone());
        for id in [
            CheckId::ClientSecret,
            CheckId::SecretExpiry,
            CheckId::ClientCertificate,
            CheckId::CertificateExpiry,
            CheckId::ApiPermissions,
            CheckId::AdminConsent,
            CheckId::CalendarAccess,
        ] {
            board.record(downstream(id, &missing));
        }
        admin.without_client_id(&mut board, &missing).await;
        mailbox_owner_stage(&mut board, inputs, ctx).await;
        return board.finish(Some(tenant_id), None);
    };

    board.start(&[
        CheckId::ClientId,
        CheckId::ClientSecret,
        CheckId::ClientCertificate,
    ]);
    admin.start(&board);
    let (credentials, reads) = tokio::join!(
        async {
            match certificate {
                Some(certificate) => {
                    checks::certificate::run(ctx, &tenant_id, client_id, certificate).await
                }
                None => {
                    checks::app_credentials::run(ctx, &tenant_id, client_id, inputs.secret.as_ref())
                        .await
                }
            }
        },
        admin.first_reads(Some(client_id)),
    );
    admin.record_mailbox(&mut board, &reads);
    let client_id_result = credentials.client_id.clone();
    let secret_result = credentials.client_secret.clone();
    board.record(credentials.client_id);
    board.record(credentials.client_secret);
    if !client_id_result.holds() && !admin.continues_after(&client_id_result) {
        board.block_rest(&client_id_result);
        return board.finish(Some(tenant_id), Some(client_id.to_string()));
    }

    let token_roles = credentials
        .token
        .as_ref()
        .map(|t| t.claims.roles.as_slice());
    admin.record_registration(&mut board, &reads, client_id, token_roles);

    // The app token's roles judge application permissions when no administrator reads them (an
    // administrator's result, recorded first, wins); the calendar read builds on that judgement.
    let required_roles = &profile.registration.permissions.application;
    let mut token_consent = None;
    match &credentials.token {
        Some(token) if !required_roles.is_empty() => {
            let judged = checks::app_permissions::judge(ctx, client_id, token, required_roles);
            token_consent = Some(judged.admin_consent.clone());
            board.record(judged.api_permissions);
            if !admin.decides(CheckId::AdminConsent) {
                board.record(judged.admin_consent);
            }
        }
        None if !required_roles.is_empty() => {
            board.record(downstream(CheckId::ApiPermissions, &secret_result));
            if !admin.decides(CheckId::AdminConsent) {
                board.record(downstream(CheckId::AdminConsent, &secret_result));
            }
        }
        _ => {}
    }

    let mut calendar_read = None;
    if board.applies(CheckId::CalendarAccess) {
        match (&credentials.token, inputs.mailbox.as_deref()) {
            (_, None) => board.record(
                skipped(
                    CheckId::CalendarAccess,
                    SkipReason::MissingInput,
                    "No mailbox was given to read a calendar from.",
                )
                .with_needs(&[Needed::Mailbox]),
            ),
            (None, Some(_)) => board.record(downstream(CheckId::CalendarAccess, &secret_result)),
            (Some(_), Some(_)) if token_consent.as_ref().is_some_and(|r| !r.holds()) => {
                if let Some(consent) = &token_consent {
                    board.record(downstream(CheckId::CalendarAccess, consent));
                }
            }
            (Some(token), Some(mailbox)) => {
                board.start(&[CheckId::CalendarAccess]);
                calendar_read = Some((token, mailbox.trim()));
            }
        }
    }
    let (consent_reads, calendar) = tokio::join!(admin.consent_reads(&reads), async {
        match calendar_read {
            Some((token, mailbox)) => Some(checks::calendar_access::run(ctx, token, mailbox).await),
            None => None,
        }
    });
    admin.record_consent(
        &mut board,
        &reads,
        consent_reads.as_ref(),
        client_id,
        token_roles,
    );
    if let Some(result) = calendar {
        board.record(result);
    }

    if !client_id_result.holds() {
        // Only a vendor's unapproved app gets here: its consent checks ran, nothing else does.
        board.block_rest(&client_id_result);
    }
    mailbox_owner_stage(&mut board, inputs, ctx).await;
    board.finish(Some(tenant_id), Some(client_id.to_string()))
}

/// The checks that act as the mailbox owner (`smtp_auth`, `imap_auth`, `test_email`): they need
/// the tenant, the owner's sign-in and their own inputs, not the registration, and run side by
/// side.
async fn mailbox_owner_stage(board: &mut Board<'_>, inputs: &Inputs, ctx: &Context) {
    let (smtp, imap, mail) = (
        board.applies(CheckId::SmtpAuth),
        board.applies(CheckId::ImapAuth),
        board.applies(CheckId::TestEmail),
    );
    board.start(&[CheckId::SmtpAuth, CheckId::ImapAuth, CheckId::TestEmail]);
    let (smtp, imap, mail) = tokio::join!(
        async {
            if smtp {
                Some(checks::smtp_auth::check(ctx, inputs).await)
            } else {
                None
            }
        },
        async {
            if imap {
                Some(checks::imap_auth::check(ctx, inputs).await)
            } else {
                None
            }
        },
        async {
            if mail {
                Some(checks::test_email::check(ctx, inputs).await)
            } else {
                None
            }
        },
    );
    for result in [smtp, imap, mail].into_iter().flatten() {
        board.record(result);
    }
}

/// Why a check that was not run needs a sign-in, and whose.
fn needs_sign_in(id: CheckId) -> (&'static str, &'static [Needed]) {
    match id {
        CheckId::SmtpAuth | CheckId::ImapAuth | CheckId::TestEmail => (
            "This check acts as the mailbox owner, who signs in after the administrator.",
            &[Needed::AdminSignIn, Needed::MailboxOwnerSignIn],
        ),
        _ => (
            "This check reads what only a signed-in administrator may read.",
            &[Needed::AdminSignIn],
        ),
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
