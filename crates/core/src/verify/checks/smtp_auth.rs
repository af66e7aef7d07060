//! `smtp_auth`: Exchange Online accepts the mailbox owner's OAuth token for SMTP submission
//! (`AUTH XOAUTH2` after STARTTLS on port 587), as the product will use it. The probe sends no
//! mail. Exchange's `535` reply tells SMTP AUTH switched off for the organisation or for the
//! mailbox, and a token it refuses; the fix names the exact PowerShell for the real mailbox.

use serde_json::{Value, json};

use super::mail_probe::{self, MailCheck, m365_active_users};
use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::{Cloud, SmtpEndpoint};
use crate::secret::Secret;
use crate::smtp::{self, Authenticated, ProbeError, ProbeOptions, Reply, Stage};
use crate::verify::outcome::fail;
use crate::verify::{CheckResult, Context, Inputs};

/// The check as the engine runs it: skipped without a mailbox, without the mailbox owner's
/// Outlook token or without an SMTP endpoint; otherwise the probe.
pub async fn check(ctx: &Context, inputs: &Inputs) -> CheckResult {
    mail_probe::check::<SmtpAuth>(ctx, inputs).await
}

/// SMTP AUTH as a mail sign-in check.
struct SmtpAuth;

impl MailCheck for SmtpAuth {
    const ID: CheckId = CheckId::SmtpAuth;
    const PROTOCOL: &'static str = "SMTP";
    const PROBE: &'static str = "The SMTP AUTH probe";
    const PERMISSION: &'static str = "SMTP.Send";
    const ENDPOINT_KEY: &'static str = "smtp";

    type Endpoint = SmtpEndpoint;
    type Stage = Stage;
    type Reply = Reply;
    type Authenticated = Authenticated;

    fn endpoint(ctx: &Context) -> Option<&SmtpEndpoint> {
        ctx.endpoints.smtp.as_ref()
    }

    fn server(endpoint: &SmtpEndpoint) -> String {
        format!("{}:{}", endpoint.host, endpoint.port)
    }

    fn probe(
        endpoint: &SmtpEndpoint,
        mailbox: &str,
        token: &Secret,
        options: &ProbeOptions,
    ) -> impl Future<Output = Result<Authenticated, ProbeError>> + Send {
        smtp::probe(endpoint, mailbox, token, options)
    }

    fn passed<'a>(
        mailbox: &str,
        server: &str,
        done: &'a Authenticated,
    ) -> (String, Stage, &'a Reply) {
        (
            format!("{server} accepted the OAuth sign-in of {mailbox} for SMTP (AUTH XOAUTH2)."),
            Stage::Auth,
            &done.reply,
        )
    }

    /// The reply's code, enhanced status code, text and whole line.
    fn reply_evidence(reply: Option<&Reply>) -> Vec<(&'static str, Value)> {
        vec![
            ("code", json!(reply.map(|r| r.code))),
            ("enhanced_status", json!(reply.and_then(|r| r.enhanced()))),
            ("text", json!(reply.map(Reply::text))),
            ("reply", json!(reply.map(|r| r.to_string()))),
        ]
    }

    /// The failing result for a probe that ended in a verdict.
    fn refused(
        cloud: Cloud,
        mailbox: &str,
        server: &str,
        error: &ProbeError,
        evidence: Value,
    ) -> CheckResult {
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
        let result = fail(CheckId::SmtpAuth, cause, message, evidence);
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
}

/// Exchange admin center > Settings > Mail flow (the organisation's SMTP AUTH switch).
fn exchange_mail_flow_settings(cloud: Cloud) -> Option<String> {
    match cloud {
        Cloud::Global => Some("https://admin.exchange.microsoft.com/#/settings".into()),
        Cloud::Usgov | Cloud::China => None,
    }
}
