//! `smtp_auth`: Exchange Online accepts the mailbox owner's OAuth token for SMTP submission
//! (`AUTH XOAUTH2` after STARTTLS on port 587), as the product will use it. The probe sends no
//! mail. Exchange's `535` reply tells SMTP AUTH switched off for the organisation or for the
//! mailbox, and a token it refuses; the fix names the exact PowerShell for the real mailbox.

use serde_json::{Value, json};

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::{Cloud, SmtpEndpoint};
use crate::secret::Secret;
use crate::smtp::{self, ProbeError, ProbeOptions, Reply};
use crate::verify::outcome::{fail, pass, skipped, unverified};
use crate::verify::{CheckResult, Context, Inputs, Needed, SkipReason};

/// The check as the engine runs it: skipped without a mailbox, without the mailbox owner's
/// Outlook token or without an SMTP endpoint; otherwise the probe.
pub async fn check(ctx: &Context, inputs: &Inputs) -> CheckResult {
    let Some(mailbox) = inputs
        .mailbox
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    else {
        return skipped(
            CheckId::SmtpAuth,
            SkipReason::MissingInput,
            "No mailbox was given to sign in to SMTP as.",
        )
        .with_needs(&[Needed::Mailbox]);
    };
    let Some(token) = inputs.sessions.mailbox_outlook.as_ref() else {
        return skipped(
            CheckId::SmtpAuth,
            SkipReason::NeedsSignIn,
            match &inputs.sessions.mailbox_sign_in_failed {
                Some(why) => {
                    format!("The SMTP AUTH probe acts as {mailbox}, whose sign-in failed: {why}")
                }
                None => format!(
                    "The SMTP AUTH probe acts as {mailbox}, who must sign in to grant SMTP.Send."
                ),
            },
        )
        .with_needs(&[Needed::MailboxOwnerSignIn]);
    };
    let Some(endpoint) = ctx.endpoints.smtp.as_ref() else {
        return skipped(
            CheckId::SmtpAuth,
            SkipReason::MissingInput,
            "The endpoints file names no SMTP server (\"smtp\": \"HOST:PORT\").",
        );
    };
    run(ctx, endpoint, mailbox, token).await
}

/// Probe SMTP AUTH at `endpoint` for `mailbox` with the owner's Outlook token.
pub async fn run(
    ctx: &Context,
    endpoint: &SmtpEndpoint,
    mailbox: &str,
    token: &Secret,
) -> CheckResult {
    let server = format!("{}:{}", endpoint.host, endpoint.port);
    match smtp::probe(
        endpoint,
        mailbox,
        token,
        &ProbeOptions::within(ctx.http.timeout()),
    )
    .await
    {
        Ok(done) => pass(
            CheckId::SmtpAuth,
            format!("{server} accepted the OAuth sign-in of {mailbox} for SMTP (AUTH XOAUTH2)."),
            evidence(mailbox, &server, Some("auth"), Some(&done.reply)),
        ),
        Err(error) => {
            if let Some(fault) = error.unavailable(&server) {
                let mut result = unverified(CheckId::SmtpAuth, &fault);
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
        Some(reply) => format!("{server} answered {reply}"),
        None => format!("{server}, {error}"),
    };
    let message = match cause {
        Cause::SmtpAuthDisabledTenant => format!(
            "SMTP AUTH is turned off for the whole organisation, so {mailbox} cannot sign in to SMTP: {said}."
        ),
        Cause::SmtpAuthDisabledMailbox => format!(
            "SMTP AUTH (Authenticated SMTP) is turned off for the mailbox {mailbox}: {said}."
        ),
        Cause::SmtpBasicAuthBlocked => format!(
            "The sign-in of {mailbox} was taken for basic authentication and refused: {said}."
        ),
        Cause::SmtpAuthFailed => {
            format!("The OAuth token of {mailbox} was refused for SMTP: {said}.")
        }
        Cause::SmtpUnreachable => format!("No secure SMTP session: {said}."),
        _ => format!("SMTP AUTH for {mailbox} was refused: {said}."),
    };
    let result = fail(
        CheckId::SmtpAuth,
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
        Cause::SmtpAuthDisabledTenant => result
            .with_fix(format!(
                "An Exchange Administrator turns SMTP AUTH on for the organisation, in Exchange Online PowerShell: \
                 Set-TransportConfig -SmtpClientAuthenticationDisabled $false \
                 (or in the Exchange admin center: Settings > Mail flow > untick \"Turn off SMTP AUTH protocol for your organization\"). \
                 To keep it off for everyone else, enable it for this mailbox only instead: \
                 Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false. \
                 Changes can take up to an hour; then check again."
            ))
            .with_link(exchange_mail_flow_settings(cloud)),
        Cause::SmtpAuthDisabledMailbox => result
            .with_fix(format!(
                "Turn SMTP AUTH on for this mailbox, in Exchange Online PowerShell: \
                 Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false \
                 (or in the Microsoft 365 admin center: Users > Active users > {mailbox} > Mail > Manage email apps > tick Authenticated SMTP). \
                 Changes can take up to an hour; then check again."
            ))
            .with_link(m365_active_users(cloud)),
        Cause::SmtpAuthFailed => result.with_fix(format!(
            "Sign in as {mailbox} itself (the token must be that user's, for https://outlook.office.com/SMTP.Send) \
             and make sure SMTP AUTH is on for the mailbox: \
             Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false. \
             A mailbox without an Exchange Online licence is refused the same way."
        )),
        _ => result,
    }
}

/// Evidence: the mailbox, the server, where the dialogue ended and the reply (never the token).
fn evidence(mailbox: &str, server: &str, stage: Option<&str>, reply: Option<&Reply>) -> Value {
    json!({
        "mailbox": mailbox,
        "server": server,
        "stage": stage,
        "code": reply.map(|r| r.code),
        "enhanced_status": reply.and_then(|r| r.enhanced()),
        "text": reply.map(Reply::text),
        "reply": reply.map(|r| r.to_string()),
    })
}

/// Exchange admin center > Settings > Mail flow (the organisation's SMTP AUTH switch).
fn exchange_mail_flow_settings(cloud: Cloud) -> Option<String> {
    match cloud {
        Cloud::Global => Some("https://admin.exchange.microsoft.com/#/settings".into()),
        Cloud::Usgov | Cloud::China => None,
    }
}

/// Microsoft 365 admin center > Users > Active users (a user's Mail > Manage email apps).
fn m365_active_users(cloud: Cloud) -> Option<String> {
    match cloud {
        Cloud::Global => Some("https://admin.microsoft.com/Adminportal/Home#/users".into()),
        Cloud::Usgov | Cloud::China => None,
    }
}
