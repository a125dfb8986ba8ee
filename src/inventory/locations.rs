//! Stock locations: warehouses and the vehicles drivers carry stock in.

use super::InventoryError;
use crate::coded_enum;
use crate::db::{Actor, Change, Db};
use crate::validation::Problems;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What kind of place stock is kept in.
    LocationKind { Warehouse = "warehouse", Vehicle = "vehicle" }
}

/// A location as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct LocationInput {
    /// A name people recognise, like "Main warehouse" or "Van 2"
    #[arg(long)]
    pub name: Option<String>,
    /// warehouse or vehicle
    #[arg(long)]
    pub kind: Option<String>,
}

/// A location on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Location {
    pub id: i64,
    pub name: String,
    pub kind: LocationKind,
}

impl Location {
    /// The record as a form, for editing.
    pub fn to_input(&self) -> LocationInput {
        LocationInput { name: Some(self.name.clone()), kind: Some(self.kind.code().to_string()) }
    }
}

/// Checks every field of `input`.
pub fn validate(input: &LocationInput) -> Result<Location, Problems> {
    let mut p = Problems::new();
    let name = p.required("name", input.name.as_deref());
    let kind = if input.kind.as_deref().is_some_and(|k| !k.trim().is_empty()) {
        p.choice("kind", input.kind.as_deref(), LocationKind::CHOICES)
    } else {
        p.add("kind", "is required (warehouse or vehicle)");
        None
    };
    p.finish(Location { id: 0, name, kind: kind.unwrap_or(LocationKind::Warehouse) })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Location> {
    Ok(Location { id: r.get(0)?, name: r.get(1)?, kind: r.get(2)? })
}

/// The location with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Location, InventoryError> {
    conn.query_row("SELECT id, name, kind FROM locations WHERE id = ?1", [id], from_row)
        .optional()?
        .ok_or(InventoryError::NotFound("location", id))
}

/// Locations whose name contains `search` (all when empty), warehouses first.
pub fn list(conn: &Connection, search: &str) -> Result<Vec<Location>, InventoryError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind FROM locations WHERE name LIKE '%' || ?1 || '%' ORDER BY kind DESC, name",
    )?;
    let rows = stmt.query_map([search.trim()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saves a new location.
pub fn add(db: &mut Db, actor: &Actor, input: &LocationInput) -> Result<Location, InventoryError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new location inside a larger change (the demo).
pub fn create(c: &Change<'_>, input: &LocationInput) -> Result<Location, InventoryError> {
    let mut location = validate(input)?;
    ensure_name_free(c.conn(), &location.name, None)?;
    c.conn().execute("INSERT INTO locations (name, kind) VALUES (?1, ?2)", params![location.name, location.kind])?;
    location.id = c.conn().last_insert_rowid();
    c.audit("create", "location", Some(location.id), &format!("added {} {}", location.kind, location.name))?;
    Ok(location)
}

/// Replaces location `id` with `input`.
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &LocationInput) -> Result<Location, InventoryError> {
    let mut location = validate(input)?;
    location.id = id;
    db.write(actor, |c| {
        get(c.conn(), id)?;
        ensure_name_free(c.conn(), &location.name, Some(id))?;
        c.conn().execute(
            "UPDATE locations SET name = ?1, kind = ?2 WHERE id = ?3",
            params![location.name, location.kind, id],
        )?;
        c.audit("update", "location", Some(id), &format!("updated location {}", location.name))?;
        Ok(location)
    })
}

fn ensure_name_free(conn: &Connection, name: &str, except: Option<i64>) -> Result<(), InventoryError> {
    let other: Option<i64> =
        conn.query_row("SELECT id FROM locations WHERE name = ?1", [name], |r| r.get(0)).optional()?;
    match other {
        Some(id) if Some(id) != except => {
            Err(Problems::one("name", format!("there is already a location named {name}")).into())
        }
        _ => Ok(()),
    }
}
