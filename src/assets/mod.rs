//! Serialized assets: each unit of a serialized item (a concentrator, a CPAP, a bed) with its
//! serial number, its place in the rental lifecycle, where it is, who has it, its hour meter,
//! its full history, and its preventive maintenance.
//!
//! Rules kept here: a serial is unique per item; status changes follow the table in
//! [`status`] and anything else is refused; every change is one history row (where, which
//! patient, when, who) and, when the unit enters or leaves the supplier's hands, one stock
//! movement through [`crate::inventory::ledger`], so the stock of a serialized item always
//! equals the units on its shelves.

pub mod detail;
pub mod lifecycle;
pub mod maintenance;
pub mod reports;
pub mod status;
pub mod store;

pub use detail::{detail, AssetDetail};
pub use lifecycle::{AssetEvent, TransitionInput};
pub use maintenance::{
    MaintenanceDue, MaintenanceSchedule, MaintenanceScheduleInput, ServiceRecord, ServiceRecordInput,
};
pub use status::AssetStatus;
pub use store::{Asset, AssetInput};

use crate::db::DbError;
use crate::inventory::InventoryError;
use crate::validation::Problems;

/// Why an asset change was refused or an asset not found.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no {0} with id {1}")]
    NotFound(&'static str, i64),
    #[error("{serial} is {from}; it cannot become {to} (from {from} it can become: {allowed})")]
    IllegalTransition { serial: String, from: AssetStatus, to: AssetStatus, allowed: String },
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(AssetError);
