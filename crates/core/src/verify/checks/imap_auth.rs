//! `imap_auth`: Exchange Online lets the mailbox owner's OAuth token into the mailbox over IMAP
//! (`AUTHENTICATE XOAUTH2` over TLS on port 993, then the inbox opened read-only), as a product
//! that reads mail will use it. The probe reads no message. Exchange's answers tell a token it
//! refuses from a mailbox it will not open over IMAP (IMAP turned off for the mailbox); the fix
//! names the exact PowerShell for the real mailbox.

use serde_json::{Value, json};

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::{Cloud, ImapEndpoint};
use crate::imap::{self, ProbeError, ProbeOptions, Response};
use crate::secret::Secret;
use crate::verify::outcome::{fail, pass, skipped, unverified};
use crate::verify::{CheckResult, Context, Inputs, Needed, SkipReason};

/// The check as the engine runs it: skipped without a mailbox, without the mailbox owner's
/// Outlook token or without an IMAP endpoint; otherwise the probe.
pub async fn check(ctx: &Context, inputs: &Inputs) -> CheckResult {
    let Some(mailbox) = inputs
        .mailbox
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    else {
        return skipped(
            CheckId::ImapAuth,
            SkipReason::MissingInput,
            "No mailbox was given to sign in to IMAP as.",
        )
        .with_needs(&[Needed::Mailbox]);
    };
    let Some(token) = inputs.sessions.mailbox_outlook.as_ref() else {
        return skipped(
            CheckId::ImapAuth,
            SkipReason::NeedsSignIn,
            match &inputs.sessions.mailbox_sign_in_failed {
                Some(why) => {
                    format!("The IMAP probe acts as {mailbox}, whose sign-in failed: {why}")
                }
                None => format!(
                    "The IMAP probe acts as {mailbox}, who must sign in to grant IMAP.AccessAsUser.All."
                ),
            },
        )
        .with_needs(&[Needed::MailboxOwnerSignIn]);
    };
    let Some(endpoint) = ctx.endpoints.imap.as_ref() else {
        return skipped(
            CheckId::ImapAuth,
            SkipReason::MissingInput,
            "The endpoints file names no IMAP server (\"imap\": \"HOST:PORT\").",
        );
    };
    run(ctx, endpoint, mailbox, token).await
}

/// Probe IMAP at `endpoint` for `mailbox` with the owner's Outlook token.
pub async fn run(
    ctx: &Context,
    endpoint: &ImapEndpoint,
    mailbox: &str,
    token: &Secret,
) -> CheckResult {
    let server = format!("{}:{}", endpoint.host, endpoint.port);
    match imap::probe(
        endpoint,
        mailbox,
        token,
        &ProbeOptions::within(ctx.http.timeout()),
    )
    .await
    {
        Ok(done) => pass(
            CheckId::ImapAuth,
            format!(
                "{server} accepted the OAuth sign-in of {mailbox} for IMAP (AUTHENTICATE XOAUTH2) and opened its inbox."
            ),
            evidence(mailbox, &server, Some("examine"), Some(&done.reply)),
        ),
        Err(error) => {
            if let Some(fault) = error.unavailable(&server) {
                let mut result = unverified(CheckId::ImapAuth, &fault);
                result.evidence = evidence(
                    mailbox,
                    &server,
                    error.stage().map(|s| s.as_str()),
                    error.reply(),
                );
                return result;
            }
            refused(ctx.endpoints.cloud, mailbox, &server, &error)
        }
    }
}

/// The failing result for a probe that ended in a verdict.
fn refused(cloud: Cloud, mailbox: &str, server: &str, error: &ProbeError) -> CheckResult {
    let cause = error.cause();
    let said = match error.reply() {
        Some(reply) => format!("{server} answered '{reply}'"),
        None => format!("{server}, {error}"),
    };
    let message = match cause {
        Cause::ImapDisabledMailbox => format!(
            "Exchange accepted the OAuth token of {mailbox} but would not open the mailbox over IMAP: {said}. IMAP is most likely turned off for this mailbox."
        ),
        Cause::ImapAuthFailed => {
            format!("The OAuth token of {mailbox} was refused for IMAP: {said}.")
        }
        _ => format!("IMAP for {mailbox} was refused: {said}."),
    };
    let result = fail(
        CheckId::ImapAuth,
        cause,
        message,
        evidence(
            mailbox,
            server,
            error.stage().map(|s| s.as_str()),
            error.reply(),
        ),
    );
    match cause {
        Cause::ImapDisabledMailbox => result
            .with_fix(format!(
                "Turn IMAP on for this mailbox, in Exchange Online PowerShell: \
                 Set-CASMailbox -Identity {mailbox} -ImapEnabled $true \
                 (or in the Microsoft 365 admin center: Users > Active users > {mailbox} > Mail > Manage email apps > tick IMAP). \
                 Changes can take up to an hour; then check again. \
                 If IMAP is already on, sign in as {mailbox} itself: a token of another account is answered the same way."
            ))
            .with_link(m365_active_users(cloud)),
        Cause::ImapAuthFailed => result.with_fix(format!(
            "Sign in as {mailbox} itself (the token must be that user's, for https://outlook.office.com/IMAP.AccessAsUser.All) \
             and make sure IMAP is on for the mailbox: \
             Set-CASMailbox -Identity {mailbox} -ImapEnabled $true. \
             A mailbox without an Exchange Online licence is refused the same way."
        )),
        _ => result,
    }
}

/// Evidence: the mailbox, the server, where the dialogue ended and the response (never the
/// token).
fn evidence(mailbox: &str, server: &str, stage: Option<&str>, reply: Option<&Response>) -> Value {
    json!({
        "mailbox": mailbox,
        "server": server,
        "stage": stage,
        "text": reply.map(|r| r.text.clone()),
        "reply": reply.map(ToString::to_string),
    })
}

/// Microsoft 365 admin center > Users > Active users (a user's Mail > Manage email apps).
fn m365_active_users(cloud: Cloud) -> Option<String> {
    match cloud {
        Cloud::Global => Some("https://admin.microsoft.com/Adminportal/Home#/users".into()),
        Cloud::Usgov | Cloud::China => None,
    }
}
