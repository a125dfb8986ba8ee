//! Reads the root `tauri.conf.json` and declares the app's own commands, so that the
//! capability files can allow exactly those the window uses.
fn main() {
    const COMMANDS: &[&str] = &[
        "app_status",
        "practitioners_list",
        "practitioner_form",
        "practitioner_add",
        "practitioner_update",
    ];
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri.conf.json or a capability file is invalid");
}
