//! Export of every table as CSV and JSON, so a supplier's data is never locked in.
//!
//! Money columns (stored as integer cents in `*_cents` columns) are written as decimal
//! dollars under the name without the suffix; binary columns (signature images, scans) as
//! hexadecimal. Search indexes are skipped: they are derived.

use crate::db::DbError;
use crate::money::Money;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What was exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportSummary {
    pub folder: String,
    pub tables: Vec<ExportedTable>,
}

/// One exported table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportedTable {
    pub table: String,
    pub rows: usize,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(ExportError);

/// Writes `<table>.csv` and `<table>.json` for every table into `folder`.
pub fn export_all(conn: &Connection, folder: &Path) -> Result<ExportSummary, ExportError> {
    std::fs::create_dir_all(folder).map_err(|source| ExportError::Write { path: folder.to_path_buf(), source })?;
    let mut tables = Vec::new();
    for table in data_tables(conn)? {
        let rows = export_table(conn, &table, folder)?;
        tables.push(ExportedTable { table, rows });
    }
    Ok(ExportSummary { folder: folder.display().to_string(), tables })
}

/// Tables holding data: not SQLite's own, not full-text indexes or their shadow tables.
fn data_tables(conn: &Connection) -> Result<Vec<String>, ExportError> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let all: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default())))?
        .collect::<Result<_, _>>()?;
    let virtual_tables: Vec<&str> =
        all.iter().filter(|(_, sql)| sql.starts_with("CREATE VIRTUAL")).map(|(n, _)| n.as_str()).collect();
    Ok(all
        .iter()
        .filter(|(name, _)| !virtual_tables.iter().any(|v| name == v || name.starts_with(&format!("{v}_"))))
        .map(|(name, _)| name.clone())
        .collect())
}

/// The primary key's columns (a `WITHOUT ROWID` table has no rowid), else the rowid.
fn row_order(conn: &Connection, table: &str) -> Result<String, ExportError> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?;
    let keys: Vec<String> = stmt
        .query_map([table], |r| r.get::<_, String>(0))?
        .map(|k| k.map(|k| format!("\"{k}\"")))
        .collect::<Result<_, _>>()?;
    Ok(if keys.is_empty() { "rowid".into() } else { keys.join(", ") })
}

fn export_table(conn: &Connection, table: &str, folder: &Path) -> Result<usize, ExportError> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY {}", row_order(conn, table)?))?;
    let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
    let headers: Vec<String> = names.iter().map(|n| n.strip_suffix("_cents").unwrap_or(n).to_string()).collect();
    let csv_path = folder.join(format!("{table}.csv"));
    let json_path = folder.join(format!("{table}.json"));
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |e: std::io::Error| ExportError::Write { path: path.clone(), source: e }
    };
    let mut csv = csv::Writer::from_writer(File::create(&csv_path).map_err(write_err(&csv_path))?);
    csv.write_record(&headers).map_err(|e| ExportError::Write { path: csv_path.clone(), source: e.into() })?;
    let mut json = BufWriter::new(File::create(&json_path).map_err(write_err(&json_path))?);
    json.write_all(b"[").map_err(write_err(&json_path))?;
    let mut rows = stmt.query([])?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let mut cells = Vec::with_capacity(names.len());
        let mut object = serde_json::Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i)? {
                ValueRef::Integer(n) if name.ends_with("_cents") => {
                    serde_json::Value::String(Money::from_cents(n).to_string())
                }
                ValueRef::Integer(n) => n.into(),
                ValueRef::Real(f) => f.into(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                ValueRef::Blob(b) => b.iter().map(|byte| format!("{byte:02x}")).collect::<String>().into(),
                ValueRef::Null => serde_json::Value::Null,
            };
            cells.push(match &value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            });
            object.insert(headers[i].clone(), value);
        }
        csv.write_record(&cells).map_err(|e| ExportError::Write { path: csv_path.clone(), source: e.into() })?;
        if count > 0 {
            json.write_all(b",").map_err(write_err(&json_path))?;
        }
        serde_json::to_writer(&mut json, &object)
            .map_err(|e| ExportError::Write { path: json_path.clone(), source: e.into() })?;
        count += 1;
    }
    json.write_all(b"]\n").map_err(write_err(&json_path))?;
    json.flush().map_err(write_err(&json_path))?;
    csv.flush().map_err(write_err(&csv_path))?;
    Ok(count)
}
