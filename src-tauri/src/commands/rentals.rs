//! Rentals: the episodes on file with their month count, breaks in use and prior months, the
//! schedule calculator, and the billing run (with progress events) and its missed-cycles report.

use crate::{AppState, CommandError};
use hmedesk::rentals::{
    self, BillingRun, BreakInput, Episode, MissedMonth, PatientResupplyDue, RentalPatient, RentalSchedule,
    ScheduleInput,
};
use hmedesk::validation::{date_field, today};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

/// How far a billing run has got, sent to the window as `billing-progress` events.
#[derive(Debug, Clone, Copy, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BillingProgress {
    /// Rentals looked at so far.
    pub done: usize,
    /// Rentals the run looks at.
    pub total: usize,
}

/// Rentals on file (one patient's when `patient_id` is set), with where each stands today.
#[tauri::command(rename_all = "snake_case")]
pub async fn rentals_list(state: State<'_, AppState>, patient_id: Option<i64>) -> Result<Vec<Episode>, CommandError> {
    state.read(|db| rentals::list(db.conn(), patient_id, today()))
}

/// The patients with a rental on file, by name: the choices of the list's patient filter.
#[tauri::command(rename_all = "snake_case")]
pub async fn rentals_patients(state: State<'_, AppState>) -> Result<Vec<RentalPatient>, CommandError> {
    state.read(|db| rentals::patients(db.conn()))
}

/// Records a break in use on rental `id`.
#[tauri::command(rename_all = "snake_case")]
pub async fn rental_interrupt(state: State<'_, AppState>, id: i64, input: BreakInput) -> Result<Episode, CommandError> {
    state.write(|db, actor| rentals::interrupt(db, actor, id, &input))
}

/// Records that a new order and documentation are on file for break `break_id`.
#[tauri::command(rename_all = "snake_case")]
pub async fn rental_new_period(state: State<'_, AppState>, break_id: i64) -> Result<Episode, CommandError> {
    state.write(|db, actor| rentals::document_new_period(db, actor, break_id))
}

/// Records the months of rental `id`'s period already paid to another supplier.
#[tauri::command(rename_all = "snake_case")]
pub async fn rental_prior_months(state: State<'_, AppState>, id: i64, months: String) -> Result<Episode, CommandError> {
    state.write(|db, actor| rentals::set_prior_months(db, actor, id, &months))
}

/// The calculator: a rental laid out month by month, no patient needed.
#[tauri::command(rename_all = "snake_case")]
pub async fn rental_schedule(input: ScheduleInput) -> Result<RentalSchedule, CommandError> {
    Ok(rentals::calculate(&input)?)
}

/// The event that carries a billing run's [`BillingProgress`] to the window.
pub const BILLING_PROGRESS: &str = "billing-progress";

/// Bills every due rental month through `through` (YYYY-MM-DD) as draft claims, telling the
/// window how far it has got about a hundred times along the way.
#[tauri::command(rename_all = "snake_case")]
pub async fn rentals_bill<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    through: String,
) -> Result<BillingRun, CommandError> {
    let through = date_field("through", &through)?;
    let mut progress = |done: usize, total: usize| {
        if done == total || done % (total / 100).max(1) == 0 {
            let _ = app.emit(BILLING_PROGRESS, BillingProgress { done, total });
        }
    };
    state.write(|db, actor| rentals::bill_with_progress(db, actor, through, &mut progress))
}

/// Supplies due for a refill within `days` days (overdue ones included), soonest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn rentals_resupply(state: State<'_, AppState>, days: u32) -> Result<Vec<PatientResupplyDue>, CommandError> {
    state.read(|db| rentals::resupply_due(db.conn(), today(), days))
}

/// Every due rental month through `through` that is not billed, with the reason.
#[tauri::command(rename_all = "snake_case")]
pub async fn rentals_missed(state: State<'_, AppState>, through: String) -> Result<Vec<MissedMonth>, CommandError> {
    let through = date_field("through", &through)?;
    state.read(|db| rentals::missed(db.conn(), through))
}
