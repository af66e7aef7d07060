//! How the monitor gets an app-only Graph token for a tenant with no person signing in: the
//! [`TokenSource`] trait, and its implementations — a certificate ([`CertificateCredential`],
//! a client assertion it signs: the credential an unattended job should use) and a client secret
//! ([`SecretCredential`]), both the client-credentials grant. The scan asks the source once per tenant; which credential the
//! monitor app proves itself with is the source's business, not the scan's.
//!
//! This module keeps no token or secret anywhere but in memory ([`Secret`] redacts itself).

use std::future::Future;
use std::sync::Arc;

use crate::credentials::Certificate;
use crate::endpoints::Endpoints;
use crate::http::Http;
use crate::identity::{self, AppToken, TokenError};
use crate::secret::Secret;

/// Where the monitor's app-only Graph tokens come from.
pub trait TokenSource: Send + Sync + 'static {
    /// The monitor app's application (client) ID.
    fn client_id(&self) -> &str;

    /// An app-only token for Microsoft Graph (`/.default`) in `tenant` (a GUID or a domain).
    fn graph_token(
        &self,
        tenant: &str,
    ) -> impl Future<Output = Result<AppToken, TokenError>> + Send;
}

/// The monitor app proving itself with a client secret.
#[derive(Debug, Clone)]
pub struct SecretCredential {
    http: Http,
    endpoints: Endpoints,
    client_id: String,
    secret: Secret,
}

impl SecretCredential {
    /// The app `client_id` with its secret, asking the token endpoint of `endpoints`.
    pub fn new(http: Http, endpoints: Endpoints, client_id: &str, secret: Secret) -> Self {
        SecretCredential {
            http,
            endpoints,
            client_id: client_id.trim().to_ascii_lowercase(),
            secret,
        }
    }
}

impl TokenSource for SecretCredential {
    fn client_id(&self) -> &str {
        &self.client_id
    }

    async fn graph_token(&self, tenant: &str) -> Result<AppToken, TokenError> {
        identity::client_credentials(
            &self.http,
            &self.endpoints,
            tenant,
            &self.client_id,
            &self.secret,
            &self.endpoints.graph_default_scope(),
        )
        .await
    }
}

/// The monitor app proving itself with a certificate (its private key signs each assertion).
#[derive(Debug, Clone)]
pub struct CertificateCredential {
    http: Http,
    endpoints: Endpoints,
    client_id: String,
    certificate: Arc<Certificate>,
}

impl CertificateCredential {
    /// The app `client_id` with its certificate, asking the token endpoint of `endpoints`.
    pub fn new(
        http: Http,
        endpoints: Endpoints,
        client_id: &str,
        certificate: Certificate,
    ) -> Self {
        CertificateCredential {
            http,
            endpoints,
            client_id: client_id.trim().to_ascii_lowercase(),
            certificate: Arc::new(certificate),
        }
    }
}

impl TokenSource for CertificateCredential {
    fn client_id(&self) -> &str {
        &self.client_id
    }

    async fn graph_token(&self, tenant: &str) -> Result<AppToken, TokenError> {
        identity::client_credentials_with_certificate(
            &self.http,
            &self.endpoints,
            tenant,
            &self.client_id,
            &self.certificate,
            &self.endpoints.graph_default_scope(),
        )
        .await
    }
}

/// Either credential, chosen at run time (a certificate when one is kept or given, else a
/// secret).
#[derive(Debug, Clone)]
pub enum MonitorCredential {
    /// A certificate.
    Certificate(CertificateCredential),
    /// A client secret.
    Secret(SecretCredential),
}

impl MonitorCredential {
    /// `certificate` or `secret`, for people and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            MonitorCredential::Certificate(_) => "certificate",
            MonitorCredential::Secret(_) => "secret",
        }
    }
}

impl TokenSource for MonitorCredential {
    fn client_id(&self) -> &str {
        match self {
            MonitorCredential::Certificate(c) => c.client_id(),
            MonitorCredential::Secret(s) => s.client_id(),
        }
    }

    async fn graph_token(&self, tenant: &str) -> Result<AppToken, TokenError> {
        match self {
            MonitorCredential::Certificate(c) => c.graph_token(tenant).await,
            MonitorCredential::Secret(s) => s.graph_token(tenant).await,
        }
    }
}
