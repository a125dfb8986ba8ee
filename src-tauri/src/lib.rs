//! The HME Desk desktop shell: a Tauri window over the `hmedesk` core.
//!
//! The shell only adapts: each command in [`commands`] deserializes its arguments, calls one
//! core function and maps the error to [`CommandError`]. [`register`] lists the commands once
//! for both the real app ([`run`]) and tests on Tauri's mock runtime.

pub mod commands;
mod error;
mod state;

pub use error::CommandError;
pub use state::{database_path, AppState};

use tauri::{Builder, Context, Runtime};

/// Adds every command the window may invoke to `builder`.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    use commands::*;
    builder.invoke_handler(tauri::generate_handler![
        app::app_status,
        practitioners::practitioners_list,
        practitioners::practitioner_form,
        practitioners::practitioner_add,
        practitioners::practitioner_update,
    ])
}

/// Opens the database (creating it on first start) and runs the window until it is closed.
pub fn run() {
    let state = AppState::open(&database_path(), hmedesk::Actor::os_user());
    register(tauri::Builder::default())
        .manage(state)
        .run(context())
        .expect("the HME Desk window could not start");
}

/// The app's configuration, capabilities and embedded UI, read from the root `tauri.conf.json`
/// (tests pair it with the mock runtime so the capabilities are checked there too).
pub fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!("../tauri.conf.json")
}
