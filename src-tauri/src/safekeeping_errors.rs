//! The bundle's, the keychain's and the reminders' errors as the UI sees them, matched
//! exhaustively like those of [`crate::ipc_error`].

use entra_setup_core::bundle::BundleError;
use entra_setup_core::reminders::{ManualEntryError, RegistryError};
use entra_setup_core::secrets::SecretStoreError;
use entra_setup_core::wizard::export::ExportInputError;

use crate::ipc_error::{IpcError, IpcErrorCode};

impl From<BundleError> for IpcError {
    fn from(error: BundleError) -> Self {
        let code = match &error {
            BundleError::NotABundle { .. } => IpcErrorCode::BundleRefused,
            BundleError::Write { .. } => IpcErrorCode::StorageUnavailable,
            BundleError::Encrypt(_)
            | BundleError::RecipientsAndPassphrase
            | BundleError::NoSecretToEncrypt
            | BundleError::NoCertificateToEncrypt
            | BundleError::Certificate(_) => IpcErrorCode::InvalidInput,
        };
        let message = match &error {
            BundleError::NoSecretToEncrypt => format!(
                "secret.age: {error}: enter the secret on the secret step, or use the one kept in the keychain, then export again"
            ),
            _ => error.to_string(),
        };
        IpcError::new(code, message)
    }
}

impl From<SecretStoreError> for IpcError {
    fn from(error: SecretStoreError) -> Self {
        let code = match &error {
            SecretStoreError::Unavailable(_) => IpcErrorCode::KeychainUnavailable,
            SecretStoreError::Failed(_) | SecretStoreError::NotText(_) => {
                IpcErrorCode::StorageUnavailable
            }
        };
        IpcError::new(code, entra_setup_core::error_text::with_sources(&error))
    }
}

impl From<RegistryError> for IpcError {
    fn from(error: RegistryError) -> Self {
        let code = match &error {
            RegistryError::Io { .. } | RegistryError::Unreadable { .. } => {
                IpcErrorCode::StorageUnavailable
            }
        };
        IpcError::new(code, entra_setup_core::error_text::with_sources(&error))
    }
}

impl From<ExportInputError> for IpcError {
    fn from(error: ExportInputError) -> Self {
        IpcError::new(IpcErrorCode::InvalidInput, error.to_string())
    }
}

impl From<ManualEntryError> for IpcError {
    fn from(error: ManualEntryError) -> Self {
        IpcError::new(IpcErrorCode::InvalidInput, error.to_string())
    }
}
