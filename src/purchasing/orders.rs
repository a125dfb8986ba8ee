//! Purchase orders and their lines: drafting, adding lines, placing the order, and what is
//! still on order (for reorder levels).

use super::{vendors, PurchasingError};
use crate::coded_enum;
use crate::db::{Actor, Change, Db, DbError};
use crate::inventory::{items, locations};
use crate::money::Money;
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where a purchase order stands.
    PoStatus {
        /// Being put together; lines can change.
        Draft = "draft",
        /// Sent to the vendor.
        Ordered = "ordered",
        /// Some lines, or part of a line, arrived.
        PartiallyReceived = "partially_received",
        /// Everything arrived.
        Received = "received",
    }
}

/// A new purchase order as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct PurchaseOrderInput {
    #[arg(long)]
    pub vendor_id: Option<String>,
    /// The location the goods are delivered to
    #[arg(long)]
    pub ship_to_id: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

/// A line to add to a draft, as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct PoLineInput {
    #[arg(long)]
    pub item_id: Option<String>,
    #[arg(long)]
    pub quantity: Option<String>,
    /// Price per unit, in dollars (default: the item's standard cost)
    #[arg(long)]
    pub unit_cost: Option<String>,
}

/// A line of a purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PoLine {
    pub id: i64,
    pub item_id: i64,
    pub sku: String,
    pub item: String,
    pub serialized: bool,
    pub lot_tracked: bool,
    pub quantity: i64,
    /// Units received so far (the sum of the line's receive movements).
    pub received: i64,
    pub unit_cost: Money,
    pub amount: Money,
}

impl PoLine {
    /// Units still to come.
    pub fn outstanding(&self) -> i64 {
        (self.quantity - self.received).max(0)
    }
}

/// A purchase order with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PurchaseOrder {
    pub id: i64,
    pub vendor_id: i64,
    pub vendor: String,
    pub ship_to_id: i64,
    pub ship_to: String,
    pub status: PoStatus,
    pub created_on: NaiveDate,
    pub ordered_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub lines: Vec<PoLine>,
    pub total: Money,
}

const SELECT: &str = "SELECT o.id, o.vendor_id, v.name, o.ship_to_id, l.name, o.status, o.created_on, o.ordered_on,
        o.notes
    FROM purchase_orders o JOIN vendors v ON v.id = o.vendor_id JOIN locations l ON l.id = o.ship_to_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<PurchaseOrder> {
    Ok(PurchaseOrder {
        id: r.get(0)?,
        vendor_id: r.get(1)?,
        vendor: r.get(2)?,
        ship_to_id: r.get(3)?,
        ship_to: r.get(4)?,
        status: r.get(5)?,
        created_on: r.get(6)?,
        ordered_on: r.get(7)?,
        notes: r.get(8)?,
        lines: Vec::new(),
        total: Money::ZERO,
    })
}

fn with_lines(conn: &Connection, mut po: PurchaseOrder) -> Result<PurchaseOrder, PurchasingError> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.item_id, i.sku, i.name, i.serialized, i.lot_tracked, n.quantity,
                COALESCE((SELECT SUM(m.quantity) FROM stock_movements m
                          WHERE m.purchase_order_line_id = n.id AND m.kind = 'receive'), 0),
                n.unit_cost_cents
         FROM purchase_order_lines n JOIN items i ON i.id = n.item_id
         WHERE n.purchase_order_id = ?1 ORDER BY n.id",
    )?;
    let rows = stmt.query_map([po.id], |r| {
        let quantity: i64 = r.get(6)?;
        let unit_cost: Money = r.get(8)?;
        Ok(PoLine {
            id: r.get(0)?,
            item_id: r.get(1)?,
            sku: r.get(2)?,
            item: r.get(3)?,
            serialized: r.get(4)?,
            lot_tracked: r.get(5)?,
            quantity,
            received: r.get(7)?,
            unit_cost,
            amount: Money::round_from(unit_cost.decimal() * Decimal::from(quantity)),
        })
    })?;
    po.lines = rows.collect::<Result<_, _>>()?;
    po.total = po.lines.iter().map(|l| l.amount).sum();
    Ok(po)
}

/// The purchase order with `id`, with its lines.
pub fn get(conn: &Connection, id: i64) -> Result<PurchaseOrder, PurchasingError> {
    let po = conn
        .query_row(&format!("{SELECT} WHERE o.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(PurchasingError::NotFound("purchase order", id))?;
    with_lines(conn, po)
}

/// Purchase orders, optionally in one status, newest first.
pub fn list(conn: &Connection, status: Option<PoStatus>) -> Result<Vec<PurchaseOrder>, PurchasingError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE ?1 IS NULL OR o.status = ?1 ORDER BY o.id DESC"))?;
    let orders: Vec<PurchaseOrder> = stmt.query_map([status], from_row)?.collect::<Result<_, _>>()?;
    orders.into_iter().map(|po| with_lines(conn, po)).collect()
}

/// Starts a draft purchase order.
pub fn add(db: &mut Db, actor: &Actor, input: &PurchaseOrderInput) -> Result<PurchaseOrder, PurchasingError> {
    db.write(actor, |c| create(c, input, today()))
}

/// [`add`] inside a larger change, dated `today`.
pub fn create(c: &Change<'_>, input: &PurchaseOrderInput, today: NaiveDate) -> Result<PurchaseOrder, PurchasingError> {
    let mut p = Problems::new();
    let vendor_id = p.required_id("vendor_id", input.vendor_id.as_deref());
    let ship_to_id = p.required_id("ship_to_id", input.ship_to_id.as_deref());
    if vendor_id > 0 && vendors::get(c.conn(), vendor_id).is_err() {
        p.add("vendor_id", format!("there is no vendor with id {vendor_id}"));
    }
    if ship_to_id > 0 && locations::get(c.conn(), ship_to_id).is_err() {
        p.add("ship_to_id", format!("there is no location with id {ship_to_id}"));
    }
    p.finish(())?;
    let id = insert(c, vendor_id, ship_to_id, today, optional(input.notes.as_deref()))?;
    get(c.conn(), id)
}

fn insert(
    c: &Change<'_>,
    vendor_id: i64,
    ship_to_id: i64,
    on: NaiveDate,
    notes: Option<String>,
) -> Result<i64, DbError> {
    c.conn().execute(
        "INSERT INTO purchase_orders (vendor_id, ship_to_id, status, created_on, notes) VALUES (?1, ?2, 'draft', ?3, ?4)",
        params![vendor_id, ship_to_id, on, notes],
    )?;
    let id = c.conn().last_insert_rowid();
    c.audit("create", "purchase_order", Some(id), &format!("draft for vendor {vendor_id}"))?;
    Ok(id)
}

/// Adds a line to draft `po_id`.
pub fn add_line(db: &mut Db, actor: &Actor, po_id: i64, input: &PoLineInput) -> Result<PurchaseOrder, PurchasingError> {
    db.write(actor, |c| create_line(c, po_id, input))
}

/// [`add_line`] inside a larger change (the demo).
pub fn create_line(c: &Change<'_>, po_id: i64, input: &PoLineInput) -> Result<PurchaseOrder, PurchasingError> {
    let po = get(c.conn(), po_id)?;
    if po.status != PoStatus::Draft {
        return Err(PurchasingError::WrongStatus { id: po_id, status: po.status, action: "only a draft can change" });
    }
    let mut p = Problems::new();
    let item_id = p.required_id("item_id", input.item_id.as_deref());
    let quantity = p.required_count("quantity", input.quantity.as_deref(), 1);
    let unit_cost = p.optional_money("unit_cost", input.unit_cost.as_deref());
    let item = match items::get(c.conn(), item_id) {
        Ok(item) => Some(item),
        Err(_) => {
            if item_id > 0 {
                p.add("item_id", format!("there is no item with id {item_id}"));
            }
            None
        }
    };
    if let Some(existing) = po.lines.iter().find(|l| l.item_id == item_id) {
        p.add("item_id", format!("{} is already on this order (line {})", existing.sku, existing.id));
    }
    let item = p.finish(item)?.ok_or(PurchasingError::NotFound("item", item_id))?;
    c.conn().execute(
        "INSERT INTO purchase_order_lines (purchase_order_id, item_id, quantity, unit_cost_cents) VALUES (?1, ?2, ?3, ?4)",
        params![po_id, item_id, quantity, unit_cost.unwrap_or(item.cost)],
    )?;
    c.audit("update", "purchase_order", Some(po_id), &format!("added {quantity} of {}", item.sku))?;
    get(c.conn(), po_id)
}

/// Sends draft `po_id` to the vendor: it becomes ordered, dated `on` (default today).
pub fn place(db: &mut Db, actor: &Actor, po_id: i64, on: Option<NaiveDate>) -> Result<PurchaseOrder, PurchasingError> {
    db.write(actor, |c| place_in(c, po_id, on.unwrap_or_else(today)))
}

/// [`place`] inside a larger change.
pub fn place_in(c: &Change<'_>, po_id: i64, on: NaiveDate) -> Result<PurchaseOrder, PurchasingError> {
    let po = get(c.conn(), po_id)?;
    if po.status != PoStatus::Draft {
        return Err(PurchasingError::WrongStatus { id: po_id, status: po.status, action: "it was already placed" });
    }
    if po.lines.is_empty() {
        return Err(Problems::one("lines", "add at least one line before ordering").into());
    }
    if on < po.created_on {
        return Err(Problems::one("date", format!("is before the order was drafted ({})", po.created_on)).into());
    }
    c.conn()
        .execute("UPDATE purchase_orders SET status = 'ordered', ordered_on = ?1 WHERE id = ?2", params![on, po_id])?;
    c.audit("update", "purchase_order", Some(po_id), "ordered")?;
    get(c.conn(), po_id)
}

/// Adds `quantity` of `item_id` to the vendor's open draft for `ship_to_id` — to the item's
/// line when there is one, else a new line, starting a draft when there is none. Returns the
/// purchase order's id. Used by reorder levels.
pub fn draft_line(
    c: &Change<'_>,
    vendor_id: i64,
    ship_to_id: i64,
    item_id: i64,
    quantity: i64,
    unit_cost: Money,
) -> Result<i64, DbError> {
    let draft: Option<i64> = c
        .conn()
        .query_row(
            "SELECT id FROM purchase_orders WHERE vendor_id = ?1 AND ship_to_id = ?2 AND status = 'draft'
             ORDER BY id LIMIT 1",
            params![vendor_id, ship_to_id],
            |r| r.get(0),
        )
        .optional()?;
    let po_id = match draft {
        Some(id) => id,
        None => insert(c, vendor_id, ship_to_id, today(), Some("drafted by reorder levels".to_string()))?,
    };
    c.conn().execute(
        "INSERT INTO purchase_order_lines (purchase_order_id, item_id, quantity, unit_cost_cents) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (purchase_order_id, item_id) DO UPDATE SET quantity = quantity + excluded.quantity",
        params![po_id, item_id, quantity, unit_cost],
    )?;
    Ok(po_id)
}

/// Units of `item_id` drafted or ordered for `location_id` and not yet received.
pub fn on_order(conn: &Connection, item_id: i64, location_id: i64) -> Result<i64, DbError> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(MAX(n.quantity - COALESCE((SELECT SUM(m.quantity) FROM stock_movements m
                    WHERE m.purchase_order_line_id = n.id AND m.kind = 'receive'), 0), 0)), 0)
         FROM purchase_order_lines n JOIN purchase_orders o ON o.id = n.purchase_order_id
         WHERE n.item_id = ?1 AND o.ship_to_id = ?2 AND o.status <> 'received'",
        params![item_id, location_id],
        |r| r.get(0),
    )?)
}
