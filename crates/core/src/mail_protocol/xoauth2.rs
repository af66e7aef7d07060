//! The SASL XOAUTH2 initial response: `base64("user=" + user + "\x01auth=Bearer " + token +
//! "\x01\x01")` (reference/microsoft-wire.md §5.3). The result holds the token, so it is itself a
//! [`Secret`]: zeroed when dropped, redacted in `Debug`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::secret::Secret;

/// The address cannot go into an XOAUTH2 response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Empty or blank.
    #[error("the mailbox address is empty")]
    Empty,
    /// Contains white space or a control character (which would break the SASL fields).
    #[error("the mailbox address contains white space or control characters")]
    Unusable,
}

/// The base64 initial response for `AUTH XOAUTH2` as `user` with the bearer `token`.
pub fn initial_response(user: &str, token: &Secret) -> Result<Secret, AddressError> {
    let user = user.trim();
    if user.is_empty() {
        return Err(AddressError::Empty);
    }
    if user.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AddressError::Unusable);
    }
    let plain = Zeroizing::new(format!(
        "user={user}\x01auth=Bearer {}\x01\x01",
        token.expose()
    ));
    Ok(Secret::new(STANDARD.encode(plain.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_microsofts_worked_example() {
        let encoded = initial_response(
            "test@contoso.onmicrosoft.com",
            &Secret::new("EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA"),
        )
        .expect("encodes");
        assert_eq!(
            encoded.expose(),
            "dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0ozVmUwYmpMQldaV0NjbFJDM0VvQUEBAQ=="
        );
    }

    #[test]
    fn decodes_to_the_sasl_fields() {
        let encoded =
            initial_response(" intranet@contoso.com ", &Secret::new("tok.en")).expect("ok");
        let decoded = STANDARD.decode(encoded.expose()).expect("base64");
        assert_eq!(
            decoded,
            b"user=intranet@contoso.com\x01auth=Bearer tok.en\x01\x01"
        );
    }

    #[test]
    fn refuses_addresses_that_would_break_the_fields() {
        let token = Secret::new("t");
        assert_eq!(initial_response("  ", &token), Err(AddressError::Empty));
        assert_eq!(
            initial_response("a@b.com\x01auth=Bearer x", &token),
            Err(AddressError::Unusable)
        );
        assert_eq!(
            initial_response("a@b.com\r\nQUIT", &token),
            Err(AddressError::Unusable)
        );
    }
}
