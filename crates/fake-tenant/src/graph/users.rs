//! `/v1.0/users/{id|upn}` and `/v1.0/me`: the user, `licenseDetails` (real Exchange Online service plans),
//! and the mailbox paths handed to [`super::mail`] (`sendMail`, `calendar`, `calendar/events`, `events`).
//!
//! A user's `givenName` and `surname` come from a display name of two or more words (first word, last
//! word); otherwise they are null, as for a user created with a display name only. The contexts of the
//! paths under a user name the user as the request did (`users('ada%40contoso.com')/…`), and `/me` by
//! its ID, as Graph does.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Call, key_context, method_not_allowed, split_key};
use crate::errors::GraphError;
use crate::scenario::MailboxKind;
use crate::state::User;

/// Office 365 E3 and the service plans it carries (Exchange Online Plan 2 first).
const E3_SKU_ID: &str = "6fd2c87f-b296-42f0-b197-1e91e994b900";
const E3_PLANS: &[(&str, &str)] = &[
    (
        "efb87545-963c-4e0d-99df-69c6916d9eb0",
        "EXCHANGE_S_ENTERPRISE",
    ),
    (
        "5dbe027f-2339-4123-9542-606e4d348a72",
        "SHAREPOINTENTERPRISE",
    ),
    ("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1"),
];

/// The Graph JSON of a user (default property set).
pub fn to_json(user: &User) -> Value {
    let words: Vec<&str> = user.display_name.split_whitespace().collect();
    let (given, surname) = match words.as_slice() {
        [first, .., last] => (json!(first), json!(last)),
        _ => (Value::Null, Value::Null),
    };
    json!({
        "businessPhones": [],
        "displayName": user.display_name,
        "givenName": given,
        "jobTitle": null,
        "mail": if user.mailbox == MailboxKind::None { Value::Null } else { json!(user.upn) },
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": null,
        "surname": surname,
        "userPrincipalName": user.upn,
        "id": user.id,
    })
}

/// The user a `/users/{key}` or `/me` path names, and the index of the segment after it.
pub fn target(call: &Call<'_>) -> Result<(User, usize), GraphError> {
    let directory = call.shared.directory();
    let tenant = &directory.tenants[call.caller.tenant];
    let (name, inline) = split_key(&call.segments[0]);
    if name == "me" {
        let Some(user_id) = call.caller.user_id() else {
            return Err(call.error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "/me request is only valid with delegated authentication flow.",
            ));
        };
        let user = tenant
            .users
            .iter()
            .find(|u| u.id == user_id)
            .cloned()
            .ok_or_else(|| call.not_found(user_id))?;
        return Ok((user, 1));
    }
    let (key, next) = match inline {
        Some((_, key)) => (key, 1),
        None => match call.segments.get(1) {
            Some(key) => (key.clone(), 2),
            None => return Err(method_not_allowed(call)),
        },
    };
    let user = tenant
        .user_by_key(&key)
        .cloned()
        .ok_or_else(|| call.not_found(&key))?;
    Ok((user, next))
}

/// How the context of a path under a user names it: the key the request gave, percent-encoded
/// (`('ada%40contoso.com')`), or the signed-in user's ID for `/me`.
pub fn context_key(call: &Call<'_>, user: &User) -> String {
    let (name, inline) = split_key(&call.segments[0]);
    if name == "me" {
        return key_context(&(None, user.id.clone()));
    }
    match inline.or_else(|| call.segments.get(1).map(|key| (None, key.clone()))) {
        Some(key) => key_context(&key),
        None => key_context(&(None, user.id.clone())),
    }
}

/// Routes `/users/…` and `/me/…`.
pub fn route(call: &Call<'_>) -> Result<Response, GraphError> {
    if call.segments[0] == "users" && call.segments.len() == 1 {
        return list(call);
    }
    let (user, next) = target(call)?;
    let rest: Vec<&str> = call.segments[next..].iter().map(String::as_str).collect();
    match (rest.as_slice(), &call.method) {
        ([], &Method::GET) => get(call, &user),
        (["licenseDetails"], &Method::GET) => license_details(call, &user),
        (["sendMail"], &Method::POST) => super::mail::send_mail(call, &user),
        (["calendar"], &Method::GET) => super::mail::calendar(call, &user),
        (["calendar", "events"], &Method::GET) | (["events"], &Method::GET) => {
            super::mail::events(call, &user)
        }
        ([other, ..], _)
            if !["licenseDetails", "sendMail", "calendar", "events"].contains(other) =>
        {
            Err(call.unknown_segment(other))
        }
        _ => Err(method_not_allowed(call)),
    }
}

/// Who may read any user's profile, delegated or app-only.
const READ_USERS: &[&str] = &[
    "User.Read.All",
    "User.ReadBasic.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// Who may read any user's licences, delegated or app-only.
const READ_USER_LICENSES: &[&str] = &[
    "User.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// 403 unless the caller holds one of `any_user` (delegated or app-only), or is `user` signed in with
/// `User.Read` or `User.ReadWrite`.
fn require_self_or(call: &Call<'_>, user: &User, any_user: &[&str]) -> Result<(), GraphError> {
    let is_self = call.caller.user_id() == Some(user.id.as_str());
    if is_self && call.caller.has_any(&["User.Read", "User.ReadWrite"], &[]) {
        return Ok(());
    }
    call.require(any_user, any_user)
}

/// A user's JSON as the call asks for it: like Graph, properties outside the default set
/// (`accountEnabled`, `userType`) come only when `$select` is given.
fn selected_json(call: &Call<'_>, user: &User) -> Value {
    if call.param("$select").is_some() {
        let mut object = to_json(user);
        object["accountEnabled"] = json!(user.account_enabled);
        object["userType"] = json!("Member");
        object
    } else {
        to_json(user)
    }
}

fn list(call: &Call<'_>) -> Result<Response, GraphError> {
    call.read_tenant(READ_USERS, READ_USERS, |tenant| {
        let items = tenant
            .users
            .iter()
            .map(|user| selected_json(call, user))
            .collect();
        call.collection("users", "user", items)
    })
}

fn get(call: &Call<'_>, user: &User) -> Result<Response, GraphError> {
    require_self_or(call, user, READ_USERS)?;
    call.entity(
        StatusCode::OK,
        "users/$entity",
        "user",
        selected_json(call, user),
    )
}

fn license_details(call: &Call<'_>, user: &User) -> Result<Response, GraphError> {
    require_self_or(call, user, READ_USER_LICENSES)?;
    let items = if user.exchange_license {
        vec![json!({
            "id": format!("{}_{}", user.id, E3_SKU_ID),
            "skuId": E3_SKU_ID,
            "skuPartNumber": "ENTERPRISEPACK",
            "servicePlans": E3_PLANS.iter().map(|(id, name)| json!({
                "servicePlanId": id, "servicePlanName": name, "provisioningStatus": "Success", "appliesTo": "User"
            })).collect::<Vec<_>>(),
        })]
    } else {
        Vec::new()
    };
    call.collection(
        &format!("users{}/licenseDetails", context_key(call, user)),
        "licenseDetails",
        items,
    )
}
