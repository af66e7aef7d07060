//! What the product logs and how much: the one filter both front ends install, and how a request
//! is named in a log line.
//!
//! The events themselves are written where things happen, with the `tracing` crate: one per HTTP
//! request in [`crate::http`] (method, host, path, status, milliseconds, Microsoft's request IDs,
//! the error codes of an error answer), one when each check starts and ends in [`crate::verify`],
//! the sign-in steps in [`crate::identity`], each repair and its changes in [`crate::fix`].
//!
//! A log never holds a secret value, an access or refresh token, an authorization or device code,
//! a PKCE verifier or an `Authorization` header. The product's own events never record them (a
//! request is logged by its path with query values elided, never by its body or headers), and the
//! libraries that see raw requests and frames (`h2`, `hyper`, `reqwest`, `rustls`, …) are held at
//! `warn` whatever `RUST_LOG` asks, because at `debug` and `trace` some of them print headers.
//!
//! The desktop app's log is a file a day in `logs/` of the data folder ([`log_files`]), a week of
//! them kept; [`support_log`] is what "Copy support log" copies. The CLI logs to stderr. Each
//! front end installs its subscriber with [`filter`].

use std::path::{Path, PathBuf};

use tracing_appender::rolling::{InitError, RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::Directive;

/// The log files' names: `entra-setup.YYYY-MM-DD.log`.
const LOG_PREFIX: &str = "entra-setup";
const LOG_SUFFIX: &str = "log";

/// How many daily files are kept: a week.
pub const LOG_DAYS_KEPT: usize = 7;

/// The most of the log [`support_log`] copies: the newest end of it.
pub const SUPPORT_LOG_MAX_BYTES: usize = 512 * 1024;

/// The crates whose own events are the product's log.
const PRODUCT_TARGETS: &[&str] = &["entra_setup_core", "entra_setup", "entra_setup_app"];

/// Libraries that see raw requests, headers or TLS records: never more verbose than `warn`.
const HELD_AT_WARN: &[&str] = &[
    "h2",
    "hyper",
    "hyper_util",
    "reqwest",
    "rustls",
    "tokio_rustls",
    "tower",
    "tower_http",
    "axum",
    "keyring",
    "secret_service",
    "zbus",
];

/// How much a front end logs by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// Nothing until asked (the CLI: its output is the report).
    Quiet,
    /// Requests, checks, sign-ins and repairs (the desktop app's log file).
    Info,
}

/// The filter for `verbosity` (`-v` counted: 1 requests and checks, 2 more detail, 3 and more
/// everything of the product's own), unless `rust_log` (the `RUST_LOG` variable) says otherwise.
/// The libraries of [`HELD_AT_WARN`] are held at `warn` either way.
pub fn filter(baseline: Baseline, verbosity: u8, rust_log: Option<&str>) -> EnvFilter {
    let rust_log = rust_log.map(str::trim).filter(|s| !s.is_empty());
    if baseline == Baseline::Quiet && verbosity == 0 && rust_log.is_none() {
        return EnvFilter::new("off");
    }
    let mut filter = match rust_log {
        Some(directives) => EnvFilter::builder().parse_lossy(directives),
        None => {
            let level = match verbosity {
                0 | 1 => "info",
                2 => "debug",
                _ => "trace",
            };
            let mut filter = EnvFilter::new("warn");
            for target in PRODUCT_TARGETS {
                filter = filter.add_directive(directive(&format!("{target}={level}")));
            }
            filter
        }
    };
    for target in HELD_AT_WARN {
        filter = filter.add_directive(directive(&format!("{target}=warn")));
    }
    filter
}

fn directive(text: &str) -> Directive {
    // Every directive built here is a crate name and a level, which always parses.
    text.parse()
        .unwrap_or_else(|_| Directive::from(tracing::Level::INFO))
}

/// The desktop app's log writer: a new file in `dir` each day, the oldest beyond
/// [`LOG_DAYS_KEPT`] removed. Each line is written at once (no buffer a crash could lose).
pub fn log_files(dir: &Path) -> Result<RollingFileAppender, InitError> {
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(LOG_PREFIX)
        .filename_suffix(LOG_SUFFIX)
        .max_log_files(LOG_DAYS_KEPT)
        .build(dir)
}

/// The log files in `dir`, oldest first.
fn files_oldest_first(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(LOG_PREFIX) && n.ends_with(LOG_SUFFIX))
        })
        .collect();
    // The date in the name sorts as the days do.
    files.sort();
    Ok(files)
}

/// The newest end of the log in `dir`, at most `max_bytes`, whole lines, oldest first: what an
/// administrator sends to support. Empty when nothing was logged yet.
pub fn support_log(dir: &Path, max_bytes: usize) -> std::io::Result<String> {
    let files = match files_oldest_first(dir) {
        Ok(files) => files,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(e),
    };
    let mut parts: Vec<String> = Vec::new();
    let mut size = 0;
    for path in files.iter().rev() {
        if size >= max_bytes {
            break;
        }
        let bytes = std::fs::read(path)?;
        let room = max_bytes - size;
        let kept = if bytes.len() > room {
            // Cut at the first line start within the newest `room` bytes.
            let from = bytes.len() - room;
            if bytes[from - 1] == b'\n' {
                &bytes[from..]
            } else {
                bytes[from..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(&[][..], |at| &bytes[from + at + 1..])
            }
        } else {
            &bytes[..]
        };
        size += kept.len();
        parts.push(String::from_utf8_lossy(kept).into_owned());
    }
    parts.reverse();
    Ok(parts.concat())
}

/// A request's URL as a log names it: host and path, with the query's names but not its values
/// (`/v1.0/applications?$filter=…&$select=…`).
pub fn request_target(url: &url::Url) -> (String, String) {
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => String::new(),
    };
    let mut path = url.path().to_string();
    let names: Vec<String> = url
        .query_pairs()
        .map(|(name, _)| format!("{name}=…"))
        .collect();
    if !names.is_empty() {
        path.push('?');
        path.push_str(&names.join("&"));
    }
    (host, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_named_without_its_query_values() {
        let url = url::Url::parse(
            "https://graph.microsoft.com/v1.0/applications?$filter=appId%20eq%20'x'&$select=id",
        )
        .expect("url");
        let (host, path) = request_target(&url);
        assert_eq!(host, "graph.microsoft.com");
        assert_eq!(path, "/v1.0/applications?$filter=…&$select=…");

        let url = url::Url::parse("http://127.0.0.1:8443/t/oauth2/v2.0/token").expect("url");
        assert_eq!(
            request_target(&url),
            (
                "127.0.0.1:8443".to_string(),
                "/t/oauth2/v2.0/token".to_string()
            )
        );
    }

    #[test]
    fn the_support_log_is_the_newest_whole_lines_across_days() {
        let dir = tempfile::tempdir().expect("dir");
        assert_eq!(
            support_log(&dir.path().join("none"), 100).expect("read"),
            ""
        );
        std::fs::write(
            dir.path().join("entra-setup.2026-12-01.log"),
            "old 1\nold 2\n",
        )
        .expect("w");
        std::fs::write(
            dir.path().join("entra-setup.2026-12-02.log"),
            "new 1\nnew 2\n",
        )
        .expect("w");
        std::fs::write(dir.path().join("other.txt"), "not a log\n").expect("w");
        let all = support_log(dir.path(), 1000).expect("read");
        assert_eq!(all, "old 1\nold 2\nnew 1\nnew 2\n");
        let tail = support_log(dir.path(), 18).expect("read");
        assert_eq!(tail, "old 2\nnew 1\nnew 2\n");
        let cut = support_log(dir.path(), 16).expect("read");
        assert_eq!(cut, "new 1\nnew 2\n");
    }

    #[test]
    fn log_files_are_written_as_lines_come() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().expect("dir");
        let mut files = log_files(dir.path()).expect("files");
        files.write_all(b"a line\n").expect("write");
        let text = support_log(dir.path(), SUPPORT_LOG_MAX_BYTES).expect("read");
        assert_eq!(text, "a line\n");
    }

    #[test]
    fn libraries_that_see_headers_stay_at_warn_whatever_is_asked() {
        for asked in [Some("trace"), Some("h2=trace,hyper=trace"), None] {
            if asked.is_none() {
                let app = filter(Baseline::Info, 3, asked).to_string();
                assert!(app.contains("h2=warn"), "{app}");
                continue;
            }
            let text = filter(Baseline::Quiet, 3, asked).to_string();
            for target in HELD_AT_WARN {
                assert!(
                    text.contains(&format!("{target}=warn")),
                    "{asked:?}: {text}"
                );
            }
        }
    }

    #[test]
    fn verbosity_sets_the_products_level_and_rust_log_wins() {
        let quiet = filter(Baseline::Quiet, 0, None).to_string();
        assert!(
            quiet.contains("off") && !quiet.contains("entra_setup_core"),
            "{quiet}"
        );
        let one = filter(Baseline::Quiet, 1, None).to_string();
        assert!(one.contains("entra_setup_core=info"), "{one}");
        let three = filter(Baseline::Quiet, 3, None).to_string();
        assert!(three.contains("entra_setup_core=trace"), "{three}");
        let app = filter(Baseline::Info, 0, None).to_string();
        assert!(app.contains("entra_setup_app=info"), "{app}");
        let asked = filter(Baseline::Quiet, 0, Some("entra_setup_core=debug")).to_string();
        assert!(asked.contains("entra_setup_core=debug"), "{asked}");
    }
}
