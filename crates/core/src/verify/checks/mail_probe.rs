//! What the `smtp_auth` and `imap_auth` checks share: how a mail sign-in check runs ([`check`]).
//! It is skipped without a mailbox, without the mailbox owner's Outlook token or without the
//! protocol's endpoint (in that order); otherwise the protocol's probe signs in as the mailbox
//! within the time limit of each request, and its end is a `pass`, an `unverified` when the probe
//! could not tell (the same `Unavailable` an HTTP check gets), or the protocol's verdict. The
//! evidence is always the mailbox, the server, where the dialogue ended, then the protocol's reply
//! fields — never the token.
//!
//! Each protocol says what is its own by implementing [`MailCheck`]: its wording, its endpoint
//! and probe, its reply fields, its refusals and their fixes. Not here: the probes themselves
//! (`smtp`, `imap`).

use std::fmt;
use std::future::Future;

use serde_json::{Map, Value, json};

use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::mail_protocol::{ProbeError, ProbeOptions, ProbeStage};
use crate::secret::Secret;
use crate::verify::outcome::{pass, skipped, unverified};
use crate::verify::{CheckResult, Context, Inputs, Needed, SkipReason};

/// What makes a mail sign-in check its protocol's.
pub(crate) trait MailCheck {
    /// The check.
    const ID: CheckId;
    /// What the mailbox signs in to: `SMTP`.
    const PROTOCOL: &'static str;
    /// The probe's name in a sentence: `The SMTP AUTH probe`.
    const PROBE: &'static str;
    /// The Outlook permission the mailbox owner grants: `SMTP.Send`.
    const PERMISSION: &'static str;
    /// The endpoints file's key of the server: `smtp`.
    const ENDPOINT_KEY: &'static str;

    /// The server probed.
    type Endpoint: Sync;
    /// Where in its dialogue the probe was.
    type Stage: ProbeStage;
    /// The server's answer.
    type Reply: fmt::Display;
    /// The probe's success.
    type Authenticated;

    /// The server, when the endpoints name one.
    fn endpoint(ctx: &Context) -> Option<&Self::Endpoint>;

    /// `host:port` of `endpoint`.
    fn server(endpoint: &Self::Endpoint) -> String;

    /// Sign in at `endpoint` as `mailbox` with the owner's Outlook `token`.
    fn probe(
        endpoint: &Self::Endpoint,
        mailbox: &str,
        token: &Secret,
        options: &ProbeOptions,
    ) -> impl Future<Output = Result<Self::Authenticated, ProbeError<Self::Stage, Self::Reply>>> + Send;

    /// What a success says: the message, and the stage and reply its evidence shows.
    fn passed<'a>(
        mailbox: &str,
        server: &str,
        done: &'a Self::Authenticated,
    ) -> (String, Self::Stage, &'a Self::Reply);

    /// The evidence fields of `reply` (each present, `null` without a reply), in order.
    fn reply_evidence(reply: Option<&Self::Reply>) -> Vec<(&'static str, Value)>;

    /// The failing result for a probe that ended in a verdict, with `evidence`.
    fn refused(
        cloud: Cloud,
        mailbox: &str,
        server: &str,
        error: &ProbeError<Self::Stage, Self::Reply>,
        evidence: Value,
    ) -> CheckResult;
}

/// The check `C` as the engine runs it.
pub(crate) async fn check<C: MailCheck>(ctx: &Context, inputs: &Inputs) -> CheckResult {
    let Some(mailbox) = inputs
        .mailbox
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    else {
        return skipped(
            C::ID,
            SkipReason::MissingInput,
            format!("No mailbox was given to sign in to {} as.", C::PROTOCOL),
        )
        .with_needs(&[Needed::Mailbox]);
    };
    let Some(token) = inputs.sessions.mailbox_outlook.as_ref() else {
        let probe = C::PROBE;
        return skipped(
            C::ID,
            SkipReason::NeedsSignIn,
            match &inputs.sessions.mailbox_sign_in_failed {
                Some(why) => format!("{probe} acts as {mailbox}, whose sign-in failed: {why}"),
                None => format!(
                    "{probe} acts as {mailbox}, who must sign in to grant {}.",
                    C::PERMISSION
                ),
            },
        )
        .with_needs(&[Needed::MailboxOwnerSignIn]);
    };
    let Some(endpoint) = C::endpoint(ctx) else {
        return skipped(
            C::ID,
            SkipReason::MissingInput,
            format!(
                "The endpoints file names no {} server (\"{}\": \"HOST:PORT\").",
                C::PROTOCOL,
                C::ENDPOINT_KEY
            ),
        );
    };
    let server = C::server(endpoint);
    let options = ProbeOptions::within(ctx.http.timeout());
    match C::probe(endpoint, mailbox, token, &options).await {
        Ok(done) => {
            let (message, stage, reply) = C::passed(mailbox, &server, &done);
            pass(
                C::ID,
                message,
                evidence::<C>(mailbox, &server, Some(stage), Some(reply)),
            )
        }
        Err(error) => {
            let evidence = evidence::<C>(mailbox, &server, error.stage(), error.reply());
            match error.unavailable(&server) {
                Some(fault) => {
                    let mut result = unverified(C::ID, &fault);
                    result.evidence = evidence;
                    result
                }
                None => C::refused(ctx.endpoints.cloud, mailbox, &server, &error, evidence),
            }
        }
    }
}

/// The evidence: `mailbox`, `server`, `stage` (where the dialogue ended), then the reply's fields.
fn evidence<C: MailCheck>(
    mailbox: &str,
    server: &str,
    stage: Option<C::Stage>,
    reply: Option<&C::Reply>,
) -> Value {
    let mut fields = Map::new();
    fields.insert("mailbox".into(), json!(mailbox));
    fields.insert("server".into(), json!(server));
    fields.insert("stage".into(), json!(stage.map(ProbeStage::as_str)));
    for (name, value) in C::reply_evidence(reply) {
        fields.insert(name.into(), value);
    }
    Value::Object(fields)
}

/// Microsoft 365 admin center > Users > Active users (a user's Mail > Manage email apps).
pub(crate) fn m365_active_users(cloud: Cloud) -> Option<String> {
    match cloud {
        Cloud::Global => Some("https://admin.microsoft.com/Adminportal/Home#/users".into()),
        Cloud::Usgov | Cloud::China => None,
    }
}
