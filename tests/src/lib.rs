//! Support for the workspace's acceptance tests: where the built programs are, and a harness
//! that runs the real desktop app under Xvfb and drives it over WebDriver.
//!
//! - [`paths`] — the workspace, the build folder and the programs in it.
//! - [`stand_in`] — the stand-in tenant serving an example scenario, for the CLI to verify against.
//! - [`cli`] — any `entra-setup` command run against a stand-in, with its own home, stdin and
//!   environment.
//! - [`verify_cli`] — `entra-setup verify --json` run against a stand-in, and its report read.
//! - [`keyring_session`] — a test re-run inside a private D-Bus session with an unlocked
//!   gnome-keyring, for the real OS keychain.
//! - [`desktop`] — Xvfb + a private D-Bus session + `tauri-driver`, and a WebDriver session on the
//!   real app.

pub mod cli;
pub mod desktop;
pub mod keyring_session;
pub mod paths;
pub mod stand_in;
pub mod verify_cli;
