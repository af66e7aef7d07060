//! Integration profiles: what an integration needs from Entra ID, as data.
//!
//! A profile says which redirect URIs, account type and permissions (by *name*, per resource:
//! Microsoft Graph and Office 365 Exchange Online) a product needs, whether its enterprise app
//! requires user assignment,
//! which checkpoints apply, how long its secret should live, what the product calls each setting,
//! and the product's own warnings and troubleshooting entries. The shipped profiles are TOML files
//! in `crates/core/profiles/`, embedded at build time; an admin may add their own in the config
//! folder (`profiles/*.toml`).
//!
//! This module parses and validates profiles and answers questions about them. It deliberately
//! does not verify anything against Microsoft (that is the verification engine's job) and does
//! not resolve permission names to GUIDs (it only checks that another resource's names are in
//! Microsoft's catalogue of that resource).

mod catalog;
mod schema;

pub use catalog::{Catalog, CatalogError, ProfileSource};
pub use schema::{
    AccountType, ApiResource, Assignee, CredentialType, Guidance, MoreRedirect, Needs, Permissions,
    Profile, ProfileKind, Redirect, RedirectPlatform, Registration, ResourcePermissions,
    SecretAdvice, Setting, SettingSource, Troubleshooting, UserAssignment, Warning, WizardStep,
};

use serde::Serialize;

use crate::check::CheckId;

/// What a list of integrations shows for one profile: the CLI's `profiles --json` entry
/// (`id`, `title`, `product`, `kind`) and what the start screen needs to help an admin choose.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProfileSummary {
    /// Stable id (`axero-outlook-calendar`).
    pub id: String,
    /// What the admin sets up, in a few words.
    pub title: String,
    /// The product being connected.
    pub product: String,
    /// The integration's archetype.
    pub kind: ProfileKind,
    /// One or two sentences on what the integration does.
    pub summary: String,
    /// The Entra and Exchange roles the admin needs.
    pub admin_roles: Vec<String>,
    /// The licences the users or mailboxes need.
    pub licences: Vec<String>,
    /// About how long the setup takes, in minutes.
    pub estimated_minutes: u32,
    /// The checkpoints that apply.
    pub checks: Vec<CheckId>,
    /// Whether the profile came with the product or from the admin's config folder.
    pub source: ProfileSource,
}
