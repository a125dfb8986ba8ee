//! The stock ledger: every change of stock is a movement — receive, transfer, deliver,
//! return, adjust (with a reason) or scrap — and quantity on hand is the sum of the
//! movements, per item, location and lot.
//!
//! [`record`] is the one place movements are written. It refuses any movement that would
//! take more than is on hand (the error names the quantity and what is there), so on hand
//! never goes negative; the refusal rolls back the whole change. The check and the insert
//! run in the same write transaction, so a concurrent writer cannot slip in between (SQLite
//! serialises writers; a stale reader fails with SQLITE_BUSY rather than over-drawing).

use super::{items, locations, lots, reorder, InventoryError, Item};
use crate::coded_enum;
use crate::db::{now_utc, Actor, Change, Db, DbError};
use crate::money::Money;
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What a movement does to stock.
    MovementKind {
        /// Stock arrives from a vendor (or is counted in when the program is first used).
        Receive = "receive",
        /// Stock moves between two locations (warehouse to van, van to warehouse).
        Transfer = "transfer",
        /// Stock leaves with a patient.
        Deliver = "deliver",
        /// Stock comes back from a patient.
        Return = "return",
        /// A count correction, up or down, with the reason.
        Adjust = "adjust",
        /// Stock is thrown away (expired, damaged).
        Scrap = "scrap",
    }
}

/// A movement as entered on a form or the CLI (the kind comes from the command).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct MovementInput {
    /// receive, transfer, deliver, return, adjust or scrap
    #[arg(skip)]
    pub kind: Option<String>,
    #[arg(long)]
    pub item_id: Option<String>,
    /// How many units; for an adjustment, signed: +3 found, -2 missing
    #[arg(long, allow_hyphen_values = true)]
    pub quantity: Option<String>,
    /// Where stock is received or returned into, delivered, scrapped or transferred from, or adjusted
    #[arg(long)]
    pub location_id: Option<String>,
    /// Where a transfer goes
    #[arg(long)]
    pub to_location_id: Option<String>,
    /// Lot number (lot-tracked items)
    #[arg(long)]
    pub lot: Option<String>,
    /// Lot expiry date when receiving a new lot, YYYY-MM-DD
    #[arg(long)]
    pub expires: Option<String>,
    /// Cost per unit of a receipt, in dollars (default: the item's standard cost)
    #[arg(long)]
    pub unit_cost: Option<String>,
    /// The patient a delivery goes to or a return comes from
    #[arg(long)]
    pub patient_id: Option<String>,
    /// Why (required for an adjustment)
    #[arg(long)]
    pub reason: Option<String>,
    /// The day it happened, YYYY-MM-DD (default today)
    #[arg(long)]
    pub date: Option<String>,
}

/// A movement on the ledger, with the names a person reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Movement {
    pub id: i64,
    pub kind: MovementKind,
    pub item_id: i64,
    pub sku: String,
    pub lot_id: Option<i64>,
    pub lot_number: Option<String>,
    pub asset_id: Option<i64>,
    pub from_location_id: Option<i64>,
    pub from_location: Option<String>,
    pub to_location_id: Option<i64>,
    pub to_location: Option<String>,
    pub quantity: i64,
    pub unit_cost: Option<Money>,
    pub patient_id: Option<i64>,
    pub purchase_order_line_id: Option<i64>,
    pub reason: Option<String>,
    pub moved_on: NaiveDate,
    pub recorded_at: String,
    pub actor: String,
}

/// A movement about to be written, already resolved to ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMovement {
    pub kind: MovementKind,
    pub item_id: i64,
    pub lot_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub from_location_id: Option<i64>,
    pub to_location_id: Option<i64>,
    pub quantity: i64,
    pub unit_cost: Option<Money>,
    pub patient_id: Option<i64>,
    pub purchase_order_line_id: Option<i64>,
    pub reason: Option<String>,
    pub moved_on: NaiveDate,
}

/// A checked form: the fields of [`MovementInput`] parsed, not yet looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMovement {
    pub kind: MovementKind,
    pub item_id: i64,
    pub from_location_id: Option<i64>,
    pub to_location_id: Option<i64>,
    pub quantity: i64,
    pub lot: Option<String>,
    pub expires: Option<NaiveDate>,
    pub unit_cost: Option<Money>,
    pub patient_id: Option<i64>,
    pub reason: Option<String>,
    pub moved_on: NaiveDate,
}

/// Checks every field of `input` that needs no database. The quantity of an adjustment is
/// signed (its sign says in or out); every other kind takes a positive count.
pub fn validate(input: &MovementInput, today: NaiveDate) -> Result<PlannedMovement, Problems> {
    let mut p = Problems::new();
    let kind = match optional(input.kind.as_deref()) {
        Some(_) => p.choice("kind", input.kind.as_deref(), MovementKind::CHOICES),
        None => {
            p.add("kind", "is required (receive, transfer, deliver, return, adjust or scrap)");
            None
        }
    };
    let item_id = p.required_id("item_id", input.item_id.as_deref());
    let signed = if kind == Some(MovementKind::Adjust) {
        let q = input.quantity.as_deref().map(|q| q.trim().trim_start_matches('+'));
        match optional(q).map(|q| q.parse::<i64>()) {
            Some(Ok(0)) => {
                p.add("quantity", "an adjustment must add or take at least one unit (like +3 or -2)");
                0
            }
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                p.add("quantity", format!("'{}' is not a whole number (like +3 or -2)", q.unwrap_or_default()));
                0
            }
            None => {
                p.add("quantity", "is required");
                0
            }
        }
    } else {
        p.required_count("quantity", input.quantity.as_deref(), 1)
    };
    let location = p.required_id("location_id", input.location_id.as_deref());
    let to = p.optional_id("to_location_id", input.to_location_id.as_deref());
    let patient_id = p.optional_id("patient_id", input.patient_id.as_deref());
    let reason = optional(input.reason.as_deref());
    let (from_location_id, to_location_id) = match kind {
        Some(MovementKind::Transfer) => {
            match to {
                None => p.add("to_location_id", "is required for a transfer"),
                Some(t) if t == location => p.add("to_location_id", "is the location the stock is already at"),
                Some(_) => {}
            }
            (Some(location), to)
        }
        Some(k) => {
            if to.is_some() {
                p.add("to_location_id", "is only for transfers");
            }
            let inbound =
                matches!(k, MovementKind::Receive | MovementKind::Return) || (k == MovementKind::Adjust && signed > 0);
            if inbound {
                (None, Some(location))
            } else {
                (Some(location), None)
            }
        }
        None => (None, None),
    };
    match kind {
        Some(MovementKind::Deliver | MovementKind::Return) if patient_id.is_none() => {
            p.add("patient_id", "is required: say which patient")
        }
        Some(MovementKind::Adjust) if reason.is_none() => {
            p.add("reason", "is required for an adjustment (a count, damage found, ...)")
        }
        _ => {}
    }
    let unit_cost = p.optional_money("unit_cost", input.unit_cost.as_deref());
    if unit_cost.is_some() && kind != Some(MovementKind::Receive) {
        p.add("unit_cost", "is only for receipts");
    }
    let expires = p.optional_date("expires", input.expires.as_deref());
    let moved_on = p.optional_date("date", input.date.as_deref()).unwrap_or(today);
    if moved_on > today {
        p.add("date", "is in the future");
    }
    p.finish(PlannedMovement {
        kind: kind.unwrap_or(MovementKind::Adjust),
        item_id,
        from_location_id,
        to_location_id,
        quantity: signed.abs(),
        lot: optional(input.lot.as_deref()),
        expires,
        unit_cost,
        patient_id,
        reason,
        moved_on,
    })
}

/// Records a movement of non-serialized stock (serialized units move through the asset
/// commands, so their status and history stay in step).
pub fn move_stock(db: &mut Db, actor: &Actor, input: &MovementInput) -> Result<Movement, InventoryError> {
    let planned = validate(input, today())?;
    db.write(actor, |c| post(c, &planned))
}

/// Records a checked movement inside a larger change: resolves the item, its lot and the
/// locations, then writes it through [`record`].
pub fn post(c: &Change<'_>, planned: &PlannedMovement) -> Result<Movement, InventoryError> {
    let item = items::get(c.conn(), planned.item_id)
        .map_err(|_| Problems::one("item_id", format!("there is no item with id {}", planned.item_id)))?;
    let mut p = Problems::new();
    if item.serialized {
        p.add(
            "item_id",
            format!("{} is serialized: its units move with the asset commands (hmedesk assets ...)", item.label()),
        );
    }
    for (field, id) in [("location_id", planned.from_location_id), ("to_location_id", planned.to_location_id)] {
        if let Some(id) = id {
            if locations::get(c.conn(), id).is_err() {
                p.add(field, format!("there is no location with id {id}"));
            }
        }
    }
    if let Some(patient) = planned.patient_id {
        let exists: bool =
            c.conn().query_row("SELECT EXISTS(SELECT 1 FROM patients WHERE id = ?1)", [patient], |r| r.get(0))?;
        if !exists {
            p.add("patient_id", format!("there is no patient with id {patient}"));
        }
    }
    let lot_id = lot_for(c, &item, planned, &mut p)?;
    if !p.is_empty() {
        return Err(p.into());
    }
    let unit_cost = match planned.kind {
        MovementKind::Receive => Some(planned.unit_cost.unwrap_or(item.cost)),
        _ => None,
    };
    record(
        c,
        &NewMovement {
            kind: planned.kind,
            item_id: item.id,
            lot_id,
            asset_id: None,
            from_location_id: planned.from_location_id,
            to_location_id: planned.to_location_id,
            quantity: planned.quantity,
            unit_cost,
            patient_id: planned.patient_id,
            purchase_order_line_id: None,
            reason: planned.reason.clone(),
            moved_on: planned.moved_on,
        },
    )
}

/// The lot a movement names: lot-tracked items need one (a receipt may start a new lot, any
/// other movement must name a lot on file); other items must not name one.
fn lot_for(
    c: &Change<'_>,
    item: &Item,
    planned: &PlannedMovement,
    p: &mut Problems,
) -> Result<Option<i64>, InventoryError> {
    match (&planned.lot, item.lot_tracked) {
        (None, false) => {
            if planned.expires.is_some() {
                p.add("expires", format!("{} is not lot-tracked", item.label()));
            }
            Ok(None)
        }
        (Some(_), false) => {
            p.add("lot", format!("{} is not lot-tracked", item.label()));
            Ok(None)
        }
        (None, true) => {
            p.add("lot", format!("is required: {} is lot-tracked", item.label()));
            Ok(None)
        }
        (Some(number), true) if planned.kind == MovementKind::Receive => {
            Ok(Some(lots::receive_into(c, item.id, number, planned.expires)?.id))
        }
        (Some(number), true) => match lots::find(c.conn(), item.id, number)? {
            Some(lot) => Ok(Some(lot.id)),
            None => {
                p.add("lot", format!("lot {number} of {} is not on file", item.label()));
                Ok(None)
            }
        },
    }
}

/// Writes one movement, refusing it when it would take more than is on hand where it takes
/// from. Every movement, of every module, goes through here.
pub fn record(c: &Change<'_>, m: &NewMovement) -> Result<Movement, InventoryError> {
    if m.quantity <= 0 {
        return Err(Problems::one("quantity", "must be at least 1").into());
    }
    if let Some(from) = m.from_location_id {
        let available = on_hand(c.conn(), m.item_id, from, m.lot_id)?;
        if available < m.quantity {
            let item = items::get(c.conn(), m.item_id)?;
            let location = locations::get(c.conn(), from)?;
            let lot = match m.lot_id {
                Some(id) => {
                    let number: String =
                        c.conn().query_row("SELECT lot_number FROM lots WHERE id = ?1", [id], |r| r.get(0))?;
                    format!(" of lot {number}")
                }
                None => String::new(),
            };
            return Err(Problems::one(
                "quantity",
                format!(
                    "only {available} {}{lot} of {} on hand at {}; cannot take {}",
                    item.unit,
                    item.label(),
                    location.name,
                    m.quantity
                ),
            )
            .into());
        }
    }
    c.conn().execute(
        "INSERT INTO stock_movements (kind, item_id, lot_id, asset_id, from_location_id, to_location_id, quantity,
            unit_cost_cents, patient_id, purchase_order_line_id, reason, moved_on, recorded_at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            m.kind,
            m.item_id,
            m.lot_id,
            m.asset_id,
            m.from_location_id,
            m.to_location_id,
            m.quantity,
            m.unit_cost,
            m.patient_id,
            m.purchase_order_line_id,
            m.reason,
            m.moved_on,
            now_utc(),
            c.actor().name()
        ],
    )?;
    let id = c.conn().last_insert_rowid();
    c.audit("create", "stock_movement", Some(id), &format!("{} {} of item {}", m.kind, m.quantity, m.item_id))?;
    if let Some(from) = m.from_location_id {
        reorder::review(c, m.item_id, from)?;
    }
    get(c.conn(), id)
}

/// Quantity of `item_id` on hand at `location_id`, in one lot (`lot_id`; `None` for items not
/// tracked by lot).
pub fn on_hand(conn: &Connection, item_id: i64, location_id: i64, lot_id: Option<i64>) -> Result<i64, DbError> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(delta), 0) FROM stock_deltas WHERE item_id = ?1 AND location_id = ?2 AND lot_id IS ?3",
        params![item_id, location_id, lot_id],
        |r| r.get(0),
    )?)
}

/// Quantity of `item_id` on hand at `location_id`, all lots together.
pub fn on_hand_total(conn: &Connection, item_id: i64, location_id: i64) -> Result<i64, DbError> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(delta), 0) FROM stock_deltas WHERE item_id = ?1 AND location_id = ?2",
        params![item_id, location_id],
        |r| r.get(0),
    )?)
}

const SELECT: &str = "SELECT m.id, m.kind, m.item_id, i.sku, m.lot_id, l.lot_number, m.asset_id, m.from_location_id,
        f.name, m.to_location_id, t.name, m.quantity, m.unit_cost_cents, m.patient_id, m.purchase_order_line_id,
        m.reason, m.moved_on, m.recorded_at, m.actor
    FROM stock_movements m JOIN items i ON i.id = m.item_id LEFT JOIN lots l ON l.id = m.lot_id
    LEFT JOIN locations f ON f.id = m.from_location_id LEFT JOIN locations t ON t.id = m.to_location_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Movement> {
    Ok(Movement {
        id: r.get(0)?,
        kind: r.get(1)?,
        item_id: r.get(2)?,
        sku: r.get(3)?,
        lot_id: r.get(4)?,
        lot_number: r.get(5)?,
        asset_id: r.get(6)?,
        from_location_id: r.get(7)?,
        from_location: r.get(8)?,
        to_location_id: r.get(9)?,
        to_location: r.get(10)?,
        quantity: r.get(11)?,
        unit_cost: r.get(12)?,
        patient_id: r.get(13)?,
        purchase_order_line_id: r.get(14)?,
        reason: r.get(15)?,
        moved_on: r.get(16)?,
        recorded_at: r.get(17)?,
        actor: r.get(18)?,
    })
}

/// The movement with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Movement, InventoryError> {
    conn.query_row(&format!("{SELECT} WHERE m.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(InventoryError::NotFound("stock movement", id))
}

/// The most recent `limit` movements, optionally of one item and/or touching one location.
pub fn list(
    conn: &Connection,
    item_id: Option<i64>,
    location_id: Option<i64>,
    limit: u32,
) -> Result<Vec<Movement>, InventoryError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR m.item_id = ?1)
           AND (?2 IS NULL OR m.from_location_id = ?2 OR m.to_location_id = ?2)
         ORDER BY m.id DESC LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![item_id, location_id, limit], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, quantity: &str) -> MovementInput {
        MovementInput {
            kind: Some(kind.into()),
            item_id: Some("1".into()),
            quantity: Some(quantity.into()),
            location_id: Some("1".into()),
            ..MovementInput::default()
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn each_kind_takes_from_or_puts_into_the_location() {
        let ends = |i: MovementInput| {
            let m = validate(&i, day()).unwrap();
            (m.from_location_id, m.to_location_id, m.quantity)
        };
        assert_eq!(ends(input("receive", "5")), (None, Some(1), 5));
        assert_eq!(ends(input("scrap", "2")), (Some(1), None, 2));
        let with_patient = |kind: &str| MovementInput { patient_id: Some("4".into()), ..input(kind, "1") };
        assert_eq!(ends(with_patient("deliver")), (Some(1), None, 1));
        assert_eq!(ends(with_patient("return")), (None, Some(1), 1));
        let adjust = |q: &str| MovementInput { reason: Some("count".into()), ..input("adjust", q) };
        assert_eq!(ends(adjust("+3")), (None, Some(1), 3));
        assert_eq!(ends(adjust("-2")), (Some(1), None, 2));
        assert_eq!(
            ends(MovementInput { to_location_id: Some("2".into()), ..input("transfer", "4") }),
            (Some(1), Some(2), 4)
        );
    }

    #[test]
    fn missing_details_are_named() {
        let fields = |i: MovementInput| -> Vec<String> {
            validate(&i, day()).unwrap_err().0.into_iter().map(|p| p.field).collect()
        };
        assert_eq!(fields(input("transfer", "1")), ["to_location_id"]);
        assert_eq!(fields(input("deliver", "0")), ["quantity", "patient_id"]);
        assert_eq!(fields(input("adjust", "0")), ["quantity", "reason"]);
        assert_eq!(fields(MovementInput { unit_cost: Some("3".into()), ..input("scrap", "1") }), ["unit_cost"]);
        assert_eq!(fields(MovementInput { date: Some("2026-03-03".into()), ..input("receive", "1") }), ["date"]);
        assert_eq!(fields(MovementInput::default()), ["kind", "item_id", "quantity", "location_id"]);
    }
}
