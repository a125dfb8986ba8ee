//! Orders and deliveries: the order desk with its missing information, scheduling, picking,
//! the signed proof of delivery (the window's signature canvas sends a PNG), the delivery
//! ticket PDF, and pickups and exchanges of rented units.

use crate::{AppState, CommandError};
use hmedesk::assets::store::{self as asset_store, Asset, AssetFilter};
use hmedesk::assets::AssetStatus;
use hmedesk::deliveries::{
    self, ConfirmInput, Delivery, DeliveryFilter, DeliveryInput, ExchangeInput, PickInput, PickupInput,
};
use hmedesk::documents::{self, MissingItem};
use hmedesk::orders::{self, Order, OrderFilter, OrderInput, OrderStatus};
use hmedesk::print::ticket;
use hmedesk::validation::{today, Problems};
use tauri::State;

/// Every order, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn orders_list(state: State<'_, AppState>) -> Result<Vec<Order>, CommandError> {
    state.read(|db| orders::list(db.conn(), OrderFilter::default()))
}

/// Saves a new order with its lines.
#[tauri::command(rename_all = "snake_case")]
pub async fn order_add(state: State<'_, AppState>, input: OrderInput) -> Result<Order, CommandError> {
    state.write(|db, actor| orders::add(db, actor, &input))
}

/// Moves order `id` to `status` (a status code such as `ready_to_deliver`).
#[tauri::command(rename_all = "snake_case")]
pub async fn order_status(state: State<'_, AppState>, id: i64, status: String) -> Result<Order, CommandError> {
    let to = OrderStatus::from_code(&status).ok_or_else(|| CommandError::Invalid {
        problems: Problems::one("status", format!("'{status}' is not an order status")),
    })?;
    state.write(|db, actor| orders::set_status(db, actor, id, to, today()))
}

/// What is missing before order `id` can be delivered or billed.
#[tauri::command(rename_all = "snake_case")]
pub async fn order_missing(state: State<'_, AppState>, id: i64) -> Result<Vec<MissingItem>, CommandError> {
    state.read(|db| documents::missing_for_order(db.conn(), id, today()))
}

/// The deliveries `filter` keeps (every one when it is empty), newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn deliveries_list(
    state: State<'_, AppState>,
    filter: DeliveryFilter,
) -> Result<Vec<Delivery>, CommandError> {
    state.read(|db| deliveries::list(db.conn(), &filter))
}

/// The orders a delivery may be scheduled for, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn deliveries_schedulable_orders(state: State<'_, AppState>) -> Result<Vec<Order>, CommandError> {
    state.read(|db| deliveries::schedulable_orders(db.conn()))
}

/// Schedules a delivery.
#[tauri::command(rename_all = "snake_case")]
pub async fn delivery_schedule(state: State<'_, AppState>, input: DeliveryInput) -> Result<Delivery, CommandError> {
    state.write(|db, actor| deliveries::schedule(db, actor, &input))
}

/// Units that can be picked for `hcpcs`: available ones.
#[tauri::command(rename_all = "snake_case")]
pub async fn assets_available(state: State<'_, AppState>, hcpcs: String) -> Result<Vec<Asset>, CommandError> {
    let filter = AssetFilter { status: Some(AssetStatus::Available), hcpcs: Some(hcpcs), ..AssetFilter::default() };
    state.read(|db| asset_store::list(db.conn(), &filter))
}

/// Picks a unit or stock for delivery `id`.
#[tauri::command(rename_all = "snake_case")]
pub async fn delivery_pick(state: State<'_, AppState>, id: i64, input: PickInput) -> Result<Delivery, CommandError> {
    state.write(|db, actor| deliveries::pick(db, actor, id, &input))
}

/// Confirms delivery `id` with the signature drawn in the window (PNG bytes).
#[tauri::command(rename_all = "snake_case")]
pub async fn delivery_confirm(
    state: State<'_, AppState>,
    id: i64,
    input: ConfirmInput,
    signature_png: Vec<u8>,
) -> Result<Delivery, CommandError> {
    state.write(|db, actor| deliveries::confirm(db, actor, id, &input, &signature_png))
}

/// The delivery ticket of delivery `id` as PDF bytes (signed: with the signature).
#[tauri::command(rename_all = "snake_case")]
pub async fn delivery_ticket(state: State<'_, AppState>, id: i64) -> Result<Vec<u8>, CommandError> {
    state.read(|db| ticket::print(db.conn(), id))
}

/// Picks up a rented unit (returned to a location, then cleaning).
#[tauri::command(rename_all = "snake_case")]
pub async fn delivery_pickup(state: State<'_, AppState>, input: PickupInput) -> Result<Delivery, CommandError> {
    state.write(|db, actor| deliveries::pickup(db, actor, &input))
}

/// Swaps a rented unit for another on the same rental.
#[tauri::command(rename_all = "snake_case")]
pub async fn delivery_exchange(state: State<'_, AppState>, input: ExchangeInput) -> Result<Delivery, CommandError> {
    state.write(|db, actor| deliveries::exchange(db, actor, &input))
}
