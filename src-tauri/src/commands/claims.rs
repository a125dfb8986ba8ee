//! Claims: the work list, building purchase claims from signed deliveries, scrubbing, one
//! claim's detail, a replacement or void of a claim the payer has, and 837P batches (created,
//! listed, their file's bytes for saving).

use crate::{AppState, CommandError};
use hmedesk::claims::{
    self, scrub, BuildReport, Claim, ClaimBatch, ClaimDetail, ClaimStatus, ClaimSummary, CorrectionKind, PayerClaims,
    SummaryFilter,
};
use hmedesk::print::{self, Cms1500Variant};
use hmedesk::validation::{now, today};
use tauri::State;

/// The claims in `status` for `payer_id` (every one when unset), newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn claims_list(
    state: State<'_, AppState>,
    status: Option<ClaimStatus>,
    payer_id: Option<i64>,
) -> Result<Vec<ClaimSummary>, CommandError> {
    state.read(|db| claims::summaries(db.conn(), SummaryFilter { status, payer_id }))
}

/// The payers with claims, with what each has ready to batch.
#[tauri::command(rename_all = "snake_case")]
pub async fn claims_payers(state: State<'_, AppState>) -> Result<Vec<PayerClaims>, CommandError> {
    state.read(|db| claims::by_payer(db.conn()))
}

/// Claim `id` with its history and what the scrubber finds on it today.
#[tauri::command(rename_all = "snake_case")]
pub async fn claim_detail(state: State<'_, AppState>, id: i64) -> Result<ClaimDetail, CommandError> {
    state.read(|db| claims::detail(db.conn(), id, today()))
}

/// Draft claims for the signed deliveries of purchased items not yet billed.
#[tauri::command(rename_all = "snake_case")]
pub async fn claims_build(state: State<'_, AppState>) -> Result<BuildReport, CommandError> {
    state.write(|db, actor| db.write(actor, claims::build_purchases))
}

/// Scrubs every claim not yet batched: clean drafts become ready, failing ones stay drafts.
#[tauri::command(rename_all = "snake_case")]
pub async fn claims_scrub(state: State<'_, AppState>) -> Result<Vec<scrub::ScrubResult>, CommandError> {
    state.write(|db, actor| db.write(actor, |c| scrub::scrub_all(c, today())))
}

/// Drafts a replacement or void of claim `id` naming `payer_claim_number`, or the payer's claim
/// number on file when none is given.
#[tauri::command(rename_all = "snake_case")]
pub async fn claim_correct(
    state: State<'_, AppState>,
    id: i64,
    kind: CorrectionKind,
    payer_claim_number: Option<String>,
) -> Result<Claim, CommandError> {
    state.write(|db, actor| db.write(actor, |c| claims::draft_correction(c, id, kind, payer_claim_number.as_deref())))
}

/// Writes every ready claim of payer `payer_id` into a new 837P batch, queued for the
/// clearinghouse.
#[tauri::command(rename_all = "snake_case")]
pub async fn claim_batch_create(state: State<'_, AppState>, payer_id: i64) -> Result<ClaimBatch, CommandError> {
    let now = now();
    state.write(|db, actor| db.write(actor, |c| claims::create_batch(c, payer_id, now)).map(|(batch, _)| batch))
}

/// Claim `id` as a CMS-1500 PDF: values only for the red form, or with the form drawn.
#[tauri::command(rename_all = "snake_case")]
pub async fn claim_cms1500(
    state: State<'_, AppState>,
    id: i64,
    variant: Cms1500Variant,
) -> Result<Vec<u8>, CommandError> {
    state.read(|db| print::cms1500(db.conn(), id, variant))
}

/// Every batch, newest first.
#[tauri::command(rename_all = "snake_case")]
pub async fn claim_batches_list(state: State<'_, AppState>) -> Result<Vec<ClaimBatch>, CommandError> {
    state.read(|db| claims::list_batches(db.conn()))
}

/// The 837P file of batch `id`, for saving.
#[tauri::command(rename_all = "snake_case")]
pub async fn claim_batch_file(state: State<'_, AppState>, id: i64) -> Result<Vec<u8>, CommandError> {
    state.read(|db| claims::batch_content(db.conn(), id))
}
