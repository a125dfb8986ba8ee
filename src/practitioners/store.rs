//! Practitioner queries: get, list, add, update.

use super::{validate, Practitioner, PractitionerError, PractitionerInput};
use crate::db::{Actor, Change, Db};
use crate::validation::Problems;
use rusqlite::{Connection, OptionalExtension, Row};

const COLUMNS: &str =
    "id, npi, first_name, last_name, credentials, address1, address2, city, state, zip, phone, fax, pecos_enrolled";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Practitioner> {
    Ok(Practitioner {
        id: r.get(0)?,
        npi: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        credentials: r.get(4)?,
        address1: r.get(5)?,
        address2: r.get(6)?,
        city: r.get(7)?,
        state: r.get(8)?,
        zip: r.get(9)?,
        phone: r.get(10)?,
        fax: r.get(11)?,
        pecos_enrolled: r.get(12)?,
    })
}

/// The practitioner with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Practitioner, PractitionerError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM practitioners WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(PractitionerError::NotFound(id))
}

/// The practitioner holding `npi`, if any.
pub fn find_by_npi(conn: &Connection, npi: &str) -> Result<Option<Practitioner>, PractitionerError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM practitioners WHERE npi = ?1"))?
        .query_row([npi], from_row)
        .optional()?)
}

/// Practitioners whose name or NPI contains `search` (all when empty), by name.
pub fn list(conn: &Connection, search: &str) -> Result<Vec<Practitioner>, PractitionerError> {
    let pattern = format!("%{}%", search.trim());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM practitioners
         WHERE ?1 = '%%' OR npi LIKE ?1 OR last_name LIKE ?1 OR first_name LIKE ?1
            OR (first_name || ' ' || last_name) LIKE ?1
         ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([pattern], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saves a new practitioner and returns it with its id.
pub fn add(db: &mut Db, actor: &Actor, input: &PractitionerInput) -> Result<Practitioner, PractitionerError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new practitioner inside a larger change (imports, the demo).
pub fn create(c: &Change<'_>, input: &PractitionerInput) -> Result<Practitioner, PractitionerError> {
    let mut p = validate(input)?;
    ensure_npi_free(c.conn(), &p.npi, None)?;
    c.conn().execute(
        "INSERT INTO practitioners (npi, first_name, last_name, credentials, address1, address2, city, state, zip, phone, fax, pecos_enrolled)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        rusqlite::params![p.npi, p.first_name, p.last_name, p.credentials, p.address1, p.address2, p.city, p.state, p.zip, p.phone, p.fax, p.pecos_enrolled],
    )?;
    p.id = c.conn().last_insert_rowid();
    c.audit("create", "practitioner", Some(p.id), &format!("added practitioner NPI {}", p.npi))?;
    Ok(p)
}

/// Replaces practitioner `id` with `input` (a whole form; the CLI overlays its flags first).
pub fn update(
    db: &mut Db,
    actor: &Actor,
    id: i64,
    input: &PractitionerInput,
) -> Result<Practitioner, PractitionerError> {
    let mut p = validate(input)?;
    p.id = id;
    db.write(actor, |c| {
        get(c.conn(), id)?;
        ensure_npi_free(c.conn(), &p.npi, Some(id))?;
        c.conn().execute(
            "UPDATE practitioners SET npi = ?1, first_name = ?2, last_name = ?3, credentials = ?4, address1 = ?5, address2 = ?6,
             city = ?7, state = ?8, zip = ?9, phone = ?10, fax = ?11, pecos_enrolled = ?12 WHERE id = ?13",
            rusqlite::params![p.npi, p.first_name, p.last_name, p.credentials, p.address1, p.address2, p.city, p.state, p.zip, p.phone, p.fax, p.pecos_enrolled, id],
        )?;
        c.audit("update", "practitioner", Some(id), "updated practitioner details")?;
        Ok(p)
    })
}

fn ensure_npi_free(conn: &Connection, npi: &str, except: Option<i64>) -> Result<(), PractitionerError> {
    match find_by_npi(conn, npi)? {
        Some(other) if Some(other.id) != except => {
            Err(Problems::one("npi", format!("NPI {npi} is already on file for {}", other.display_name())).into())
        }
        _ => Ok(()),
    }
}
