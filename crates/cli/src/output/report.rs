//! The verification report for people: one line per checkpoint with a mark, then what was found,
//! the cause and the fix; colours when the terminal supports them. Text that came from Microsoft
//! (messages, names) is printed with its control characters shown, never acted on.

use std::fmt::Write;

use console::style;
use entra_setup_core::diagnose::describe;
use entra_setup_core::printable::printable;
use entra_setup_core::verify::{Report, Status};

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
            "{mark:<13} {:<16} {}",
            check.id.as_str(),
            printable(&check.message)
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
