//! Mailbox calls: `sendMail` (202; 404 MailboxNotEnabledForRESTAPI for an unlicensed user or one with no
//! mailbox) and the calendar (`calendar`, `calendar/events`, `events`) — app-only tokens need
//! `Calendars.Read` (or ReadWrite) in `roles`, delegated ones `Calendars.*` in `scp`.
//!
//! Events come from the scenario's `users[].calendar_events`, in Graph's `event` shape (start and end as
//! `dateTimeTimeZone` in UTC), paged the Outlook way (`$top`, default 10, and `$skip`).
//!
//! App-only calls are also subject to the tenant's Exchange application access policies
//! (reference/microsoft-wire.md §6): a mailbox a policy keeps the app out of answers 403
//! `ErrorAccessDenied` "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly
//! AccessPolicy settings." Delegated calls are not affected.

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE;
use serde_json::{Value, json};

use super::{Call, CallerKind, Paging};
use crate::errors::{GraphError, graph_empty};
use crate::scenario::CalendarEventSpec;
use crate::state::{SentMail, User};

/// The message of Exchange's 403 when an application access policy blocks an app-only call (§6).
pub const RAOP_MESSAGE: &str = "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.";

fn access_denied(call: &Call<'_>) -> GraphError {
    call.error(
        StatusCode::FORBIDDEN,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
    )
}

fn check_mailbox(call: &Call<'_>, user: &User) -> Result<(), GraphError> {
    if user.has_rest_mailbox() {
        Ok(())
    } else {
        Err(call.error(
            StatusCode::NOT_FOUND,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        ))
    }
}

/// 403 ErrorAccessDenied [RAOP] when an application access policy keeps this app-only caller out of the
/// mailbox.
fn check_access_policy(call: &Call<'_>, user: &User) -> Result<(), GraphError> {
    if !matches!(call.caller.kind, CallerKind::App { .. }) {
        return Ok(());
    }
    let denied = call.shared.directory().tenants[call.caller.tenant]
        .access_policy_denies(&call.caller.app_id, &user.upn);
    if denied {
        Err(call.error(StatusCode::FORBIDDEN, "ErrorAccessDenied", RAOP_MESSAGE))
    } else {
        Ok(())
    }
}

fn is_self(call: &Call<'_>, user: &User) -> bool {
    call.caller.user_id() == Some(user.id.as_str())
}

fn addresses(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|r| r.pointer("/emailAddress/address").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `POST /me/sendMail`, `POST /users/{id|upn}/sendMail`.
pub fn send_mail(call: &Call<'_>, user: &User) -> Result<Response, GraphError> {
    let allowed = if is_self(call, user) {
        call.caller.has_any(&["Mail.Send"], &[])
    } else {
        call.caller.has_any(&["Mail.Send.Shared"], &["Mail.Send"])
    };
    if !allowed {
        return Err(access_denied(call));
    }
    check_mailbox(call, user)?;
    check_access_policy(call, user)?;
    let body = call.json_body()?;
    let Some(message) = body
        .get("message")
        .or_else(|| body.get("Message"))
        .and_then(Value::as_object)
    else {
        return Err(call.error(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidParameter",
            "The value of the parameter 'Message' is empty.",
        ));
    };
    let mut to = addresses(message.get("toRecipients"));
    to.extend(addresses(message.get("ccRecipients")));
    to.extend(addresses(message.get("bccRecipients")));
    if to.is_empty() {
        return Err(call.error(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRecipients",
            "At least one recipient is required, but none were found.",
        ));
    }
    let subject = message
        .get("subject")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    call.shared.directory().sent_mail.push(SentMail {
        via: "graph".to_owned(),
        from: user.upn.clone(),
        to,
        subject,
    });
    Ok(graph_empty(&call.ids, StatusCode::ACCEPTED))
}

fn require_calendar(call: &Call<'_>, user: &User) -> Result<(), GraphError> {
    let allowed = if is_self(call, user) {
        call.caller.has_any(
            &[
                "Calendars.Read",
                "Calendars.ReadWrite",
                "Calendars.Read.Shared",
                "Calendars.ReadWrite.Shared",
            ],
            &[],
        )
    } else {
        call.caller.has_any(
            &["Calendars.Read.Shared", "Calendars.ReadWrite.Shared"],
            &["Calendars.Read", "Calendars.ReadWrite"],
        )
    };
    if !allowed {
        return Err(access_denied(call));
    }
    check_mailbox(call, user)?;
    check_access_policy(call, user)
}

/// `GET /users/{id}/calendar`.
pub fn calendar(call: &Call<'_>, user: &User) -> Result<Response, GraphError> {
    require_calendar(call, user)?;
    let object = json!({
        "id": format!("AAMkAD{}", user.id.replace('-', "")),
        "name": "Calendar",
        "color": "auto",
        "hexColor": "",
        "isDefaultCalendar": true,
        "changeKey": "",
        "canShare": true,
        "canViewPrivateItems": true,
        "canEdit": true,
        "allowedOnlineMeetingProviders": ["teamsForBusiness"],
        "defaultOnlineMeetingProvider": "teamsForBusiness",
        "isTallyingResponses": true,
        "isRemovable": false,
        "owner": {"name": user.display_name, "address": user.upn},
    });
    call.entity(
        StatusCode::OK,
        &format!(
            "users{}/calendar/$entity",
            super::users::context_key(call, user)
        ),
        "calendar",
        object,
    )
}

/// `GET /users/{id}/calendar/events` and `/users/{id}/events`: the scenario's `calendar_events`.
pub fn events(call: &Call<'_>, user: &User) -> Result<Response, GraphError> {
    require_calendar(call, user)?;
    let items = user
        .calendar_events
        .iter()
        .enumerate()
        .map(|(index, event)| event_json(user, index, event))
        .collect();
    let key = super::users::context_key(call, user);
    let context = if call.segments.iter().any(|s| s == "calendar") {
        format!("users{key}/calendar/events")
    } else {
        format!("users{key}/events")
    };
    call.collection_paged(&context, "event", items, Paging::Outlook)
}

/// Graph's `dateTimeTimeZone` for a UTC instant (`2026-05-04T09:00:00.0000000`, `UTC`).
fn date_time_time_zone(time: &chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "dateTime": format!(
            "{}.{:07}",
            time.format("%Y-%m-%dT%H:%M:%S"),
            time.timestamp_subsec_nanos() / 100
        ),
        "timeZone": "UTC",
    })
}

/// The Graph JSON of one event, with the properties Outlook returns by default.
fn event_json(user: &User, index: usize, event: &CalendarEventSpec) -> Value {
    let seed = format!("{}/event/{index}", user.id);
    let id = format!("AAMkAD{}", URL_SAFE.encode(seed.as_bytes()));
    let change_key = URL_SAFE.encode(format!("{seed}/v1").as_bytes());
    let uid = seed.bytes().map(|b| format!("{b:02X}")).collect::<String>();
    let created = super::graph_time(&(event.start - chrono::Duration::days(7)));
    json!({
        "@odata.etag": format!("W/\"{change_key}\""),
        "id": id,
        "createdDateTime": created,
        "lastModifiedDateTime": created,
        "changeKey": change_key,
        "categories": [],
        "transactionId": null,
        "originalStartTimeZone": "UTC",
        "originalEndTimeZone": "UTC",
        "iCalUId": format!("040000008200E00074C5B7101A82E008{uid}"),
        "reminderMinutesBeforeStart": 15,
        "isReminderOn": true,
        "hasAttachments": false,
        "subject": event.subject,
        "bodyPreview": "",
        "importance": "normal",
        "sensitivity": "normal",
        "isAllDay": false,
        "isCancelled": false,
        "isOrganizer": true,
        "responseRequested": true,
        "seriesMasterId": null,
        "showAs": "busy",
        "type": "singleInstance",
        "webLink": format!("https://outlook.office365.com/owa/?itemid={}&exvsurl=1&path=/calendar/item", id.replace('=', "%3D")),
        "onlineMeetingUrl": null,
        "isOnlineMeeting": false,
        "onlineMeetingProvider": "unknown",
        "allowNewTimeProposals": true,
        "isDraft": false,
        "hideAttendees": false,
        "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
        "body": {"contentType": "html", "content": ""},
        "start": date_time_time_zone(&event.start),
        "end": date_time_time_zone(&event.end),
        "location": {"displayName": "", "locationType": "default", "uniqueIdType": "unknown", "address": {}, "coordinates": {}},
        "locations": [],
        "recurrence": null,
        "attendees": [],
        "organizer": {"emailAddress": {"name": user.display_name, "address": user.upn}},
        "onlineMeeting": null,
    })
}
