//! Asset records: get, list, find by serial (a scan), and bringing a unit into stock — from a
//! purchase order receipt or, for equipment already owned, by hand.

use super::{AssetError, AssetStatus};
use crate::db::{now_utc, Actor, Change, Db, DbError};
use crate::inventory::ledger::{self, NewMovement};
use crate::inventory::{items, locations, MovementKind};
use crate::money::Money;
use crate::validation::{optional, today, Problems};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// A unit already owned, as entered to bring it into stock (opening balances).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct AssetInput {
    /// The serialized item it is a unit of
    #[arg(long)]
    pub item_id: Option<String>,
    /// The manufacturer's serial number
    #[arg(long)]
    pub serial: Option<String>,
    /// Where it is now
    #[arg(long)]
    pub location_id: Option<String>,
    /// What it cost, in dollars (default: the item's standard cost)
    #[arg(long)]
    pub cost: Option<String>,
    /// Hour meter reading, for equipment that has one
    #[arg(long)]
    pub hours_meter: Option<String>,
    /// The day it came into stock, YYYY-MM-DD (default today)
    #[arg(long)]
    pub date: Option<String>,
}

/// A unit on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Asset {
    pub id: i64,
    pub serial: String,
    pub item_id: i64,
    /// The item's name.
    pub item: String,
    pub sku: String,
    pub hcpcs: String,
    pub status: AssetStatus,
    pub location_id: Option<i64>,
    pub location: Option<String>,
    pub patient_id: Option<i64>,
    /// "Last, First" of the patient it is reserved for or with.
    pub patient: Option<String>,
    pub hours_meter: Option<i64>,
    pub acquired_on: NaiveDate,
    pub cost: Money,
}

/// A unit coming into stock, resolved to ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAsset {
    pub item_id: i64,
    pub serial: String,
    pub location_id: i64,
    pub cost: Money,
    pub hours_meter: Option<i64>,
    pub acquired_on: NaiveDate,
    pub purchase_order_line_id: Option<i64>,
}

const SELECT: &str = "SELECT a.id, a.serial, a.item_id, i.name, i.sku, c.hcpcs, a.status, a.location_id, l.name,
        a.patient_id, p.last_name || ', ' || p.first_name, a.hours_meter, a.acquired_on, a.cost_cents
    FROM assets a JOIN items i ON i.id = a.item_id JOIN catalog_items c ON c.id = i.catalog_item_id
    LEFT JOIN locations l ON l.id = a.location_id LEFT JOIN patients p ON p.id = a.patient_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Asset> {
    Ok(Asset {
        id: r.get(0)?,
        serial: r.get(1)?,
        item_id: r.get(2)?,
        item: r.get(3)?,
        sku: r.get(4)?,
        hcpcs: r.get(5)?,
        status: r.get(6)?,
        location_id: r.get(7)?,
        location: r.get(8)?,
        patient_id: r.get(9)?,
        patient: r.get(10)?,
        hours_meter: r.get(11)?,
        acquired_on: r.get(12)?,
        cost: r.get(13)?,
    })
}

/// The unit with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Asset, AssetError> {
    conn.query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], from_row)
        .optional()?
        .ok_or(AssetError::NotFound("asset", id))
}

/// Units whose serial is exactly `serial` (any item; usually one).
pub fn find_by_serial(conn: &Connection, serial: &str) -> Result<Vec<Asset>, DbError> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE a.serial = ?1 ORDER BY a.id"))?;
    let rows = stmt.query_map([serial.trim()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssetFilter {
    pub status: Option<AssetStatus>,
    pub item_id: Option<i64>,
    pub patient_id: Option<i64>,
    /// Serial prefix, or part of the item's name, SKU or HCPCS code.
    pub search: String,
    /// Exactly this HCPCS code: the units a delivery line for that code may take.
    pub hcpcs: Option<String>,
}

/// Units matching `filter`, by item and serial.
pub fn list(conn: &Connection, filter: &AssetFilter) -> Result<Vec<Asset>, AssetError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR a.status = ?1) AND (?2 IS NULL OR a.item_id = ?2)
           AND (?3 IS NULL OR a.patient_id = ?3) AND (?5 IS NULL OR c.hcpcs = ?5)
           AND (?4 = '' OR a.serial LIKE ?4 || '%' OR i.name LIKE '%' || ?4 || '%' OR i.sku LIKE ?4 || '%'
                OR c.hcpcs LIKE ?4 || '%')
         ORDER BY i.name COLLATE NOCASE, a.serial"
    ))?;
    let rows = stmt.query_map(
        params![filter.status, filter.item_id, filter.patient_id, filter.search.trim(), filter.hcpcs],
        from_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Brings a unit already owned into stock (how a supplier starting with HME Desk enters its
/// fleet).
pub fn add(db: &mut Db, actor: &Actor, input: &AssetInput) -> Result<Asset, AssetError> {
    let mut p = Problems::new();
    let item_id = p.required_id("item_id", input.item_id.as_deref());
    let serial = p.required("serial", input.serial.as_deref());
    let location_id = p.required_id("location_id", input.location_id.as_deref());
    let cost = p.optional_money("cost", input.cost.as_deref());
    let hours_meter = p.optional_count("hours_meter", input.hours_meter.as_deref(), 0);
    let acquired_on = p.optional_date("date", input.date.as_deref()).unwrap_or_else(today);
    if acquired_on > today() {
        p.add("date", "is in the future");
    }
    p.finish(())?;
    db.write(actor, |c| {
        let item = items::get(c.conn(), item_id)
            .map_err(|_| Problems::one("item_id", format!("there is no item with id {item_id}")))?;
        let asset = NewAsset {
            item_id,
            serial: serial.clone(),
            location_id,
            cost: cost.unwrap_or(item.cost),
            hours_meter,
            acquired_on,
            purchase_order_line_id: None,
        };
        receive(c, &asset)
    })
}

/// Puts a new unit into stock as available at its location: the asset, its first history row
/// and its receive movement. Refuses a serial already on file for the item.
pub fn receive(c: &Change<'_>, new: &NewAsset) -> Result<Asset, AssetError> {
    let item = items::get(c.conn(), new.item_id)?;
    let mut p = Problems::new();
    if !item.serialized {
        p.add("item_id", format!("{} is not serialized; receive it as stock", item.label()));
    }
    if optional(Some(&new.serial)).is_none() {
        p.add("serial", "is required");
    }
    let taken: bool = c.conn().query_row(
        "SELECT EXISTS(SELECT 1 FROM assets WHERE item_id = ?1 AND serial = ?2)",
        params![new.item_id, new.serial.trim()],
        |r| r.get(0),
    )?;
    if taken {
        p.add("serial", format!("{} is already on file for {}", new.serial.trim(), item.label()));
    }
    if locations::get(c.conn(), new.location_id).is_err() {
        p.add("location_id", format!("there is no location with id {}", new.location_id));
    }
    p.finish(())?;
    c.conn().execute(
        "INSERT INTO assets (item_id, serial, status, location_id, hours_meter, acquired_on, cost_cents)
         VALUES (?1, ?2, 'available', ?3, ?4, ?5, ?6)",
        params![new.item_id, new.serial.trim(), new.location_id, new.hours_meter, new.acquired_on, new.cost],
    )?;
    let id = c.conn().last_insert_rowid();
    c.conn().execute(
        "INSERT INTO asset_events (asset_id, happened_on, recorded_at, actor, from_status, to_status, location_id, note)
         VALUES (?1, ?2, ?3, ?4, NULL, 'available', ?5, 'received into stock')",
        params![id, new.acquired_on, now_utc(), c.actor().name(), new.location_id],
    )?;
    ledger::record(
        c,
        &NewMovement {
            kind: MovementKind::Receive,
            item_id: new.item_id,
            lot_id: None,
            asset_id: Some(id),
            from_location_id: None,
            to_location_id: Some(new.location_id),
            quantity: 1,
            unit_cost: Some(new.cost),
            patient_id: None,
            purchase_order_line_id: new.purchase_order_line_id,
            reason: None,
            moved_on: new.acquired_on,
        },
    )?;
    c.audit("create", "asset", Some(id), &format!("received unit of {}", item.sku))?;
    get(c.conn(), id)
}
