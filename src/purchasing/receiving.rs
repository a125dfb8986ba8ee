//! Receiving against a purchase order: what arrived, line by line — quantities, the lot and
//! its expiry for lot-tracked items, the serial numbers (typed or scanned) for serialized ones.
//!
//! A receipt is all or nothing: every line is checked first (every problem reported, each
//! naming its line), then the stock movements, lots and assets are written in one
//! transaction and the order becomes partially received or received.

use super::orders::{self, PoStatus, PurchaseOrder};
use super::PurchasingError;
use crate::assets::store::{self as asset_store, NewAsset};
use crate::db::{Actor, Change, Db};
use crate::inventory::ledger::{self, NewMovement};
use crate::inventory::{lots, MovementKind};
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What arrived for one line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct ReceiptLineInput {
    /// The purchase order line
    #[arg(long = "line")]
    pub line_id: Option<String>,
    #[arg(long)]
    pub quantity: Option<String>,
    /// Lot number (lot-tracked items)
    #[arg(long)]
    pub lot: Option<String>,
    /// Expiry of a new lot, YYYY-MM-DD
    #[arg(long)]
    pub expires: Option<String>,
    /// Serial numbers of the units (serialized items), separated by commas, spaces or lines
    #[arg(long)]
    pub serials: Option<String>,
}

/// A delivery from the vendor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct ReceiptInput {
    /// The day it arrived, YYYY-MM-DD (default today)
    pub date: Option<String>,
    pub lines: Vec<ReceiptLineInput>,
}

/// One checked line of a receipt.
struct Arrival {
    line_id: i64,
    item_id: i64,
    quantity: i64,
    unit_cost: crate::money::Money,
    lot: Option<(String, Option<NaiveDate>)>,
    serials: Vec<String>,
}

/// Splits what a scanner or a person typed into serial numbers.
fn split_serials(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Receives `input` against purchase order `po_id`.
pub fn receive(db: &mut Db, actor: &Actor, po_id: i64, input: &ReceiptInput) -> Result<PurchaseOrder, PurchasingError> {
    db.write(actor, |c| receive_in(c, po_id, input, today()))
}

/// [`receive`] inside a larger change, as of `today`.
pub fn receive_in(
    c: &Change<'_>,
    po_id: i64,
    input: &ReceiptInput,
    today: NaiveDate,
) -> Result<PurchaseOrder, PurchasingError> {
    let po = orders::get(c.conn(), po_id)?;
    if !matches!(po.status, PoStatus::Ordered | PoStatus::PartiallyReceived) {
        let action = match po.status {
            PoStatus::Draft => "place the order before receiving against it",
            _ => "everything on it has been received",
        };
        return Err(PurchasingError::WrongStatus { id: po_id, status: po.status, action });
    }
    let (arrivals, on) = check(c, &po, input, today)?;
    for a in &arrivals {
        if a.serials.is_empty() {
            let lot_id = match &a.lot {
                Some((number, expires)) => Some(lots::receive_into(c, a.item_id, number, *expires)?.id),
                None => None,
            };
            ledger::record(
                c,
                &NewMovement {
                    kind: MovementKind::Receive,
                    item_id: a.item_id,
                    lot_id,
                    asset_id: None,
                    from_location_id: None,
                    to_location_id: Some(po.ship_to_id),
                    quantity: a.quantity,
                    unit_cost: Some(a.unit_cost),
                    patient_id: None,
                    purchase_order_line_id: Some(a.line_id),
                    reason: None,
                    moved_on: on,
                },
            )?;
        }
        for serial in &a.serials {
            asset_store::receive(
                c,
                &NewAsset {
                    item_id: a.item_id,
                    serial: serial.clone(),
                    location_id: po.ship_to_id,
                    cost: a.unit_cost,
                    hours_meter: None,
                    acquired_on: on,
                    purchase_order_line_id: Some(a.line_id),
                },
            )?;
        }
    }
    let after = orders::get(c.conn(), po_id)?;
    let status =
        if after.lines.iter().all(|l| l.outstanding() == 0) { PoStatus::Received } else { PoStatus::PartiallyReceived };
    c.conn().execute("UPDATE purchase_orders SET status = ?1 WHERE id = ?2", params![status, po_id])?;
    let units: i64 = arrivals.iter().map(|a| a.quantity).sum();
    c.audit("receive", "purchase_order", Some(po_id), &format!("received {units} units; now {status}"))?;
    orders::get(c.conn(), po_id)
}

/// Checks every line of the receipt against the order and the database, reporting every
/// problem, each named `lines[i].field`.
fn check(
    c: &Change<'_>,
    po: &PurchaseOrder,
    input: &ReceiptInput,
    today: NaiveDate,
) -> Result<(Vec<Arrival>, NaiveDate), PurchasingError> {
    let mut p = Problems::new();
    let on = p.optional_date("date", input.date.as_deref()).unwrap_or(today);
    if on > today {
        p.add("date", "is in the future");
    }
    if po.ordered_on.is_some_and(|ordered| on < ordered) {
        p.add("date", "is before the order was placed");
    }
    if input.lines.is_empty() {
        p.add("lines", "say what arrived: at least one line");
    }
    let mut taken: HashMap<i64, i64> = HashMap::new();
    let mut seen_serials: HashSet<(i64, String)> = HashSet::new();
    let mut arrivals = Vec::new();
    for (i, entry) in input.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        let line_id = p.required_id(&field("line_id"), entry.line_id.as_deref());
        let quantity = p.required_count(&field("quantity"), entry.quantity.as_deref(), 1);
        let expires = p.optional_date(&field("expires"), entry.expires.as_deref());
        let lot = optional(entry.lot.as_deref());
        let serials = split_serials(entry.serials.as_deref());
        let Some(line) = po.lines.iter().find(|l| l.id == line_id) else {
            if line_id > 0 {
                p.add(&field("line_id"), format!("purchase order {} has no line {line_id}", po.id));
            }
            continue;
        };
        let already = taken.entry(line_id).or_default();
        if quantity > line.outstanding() - *already {
            p.add(
                &field("quantity"),
                format!(
                    "{} of {} are still to come on this line; {quantity} is too many",
                    line.outstanding() - *already,
                    line.sku
                ),
            );
        }
        *already += quantity;
        if line.serialized {
            if serials.len() as i64 != quantity {
                p.add(
                    &field("serials"),
                    format!("{quantity} units need {quantity} serial numbers; {} given", serials.len()),
                );
            }
            for serial in &serials {
                if !seen_serials.insert((line.item_id, serial.to_ascii_uppercase())) {
                    p.add(&field("serials"), format!("{serial} is entered twice"));
                }
                let on_file: bool = c.conn().query_row(
                    "SELECT EXISTS(SELECT 1 FROM assets WHERE item_id = ?1 AND serial = ?2)",
                    params![line.item_id, serial],
                    |r| r.get(0),
                )?;
                if on_file {
                    p.add(&field("serials"), format!("{serial} is already on file for {}", line.sku));
                }
            }
        } else if !serials.is_empty() {
            p.add(&field("serials"), format!("{} is not serialized", line.sku));
        }
        match (&lot, line.lot_tracked) {
            (None, true) => p.add(&field("lot"), format!("is required: {} is lot-tracked", line.sku)),
            (Some(number), true) => {
                let known = lots::find(c.conn(), line.item_id, number)?;
                if known.is_none() && expires.is_none() {
                    p.add(&field("expires"), format!("is required for the new lot {number}"));
                }
                if let (Some(lot), Some(given)) = (known.and_then(|l| l.expires), expires) {
                    if lot != given {
                        p.add(&field("expires"), format!("lot {number} is on file with expiry {lot}, not {given}"));
                    }
                }
            }
            (Some(_), false) => p.add(&field("lot"), format!("{} is not lot-tracked", line.sku)),
            (None, false) => {
                if expires.is_some() {
                    p.add(&field("expires"), format!("{} is not lot-tracked", line.sku));
                }
            }
        }
        arrivals.push(Arrival {
            line_id,
            item_id: line.item_id,
            quantity,
            unit_cost: line.unit_cost,
            lot: lot.map(|l| (l, expires)),
            serials: if line.serialized { serials } else { Vec::new() },
        });
    }
    p.finish((arrivals, on)).map_err(PurchasingError::from)
}

#[cfg(test)]
mod tests {
    use super::split_serials;

    #[test]
    fn serials_split_on_what_scanners_and_people_type() {
        assert_eq!(split_serials(Some("A1, B2;C3\nD4\r\n E5 ")), ["A1", "B2", "C3", "D4", "E5"]);
        assert!(split_serials(Some(" , ")).is_empty());
        assert!(split_serials(None).is_empty());
    }
}
