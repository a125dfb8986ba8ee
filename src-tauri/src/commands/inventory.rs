//! Inventory: items, locations, stock on hand, stock movements, valuation, reorder levels and
//! scan lookup.

use crate::{AppState, CommandError};
use hmedesk::inventory::reports::{self, StockLevel, Valuation};
use hmedesk::inventory::scan::{self, ScanResult};
use hmedesk::inventory::{items, ledger, locations, reorder};
use hmedesk::inventory::{Item, Location, Movement, MovementInput, ReorderLevel};
use tauri::State;

/// Items whose SKU, barcode, HCPCS, name, manufacturer or model matches `search`.
#[tauri::command(rename_all = "snake_case")]
pub async fn items_list(state: State<'_, AppState>, search: String) -> Result<Vec<Item>, CommandError> {
    state.read(|db| items::list(db.conn(), &search))
}

/// Warehouses and vehicles.
#[tauri::command(rename_all = "snake_case")]
pub async fn locations_list(state: State<'_, AppState>) -> Result<Vec<Location>, CommandError> {
    state.read(|db| locations::list(db.conn(), ""))
}

/// Stock on hand by location (one location when `location_id` is given).
#[tauri::command(rename_all = "snake_case")]
pub async fn stock_on_hand(
    state: State<'_, AppState>,
    location_id: Option<i64>,
) -> Result<Vec<StockLevel>, CommandError> {
    state.read(|db| reports::stock_on_hand(db.conn(), location_id, None))
}

/// Records a movement of non-serialized stock.
#[tauri::command(rename_all = "snake_case")]
pub async fn stock_move(state: State<'_, AppState>, input: MovementInput) -> Result<Movement, CommandError> {
    state.write(|db, actor| ledger::move_stock(db, actor, &input))
}

/// Stock on hand valued at moving average cost.
#[tauri::command(rename_all = "snake_case")]
pub async fn valuation(state: State<'_, AppState>) -> Result<Valuation, CommandError> {
    state.read(|db| reports::valuation(db.conn()))
}

/// Every reorder level with where its location stands.
#[tauri::command(rename_all = "snake_case")]
pub async fn reorder_levels(state: State<'_, AppState>) -> Result<Vec<ReorderLevel>, CommandError> {
    state.read(|db| reorder::list(db.conn()))
}

/// The item or units a scanned (or typed) barcode, SKU or serial number belongs to.
#[tauri::command(rename_all = "snake_case")]
pub async fn scan_lookup(state: State<'_, AppState>, code: String) -> Result<ScanResult, CommandError> {
    state.read(|db| scan::lookup(db.conn(), &code))
}
