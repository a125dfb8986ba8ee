//! Inventory: stocked items (each a manufacturer's model billed under a HCPCS catalog item),
//! locations (warehouses, vehicles), lots with expiry dates, the stock ledger, reorder levels
//! and the stock reports.
//!
//! Rule kept here above all: quantity on hand per item, location (and lot) is the sum of the
//! ledger's movements and never goes below zero — a movement that would make it negative is
//! refused with a problem naming the quantity, and nothing is saved. Serialized units move
//! through [`crate::assets`], which writes their movements through the same ledger.

pub mod cost;
pub mod items;
pub mod ledger;
pub mod locations;
pub mod lots;
pub mod reorder;
pub mod reports;
pub mod scan;

pub use items::{Item, ItemInput};
pub use ledger::{Movement, MovementInput, MovementKind};
pub use locations::{Location, LocationInput, LocationKind};
pub use lots::Lot;
pub use reorder::{ReorderLevel, ReorderLevelInput};

use crate::db::DbError;
use crate::validation::Problems;

/// Why an inventory change was refused or a record not found.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no {0} with id {1}")]
    NotFound(&'static str, i64),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(InventoryError);
