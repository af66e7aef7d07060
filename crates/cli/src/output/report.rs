//! The verification report for people: one line per checkpoint with a mark, then what was found,
//! the cause and the fix; colours when the terminal supports them. Text that came from Microsoft
//! (messages, names) is printed with its control characters shown, never acted on.

use std::fmt::Write;

use console::style;
use entra_setup_core::diagnose::describe;
use entra_setup_core::printable::printable;
use entra_setup_core::verify::{CheckResult, Needed, Report, Status};

/// The options that give what a skipped check waits for (the core names the input, this
/// command's options carry it).
fn needed_option(needed: Needed) -> &'static str {
    match needed {
        Needed::ClientId => "--client-id",
        Needed::ClientSecret => "--secret-stdin, --secret-env or --secret-from-keyring",
        Needed::RedirectUri => "--site-url or --redirect-uri",
        Needed::Mailbox => "--mailbox",
        Needed::TestRecipient => "--test-recipient",
        Needed::AdminSignIn => "--sign-in device-code",
        Needed::MailboxOwnerSignIn => "--sign-in device-code with --mailbox",
    }
}

/// ` (use --mailbox)` after a skipped check's message, or nothing.
fn needs_in_options(check: &CheckResult) -> String {
    let owner = check.needs.contains(&Needed::MailboxOwnerSignIn);
    let options: Vec<&str> = check
        .needs
        .iter()
        // The owner's sign-in already implies the administrator's.
        .filter(|n| !(owner && **n == Needed::AdminSignIn))
        .map(|n| needed_option(*n))
        .collect();
    if options.is_empty() {
        String::new()
    } else {
        format!(" (use {})", options.join(" and "))
    }
}

/// The report as text.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let tenant = printable(report.tenant_id.as_deref().unwrap_or("unknown tenant"));
    let _ = writeln!(out, "{} — tenant {tenant}", style(&report.profile).bold());
    for check in &report.checks {
        let mark = match check.status {
            Status::Pass => style("✔ pass").green(),
            Status::Fail => style("✘ fail").red().bold(),
            Status::Warn => style("! warn").yellow(),
            Status::Unverified => style("? unverified").magenta(),
            Status::Skipped => style("- skipped").dim(),
        };
        let _ = writeln!(
            out,
            "{mark:<13} {:<16} {}{}",
            check.id.as_str(),
            printable(&check.message),
            needs_in_options(check)
        );
        if let Some(cause) = check.cause.filter(|_| check.status != Status::Pass) {
            let _ = writeln!(
                out,
                "{:31}{} ({cause})",
                "",
                style(describe(cause).title).bold()
            );
        }
        if let Some(fix) = &check.fix {
            let _ = writeln!(out, "{:31}Fix: {}", "", printable(fix));
        }
        if let Some(link) = &check.portal_link {
            let _ = writeln!(out, "{:31}Open: {}", "", printable(link));
        }
    }
    let s = report.summary;
    let _ = writeln!(
        out,
        "\n{} passed, {} failed, {} warnings, {} unverified, {} skipped",
        s.pass, s.fail, s.warn, s.unverified, s.skipped
    );
    out
}

#[cfg(test)]
mod tests {
    use entra_setup_core::check::CheckId;
    use entra_setup_core::verify::outcome::skipped;
    use entra_setup_core::verify::{Needed, Report, SkipReason};

    use super::render;

    #[test]
    fn a_skipped_check_names_the_options_that_give_what_it_waits_for() {
        let checks = vec![
            skipped(
                CheckId::Mailbox,
                SkipReason::MissingInput,
                "No mailbox was given.",
            )
            .with_needs(&[Needed::Mailbox]),
            skipped(
                CheckId::SmtpAuth,
                SkipReason::NeedsSignIn,
                "The probe acts as the mailbox owner.",
            )
            .with_needs(&[Needed::AdminSignIn, Needed::MailboxOwnerSignIn]),
            skipped(
                CheckId::CalendarAccess,
                SkipReason::NotApplicable,
                "Not used.",
            ),
        ];
        let report = Report {
            profile: "axero-m365-email".into(),
            tenant_id: None,
            client_id: None,
            summary: Report::summarise(&checks),
            checks,
        };
        let text = console::strip_ansi_codes(&render(&report)).to_string();
        assert!(
            text.contains("No mailbox was given. (use --mailbox)"),
            "{text}"
        );
        assert!(
            text.contains("mailbox owner. (use --sign-in device-code with --mailbox)"),
            "{text}"
        );
        assert!(text.contains("Not used.\n"), "{text}");
    }
}
