//! The example scenarios shipped in `scenarios/`, embedded: the healthy "Contoso" demo tenant and its broken
//! variants, for the desktop app's demo tenant and for tests.

use crate::scenario::Scenario;

/// Every shipped scenario: `(name, JSON text)`; the name is the file name without `.json`.
pub const SCENARIOS: &[(&str, &str)] = &[
    ("contoso", include_str!("../scenarios/contoso.json")),
    (
        "axero-outlook-calendar",
        include_str!("../scenarios/axero-outlook-calendar.json"),
    ),
    (
        "axero-m365-email",
        include_str!("../scenarios/axero-m365-email.json"),
    ),
    (
        "odoo-outlook-calendar",
        include_str!("../scenarios/odoo-outlook-calendar.json"),
    ),
    (
        "exchange-calendar-connector",
        include_str!("../scenarios/exchange-calendar-connector.json"),
    ),
    (
        "vendor-app-consent",
        include_str!("../scenarios/vendor-app-consent.json"),
    ),
    (
        "wordpress-wpo365-mailer",
        include_str!("../scenarios/wordpress-wpo365-mailer.json"),
    ),
    (
        "wordpress-wpo365-mailer-http-redirect",
        include_str!("../scenarios/wordpress-wpo365-mailer-http-redirect.json"),
    ),
    (
        "gitlab-graph-mailer",
        include_str!("../scenarios/gitlab-graph-mailer.json"),
    ),
    (
        "gitlab-graph-mailer-delegated",
        include_str!("../scenarios/gitlab-graph-mailer-delegated.json"),
    ),
    (
        "nextcloud-mail-microsoft",
        include_str!("../scenarios/nextcloud-mail-microsoft.json"),
    ),
    (
        "nextcloud-mail-microsoft-single-tenant",
        include_str!("../scenarios/nextcloud-mail-microsoft-single-tenant.json"),
    ),
    (
        "freescout-microsoft",
        include_str!("../scenarios/freescout-microsoft.json"),
    ),
    (
        "freescout-microsoft-imap-off",
        include_str!("../scenarios/freescout-microsoft-imap-off.json"),
    ),
    (
        "odoo-outlook-mail",
        include_str!("../scenarios/odoo-outlook-mail.json"),
    ),
    (
        "odoo-outlook-mail-no-consent",
        include_str!("../scenarios/odoo-outlook-mail-no-consent.json"),
    ),
    (
        "zammad-microsoft365",
        include_str!("../scenarios/zammad-microsoft365.json"),
    ),
    (
        "zammad-microsoft365-wrong-fqdn",
        include_str!("../scenarios/zammad-microsoft365-wrong-fqdn.json"),
    ),
    (
        "glpi-oauthimap",
        include_str!("../scenarios/glpi-oauthimap.json"),
    ),
    (
        "glpi-oauthimap-spa-redirect",
        include_str!("../scenarios/glpi-oauthimap-spa-redirect.json"),
    ),
    (
        "moodle-microsoft-oauth",
        include_str!("../scenarios/moodle-microsoft-oauth.json"),
    ),
    (
        "moodle-microsoft-oauth-http-redirect",
        include_str!("../scenarios/moodle-microsoft-oauth-http-redirect.json"),
    ),
    (
        "vendor-app-unapproved",
        include_str!("../scenarios/vendor-app-unapproved.json"),
    ),
    (
        "vendor-app-requested",
        include_str!("../scenarios/vendor-app-requested.json"),
    ),
    (
        "wrong-client-id",
        include_str!("../scenarios/wrong-client-id.json"),
    ),
    (
        "secret-id-pasted",
        include_str!("../scenarios/secret-id-pasted.json"),
    ),
    (
        "expired-secret",
        include_str!("../scenarios/expired-secret.json"),
    ),
    (
        "missing-consent",
        include_str!("../scenarios/missing-consent.json"),
    ),
    (
        "wrong-redirect-uri",
        include_str!("../scenarios/wrong-redirect-uri.json"),
    ),
    (
        "wrong-account-type",
        include_str!("../scenarios/wrong-account-type.json"),
    ),
    (
        "smtp-auth-off-tenant",
        include_str!("../scenarios/smtp-auth-off-tenant.json"),
    ),
    (
        "smtp-auth-off-mailbox",
        include_str!("../scenarios/smtp-auth-off-mailbox.json"),
    ),
    (
        "shared-mailbox",
        include_str!("../scenarios/shared-mailbox.json"),
    ),
    (
        "unlicensed-mailbox",
        include_str!("../scenarios/unlicensed-mailbox.json"),
    ),
    (
        "user-consent-disabled",
        include_str!("../scenarios/user-consent-disabled.json"),
    ),
    ("throttling", include_str!("../scenarios/throttling.json")),
    (
        "access-policy-denied",
        include_str!("../scenarios/access-policy-denied.json"),
    ),
];

/// The healthy Contoso demo tenant.
pub fn contoso() -> Scenario {
    scenario("contoso")
        .unwrap_or_else(|| panic!("the shipped contoso scenario is valid (checked by the tests)"))
}

/// A shipped scenario by name, parsed.
pub fn scenario(name: &str) -> Option<Scenario> {
    SCENARIOS
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, text)| Scenario::from_json(text).ok())
}

/// The names of the shipped scenarios.
pub fn names() -> Vec<&'static str> {
    SCENARIOS.iter().map(|(name, _)| *name).collect()
}
