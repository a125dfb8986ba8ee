//! Asset reports: how many units are in each status, and which units are out on rent with
//! which patient.

use super::{AssetError, AssetStatus};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// How many units are in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct StatusCount {
    pub status: AssetStatus,
    pub count: i64,
}

/// Units per status, every status listed (zero included) in lifecycle order.
pub fn by_status(conn: &Connection) -> Result<Vec<StatusCount>, AssetError> {
    let mut stmt = conn.prepare_cached("SELECT COUNT(*) FROM assets WHERE status = ?1")?;
    AssetStatus::ALL.iter().map(|s| Ok(StatusCount { status: *s, count: stmt.query_row([s], |r| r.get(0))? })).collect()
}

/// A unit on rent, with its patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RentedAsset {
    pub patient_id: i64,
    pub patient: String,
    pub asset_id: i64,
    pub serial: String,
    pub item: String,
    pub hcpcs: String,
    /// The day it was delivered.
    pub since: NaiveDate,
}

/// Units out on rent, by patient name, then delivery date.
pub fn on_rent(conn: &Connection) -> Result<Vec<RentedAsset>, AssetError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.last_name || ', ' || p.first_name, a.id, a.serial, i.name, c.hcpcs,
                (SELECT MAX(e.happened_on) FROM asset_events e WHERE e.asset_id = a.id AND e.to_status = 'on_rent')
         FROM assets a JOIN patients p ON p.id = a.patient_id JOIN items i ON i.id = a.item_id
         JOIN catalog_items c ON c.id = i.catalog_item_id
         WHERE a.status = 'on_rent'
         ORDER BY p.last_name COLLATE NOCASE, p.first_name COLLATE NOCASE, p.id, 7, a.serial",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RentedAsset {
            patient_id: r.get(0)?,
            patient: r.get(1)?,
            asset_id: r.get(2)?,
            serial: r.get(3)?,
            item: r.get(4)?,
            hcpcs: r.get(5)?,
            since: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
