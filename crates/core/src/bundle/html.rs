//! `REPORT.html`: one self-contained page (inline CSS, no scripts, no remote content) that reads
//! well on screen and on paper: every checkpoint with its status, message, fix and evidence,
//! what is left to do, and the secret's expiry — or, for an app that proves itself with a
//! certificate, the certificate's thumbprint, expiry and where its private key is (never the key
//! itself). Every value is HTML-escaped.

use std::fmt::Write;

use super::record::BundleRecord;

use crate::html::escape;

const STYLE: &str = r#"
:root { color-scheme: light; --fg:#1b1b1b; --muted:#5c5c5c; --line:#d6d6d6; --pass:#0e7a0d; --fail:#c50f1f; --warn:#8a5b00; --unverified:#5c2e91; --skipped:#616161; }
body { font-family: "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.muted { color: var(--muted); } dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: .5rem .4rem; }
.status { font-weight: 700; text-transform: uppercase; font-size: .8rem; letter-spacing: .03em; white-space: nowrap; }
.pass { color: var(--pass); } .fail { color: var(--fail); } .warn { color: var(--warn); } .unverified { color: var(--unverified); } .skipped { color: var(--skipped); }
pre { white-space: pre-wrap; word-break: break-all; font-size: .8rem; background: #f5f5f5; padding: .4rem; margin: .3rem 0 0; }
details summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
ol li, ul li { margin-bottom: .35rem; } td.id code { word-break: normal; white-space: nowrap; } code { font-family: Consolas, "Courier New", monospace; overflow-wrap: anywhere; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; } a { color: inherit; } a[href]:not(.url)::after { content: " (" attr(href) ")"; font-size: 8pt; overflow-wrap: anywhere; }
  details summary { display: none; } pre { background: none; border: 1px solid var(--line); font-size: 7.5pt; }
  tr, li { break-inside: avoid; } h2 { break-after: avoid; }
}
"#;

/// The page for a bundle; `todo` lists what is left to do, one item each.
pub fn page(record: &BundleRecord, product: &str, todo: &[String]) -> String {
    let mut out = String::new();
    let title = format!("{} — configuration report", record.profile.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"muted\">{} · profile <code>{}</code> · made {} by Entra Setup Wizard</p>\n",
        escape(&title),
        escape(&record.profile.title),
        escape(product),
        escape(&record.profile.id),
        escape(&record.created.format("%Y-%m-%d %H:%M UTC").to_string()),
    );

    let counts = ["pass", "fail", "warn", "unverified", "skipped"]
        .map(|s| (s, record.checks.iter().filter(|c| c["status"] == s).count()));
    out.push_str("<p>");
    for (status, count) in counts.iter().filter(|(_, n)| *n > 0) {
        let _ = write!(
            out,
            "<span class=\"status {status}\">{count} {status}</span> &nbsp; "
        );
    }
    out.push_str("</p>\n");

    out.push_str("<h2>Registration</h2>\n<dl>\n");
    let app = &record.application;
    let rows: Vec<(&str, String)> = vec![
        (
            "Tenant ID",
            record
                .tenant
                .id
                .clone()
                .unwrap_or_else(|| "not known".into()),
        ),
        (
            "Tenant domain",
            record.tenant.domain.clone().unwrap_or_else(|| "—".into()),
        ),
        ("Cloud", record.tenant.cloud.clone()),
        ("Application (client) ID", app.client_id.clone()),
        (
            "Display name",
            app.display_name.clone().unwrap_or_else(|| "—".into()),
        ),
        ("Supported account types", app.sign_in_audience.clone()),
        (
            "Redirect URIs",
            if app.redirect_uris.is_empty() {
                "none".into()
            } else {
                app.redirect_uris.join("\n")
            },
        ),
        (
            "Delegated permissions",
            join_or_none(&app.permissions.delegated),
        ),
        (
            "Application permissions",
            join_or_none(&app.permissions.application),
        ),
    ];
    for (name, value) in rows {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            escape(name),
            escape(&value).replace('\n', "<br>")
        );
    }
    let _ = writeln!(
        out,
        "<dt>Admin-consent link</dt><dd><a class=\"url\" href=\"{0}\">{0}</a></dd>\n</dl>",
        escape(&app.admin_consent_url)
    );

    out.push_str("<h2>Client secret</h2>\n<dl>\n");
    let secret = &record.secret;
    let expiry = match secret.expires {
        Some(expires) => {
            let days = (expires - record.created).num_days();
            format!(
                "{} ({} days after this report)",
                expires.format("%Y-%m-%d %H:%M UTC"),
                days
            )
        }
        None => "not known".into(),
    };
    let storage = match secret.storage {
        super::record::SecretStorage::Age => "encrypted in secret.age in this bundle",
        super::record::SecretStorage::Keyring => {
            "in the OS keychain of the computer that exported this bundle"
        }
        super::record::SecretStorage::None => "not in this bundle",
    };
    for (name, value) in [
        (
            "Secret ID",
            secret.key_id.clone().unwrap_or_else(|| "not known".into()),
        ),
        (
            "Starts with",
            secret.hint.clone().unwrap_or_else(|| "—".into()),
        ),
        ("Expires", expiry),
        ("Value", storage.to_string()),
        (
            "Reminders",
            format!(
                "{} days before expiry",
                record
                    .reminder
                    .lead_days
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    ] {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(&value));
    }
    out.push_str("</dl>\n");

    if let Some(certificate) = &record.certificate {
        out.push_str("<h2>Certificate</h2>\n<dl>\n");
        let expiry = match certificate.expires {
            Some(expires) => format!(
                "{} ({} days after this report)",
                expires.format("%Y-%m-%d %H:%M UTC"),
                (expires - record.created).num_days()
            ),
            None => "not known".into(),
        };
        let key = match certificate.storage {
            super::record::SecretStorage::Age => {
                "with the certificate in certificate.pfx.age in this bundle (PKCS#12, encrypted with age; see What is left to do)"
            }
            super::record::SecretStorage::Keyring => {
                "in the OS keychain of the computer that exported this bundle"
            }
            super::record::SecretStorage::None => "not in this bundle",
        };
        for (name, value) in [
            ("Thumbprint", certificate.thumbprint.clone()),
            (
                "Certificate ID",
                certificate
                    .key_id
                    .clone()
                    .unwrap_or_else(|| "not known".into()),
            ),
            ("Expires", expiry),
            ("Private key", key.to_string()),
        ] {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(&value));
        }
        out.push_str("</dl>\n");
    }

    out.push_str("<h2>Product settings</h2>\n<table>\n<thead><tr><th>Setting</th><th>Value</th></tr></thead>\n<tbody>\n");
    for (name, value) in &record.settings {
        let shown = value.clone().unwrap_or_else(|| "(see settings.txt)".into());
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
            escape(name),
            escape(&shown)
        );
    }
    out.push_str("</tbody>\n</table>\n");

    out.push_str("<h2>What is left to do</h2>\n");
    if todo.is_empty() {
        out.push_str("<p>Nothing: every checkpoint passed.</p>\n");
    } else {
        out.push_str("<ol>\n");
        for item in todo {
            let _ = writeln!(out, "<li>{}</li>", escape(item));
        }
        out.push_str("</ol>\n");
    }

    out.push_str("<h2>Checkpoints</h2>\n<table>\n<thead><tr><th>Checkpoint</th><th>Status</th><th>Finding and fix</th></tr></thead>\n<tbody>\n");
    for check in &record.checks {
        let text = |key: &str| check[key].as_str().unwrap_or_default().to_string();
        let status = text("status");
        let why = check["cause"]
            .as_str()
            .or(check["reason"].as_str())
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td class=\"id\"><code>{}</code></td><td><span class=\"status {}\">{}</span>{}</td><td>{}",
            escape(&text("id")),
            escape(&status),
            escape(&status),
            if why.is_empty() {
                String::new()
            } else {
                format!("<br><small class=\"muted\">{}</small>", escape(why))
            },
            escape(&text("message")),
        );
        if let Some(fix) = check["fix"].as_str() {
            let _ = write!(out, "<br><strong>Fix:</strong> {}", escape(fix));
        }
        if let Some(link) = check["portal_link"].as_str() {
            let _ = write!(
                out,
                "<br><a href=\"{0}\">Open in the Entra admin center</a>",
                escape(link)
            );
        }
        let evidence = &check["evidence"];
        if !evidence.is_null() && evidence.as_object().is_none_or(|o| !o.is_empty()) {
            let shown = serde_json::to_string_pretty(evidence).unwrap_or_default();
            let _ = write!(
                out,
                "<details open><summary>Evidence</summary><pre>{}</pre></details>",
                escape(&shown)
            );
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

fn join_or_none(list: &[String]) -> String {
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
