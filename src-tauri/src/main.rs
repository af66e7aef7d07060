//! Entra Setup Wizard's desktop binary: everything is in the library, so tests can build it too.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    entra_setup_app::run();
}
