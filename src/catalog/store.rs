//! Catalog queries: get, list, find by code, add, update, and loading the shipped reference
//! list of HCPCS codes.

use super::{join_modifiers, validate, CatalogError, CatalogItem, CatalogItemInput, PaymentCategory};
use crate::db::{Actor, Change, Db};
use crate::validation::Problems;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// The reference list shipped with the program (HCPCS Level II is public domain).
const REFERENCE_CSV: &str = include_str!("../../assets/hcpcs.csv");

const COLUMNS: &str = "id, hcpcs, description, category, rental_allowed, purchase_allowed, default_modifiers, unit";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CatalogItem> {
    let category: String = r.get(3)?;
    let mods: String = r.get(6)?;
    Ok(CatalogItem {
        id: r.get(0)?,
        hcpcs: r.get(1)?,
        description: r.get(2)?,
        category: PaymentCategory::from_code(&category).unwrap_or(PaymentCategory::SU),
        rental_allowed: r.get(4)?,
        purchase_allowed: r.get(5)?,
        default_modifiers: mods.split(':').filter(|m| !m.is_empty()).map(str::to_string).collect(),
        unit: r.get(7)?,
    })
}

/// The item with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<CatalogItem, CatalogError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM catalog_items WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(CatalogError::NotFound(id))
}

/// The item billed under `hcpcs`, if the catalog has it.
pub fn find_by_hcpcs(conn: &Connection, hcpcs: &str) -> Result<Option<CatalogItem>, CatalogError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM catalog_items WHERE hcpcs = ?1"))?
        .query_row([hcpcs.trim().to_ascii_uppercase()], from_row)
        .optional()?)
}

/// Items whose code or description contains `search` (all when empty), by code.
pub fn list(conn: &Connection, search: &str) -> Result<Vec<CatalogItem>, CatalogError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM catalog_items
         WHERE ?1 = '' OR hcpcs LIKE ?1 || '%' OR description LIKE '%' || ?1 || '%' OR category = upper(?1)
         ORDER BY hcpcs"
    ))?;
    let rows = stmt.query_map([search.trim()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Saves a new item.
pub fn add(db: &mut Db, actor: &Actor, input: &CatalogItemInput) -> Result<CatalogItem, CatalogError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new item inside a larger change.
pub fn create(c: &Change<'_>, input: &CatalogItemInput) -> Result<CatalogItem, CatalogError> {
    let mut item = validate(input)?;
    ensure_code_free(c.conn(), &item.hcpcs, None)?;
    c.conn().execute(
        "INSERT INTO catalog_items (hcpcs, description, category, rental_allowed, purchase_allowed, default_modifiers, unit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![item.hcpcs, item.description, item.category.code(), item.rental_allowed, item.purchase_allowed, join_modifiers(&item.default_modifiers), item.unit],
    )?;
    item.id = c.conn().last_insert_rowid();
    c.audit("create", "catalog_item", Some(item.id), &format!("added catalog item {}", item.hcpcs))?;
    Ok(item)
}

/// Replaces item `id` with `input` (a whole form).
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &CatalogItemInput) -> Result<CatalogItem, CatalogError> {
    let mut item = validate(input)?;
    item.id = id;
    db.write(actor, |c| {
        get(c.conn(), id)?;
        ensure_code_free(c.conn(), &item.hcpcs, Some(id))?;
        c.conn().execute(
            "UPDATE catalog_items SET hcpcs = ?1, description = ?2, category = ?3, rental_allowed = ?4, purchase_allowed = ?5,
             default_modifiers = ?6, unit = ?7 WHERE id = ?8",
            params![item.hcpcs, item.description, item.category.code(), item.rental_allowed, item.purchase_allowed, join_modifiers(&item.default_modifiers), item.unit, id],
        )?;
        c.audit("update", "catalog_item", Some(id), &format!("updated catalog item {}", item.hcpcs))?;
        Ok(item)
    })
}

/// Adds every code of the shipped reference list that the catalog lacks; returns how many
/// were added. Items already on file (perhaps edited by the supplier) are left alone.
pub fn load_reference(c: &Change<'_>) -> Result<usize, CatalogError> {
    let mut reader = csv::Reader::from_reader(REFERENCE_CSV.as_bytes());
    let mut added = 0;
    for row in reader.deserialize::<CatalogItemInput>() {
        let input = row.map_err(|e| CatalogError::Reference {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let code = input.hcpcs.as_deref().unwrap_or("").trim().to_ascii_uppercase();
        if find_by_hcpcs(c.conn(), &code)?.is_none() {
            create(c, &input)?;
            added += 1;
        }
    }
    Ok(added)
}

fn ensure_code_free(conn: &Connection, hcpcs: &str, except: Option<i64>) -> Result<(), CatalogError> {
    match find_by_hcpcs(conn, hcpcs)? {
        Some(other) if Some(other.id) != except => {
            Err(Problems::one("hcpcs", format!("{hcpcs} is already in the catalog ({})", other.description)).into())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[test]
    fn the_reference_list_loads_and_is_idempotent() {
        let mut db = Db::open_in_memory().unwrap();
        let actor = Actor::new("test");
        let first = db.write(&actor, load_reference).unwrap();
        assert!(first >= 1);
        assert_eq!(list(db.conn(), "").unwrap().len(), first);
        let again = db.write(&actor, |c| {
            let n = load_reference(c)?;
            c.audit("load", "catalog", None, "reference list")?;
            Ok::<_, CatalogError>(n)
        });
        assert_eq!(again.unwrap(), 0);
    }
}
