//! Repairs with the administrator's sign-in: create the registration a profile needs or bring an
//! existing one in line (account type, every redirect URI, permissions by name on each resource —
//! Microsoft Graph, Office 365 Exchange Online), create its service principal, grant admin
//! consent per resource, make the enterprise app require user assignment and assign its users
//! when the profile says so ([`ensure_user_assignment`]), and add a client secret with an explicit end date; rotate a
//! client secret (add one beside the others) and, as a separate step, remove an old one only
//! while another that works remains. Certificates are given, rotated and removed the same way
//! ([`register_with_certificate`], [`rotate_certificate`], [`remove_certificate`]), the private
//! key kept in the keychain before the public key is uploaded.
//!
//! Every repair is idempotent — it reads first and writes only what is missing — and reports
//! exactly what it changed as [`Change`]s ("added redirect URI https://… (Web)"). Nothing is
//! removed by a repair: other redirect URIs, other permissions and existing secrets stay; only
//! [`remove_secret`], asked explicitly, removes a secret. Right after a
//! create, Microsoft's directory may not show the new object for a while (replication): writes
//! that follow wait it out with bounded retries ([`Patience`]), telling the caller through the
//! session's progress callback.
//!
//! A vendor's multi-tenant app (profile kind `vendor_consent`) is not registered here: its
//! "registration" is an administrator's approval on Microsoft's consent screen, which
//! [`approve_vendor_app`] links to and then waits for ([`vendor_approval`]'s doc says why).
//!
//! The administrator is asked for the write scopes ([`repair_scopes`]) only when repairing
//! (incremental consent); verification keeps its read-only scopes.

mod approval_wait;
mod assignment;
mod certificate;
mod consent;
mod consent_link;
mod inputs;
mod lifetimes;
mod lost_answer;
mod register;
mod registration;
mod removal_rule;
mod replication;
mod rotation;
mod secret;
mod service_principal;
pub mod vendor_approval;

use std::time::Duration;

use serde::Serialize;

pub use approval_wait::{ApprovalSeen, ApprovalWait, approval_seen, wait_for_approval};
pub use assignment::{assign_mailbox_owner, ensure_user_assignment};
pub use certificate::{
    CERTIFICATE_DEFAULT_DAYS, CERTIFICATE_MAX_DAYS, NewCertificate, RotatedCertificate,
    add_certificate, certificate_days, confirm_certificate, remove_certificate, rotate_certificate,
};
pub use consent::ensure_admin_consent;
pub use consent_link::{
    ConsentLinkError, admin_consent_url, is_multi_tenant, setup_admin_consent_url,
    tenant_admin_consent_url,
};
pub use inputs::refuse_before_writing;
pub use lifetimes::{
    LifetimeChoice, LifetimeError, PORTAL_LIFETIMES, days_until, lifetime_choices,
};
pub use register::{
    CertificateRequest, Registered, SecretRequest, may_add_secret, register,
    register_with_certificate, registers_an_app,
};
pub use registration::{RegistrationInputs, RegistrationOutcome, ensure_registration};
pub use rotation::{
    Removal, Rotated, SecretConfirmation, confirm_secret, remove_secret, rotate_secret,
    rotation_days, secret_checks_profile,
};
pub use secret::{NewSecret, add_secret, policy_max_days, policy_max_days_of, secret_days};
pub use service_principal::{ServicePrincipalOutcome, ensure_service_principal};
pub use vendor_approval::{Readiness, VendorApproval, approve_vendor_app, readiness};

use crate::cause::Cause;
use crate::graph::{ReadError, Reader, WriteError};
use crate::secret::Secret;
use crate::verify::Context;

/// The delegated Graph scopes the repairs need: create and update registrations and their
/// secrets and service principals, grant delegated admin consent, assign application
/// permissions.
pub const REPAIR_SCOPE_NAMES: &[&str] = &[
    "Application.ReadWrite.All",
    "DelegatedPermissionGrant.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All",
];

/// The repair scopes as the token endpoint takes them (`https://graph.microsoft.com/…`).
pub fn repair_scopes(ctx: &Context) -> Vec<String> {
    let graph = ctx.endpoints.graph_resource();
    REPAIR_SCOPE_NAMES
        .iter()
        .map(|s| format!("{graph}/{s}"))
        .collect()
}

/// One thing a repair changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// What was done, for people ("added redirect URI https://… (Web)").
    pub description: String,
}

/// The kinds of change the repairs make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new app registration.
    RegistrationCreated,
    /// The account type (`signInAudience`) set.
    AccountTypeSet,
    /// A redirect URI added.
    RedirectUriAdded,
    /// Permissions added to the registration (Microsoft Graph's or another resource's).
    PermissionsAdded,
    /// The enterprise application (service principal) created.
    ServicePrincipalCreated,
    /// Admin consent granted (delegated grant created or extended, or app roles assigned).
    AdminConsentGranted,
    /// The enterprise application made to let only assigned users sign in.
    UserAssignmentRequired,
    /// A user assigned to the enterprise application.
    UserAssigned,
    /// A client secret added.
    SecretAdded,
    /// A client secret removed.
    SecretRemoved,
    /// A certificate added (its public key uploaded to `keyCredentials`).
    CertificateAdded,
    /// A certificate removed from `keyCredentials`.
    CertificateRemoved,
}

impl Change {
    fn new(kind: ChangeKind, description: impl Into<String>) -> Change {
        let description = description.into();
        tracing::info!(change = ?kind, "changed in the tenant: {description}");
        Change { kind, description }
    }
}

/// How long to wait out directory replication after a create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patience {
    /// The longest total wait.
    pub total: Duration,
    /// The first wait (doubled each time, up to `max_wait`).
    pub first_wait: Duration,
    /// The longest single wait.
    pub max_wait: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Patience {
            total: Duration::from_secs(30),
            first_wait: Duration::from_millis(500),
            max_wait: Duration::from_secs(4),
        }
    }
}

/// Who repairs and how: the verification context, the administrator's token with the repair
/// scopes, the patience for replication and where progress messages go.
#[derive(Clone, Copy)]
pub struct RepairSession<'a> {
    /// HTTP client, endpoints and clock.
    pub ctx: &'a Context,
    /// The administrator's Graph token with [`repair_scopes`].
    pub admin_token: &'a Secret,
    /// How long to wait out replication.
    pub patience: Patience,
    /// Told what is happening ("waiting for Microsoft to replicate the new registration…").
    pub progress: &'a (dyn Fn(&str) + Send + Sync),
}

impl std::fmt::Debug for RepairSession<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepairSession")
            .field("patience", &self.patience)
            .finish_non_exhaustive()
    }
}

impl<'a> RepairSession<'a> {
    /// Graph, with the administrator's token.
    pub fn graph(&self) -> Reader<'a> {
        Reader {
            http: &self.ctx.http,
            endpoints: &self.ctx.endpoints,
            token: self.admin_token,
        }
    }
}

/// Why a repair stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FixError {
    /// A value to be written breaks the offline rules (nothing was sent).
    #[error("{}", .0.message)]
    InputRefused(crate::validate::InputIssue),
    /// A Graph read failed.
    #[error("{what}")]
    Read {
        /// What was being read.
        what: &'static str,
        /// Why it failed.
        #[source]
        source: ReadError,
    },
    /// A Graph write failed.
    #[error("{what}")]
    Write {
        /// What was being written.
        what: &'static str,
        /// Why it failed.
        #[source]
        source: WriteError,
    },
    /// The client ID names no registration in this tenant.
    #[error("the tenant has no app registration with the client ID {client_id}")]
    ClientIdNotFound {
        /// The client ID given.
        client_id: String,
    },
    /// A permission of the profile is not in its resource's catalogue.
    #[error("{resource} has no {kind} permission named {name}")]
    UnknownPermission {
        /// The resource (`Microsoft Graph`, `Office 365 Exchange Online`).
        resource: &'static str,
        /// `delegated` or `application`.
        kind: &'static str,
        /// The permission's name.
        name: String,
    },
    /// The profile needs a redirect URI and none was given.
    #[error("the profile needs a redirect URI: give the site URL or the redirect URI")]
    RedirectUriMissing,
    /// The profile approves a vendor's app registered in another tenant: nothing is registered.
    #[error(
        "the profile '{profile}' approves a vendor's app registered in the vendor's own tenant: nothing is registered here"
    )]
    NothingToRegister {
        /// The profile's id.
        profile: String,
    },
    /// The profile uses no client secret (a vendor's app).
    #[error("this profile uses no client secret of its own")]
    SecretNotNeeded,
    /// The profile's product takes no certificate (its `credentials` list only a secret).
    #[error(
        "the product of the profile '{profile}' cannot use a certificate: it takes a client secret"
    )]
    CertificateNotAccepted {
        /// The profile's id.
        profile: String,
    },
    /// The new certificate's private key could not be kept (no keychain, or it refused): nothing
    /// was written to the registration.
    #[error(
        "the new certificate's private key could not be kept in the OS keychain, so no certificate was registered: {reason}"
    )]
    CertificateNotKept {
        /// Why.
        reason: String,
    },
    /// The tenant's app management policy refused the secret's lifetime.
    #[error(
        "the tenant's app management policy refuses a secret valid for {requested_days} days ({})",
        .error.message
    )]
    SecretLifetimePolicy {
        /// The lifetime asked for.
        requested_days: u32,
        /// Graph's refusal.
        error: crate::graph::GraphError,
    },
    /// A step after the registration was created failed: the registration exists, and
    /// `register --client-id` repairs it.
    #[error(
        "{source} — the new app registration exists (client ID {client_id}, object ID {object_id}); \
         repairing it with that client ID finishes the job"
    )]
    StoppedAfterCreate {
        /// The new registration's application (client) ID.
        client_id: String,
        /// The new registration's object ID.
        object_id: String,
        /// What failed.
        #[source]
        source: Box<FixError>,
    },
    /// Adding a client secret failed after an attempt whose answer was lost, and the secret that
    /// attempt may have made could not be found to be removed: the administrator deletes it.
    #[error(
        "{source} — Microsoft's answer to adding a client secret to the registration {client_id} was lost: \
         should a client secret named \"{display_name}\" appear under Certificates & secrets, delete it (its value was never shown)"
    )]
    SecretValueLost {
        /// The registration's application (client) ID.
        client_id: String,
        /// The name the lost secret was given.
        display_name: String,
        /// What failed in the end.
        #[source]
        source: Box<FixError>,
    },
    /// Removing a client secret was refused: it would leave no secret that works.
    #[error("client secret {key_id} was not removed: {reason}")]
    RemovalRefused {
        /// The secret ID asked to be removed.
        key_id: String,
        /// Why, for people.
        reason: String,
        /// The cause id that explains it.
        cause: Cause,
    },
    /// Nobody approved the vendor's app within the wait.
    #[error(
        "nobody approved the app {client_id} for the organisation within {} seconds; \
         the admin-consent link stays valid: approve it, then run the same command again",
        .waited.as_secs()
    )]
    ApprovalTimeout {
        /// The vendor app's client ID.
        client_id: String,
        /// How long was waited.
        waited: Duration,
    },
    /// No admin-consent link could be made.
    #[error("no admin-consent link: {0}")]
    ConsentLink(#[source] ConsentLinkError),
    /// A new object did not appear within the patience.
    #[error("{what} did not appear in the directory within {} seconds", .waited.as_secs())]
    ReplicationTimeout {
        /// What was waited for.
        what: &'static str,
        /// How long.
        waited: Duration,
    },
}

impl FixError {
    /// The cause id (contracts/causes.md) of this failure.
    pub fn cause(&self) -> Cause {
        match self {
            FixError::Read { source, .. } => match source {
                ReadError::Unavailable(fault) => fault.cause,
                ReadError::NotFound(_) => Cause::ObjectNotFound,
                ReadError::Refused { status: 403, .. } => Cause::InsufficientAdminRights,
                ReadError::Refused { status: 401, .. } => Cause::TokenInvalid,
                ReadError::Refused { status, error } => error.cause_for_app(*status),
            },
            FixError::InputRefused(issue) => issue.cause,
            FixError::Write { source, .. } => source.cause(),
            FixError::ClientIdNotFound { .. } => Cause::ClientIdNotFound,
            FixError::UnknownPermission { .. } => Cause::PermissionMissing,
            FixError::RedirectUriMissing => Cause::RedirectUriInvalid,
            FixError::SecretNotNeeded => Cause::SecretMissing,
            // Either way no certificate was registered.
            FixError::CertificateNotAccepted { .. } | FixError::CertificateNotKept { .. } => {
                Cause::CertificateNotRegistered
            }
            FixError::NothingToRegister { .. } => Cause::ClientIdNotFound,
            FixError::SecretLifetimePolicy { .. } => Cause::SecretLifetimePolicy,
            FixError::ReplicationTimeout { .. } => Cause::ServiceUnavailable,
            FixError::ApprovalTimeout { .. } => Cause::AdminConsentMissing,
            FixError::ConsentLink(ConsentLinkError::TenantNotAllowed(_)) => {
                Cause::TenantIdMalformed
            }
            FixError::ConsentLink(ConsentLinkError::TenantNotAGuid(_)) => Cause::TenantIdMalformed,
            FixError::ConsentLink(ConsentLinkError::BadLoginEndpoint(_)) => Cause::NetworkError,
            FixError::StoppedAfterCreate { source, .. } => source.cause(),
            FixError::SecretValueLost { .. } => Cause::WriteOutcomeUnknown,
            FixError::RemovalRefused { cause, .. } => *cause,
        }
    }

    /// The registration a failed `register` created before it stopped: (client ID, object ID).
    pub fn created_registration(&self) -> Option<(&str, &str)> {
        match self {
            FixError::StoppedAfterCreate {
                client_id,
                object_id,
                ..
            } => Some((client_id, object_id)),
            _ => None,
        }
    }
}
