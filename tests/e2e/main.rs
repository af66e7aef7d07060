//! End-to-end tests of the real desktop app under Xvfb, over WebDriver (`tauri-driver` +
//! `WebKitWebDriver`). Each test saves screenshots under `target/e2e-screenshots/`.
//!
//! Run with `make e2e` (or `cargo test -p entra-setup-tests --test e2e` once the app is built).

mod actionability;
mod driver;
mod failures;
mod keep;
mod sign_in_client;
mod start_screen;
mod walk;
