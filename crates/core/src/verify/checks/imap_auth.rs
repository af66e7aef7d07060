//! `imap_auth`: Exchange Online lets the mailbox owner's OAuth token into the mailbox over IMAP
//! (`AUTHENTICATE XOAUTH2` over TLS on port 993, then the inbox opened read-only), as a product
//! that reads mail will use it. The probe reads no message. Exchange's answers tell a token it
//! refuses from a mailbox it will not open over IMAP (IMAP turned off for the mailbox); the fix
//! names the exact PowerShell for the real mailbox.

use serde_json::{Value, json};

use super::mail_probe::{self, MailCheck, m365_active_users};
use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::{Cloud, ImapEndpoint};
use crate::imap::{self, Authenticated, ProbeError, ProbeOptions, Response, Stage};
use crate::secret::Secret;
use crate::verify::outcome::fail;
use crate::verify::{CheckResult, Context, Inputs};

/// The check as the engine runs it: skipped without a mailbox, without the mailbox owner's
/// Outlook token or without an IMAP endpoint; otherwise the probe.
pub async fn check(ctx: &Context, inputs: &Inputs) -> CheckResult {
    mail_probe::check::<ImapAuth>(ctx, inputs).await
}

/// IMAP as a mail sign-in check.
struct ImapAuth;

impl MailCheck for ImapAuth {
    const ID: CheckId = CheckId::ImapAuth;
    const PROTOCOL: &'static str = "IMAP";
    const PROBE: &'static str = "The IMAP probe";
    const PERMISSION: &'static str = "IMAP.AccessAsUser.All";
    const ENDPOINT_KEY: &'static str = "imap";

    type Endpoint = ImapEndpoint;
    type Stage = Stage;
    type Reply = Response;
    type Authenticated = Authenticated;

    fn endpoint(ctx: &Context) -> Option<&ImapEndpoint> {
        ctx.endpoints.imap.as_ref()
    }

    fn server(endpoint: &ImapEndpoint) -> String {
        format!("{}:{}", endpoint.host, endpoint.port)
    }

    fn probe(
        endpoint: &ImapEndpoint,
        mailbox: &str,
        token: &Secret,
        options: &ProbeOptions,
    ) -> impl Future<Output = Result<Authenticated, ProbeError>> + Send {
        imap::probe(endpoint, mailbox, token, options)
    }

    /// The evidence of a success shows the sign-in (`AUTHENTICATE`'s answer) at the stage where
    /// the mailbox opened.
    fn passed<'a>(
        mailbox: &str,
        server: &str,
        done: &'a Authenticated,
    ) -> (String, Stage, &'a Response) {
        (
            format!(
                "{server} accepted the OAuth sign-in of {mailbox} for IMAP (AUTHENTICATE XOAUTH2) and opened its inbox."
            ),
            Stage::Examine,
            &done.reply,
        )
    }

    /// The response's text and whole line.
    fn reply_evidence(reply: Option<&Response>) -> Vec<(&'static str, Value)> {
        vec![
            ("text", json!(reply.map(|r| r.text.clone()))),
            ("reply", json!(reply.map(ToString::to_string))),
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
        let result = fail(CheckId::ImapAuth, cause, message, evidence);
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
}
