//! The integration profiles written from each product's own guide (GitLab's Graph mailer,
//! Nextcloud Mail, FreeScout, Odoo's Outlook mail servers, Zammad's Microsoft 365 channel, GLPI's
//! OAuth IMAP plugin, Moodle's Microsoft OAuth 2 service, WordPress's WPO365 Graph Mailer), with the real binary against each
//! profile's example tenant in the stand-in: `register` makes the registration from nothing, then
//! `verify --sign-in device-code` passes every check — the mailbox owner signing in over SMTP and
//! IMAP where a check acts as them, the test email sent with the app's own token where the
//! product sends as the application — and each profile's broken example (the mistake its guide
//! or tracker reports most) fails on that check with the contract's cause, and on nothing else
//! but what follows from it.

use entra_setup_tests::cli::entra_setup;
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::verify;
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const ADMIN: &str = "admin@contoso.com";
const OWNER: &str = "intranet@contoso.com";

/// One product: its profile, the options `register` and `verify` take, whether the mailbox
/// owner signs in, and its broken example.
struct Integration {
    profile: &'static str,
    site: &'static [&'static str],
    mailbox: &'static [&'static str],
    owner_signs_in: bool,
    broken: Broken,
}

/// A broken example scenario: the check that fails with its cause, and the checks that fail
/// with it as a consequence.
struct Broken {
    scenario: &'static str,
    check: &'static str,
    cause: &'static str,
    also_fails: &'static [&'static str],
}

const MAILBOX: &[&str] = &["--mailbox", OWNER];

const INTEGRATIONS: &[Integration] = &[
    Integration {
        profile: "gitlab-graph-mailer",
        site: &[],
        mailbox: &["--mailbox", OWNER, "--test-recipient", "bob@contoso.com"],
        owner_signs_in: false,
        broken: Broken {
            scenario: "gitlab-graph-mailer-delegated",
            check: "api_permissions",
            cause: "wrong_permission_type",
            // The application permission it needs is not consented either.
            also_fails: &["admin_consent"],
        },
    },
    Integration {
        profile: "nextcloud-mail-microsoft",
        site: &["--site-url", "https://cloud.contoso.com"],
        mailbox: MAILBOX,
        owner_signs_in: true,
        broken: Broken {
            scenario: "nextcloud-mail-microsoft-single-tenant",
            check: "account_type",
            cause: "account_type_mismatch",
            also_fails: &[],
        },
    },
    Integration {
        profile: "freescout-microsoft",
        site: &["--site-url", "https://support.contoso.com"],
        mailbox: MAILBOX,
        owner_signs_in: true,
        broken: Broken {
            scenario: "freescout-microsoft-imap-off",
            check: "imap_auth",
            cause: "imap_disabled_mailbox",
            also_fails: &[],
        },
    },
    Integration {
        profile: "odoo-outlook-mail",
        site: &["--site-url", "https://odoo.contoso.com"],
        mailbox: MAILBOX,
        owner_signs_in: true,
        broken: Broken {
            scenario: "odoo-outlook-mail-no-consent",
            check: "admin_consent",
            cause: "admin_consent_missing",
            also_fails: &[],
        },
    },
    Integration {
        profile: "zammad-microsoft365",
        site: &["--site-url", "https://zammad.contoso.com"],
        mailbox: &["--mailbox", OWNER, "--test-recipient", "bob@contoso.com"],
        owner_signs_in: true,
        broken: Broken {
            scenario: "zammad-microsoft365-wrong-fqdn",
            check: "redirect_uri",
            cause: "redirect_uri_mismatch",
            also_fails: &[],
        },
    },
    Integration {
        profile: "glpi-oauthimap",
        site: &[
            "--site-url",
            "https://glpi.contoso.com/marketplace/oauthimap",
        ],
        mailbox: MAILBOX,
        owner_signs_in: true,
        broken: Broken {
            scenario: "glpi-oauthimap-spa-redirect",
            check: "redirect_uri",
            cause: "redirect_platform_wrong",
            also_fails: &[],
        },
    },
    Integration {
        profile: "moodle-microsoft-oauth",
        site: &["--site-url", "https://moodle.contoso.com"],
        mailbox: &[],
        owner_signs_in: false,
        broken: Broken {
            scenario: "moodle-microsoft-oauth-http-redirect",
            check: "redirect_uri",
            cause: "redirect_uri_mismatch",
            also_fails: &[],
        },
    },
    Integration {
        profile: "wordpress-wpo365-mailer",
        site: &["--site-url", "https://wordpress.contoso.com"],
        mailbox: &["--mailbox", OWNER, "--test-recipient", "bob@contoso.com"],
        owner_signs_in: true,
        broken: Broken {
            scenario: "wordpress-wpo365-mailer-http-redirect",
            check: "redirect_uri",
            cause: "redirect_uri_mismatch",
            also_fails: &[],
        },
    },
];

impl Integration {
    /// `verify --sign-in device-code` options for the registration `client_id`.
    fn verify_args<'a>(&'a self, client_id: &'a str) -> Vec<&'a str> {
        let mut args = vec![
            "--profile",
            self.profile,
            "--client-id",
            client_id,
            "--sign-in",
            "device-code",
        ];
        args.extend_from_slice(self.site);
        args.extend_from_slice(self.mailbox);
        args
    }

    /// Who signs in on one `verify`: the administrator, then the owner when a check acts as them.
    fn verify_people(&self) -> Vec<&'static str> {
        if self.owner_signs_in {
            vec![ADMIN, OWNER]
        } else {
            vec![ADMIN]
        }
    }
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#}"))
}

fn ids_with_status<'a>(report: &'a Value, status: &str) -> Vec<&'a str> {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == status)
        .map(|c| c["id"].as_str().expect("id"))
        .collect()
}

#[test]
fn each_registers_from_nothing_then_passes_every_check() {
    for integration in INTEGRATIONS {
        let profile = integration.profile;
        // The administrator signs in for `register`, then for `verify` with the owner after.
        let mut people = vec![ADMIN];
        people.extend(integration.verify_people());
        let stand_in = StandIn::start_with(profile, |s| {
            s["tenants"][0]["applications"] = json!([]);
            s["sign_in"] = json!({ "as": people });
        });
        let home = tempfile::tempdir().expect("home");
        let mut args = vec![
            "register",
            "--json",
            "--tenant",
            "contoso.com",
            "--profile",
            profile,
            "--show-secret",
        ];
        args.extend_from_slice(integration.site);
        let registered = entra_setup(&stand_in, home.path(), &args, None, &[]);
        let result = registered.json();
        assert_eq!(
            registered.code,
            Some(0),
            "{profile}: {result:#}\n{}",
            registered.stderr
        );
        let client_id = result["client_id"].as_str().expect("client_id");
        let secret = result["secret"]["value"].as_str().expect("value");

        let (code, report) = verify(&stand_in, &integration.verify_args(client_id), Some(secret));
        let all: Vec<&str> = ids_with_status(&report, "pass");
        assert_eq!(
            all.len(),
            report["checks"].as_array().map_or(0, Vec::len),
            "{profile}: {report:#}"
        );
        assert_eq!(code, 0, "{profile}");
        for id in ["smtp_auth", "imap_auth"] {
            if let Some(probe) = report["checks"]
                .as_array()
                .and_then(|checks| checks.iter().find(|c| c["id"] == id))
            {
                assert_eq!(probe["evidence"]["mailbox"], OWNER, "{profile}: {id}");
            }
        }
        if integration.profile == "gitlab-graph-mailer" {
            assert_eq!(
                check(&report, "test_email")["evidence"]["sent_as"],
                "application"
            );
        }
    }
}

#[test]
fn each_broken_example_fails_on_its_check_with_its_cause() {
    for integration in INTEGRATIONS {
        let Broken {
            scenario,
            check: failing_check,
            cause,
            also_fails,
        } = integration.broken;
        let people = integration.verify_people();
        let stand_in = StandIn::start_with(scenario, |s| {
            s["sign_in"] = json!({ "as": people });
        });
        let (code, report) = verify(&stand_in, &integration.verify_args(APP), Some(APP_SECRET));
        let failed = check(&report, failing_check);
        assert_eq!(failed["status"], "fail", "{scenario}: {report:#}");
        assert_eq!(failed["cause"], cause, "{scenario}: {failed:#}");
        let mut expected = vec![failing_check];
        expected.extend_from_slice(also_fails);
        assert_eq!(
            ids_with_status(&report, "fail"),
            expected,
            "{scenario}: {report:#}"
        );
        assert_eq!(code, 1, "{scenario}");
    }
}
