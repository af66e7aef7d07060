//! `entra-setup diagnose [--profile ID] [--json]`: explain the error text on stdin
//! (contracts/cli.md).
//!
//! Reads everything on stdin, asks the core for findings and prints them: as
//! `{"findings": […]}` with `--json`, otherwise one block per finding. With `--profile`, the
//! findings that belong to that integration come first; an unknown profile id exits 64 naming it,
//! before stdin is read. Exit status 0 whether or not anything was recognised.

use std::io::{IsTerminal, Read};

use entra_setup_core::diagnose::{Diagnosis, Finding, diagnose_for};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::profile::Catalog;

use crate::exit::{ExitStatus, UsageError};

/// Read stdin, diagnose it (for `profile`, when given) and print the findings.
pub fn run(profile: Option<&str>, json: bool) -> anyhow::Result<ExitStatus> {
    let catalog = catalog();
    // Refuse an unknown profile before waiting on stdin.
    diagnose_for("", &catalog, profile).map_err(|e| UsageError(format!("--profile: {e}")))?;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!(
            "Paste the error text, then press Ctrl-D (Ctrl-Z and Enter on Windows) to finish."
        );
    }
    let mut bytes = Vec::new();
    stdin.lock().read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let findings = diagnose_for(&text, &catalog, profile)
        .map_err(|e| UsageError(format!("--profile: {e}")))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&Diagnosis { findings })?);
    } else {
        print!("{}", report(&findings));
    }
    Ok(ExitStatus::Ok)
}

/// The shipped profiles and the admin's own; a broken profile of the admin's only costs its
/// symptoms (said on stderr), it does not stop the diagnosis.
fn catalog() -> Catalog {
    let loaded = AppPaths::from_env()
        .map_err(|e| e.to_string())
        .and_then(|paths| {
            Catalog::with_user_dir(&paths.user_profiles_dir())
                .map_err(|e| entra_setup_core::error_text::with_sources(&e))
        });
    loaded.unwrap_or_else(|problem| {
        eprintln!("entra-setup: using the shipped profiles only: {problem}");
        Catalog::shipped()
    })
}

/// One block per finding, most specific first, for a person to read.
fn report(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "No known error recognised. Paste the whole message: the AADSTS code, the Graph \
                error body or the SMTP reply line.\n"
            .to_string();
    }
    let mut out = String::new();
    for (number, finding) in findings.iter().enumerate() {
        if number > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{}. {}\n", number + 1, finding.title));
        let code = finding.code.as_deref().unwrap_or("-");
        out.push_str(&format!("   Code:        {code} ({})\n", finding.source));
        out.push_str(&format!("   Cause:       {}\n", finding.cause));
        out.push_str(&format!("   Explanation: {}\n", finding.explanation));
        out.push_str(&format!("   Fix:         {}\n", finding.fix));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use entra_setup_core::diagnose::diagnose;

    #[test]
    fn the_report_has_one_block_per_finding() {
        let findings = diagnose(
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
            &Catalog::shipped(),
        );
        let text = report(&findings);
        assert!(text.starts_with("1. "), "{text}");
        assert!(text.contains("Code:        535 5.7.139 (smtp)"), "{text}");
        assert!(
            text.contains("Cause:       smtp_auth_disabled_tenant"),
            "{text}"
        );
        assert!(text.contains("Set-TransportConfig"), "{text}");
        assert!(report(&[]).starts_with("No known error"));
    }
}
