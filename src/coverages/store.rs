//! Coverage queries: get, list for a patient, the active payers on a date, add, update.

use super::{
    check_member_id_for_medicare, validate, Coverage, CoverageError, CoverageInput, Priority, Relationship, Subscriber,
};
use crate::db::{Actor, Change, Db};
use crate::patients::Sex;
use crate::payers::{self, PayerError};
use crate::validation::Problems;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

const SELECT: &str = "SELECT c.id, c.patient_id, c.payer_id, p.name, c.member_id, c.group_number, c.priority, c.effective,
        c.termination, c.relationship, c.subscriber_first_name, c.subscriber_last_name, c.subscriber_dob, c.subscriber_sex,
        c.subscriber_address1, c.subscriber_city, c.subscriber_state, c.subscriber_zip
    FROM coverages c JOIN payers p ON p.id = c.payer_id";

const PRIORITY_ORDER: &str = "CASE c.priority WHEN 'primary' THEN 1 WHEN 'secondary' THEN 2 ELSE 3 END";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Coverage> {
    let priority: String = r.get(6)?;
    let relationship: String = r.get(9)?;
    let relationship = Relationship::from_code(&relationship).unwrap_or(Relationship::Itself);
    let subscriber = match (relationship, r.get::<_, Option<String>>(10)?) {
        (Relationship::Itself, _) | (_, None) => None,
        (_, Some(first_name)) => Some(Subscriber {
            first_name,
            last_name: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            dob: r.get::<_, Option<NaiveDate>>(12)?.unwrap_or_default(),
            sex: r.get::<_, Option<String>>(13)?.as_deref().and_then(Sex::from_code),
            address1: r.get(14)?,
            city: r.get(15)?,
            state: r.get(16)?,
            zip: r.get(17)?,
        }),
    };
    Ok(Coverage {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        payer_id: r.get(2)?,
        payer_name: r.get(3)?,
        member_id: r.get(4)?,
        group_number: r.get(5)?,
        priority: Priority::from_code(&priority).unwrap_or(Priority::Primary),
        effective: r.get(7)?,
        termination: r.get(8)?,
        relationship,
        subscriber,
    })
}

/// The coverage with `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Coverage, CoverageError> {
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(CoverageError::NotFound(id))
}

/// Every coverage of a patient, current and past, primary first, newest first.
pub fn list_for_patient(conn: &Connection, patient_id: i64) -> Result<Vec<Coverage>, CoverageError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE c.patient_id = ?1 ORDER BY {PRIORITY_ORDER}, c.effective DESC, c.id"
    ))?;
    let rows = stmt.query_map([patient_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The coverages in force for a patient on `date`, in billing order (primary first).
pub fn active_on(conn: &Connection, patient_id: i64, date: NaiveDate) -> Result<Vec<Coverage>, CoverageError> {
    Ok(list_for_patient(conn, patient_id)?.into_iter().filter(|c| c.is_active_on(date)).collect())
}

/// Saves a new coverage.
pub fn add(db: &mut Db, actor: &Actor, input: &CoverageInput) -> Result<Coverage, CoverageError> {
    db.write(actor, |c| create(c, input))
}

/// Saves a new coverage inside a larger change.
pub fn create(c: &Change<'_>, input: &CoverageInput) -> Result<Coverage, CoverageError> {
    let mut coverage = checked(c.conn(), input, None)?;
    let s = coverage.subscriber.as_ref();
    c.conn().execute(
        "INSERT INTO coverages (patient_id, payer_id, member_id, group_number, priority, effective, termination, relationship,
            subscriber_first_name, subscriber_last_name, subscriber_dob, subscriber_sex, subscriber_address1, subscriber_city,
            subscriber_state, subscriber_zip)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            coverage.patient_id, coverage.payer_id, coverage.member_id, coverage.group_number, coverage.priority.code(),
            coverage.effective, coverage.termination, coverage.relationship.code(),
            s.map(|s| &s.first_name), s.map(|s| &s.last_name), s.map(|s| s.dob), s.and_then(|s| s.sex).map(Sex::code),
            s.and_then(|s| s.address1.as_ref()), s.and_then(|s| s.city.as_ref()), s.and_then(|s| s.state.as_ref()),
            s.and_then(|s| s.zip.as_ref()),
        ],
    )?;
    coverage.id = c.conn().last_insert_rowid();
    c.audit(
        "create",
        "coverage",
        Some(coverage.id),
        &format!(
            "added {} coverage with {} for patient {}",
            coverage.priority.code(),
            coverage.payer_name,
            coverage.patient_id
        ),
    )?;
    Ok(coverage)
}

/// Replaces coverage `id` with `input` (a whole form).
pub fn update(db: &mut Db, actor: &Actor, id: i64, input: &CoverageInput) -> Result<Coverage, CoverageError> {
    db.write(actor, |c| {
        get(c.conn(), id)?;
        let mut coverage = checked(c.conn(), input, Some(id))?;
        coverage.id = id;
        let s = coverage.subscriber.as_ref();
        c.conn().execute(
            "UPDATE coverages SET patient_id = ?1, payer_id = ?2, member_id = ?3, group_number = ?4, priority = ?5, effective = ?6,
                termination = ?7, relationship = ?8, subscriber_first_name = ?9, subscriber_last_name = ?10, subscriber_dob = ?11,
                subscriber_sex = ?12, subscriber_address1 = ?13, subscriber_city = ?14, subscriber_state = ?15, subscriber_zip = ?16
             WHERE id = ?17",
            params![
                coverage.patient_id, coverage.payer_id, coverage.member_id, coverage.group_number, coverage.priority.code(),
                coverage.effective, coverage.termination, coverage.relationship.code(),
                s.map(|s| &s.first_name), s.map(|s| &s.last_name), s.map(|s| s.dob), s.and_then(|s| s.sex).map(Sex::code),
                s.and_then(|s| s.address1.as_ref()), s.and_then(|s| s.city.as_ref()), s.and_then(|s| s.state.as_ref()),
                s.and_then(|s| s.zip.as_ref()), id,
            ],
        )?;
        c.audit("update", "coverage", Some(id), &format!("updated {} coverage for patient {}", coverage.priority.code(), coverage.patient_id))?;
        Ok(coverage)
    })
}

/// Validates `input` with the checks that need the database: the patient and payer exist,
/// a Medicare member id is an MBI, and no other coverage of the same priority overlaps.
fn checked(conn: &Connection, input: &CoverageInput, except: Option<i64>) -> Result<Coverage, CoverageError> {
    let mut coverage = validate(input)?;
    let mut p = Problems::new();
    let patient_exists: bool =
        conn.query_row("SELECT EXISTS(SELECT 1 FROM patients WHERE id = ?1)", [coverage.patient_id], |r| r.get(0))?;
    if !patient_exists {
        p.add("patient_id", format!("there is no patient with id {}", coverage.patient_id));
    }
    match payers::get(conn, coverage.payer_id) {
        Ok(payer) => {
            if payer.is_medicare() {
                coverage.member_id = check_member_id_for_medicare(&mut p, &coverage.member_id);
            }
            coverage.payer_name = payer.name;
        }
        Err(PayerError::Db(e)) => return Err(CoverageError::Db(e)),
        Err(_) => p.add("payer_id", format!("there is no payer with id {}", coverage.payer_id)),
    }
    for other in list_for_patient(conn, coverage.patient_id)? {
        if Some(other.id) != except && other.priority == coverage.priority && other.overlaps(&coverage) {
            p.add(
                "effective",
                format!(
                    "overlaps the {} coverage with {} ({} to {}); end that one first",
                    other.priority.code(),
                    other.payer_name,
                    other.effective,
                    other.termination.map_or("open".to_string(), |t| t.to_string())
                ),
            );
        }
    }
    p.finish(coverage).map_err(CoverageError::from)
}
