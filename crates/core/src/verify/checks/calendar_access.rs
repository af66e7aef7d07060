//! `calendar_access`: the app reads one event of a mailbox's calendar with its own token, as a
//! calendar connector does. Graph's answer tells a missing permission, an Exchange application
//! access policy that excludes the mailbox (RAOP), and a mailbox that does not exist or has no
//! Exchange Online licence.

use serde_json::json;

use crate::check::CheckId;
use crate::graph::{self, GraphError};
use crate::identity::AppToken;
use crate::verify::outcome::{fail, pass, unverified};
use crate::verify::{CheckResult, Context};

/// A page of events (only its length is used).
#[derive(serde::Deserialize)]
struct EventsPage {
    value: Vec<serde_json::Value>,
}

/// Read the mailbox's calendar as the app.
pub async fn run(ctx: &Context, token: &AppToken, mailbox: &str) -> CheckResult {
    let path = ["users", mailbox, "calendar", "events"];
    let select = graph::CALENDAR_EVENTS_SELECT.join(",");
    let query = [("$top", "1"), ("$select", select.as_str())];
    let answer = match graph::get(
        &ctx.http,
        &ctx.endpoints,
        &token.access_token,
        &path,
        &query,
        "calendar read",
    )
    .await
    {
        Ok(answer) => answer,
        Err(fault) => return unverified(CheckId::CalendarAccess, &fault),
    };
    let status = answer.status.as_u16();
    if answer.status.is_success() {
        // A success counts only with a whole answer: a truncated one means the connection broke.
        let page: EventsPage = match answer.json("calendar read") {
            Ok(page) => page,
            Err(fault) => return unverified(CheckId::CalendarAccess, &fault),
        };
        return pass(
            CheckId::CalendarAccess,
            format!("The app can read the calendar of {mailbox} with its own token."),
            json!({ "mailbox": mailbox, "status": status, "events_seen": page.value.len() }),
        );
    }
    match GraphError::parse(&answer.body) {
        Some(error) => {
            let cause = error.cause_for_app(status);
            let message = match cause {
                crate::cause::Cause::MailboxAccessPolicyDenied => format!(
                    "An Exchange application access policy keeps the app out of {mailbox}'s calendar ({}).",
                    error.code
                ),
                crate::cause::Cause::MailboxUnavailable => {
                    format!(
                        "{mailbox} has no Exchange Online mailbox the app can use ({}).",
                        error.code
                    )
                }
                crate::cause::Cause::ObjectNotFound => {
                    format!("There is no user or mailbox {mailbox} ({}).", error.code)
                }
                _ => format!(
                    "Graph refused to let the app read {mailbox}'s calendar ({} {}).",
                    status, error.code
                ),
            };
            fail(CheckId::CalendarAccess, cause, message, error.evidence())
        }
        None => unverified(
            CheckId::CalendarAccess,
            &crate::http::Unavailable {
                cause: crate::cause::Cause::NetworkError,
                detail: format!("calendar read: Graph answered {status} without an error body"),
                retry_after: None,
            },
        ),
    }
}
