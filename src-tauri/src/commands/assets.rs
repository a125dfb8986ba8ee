//! Serialized units: the list, one unit with its history, status changes, transfers,
//! maintenance due and service records.

use crate::{AppState, CommandError};
use hmedesk::assets::maintenance::{self, MaintenanceDue, ServiceRecord, ServiceRecordInput};
use hmedesk::assets::store::{self, AssetFilter};
use hmedesk::assets::{self, lifecycle, Asset, AssetDetail, AssetStatus, TransitionInput};
use hmedesk::validation::today;
use tauri::State;

/// Units in `status` (all when `None`) whose serial, item name, SKU or HCPCS matches `search`.
#[tauri::command(rename_all = "snake_case")]
pub async fn assets_list(
    state: State<'_, AppState>,
    status: Option<AssetStatus>,
    search: String,
) -> Result<Vec<Asset>, CommandError> {
    state.read(|db| store::list(db.conn(), &AssetFilter { status, search, ..AssetFilter::default() }))
}

/// Unit `id` with its history, service records and the statuses it may take next.
#[tauri::command(rename_all = "snake_case")]
pub async fn asset_detail(state: State<'_, AppState>, id: i64) -> Result<AssetDetail, CommandError> {
    state.read(|db| assets::detail(db.conn(), id))
}

/// Changes unit `id`'s status.
#[tauri::command(rename_all = "snake_case")]
pub async fn asset_transition(
    state: State<'_, AppState>,
    id: i64,
    input: TransitionInput,
) -> Result<Asset, CommandError> {
    state.write(|db, actor| lifecycle::transition(db, actor, id, &input))
}

/// Units due for scheduled maintenance today or within `within_days`.
#[tauri::command(rename_all = "snake_case")]
pub async fn maintenance_due(
    state: State<'_, AppState>,
    within_days: u32,
) -> Result<Vec<MaintenanceDue>, CommandError> {
    state.read(|db| maintenance::due(db.conn(), today(), within_days))
}

/// Records work done on unit `asset_id`.
#[tauri::command(rename_all = "snake_case")]
pub async fn service_add(
    state: State<'_, AppState>,
    asset_id: i64,
    input: ServiceRecordInput,
) -> Result<ServiceRecord, CommandError> {
    state.write(|db, actor| maintenance::record_service(db, actor, asset_id, &input))
}
