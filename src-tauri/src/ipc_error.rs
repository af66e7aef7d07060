//! Core errors as the UI sees them: a stable `code` it can act on and a message for people.
//!
//! Codes are added only when the UI acts on them differently; the `From` impls match
//! exhaustively, so a new core error variant forces a decision here.

use entra_setup_core::profile::CatalogError;
use serde::Serialize;

/// What the UI may do differently about a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum IpcErrorCode {
    /// A profile file (the admin's own) is malformed or clashes with another: show which file.
    ProfileInvalid,
    /// A file the program keeps cannot be read or written.
    StorageUnavailable,
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

impl From<CatalogError> for IpcError {
    fn from(error: CatalogError) -> Self {
        let code = match &error {
            CatalogError::Malformed { .. }
            | CatalogError::RuleBroken { .. }
            | CatalogError::DuplicateId { .. } => IpcErrorCode::ProfileInvalid,
            CatalogError::Unreadable { .. } => IpcErrorCode::StorageUnavailable,
        };
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        IpcError { code, message }
    }
}
