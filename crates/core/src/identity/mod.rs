//! The Microsoft identity platform (v2.0): OpenID discovery (a domain becomes the tenant's GUID
//! and cloud), the token endpoint (client credentials), the error bodies it answers with, and the
//! claims of the tokens it issues.
//!
//! Errors are classified from `error` and `error_codes` only, never from the description text,
//! which Microsoft changes without notice. People sign in with the device-code flow; the
//! authorization-code flow with PKCE on a loopback redirect is not built yet.

mod aad_error;
mod claims;
mod client_credentials;
mod codes;
mod device_code;
mod discovery;
mod sign_in;

pub use aad_error::AadError;
pub use claims::TokenClaims;
pub use client_credentials::{AppToken, TokenError, client_credentials};
pub use codes::{cause_for_code, cause_of};
pub use device_code::{DevicePrompt, sign_in_with_device_code};
pub use discovery::{DiscoveryError, TenantInfo, discover};
pub use sign_in::{DEFAULT_SIGN_IN_CLIENT, SignInError, UserTokens, token_for_scopes};
