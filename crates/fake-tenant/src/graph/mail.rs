//! Mailbox calls: `sendMail` (202; 404 MailboxNotEnabledForRESTAPI for an unlicensed user or one with no
//! mailbox) and the calendar (`calendar`, `calendar/events`, `events`) — app-only tokens need
//! `Calendars.Read` (or ReadWrite) in `roles`, delegated ones `Calendars.*` in `scp`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::Call;
use crate::errors::{GraphError, graph_empty};
use crate::state::{SentMail, User};

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
    check_mailbox(call, user)
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
        &format!("users('{}')/calendar/$entity", user.upn),
        "calendar",
        object,
    )
}

/// `GET /users/{id}/calendar/events` and `/users/{id}/events` (the scenario holds no events: an empty page).
pub fn events(call: &Call<'_>, user: &User) -> Result<Response, GraphError> {
    require_calendar(call, user)?;
    call.collection(
        &format!("users('{}')/events", user.upn),
        "event",
        Vec::new(),
    )
}
