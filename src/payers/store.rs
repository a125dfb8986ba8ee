//! Payer queries: get, list, add, update.

use super::{validate, Payer, PayerError, PayerInput, PayerKind};
use crate::db::{Actor, Change, Db};
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLUMNS: &str = "id, name, kind, payer_id, claim_filing_indicator, address1, address2, city, state, zip, phone";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Payer> {
    let kind: String = r.get(2)?;
    Ok(Payer {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: PayerKind::from_code(&kind).unwrap_or(PayerKind::Commercial),
        payer_id: r.get(3)?,
        claim_filing_indicator: r.get(4)?,
        address1: r.get(5)?,
        address2: r.get(6)?,
        city: r.get(7)?,
        state: r.get(8)?,
        zip: r.get(9)?,
        phone: r.get(10)?,
    })
}

/// The payer with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Payer, PayerError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM payers WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(PayerError::NotFound(id))
}

/// Payers whose name or electronic id contains `search` (all when empty), by name.
pub fn list(conn: &Connection, search: &str) -> Result<Vec<Payer>, PayerError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payers WHERE ?1 = '' OR name LIKE '%' || ?1 || '%' OR payer_id LIKE '%' || ?1 || '%'
         ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([search.trim()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saves a new payer.
pub fn add(db: &mut Db, actor: &Actor, input: &PayerInput) -> Result<Payer, PayerError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new payer inside a larger change.
pub fn create(c: &Change<'_>, input: &PayerInput) -> Result<Payer, PayerError> {
    let mut p = validate(input)?;
    c.conn().execute(
        "INSERT INTO payers (name, kind, payer_id, claim_filing_indicator, address1, address2, city, state, zip, phone)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            p.name,
            p.kind.code(),
            p.payer_id,
            p.claim_filing_indicator,
            p.address1,
            p.address2,
            p.city,
            p.state,
            p.zip,
            p.phone
        ],
    )?;
    p.id = c.conn().last_insert_rowid();
    c.audit("create", "payer", Some(p.id), &format!("added payer {}", p.name))?;
    Ok(p)
}

/// Replaces payer `id` with `input` (a whole form).
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &PayerInput) -> Result<Payer, PayerError> {
    let mut p = validate(input)?;
    p.id = id;
    db.write(actor, |c| {
        get(c.conn(), id)?;
        c.conn().execute(
            "UPDATE payers SET name = ?1, kind = ?2, payer_id = ?3, claim_filing_indicator = ?4, address1 = ?5, address2 = ?6,
             city = ?7, state = ?8, zip = ?9, phone = ?10 WHERE id = ?11",
            params![p.name, p.kind.code(), p.payer_id, p.claim_filing_indicator, p.address1, p.address2, p.city, p.state, p.zip, p.phone, id],
        )?;
        c.audit("update", "payer", Some(id), &format!("updated payer {}", p.name))?;
        Ok(p)
    })
}
