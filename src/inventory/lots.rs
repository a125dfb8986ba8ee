//! Lots: a batch of a lot-tracked item (supplies with an expiry date), created when first
//! received and named on every movement of its stock.

use super::InventoryError;
use crate::db::Change;
use crate::validation::Problems;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

/// A lot on file, with what is on hand of it across all locations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Lot {
    pub id: i64,
    pub item_id: i64,
    pub lot_number: String,
    pub expires: Option<NaiveDate>,
    pub on_hand: i64,
}

const SELECT: &str = "SELECT l.id, l.item_id, l.lot_number, l.expires,
        COALESCE((SELECT SUM(d.delta) FROM stock_deltas d WHERE d.lot_id = l.id), 0)
    FROM lots l";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Lot> {
    Ok(Lot { id: r.get(0)?, item_id: r.get(1)?, lot_number: r.get(2)?, expires: r.get(3)?, on_hand: r.get(4)? })
}

/// The lot `lot_number` of `item_id`, if received before.
pub fn find(conn: &Connection, item_id: i64, lot_number: &str) -> Result<Option<Lot>, InventoryError> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE l.item_id = ?1 AND l.lot_number = ?2"),
            params![item_id, lot_number],
            from_row,
        )
        .optional()?)
}

/// Lots of `item_id` (all items when `None`), soonest expiry first: the order to pick them in.
pub fn list(conn: &Connection, item_id: Option<i64>) -> Result<Vec<Lot>, InventoryError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE ?1 IS NULL OR l.item_id = ?1 ORDER BY l.expires IS NULL, l.expires, l.lot_number"
    ))?;
    let rows = stmt.query_map([item_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The lot stock is received into: found by number, or created with its expiry. A lot already
/// on file with a different expiry is refused — the same lot cannot expire twice.
pub fn receive_into(
    c: &Change<'_>,
    item_id: i64,
    lot_number: &str,
    expires: Option<NaiveDate>,
) -> Result<Lot, InventoryError> {
    if let Some(lot) = find(c.conn(), item_id, lot_number)? {
        return match (lot.expires, expires) {
            (Some(on_file), Some(given)) if on_file != given => {
                Err(Problems::one("expires", format!("lot {lot_number} is on file with expiry {on_file}, not {given}"))
                    .into())
            }
            _ => Ok(lot),
        };
    }
    c.conn().execute(
        "INSERT INTO lots (item_id, lot_number, expires) VALUES (?1, ?2, ?3)",
        params![item_id, lot_number, expires],
    )?;
    Ok(Lot { id: c.conn().last_insert_rowid(), item_id, lot_number: lot_number.to_string(), expires, on_hand: 0 })
}
