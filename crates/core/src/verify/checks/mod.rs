//! One module per live check (or per request that decides several checks at once). Each takes
//! what it needs, asks Microsoft, and returns results; the order and the dependencies between
//! them belong to the engine in `verify/mod.rs`.

pub mod app_credentials;
pub mod app_permissions;
pub mod calendar_access;
pub mod tenant;
