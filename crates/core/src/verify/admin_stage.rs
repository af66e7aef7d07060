//! The engine's side of the administrator's checks: when `sessions.admin_graph` is present, which
//! reads to start (stage one runs beside the client-credentials request, stage two beside the
//! calendar read), and recording their results on the board in the right order. Without an
//! administrator's token every method here does nothing, and those checks stay `skipped` with
//! `needs_sign_in`.

use super::checks::admin::{self, Judging};
use super::checks::admin_reads::{self, ConsentReads, FirstReads, Wanted};
use super::outcome::{downstream, skipped};
use super::{Board, CheckResult, Context, Inputs, SkipReason};
use crate::cause::Cause;
use crate::check::CheckId;
use crate::credentials::Certificate;
use crate::graph::Reader;
use crate::profile::{Profile, ProfileKind};

/// What the administrator's token unlocks for this run.
pub(super) struct AdminStage<'a> {
    reader: Option<Reader<'a>>,
    wanted: Wanted,
    profile: &'a Profile,
    inputs: &'a Inputs,
    ctx: &'a Context,
    secret_hint: Option<String>,
    certificate_thumbprint: Option<String>,
}

impl<'a> AdminStage<'a> {
    pub(super) fn new(profile: &'a Profile, inputs: &'a Inputs, ctx: &'a Context) -> Self {
        let reader = inputs.sessions.admin_graph.as_ref().map(|token| Reader {
            http: &ctx.http,
            endpoints: &ctx.endpoints,
            token,
        });
        AdminStage {
            reader,
            wanted: Wanted::for_profile(profile, inputs.mailbox.as_deref()),
            profile,
            inputs,
            ctx,
            secret_hint: inputs.secret.as_ref().map(|s| s.hint()),
            certificate_thumbprint: None,
        }
    }

    /// The certificate given in place of a secret: its expiry is judged by its thumbprint.
    pub(super) fn with_certificate(mut self, certificate: Option<&Certificate>) -> Self {
        self.certificate_thumbprint = certificate.map(Certificate::thumbprint);
        self
    }

    /// Whether the administrator's reads decide `id` (rather than the app token or nothing).
    pub(super) fn decides(&self, id: CheckId) -> bool {
        self.reader.is_some() && self.wanted.checks().contains(&id)
    }

    /// Whether the consent checks still run after `client_id` failed: a vendor's multi-tenant
    /// app that was never approved here has no service principal, so the token endpoint does not
    /// know it in this tenant (AADSTS700016) — which is what `admin_consent` and
    /// `consent_policy` are there to explain. Every other check stays blocked.
    pub(super) fn continues_after(&self, client_id: &CheckResult) -> bool {
        self.reader.is_some()
            && self.profile.kind == ProfileKind::VendorConsent
            && client_id.cause == Some(Cause::ClientIdNotFound)
    }

    /// Report the checks about to run.
    pub(super) fn start(&self, board: &Board<'_>) {
        if self.reader.is_some() {
            board.start(&self.wanted.checks());
        }
    }

    /// Stage one (nothing when no administrator signed in).
    pub(super) async fn first_reads(&self, client_id: Option<&str>) -> FirstReads {
        match &self.reader {
            Some(reader) => admin_reads::first_reads(reader, client_id, &self.wanted).await,
            None => FirstReads::default(),
        }
    }

    /// Stage two, when stage one found the client's service principal.
    pub(super) async fn consent_reads(&self, first: &FirstReads) -> Option<ConsentReads> {
        let reader = self.reader.as_ref()?;
        let sp_id = admin::service_principal_id(first)?;
        Some(admin_reads::consent_reads(reader, sp_id).await)
    }

    fn judging<'b>(&'b self, client_id: &'b str, token_roles: Option<&'b [String]>) -> Judging<'b> {
        Judging {
            cloud: self.ctx.endpoints.cloud,
            profile: self.profile,
            client_id,
            redirect_uri: self.inputs.redirect_uri.as_deref(),
            secret_hint: self.secret_hint.as_deref(),
            certificate_thumbprint: self.certificate_thumbprint.as_deref(),
            token_roles,
            now: self.ctx.now,
        }
    }

    /// Record `mailbox` (it does not depend on the app).
    pub(super) fn record_mailbox(&self, board: &mut Board<'_>, first: &FirstReads) {
        if self.reader.is_none() {
            return;
        }
        match &first.mailbox {
            Some(reads) => board.record(admin::mailbox_result(self.ctx.endpoints.cloud, reads)),
            None => board.record(
                skipped(
                    CheckId::Mailbox,
                    SkipReason::MissingInput,
                    "No mailbox was given.",
                )
                .with_needs(&[super::Needed::Mailbox]),
            ),
        }
    }

    /// Record the checks decided by the registration.
    pub(super) fn record_registration(
        &self,
        board: &mut Board<'_>,
        first: &FirstReads,
        client_id: &str,
        token_roles: Option<&[String]>,
    ) {
        for result in admin::registration_results(&self.judging(client_id, token_roles), first) {
            board.record(result);
        }
    }

    /// Record `admin_consent` and `consent_policy`.
    pub(super) fn record_consent(
        &self,
        board: &mut Board<'_>,
        first: &FirstReads,
        second: Option<&ConsentReads>,
        client_id: &str,
        token_roles: Option<&[String]>,
    ) {
        let judging = self.judging(client_id, token_roles);
        for result in admin::consent_results(&judging, first, second) {
            board.record(result);
        }
    }

    /// Without an app ID, the checks that read the app cannot run; the mailbox still can.
    pub(super) async fn without_client_id(&self, board: &mut Board<'_>, missing: &CheckResult) {
        if self.reader.is_none() {
            return;
        }
        for id in [
            CheckId::RedirectUri,
            CheckId::AccountType,
            CheckId::ConsentPolicy,
        ] {
            board.record(downstream(id, missing));
        }
        board.start(&[CheckId::Mailbox]);
        let first = match &self.reader {
            Some(reader) if self.wanted.mailbox.is_some() => {
                let only_mailbox = Wanted {
                    mailbox: self.wanted.mailbox.clone(),
                    ..Wanted::default()
                };
                admin_reads::first_reads(reader, None, &only_mailbox).await
            }
            _ => FirstReads::default(),
        };
        self.record_mailbox(board, &first);
    }
}
