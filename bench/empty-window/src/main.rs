//! The smallest Tauri 2 app with the desktop app's window, CSP and build settings, so that
//! `scripts/bench-desktop.sh` can compare start time and memory against it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("the empty window could not start: {error}");
        std::process::exit(1);
    }
}
