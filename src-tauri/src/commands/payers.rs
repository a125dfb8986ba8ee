//! Payers and their fee schedules.

use crate::{AppState, CommandError};
use hmedesk::fees::{self, Fee, FeeInput};
use hmedesk::payers::{self, Payer, PayerInput};
use tauri::State;

/// Payers whose name or electronic id contains `search`.
#[tauri::command(rename_all = "snake_case")]
pub async fn payers_list(state: State<'_, AppState>, search: String) -> Result<Vec<Payer>, CommandError> {
    state.read(|db| payers::list(db.conn(), &search))
}

/// Payer `id` as a form, for editing.
#[tauri::command(rename_all = "snake_case")]
pub async fn payer_form(state: State<'_, AppState>, id: i64) -> Result<PayerInput, CommandError> {
    state.read(|db| payers::get(db.conn(), id).map(|p| p.to_input()))
}

/// Saves a new payer.
#[tauri::command(rename_all = "snake_case")]
pub async fn payer_add(state: State<'_, AppState>, input: PayerInput) -> Result<Payer, CommandError> {
    state.write(|db, actor| payers::add(db, actor, &input))
}

/// Replaces payer `id` with the form.
#[tauri::command(rename_all = "snake_case")]
pub async fn payer_update(state: State<'_, AppState>, id: i64, input: PayerInput) -> Result<Payer, CommandError> {
    state.write(|db, actor| payers::update(db, actor, id, &input))
}

/// A payer's fee schedule.
#[tauri::command(rename_all = "snake_case")]
pub async fn fees_list(state: State<'_, AppState>, payer_id: i64) -> Result<Vec<Fee>, CommandError> {
    state.read(|db| fees::list_for_payer(db.conn(), payer_id))
}

/// Fee `id` as a form, for editing.
#[tauri::command(rename_all = "snake_case")]
pub async fn fee_form(state: State<'_, AppState>, id: i64) -> Result<FeeInput, CommandError> {
    state.read(|db| fees::get(db.conn(), id).map(|f| f.to_input()))
}

/// Saves a new fee.
#[tauri::command(rename_all = "snake_case")]
pub async fn fee_add(state: State<'_, AppState>, input: FeeInput) -> Result<Fee, CommandError> {
    state.write(|db, actor| fees::add(db, actor, &input))
}

/// Replaces fee `id` with the form.
#[tauri::command(rename_all = "snake_case")]
pub async fn fee_update(state: State<'_, AppState>, id: i64, input: FeeInput) -> Result<Fee, CommandError> {
    state.write(|db, actor| fees::update(db, actor, id, &input))
}
