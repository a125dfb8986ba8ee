//! The HME Desk desktop shell: a Tauri window over the `hmedesk` core.
//!
//! The shell only adapts: each command in [`commands`] deserializes its arguments, calls one
//! core function and maps the error to [`CommandError`]. [`register`] lists the commands once
//! for both the real app ([`run`]) and tests on Tauri's mock runtime.

pub mod commands;
mod error;
mod state;

pub use error::CommandError;
pub use state::AppState;

use tauri::{Builder, Context, Manager, Runtime};

/// Adds every command the window may invoke to `builder`.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    use commands::*;
    builder.invoke_handler(tauri::generate_handler![
        app::app_status,
        app::demo_load,
        app::dashboard,
        supplier::supplier_form,
        supplier::supplier_save,
        patients::patients_search,
        patients::patient_form,
        patients::patient_add,
        patients::patient_update,
        patients::coverages_list,
        patients::coverage_form,
        patients::coverage_add,
        patients::coverage_update,
        practitioners::practitioners_list,
        practitioners::practitioner_form,
        practitioners::practitioner_add,
        practitioners::practitioner_update,
        payers::payers_list,
        payers::payer_form,
        payers::payer_add,
        payers::payer_update,
        payers::fees_list,
        payers::fee_form,
        payers::fee_add,
        payers::fee_update,
        catalog::catalog_list,
        catalog::catalog_form,
        catalog::catalog_add,
        catalog::catalog_update,
        orders::orders_list,
        orders::order_add,
        orders::order_status,
        orders::order_missing,
        orders::deliveries_list,
        orders::deliveries_schedulable_orders,
        orders::delivery_schedule,
        orders::assets_available,
        orders::delivery_pick,
        orders::delivery_confirm,
        orders::delivery_ticket,
        orders::delivery_pickup,
        orders::delivery_exchange,
        documents::documents_list,
        documents::document_get,
        documents::document_form,
        documents::document_add,
        documents::document_update,
        documents::document_attach,
        documents::document_file,
        inventory::items_list,
        inventory::locations_list,
        inventory::stock_on_hand,
        inventory::stock_move,
        inventory::valuation,
        inventory::reorder_levels,
        inventory::scan_lookup,
        assets::assets_list,
        assets::asset_detail,
        assets::asset_transition,
        assets::maintenance_due,
        assets::service_add,
        purchasing::purchase_orders_list,
        purchasing::purchase_order_add,
        purchasing::purchase_order_add_line,
        purchasing::purchase_order_place,
        purchasing::purchase_order_receive,
        purchasing::vendors_list,
        rentals::rentals_list,
        rentals::rentals_patients,
        rentals::rental_interrupt,
        rentals::rental_new_period,
        rentals::rental_prior_months,
        rentals::rental_schedule,
        rentals::rentals_bill,
        rentals::rentals_missed,
        rentals::rentals_resupply,
        claims::claims_list,
        claims::claims_payers,
        claims::claim_detail,
        claims::claim_correct,
        claims::claims_build,
        claims::claims_scrub,
        claims::claim_batch_create,
        claims::claim_batches_list,
        claims::claim_batch_file,
        claims::claim_cms1500,
        remit::remit_import,
        remit::ack_import,
        remit::ack_unmatched,
        remit::remit_payments,
        remit::remit_work_queue,
        remit::remit_resolve,
        remit::remit_unmatched,
        remit::carc_list,
        remit::carc_set,
        sync::sync_status,
        sync::sync_outbox,
        sync::sync_inbox,
        sync::sync_send_now,
        sync::sync_now,
        eligibility::eligibility_check,
        eligibility::eligibility_list,
    ])
}

/// Opens the database (creating it on first start) and runs the window until it is closed.
pub fn run() {
    let state = AppState::open(&state::database_path(), hmedesk::Actor::os_user());
    register(tauri::Builder::default())
        .manage(state)
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                // A database that cannot be read keeps the plain title; the window says why.
                let _ = commands::app::refresh_title(&window, &app.state::<AppState>());
            }
            commands::sync::run_in_background(app.handle().clone());
            Ok(())
        })
        .run(context())
        .expect("the HME Desk window could not start");
}

/// The app's configuration, capabilities and embedded UI, read from the root `tauri.conf.json`
/// (tests pair it with the mock runtime so the capabilities are checked there too).
pub fn context<R: Runtime>() -> Context<R> {
    tauri::generate_context!("../tauri.conf.json")
}
