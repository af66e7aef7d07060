//! The app registration: `GET /applications(appId='{appId}')` (or by the `uniqueName` a repair
//! created it under) with exactly the fields the checks
//! read — audience, redirect URIs per platform, required permissions, password credentials and
//! key credentials (certificates).
//! Writing the registration belongs to the repairs, not here.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::permission_ids::PermissionKind;
use super::read::{ReadError, Reader};

/// The properties [`application_by_app_id`] selects.
pub const APPLICATION_SELECT: &[&str] = &[
    "id",
    "appId",
    "displayName",
    "signInAudience",
    "web",
    "spa",
    "publicClient",
    "requiredResourceAccess",
    "passwordCredentials",
    "keyCredentials",
];

/// An application object, as far as the checks read it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// The object ID.
    pub id: String,
    /// The application (client) ID.
    pub app_id: String,
    /// The display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// `AzureADMyOrg`, `AzureADMultipleOrgs`, …
    #[serde(default)]
    pub sign_in_audience: Option<String>,
    /// The Web platform.
    #[serde(default)]
    pub web: Option<RedirectUris>,
    /// The single-page-application platform.
    #[serde(default)]
    pub spa: Option<RedirectUris>,
    /// The mobile and desktop platform.
    #[serde(default)]
    pub public_client: Option<RedirectUris>,
    /// The permissions the app asks for, per resource.
    #[serde(default)]
    pub required_resource_access: Vec<RequiredResourceAccess>,
    /// The client secrets (never their values).
    #[serde(default)]
    pub password_credentials: Vec<PasswordCredential>,
    /// The certificates (their public metadata; Graph shows no key unless asked by ID).
    #[serde(default)]
    pub key_credentials: Vec<KeyCredential>,
}

/// A certificate's metadata (`keyCredential`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyCredential {
    /// The key ID.
    pub key_id: String,
    /// The certificate's SHA-1 thumbprint (hex as Graph shows an uploaded certificate's, or
    /// base64).
    #[serde(default)]
    pub custom_key_identifier: Option<String>,
    /// Its name (the subject, unless one was given).
    #[serde(default)]
    pub display_name: Option<String>,
    /// The certificate (public) in base64 DER: Graph shows it only when a single application is
    /// read with `$select=keyCredentials`, and a repair rewriting the list sends it back.
    #[serde(default)]
    pub key: Option<String>,
    /// `AsymmetricX509Cert`, …
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// `Verify` for a credential the app signs in with.
    #[serde(default)]
    pub usage: Option<String>,
    /// When it starts to work.
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    /// When it stops working.
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
}

/// The redirect URIs of one platform.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectUris {
    /// The URIs.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

/// The permissions asked for on one resource.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredResourceAccess {
    /// The resource's app ID (`00000003-0000-0000-c000-000000000000` for Graph).
    pub resource_app_id: String,
    /// The permissions.
    #[serde(default)]
    pub resource_access: Vec<ResourceAccess>,
}

/// One permission asked for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResourceAccess {
    /// The permission GUID.
    pub id: String,
    /// `Scope` (delegated) or `Role` (application).
    #[serde(rename = "type")]
    pub kind: PermissionKind,
}

/// A client secret's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCredential {
    /// The secret ID.
    pub key_id: String,
    /// The description given when it was made.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The value's first three characters.
    #[serde(default)]
    pub hint: Option<String>,
    /// When it starts to work.
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    /// When it stops working.
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
}

impl Application {
    /// The Web redirect URIs.
    pub fn web_uris(&self) -> &[String] {
        self.web.as_ref().map_or(&[], |p| &p.redirect_uris)
    }

    /// The single-page-application redirect URIs.
    pub fn spa_uris(&self) -> &[String] {
        self.spa.as_ref().map_or(&[], |p| &p.redirect_uris)
    }

    /// The mobile and desktop redirect URIs.
    pub fn public_client_uris(&self) -> &[String] {
        self.public_client
            .as_ref()
            .map_or(&[], |p| &p.redirect_uris)
    }
}

/// `GET /applications(appId='{app_id}')`: 404 ([`ReadError::NotFound`]) when the tenant has no
/// registration with that ID (it may be another tenant's app).
pub async fn application_by_app_id(
    reader: &Reader<'_>,
    app_id: &str,
) -> Result<Application, ReadError> {
    let key = format!("applications(appId='{}')", app_id.replace('\'', "''"));
    reader
        .one(&[&key], APPLICATION_SELECT, &[], "app registration read")
        .await
}

/// `GET /applications(uniqueName='{unique_name}')`: the registration created by upsert under that
/// unique name; 404 when there is none (or it has not replicated yet).
pub async fn application_by_unique_name(
    reader: &Reader<'_>,
    unique_name: &str,
) -> Result<Application, ReadError> {
    let key = format!(
        "applications(uniqueName={})",
        super::odata_string(unique_name)
    );
    reader
        .one(&[&key], APPLICATION_SELECT, &[], "app registration read")
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_json() {
        let json = r#"{"@odata.context":"x","id":"c","appId":"b","displayName":"Intranet",
            "signInAudience":"AzureADMyOrg","web":{"redirectUris":["https://a/cb"],"implicitGrantSettings":{}},
            "spa":{"redirectUris":[]},"publicClient":{"redirectUris":[]},
            "requiredResourceAccess":[{"resourceAppId":"00000003-0000-0000-c000-000000000000",
              "resourceAccess":[{"id":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","type":"Scope"}]}],
            "passwordCredentials":[{"customKeyIdentifier":null,"displayName":"wizard","endDateTime":"2021-09-09T19:50:29.3086381Z",
              "hint":"Xy7","keyId":"d","secretText":null,"startDateTime":"2019-09-09T19:50:29.3086381Z"}]}"#;
        let app: Application = serde_json::from_str(json).expect("parse");
        assert_eq!(app.web_uris(), ["https://a/cb"]);
        assert!(app.public_client_uris().is_empty());
        assert_eq!(
            app.required_resource_access[0].resource_access[0].kind,
            PermissionKind::Scope
        );
        assert_eq!(app.password_credentials[0].hint.as_deref(), Some("Xy7"));
        assert!(app.password_credentials[0].end_date_time.is_some());
    }
}
