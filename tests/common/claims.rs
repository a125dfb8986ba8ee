//! Submitted claims written straight into a database for the remittance benchmark: a claim
//! with its lines (REF*6R control numbers from the same counters `claims::create` uses), as a
//! batch sent to the payer leaves it, and a secondary coverage for the patients who have one.

use chrono::NaiveDate;
use hmedesk::claims::control::{claim_number, line_number};
use rusqlite::{params, Connection};

/// One billed line: code, modifiers (colon-joined), charge and fee-schedule allowable in
/// cents, and the rental month (none: a purchase).
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub hcpcs: &'static str,
    pub modifiers: &'static str,
    pub charge: i64,
    pub allowed: Option<i64>,
    pub rental_month: Option<i64>,
}

/// The primary coverage and patient of rental episode `episode_id` (as `rentals::rental`
/// seeds them): (patient, coverage).
pub fn patient_of(conn: &Connection, episode_id: i64) -> (i64, i64) {
    conn.prepare_cached(
        "SELECT c.patient_id, c.id FROM rental_episodes e JOIN coverages c ON c.patient_id = e.patient_id
         WHERE e.id = ?1 AND c.priority = 'primary'",
    )
    .unwrap()
    .query_row([episode_id], |r| Ok((r.get(0)?, r.get(1)?)))
    .unwrap()
}

/// Gives `patient` an open-ended secondary coverage with `payer_id`.
pub fn secondary(conn: &Connection, patient: i64, payer_id: i64) {
    conn.prepare_cached(
        "INSERT INTO coverages (patient_id, payer_id, member_id, priority, effective, relationship)
         VALUES (?1, ?2, ?3, 'secondary', '2000-01-01', 'self')",
    )
    .unwrap()
    .execute(params![patient, payer_id, format!("S{patient}")])
    .unwrap();
}

/// Adds a submitted claim of `patient` to `coverage` for `lines`, all on `on`, and moves the
/// claim and line counters past the numbers it took; returns the claim id.
pub fn submitted(
    conn: &Connection,
    patient: i64,
    coverage: i64,
    practitioner: i64,
    on: NaiveDate,
    lines: &[Line],
) -> i64 {
    let next = |kind: &str| -> i64 {
        conn.prepare_cached("UPDATE control_numbers SET last = last + 1 WHERE kind = ?1 RETURNING last")
            .unwrap()
            .query_row([kind], |r| r.get(0))
            .unwrap()
    };
    let source = if lines.iter().any(|l| l.rental_month.is_some()) { "rental" } else { "purchase" };
    conn.prepare_cached(
        "INSERT INTO claims (control_number, patient_id, coverage_id, practitioner_id, source, diagnoses, status,
            service_from, service_to, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'G47.33', 'submitted', ?6, ?6, '2020-01-01T00:00:00Z')",
    )
    .unwrap()
    .execute(params![claim_number(next("claim")), patient, coverage, practitioner, source, on])
    .unwrap();
    let claim = conn.last_insert_rowid();
    let mut insert = conn
        .prepare_cached(
            "INSERT INTO claim_lines (claim_id, position, control_number, hcpcs, modifiers, service_from, service_to,
                units, charge, allowed, acquisition, rental_month)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1, ?7, ?8, ?9, ?10)",
        )
        .unwrap();
    for (i, l) in lines.iter().enumerate() {
        let acquisition = if l.rental_month.is_some() { "rental" } else { "purchase" };
        insert
            .execute(params![
                claim,
                i + 1,
                line_number(next("line")),
                l.hcpcs,
                l.modifiers,
                on,
                l.charge,
                l.allowed,
                acquisition,
                l.rental_month
            ])
            .unwrap();
    }
    claim
}
