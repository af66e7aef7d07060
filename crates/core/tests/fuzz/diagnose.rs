//! `diagnose`: any text in, findings out, no panic, one finding per cause, and the JSON in the
//! text read in work linear in its length (the count `diagnose` logs at debug level).

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::Once;

use entra_setup_core::diagnose::diagnose;
use entra_setup_core::profile::Catalog;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, Registry};

use crate::harness::{self, Material};

/// Pieces of the texts `diagnose` reads: JSON's delimiters and escapes, the codes and field
/// names it looks for, SMTP replies, HTTP status lines, characters that are more than one byte.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\\"",
    b"\\\\",
    b"\\n",
    b"\\u00",
    b"\\ud800",
    b":",
    b",",
    b"\n",
    b"\r\n",
    b"{\"a\":",
    b"{\"error\":",
    b"{\"error\":{\"code\":\"",
    b"\"error_codes\":[",
    b"'error_codes': [",
    b"\"error_description\":\"",
    b"AADSTS",
    b"AADSTS7000215",
    b"AADSTS700016",
    b"AADSTS90002",
    b"7000222",
    b"ErrorAccessDenied",
    b"InvalidAuthenticationToken",
    b"[RAOP]",
    b"audience",
    b"code: ",
    b"535 5.7.139 ",
    b"5.7.3 ",
    b"421 4.3.2 ",
    b"HTTP/1.1 429 ",
    b"503 Service Unavailable",
    b"smtp.office365.com:587",
    b"graph.microsoft.com",
    b"login.microsoftonline.com",
    b"connection refused",
    b"temporarily_unavailable",
    b"Application with identifier '",
    b"your_tenant_id",
    b"{tenant}",
    b"<tenant-id>",
    b"1e999",
    "é".as_bytes(),
    "\u{202e}".as_bytes(),
    b"\xff",
];

thread_local! {
    /// What the last `diagnose` on this thread logged: (text bytes, JSON bytes read).
    static READ: Cell<Option<(u64, u64)>> = const { Cell::new(None) };
}

/// Catches `diagnose`'s debug event with its counts.
struct ReadCounts;

impl<S: tracing::Subscriber> Layer<S> for ReadCounts {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        struct Counts(Option<u64>, Option<u64>);
        impl Visit for Counts {
            fn record_u64(&mut self, field: &Field, value: u64) {
                match field.name() {
                    "bytes" => self.0 = Some(value),
                    "json_bytes_read" => self.1 = Some(value),
                    _ => {}
                }
            }
            fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
        }
        let mut counts = Counts(None, None);
        event.record(&mut counts);
        if let (Some(bytes), Some(read)) = (counts.0, counts.1) {
            READ.with(|r| r.set(Some((bytes, read))));
        }
    }
}

fn listen() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        tracing::subscriber::set_global_default(Registry::default().with(ReadCounts))
            .expect("the only subscriber in this test binary");
    });
}

#[test]
fn diagnose_takes_any_text() {
    listen();
    let catalog = Catalog::shipped();
    let material = Material::new("diagnose", Vec::new(), TOKENS, 16 * 1024);
    harness::fuzz("diagnose", material.inputs(), |bytes| {
        let text = String::from_utf8_lossy(bytes);
        READ.with(|r| r.set(None));
        let findings = diagnose(&text, &catalog);
        let causes: HashSet<_> = findings.iter().map(|f| f.cause).collect();
        if causes.len() != findings.len() {
            return Err(format!("a cause found twice: {findings:?}"));
        }
        if let Some(empty) = findings
            .iter()
            .find(|f| f.title.is_empty() || f.explanation.is_empty() || f.fix.is_empty())
        {
            return Err(format!("a finding without words: {empty:?}"));
        }
        let Some((bytes, read)) = READ.with(Cell::get) else {
            return Err("diagnose logged no read counts".into());
        };
        // Each nesting of JSON held in strings (three at most) is read in linear time.
        if read > 16 * bytes + 64 {
            return Err(format!("{read} bytes read for a text of {bytes}"));
        }
        Ok(!findings.is_empty())
    });
}
