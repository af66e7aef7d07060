//! `test_email`: Microsoft Graph accepts a short, clearly labelled test message from the mailbox
//! owner (`POST /me/sendMail` with their delegated `Mail.Send` token, not saved to Sent Items),
//! as the vendor guide's "send a test email" step. A product that sends as the application
//! (application `Mail.Send`, e.g. a Graph mailer scoped with RBAC for Applications to one
//! mailbox) is tested the same way with the app's own token from the mailbox it will send from
//! (`POST /users/{mailbox}/sendMail`): nobody signs in for it, and Exchange's refusal of a
//! mailbox outside the app's scope is told as such. Graph answers `202 Accepted`, which means
//! accepted for delivery, not delivered. Graph's error code tells a mailbox without an Exchange
//! Online licence (`MailboxNotEnabledForRESTAPI`), a token without `Mail.Send`
//! (`ErrorAccessDenied`) and a token Graph does not take.

use serde_json::json;

use crate::cause::Cause;
use crate::check::CheckId;
use crate::graph::bodies::{BodyType, ItemBody, Message, Recipient, SendMail};
use crate::graph::{self, GraphError};
use crate::http::Unavailable;
use crate::identity::AppToken;
use crate::profile::Profile;
use crate::secret::Secret;
use crate::verify::outcome::{fail, pass, skipped, unverified};
use crate::verify::{CheckResult, Context, Inputs, SkipReason};

/// The test message's subject.
pub const SUBJECT: &str = "Entra Setup Wizard test message";

/// The check as the engine runs it: skipped without a recipient or without the mailbox owner's
/// Graph token; otherwise the test message.
pub async fn check(ctx: &Context, inputs: &Inputs) -> CheckResult {
    let Some(recipient) = inputs
        .test_recipient
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    else {
        return skipped(
            CheckId::TestEmail,
            SkipReason::MissingInput,
            "No recipient was given for the test email.",
        )
        .with_needs(&[crate::verify::Needed::TestRecipient]);
    };
    let Some(token) = inputs.sessions.mailbox_graph.as_ref() else {
        return skipped(
            CheckId::TestEmail,
            SkipReason::NeedsSignIn,
            match &inputs.sessions.mailbox_sign_in_failed {
                Some(why) => format!("The test email is sent as the mailbox owner, whose sign-in failed: {why}"),
                None => "The test email is sent as the mailbox owner, who must sign in to grant Mail.Send.".to_string(),
            },
        )
        .with_needs(&[crate::verify::Needed::MailboxOwnerSignIn]);
    };
    let mailbox = inputs
        .mailbox
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    run(ctx, token, recipient, mailbox).await
}

/// Whether `profile`'s product sends mail as the application (application `Mail.Send` on
/// Graph): its test email goes with the app's token, not the mailbox owner's.
pub fn sent_as_app(profile: &Profile) -> bool {
    profile
        .registration
        .permissions
        .application
        .iter()
        .any(|p| p == "Mail.Send")
}

/// The check for a product that sends as the application: skipped without a recipient or a
/// mailbox to send from; otherwise the test message with the app's `token` from that mailbox.
pub async fn check_as_app(ctx: &Context, inputs: &Inputs, token: &AppToken) -> CheckResult {
    let recipient = inputs
        .test_recipient
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let mailbox = inputs
        .mailbox
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    match (recipient, mailbox) {
        (None, _) => skipped(
            CheckId::TestEmail,
            SkipReason::MissingInput,
            "No recipient was given for the test email.",
        )
        .with_needs(&[crate::verify::Needed::TestRecipient]),
        (Some(_), None) => skipped(
            CheckId::TestEmail,
            SkipReason::MissingInput,
            "No mailbox was given for the application to send the test email from.",
        )
        .with_needs(&[crate::verify::Needed::Mailbox]),
        (Some(recipient), Some(mailbox)) => {
            send(ctx, &token.access_token, recipient, Sender::App { mailbox }).await
        }
    }
}

/// Send the test message to `recipient` as the signed-in mailbox owner (`mailbox`, when given,
/// only words the message).
pub async fn run(
    ctx: &Context,
    token: &Secret,
    recipient: &str,
    mailbox: Option<&str>,
) -> CheckResult {
    send(ctx, token, recipient, Sender::Owner { mailbox }).await
}

/// Who sends the test message.
#[derive(Clone, Copy)]
enum Sender<'a> {
    /// The signed-in mailbox owner (`/me`); `mailbox`, when given, only words the message.
    Owner { mailbox: Option<&'a str> },
    /// The application, from `mailbox` (`/users/{mailbox}`).
    App { mailbox: &'a str },
}

async fn send(ctx: &Context, token: &Secret, recipient: &str, from: Sender<'_>) -> CheckResult {
    let sent_at = ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (mailbox, as_app) = match from {
        Sender::Owner { mailbox } => (mailbox, false),
        Sender::App { mailbox } => (Some(mailbox), true),
    };
    let sender = mailbox.unwrap_or("the signed-in mailbox");
    let body = SendMail {
        message: Message {
            body: ItemBody {
                content: format!(
                    "This is a test message from {sender}, sent by Entra Setup Wizard's setup check at {sent_at} \
                     to confirm that Microsoft Graph accepts mail from this mailbox. No action is needed; you can delete it."
                ),
                content_type: BodyType::Text,
            },
            subject: SUBJECT.to_owned(),
            to_recipients: vec![Recipient::address(recipient)],
        },
        save_to_sent_items: false,
    };
    let path: &[&str] = match from {
        Sender::Owner { .. } => &["me", "sendMail"],
        Sender::App { mailbox } => &["users", mailbox, "sendMail"],
    };
    let answer = match graph::post(
        &ctx.http,
        &ctx.endpoints,
        token,
        path,
        &body,
        "test email (sendMail)",
    )
    .await
    {
        Ok(answer) => answer,
        Err(fault) => return unverified(CheckId::TestEmail, &fault),
    };
    let status = answer.status.as_u16();
    if answer.status.is_success() {
        let request_id = answer
            .headers
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        return pass(
            CheckId::TestEmail,
            format!(
                "Microsoft Graph accepted a test message from {sender} to {recipient} (\"{SUBJECT}\"); look for it in that inbox."
            ),
            json!({
                "recipient": recipient,
                "mailbox": mailbox,
                "sent_as": if as_app { "application" } else { "mailbox owner" },
                "subject": SUBJECT,
                "sent_at": sent_at,
                "status": status,
                "request_id": request_id,
            }),
        );
    }
    let Some(error) = GraphError::parse(&answer.body) else {
        return unverified(
            CheckId::TestEmail,
            &Unavailable {
                cause: Cause::NetworkError,
                detail: format!("test email: Graph answered {status} without an error body"),
                retry_after: None,
            },
        );
    };
    let cause = error.cause_for_app(status);
    let message = match cause {
        Cause::MailboxUnavailable => format!(
            "{sender} has no Exchange Online mailbox Graph can send from ({}); it needs a licence with Exchange Online.",
            error.code
        ),
        Cause::PermissionMissing if as_app => format!(
            "Graph refused to let the application send as {sender}: it has no Mail.Send application permission consented, or RBAC for Applications does not let it send from this mailbox ({status} {}).",
            error.code
        ),
        Cause::MailboxAccessPolicyDenied => format!(
            "Exchange keeps the application out of {sender}: an application access policy or RBAC for Applications scope does not include this mailbox ({status} {}).",
            error.code
        ),
        Cause::PermissionMissing => format!(
            "Graph refused to send as {sender}: the signed-in user's token may not send mail from it ({status} {}).",
            error.code
        ),
        Cause::ObjectNotFound => format!(
            "Graph found no mailbox or recipient to send the test message ({status} {}).",
            error.code
        ),
        _ => format!(
            "Graph refused the test message from {sender} to {recipient} ({status} {}).",
            error.code
        ),
    };
    let mut evidence = error.evidence();
    if let Some(fields) = evidence.as_object_mut() {
        fields.insert("status".into(), json!(status));
        fields.insert("recipient".into(), json!(recipient));
        fields.insert("mailbox".into(), json!(mailbox));
    }
    fail(CheckId::TestEmail, cause, message, evidence)
}
