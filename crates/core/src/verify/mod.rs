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
//! The checks that act as the mailbox owner (SMTP AUTH, IMAP, test email) run beside the
//! registration's once the client ID holds, each as soon as the owner's token it needs is there;
//! without it they are `skipped` with reason `needs_sign_in`.
//!
//! People's tokens are given with the inputs ([`Sessions`], the desktop wizard signs people in
//! step by step) or arrive while the checks run ([`verify_signing_in`], the CLI's `--sign-in`):
//! the administrator's sign-in beside the tenant's discovery, the mailbox owner's beside the
//! administrator's reads ([`tokens`]), so sign-ins cost no round trip of their own.
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
mod tokens;

pub use inputs::{Context, Inputs, Sessions};
pub use report::{CheckResult, Needed, Progress, Report, SkipReason, Status, Summary};

use std::collections::BTreeMap;

use crate::check::CheckId;
use crate::credentials::Certificate;
use crate::profile::Profile;
use crate::validate::{RedirectRules, redirect_uri_issues};
use sign_in::{SessionError, SignInWith};
use tokens::Tokens;

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
    let tokens = Tokens::Given(inputs.sessions.clone());
    // On the heap: the checks' future is too large for a small thread's stack.
    Box::pin(run(profile, inputs, None, ctx, progress, &tokens)).await
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
    let tokens = Tokens::Given(inputs.sessions.clone());
    Box::pin(run(
        &profile,
        &inputs,
        Some(certificate),
        ctx,
        progress,
        &tokens,
    ))
    .await
}

/// Run every checkpoint of `profile` while people sign in `with` the given client and flow: the
/// administrator, and the mailbox owner when the profile's checks need them
/// ([`sign_in`]'s module doc says in which order). The app is proved with `certificate` when one
/// is given (as [`verify_with_certificate`]), else with the secret. Answers the report, the
/// administrator's token and, when their sign-in failed, why (their checks are then `skipped`);
/// the owner's failed sign-in is told by the owner's checks. Sign-ins still waiting when the checks are done (an
/// owner nothing needs any more) are abandoned.
#[tracing::instrument(name = "verify", skip_all, fields(profile = %profile.id))]
pub async fn verify_signing_in(
    profile: &Profile,
    inputs: &Inputs,
    certificate: Option<&Certificate>,
    ctx: &Context,
    with: SignInWith<'_>,
    progress: ProgressSink<'_>,
) -> SignedIn {
    let (profile, inputs) = match certificate {
        Some(_) => (
            with_certificate_checks(profile),
            Inputs {
                secret: None,
                ..inputs.clone()
            },
        ),
        None => (profile.clone(), inputs.clone()),
    };
    let (senders, tokens) = tokens::channel();
    let admin_failure = std::sync::Mutex::new(None);
    // Both on the heap: together they are too large a future for a small thread's stack.
    let signing_in = Box::pin(sign_in::beside(
        &profile,
        &inputs,
        ctx,
        with,
        senders,
        &admin_failure,
    ));
    let checks = Box::pin(run(&profile, &inputs, certificate, ctx, progress, &tokens));
    // The checks wait for whichever sign-in they need; when they are done, a sign-in still
    // waiting (an owner nothing needs any more) is dropped.
    let report = tokio::select! {
        report = checks => report,
        never = async {
            signing_in.await;
            std::future::pending::<Report>().await
        } => never,
    };
    let failure = admin_failure
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    SignedIn {
        report,
        admin_graph: tokens.admin().await,
        failure,
    }
}

/// What [`verify_signing_in`] answers.
pub struct SignedIn {
    /// The checks' results.
    pub report: Report,
    /// The administrator's Graph token, when they signed in (an export reads the secret's
    /// expiry with it).
    pub admin_graph: Option<crate::secret::Secret>,
    /// Why the administrator's sign-in failed, when it did.
    pub failure: Option<SessionError>,
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
    tokens: &Tokens,
) -> Report {
    let mut board = Board {
        profile,
        results: BTreeMap::new(),
        progress,
    };

    board.start(&[CheckId::Tenant]);
    // An administrator still signing in finishes beside the tenant's discovery.
    let ((tenant, info), admin_graph) = tokio::join!(
        checks::tenant::run(ctx, inputs.tenant.trim()),
        tokens.admin()
    );
    let tenant_holds = tenant.holds();
    board.record(tenant.clone());
    let Some(info) = info.filter(|_| tenant_holds) else {
        board.block_rest(&tenant);
        return board.finish(None, inputs.client_id.clone());
    };
    let tenant_id = info.tenant_id.clone();
    let inputs = &Inputs {
        sessions: Sessions {
            admin_graph,
            ..inputs.sessions.clone()
        },
        ..inputs.clone()
    };

    // Offline rules that fail a check without asking anyone.
    if let Some(redirect) = &inputs.redirect_uri {
        record_redirect_offline(&mut board, redirect);
    }

    // The mailbox owner's checks run beside the registration's as soon as the owner's tokens
    // are there — once the client ID is known to hold (or none was given): nothing acts as the
    // owner for a registration that is not there.
    board.start(&OWNER_CHECKS);
    let (owner_may_act, may_act) = tokio::sync::watch::channel(None);
    let (client_id, owner) = tokio::join!(
        registration_stage(
            &mut board,
            inputs,
            certificate,
            ctx,
            &tenant_id,
            &owner_may_act
        ),
        mailbox_owner_stage(profile, inputs, ctx, tokens, may_act),
    );
    for result in owner {
        board.record(result);
    }
    board.finish(Some(tenant_id), client_id)
}

/// The checks that act as the mailbox owner.
const OWNER_CHECKS: [CheckId; 3] = [CheckId::SmtpAuth, CheckId::ImapAuth, CheckId::TestEmail];

/// Everything about the registration, after the tenant: the client ID and credential, the
/// administrator's reads and the calendar. `owner_may_act` learns whether the mailbox owner's
/// checks may run. Answers the client ID checked.
async fn registration_stage(
    board: &mut Board<'_>,
    inputs: &Inputs,
    certificate: Option<&Certificate>,
    ctx: &Context,
    tenant_id: &str,
    owner_may_act: &tokio::sync::watch::Sender<Option<bool>>,
) -> Option<String> {
    let profile = board.profile;
    let admin = admin_stage::AdminStage::new(profile, inputs, ctx).with_certificate(certificate);
    let Some(client_id) = inputs.client_id.as_deref().map(str::trim) else {
        owner_may_act.send_replace(Some(true));
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
        if checks::test_email::sent_as_app(profile) {
            board.record(downstream(CheckId::TestEmail, &missing));
        }
        admin.without_client_id(board, &missing).await;
        return None;
    };

    board.start(&[
        CheckId::ClientId,
        CheckId::ClientSecret,
        CheckId::ClientCertificate,
    ]);
    admin.start(board);
    let (credentials, reads) = tokio::join!(
        async {
            match certificate {
                Some(certificate) => {
                    checks::certificate::run(ctx, tenant_id, client_id, certificate).await
                }
                None => {
                    checks::app_credentials::run(ctx, tenant_id, client_id, inputs.secret.as_ref())
                        .await
                }
            }
        },
        admin.first_reads(Some(client_id)),
    );
    admin.record_mailbox(board, &reads);
    let client_id_result = credentials.client_id.clone();
    let secret_result = credentials.client_secret.clone();
    owner_may_act.send_replace(Some(client_id_result.holds()));
    board.record(credentials.client_id);
    board.record(credentials.client_secret);
    if !client_id_result.holds() && !admin.continues_after(&client_id_result) {
        board.block_rest(&client_id_result);
        return Some(client_id.to_string());
    }
    let token_roles = credentials
        .token
        .as_ref()
        .map(|t| t.claims.roles.as_slice());
    admin.record_registration(board, &reads, client_id, token_roles);

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
    // A product that sends as the application is sent its test email with the app's token,
    // beside the calendar read and on the same judgement of the app's consent.
    let mut app_email = None;
    if board.applies(CheckId::TestEmail) && checks::test_email::sent_as_app(profile) {
        match &credentials.token {
            None => board.record(downstream(CheckId::TestEmail, &secret_result)),
            Some(_) if token_consent.as_ref().is_some_and(|r| !r.holds()) => {
                if let Some(consent) = &token_consent {
                    board.record(downstream(CheckId::TestEmail, consent));
                }
            }
            Some(token) => app_email = Some(token),
        }
    }
    let (consent_reads, calendar, app_email) = tokio::join!(
        admin.consent_reads(&reads),
        async {
            match calendar_read {
                Some((token, mailbox)) => {
                    Some(checks::calendar_access::run(ctx, token, mailbox).await)
                }
                None => None,
            }
        },
        async {
            match app_email {
                Some(token) => Some(checks::test_email::check_as_app(ctx, inputs, token).await),
                None => None,
            }
        },
    );
    admin.record_consent(
        board,
        &reads,
        consent_reads.as_ref(),
        client_id,
        token_roles,
    );
    for result in [calendar, app_email].into_iter().flatten() {
        board.record(result);
    }

    if !client_id_result.holds() {
        // Only a vendor's unapproved app gets here: its consent checks ran, nothing else does.
        board.block_rest(&client_id_result);
    }
    Some(client_id.to_string())
}

/// The checks that act as the mailbox owner (`smtp_auth`, `imap_auth`, `test_email`): they need
/// the tenant, the owner's tokens (each check waits for its own) and their own inputs, not the
/// registration, and run side by side — once `may_act` says the client ID holds.
async fn mailbox_owner_stage(
    profile: &Profile,
    inputs: &Inputs,
    ctx: &Context,
    tokens: &Tokens,
    mut may_act: tokio::sync::watch::Receiver<Option<bool>>,
) -> Vec<CheckResult> {
    // The test email of a product that sends as the application is the registration's.
    let applies =
        |id: CheckId| profile.checks.contains(&id) && sign_in::acts_as_mailbox_owner(profile, id);
    if !OWNER_CHECKS.into_iter().any(applies) {
        return Vec::new();
    }
    let allowed = may_act
        .wait_for(Option::is_some)
        .await
        .is_ok_and(|may| *may == Some(true));
    if !allowed {
        return Vec::new();
    }
    let as_owner = |sessions: Sessions| Inputs {
        sessions,
        ..inputs.clone()
    };
    let (smtp, imap, mail) = tokio::join!(
        async {
            if applies(CheckId::SmtpAuth) {
                let inputs = as_owner(tokens.owner_outlook().await);
                Some(checks::smtp_auth::check(ctx, &inputs).await)
            } else {
                None
            }
        },
        async {
            if applies(CheckId::ImapAuth) {
                let inputs = as_owner(tokens.owner_outlook().await);
                Some(checks::imap_auth::check(ctx, &inputs).await)
            } else {
                None
            }
        },
        async {
            if applies(CheckId::TestEmail) {
                let inputs = as_owner(tokens.owner_graph().await);
                Some(checks::test_email::check(ctx, &inputs).await)
            } else {
                None
            }
        },
    );
    [smtp, imap, mail].into_iter().flatten().collect()
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
