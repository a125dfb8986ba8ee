//! Stock reports: what is on hand where, and what it is worth at moving average cost
//! (the method is described in [`super::cost`]).

use super::cost::{AverageCost, CostEvent};
use super::{InventoryError, MovementKind};
use crate::money::Money;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

/// On hand of one item (and lot) at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct StockLevel {
    pub item_id: i64,
    pub sku: String,
    pub name: String,
    pub location_id: i64,
    pub location: String,
    pub lot_number: Option<String>,
    pub expires: Option<NaiveDate>,
    pub quantity: i64,
}

/// Stock on hand by location, then item and lot; only what is there. `location_id` and
/// `item_id` narrow it down.
pub fn stock_on_hand(
    conn: &Connection,
    location_id: Option<i64>,
    item_id: Option<i64>,
) -> Result<Vec<StockLevel>, InventoryError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.item_id, i.sku, i.name, d.location_id, l.name, t.lot_number, t.expires, SUM(d.delta)
         FROM stock_deltas d JOIN items i ON i.id = d.item_id JOIN locations l ON l.id = d.location_id
         LEFT JOIN lots t ON t.id = d.lot_id
         WHERE (?1 IS NULL OR d.location_id = ?1) AND (?2 IS NULL OR d.item_id = ?2)
         GROUP BY d.item_id, d.location_id, d.lot_id HAVING SUM(d.delta) <> 0
         ORDER BY l.kind DESC, l.name, i.name COLLATE NOCASE, t.expires",
    )?;
    let rows = stmt.query_map(params![location_id, item_id], |r| {
        Ok(StockLevel {
            item_id: r.get(0)?,
            sku: r.get(1)?,
            name: r.get(2)?,
            location_id: r.get(3)?,
            location: r.get(4)?,
            lot_number: r.get(5)?,
            expires: r.get(6)?,
            quantity: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One item's line of the valuation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ValuationLine {
    pub item_id: i64,
    pub sku: String,
    pub name: String,
    pub on_hand: i64,
    /// Moving average cost per unit, rounded to cents for display.
    pub average_cost: Money,
    /// On hand × exact average, rounded once.
    pub value: Money,
}

/// Stock on hand valued at moving average cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Valuation {
    pub lines: Vec<ValuationLine>,
    pub total: Money,
}

/// The value of everything on hand (in warehouses and vehicles; equipment out with patients
/// is not stock on hand), item by item, by replaying each item's ledger in order.
pub fn valuation(conn: &Connection) -> Result<Valuation, InventoryError> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.item_id, i.sku, i.name, m.kind, m.from_location_id IS NOT NULL, m.to_location_id IS NOT NULL,
                m.quantity, m.unit_cost_cents
         FROM stock_movements m JOIN items i ON i.id = m.item_id
         ORDER BY i.name COLLATE NOCASE, m.item_id, m.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut lines: Vec<(ValuationLine, AverageCost)> = Vec::new();
    while let Some(r) = rows.next()? {
        let item_id: i64 = r.get(0)?;
        if lines.last().is_none_or(|(l, _)| l.item_id != item_id) {
            let line = ValuationLine {
                item_id,
                sku: r.get(1)?,
                name: r.get(2)?,
                on_hand: 0,
                average_cost: Money::ZERO,
                value: Money::ZERO,
            };
            lines.push((line, AverageCost::default()));
        }
        let kind: MovementKind = r.get(3)?;
        let (takes, puts, quantity): (bool, bool, i64) = (r.get(4)?, r.get(5)?, r.get(6)?);
        let unit_cost: Option<Money> = r.get(7)?;
        let event = match (kind, takes, puts) {
            (MovementKind::Receive, _, _) => CostEvent::Receipt { quantity, unit_cost: unit_cost.unwrap_or_default() },
            (_, true, true) => continue,
            (_, false, _) => CostEvent::In { quantity },
            (_, true, false) => CostEvent::Out { quantity },
        };
        if let Some((_, cost)) = lines.last_mut() {
            cost.apply(event);
        }
    }
    let lines: Vec<ValuationLine> = lines
        .into_iter()
        .filter(|(_, cost)| cost.on_hand != 0)
        .map(|(line, cost)| ValuationLine {
            on_hand: cost.on_hand,
            average_cost: cost.unit(),
            value: cost.value(),
            ..line
        })
        .collect();
    let total = lines.iter().map(|l| l.value).sum();
    Ok(Valuation { lines, total })
}
