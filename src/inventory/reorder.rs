//! Reorder levels: a minimum and maximum per item and location. When a movement leaves a
//! location below its minimum, a purchase order line for the item's preferred vendor is
//! drafted (or topped up) to bring the location back to its maximum, counting what is already
//! on order; the dashboard shows every location below its minimum until it is restocked.

use super::{items, ledger, locations, InventoryError};
use crate::db::{Actor, Change, Db, DbError};
use crate::purchasing;
use crate::validation::Problems;
use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

/// A reorder level as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct ReorderLevelInput {
    #[arg(long)]
    pub item_id: Option<String>,
    #[arg(long)]
    pub location_id: Option<String>,
    /// Reorder when on hand falls below this
    #[arg(long)]
    pub min: Option<String>,
    /// Reorder up to this
    #[arg(long)]
    pub max: Option<String>,
}

/// A reorder level with where the location stands against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReorderLevel {
    pub item_id: i64,
    pub sku: String,
    pub name: String,
    pub vendor_id: Option<i64>,
    pub location_id: i64,
    pub location: String,
    pub min: i64,
    pub max: i64,
    pub on_hand: i64,
    /// Ordered or drafted and not yet received.
    pub on_order: i64,
}

impl ReorderLevel {
    /// True when the location holds less than its minimum.
    pub fn below_min(&self) -> bool {
        self.on_hand < self.min
    }

    /// How many to order to reach the maximum, counting what is already on order.
    pub fn shortfall(&self) -> i64 {
        (self.max - self.on_hand - self.on_order).max(0)
    }
}

/// Sets (or replaces) the level of an item at a location, and drafts a reorder at once when
/// the location is already below the new minimum.
pub fn set(db: &mut Db, actor: &Actor, input: &ReorderLevelInput) -> Result<ReorderLevel, InventoryError> {
    db.write(actor, |c| store(c, input))
}

/// [`set`] inside a larger change (the demo).
pub fn store(c: &Change<'_>, input: &ReorderLevelInput) -> Result<ReorderLevel, InventoryError> {
    let mut p = Problems::new();
    let item_id = p.required_id("item_id", input.item_id.as_deref());
    let location_id = p.required_id("location_id", input.location_id.as_deref());
    let min = p.required_count("min", input.min.as_deref(), 0);
    let max = p.required_count("max", input.max.as_deref(), 0);
    if max < min {
        p.add("max", format!("must be at least the minimum ({min})"));
    }
    if max == 0 {
        p.add("max", "must be at least 1");
    }
    if item_id > 0 && items::get(c.conn(), item_id).is_err() {
        p.add("item_id", format!("there is no item with id {item_id}"));
    }
    if location_id > 0 && locations::get(c.conn(), location_id).is_err() {
        p.add("location_id", format!("there is no location with id {location_id}"));
    }
    p.finish(())?;
    c.conn().execute(
        "INSERT INTO reorder_levels (item_id, location_id, min_qty, max_qty) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (item_id, location_id) DO UPDATE SET min_qty = excluded.min_qty, max_qty = excluded.max_qty",
        params![item_id, location_id, min, max],
    )?;
    c.audit("update", "reorder_level", Some(item_id), &format!("min {min} max {max} at location {location_id}"))?;
    review(c, item_id, location_id)?;
    level(c.conn(), item_id, location_id)?.ok_or(InventoryError::NotFound("reorder level", item_id))
}

/// Drafts or tops up a purchase order line when `item_id` is below its minimum at
/// `location_id` and has a preferred vendor. Called after every movement that takes stock.
pub fn review(c: &Change<'_>, item_id: i64, location_id: i64) -> Result<(), InventoryError> {
    let Some(level) = level(c.conn(), item_id, location_id)? else { return Ok(()) };
    let (Some(vendor_id), true, quantity @ 1..) = (level.vendor_id, level.below_min(), level.shortfall()) else {
        return Ok(());
    };
    let item = items::get(c.conn(), item_id)?;
    let po = purchasing::orders::draft_line(c, vendor_id, location_id, item_id, quantity, item.cost)?;
    c.audit(
        "reorder",
        "purchase_order",
        Some(po),
        &format!("drafted {quantity} of {} for location {location_id}", item.sku),
    )?;
    Ok(())
}

const SELECT: &str = "SELECT r.item_id, i.sku, i.name, i.vendor_id, r.location_id, l.name, r.min_qty, r.max_qty
    FROM reorder_levels r JOIN items i ON i.id = r.item_id JOIN locations l ON l.id = r.location_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ReorderLevel> {
    Ok(ReorderLevel {
        item_id: r.get(0)?,
        sku: r.get(1)?,
        name: r.get(2)?,
        vendor_id: r.get(3)?,
        location_id: r.get(4)?,
        location: r.get(5)?,
        min: r.get(6)?,
        max: r.get(7)?,
        on_hand: 0,
        on_order: 0,
    })
}

fn with_stock(conn: &Connection, mut level: ReorderLevel) -> Result<ReorderLevel, DbError> {
    level.on_hand = ledger::on_hand_total(conn, level.item_id, level.location_id)?;
    level.on_order = purchasing::orders::on_order(conn, level.item_id, level.location_id)?;
    Ok(level)
}

/// The level of `item_id` at `location_id`, if one is set.
pub fn level(conn: &Connection, item_id: i64, location_id: i64) -> Result<Option<ReorderLevel>, DbError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE r.item_id = ?1 AND r.location_id = ?2"))?;
    let found = stmt.query_map(params![item_id, location_id], from_row)?.next().transpose()?;
    found.map(|l| with_stock(conn, l)).transpose()
}

/// Every level, by location and item.
pub fn list(conn: &Connection) -> Result<Vec<ReorderLevel>, DbError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY l.name, i.name COLLATE NOCASE"))?;
    let levels: Vec<ReorderLevel> = stmt.query_map([], from_row)?.collect::<Result<_, _>>()?;
    levels.into_iter().map(|l| with_stock(conn, l)).collect()
}

/// Locations below their minimum for an item.
pub fn below_min(conn: &Connection) -> Result<Vec<ReorderLevel>, DbError> {
    Ok(list(conn)?.into_iter().filter(ReorderLevel::below_min).collect())
}
