//! Eligibility: ask the payer about a patient's coverage (270/271) and show the answers on file.

use crate::{AppState, CommandError};
use hmedesk::eligibility::{self, EligibilityCheck};
use hmedesk::validation::now;
use tauri::State;

/// Asks now (real time when the clearinghouse answers at once, else queued for the next sync)
/// about the primary coverage of `patient_id` for `service_type` (`12` DME purchase). The
/// check takes the shared database for its two writes only, so the other screens go on
/// while the clearinghouse answers.
#[tauri::command(rename_all = "snake_case")]
pub async fn eligibility_check(
    state: State<'_, AppState>,
    patient_id: i64,
    service_type: String,
) -> Result<EligibilityCheck, CommandError> {
    Ok(eligibility::check_configured(state.shared()?, state.actor(), patient_id, &service_type, now())?)
}

/// The patient's checks, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn eligibility_list(
    state: State<'_, AppState>,
    patient_id: i64,
) -> Result<Vec<EligibilityCheck>, CommandError> {
    state.read(|db| eligibility::list_for_patient(db.conn(), patient_id))
}
