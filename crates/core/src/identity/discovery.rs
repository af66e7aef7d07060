//! OpenID discovery: `GET {login}/{tenant}/v2.0/.well-known/openid-configuration`. A domain
//! resolves to the tenant GUID (read from `issuer` or `token_endpoint`), and the national cloud is
//! read from `cloud_instance_name` and `msgraph_host` — never from the region fields, which
//! Microsoft documents as informational.

use serde::Deserialize;

use crate::endpoints::{Cloud, Endpoints};
use crate::http::{Http, Unavailable};

use super::AadError;

/// What discovery tells about a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantInfo {
    /// The tenant's GUID.
    pub tenant_id: String,
    /// The cloud the tenant lives in.
    pub cloud: Cloud,
    /// The token endpoint.
    pub token_endpoint: String,
    /// The authorization endpoint.
    pub authorization_endpoint: String,
    /// The device-code endpoint.
    pub device_authorization_endpoint: Option<String>,
    /// The Graph host for this tenant (`graph.microsoft.com`).
    pub msgraph_host: Option<String>,
    /// The region (`EU`, `NA`, …), informational.
    pub region_scope: Option<String>,
}

/// Discovery failed with an answer from Microsoft.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiscoveryError {
    /// Microsoft answered with an identity error (unknown tenant, malformed id, other cloud).
    #[error("Microsoft refused the tenant: {}", .0.label())]
    Rejected(AadError),
    /// Microsoft could not be asked.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

#[derive(Debug, Deserialize)]
struct OpenIdConfiguration {
    issuer: String,
    token_endpoint: String,
    authorization_endpoint: String,
    #[serde(default)]
    device_authorization_endpoint: Option<String>,
    #[serde(default)]
    cloud_instance_name: Option<String>,
    #[serde(default)]
    msgraph_host: Option<String>,
    #[serde(default)]
    tenant_region_scope: Option<String>,
}

/// The tenant's Directory (tenant) ID, lowercase: the input itself when it is a GUID (no request),
/// otherwise the one OpenID discovery names for the domain. What the keychain and the reminders
/// key their entries by.
pub async fn tenant_id_of(
    http: &Http,
    endpoints: &Endpoints,
    tenant: &str,
) -> Result<String, DiscoveryError> {
    let tenant = tenant.trim();
    if crate::validate::is_guid(tenant) {
        return Ok(tenant.to_ascii_lowercase());
    }
    discover(http, endpoints, tenant)
        .await
        .map(|info| info.tenant_id.to_ascii_lowercase())
}

/// Discover a tenant by GUID or domain.
pub async fn discover(
    http: &Http,
    endpoints: &Endpoints,
    tenant: &str,
) -> Result<TenantInfo, DiscoveryError> {
    let url = super::sign_in::tenant_url(
        endpoints,
        tenant,
        &["v2.0", ".well-known", "openid-configuration"],
    )?;
    let answer = http
        .send("OpenID discovery", |c| c.get(url.clone()))
        .await?;
    if !answer.status.is_success() {
        return Err(match AadError::parse(&answer.body) {
            Some(error) => DiscoveryError::Rejected(error),
            None => network(&format!(
                "OpenID discovery answered {} without an error body",
                answer.status
            ))
            .into(),
        });
    }
    let config: OpenIdConfiguration = answer.json("OpenID discovery")?;
    let tenant_id = tenant_guid(&config.issuer)
        .or_else(|| tenant_guid(&config.token_endpoint))
        .ok_or_else(|| network("the discovery document names no tenant GUID"))?;
    let cloud = config
        .cloud_instance_name
        .as_deref()
        .and_then(cloud_from_instance)
        .or_else(|| {
            config
                .msgraph_host
                .as_deref()
                .and_then(Cloud::from_graph_host)
        })
        .unwrap_or(endpoints.cloud);
    Ok(TenantInfo {
        tenant_id,
        cloud,
        token_endpoint: config.token_endpoint,
        authorization_endpoint: config.authorization_endpoint,
        device_authorization_endpoint: config.device_authorization_endpoint,
        msgraph_host: config.msgraph_host,
        region_scope: config.tenant_region_scope,
    })
}

fn network(detail: &str) -> Unavailable {
    Unavailable {
        cause: crate::cause::Cause::NetworkError,
        detail: detail.to_string(),
        retry_after: None,
    }
}

/// The cloud a `cloud_instance_name` names.
fn cloud_from_instance(name: &str) -> Option<Cloud> {
    match name.to_ascii_lowercase().as_str() {
        "microsoftonline.com" => Some(Cloud::Global),
        "microsoftonline.us" => Some(Cloud::Usgov),
        "partner.microsoftonline.cn" => Some(Cloud::China),
        _ => None,
    }
}

/// The GUID path segment of an issuer or endpoint URL.
fn tenant_guid(url: &str) -> Option<String> {
    url.split('/')
        .find(|segment| uuid::Uuid::try_parse(segment).is_ok())
        .map(str::to_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenant_guid_comes_from_the_issuer() {
        assert_eq!(
            tenant_guid(
                "https://login.microsoftonline.com/72F988BF-86F1-41AF-91AB-2D7CD011DB47/v2.0"
            )
            .as_deref(),
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
        assert_eq!(
            tenant_guid("https://login.microsoftonline.com/{tenantid}/v2.0"),
            None
        );
    }

    #[test]
    fn real_discovery_documents_parse() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/conformance/oidc");
        for name in [
            "entra-common.metadata.json",
            "entra-organizations.metadata.json",
        ] {
            let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
                eprintln!("skipped: {} is not beside the project", dir.display());
                return;
            };
            let config: OpenIdConfiguration = serde_json::from_str(&text).expect(name);
            assert_eq!(
                config
                    .cloud_instance_name
                    .as_deref()
                    .and_then(cloud_from_instance),
                Some(Cloud::Global)
            );
            assert_eq!(
                tenant_guid(&config.issuer),
                None,
                "common has no tenant GUID"
            );
        }
    }
}
