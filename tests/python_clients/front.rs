//! The loopback HTTPS front Microsoft's client libraries talk to: a certificate authority made for
//! the test, a server certificate for `127.0.0.1` and `localhost` signed by it, and a listener that
//! accepts TCP, completes TLS and copies the plain bytes both ways to the stand-in's HTTP port.
//!
//! It never looks at what it copies: the stand-in's answers reach the libraries byte for byte, so
//! every absolute URL in them must already name the front (the scenario's `public_url`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority and the front's certificate, both made for one test.
pub struct Certificates {
    /// The CA certificate in PEM, written where [`Certificates::write_ca`] says.
    ca_pem: String,
    /// The server's chain (its certificate, then the CA's) and key.
    chain: Vec<CertificateDer<'static>>,
    key: PrivatePkcs8KeyDer<'static>,
}

impl Certificates {
    /// Makes a CA and a server certificate for `127.0.0.1` and `localhost` signed by it.
    pub fn generate() -> Certificates {
        let ca_key = rcgen::KeyPair::generate().expect("CA key");
        let mut ca_params =
            rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params.distinguished_name = rcgen::DistinguishedName::new();
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Entra Setup Wizard test CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let ca = ca_params.self_signed(&ca_key).expect("CA certificate");

        let key = rcgen::KeyPair::generate().expect("server key");
        // rcgen makes "127.0.0.1" an IP address entry and "localhost" a DNS name.
        let mut params =
            rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
                .expect("server parameters");
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "127.0.0.1");
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::DigitalSignature,
            rcgen::KeyUsagePurpose::KeyEncipherment,
        ];
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        // OpenSSL's strict verification (Python 3.13's default) wants the issuer's key named.
        params.use_authority_key_identifier_extension = true;
        let server = params
            .signed_by(&key, &ca, &ca_key)
            .expect("server certificate");

        Certificates {
            ca_pem: ca.pem(),
            chain: vec![
                CertificateDer::from(server.der().to_vec()),
                CertificateDer::from(ca.der().to_vec()),
            ],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        }
    }

    /// Writes the CA certificate to `dir/ca.pem` (what `REQUESTS_CA_BUNDLE` and `SSL_CERT_FILE`
    /// name) and returns its path.
    pub fn write_ca(&self, dir: &Path) -> PathBuf {
        let path = dir.join("ca.pem");
        std::fs::write(&path, &self.ca_pem).expect("write the test CA");
        path
    }

    fn server_config(&self) -> Arc<ServerConfig> {
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                self.chain.clone(),
                PrivateKeyDer::Pkcs8(self.key.clone_key()),
            )
            .expect("TLS server configuration");
        // The stand-in speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Arc::new(config)
    }
}

/// A bound but not yet serving front: its port is known before the stand-in is started, so that the
/// scenario's `public_url` can name it.
pub struct Front {
    listener: std::net::TcpListener,
}

impl Front {
    /// Binds a free port on 127.0.0.1.
    pub fn bind() -> Front {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the TLS front");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        Front { listener }
    }

    /// `https://127.0.0.1:PORT`, the front's base URL.
    pub fn url(&self) -> String {
        let port = self.listener.local_addr().expect("front address").port();
        format!("https://127.0.0.1:{port}")
    }

    /// Serves on `runtime` until it is shut down: each connection is TLS on the front's side and
    /// plain TCP to `upstream` (the stand-in's HTTP address).
    pub fn serve(
        self,
        runtime: &tokio::runtime::Runtime,
        certificates: &Certificates,
        upstream: SocketAddr,
    ) {
        let acceptor = TlsAcceptor::from(certificates.server_config());
        let _entered = runtime.enter();
        let listener = TcpListener::from_std(self.listener).expect("front listener");
        runtime.spawn(accept_loop(listener, acceptor, upstream));
    }
}

async fn accept_loop(listener: TcpListener, acceptor: TlsAcceptor, upstream: SocketAddr) {
    while let Ok((client, _)) = listener.accept().await {
        tokio::spawn(relay(client, acceptor.clone(), upstream));
    }
}

/// One connection: the TLS handshake, then bytes copied both ways until either side closes. A
/// failed handshake (a client refusing the certificate) just ends the connection; the client
/// reports it.
async fn relay(client: TcpStream, acceptor: TlsAcceptor, upstream: SocketAddr) {
    let Ok(mut tls) = acceptor.accept(client).await else {
        return;
    };
    let Ok(mut plain) = TcpStream::connect(upstream).await else {
        return;
    };
    // Either side may close abruptly (a client dropping a kept-alive connection): nothing to do.
    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
}
