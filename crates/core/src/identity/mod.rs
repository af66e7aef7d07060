//! The Microsoft identity platform (v2.0): OpenID discovery (a domain becomes the tenant's GUID
//! and cloud), the token endpoint (client credentials, with a secret or with a client assertion a
//! certificate signs), the error bodies it answers with, and the claims of the tokens it issues.
//!
//! The OAuth 2.0 requests (client credentials, authorization code with PKCE, refresh, device
//! authorization) are the `oauth2` crate's, sent through the core's own HTTP client, with
//! Microsoft's error body as the crate's error type ([`AadError`]); only the device-code poll is
//! written by hand (its module says why).
//!
//! Errors are classified from `error` and `error_codes` only, never from the description text,
//! which Microsoft changes without notice (the browser's redirect, which carries no
//! `error_codes`, gives its number in `error_uri` or as the `AADSTSnnnn` opening the
//! description: only that number is read). People sign in in the browser (authorization code
//! with PKCE on a loopback redirect) or with the device-code flow, through the public client
//! [`resolve_sign_in_client`] chooses.

mod aad_error;
mod browser;
mod claims;
mod client_credentials;
mod codes;
mod device_code;
mod discovery;
mod oauth;
mod sign_in;
mod sign_in_client;

pub use aad_error::AadError;
pub use browser::{BROWSER_SIGN_IN_TIMEOUT, sign_in_with_browser};
pub use claims::TokenClaims;
pub use client_credentials::{
    AppToken, TokenError, client_credentials, client_credentials_with_certificate,
};
pub use codes::{cause_for_code, cause_of};
pub use device_code::{DevicePrompt, sign_in_with_device_code};
pub use discovery::{DiscoveryError, TenantInfo, discover, tenant_id_of};
pub use sign_in::{DEFAULT_SIGN_IN_CLIENT, SignInError, UserTokens, token_for_scopes};
pub use sign_in_client::{
    DISTRIBUTOR_SIGN_IN_CLIENT, SIGN_IN_CLIENT_ENV, SIGN_IN_CLIENT_FIELD, SignInClient,
    SignInClientError, SignInClientSource, resolve_sign_in_client, save_sign_in_client,
};
