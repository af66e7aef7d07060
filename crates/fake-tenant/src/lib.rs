//! `entra-fake-tenant`: a stand-in for Microsoft's identity platform (login.microsoftonline.com), Microsoft
//! Graph v1.0, SMTP AUTH (smtp.office365.com:587) and IMAP (outlook.office365.com:993), served on loopback for the tenants of a scenario file
//! (contracts/scenario.md).
//!
//! It is an independent model with its own wire types — it does not depend on the wizard's core. Use it
//! from tests or embed it (the desktop app's demo tenant):
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use entra_fake_tenant::{FakeTenant, StartOptions, builtin};
//! let tenant = FakeTenant::start(builtin::contoso(), StartOptions::default()).await?;
//! println!("{}", tenant.endpoints().ready_line());
//! tenant.replace_scenario(&builtin::scenario("smtp-auth-off-tenant").expect("shipped"));
//! tenant.shutdown().await;
//! # Ok(()) }
//! ```

#![recursion_limit = "256"]

pub mod builtin;
pub mod certificates;
pub mod clock;
pub mod errors;
pub mod faults;
pub mod graph;
pub mod identity;
pub mod imap;
pub mod jwt;
mod mail_listener;
pub mod permissions;
pub mod routes;
pub mod scenario;
pub mod server;
pub mod smtp;
pub mod state;

pub use clock::{Clock, ManualClock};
pub use scenario::{Scenario, ScenarioError};
pub use server::{Endpoints, FakeTenant, RequestCounts, StartError, StartOptions};
