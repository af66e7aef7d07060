//! Secret values (client secrets, access and refresh tokens) as a type that cannot leak by
//! accident: its `Debug` is redacted, it has no `Serialize` and no `Display`, and its memory is
//! zeroed when dropped. Reading the value takes an explicit [`Secret::expose`].
//!
//! Where secrets are kept (the OS keychain, an age-encrypted file) is not this module's
//! business; it only makes the value itself safe to pass around.

use zeroize::Zeroizing;

/// A secret value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wrap a value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(value.into()))
    }

    /// The value itself: only for the request that needs it, never for a log or a file.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty (or only white space).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// The first three characters, as Microsoft shows them (`hint` of a password credential).
    pub fn hint(&self) -> String {
        self.0.chars().take(3).collect()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("Xy7Q~abcdefghijklmnop");
        let shown = format!("{secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("Xy7Q"), "{shown}");
        assert_eq!(secret.hint(), "Xy7");
        assert_eq!(secret.expose(), "Xy7Q~abcdefghijklmnop");
        assert!(Secret::new("  ").is_blank());
    }
}
