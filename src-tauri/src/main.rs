// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    draw_without_gpu_compositing();
    assay_desktop::run();
}

/// Assay's screens are forms, tables and static SVG, which gain nothing from WebKitGTK's GPU
/// compositing; it costs a GL context in the web process (about 80 MiB of the app's memory
/// without a GPU, as in VMs and remote desktops, where Mesa's LLVM renderer does the GL; see
/// `scripts/bench-desktop.sh`). WebKitGTK reads this documented variable when the first web
/// view starts; a user who sets it (to `0` for compositing) keeps their choice.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn draw_without_gpu_compositing() {
    const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VARIABLE).is_none() {
        // SAFETY: this runs first thing in `main`, before any other thread exists, so nothing
        // can read the environment while it changes.
        unsafe { std::env::set_var(VARIABLE, "1") };
    }
}
