//! Fee queries: list for a payer, look up the fee for a claim line, add, update.

use super::{validate, Fee, FeeError, FeeInput};
use crate::catalog::join_modifiers;
use crate::db::{Actor, Change, Db};
use crate::validation::Problems;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLUMNS: &str = "id, payer_id, hcpcs, modifiers, allowed_cents, charge_cents, effective, termination";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Fee> {
    let mods: String = r.get(3)?;
    Ok(Fee {
        id: r.get(0)?,
        payer_id: r.get(1)?,
        hcpcs: r.get(2)?,
        modifiers: mods.split(':').filter(|m| !m.is_empty()).map(str::to_string).collect(),
        allowed: r.get(4)?,
        charge: r.get(5)?,
        effective: r.get(6)?,
        termination: r.get(7)?,
    })
}

/// The fee with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Fee, FeeError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM fees WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(FeeError::NotFound(id))
}

/// A payer's fee schedule, by code, modifiers and date.
pub fn list_for_payer(conn: &Connection, payer_id: i64) -> Result<Vec<Fee>, FeeError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM fees WHERE payer_id = ?1 ORDER BY hcpcs, modifiers, effective"
    ))?;
    let rows = stmt.query_map([payer_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every fee of `payer_id` for `hcpcs`, whatever its modifiers and dates: what [`pick`]
/// chooses from, and what a run over many lines keeps per payer and code.
pub fn for_code(conn: &Connection, payer_id: i64, hcpcs: &str) -> Result<Vec<Fee>, FeeError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM fees WHERE payer_id = ?1 AND hcpcs = ?2"))?;
    let rows = stmt.query_map(params![payer_id, hcpcs], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The fee among `fees` (one payer's, for one code) that prices a claim line: the entry whose
/// modifiers are the longest leading run of the line's modifiers (pricing modifiers such as
/// RR, NU, UE come first; KH/KX and the like do not change the fee), in force on the date of
/// service, the latest effective when several are.
pub fn pick<'f>(fees: &'f [Fee], modifiers: &[String], dos: NaiveDate) -> Option<&'f Fee> {
    (0..=modifiers.len()).rev().find_map(|n| {
        fees.iter()
            .filter(|f| f.modifiers == modifiers[..n] && f.effective <= dos && f.termination.is_none_or(|t| dos <= t))
            .max_by_key(|f| f.effective)
    })
}

/// The fee that prices a claim line of `hcpcs` to `payer_id` (see [`pick`]).
pub fn lookup(
    conn: &Connection,
    payer_id: i64,
    hcpcs: &str,
    modifiers: &[String],
    dos: NaiveDate,
) -> Result<Option<Fee>, FeeError> {
    Ok(pick(&for_code(conn, payer_id, hcpcs)?, modifiers, dos).cloned())
}

/// Saves a new fee.
pub fn add(db: &mut Db, actor: &Actor, input: &FeeInput) -> Result<Fee, FeeError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new fee inside a larger change (a CSV import).
pub fn create(c: &Change<'_>, input: &FeeInput) -> Result<Fee, FeeError> {
    let mut fee = checked(c.conn(), input, None)?;
    c.conn().execute(
        "INSERT INTO fees (payer_id, hcpcs, modifiers, allowed_cents, charge_cents, effective, termination)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            fee.payer_id,
            fee.hcpcs,
            join_modifiers(&fee.modifiers),
            fee.allowed,
            fee.charge,
            fee.effective,
            fee.termination
        ],
    )?;
    fee.id = c.conn().last_insert_rowid();
    c.audit(
        "create",
        "fee",
        Some(fee.id),
        &format!("added fee for {} {} payer {}", fee.hcpcs, join_modifiers(&fee.modifiers), fee.payer_id),
    )?;
    Ok(fee)
}

/// Replaces fee `id` with `input` (a whole form).
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &FeeInput) -> Result<Fee, FeeError> {
    db.write(actor, |c| {
        get(c.conn(), id)?;
        let mut fee = checked(c.conn(), input, Some(id))?;
        fee.id = id;
        c.conn().execute(
            "UPDATE fees SET payer_id = ?1, hcpcs = ?2, modifiers = ?3, allowed_cents = ?4, charge_cents = ?5, effective = ?6,
             termination = ?7 WHERE id = ?8",
            params![fee.payer_id, fee.hcpcs, join_modifiers(&fee.modifiers), fee.allowed, fee.charge, fee.effective, fee.termination, id],
        )?;
        c.audit("update", "fee", Some(id), &format!("updated fee for {} payer {}", fee.hcpcs, fee.payer_id))?;
        Ok(fee)
    })
}

/// Validates with the checks that need the database: the payer exists and no other fee for
/// the same code and modifiers overlaps in time (the price on a date must be unambiguous).
fn checked(conn: &Connection, input: &FeeInput, except: Option<i64>) -> Result<Fee, FeeError> {
    let fee = validate(input)?;
    let mut p = Problems::new();
    let payer_exists: bool =
        conn.query_row("SELECT EXISTS(SELECT 1 FROM payers WHERE id = ?1)", [fee.payer_id], |r| r.get(0))?;
    if !payer_exists {
        p.add("payer_id", format!("there is no payer with id {}", fee.payer_id));
    }
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM fees WHERE payer_id = ?1 AND hcpcs = ?2 AND modifiers = ?3"))?;
    let same: Vec<Fee> = stmt
        .query_map(params![fee.payer_id, fee.hcpcs, join_modifiers(&fee.modifiers)], from_row)?
        .collect::<Result<_, _>>()?;
    for other in same.iter().filter(|o| Some(o.id) != except) {
        let apart = other.termination.is_some_and(|t| t < fee.effective)
            || fee.termination.is_some_and(|t| t < other.effective);
        if !apart {
            p.add(
                "effective",
                format!(
                    "overlaps the fee for {} {} from {} (end that one first)",
                    other.hcpcs,
                    join_modifiers(&other.modifiers),
                    other.effective
                ),
            );
        }
    }
    p.finish(fee).map_err(FeeError::from)
}
