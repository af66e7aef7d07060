//! Where Microsoft is: the sign-in host, the Graph host, the SMTP submission host, the IMAP host
//! and the Outlook resource, for each national cloud — or for anything that answers like them (the
//! stand-in tenant), loaded from an endpoints file (contracts/cli.md).
//!
//! Plain `http://` and a custom CA are accepted only for loopback addresses, so a mistyped
//! endpoints file can never send a secret in clear text across a network. This module only
//! describes endpoints; it does not talk to them.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

/// A Microsoft national cloud.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Cloud {
    /// The global (commercial) cloud, also GCC Moderate.
    #[default]
    Global,
    /// US Government (GCC High).
    Usgov,
    /// China, operated by 21Vianet.
    China,
}

impl Cloud {
    /// The cloud whose sign-in host this is, from a discovery document's hosts.
    pub fn from_login_host(host: &str) -> Option<Cloud> {
        match host.to_ascii_lowercase().as_str() {
            "login.microsoftonline.com"
            | "login.microsoft.com"
            | "login.windows.net"
            | "sts.windows.net" => Some(Cloud::Global),
            "login.microsoftonline.us" | "login.usgovcloudapi.net" => Some(Cloud::Usgov),
            "login.partner.microsoftonline.cn" | "login.chinacloudapi.cn" => Some(Cloud::China),
            _ => None,
        }
    }

    /// The cloud whose Graph host this is (`msgraph_host` in a discovery document).
    pub fn from_graph_host(host: &str) -> Option<Cloud> {
        match host.to_ascii_lowercase().as_str() {
            "graph.microsoft.com" => Some(Cloud::Global),
            "graph.microsoft.us" | "dod-graph.microsoft.us" => Some(Cloud::Usgov),
            "microsoftgraph.chinacloudapi.cn" => Some(Cloud::China),
            _ => None,
        }
    }

    /// The cloud's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Cloud::Global => "Microsoft global cloud",
            Cloud::Usgov => "Microsoft US Government cloud",
            Cloud::China => "Microsoft cloud in China (21Vianet)",
        }
    }
}

/// The SMTP submission endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpEndpoint {
    /// Host name or address.
    pub host: String,
    /// Port (587 for Microsoft).
    pub port: u16,
    /// A CA certificate (PEM file) to trust for STARTTLS besides the system's; loopback only.
    pub ca_pem: Option<PathBuf>,
}

/// The IMAP endpoint (TLS from the first byte, port 993 at Microsoft).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapEndpoint {
    /// Host name or address.
    pub host: String,
    /// Port (993 for Microsoft).
    pub port: u16,
    /// A CA certificate (PEM file) to trust for TLS besides the system's; loopback only.
    pub ca_pem: Option<PathBuf>,
}

/// Where the program talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The identity platform (`https://login.microsoftonline.com`).
    pub login: Url,
    /// Microsoft Graph (`https://graph.microsoft.com`).
    pub graph: Url,
    /// SMTP submission, when known.
    pub smtp: Option<SmtpEndpoint>,
    /// IMAP, when known.
    pub imap: Option<ImapEndpoint>,
    /// The resource whose tokens SMTP AUTH accepts (`https://outlook.office.com`).
    pub outlook_resource: String,
    /// The cloud these endpoints belong to (for a stand-in: the cloud it models).
    pub cloud: Cloud,
}

/// The endpoints file format (contracts/cli.md): what `entra-fake-tenant` prints when ready.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndpointsFile {
    login: String,
    graph: String,
    #[serde(default)]
    smtp: Option<String>,
    #[serde(default)]
    smtp_ca_pem: Option<PathBuf>,
    #[serde(default)]
    imap: Option<String>,
    #[serde(default)]
    imap_ca_pem: Option<PathBuf>,
}

/// An endpoints file or value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum EndpointsError {
    /// The file cannot be read.
    #[error("cannot read the endpoints file {path}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not the expected JSON.
    #[error("the endpoints file is not valid: {0}")]
    Malformed(String),
    /// A URL field is not a URL.
    #[error("endpoints `{field}`: '{value}' is not a URL")]
    NotAUrl {
        /// `login` or `graph`.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// `smtp_ca_pem` names no readable PEM certificate.
    #[error("endpoints `smtp_ca_pem`: {0}")]
    SmtpCa(String),
    /// Plain HTTP (or a custom CA) for a host that is not this machine.
    #[error(
        "endpoints `{field}`: '{value}' must use https (plain http is accepted only for loopback addresses)"
    )]
    InsecureRemote {
        /// The field at fault.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// `smtp` is not `HOST:PORT`.
    #[error("endpoints `smtp`: '{0}' is not HOST:PORT")]
    SmtpMalformed(String),
    /// `imap` is not `HOST:PORT`.
    #[error("endpoints `imap`: '{0}' is not HOST:PORT")]
    ImapMalformed(String),
    /// `imap_ca_pem` names no readable PEM certificate.
    #[error("endpoints `imap_ca_pem`: {0}")]
    ImapCa(String),
}

impl Endpoints {
    /// Microsoft's endpoints for a national cloud.
    pub fn for_cloud(cloud: Cloud) -> Endpoints {
        let (login, graph, smtp, imap, outlook) = match cloud {
            Cloud::Global => (
                "https://login.microsoftonline.com",
                "https://graph.microsoft.com",
                "smtp.office365.com",
                "outlook.office365.com",
                "https://outlook.office.com",
            ),
            Cloud::Usgov => (
                "https://login.microsoftonline.us",
                "https://graph.microsoft.us",
                "smtp.office365.us",
                "outlook.office365.us",
                "https://outlook.office365.us",
            ),
            Cloud::China => (
                "https://login.partner.microsoftonline.cn",
                "https://microsoftgraph.chinacloudapi.cn",
                "smtp.partner.outlook.cn",
                "partner.outlook.cn",
                "https://partner.outlook.cn",
            ),
        };
        Endpoints {
            login: Url::parse(login).expect("static URL"),
            graph: Url::parse(graph).expect("static URL"),
            smtp: Some(SmtpEndpoint {
                host: smtp.into(),
                port: 587,
                ca_pem: None,
            }),
            imap: Some(ImapEndpoint {
                host: imap.into(),
                port: 993,
                ca_pem: None,
            }),
            outlook_resource: outlook.into(),
            cloud,
        }
    }

    /// Read an endpoints file (`{"login","graph","smtp","smtp_ca_pem","imap","imap_ca_pem"}`).
    /// The endpoints a front end works with: the endpoints file when one is named (the CLI's
    /// `--endpoints`, `ENTRA_SETUP_ENDPOINTS`), strictly — a file that cannot be used is an
    /// error, never a silent fall-back to Microsoft's cloud — otherwise `cloud`'s hosts.
    pub fn load(file: Option<&Path>, cloud: Cloud) -> Result<Endpoints, EndpointsError> {
        match file {
            Some(path) => Endpoints::from_file(path),
            None => Ok(Endpoints::for_cloud(cloud)),
        }
    }

    /// The endpoints file, read and checked.
    pub fn from_file(path: &Path) -> Result<Endpoints, EndpointsError> {
        let text = std::fs::read_to_string(path).map_err(|source| EndpointsError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        let endpoints = Endpoints::from_json(&text)?;
        // A CA that cannot be used is refused now, not met as a failed check later.
        if let Some(ca) = endpoints.smtp.as_ref().and_then(|s| s.ca_pem.as_deref()) {
            crate::smtp::add_ca(&mut tokio_rustls::rustls::RootCertStore::empty(), ca)
                .map_err(|e| EndpointsError::SmtpCa(e.to_string()))?;
        }
        if let Some(ca) = endpoints.imap.as_ref().and_then(|s| s.ca_pem.as_deref()) {
            crate::smtp::add_ca(&mut tokio_rustls::rustls::RootCertStore::empty(), ca)
                .map_err(|e| EndpointsError::ImapCa(e.to_string()))?;
        }
        Ok(endpoints)
    }

    /// Parse the endpoints JSON. Non-Microsoft endpoints keep the global cloud's Outlook resource,
    /// as the stand-in does.
    pub fn from_json(text: &str) -> Result<Endpoints, EndpointsError> {
        // A byte-order mark (a file saved by Notepad) is not part of the JSON.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file: EndpointsFile =
            serde_json::from_str(text).map_err(|e| EndpointsError::Malformed(e.to_string()))?;
        let login = checked_url("login", &file.login)?;
        let graph = checked_url("graph", &file.graph)?;
        let smtp = match file.smtp {
            None => None,
            Some(value) => {
                let (host, port) = host_port(&value)
                    .ok_or_else(|| EndpointsError::SmtpMalformed(value.clone()))?;
                if file.smtp_ca_pem.is_some() && !is_loopback_host(&host) {
                    return Err(EndpointsError::InsecureRemote {
                        field: "smtp_ca_pem",
                        value,
                    });
                }
                Some(SmtpEndpoint {
                    host,
                    port,
                    ca_pem: file.smtp_ca_pem,
                })
            }
        };
        let imap = match file.imap {
            None => None,
            Some(value) => {
                let (host, port) = host_port(&value)
                    .ok_or_else(|| EndpointsError::ImapMalformed(value.clone()))?;
                if file.imap_ca_pem.is_some() && !is_loopback_host(&host) {
                    return Err(EndpointsError::InsecureRemote {
                        field: "imap_ca_pem",
                        value,
                    });
                }
                Some(ImapEndpoint {
                    host,
                    port,
                    ca_pem: file.imap_ca_pem,
                })
            }
        };
        let cloud = login
            .host_str()
            .and_then(Cloud::from_login_host)
            .unwrap_or_default();
        let outlook_resource = Endpoints::for_cloud(cloud).outlook_resource;
        Ok(Endpoints {
            login,
            graph,
            smtp,
            imap,
            outlook_resource,
            cloud,
        })
    }

    /// The Graph scope for an app token: `{graph}/.default` with Microsoft's Graph host
    /// (tokens are issued for the resource, not for the stand-in's address).
    pub fn graph_default_scope(&self) -> String {
        format!("{}/.default", self.graph_resource())
    }

    /// The Graph resource URI tokens are issued for.
    pub fn graph_resource(&self) -> String {
        match self.cloud {
            Cloud::Global => "https://graph.microsoft.com".into(),
            Cloud::Usgov => "https://graph.microsoft.us".into(),
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn".into(),
        }
    }
}

/// `HOST:PORT` (an IPv6 host in brackets) split, or `None`.
fn host_port(value: &str) -> Option<(String, u16)> {
    value
        .rsplit_once(':')
        .and_then(|(h, p)| {
            Some((
                h.trim_matches(['[', ']']).to_string(),
                p.parse::<u16>().ok()?,
            ))
        })
        .filter(|(h, _)| !h.is_empty())
}

/// Whether a host is this machine (127.0.0.0/8, ::1 or `localhost`).
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_matches(['[', ']']);
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn checked_url(field: &'static str, value: &str) -> Result<Url, EndpointsError> {
    let url = Url::parse(value).map_err(|_| EndpointsError::NotAUrl {
        field,
        value: value.into(),
    })?;
    let loopback = url.host_str().is_some_and(is_loopback_host);
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(EndpointsError::InsecureRemote {
            field,
            value: value.into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_smtp_ca_that_cannot_be_used_is_refused_when_the_file_is_read() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("endpoints.json");
        let write = |ca: &std::path::Path| {
            let text = serde_json::json!({
                "login": "http://127.0.0.1:4100", "graph": "http://127.0.0.1:4100",
                "smtp": "127.0.0.1:4587", "smtp_ca_pem": ca,
            });
            std::fs::write(&file, text.to_string()).expect("write");
        };
        write(&dir.path().join("missing.pem"));
        let error = Endpoints::from_file(&file).expect_err("missing CA");
        assert!(matches!(error, EndpointsError::SmtpCa(_)), "{error}");
        assert!(error.to_string().contains("missing.pem"), "{error}");
        let not_pem = dir.path().join("ca.pem");
        std::fs::write(&not_pem, "not a certificate").expect("write");
        write(&not_pem);
        let error = Endpoints::from_file(&file).expect_err("no certificate");
        assert!(
            error.to_string().contains("no usable PEM certificate"),
            "{error}"
        );
    }

    #[test]
    fn the_imap_endpoint_is_read_like_the_smtp_one() {
        let e = Endpoints::from_json(
            r#"{"login":"http://127.0.0.1:4100","graph":"http://127.0.0.1:4100","imap":"127.0.0.1:4993","imap_ca_pem":"/tmp/ca.pem"}"#,
        )
        .expect("valid");
        let imap = e.imap.expect("imap");
        assert_eq!((imap.host.as_str(), imap.port), ("127.0.0.1", 4993));
        assert_eq!(imap.ca_pem.as_deref(), Some(Path::new("/tmp/ca.pem")));
        assert!(e.smtp.is_none());
        let err = Endpoints::from_json(
            r#"{"login":"https://l","graph":"https://g","imap":"outlook.office365.com:993","imap_ca_pem":"/tmp/ca.pem"}"#,
        )
        .expect_err("custom CA for a remote host");
        assert!(err.to_string().contains("imap_ca_pem"), "{err}");
        let err = Endpoints::from_json(r#"{"login":"https://l","graph":"https://g","imap":"h"}"#)
            .expect_err("bad");
        assert!(err.to_string().contains("`imap`"), "{err}");
        let global = Endpoints::for_cloud(Cloud::Global).imap.expect("imap");
        assert_eq!(
            (global.host.as_str(), global.port),
            ("outlook.office365.com", 993)
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_file() {
        let e = Endpoints::from_json(
            "\u{feff}{\"login\":\"http://127.0.0.1:4100\",\"graph\":\"http://127.0.0.1:4100\"}",
        )
        .expect("valid");
        assert_eq!(e.graph.as_str(), "http://127.0.0.1:4100/");
    }

    #[test]
    fn the_stand_in_ready_line_is_an_endpoints_file() {
        let e = Endpoints::from_json(
            r#"{"login":"http://127.0.0.1:4100","graph":"http://127.0.0.1:4100","smtp":"127.0.0.1:4587","smtp_ca_pem":"/tmp/ca.pem"}"#,
        )
        .expect("valid");
        assert_eq!(e.login.as_str(), "http://127.0.0.1:4100/");
        let smtp = e.smtp.clone().expect("smtp");
        assert_eq!((smtp.host.as_str(), smtp.port), ("127.0.0.1", 4587));
        assert_eq!(
            e.graph_default_scope(),
            "https://graph.microsoft.com/.default"
        );
    }

    #[test]
    fn plain_http_to_another_machine_is_refused_naming_the_field() {
        let err = Endpoints::from_json(
            r#"{"login":"http://login.example.com","graph":"https://graph.example.com"}"#,
        )
        .expect_err("insecure");
        assert!(
            err.to_string().contains("`login`") && err.to_string().contains("https"),
            "{err}"
        );
        let err = Endpoints::from_json(
            r#"{"login":"https://l.example.com","graph":"https://g.example.com","smtp":"smtp.example.com:587","smtp_ca_pem":"/tmp/ca.pem"}"#,
        )
        .expect_err("custom CA for a remote host");
        assert!(err.to_string().contains("smtp_ca_pem"), "{err}");
    }

    #[test]
    fn malformed_values_are_named() {
        let err = Endpoints::from_json(r#"{"login":"nope","graph":"https://g"}"#).expect_err("bad");
        assert!(err.to_string().contains("`login`"), "{err}");
        let err =
            Endpoints::from_json(r#"{"login":"https://l","graph":"https://g","smtp":"host"}"#)
                .expect_err("bad");
        assert!(err.to_string().contains("HOST:PORT"), "{err}");
        let err = Endpoints::from_json(r#"{"login":"https://l","graph":"https://g","extra":1}"#)
            .expect_err("bad");
        assert!(err.to_string().contains("extra"), "{err}");
    }

    #[test]
    fn clouds_have_their_hosts() {
        for cloud in [Cloud::Global, Cloud::Usgov, Cloud::China] {
            let e = Endpoints::for_cloud(cloud);
            assert_eq!(
                Cloud::from_login_host(e.login.host_str().expect("host")),
                Some(cloud)
            );
            assert_eq!(
                Cloud::from_graph_host(e.graph.host_str().expect("host")),
                Some(cloud)
            );
        }
        assert!(
            is_loopback_host("127.0.0.2")
                && is_loopback_host("[::1]")
                && is_loopback_host("LOCALHOST")
        );
        assert!(!is_loopback_host("10.0.0.1"));
    }
}
