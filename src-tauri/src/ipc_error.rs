//! Core errors as the UI sees them: a stable `code` it can act on and a message for people.
//!
//! Codes are added only when the UI acts on them differently; the `From` impls match
//! exhaustively, so a new core error variant forces a decision here.

use entra_setup_core::diagnose::UnknownProfile;
use entra_setup_core::error_text::with_sources;
use entra_setup_core::fix::FixError;
use entra_setup_core::identity::SignInError;
use entra_setup_core::profile::CatalogError;
use entra_setup_core::wizard::WizardStoreError;
use serde::Serialize;

/// What the UI may do differently about a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum IpcErrorCode {
    /// A profile file (the admin's own) is malformed or clashes with another: show which file.
    ProfileInvalid,
    /// A file the program keeps cannot be read or written.
    StorageUnavailable,
    /// An input is refused; the message names the field.
    InvalidInput,
    /// No setup is under way: go back to the start screen.
    NoWizard,
    /// The step needs the administrator's sign-in first.
    NotSignedIn,
    /// The sign-in did not end with a signed-in person (declined, expired, refused).
    SignInFailed,
    /// Microsoft refused a repair; the message says why and what to do.
    RepairFailed,
    /// Microsoft could not be asked (network, throttling, outage): try again.
    Unavailable,
    /// The demo tenant cannot start or switch.
    DemoUnavailable,
    /// No OS keychain answers: the secret cannot be kept or read (never a file instead).
    KeychainUnavailable,
    /// The file is not a bundle this version opens: show why.
    BundleRefused,
    /// The setup the command was started in was closed or replaced before it finished: its
    /// answer belongs to no screen any more, and nothing of it was kept; ignore it quietly.
    SessionEnded,
}

/// A failed command, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    /// What kind of failure.
    pub code: IpcErrorCode,
    /// What happened, for people.
    pub message: String,
}

impl IpcError {
    /// An error with `code` and `message`.
    pub fn new(code: IpcErrorCode, message: impl Into<String>) -> IpcError {
        IpcError {
            code,
            message: message.into(),
        }
    }

    /// The answer of a command whose setup was closed or replaced before it finished.
    pub fn session_ended() -> IpcError {
        IpcError::new(
            IpcErrorCode::SessionEnded,
            "The setup this was started in was closed or replaced; its result was not kept.",
        )
    }
}

impl From<UnknownProfile> for IpcError {
    fn from(error: UnknownProfile) -> IpcError {
        IpcError::new(IpcErrorCode::InvalidInput, error.to_string())
    }
}

impl From<CatalogError> for IpcError {
    fn from(error: CatalogError) -> Self {
        let code = match &error {
            CatalogError::Malformed { .. }
            | CatalogError::RuleBroken { .. }
            | CatalogError::DuplicateId { .. } => IpcErrorCode::ProfileInvalid,
            CatalogError::Unreadable { .. } => IpcErrorCode::StorageUnavailable,
        };
        IpcError::new(code, with_sources(&error))
    }
}

impl From<WizardStoreError> for IpcError {
    fn from(error: WizardStoreError) -> Self {
        let code = match &error {
            WizardStoreError::Io { .. } | WizardStoreError::Damaged { .. } => {
                IpcErrorCode::StorageUnavailable
            }
        };
        IpcError::new(code, with_sources(&error))
    }
}

impl From<FixError> for IpcError {
    fn from(error: FixError) -> Self {
        let cause = error.cause();
        let code = if cause.is_transient() {
            IpcErrorCode::Unavailable
        } else {
            match &error {
                FixError::Read { .. }
                | FixError::Write { .. }
                | FixError::ClientIdNotFound { .. }
                | FixError::UnknownPermission { .. }
                | FixError::SecretLifetimePolicy { .. }
                | FixError::ReplicationTimeout { .. }
                | FixError::ApprovalTimeout { .. }
                | FixError::StoppedAfterCreate { .. }
                | FixError::SecretValueLost { .. } => IpcErrorCode::RepairFailed,
                FixError::CertificateNotKept { .. } => IpcErrorCode::KeychainUnavailable,
                FixError::ConsentLink(_)
                | FixError::InputRefused(_)
                | FixError::RedirectUriMissing
                | FixError::SecretNotNeeded
                | FixError::NothingToRegister { .. }
                | FixError::RemovalRefused { .. }
                | FixError::CertificateNotAccepted { .. } => IpcErrorCode::InvalidInput,
            }
        };
        let fix = entra_setup_core::diagnose::describe(cause).fix;
        IpcError::new(
            code,
            format!("Could not repair: {}. {fix}", with_sources(&error)),
        )
    }
}

impl From<SignInError> for IpcError {
    fn from(error: SignInError) -> Self {
        let code = match &error {
            SignInError::Declined
            | SignInError::Expired
            | SignInError::StateMismatch
            | SignInError::Rejected(_) => IpcErrorCode::SignInFailed,
            SignInError::Unavailable(_) => IpcErrorCode::Unavailable,
        };
        let advice = error
            .cause()
            .map(|cause| format!(" {}", entra_setup_core::diagnose::describe(cause).fix))
            .unwrap_or_default();
        IpcError::new(
            code,
            format!("The sign-in did not finish: {error}.{advice}"),
        )
    }
}
