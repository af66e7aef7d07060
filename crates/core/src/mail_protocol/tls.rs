//! The TLS client configuration of the mail probes (SMTP's STARTTLS, IMAP's TLS on connect):
//! rustls with the `ring` provider chosen explicitly (some binaries compile two providers, so the
//! process default cannot be relied on), TLS 1.2 or later, trusting the public web roots plus, for
//! the stand-in on loopback, the endpoints file's `smtp_ca_pem` / `imap_ca_pem` (the endpoints
//! loader refuses them for any other host).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::{ClientConfig, RootCertStore, crypto::ring};

/// The TLS client configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    /// The CA file cannot be read.
    #[error("cannot read the CA file {path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why (worded in the message, not chained).
        reason: std::io::Error,
    },
    /// The CA file holds no usable certificate.
    #[error("the CA file {0} holds no usable PEM certificate")]
    NoCertificate(PathBuf),
    /// rustls refused the configuration.
    #[error("the TLS client could not start: {0}")]
    Rustls(#[from] tokio_rustls::rustls::Error),
}

/// The trust anchors of the CA file `path` (PEM) added to `roots`, or why there are none: the
/// endpoints loader calls it to refuse a bad `smtp_ca_pem` or `imap_ca_pem` at start, the probe to trust it.
pub fn add_ca(roots: &mut RootCertStore, path: &Path) -> Result<(), TlsSetupError> {
    let pem = std::fs::read(path).map_err(|reason| TlsSetupError::Unreadable {
        path: path.to_path_buf(),
        reason,
    })?;
    let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
        .filter_map(Result::ok)
        .collect();
    let (added, _) = roots.add_parsable_certificates(certificates);
    if added == 0 {
        return Err(TlsSetupError::NoCertificate(path.to_path_buf()));
    }
    Ok(())
}

/// The client configuration for STARTTLS (SMTP) and TLS on connect (IMAP).
pub(crate) fn client_config(ca_pem: Option<&Path>) -> Result<Arc<ClientConfig>, TlsSetupError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_pem {
        add_ca(&mut roots, path)?;
    }
    let config = ClientConfig::builder_with_provider(ring::default_provider().into())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
