//! The identity platform's error bodies (`AadError::parse`, read from every failed token, sign-in
//! and discovery answer): real bodies recorded from Microsoft, damaged, and arbitrary bytes. A
//! body is an error or not one, never a panic, and what is kept of it can always be shown.

use entra_setup_core::identity::AadError;

use crate::harness::{self, Material};

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\r\\n",
    b"\\u0000",
    b":",
    b",",
    b"null",
    b"-1",
    b"4294967296",
    b"\"error\":",
    b"\"error\":\"\"",
    b"\"error_codes\":[",
    b"\"error_description\":\"",
    b"\"suberror\":",
    b" Trace ID:",
    b"AADSTS",
    b"\xef\xbb\xbf",
    b"\xff",
];

#[test]
fn token_error_takes_any_body() {
    let material = Material::new("token_error", Vec::new(), TOKENS, 16 * 1024);
    harness::fuzz("token_error", material.inputs(), |bytes| {
        let Some(error) = AadError::parse(bytes) else {
            return Ok(false);
        };
        if error.error.is_empty() {
            return Err("an error body without an error".into());
        }
        error.code();
        error.label();
        error.evidence();
        Ok(true)
    });
}
