//! Stocked items: one manufacturer's model, billed under a HCPCS catalog item, with its SKU
//! and barcode (what a scanner reads), stocking unit, standard cost, preferred vendor, and
//! how its units are tracked — one by one by serial number, by lot with expiry, or neither.

use super::InventoryError;
use crate::catalog;
use crate::db::{Actor, Change, Db, DbError};
use crate::money::Money;
use crate::validation::{optional, Problems};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// The units stock is counted in.
const UNITS: &[&str] = &["each", "box", "case", "pack", "pair", "bottle"];

/// An item as entered on a form, the CLI or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct ItemInput {
    /// The HCPCS code it is billed under; must be in the catalog
    #[arg(long)]
    pub hcpcs: Option<String>,
    /// What staff call it, like "DeVilbiss 5L concentrator"
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub manufacturer: Option<String>,
    #[arg(long)]
    pub model: Option<String>,
    /// The supplier's stock-keeping code (unique)
    #[arg(long)]
    pub sku: Option<String>,
    /// The barcode printed on the box (UPC/GTIN), when there is one
    #[arg(long)]
    pub barcode: Option<String>,
    /// each, box, case, pack, pair or bottle (default each)
    #[arg(long)]
    pub unit: Option<String>,
    /// Standard cost per unit, in dollars: the price drafted on purchase orders
    #[arg(long)]
    pub cost: Option<String>,
    /// Each unit has a serial number and is tracked as an asset (yes/no)
    #[arg(long)]
    pub serialized: Option<String>,
    /// Stock is tracked by lot with an expiry date (yes/no)
    #[arg(long)]
    pub lot_tracked: Option<String>,
    /// The vendor reorders are drafted for
    #[arg(long)]
    pub vendor_id: Option<String>,
}

/// An item on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Item {
    pub id: i64,
    pub catalog_item_id: i64,
    pub hcpcs: String,
    pub name: String,
    pub manufacturer: String,
    pub model: String,
    pub sku: String,
    pub barcode: Option<String>,
    pub unit: String,
    pub cost: Money,
    pub serialized: bool,
    pub lot_tracked: bool,
    pub vendor_id: Option<i64>,
}

impl Item {
    /// The record as a form, for editing.
    pub fn to_input(&self) -> ItemInput {
        let yes_no = |b: bool| Some(if b { "yes" } else { "no" }.to_string());
        ItemInput {
            hcpcs: Some(self.hcpcs.clone()),
            name: Some(self.name.clone()),
            manufacturer: Some(self.manufacturer.clone()),
            model: Some(self.model.clone()),
            sku: Some(self.sku.clone()),
            barcode: self.barcode.clone(),
            unit: Some(self.unit.clone()),
            cost: Some(self.cost.to_string()),
            serialized: yes_no(self.serialized),
            lot_tracked: yes_no(self.lot_tracked),
            vendor_id: self.vendor_id.map(|v| v.to_string()),
        }
    }

    /// How the item is named in messages: name and SKU.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.sku)
    }
}

/// Checks every field that needs no database; the HCPCS code is resolved by the store.
pub fn validate(input: &ItemInput) -> Result<Item, Problems> {
    let mut p = Problems::new();
    let hcpcs = match optional(input.hcpcs.as_deref()) {
        Some(text) => catalog::parse_hcpcs(&text).unwrap_or_else(|e| {
            p.add("hcpcs", e);
            text
        }),
        None => {
            p.add("hcpcs", "is required");
            String::new()
        }
    };
    let name = p.required("name", input.name.as_deref());
    let manufacturer = p.required("manufacturer", input.manufacturer.as_deref());
    let model = p.required("model", input.model.as_deref());
    let sku = p.required("sku", input.sku.as_deref());
    let barcode = optional(input.barcode.as_deref());
    if barcode.as_deref().is_some_and(|b| b.contains(char::is_whitespace)) {
        p.add("barcode", "may not contain spaces");
    }
    let unit = optional(input.unit.as_deref()).map_or("each".to_string(), |u| u.to_ascii_lowercase());
    if !UNITS.contains(&unit.as_str()) {
        p.add("unit", format!("'{unit}' is not one of: {}", UNITS.join(", ")));
    }
    let cost = if optional(input.cost.as_deref()).is_none() {
        p.add("cost", "is required");
        None
    } else {
        p.optional_money("cost", input.cost.as_deref())
    };
    let serialized = p.flag("serialized", input.serialized.as_deref()).unwrap_or(false);
    let lot_tracked = p.flag("lot_tracked", input.lot_tracked.as_deref()).unwrap_or(false);
    if serialized && lot_tracked {
        p.add("lot_tracked", "a serialized item is tracked by serial number, not by lot");
    }
    let vendor_id = p.optional_id("vendor_id", input.vendor_id.as_deref());
    p.finish(Item {
        id: 0,
        catalog_item_id: 0,
        hcpcs,
        name,
        manufacturer,
        model,
        sku,
        barcode,
        unit,
        cost: cost.unwrap_or_default(),
        serialized,
        lot_tracked,
        vendor_id,
    })
}

const SELECT: &str = "SELECT i.id, i.catalog_item_id, c.hcpcs, i.name, i.manufacturer, i.model, i.sku, i.barcode,
        i.unit, i.cost_cents, i.serialized, i.lot_tracked, i.vendor_id
    FROM items i JOIN catalog_items c ON c.id = i.catalog_item_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        catalog_item_id: r.get(1)?,
        hcpcs: r.get(2)?,
        name: r.get(3)?,
        manufacturer: r.get(4)?,
        model: r.get(5)?,
        sku: r.get(6)?,
        barcode: r.get(7)?,
        unit: r.get(8)?,
        cost: r.get(9)?,
        serialized: r.get(10)?,
        lot_tracked: r.get(11)?,
        vendor_id: r.get(12)?,
    })
}

/// The item with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Item, InventoryError> {
    conn.query_row(&format!("{SELECT} WHERE i.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(InventoryError::NotFound("item", id))
}

/// The item whose SKU or barcode is exactly `code` (what a scanner types), if any.
pub fn find_by_code(conn: &Connection, code: &str) -> Result<Option<Item>, DbError> {
    Ok(conn.query_row(&format!("{SELECT} WHERE i.sku = ?1 OR i.barcode = ?1"), [code.trim()], from_row).optional()?)
}

/// Items whose SKU, barcode or HCPCS starts with `search`, or whose name, manufacturer or model
/// contains it (all when empty), by name.
pub fn list(conn: &Connection, search: &str) -> Result<Vec<Item>, InventoryError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE ?1 = '' OR i.sku LIKE ?1 || '%' OR i.barcode LIKE ?1 || '%' OR c.hcpcs LIKE ?1 || '%'
           OR i.name LIKE '%' || ?1 || '%' OR i.manufacturer LIKE '%' || ?1 || '%' OR i.model LIKE '%' || ?1 || '%'
         ORDER BY i.name COLLATE NOCASE, i.id"
    ))?;
    let rows = stmt.query_map([search.trim()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saves a new item.
pub fn add(db: &mut Db, actor: &Actor, input: &ItemInput) -> Result<Item, InventoryError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new item inside a larger change (the demo, an import).
pub fn create(c: &Change<'_>, input: &ItemInput) -> Result<Item, InventoryError> {
    let mut item = checked(c.conn(), input, None)?;
    c.conn().execute(
        "INSERT INTO items (catalog_item_id, name, manufacturer, model, sku, barcode, unit, cost_cents, serialized,
            lot_tracked, vendor_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            item.catalog_item_id,
            item.name,
            item.manufacturer,
            item.model,
            item.sku,
            item.barcode,
            item.unit,
            item.cost,
            item.serialized,
            item.lot_tracked,
            item.vendor_id
        ],
    )?;
    item.id = c.conn().last_insert_rowid();
    c.audit("create", "item", Some(item.id), &format!("added item {} under {}", item.sku, item.hcpcs))?;
    Ok(item)
}

/// Replaces item `id` with `input` (a whole form). How units are tracked cannot change once
/// the item has stock history: the ledger's past would no longer mean what it said.
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &ItemInput) -> Result<Item, InventoryError> {
    db.write(actor, |c| {
        let before = get(c.conn(), id)?;
        let mut item = checked(c.conn(), input, Some(id))?;
        item.id = id;
        let tracking_changed = (before.serialized, before.lot_tracked) != (item.serialized, item.lot_tracked);
        let has_history: bool =
            c.conn()
                .query_row("SELECT EXISTS(SELECT 1 FROM stock_movements WHERE item_id = ?1)", [id], |r| r.get(0))?;
        if tracking_changed && has_history {
            return Err(Problems::one(
                "serialized",
                "this item has stock history; serial or lot tracking can no longer change (add a new item instead)",
            )
            .into());
        }
        c.conn().execute(
            "UPDATE items SET catalog_item_id = ?1, name = ?2, manufacturer = ?3, model = ?4, sku = ?5, barcode = ?6,
                unit = ?7, cost_cents = ?8, serialized = ?9, lot_tracked = ?10, vendor_id = ?11 WHERE id = ?12",
            params![
                item.catalog_item_id,
                item.name,
                item.manufacturer,
                item.model,
                item.sku,
                item.barcode,
                item.unit,
                item.cost,
                item.serialized,
                item.lot_tracked,
                item.vendor_id,
                id
            ],
        )?;
        c.audit("update", "item", Some(id), &format!("updated item {}", item.sku))?;
        Ok(item)
    })
}

/// Validates with the checks that need the database: the code is in the catalog, the vendor
/// exists, and no other item has the SKU or barcode (a scan must find one item).
fn checked(conn: &Connection, input: &ItemInput, except: Option<i64>) -> Result<Item, InventoryError> {
    let mut item = validate(input)?;
    let mut p = Problems::new();
    match catalog::find_by_hcpcs(conn, &item.hcpcs).map_err(|e| Problems::one("hcpcs", e.to_string()))? {
        Some(entry) => item.catalog_item_id = entry.id,
        None => p.add("hcpcs", format!("{} is not in the catalog (add it with hmedesk catalog add)", item.hcpcs)),
    }
    if let Some(vendor) = item.vendor_id {
        let exists: bool =
            conn.query_row("SELECT EXISTS(SELECT 1 FROM vendors WHERE id = ?1)", [vendor], |r| r.get(0))?;
        if !exists {
            p.add("vendor_id", format!("there is no vendor with id {vendor}"));
        }
    }
    for (field, code) in [("sku", Some(&item.sku)), ("barcode", item.barcode.as_ref())] {
        let Some(code) = code else { continue };
        if let Some(other) = find_by_code(conn, code)?.filter(|o| Some(o.id) != except) {
            p.add(field, format!("{code} is already used by item {}", other.label()));
        }
    }
    p.finish(item).map_err(InventoryError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_named() {
        let bad = ItemInput {
            hcpcs: Some("E06".into()),
            barcode: Some("12 34".into()),
            unit: Some("pallet".into()),
            cost: Some("-3".into()),
            serialized: Some("yes".into()),
            lot_tracked: Some("yes".into()),
            vendor_id: Some("x".into()),
            ..ItemInput::default()
        };
        let fields: Vec<String> = validate(&bad).unwrap_err().0.into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            ["hcpcs", "name", "manufacturer", "model", "sku", "barcode", "unit", "cost", "lot_tracked", "vendor_id"]
        );
    }
}
