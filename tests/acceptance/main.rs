//! Acceptance tests that need no display: the architecture's rules and the CLI's contract.

mod app_start;
mod architecture;
mod cli_bundle;
mod cli_bundle_certificate;
mod cli_certificates;
mod cli_diagnose;
mod cli_freescout_microsoft;
mod cli_gitlab_mailer;
mod cli_glpi_oauthimap;
mod cli_lost_answers;
mod cli_monitor;
mod cli_moodle_microsoft_oauth;
mod cli_nextcloud_mail_microsoft;
mod cli_odoo_outlook_mail;
mod cli_profiles;
mod cli_register;
mod cli_register_vendor;
mod cli_reminders;
mod cli_rotate_secret;
mod cli_secrets_stay_secret;
mod cli_verify;
mod cli_verify_signed_in;
mod cli_zammad_microsoft365;
mod keychain;
