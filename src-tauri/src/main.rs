//! The `hmedesk-app` desktop program: opens the window over the core.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    hmedesk_app::run();
}
