//! Vendors: the manufacturers and distributors purchase orders go to.

use super::PurchasingError;
use crate::db::{Actor, Change, Db};
use crate::validation::{optional, Problems};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// A vendor as entered on a form or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, clap::Args, ts_rs::TS)]
#[ts(export, optional_fields)]
pub struct VendorInput {
    #[arg(long)]
    pub name: Option<String>,
    /// The supplier's account number with the vendor
    #[arg(long)]
    pub account_number: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
}

/// A vendor on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Vendor {
    pub id: i64,
    pub name: String,
    pub account_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl Vendor {
    /// The record as a form, for editing.
    pub fn to_input(&self) -> VendorInput {
        VendorInput {
            name: Some(self.name.clone()),
            account_number: self.account_number.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
        }
    }
}

/// Checks every field of `input`.
pub fn validate(input: &VendorInput) -> Result<Vendor, Problems> {
    let mut p = Problems::new();
    let name = p.required("name", input.name.as_deref());
    let account_number = optional(input.account_number.as_deref());
    let phone = p.phone("phone", input.phone.as_deref());
    let email = p.email("email", input.email.as_deref());
    p.finish(Vendor { id: 0, name, account_number, phone, email })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Vendor> {
    Ok(Vendor { id: r.get(0)?, name: r.get(1)?, account_number: r.get(2)?, phone: r.get(3)?, email: r.get(4)? })
}

/// The vendor with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Vendor, PurchasingError> {
    conn.query_row("SELECT id, name, account_number, phone, email FROM vendors WHERE id = ?1", [id], from_row)
        .optional()?
        .ok_or(PurchasingError::NotFound("vendor", id))
}

/// Vendors whose name contains `search` (all when empty), by name.
pub fn list(conn: &Connection, search: &str) -> Result<Vec<Vendor>, PurchasingError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, account_number, phone, email FROM vendors WHERE name LIKE '%' || ?1 || '%' ORDER BY name",
    )?;
    let rows = stmt.query_map([search.trim()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saves a new vendor.
pub fn add(db: &mut Db, actor: &Actor, input: &VendorInput) -> Result<Vendor, PurchasingError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new vendor inside a larger change (the demo).
pub fn create(c: &Change<'_>, input: &VendorInput) -> Result<Vendor, PurchasingError> {
    let mut vendor = validate(input)?;
    ensure_name_free(c.conn(), &vendor.name, None)?;
    c.conn().execute(
        "INSERT INTO vendors (name, account_number, phone, email) VALUES (?1, ?2, ?3, ?4)",
        params![vendor.name, vendor.account_number, vendor.phone, vendor.email],
    )?;
    vendor.id = c.conn().last_insert_rowid();
    c.audit("create", "vendor", Some(vendor.id), &format!("added vendor {}", vendor.name))?;
    Ok(vendor)
}

/// Replaces vendor `id` with `input`.
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &VendorInput) -> Result<Vendor, PurchasingError> {
    let mut vendor = validate(input)?;
    vendor.id = id;
    db.write(actor, |c| {
        get(c.conn(), id)?;
        ensure_name_free(c.conn(), &vendor.name, Some(id))?;
        c.conn().execute(
            "UPDATE vendors SET name = ?1, account_number = ?2, phone = ?3, email = ?4 WHERE id = ?5",
            params![vendor.name, vendor.account_number, vendor.phone, vendor.email, id],
        )?;
        c.audit("update", "vendor", Some(id), &format!("updated vendor {}", vendor.name))?;
        Ok(vendor)
    })
}

fn ensure_name_free(conn: &Connection, name: &str, except: Option<i64>) -> Result<(), PurchasingError> {
    let other: Option<i64> =
        conn.query_row("SELECT id FROM vendors WHERE name = ?1", [name], |r| r.get(0)).optional()?;
    match other {
        Some(id) if Some(id) != except => {
            Err(Problems::one("name", format!("there is already a vendor named {name}")).into())
        }
        _ => Ok(()),
    }
}
