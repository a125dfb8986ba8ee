//! One unit with everything that happened to it: the record, its history and its service
//! records, as the asset screen and `hmedesk assets show` present it.

use super::lifecycle::{self, AssetEvent};
use super::maintenance::{self, ServiceRecord};
use super::store::{self, Asset};
use super::AssetError;
use rusqlite::Connection;
use serde::Serialize;

/// A unit, its history (oldest first) and its service records (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AssetDetail {
    pub asset: Asset,
    pub history: Vec<AssetEvent>,
    pub service: Vec<ServiceRecord>,
    /// The statuses the unit may move to next.
    pub next: Vec<super::AssetStatus>,
}

/// Unit `id` with its history and service records.
pub fn detail(conn: &Connection, id: i64) -> Result<AssetDetail, AssetError> {
    let asset = store::get(conn, id)?;
    let next = asset.status.next();
    Ok(AssetDetail {
        asset,
        history: lifecycle::history(conn, id)?,
        service: maintenance::service_history(conn, id)?,
        next,
    })
}
