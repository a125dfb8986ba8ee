//! Patient queries: get, search, add, update. Diagnoses live in `patient_diagnoses`, kept in
//! the practitioner's order; the search index is maintained by triggers (migration 0001).

use super::{validate, Patient, PatientError, PatientInput, PatientSummary, Sex};
use crate::db::{Actor, Change, Db};
use crate::validation::{parse_date, today, Problems};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// How many rows a search returns when the caller does not say.
pub const SEARCH_LIMIT: u32 = 50;

const COLUMNS: &str =
    "id, first_name, last_name, middle_name, dob, sex, address1, address2, city, state, zip, phone, email, mbi, notes";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Patient> {
    let sex: String = r.get(5)?;
    Ok(Patient {
        id: r.get(0)?,
        first_name: r.get(1)?,
        last_name: r.get(2)?,
        middle_name: r.get(3)?,
        dob: r.get(4)?,
        sex: Sex::from_code(&sex).unwrap_or(Sex::U),
        address1: r.get(6)?,
        address2: r.get(7)?,
        city: r.get(8)?,
        state: r.get(9)?,
        zip: r.get(10)?,
        phone: r.get(11)?,
        email: r.get(12)?,
        mbi: r.get(13)?,
        notes: r.get(14)?,
        diagnoses: Vec::new(),
    })
}

/// The patient with `id`, with diagnoses.
pub fn get(conn: &Connection, id: i64) -> Result<Patient, PatientError> {
    let mut patient = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM patients WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(PatientError::NotFound(id))?;
    let mut stmt = conn.prepare_cached("SELECT code FROM patient_diagnoses WHERE patient_id = ?1 ORDER BY position")?;
    patient.diagnoses = stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(patient)
}

/// Patients matching `query` — any mix of name parts, date of birth (YYYY-MM-DD or
/// MM/DD/YYYY), phone, MBI or member id, each matched as a word prefix — by name, at most
/// `limit`. An empty query lists patients by name.
pub fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<PatientSummary>, PatientError> {
    const SUMMARY: &str = "SELECT p.id, p.first_name, p.last_name, p.dob, p.phone, p.city, p.mbi,
            COALESCE((SELECT group_concat(c.member_id, ' ') FROM coverages c
                      WHERE c.patient_id = p.id AND c.member_id IS NOT p.mbi), '')
         FROM patients p";
    let map = |r: &Row<'_>| {
        Ok(PatientSummary {
            id: r.get(0)?,
            first_name: r.get(1)?,
            last_name: r.get(2)?,
            dob: r.get(3)?,
            phone: r.get(4)?,
            city: r.get(5)?,
            mbi: r.get(6)?,
            member_ids: r.get(7)?,
        })
    };
    let rows = match fts_query(query) {
        None => {
            let mut stmt = conn.prepare_cached(&format!(
                "{SUMMARY} ORDER BY p.last_name COLLATE NOCASE, p.first_name COLLATE NOCASE, p.id LIMIT ?1"
            ))?;
            let rows = stmt.query_map([limit], map)?.collect::<Result<Vec<_>, _>>()?;
            rows
        }
        Some(fts) => {
            let mut stmt = conn.prepare_cached(&format!(
                "{SUMMARY} JOIN patient_search s ON s.rowid = p.id WHERE patient_search MATCH ?1
                 ORDER BY p.last_name COLLATE NOCASE, p.first_name COLLATE NOCASE, p.id LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![fts, limit], map)?.collect::<Result<Vec<_>, _>>()?;
            rows
        }
    };
    Ok(rows)
}

/// Turns what a person typed into an FTS5 query of quoted word prefixes, so no character of
/// the input can be read as query syntax. A whole date becomes the exact phrase of its parts.
fn fts_query(query: &str) -> Option<String> {
    if let Some(date) = parse_date(query) {
        return Some(format!("\"{}\"", date.format("%Y %m %d")));
    }
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Saves a new patient.
pub fn add(db: &mut Db, actor: &Actor, input: &PatientInput) -> Result<Patient, PatientError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new patient inside a larger change (imports, the demo).
pub fn create(c: &Change<'_>, input: &PatientInput) -> Result<Patient, PatientError> {
    let mut p = validate(input, today())?;
    ensure_mbi_free(c.conn(), p.mbi.as_deref(), None)?;
    c.conn().execute(
        "INSERT INTO patients (first_name, last_name, middle_name, dob, sex, address1, address2, city, state, zip, phone, email, mbi, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![p.first_name, p.last_name, p.middle_name, p.dob, p.sex.code(), p.address1, p.address2, p.city, p.state, p.zip, p.phone, p.email, p.mbi, p.notes],
    )?;
    p.id = c.conn().last_insert_rowid();
    write_diagnoses(c.conn(), p.id, &p.diagnoses)?;
    c.audit("create", "patient", Some(p.id), &format!("added patient with {} diagnoses", p.diagnoses.len()))?;
    Ok(p)
}

/// Replaces patient `id` with `input` (a whole form).
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &PatientInput) -> Result<Patient, PatientError> {
    let mut p = validate(input, today())?;
    p.id = id;
    db.write(actor, |c| {
        let before = get(c.conn(), id)?;
        ensure_mbi_free(c.conn(), p.mbi.as_deref(), Some(id))?;
        c.conn().execute(
            "UPDATE patients SET first_name = ?1, last_name = ?2, middle_name = ?3, dob = ?4, sex = ?5, address1 = ?6,
             address2 = ?7, city = ?8, state = ?9, zip = ?10, phone = ?11, email = ?12, mbi = ?13, notes = ?14 WHERE id = ?15",
            params![p.first_name, p.last_name, p.middle_name, p.dob, p.sex.code(), p.address1, p.address2, p.city, p.state, p.zip, p.phone, p.email, p.mbi, p.notes, id],
        )?;
        write_diagnoses(c.conn(), id, &p.diagnoses)?;
        c.audit("update", "patient", Some(id), &change_summary(&before, &p))?;
        Ok(p)
    })
}

fn write_diagnoses(conn: &Connection, patient_id: i64, codes: &[String]) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM patient_diagnoses WHERE patient_id = ?1", [patient_id])?;
    let mut stmt =
        conn.prepare_cached("INSERT INTO patient_diagnoses (patient_id, position, code) VALUES (?1, ?2, ?3)")?;
    for (i, code) in codes.iter().enumerate() {
        stmt.execute(params![patient_id, i + 1, code])?;
    }
    Ok(())
}

fn ensure_mbi_free(conn: &Connection, mbi: Option<&str>, except: Option<i64>) -> Result<(), PatientError> {
    let Some(mbi) = mbi else { return Ok(()) };
    let holder: Option<i64> =
        conn.query_row("SELECT id FROM patients WHERE mbi = ?1", [mbi], |r| r.get(0)).optional()?;
    match holder {
        Some(other) if Some(other) != except => {
            Err(Problems::one("mbi", format!("MBI {mbi} is already on file for patient {other}")).into())
        }
        _ => Ok(()),
    }
}

/// Names the fields an update changed, without their values (the audit log holds no PHI).
fn change_summary(before: &Patient, after: &Patient) -> String {
    let checks: [(&str, bool); 8] = [
        (
            "name",
            before.first_name != after.first_name
                || before.last_name != after.last_name
                || before.middle_name != after.middle_name,
        ),
        ("date of birth", before.dob != after.dob),
        ("sex", before.sex != after.sex),
        (
            "address",
            (&before.address1, &before.address2, &before.city, &before.state, &before.zip)
                != (&after.address1, &after.address2, &after.city, &after.state, &after.zip),
        ),
        ("contact", before.phone != after.phone || before.email != after.email),
        ("MBI", before.mbi != after.mbi),
        ("notes", before.notes != after.notes),
        ("diagnoses", before.diagnoses != after.diagnoses),
    ];
    let changed: Vec<&str> = checks.iter().filter(|(_, c)| *c).map(|(n, _)| *n).collect();
    if changed.is_empty() {
        "saved patient without changes".to_string()
    } else {
        format!("changed {}", changed.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_query_quotes_every_word() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("lopez ma"), Some("\"lopez\"* \"ma\"*".into()));
        assert_eq!(fts_query("o'brien \"x\" OR"), Some("\"o\"* \"brien\"* \"x\"* \"or\"*".into()));
        assert_eq!(fts_query("03/02/1948"), Some("\"1948 03 02\"".into()));
    }
}
