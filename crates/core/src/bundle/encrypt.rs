//! `secret.age` and `certificate.pfx.age`: the secret's value, or the certificate with its
//! private key as PKCS#12, encrypted in the age format, to X25519 recipients (`age1…`) or to a
//! passphrase (scrypt), readable with the standard `age` tool.

use std::io::Write;
use std::str::FromStr;

use age::secrecy::SecretString;

use crate::secret::Secret;

/// The scrypt work factor (log2 N) of a passphrase: the `age` tool's default.
pub const SCRYPT_LOG_N: u8 = 18;

/// Who can read `secret.age`.
#[derive(Debug, Clone)]
pub enum Protection {
    /// No `secret.age`.
    None,
    /// Public keys (`age1…`).
    Recipients(Vec<String>),
    /// A passphrase.
    Passphrase(Secret),
}

/// Why the secret could not be encrypted.
#[derive(Debug, thiserror::Error)]
pub enum EncryptError {
    /// A recipient is not an age public key.
    #[error("'{recipient}' is not an age public key (age1…): {problem}")]
    BadRecipient {
        /// The recipient as given.
        recipient: String,
        /// Why.
        problem: String,
    },
    /// The age library failed.
    #[error("encrypting the secret failed: {0}")]
    Failed(String),
}

/// Check the recipients before anything is done.
pub fn parse_recipients(
    recipients: &[String],
) -> Result<Vec<age::x25519::Recipient>, EncryptError> {
    recipients
        .iter()
        .map(|r| {
            age::x25519::Recipient::from_str(r.trim()).map_err(|problem| {
                EncryptError::BadRecipient {
                    recipient: r.clone(),
                    problem: problem.to_string(),
                }
            })
        })
        .collect()
}

/// The encrypted value, or `None` without protection.
pub fn encrypt(value: &Secret, protection: &Protection) -> Result<Option<Vec<u8>>, EncryptError> {
    encrypt_bytes(value.expose().as_bytes(), protection)
}

/// The encrypted bytes (a secret's value, a PKCS#12 file), or `None` without protection.
pub fn encrypt_bytes(
    plain: &[u8],
    protection: &Protection,
) -> Result<Option<Vec<u8>>, EncryptError> {
    let failed = |e: &dyn std::fmt::Display| EncryptError::Failed(e.to_string());
    let encryptor = match protection {
        Protection::None => return Ok(None),
        Protection::Recipients(list) => {
            let parsed = parse_recipients(list)?;
            age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| failed(&e))?
        }
        Protection::Passphrase(passphrase) => {
            let mut recipient =
                age::scrypt::Recipient::new(SecretString::from(passphrase.expose().to_string()));
            // The `age` tool's own work factor, whatever this machine's speed.
            recipient.set_work_factor(SCRYPT_LOG_N);
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| failed(&e))?
        }
    };
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(|e| failed(&e))?;
    writer.write_all(plain).map_err(|e| failed(&e))?;
    writer.finish().map_err(|e| failed(&e))?;
    Ok(Some(out))
}
