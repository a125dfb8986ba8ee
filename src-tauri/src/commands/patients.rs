//! Patients and their coverages.

use crate::{AppState, CommandError};
use hmedesk::coverages::{self, Coverage, CoverageInput};
use hmedesk::patients::{self, Patient, PatientInput, PatientSummary, SEARCH_LIMIT};
use tauri::State;

/// Patients matching the search box (name, date of birth, phone, MBI, member id).
#[tauri::command(rename_all = "snake_case")]
pub async fn patients_search(state: State<'_, AppState>, query: String) -> Result<Vec<PatientSummary>, CommandError> {
    state.read(|db| patients::search(db.conn(), &query, SEARCH_LIMIT))
}

/// Patient `id` as a form, for editing.
#[tauri::command(rename_all = "snake_case")]
pub async fn patient_form(state: State<'_, AppState>, id: i64) -> Result<PatientInput, CommandError> {
    state.read(|db| patients::get(db.conn(), id).map(|p| p.to_input()))
}

/// Saves a new patient.
#[tauri::command(rename_all = "snake_case")]
pub async fn patient_add(state: State<'_, AppState>, input: PatientInput) -> Result<Patient, CommandError> {
    state.write(|db, actor| patients::add(db, actor, &input))
}

/// Replaces patient `id` with the form.
#[tauri::command(rename_all = "snake_case")]
pub async fn patient_update(state: State<'_, AppState>, id: i64, input: PatientInput) -> Result<Patient, CommandError> {
    state.write(|db, actor| patients::update(db, actor, id, &input))
}

/// Every coverage of a patient.
#[tauri::command(rename_all = "snake_case")]
pub async fn coverages_list(state: State<'_, AppState>, patient_id: i64) -> Result<Vec<Coverage>, CommandError> {
    state.read(|db| coverages::list_for_patient(db.conn(), patient_id))
}

/// Coverage `id` as a form, for editing.
#[tauri::command(rename_all = "snake_case")]
pub async fn coverage_form(state: State<'_, AppState>, id: i64) -> Result<CoverageInput, CommandError> {
    state.read(|db| coverages::get(db.conn(), id).map(|c| c.to_input()))
}

/// Saves a new coverage.
#[tauri::command(rename_all = "snake_case")]
pub async fn coverage_add(state: State<'_, AppState>, input: CoverageInput) -> Result<Coverage, CommandError> {
    state.write(|db, actor| coverages::add(db, actor, &input))
}

/// Replaces coverage `id` with the form.
#[tauri::command(rename_all = "snake_case")]
pub async fn coverage_update(
    state: State<'_, AppState>,
    id: i64,
    input: CoverageInput,
) -> Result<Coverage, CommandError> {
    state.write(|db, actor| coverages::update(db, actor, id, &input))
}
