//! Ready-made daily schedules for `entra-setup monitor scan` (`monitor schedule --print`): a
//! crontab line, a systemd service and timer, a Windows Task Scheduler task. The webhook URL is
//! never written into them: each names the environment variable that carries it and says where
//! to set it (a protected environment file, or the task's user environment).

/// A scheduler to print for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheduler {
    /// A crontab line.
    Cron,
    /// A systemd `.service` and `.timer` pair.
    Systemd,
    /// A Windows Task Scheduler task (XML for `schtasks /Create /XML`).
    Windows,
}

/// What the scheduled scan runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledScan {
    /// The program's path.
    pub program: String,
    /// The tenants file.
    pub tenants_file: String,
    /// `--within-days`.
    pub within_days: u32,
    /// The environment variable that holds the webhook URL, if alerts go to a webhook.
    pub webhook_env: Option<String>,
    /// Further options (`--mail-from`, `--mail-to`, `--endpoints`), already split.
    pub extra: Vec<String>,
}

impl ScheduledScan {
    fn arguments(&self) -> Vec<String> {
        let mut args = vec![
            "monitor".to_owned(),
            "scan".to_owned(),
            "--tenants".to_owned(),
            self.tenants_file.clone(),
            "--within-days".to_owned(),
            self.within_days.to_string(),
        ];
        if let Some(var) = &self.webhook_env {
            args.push("--webhook-env".to_owned());
            args.push(var.clone());
        }
        args.extend(self.extra.iter().cloned());
        args
    }
}

/// The schedule's text for `scheduler`: runs the scan daily at 07:00 local time.
pub fn render(scheduler: Scheduler, scan: &ScheduledScan) -> String {
    match scheduler {
        Scheduler::Cron => cron(scan),
        Scheduler::Systemd => systemd(scan),
        Scheduler::Windows => windows(scan),
    }
}

/// A POSIX shell word.
fn sh(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn command_line(scan: &ScheduledScan, quote: fn(&str) -> String) -> String {
    std::iter::once(quote(&scan.program))
        .chain(scan.arguments().iter().map(|a| quote(a)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn cron(scan: &ScheduledScan) -> String {
    let mut text = String::from(
        "# entra-setup monitor: scan every tenant daily at 07:00; exit 1 when a credential is due,\n# 2 when a tenant could not be read (cron mails any output to the crontab's owner).\n",
    );
    if let Some(var) = &scan.webhook_env {
        text.push_str(&format!(
            "# {var} holds the webhook URL (a secret): set it in a file only you can read, e.g.\n#   printf 'export {var}=%s\\n' \"$URL\" > ~/.config/entra-setup/monitor.env && chmod 600 ~/.config/entra-setup/monitor.env\n"
        ));
        text.push_str(&format!(
            "0 7 * * * . \"$HOME/.config/entra-setup/monitor.env\" && {} >/dev/null\n",
            command_line(scan, sh)
        ));
    } else {
        text.push_str(&format!(
            "0 7 * * * {} >/dev/null\n",
            command_line(scan, sh)
        ));
    }
    text
}

/// A systemd `ExecStart=` word (systemd's own quoting: double quotes, backslash escapes, `%%`).
fn systemd_word(word: &str) -> String {
    let escaped = word.replace('%', "%%");
    if !escaped.is_empty() && !escaped.contains([' ', '"', '\'', '\\', '$', ';']) {
        escaped
    } else {
        format!(
            "\"{}\"",
            escaped
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('$', "$$")
        )
    }
}

fn systemd(scan: &ScheduledScan) -> String {
    let environment = match &scan.webhook_env {
        Some(var) => format!(
            "# {var} holds the webhook URL (a secret): put the line {var}=https://… in this file,\n# owned by you and readable by you alone (chmod 600).\nEnvironmentFile=%h/.config/entra-setup/monitor.env\n"
        ),
        None => String::new(),
    };
    format!(
        "# ~/.config/systemd/user/entra-setup-monitor.service\n[Unit]\nDescription=entra-setup monitor: app credentials expiring in every tenant\nWants=network-online.target\nAfter=network-online.target\n\n[Service]\nType=oneshot\n{environment}ExecStart={}\n# Exit 1 (a credential is due) and 2 (a tenant could not be read) are reported, not retried.\nSuccessExitStatus=1 2\n\n# ~/.config/systemd/user/entra-setup-monitor.timer\n[Unit]\nDescription=Run entra-setup monitor daily\n\n[Timer]\nOnCalendar=*-*-* 07:00:00\nPersistent=true\nRandomizedDelaySec=15min\n\n[Install]\nWantedBy=timers.target\n\n# Enable with: systemctl --user daemon-reload && systemctl --user enable --now entra-setup-monitor.timer\n",
        command_line(scan, systemd_word)
    )
}

fn xml(text: &str) -> String {
    crate::html::escape(text)
}

/// A Windows command-line argument (the C runtime's rules: quotes, backslashes before them).
fn windows_word(word: &str) -> String {
    if !word.is_empty() && !word.contains([' ', '\t', '"']) {
        return word.to_owned();
    }
    let mut quoted = String::from("\"");
    let mut backslashes = 0;
    for c in word.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                quoted.push_str(&"\\".repeat(backslashes * 2 + 1));
                quoted.push('"');
                backslashes = 0;
            }
            _ => {
                quoted.push_str(&"\\".repeat(backslashes));
                quoted.push(c);
                backslashes = 0;
            }
        }
    }
    quoted.push_str(&"\\".repeat(backslashes * 2));
    quoted.push('"');
    quoted
}

fn windows(scan: &ScheduledScan) -> String {
    let arguments = scan
        .arguments()
        .iter()
        .map(|a| windows_word(a))
        .collect::<Vec<_>>()
        .join(" ");
    let note = match &scan.webhook_env {
        Some(var) => format!(
            "\n  <!-- {} holds the webhook URL (a secret): set it for the account the task runs as, not here:\n       [Environment]::SetEnvironmentVariable('{}', '<URL>', 'User') -->",
            xml(var),
            xml(var)
        ),
        None => String::new(),
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-16"?>
<!-- Import with: schtasks /Create /TN "entra-setup monitor" /XML entra-setup-monitor.xml -->{note}
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>entra-setup monitor: app credentials expiring in every tenant</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2026-01-01T07:00:00</StartBoundary>
      <Enabled>true</Enabled>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>S4U</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{}</Command>
      <Arguments>{}</Arguments>
    </Exec>
  </Actions>
</Task>
"#,
        xml(&scan.program),
        xml(&arguments)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan() -> ScheduledScan {
        ScheduledScan {
            program: "/usr/local/bin/entra-setup".into(),
            tenants_file: "/etc/entra setup/tenants.txt".into(),
            within_days: 30,
            webhook_env: Some("TEAMS_WEBHOOK".into()),
            extra: vec![],
        }
    }

    #[test]
    fn cron_runs_daily_and_names_the_variable_without_a_url() {
        let text = render(Scheduler::Cron, &scan());
        let line = text
            .lines()
            .find(|l| !l.starts_with('#'))
            .expect("a crontab line");
        assert!(line.starts_with("0 7 * * * "), "{line}");
        assert!(
            line.contains("monitor scan --tenants '/etc/entra setup/tenants.txt' --within-days 30 --webhook-env TEAMS_WEBHOOK"),
            "{line}"
        );
        assert!(text.contains("TEAMS_WEBHOOK holds the webhook URL"));
    }

    #[test]
    fn systemd_has_a_service_and_a_daily_timer() {
        let text = render(Scheduler::Systemd, &scan());
        assert!(text.contains("Type=oneshot"));
        assert!(text.contains("OnCalendar=*-*-* 07:00:00"));
        assert!(text.contains("EnvironmentFile="));
        assert!(text.contains("\"/etc/entra setup/tenants.txt\""), "{text}");
    }

    #[test]
    fn windows_task_is_xml_with_the_arguments_quoted() {
        let text = render(Scheduler::Windows, &scan());
        let document = text.split_once("?>").expect("declaration").1;
        assert!(document.contains("<DaysInterval>1</DaysInterval>"));
        assert!(
            text.contains(
                "<Arguments>monitor scan --tenants &quot;/etc/entra setup/tenants.txt&quot;"
            ),
            "{text}"
        );
        assert_eq!(windows_word(r#"a "b" c\"#), r#""a \"b\" c\\""#);
    }
}
