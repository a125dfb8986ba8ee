//! What a scan finds: the text a barcode scanner (or a person) typed, matched against item
//! SKUs and barcodes and against asset serial numbers. Keyboard-wedge scanners type the code
//! and Enter, so the screen only has to pass the text here.

use super::items::{self, Item};
use crate::assets::store::{self as asset_store, Asset};
use crate::db::DbError;
use rusqlite::Connection;
use serde::Serialize;

/// Everything a code matches: the item it labels, and the units with that serial number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ScanResult {
    pub code: String,
    pub item: Option<Item>,
    pub assets: Vec<Asset>,
}

impl ScanResult {
    /// True when the code matched nothing.
    pub fn is_empty(&self) -> bool {
        self.item.is_none() && self.assets.is_empty()
    }
}

/// Looks `code` up as a SKU or barcode and as a serial number (exact, ignoring case and the
/// spaces around it).
pub fn lookup(conn: &Connection, code: &str) -> Result<ScanResult, DbError> {
    let code = code.trim().to_string();
    if code.is_empty() {
        return Ok(ScanResult { code, item: None, assets: Vec::new() });
    }
    let item = items::find_by_code(conn, &code)?;
    let assets = asset_store::find_by_serial(conn, &code)?;
    Ok(ScanResult { code, item, assets })
}
