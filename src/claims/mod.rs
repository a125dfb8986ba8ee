//! Claims: what is billed to one payer for one patient, line by line, and how it leaves the
//! building.
//!
//! The store ([`create`], [`get`], [`list`], [`set_status`]) keeps claims and their lines with
//! control numbers unique forever ([`control`]) and every state change in the claim's history
//! and the audit log. Claims are built by the code that knows what is owed — deliveries for
//! purchases, the rental billing run for rental months — as a fully decided [`NewClaim`]. The
//! 837P writer ([`x837`]) is a pure function from resolved claims to an X12 file. A claim the
//! payer already has is corrected by a replacement or void drafted from it ([`draft_correction`]).

mod batch;
mod build;
pub mod control;
mod correct;
mod detail;
pub mod dme;
pub mod resolve;
pub mod scrub;
mod status;
mod store;
mod summary;
pub mod x837;

pub use batch::{batch_content, batch_sent, create_batch, get_batch, list_batches, ClaimBatch};
pub use build::{build_purchases, BuildReport, Unbilled, PURCHASE_MODIFIER};
pub use correct::{draft_correction, is_correctable, payer_claim_number_on_file, CorrectionKind};
pub use detail::{detail, ClaimDetail};
pub use status::{ClaimFrequency, ClaimSource, ClaimStatus};
pub(crate) use store::move_status;
pub use store::{create, events, find_by_control_number, get, insert, list, set_status, ClaimFilter, Inserted};
pub use summary::{by_payer, summaries, ClaimSummary, PayerClaims, SummaryFilter};

use crate::db::DbError;
use crate::money::Money;
use crate::orders::Acquisition;
use crate::validation::Problems;
use chrono::NaiveDate;
use serde::Serialize;

/// ICD-10 codes a professional claim holds (837P HI, CMS-1500 box 21).
pub const MAX_DIAGNOSES: usize = 12;
/// Service lines per claim (837P loop 2400 repeat limit).
pub const MAX_LINES: usize = 50;
/// Diagnosis pointers per line (SV107, CMS-1500 box 24E).
pub const MAX_POINTERS: usize = 4;

/// A claim to create, every value already decided by the code that builds it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewClaim {
    pub patient_id: i64,
    pub coverage_id: i64,
    pub practitioner_id: Option<i64>,
    pub order_id: Option<i64>,
    pub source: ClaimSource,
    pub frequency: ClaimFrequency,
    pub payer_claim_number: Option<String>,
    /// The claim whose payment the COB loops report (a secondary claim's primary).
    pub related_claim_id: Option<i64>,
    /// The claim a replacement or void corrects ([`draft_correction`]).
    pub corrects_claim_id: Option<i64>,
    /// `None` lets [`create`] take it from the order's prior authorization in force on the
    /// date of service ([`dme::prior_authorization`]).
    pub prior_authorization: Option<String>,
    /// ICD-10-CM codes, primary first.
    pub diagnoses: Vec<String>,
    pub lines: Vec<NewLine>,
}

/// A service line to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLine {
    pub hcpcs: String,
    pub modifiers: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub units: u32,
    pub charge: Money,
    pub allowed: Option<Money>,
    /// 1-based pointers into the claim's diagnoses.
    pub diagnosis_pointers: Vec<u8>,
    pub acquisition: Acquisition,
    pub order_line_id: Option<i64>,
    pub delivery_item_id: Option<i64>,
    /// For a rental line, the month within its rental period (1 = first).
    pub rental_month: Option<u32>,
}

impl NewLine {
    /// The same service billed again on another claim (a secondary claim copies the
    /// primary's lines); the allowed amount is the other payer's, so it is not copied.
    pub fn copy_of(line: &ClaimLine) -> NewLine {
        NewLine {
            hcpcs: line.hcpcs.clone(),
            modifiers: line.modifiers.clone(),
            from: line.service_from,
            to: line.service_to,
            units: line.units,
            charge: line.charge,
            allowed: None,
            diagnosis_pointers: line.diagnosis_pointers.clone(),
            acquisition: line.acquisition,
            order_line_id: line.order_line_id,
            delivery_item_id: line.delivery_item_id,
            rental_month: line.rental_month,
        }
    }
}

/// A claim on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Claim {
    pub id: i64,
    /// CLM01; the 835 echoes it.
    pub control_number: String,
    pub patient_id: i64,
    /// "Last, First", for lists.
    pub patient_name: String,
    pub coverage_id: i64,
    pub payer_id: i64,
    pub payer_name: String,
    /// `primary`, `secondary` or `tertiary`: the coverage's place in line.
    pub priority: String,
    pub practitioner_id: Option<i64>,
    pub order_id: Option<i64>,
    pub source: ClaimSource,
    pub place_of_service: String,
    pub frequency: ClaimFrequency,
    pub payer_claim_number: Option<String>,
    pub related_claim_id: Option<i64>,
    /// The claim this replacement or void corrects.
    pub corrects_claim_id: Option<i64>,
    pub prior_authorization: Option<String>,
    pub diagnoses: Vec<String>,
    pub status: ClaimStatus,
    pub service_from: NaiveDate,
    pub service_to: NaiveDate,
    pub created_at: String,
    /// The 837P batch the claim was last written into.
    pub batch_id: Option<i64>,
    /// CLM02: the sum of the line charges.
    pub total_charge: Money,
    pub lines: Vec<ClaimLine>,
}

/// A service line on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClaimLine {
    pub id: i64,
    pub position: i64,
    /// REF*6R; the 835 echoes it on the service line.
    pub control_number: String,
    pub hcpcs: String,
    pub modifiers: Vec<String>,
    pub service_from: NaiveDate,
    pub service_to: NaiveDate,
    pub units: u32,
    pub charge: Money,
    pub allowed: Option<Money>,
    pub diagnosis_pointers: Vec<u8>,
    pub acquisition: Acquisition,
    pub order_line_id: Option<i64>,
    pub delivery_item_id: Option<i64>,
    pub rental_month: Option<u32>,
}

/// One step in a claim's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClaimEvent {
    pub at: String,
    pub actor: String,
    pub from: Option<ClaimStatus>,
    pub to: ClaimStatus,
    pub note: Option<String>,
}

/// Why a claim could not be saved, found or moved on.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no claim with id {0}")]
    NotFound(i64),
    #[error("claim {id} is {from} and cannot become {to}")]
    Transition { id: i64, from: ClaimStatus, to: ClaimStatus },
    #[error("no claim of {0} is ready: scrub the drafts first")]
    NothingReady(String),
    #[error("the supplier (billing provider) is not set up")]
    NoSupplier,
    #[error("{0} has no electronic payer id and the setting x12.receiver_id is empty: set one of them")]
    NoReceiver(String),
    #[error("there is no claim batch with id {0}")]
    NoBatch(i64),
    #[error("the 837P file could not be written: {0}")]
    Write(#[from] crate::x12::write::WriteError),
    #[error("the batch could not be queued for the clearinghouse: {0}")]
    Outbox(#[from] crate::sync::SyncError),
    #[error("the claims' posted money could not be read: {0}")]
    Balances(Box<crate::remit::RemitError>),
    #[error("claim {claim} cannot be replaced or voided: {why}")]
    Uncorrectable { claim: String, why: &'static str },
    #[error("claim {claim} already has a correction under way, claim {correction}: send or close that one first")]
    CorrectionOpen { claim: String, correction: String },
    #[error("the corrected claim's work items could not be closed: {0}")]
    WorkQueue(Box<crate::remit::RemitError>),
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A record a claim is built from or checked against could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Patient(#[from] crate::patients::PatientError),
    #[error(transparent)]
    Coverage(#[from] crate::coverages::CoverageError),
    #[error(transparent)]
    Payer(#[from] crate::payers::PayerError),
    #[error(transparent)]
    Practitioner(#[from] crate::practitioners::PractitionerError),
    #[error(transparent)]
    Order(#[from] crate::orders::OrderError),
    #[error(transparent)]
    Fee(#[from] crate::fees::FeeError),
    #[error(transparent)]
    Document(#[from] crate::documents::DocumentError),
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error(transparent)]
    Supplier(#[from] crate::supplier::SupplierError),
}

/// Lets `?` lift each record module's error into [`ClaimError::Record`].
macro_rules! record_errors {
    ($($t:ty),*) => {$(
        impl From<$t> for ClaimError {
            fn from(e: $t) -> ClaimError {
                ClaimError::Record(e.into())
            }
        }
    )*};
}
record_errors!(
    crate::patients::PatientError,
    crate::coverages::CoverageError,
    crate::payers::PayerError,
    crate::practitioners::PractitionerError,
    crate::orders::OrderError,
    crate::fees::FeeError,
    crate::documents::DocumentError,
    crate::catalog::CatalogError,
    crate::supplier::SupplierError
);

crate::db::sqlite_errors!(ClaimError);
