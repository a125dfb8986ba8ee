//! Purchase orders and receiving.

use crate::{AppState, CommandError};
use hmedesk::purchasing::{orders, receiving, vendors};
use hmedesk::purchasing::{PoLineInput, PoStatus, PurchaseOrder, PurchaseOrderInput, ReceiptInput, Vendor};
use tauri::State;

/// Purchase orders in `status` (all when `None`), newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn purchase_orders_list(
    state: State<'_, AppState>,
    status: Option<PoStatus>,
) -> Result<Vec<PurchaseOrder>, CommandError> {
    state.read(|db| orders::list(db.conn(), status))
}

/// Starts a draft purchase order.
#[tauri::command(rename_all = "snake_case")]
pub async fn purchase_order_add(
    state: State<'_, AppState>,
    input: PurchaseOrderInput,
) -> Result<PurchaseOrder, CommandError> {
    state.write(|db, actor| orders::add(db, actor, &input))
}

/// Adds a line to draft `id`.
#[tauri::command(rename_all = "snake_case")]
pub async fn purchase_order_add_line(
    state: State<'_, AppState>,
    id: i64,
    input: PoLineInput,
) -> Result<PurchaseOrder, CommandError> {
    state.write(|db, actor| orders::add_line(db, actor, id, &input))
}

/// Places draft `id` with its vendor today.
#[tauri::command(rename_all = "snake_case")]
pub async fn purchase_order_place(state: State<'_, AppState>, id: i64) -> Result<PurchaseOrder, CommandError> {
    state.write(|db, actor| orders::place(db, actor, id, None))
}

/// Receives what arrived against purchase order `id`.
#[tauri::command(rename_all = "snake_case")]
pub async fn purchase_order_receive(
    state: State<'_, AppState>,
    id: i64,
    input: ReceiptInput,
) -> Result<PurchaseOrder, CommandError> {
    state.write(|db, actor| receiving::receive(db, actor, id, &input))
}

/// Vendors, by name.
#[tauri::command(rename_all = "snake_case")]
pub async fn vendors_list(state: State<'_, AppState>) -> Result<Vec<Vendor>, CommandError> {
    state.read(|db| vendors::list(db.conn(), ""))
}
