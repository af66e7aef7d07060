//! The body of every Graph write the core makes, as a typed struct the request itself
//! serialises: the registration's create (upsert) and `PATCH` ([`ApplicationBody`]),
//! `addPassword` ([`AddPassword`]) and `removePassword` ([`RemovePassword`]), the enterprise
//! application ([`NewServicePrincipal`]), the delegated admin-consent grant and its scope
//! ([`NewPermissionGrant`], [`GrantScope`]), an application permission ([`NewAppRoleAssignment`])
//! and the test message (`POST /me/sendMail`, [`SendMail`]).
//!
//! Property names are Graph's (camelCase); a property Graph must not see (a `PATCH` leaves it
//! as it is) is an `Option` skipped when `None`. Fields are declared in alphabetical order of
//! their JSON names, so each body goes out with its keys sorted. Every type implements
//! [`RequestBody`], whose fully populated sample the conformance test walks against Graph's
//! published metadata (`graph::request_templates`, `tests/graph_requests.rs`): each property must
//! exist on the entity or complex type (or the bound action's parameters) with a compatible type.
//!
//! What to write is decided by [`crate::fix`] and the checks; sending it is [`super::write`].

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

use super::applications;
use super::permission_ids::{GRAPH_APP_ID, PermissionKind};

/// A Graph request body.
pub trait RequestBody: Serialize {
    /// An instance with every optional property present and every list non-empty, so that
    /// serialising it shows every property (nested ones included) the type can send. Used by the
    /// conformance test against Graph's metadata, never sent.
    fn fully_populated() -> Self
    where
        Self: Sized;
}

/// A Graph timestamp as the writes send it: UTC, whole seconds, `Z`.
pub fn graph_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn serialize_graph_time<S: Serializer>(time: &DateTime<Utc>, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(&graph_time(*time))
}

/// An `application`'s properties as a repair writes them: every property when it creates the
/// registration (`PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing`), only
/// what changes when it updates one (`PATCH /applications/{id}`). `None` leaves a property as it
/// is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationBody {
    /// `api`: the token version (personal accounts need v2 tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiApplication>,
    /// `displayName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `keyCredentials`: the certificates. Graph replaces the whole list, so it is sent whole
    /// (the ones kept named by `keyId`, with their `key` when it was read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_credentials: Option<Vec<KeyCredentialBody>>,
    /// `publicClient`: the mobile and desktop platform's redirect URIs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_client: Option<RedirectUris>,
    /// `requiredResourceAccess`: Graph replaces the whole list, so it is sent whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_resource_access: Option<Vec<RequiredResourceAccess>>,
    /// `signInAudience` (`AzureADMyOrg`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_audience: Option<String>,
    /// `spa`: the single-page application platform's redirect URIs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spa: Option<RedirectUris>,
    /// `web`: the Web platform's redirect URIs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<RedirectUris>,
}

impl RequestBody for ApplicationBody {
    fn fully_populated() -> Self {
        let uris = |uri: &str| {
            Some(RedirectUris {
                redirect_uris: vec![uri.to_owned()],
            })
        };
        ApplicationBody {
            api: Some(ApiApplication::v2_tokens()),
            display_name: Some("Outlook calendar sync".into()),
            key_credentials: Some(vec![KeyCredentialBody::fully_populated()]),
            public_client: uris("http://localhost"),
            required_resource_access: Some(vec![RequiredResourceAccess::graph([
                (
                    PermissionKind::Scope,
                    "1ec239c2-d7c9-4623-a91a-a9775856bb36",
                ),
                (PermissionKind::Role, "798ee544-9d2d-430c-a058-570e29e34338"),
            ])]),
            sign_in_audience: Some("AzureADMyOrg".into()),
            spa: uris("https://intranet.contoso.com/spa"),
            web: uris("https://intranet.contoso.com/oauth2/callback"),
        }
    }
}

/// One certificate of an application's `keyCredentials` as a repair writes it: a new one with its
/// `key` (the certificate's DER in base64) and validity, or one kept, named by its `keyId`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyCredentialBody {
    /// `displayName` (the certificate's subject when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `endDateTime`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_optional_graph_time"
    )]
    pub end_date_time: Option<DateTime<Utc>>,
    /// `key`: the certificate (public) in base64 DER.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `keyId`.
    pub key_id: String,
    /// `startDateTime`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_optional_graph_time"
    )]
    pub start_date_time: Option<DateTime<Utc>>,
    /// `type`: `AsymmetricX509Cert`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `usage`: `Verify` (the app signs in with it).
    pub usage: String,
}

fn serialize_optional_graph_time<S: Serializer>(
    time: &Option<DateTime<Utc>>,
    out: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serialize_graph_time(time, out),
        None => out.serialize_none(),
    }
}

impl KeyCredentialBody {
    /// The `type` of a certificate.
    pub const CERTIFICATE: &'static str = "AsymmetricX509Cert";
    /// The `usage` of a credential an app signs in with.
    pub const VERIFY: &'static str = "Verify";
}

impl RequestBody for KeyCredentialBody {
    fn fully_populated() -> Self {
        let at = |year| {
            DateTime::parse_from_rfc3339(&format!("{year}-01-02T03:04:05Z"))
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default()
        };
        KeyCredentialBody {
            display_name: Some("CN=Outlook calendar sync".into()),
            end_date_time: Some(at(2027)),
            key: Some("MIIC".into()),
            key_id: "d3c3a8a4-9d1e-4a57-8a0c-6b7c5c1e2f3a".into(),
            start_date_time: Some(at(2026)),
            kind: KeyCredentialBody::CERTIFICATE.into(),
            usage: KeyCredentialBody::VERIFY.into(),
        }
    }
}

/// An application's `api` (Graph's `apiApplication`), as far as the repairs set it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiApplication {
    /// `requestedAccessTokenVersion`: `2` for v2 access tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_access_token_version: Option<i32>,
}

impl ApiApplication {
    /// `{"requestedAccessTokenVersion": 2}`.
    pub fn v2_tokens() -> Self {
        ApiApplication {
            requested_access_token_version: Some(2),
        }
    }
}

/// One platform's redirect URIs (Graph's `webApplication`, `spaApplication` and
/// `publicClientApplication`, as far as the repairs set them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectUris {
    /// `redirectUris`: the platform's whole list.
    pub redirect_uris: Vec<String>,
}

/// The permissions asked for on one resource (Graph's `requiredResourceAccess`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredResourceAccess {
    /// `resourceAccess`: the permissions.
    pub resource_access: Vec<ResourceAccess>,
    /// `resourceAppId`: the resource's app ID.
    pub resource_app_id: String,
}

impl RequiredResourceAccess {
    /// The Microsoft Graph entry asking for `permissions` (kind and GUID).
    pub fn graph<'a>(permissions: impl IntoIterator<Item = (PermissionKind, &'a str)>) -> Self {
        RequiredResourceAccess::of(GRAPH_APP_ID, permissions)
    }

    /// The entry of the resource `resource_app_id` asking for `permissions` (kind and GUID).
    pub fn of<'a>(
        resource_app_id: &str,
        permissions: impl IntoIterator<Item = (PermissionKind, &'a str)>,
    ) -> Self {
        RequiredResourceAccess {
            resource_access: permissions
                .into_iter()
                .map(|(kind, id)| ResourceAccess {
                    id: id.to_owned(),
                    kind,
                })
                .collect(),
            resource_app_id: resource_app_id.to_owned(),
        }
    }
}

impl From<&applications::RequiredResourceAccess> for RequiredResourceAccess {
    /// The entry as the registration has it, to send back whole.
    fn from(read: &applications::RequiredResourceAccess) -> Self {
        RequiredResourceAccess {
            resource_access: read
                .resource_access
                .iter()
                .map(|a| ResourceAccess {
                    id: a.id.clone(),
                    kind: a.kind,
                })
                .collect(),
            resource_app_id: read.resource_app_id.clone(),
        }
    }
}

/// One permission asked for (Graph's `resourceAccess`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceAccess {
    /// `id`: the permission's GUID.
    pub id: String,
    /// `type`: `Scope` (delegated) or `Role` (application).
    #[serde(rename = "type")]
    pub kind: PermissionKind,
}

/// The body of `POST /applications/{id}/addPassword`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddPassword {
    /// `passwordCredential`: the new secret's description and dates.
    pub password_credential: NewPasswordCredential,
}

impl RequestBody for AddPassword {
    fn fully_populated() -> Self {
        let start = DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default();
        AddPassword {
            password_credential: NewPasswordCredential {
                display_name: "entra-setup 2026-01-01".into(),
                end_date_time: start + chrono::Duration::days(180),
                start_date_time: start,
            },
        }
    }
}

/// A new client secret as `addPassword` takes it (Graph's `passwordCredential`; Graph makes the
/// value, the key ID and the hint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPasswordCredential {
    /// `displayName`: the description shown in the admin center.
    pub display_name: String,
    /// `endDateTime`: when it stops working (UTC, whole seconds).
    #[serde(serialize_with = "serialize_graph_time")]
    pub end_date_time: DateTime<Utc>,
    /// `startDateTime`: when it starts to work (UTC, whole seconds).
    #[serde(serialize_with = "serialize_graph_time")]
    pub start_date_time: DateTime<Utc>,
}

/// The body of `POST /applications/{id}/removePassword`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovePassword {
    /// `keyId`: the secret ID.
    pub key_id: String,
}

impl RequestBody for RemovePassword {
    fn fully_populated() -> Self {
        RemovePassword {
            key_id: "73c912d2-fd2d-42a0-b3ae-2e45d006b8bc".into(),
        }
    }
}

/// The body of `POST /servicePrincipals`: the app's enterprise application in this tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewServicePrincipal {
    /// `appId`: the application (client) ID.
    pub app_id: String,
}

impl RequestBody for NewServicePrincipal {
    fn fully_populated() -> Self {
        NewServicePrincipal {
            app_id: "39858ac9-87e5-484a-b50d-db427325848e".into(),
        }
    }
}

/// The body of `POST /oauth2PermissionGrants`: a delegated permission grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPermissionGrant {
    /// `clientId`: the client service principal's object ID.
    pub client_id: String,
    /// `consentType`: `AllPrincipals` for admin consent on behalf of everyone.
    pub consent_type: String,
    /// `resourceId`: the resource service principal's object ID.
    pub resource_id: String,
    /// `scope`: the granted scopes, space-separated.
    pub scope: String,
}

impl NewPermissionGrant {
    /// Admin consent (`AllPrincipals`) for `scope` of the resource.
    pub fn admin_consent(client_sp_id: &str, resource_sp_id: &str, scope: &str) -> Self {
        NewPermissionGrant {
            client_id: client_sp_id.to_owned(),
            consent_type: super::grants::ALL_PRINCIPALS.to_owned(),
            resource_id: resource_sp_id.to_owned(),
            scope: scope.to_owned(),
        }
    }
}

impl RequestBody for NewPermissionGrant {
    fn fully_populated() -> Self {
        NewPermissionGrant::admin_consent(
            "043293df-9b19-46aa-962f-65f957d7bcc8",
            "b2ad3f8e-4f57-4b69-a7a8-7d5b5e0f3c6a",
            "Calendars.ReadWrite offline_access User.Read",
        )
    }
}

/// The body of `PATCH /oauth2PermissionGrants/{id}`: the grant's scopes become `scope`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantScope {
    /// `scope`: every granted scope, space-separated.
    pub scope: String,
}

impl RequestBody for GrantScope {
    fn fully_populated() -> Self {
        GrantScope {
            scope: "Mail.Send offline_access".into(),
        }
    }
}

/// The body of `POST /servicePrincipals/{resourceSpId}/appRoleAssignedTo`: an application
/// permission granted to a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAppRoleAssignment {
    /// `appRoleId`: the app role's GUID.
    pub app_role_id: String,
    /// `principalId`: the client service principal's object ID.
    pub principal_id: String,
    /// `resourceId`: the resource service principal's object ID.
    pub resource_id: String,
}

impl RequestBody for NewAppRoleAssignment {
    fn fully_populated() -> Self {
        NewAppRoleAssignment {
            app_role_id: "798ee544-9d2d-430c-a058-570e29e34338".into(),
            principal_id: "043293df-9b19-46aa-962f-65f957d7bcc8".into(),
            resource_id: "b2ad3f8e-4f57-4b69-a7a8-7d5b5e0f3c6a".into(),
        }
    }
}

/// The body of `PATCH /servicePrincipals/{id}` that makes the enterprise application let only
/// assigned users and groups sign in (the admin center's "Assignment required?").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentRequired {
    /// `appRoleAssignmentRequired`.
    pub app_role_assignment_required: bool,
}

impl RequestBody for AssignmentRequired {
    fn fully_populated() -> Self {
        AssignmentRequired {
            app_role_assignment_required: true,
        }
    }
}

/// The body of `POST /servicePrincipals/{id}/appRoleAssignedTo` that assigns a user to the
/// enterprise application (default access: the all-zero app role).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUserAssignment {
    /// `appRoleId`: the default access role, `00000000-0000-0000-0000-000000000000`.
    pub app_role_id: String,
    /// `principalId`: the user's object ID.
    pub principal_id: String,
    /// `resourceId`: the enterprise application's object ID.
    pub resource_id: String,
}

/// The app role of default access, for an app that defines none.
pub const DEFAULT_ACCESS_ROLE: &str = "00000000-0000-0000-0000-000000000000";

impl RequestBody for NewUserAssignment {
    fn fully_populated() -> Self {
        NewUserAssignment {
            app_role_id: DEFAULT_ACCESS_ROLE.into(),
            principal_id: "aaaaaaaa-0000-0000-0000-000000000001".into(),
            resource_id: "043293df-9b19-46aa-962f-65f957d7bcc8".into(),
        }
    }
}

/// The body of `POST /me/sendMail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendMail {
    /// `message`: what to send.
    pub message: Message,
    /// `saveToSentItems`: whether a copy stays in Sent Items.
    pub save_to_sent_items: bool,
}

impl RequestBody for SendMail {
    fn fully_populated() -> Self {
        SendMail {
            message: Message {
                body: ItemBody {
                    content: "This is a test message.".into(),
                    content_type: BodyType::Text,
                },
                subject: "Test message".into(),
                to_recipients: vec![Recipient::address("adele@contoso.com")],
            },
            save_to_sent_items: false,
        }
    }
}

/// A mail message, as far as the test message sets it (Graph's `message`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// `body`: the text.
    pub body: ItemBody,
    /// `subject`.
    pub subject: String,
    /// `toRecipients`.
    pub to_recipients: Vec<Recipient>,
}

/// A message's body (Graph's `itemBody`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemBody {
    /// `content`: the text itself.
    pub content: String,
    /// `contentType`: text or HTML.
    pub content_type: BodyType,
}

/// How a message's body is written (Graph's `bodyType`, whose values Graph reads in any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyType {
    /// Plain text.
    Text,
    /// HTML.
    #[serde(rename = "HTML")]
    Html,
}

/// One recipient (Graph's `recipient`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// `emailAddress`.
    pub email_address: EmailAddress,
}

impl Recipient {
    /// A recipient by address alone.
    pub fn address(address: &str) -> Self {
        Recipient {
            email_address: EmailAddress {
                address: address.to_owned(),
            },
        }
    }
}

/// An e-mail address (Graph's `emailAddress`), as far as the test message sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailAddress {
    /// `address`.
    pub address: String,
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// Every optional property present, every list non-empty, no `null`.
    fn assert_fully_populated(value: &Value, at: &str) {
        match value {
            Value::Null => panic!("{at} is null"),
            Value::Array(items) => {
                assert!(!items.is_empty(), "{at} is an empty list");
                for item in items {
                    assert_fully_populated(item, &format!("{at}[]"));
                }
            }
            Value::Object(members) => {
                assert!(!members.is_empty(), "{at} is an empty object");
                for (name, member) in members {
                    assert_fully_populated(member, &format!("{at}.{name}"));
                }
            }
            _ => {}
        }
    }

    fn sample<B: RequestBody>() -> Value {
        serde_json::to_value(B::fully_populated()).expect("a body serialises")
    }

    #[test]
    fn samples_show_every_property() {
        for (name, body) in [
            ("ApplicationBody", sample::<ApplicationBody>()),
            ("AddPassword", sample::<AddPassword>()),
            ("RemovePassword", sample::<RemovePassword>()),
            ("NewServicePrincipal", sample::<NewServicePrincipal>()),
            ("NewPermissionGrant", sample::<NewPermissionGrant>()),
            ("GrantScope", sample::<GrantScope>()),
            ("NewAppRoleAssignment", sample::<NewAppRoleAssignment>()),
            ("SendMail", sample::<SendMail>()),
        ] {
            assert_fully_populated(&body, name);
        }
        assert_eq!(
            sample::<ApplicationBody>().as_object().map(|o| o.len()),
            Some(8),
            "every property of ApplicationBody"
        );
    }

    #[test]
    fn an_empty_patch_sends_nothing() {
        assert_eq!(
            serde_json::to_string(&ApplicationBody::default()).expect("json"),
            "{}"
        );
        let patch = ApplicationBody {
            sign_in_audience: Some("AzureADMyOrg".into()),
            api: Some(ApiApplication::v2_tokens()),
            ..ApplicationBody::default()
        };
        assert_eq!(
            serde_json::to_string(&patch).expect("json"),
            r#"{"api":{"requestedAccessTokenVersion":2},"signInAudience":"AzureADMyOrg"}"#
        );
    }

    #[test]
    fn bodies_are_the_json_graph_documents() {
        // The shapes of reference/microsoft-wire.md §4.3, keys sorted.
        let start = DateTime::parse_from_rfc3339("2027-01-02T03:04:05.678Z")
            .expect("time")
            .with_timezone(&Utc);
        let add = AddPassword {
            password_credential: NewPasswordCredential {
                display_name: "wizard".into(),
                start_date_time: start,
                end_date_time: start + chrono::Duration::days(2),
            },
        };
        assert_eq!(
            serde_json::to_string(&add).expect("json"),
            r#"{"passwordCredential":{"displayName":"wizard","endDateTime":"2027-01-04T03:04:05Z","startDateTime":"2027-01-02T03:04:05Z"}}"#
        );
        let grant = NewPermissionGrant::admin_consent("c", "r", "User.Read");
        assert_eq!(
            serde_json::to_value(&grant).expect("json"),
            json!({"clientId": "c", "consentType": "AllPrincipals", "resourceId": "r", "scope": "User.Read"})
        );
        let access = RequiredResourceAccess::graph([(PermissionKind::Scope, "x")]);
        assert_eq!(
            serde_json::to_string(&access).expect("json"),
            r#"{"resourceAccess":[{"id":"x","type":"Scope"}],"resourceAppId":"00000003-0000-0000-c000-000000000000"}"#
        );
        assert_eq!(
            serde_json::to_string(&SendMail::fully_populated()).expect("json"),
            r#"{"message":{"body":{"content":"This is a test message.","contentType":"Text"},"subject":"Test message","toRecipients":[{"emailAddress":{"address":"adele@contoso.com"}}]},"saveToSentItems":false}"#
        );
    }

    #[test]
    fn graph_times_are_utc_seconds() {
        let time = DateTime::parse_from_rfc3339("2027-01-02T03:04:05.678+00:00")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(graph_time(time), "2027-01-02T03:04:05Z");
    }
}
