//! Deliveries: bringing an order's items to the patient, and the proof that they arrived.
//!
//! A delivery is scheduled (date, driver, the address — the patient's or another — and the
//! location the stock leaves from), then stock and serialized units are picked for its lines
//! (only available units, which are reserved for the patient on pick; only stock that is on
//! hand). Confirming it records the signed proof of delivery — the signature image, the
//! signer's printed name and, for a designee, the relationship (never the supplier's own
//! staff) — sets the date of service to the delivery date, and moves the stock and units
//! (delivered, on rent or sold) exactly once: a second confirmation is refused. Rented
//! units can later be picked up (returned, then cleaning) or exchanged for another unit
//! without breaking the rental.

mod confirm;
mod list;
mod returns;
mod store;

pub(crate) use confirm::confirm_in;
pub use confirm::{check_signer, confirm, ConfirmInput, Signer};
pub use list::{list, DeliveryFilter};
pub use returns::{exchange, exchange_in, pickup, pickup_in, ExchangeInput, PickupInput};
pub use store::{cancel, dates_of_service, get, pick, pick_in, schedulable_orders, schedule, schedule_in, PickInput};

use crate::assets::AssetError;
use crate::db::DbError;
use crate::inventory::InventoryError;
use crate::orders::{Acquisition, OrderError};
use crate::validation::Problems;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A delivery as entered when scheduling it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct DeliveryInput {
    #[arg(long)]
    pub order_id: Option<String>,
    /// The day of the delivery, YYYY-MM-DD
    #[arg(long)]
    pub scheduled_on: Option<String>,
    #[arg(long)]
    pub driver: Option<String>,
    /// The location the items leave from (warehouse or van)
    #[arg(long)]
    pub location_id: Option<String>,
    /// Delivery address (blank: the patient's address)
    #[arg(long)]
    pub address1: Option<String>,
    #[arg(long)]
    pub address2: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long)]
    pub zip: Option<String>,
    /// Instructions for the patient, printed on the ticket (one per line)
    #[arg(long)]
    pub instructions: Option<String>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DeliveryStatus {
    Scheduled,
    /// Signed for: the proof of delivery is on file.
    Delivered,
    Cancelled,
}

impl DeliveryStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            DeliveryStatus::Scheduled => "scheduled",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored code.
    pub fn from_code(code: &str) -> Option<DeliveryStatus> {
        [DeliveryStatus::Scheduled, DeliveryStatus::Delivered, DeliveryStatus::Cancelled]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What was picked for one order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DeliveryItem {
    pub id: i64,
    pub order_line_id: i64,
    /// The line's place on the order.
    pub line_position: u32,
    pub hcpcs: String,
    pub description: String,
    pub acquisition: Acquisition,
    pub item_id: i64,
    pub manufacturer: String,
    pub model: String,
    pub asset_id: Option<i64>,
    pub serial: Option<String>,
    pub lot_id: Option<i64>,
    pub lot_number: Option<String>,
    pub lot_expires: Option<NaiveDate>,
    pub quantity: u32,
    pub picked_up_on: Option<NaiveDate>,
}

/// A delivery on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Delivery {
    pub id: i64,
    pub order_id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub location_id: i64,
    pub scheduled_on: NaiveDate,
    pub driver: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub state: String,
    pub zip: String,
    pub instructions: Option<String>,
    pub status: DeliveryStatus,
    /// The date of service, once signed for.
    pub delivered_on: Option<NaiveDate>,
    pub signer_name: Option<String>,
    /// `None` when the patient signed.
    pub signer_relationship: Option<String>,
    pub signed_at: Option<String>,
    pub items: Vec<DeliveryItem>,
}

/// Why a delivery could not be scheduled, picked, confirmed or found.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("{0}")]
    Invalid(#[from] Problems),
    #[error("there is no delivery with id {0}")]
    NotFound(i64),
    #[error("delivery {id} was already confirmed (delivered {on}); a delivery is signed for once")]
    AlreadyConfirmed { id: i64, on: NaiveDate },
    #[error("delivery {id} is {status}; only a scheduled delivery can be changed")]
    NotScheduled { id: i64, status: &'static str },
    #[error(transparent)]
    Order(#[from] OrderError),
    #[error(transparent)]
    Asset(#[from] AssetError),
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(DeliveryError);
