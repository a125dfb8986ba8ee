//! Purchasing: vendors, purchase orders and receiving.
//!
//! A purchase order goes draft → ordered → partially received → received. Lines can be
//! changed only while it is a draft (reorder levels draft lines on their own); receiving
//! writes stock movements, creates lots (with expiry) for lot-tracked items and assets (one
//! per serial number entered or scanned) for serialized ones. What a line has received is the
//! sum of its receive movements, so the order and the ledger cannot disagree.

pub mod orders;
pub mod receiving;
pub mod vendors;

pub use orders::{PoLine, PoLineInput, PoStatus, PurchaseOrder, PurchaseOrderInput};
pub use receiving::{ReceiptInput, ReceiptLineInput};
pub use vendors::{Vendor, VendorInput};

use crate::assets::AssetError;
use crate::db::DbError;
use crate::inventory::InventoryError;
use crate::validation::Problems;

/// Why a purchasing change was refused or a record not found.
#[derive(Debug, thiserror::Error)]
pub enum PurchasingError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no {0} with id {1}")]
    NotFound(&'static str, i64),
    #[error("purchase order {id} is {status}; {action}")]
    WrongStatus { id: i64, status: PoStatus, action: &'static str },
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error(transparent)]
    Asset(#[from] AssetError),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(PurchasingError);
