//! Acceptance tests that need no display: the architecture's rules and the CLI's contract.

mod app_start;
mod architecture;
mod cli_bundle;
mod cli_bundle_certificate;
mod cli_certificates;
mod cli_diagnose;
mod cli_integration_profiles;
mod cli_lost_answers;
mod cli_monitor;
mod cli_profiles;
mod cli_register;
mod cli_register_vendor;
mod cli_reminders;
mod cli_rotate_secret;
mod cli_secrets_stay_secret;
mod cli_verify;
mod cli_verify_signed_in;
mod keychain;
