//! Reads the root `tauri.conf.json` and declares the app's own commands, so that the
//! capability files can allow exactly those the window uses.
fn main() {
    const COMMANDS: &[&str] = &[
        "app_status",
        "demo_load",
        "dashboard",
        "supplier_form",
        "supplier_save",
        "patients_search",
        "patient_form",
        "patient_add",
        "patient_update",
        "coverages_list",
        "coverage_form",
        "coverage_add",
        "coverage_update",
        "practitioners_list",
        "practitioner_form",
        "practitioner_add",
        "practitioner_update",
        "payers_list",
        "payer_form",
        "payer_add",
        "payer_update",
        "fees_list",
        "fee_form",
        "fee_add",
        "fee_update",
        "catalog_list",
        "catalog_form",
        "catalog_add",
        "catalog_update",
    ];
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri.conf.json or a capability file is invalid");
}
