//! The smallest Tauri app with one window and a static page: the baseline `make bench` measures
//! the wizard's launch time and memory against, the same way in the same run.

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!(
        "examples/minimal_window_app/tauri.conf.json"
    )) {
        eprintln!("minimal window stopped: {e}");
        std::process::exit(1);
    }
}
