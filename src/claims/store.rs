//! Claim queries and changes: create a draft with its control numbers, read and list
//! claims, and move a claim along its states with a history row and an audit row each time.

use super::control::{self, ControlKind};
use super::dme;
use super::{Claim, ClaimError, ClaimEvent, ClaimLine, ClaimStatus, NewClaim, MAX_DIAGNOSES, MAX_LINES, MAX_POINTERS};
use crate::catalog::{join_modifiers, MAX_MODIFIERS};
use crate::db::{json_ids, now_utc, Change};
use crate::orders::Acquisition;
use crate::validation::Problems;
use rusqlite::{params, Connection, OptionalExtension, Row};

const SELECT: &str = "SELECT c.id, c.control_number, c.patient_id, p.last_name || ', ' || p.first_name,
        c.coverage_id, v.payer_id, y.name, v.priority, c.practitioner_id, c.order_id, c.source, c.place_of_service,
        c.frequency, c.payer_claim_number, c.related_claim_id, c.prior_authorization, c.diagnoses, c.status,
        c.service_from, c.service_to, c.created_at, c.batch_id, c.corrects_claim_id
    FROM claims c JOIN patients p ON p.id = c.patient_id JOIN coverages v ON v.id = c.coverage_id
        JOIN payers y ON y.id = v.payer_id";

fn split(text: &str) -> Vec<String> {
    text.split(':').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Claim> {
    Ok(Claim {
        id: r.get(0)?,
        control_number: r.get(1)?,
        patient_id: r.get(2)?,
        patient_name: r.get(3)?,
        coverage_id: r.get(4)?,
        payer_id: r.get(5)?,
        payer_name: r.get(6)?,
        priority: r.get(7)?,
        practitioner_id: r.get(8)?,
        order_id: r.get(9)?,
        source: r.get(10)?,
        place_of_service: r.get(11)?,
        frequency: r.get(12)?,
        payer_claim_number: r.get(13)?,
        related_claim_id: r.get(14)?,
        prior_authorization: r.get(15)?,
        diagnoses: split(&r.get::<_, String>(16)?),
        status: r.get(17)?,
        service_from: r.get(18)?,
        service_to: r.get(19)?,
        created_at: r.get(20)?,
        batch_id: r.get(21)?,
        corrects_claim_id: r.get(22)?,
        total_charge: Default::default(),
        lines: Vec::new(),
    })
}

/// The columns [`line_from_row`] reads, in its order.
const LINE_COLUMNS: &str = "l.id, l.position, l.control_number, l.hcpcs, l.modifiers, l.service_from, l.service_to,
    l.units, l.charge, l.allowed, l.diagnosis_pointers, l.acquisition, l.order_line_id, l.delivery_item_id,
    l.rental_month";

/// A line from [`LINE_COLUMNS`] starting at column `at`.
fn line_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<ClaimLine> {
    let acquisition: String = r.get(at + 11)?;
    let pointers: String = r.get(at + 10)?;
    Ok(ClaimLine {
        id: r.get(at)?,
        position: r.get(at + 1)?,
        control_number: r.get(at + 2)?,
        hcpcs: r.get(at + 3)?,
        modifiers: split(&r.get::<_, String>(at + 4)?),
        service_from: r.get(at + 5)?,
        service_to: r.get(at + 6)?,
        units: r.get(at + 7)?,
        charge: r.get(at + 8)?,
        allowed: r.get(at + 9)?,
        diagnosis_pointers: pointers.split(':').filter_map(|p| p.parse().ok()).collect(),
        acquisition: Acquisition::from_code(&acquisition).unwrap_or(Acquisition::Purchase),
        order_line_id: r.get(at + 12)?,
        delivery_item_id: r.get(at + 13)?,
        rental_month: r.get(at + 14)?,
    })
}

fn with_lines(conn: &Connection, mut claim: Claim) -> Result<Claim, ClaimError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {LINE_COLUMNS} FROM claim_lines l WHERE l.claim_id = ?1 ORDER BY l.position"
    ))?;
    claim.lines = stmt.query_map([claim.id], |r| line_from_row(r, 0))?.collect::<Result<_, _>>()?;
    claim.total_charge = claim.lines.iter().map(|l| l.charge).sum();
    Ok(claim)
}

/// One claim with its lines.
pub fn get(conn: &Connection, id: i64) -> Result<Claim, ClaimError> {
    let claim = conn
        .prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(ClaimError::NotFound(id))?;
    with_lines(conn, claim)
}

/// The claims in one of `statuses` (to one payer's coverages, when `payer_id` is given),
/// oldest first, with their lines: what a run over many claims (a scrub, a batch) reads in
/// two queries instead of two per claim.
pub(crate) fn for_run(
    conn: &Connection,
    statuses: &[ClaimStatus],
    payer_id: Option<i64>,
) -> Result<Vec<Claim>, ClaimError> {
    const WHERE: &str =
        "WHERE c.status IN (SELECT value FROM json_each(?1)) AND (?2 IS NULL OR v.payer_id = ?2) ORDER BY c.id";
    let statuses = serde_json::to_string(statuses).map_err(|e| Problems::one("status", e.to_string()))?;
    let mut claims: Vec<Claim> = conn
        .prepare_cached(&format!("{SELECT} {WHERE}"))?
        .query_map(params![statuses, payer_id], from_row)?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT l.claim_id, {LINE_COLUMNS} FROM claims c JOIN coverages v ON v.id = c.coverage_id
            JOIN claim_lines l ON l.claim_id = c.id {WHERE}, l.position"
    ))?;
    let mut rows = stmt.query(params![statuses, payer_id])?;
    let mut claim = claims.iter_mut().peekable();
    while let Some(row) = rows.next()? {
        let claim_id: i64 = row.get(0)?;
        while claim.next_if(|c| c.id != claim_id).is_some() {}
        if let Some(c) = claim.peek_mut() {
            c.lines.push(line_from_row(row, 1)?);
        }
    }
    for c in &mut claims {
        c.total_charge = c.lines.iter().map(|l| l.charge).sum();
    }
    Ok(claims)
}

/// The claim whose CLM01 is `control_number`, as an 835 or 277CA names it.
pub fn find_by_control_number(conn: &Connection, control_number: &str) -> Result<Option<i64>, ClaimError> {
    Ok(conn
        .query_row("SELECT id FROM claims WHERE control_number = ?1", [control_number.trim()], |r| r.get(0))
        .optional()?)
}

/// Which claims a list shows.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub status: Option<ClaimStatus>,
    pub patient_id: Option<i64>,
}

/// Claims, newest first, with their lines.
pub fn list(conn: &Connection, filter: &ClaimFilter) -> Result<Vec<Claim>, ClaimError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.patient_id = ?2) ORDER BY c.id DESC"
    ))?;
    let claims: Vec<Claim> =
        stmt.query_map(params![filter.status, filter.patient_id], from_row)?.collect::<Result<_, _>>()?;
    claims.into_iter().map(|c| with_lines(conn, c)).collect()
}

/// A claim's status history, oldest first.
pub fn events(conn: &Connection, id: i64) -> Result<Vec<ClaimEvent>, ClaimError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, from_status, to_status, note FROM claim_events WHERE claim_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(ClaimEvent { at: r.get(0)?, actor: r.get(1)?, from: r.get(2)?, to: r.get(3)?, note: r.get(4)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Checks what the database does not: the shape limits of an 837P claim.
fn check_shape(claim: &NewClaim) -> Result<(), Problems> {
    let mut p = Problems::new();
    if claim.lines.is_empty() {
        p.add("lines", "a claim needs at least one line");
    }
    if claim.lines.len() > MAX_LINES {
        p.add("lines", format!("a claim holds at most {MAX_LINES} lines, this one has {}", claim.lines.len()));
    }
    if claim.diagnoses.is_empty() {
        p.add("diagnoses", "a claim needs at least one diagnosis");
    }
    if claim.diagnoses.len() > MAX_DIAGNOSES {
        p.add("diagnoses", format!("a claim holds at most {MAX_DIAGNOSES} diagnoses"));
    }
    if claim.frequency.x12() != "1" && claim.payer_claim_number.is_none() {
        p.add("payer_claim_number", "a replacement or void needs the payer's claim number");
    }
    for (i, line) in claim.lines.iter().enumerate() {
        let field = format!("lines[{}]", i + 1);
        if line.units == 0 {
            p.add(&field, "units must be at least 1");
        }
        if line.to < line.from {
            p.add(&field, "the last date of service is before the first");
        }
        if line.modifiers.len() > MAX_MODIFIERS {
            p.add(&field, format!("at most {MAX_MODIFIERS} modifiers"));
        }
        let pointers = &line.diagnosis_pointers;
        if pointers.is_empty() || pointers.len() > MAX_POINTERS {
            p.add(&field, format!("needs 1 to {MAX_POINTERS} diagnosis pointers"));
        }
        if pointers.iter().any(|&n| n == 0 || usize::from(n) > claim.diagnoses.len()) {
            p.add(&field, "a diagnosis pointer points past the claim's diagnoses");
        }
    }
    p.finish(())
}

/// Saves `claim` as a draft with new control numbers for it and each line, and the order's
/// prior authorization number when the claim names none.
pub fn create(c: &Change<'_>, claim: &NewClaim) -> Result<Claim, ClaimError> {
    let inserted = insert(c, claim)?;
    get(c.conn(), inserted.id)
}

/// What [`insert`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    pub id: i64,
    /// CLM01.
    pub control_number: String,
    /// The lines' ids, in the claim's line order.
    pub line_ids: Vec<i64>,
}

/// [`create`] without reading the claim back: for a run creating thousands (the rental
/// billing run, secondary claims after posting) that already holds what it wrote.
pub fn insert(c: &Change<'_>, claim: &NewClaim) -> Result<Inserted, ClaimError> {
    check_shape(claim)?;
    let from = claim.lines.iter().map(|l| l.from).min().unwrap_or_default();
    let to = claim.lines.iter().map(|l| l.to).max().unwrap_or_default();
    let number = control::claim_number(control::next(c, ControlKind::Claim)?);
    let conn = c.conn();
    let prior_authorization = match (&claim.prior_authorization, claim.order_id) {
        (None, Some(order_id)) => {
            let codes: Vec<&str> = claim.lines.iter().map(|l| l.hcpcs.as_str()).collect();
            dme::prior_authorization(conn, order_id, &codes, from)?
        }
        (given, _) => given.clone(),
    };
    conn.prepare_cached(
        "INSERT INTO claims (control_number, patient_id, coverage_id, practitioner_id, order_id, source, frequency,
            payer_claim_number, related_claim_id, corrects_claim_id, prior_authorization, diagnoses, service_from,
            service_to, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        number,
        claim.patient_id,
        claim.coverage_id,
        claim.practitioner_id,
        claim.order_id,
        claim.source,
        claim.frequency,
        claim.payer_claim_number,
        claim.related_claim_id,
        claim.corrects_claim_id,
        prior_authorization,
        claim.diagnoses.join(":"),
        from,
        to,
        now_utc(),
    ])?;
    let id = conn.last_insert_rowid();
    let mut insert = conn.prepare_cached(
        "INSERT INTO claim_lines (claim_id, position, control_number, hcpcs, modifiers, service_from, service_to, units,
            charge, allowed, diagnosis_pointers, acquisition, order_line_id, delivery_item_id, rental_month)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let mut line_ids = Vec::with_capacity(claim.lines.len());
    for (i, line) in claim.lines.iter().enumerate() {
        let pointers: Vec<String> = line.diagnosis_pointers.iter().map(u8::to_string).collect();
        insert.execute(params![
            id,
            i + 1,
            control::line_number(control::next(c, ControlKind::Line)?),
            line.hcpcs,
            join_modifiers(&line.modifiers),
            line.from,
            line.to,
            line.units,
            line.charge,
            line.allowed,
            pointers.join(":"),
            line.acquisition.code(),
            line.order_line_id,
            line.delivery_item_id,
            line.rental_month,
        ])?;
        line_ids.push(conn.last_insert_rowid());
    }
    record_event(c, id, None, ClaimStatus::Draft, None)?;
    c.audit("create", "claim", Some(id), &format!("{number}, {} line(s), {}", claim.lines.len(), claim.source))?;
    Ok(Inserted { id, control_number: number, line_ids })
}

/// Moves claim `id` to `to`, refusing an illegal step; `note` says why (a 277CA reason, a batch).
pub fn set_status(c: &Change<'_>, id: i64, to: ClaimStatus, note: Option<&str>) -> Result<Claim, ClaimError> {
    move_status(c, id, to, note)?;
    get(c.conn(), id)
}

/// [`set_status`] without reading the claim back, for the scrub, the batch and remittance
/// posting, which move thousands of claims at once.
pub(crate) fn move_status(c: &Change<'_>, id: i64, to: ClaimStatus, note: Option<&str>) -> Result<(), ClaimError> {
    let conn = c.conn();
    let from: ClaimStatus = conn
        .prepare_cached("SELECT status FROM claims WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or(ClaimError::NotFound(id))?;
    if !from.can_become(to) {
        return Err(ClaimError::Transition { id, from, to });
    }
    conn.prepare_cached("UPDATE claims SET status = ?2 WHERE id = ?1")?.execute(params![id, to])?;
    record_event(c, id, Some(from), to, note)?;
    c.audit("status", "claim", Some(id), &format!("{from} -> {to}"))?;
    Ok(())
}

/// [`move_status`] for every claim in `ids`, all in status `from` (read within the same
/// change): one statement each for the claims, their history and the audit log instead of
/// three per claim, for a scrub or a batch over a month's claims.
pub(crate) fn move_all(
    c: &Change<'_>,
    ids: &[i64],
    from: ClaimStatus,
    to: ClaimStatus,
    note: &str,
) -> Result<(), ClaimError> {
    let Some(&first) = ids.first() else { return Ok(()) };
    if !from.can_become(to) {
        return Err(ClaimError::Transition { id: first, from, to });
    }
    let conn = c.conn();
    let list = json_ids(ids);
    let stray: Option<(i64, Option<ClaimStatus>)> = conn
        .prepare_cached(
            "SELECT j.value, c.status FROM json_each(?1) j LEFT JOIN claims c ON c.id = j.value
             WHERE c.status IS NOT ?2 LIMIT 1",
        )?
        .query_row(params![list, from], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match stray {
        Some((id, Some(status))) => return Err(ClaimError::Transition { id, from: status, to }),
        Some((id, None)) => return Err(ClaimError::NotFound(id)),
        None => {}
    }
    conn.prepare_cached("UPDATE claims SET status = ?2 WHERE id IN (SELECT value FROM json_each(?1))")?
        .execute(params![list, to])?;
    conn.prepare_cached(
        "INSERT INTO claim_events (claim_id, at, actor, from_status, to_status, note)
         SELECT value, ?2, ?3, ?4, ?5, ?6 FROM json_each(?1)",
    )?
    .execute(params![list, now_utc(), c.actor().name(), from, to, note])?;
    c.audit_each("status", "claim", ids, &format!("{from} -> {to}"))?;
    Ok(())
}

fn record_event(
    c: &Change<'_>,
    id: i64,
    from: Option<ClaimStatus>,
    to: ClaimStatus,
    note: Option<&str>,
) -> Result<(), ClaimError> {
    c.conn()
        .prepare_cached(
            "INSERT INTO claim_events (claim_id, at, actor, from_status, to_status, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![id, now_utc(), c.actor().name(), from, to, note])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Actor, Db};
    use chrono::NaiveDate;

    /// The demo as its `claims` stage leaves it, and the ids of its draft claims (the
    /// scrubber stopped at least two).
    fn demo_drafts() -> (Db, Vec<i64>) {
        let mut db = Db::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        crate::demo::load_through(&mut db, &Actor::new("test"), today, "claims").unwrap();
        let drafts: Vec<i64> = for_run(db.conn(), &[ClaimStatus::Draft], None).unwrap().iter().map(|c| c.id).collect();
        assert!(drafts.len() >= 2, "{drafts:?}");
        (db, drafts)
    }

    #[test]
    fn a_run_moves_its_claims_together_with_a_history_and_an_audit_row_each() {
        let (mut db, ids) = demo_drafts();
        let audited = |db: &Db| -> i64 {
            db.conn()
                .query_row(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'status' AND summary = 'draft -> ready'",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let before = audited(&db);
        db.write(&Actor::new("test"), |c| move_all(c, &ids[..2], ClaimStatus::Draft, ClaimStatus::Ready, "clean"))
            .unwrap();
        let run = for_run(db.conn(), &[ClaimStatus::Ready], None).unwrap();
        assert_eq!(run.iter().map(|c| c.id).collect::<Vec<_>>(), ids[..2]);
        for claim in &run {
            assert_eq!(*claim, get(db.conn(), claim.id).unwrap(), "a run reads what get reads");
        }
        let history = events(db.conn(), ids[1]).unwrap();
        let last = history.last().unwrap();
        assert_eq!(
            (last.from, last.to, last.note.as_deref()),
            (Some(ClaimStatus::Draft), ClaimStatus::Ready, Some("clean"))
        );
        assert_eq!(audited(&db) - before, 2);
    }

    #[test]
    fn a_claim_not_in_the_expected_status_stops_the_whole_move() {
        let (mut db, ids) = demo_drafts();
        let actor = Actor::new("test");
        db.write(&actor, |c| move_status(c, ids[1], ClaimStatus::Ready, None)).unwrap();
        let err = db.write(&actor, |c| move_all(c, &ids, ClaimStatus::Draft, ClaimStatus::Ready, "clean")).unwrap_err();
        assert!(matches!(err, ClaimError::Transition { id, from: ClaimStatus::Ready, .. } if id == ids[1]), "{err:?}");
        let missing =
            db.write(&actor, |c| move_all(c, &[ids[0], 999_999], ClaimStatus::Draft, ClaimStatus::Ready, "clean"));
        assert!(matches!(missing, Err(ClaimError::NotFound(999_999))), "{missing:?}");
        let drafts: Vec<i64> = for_run(db.conn(), &[ClaimStatus::Draft], None).unwrap().iter().map(|c| c.id).collect();
        let expected: Vec<i64> = ids.iter().copied().filter(|&id| id != ids[1]).collect();
        assert_eq!(drafts, expected, "nothing moved");
    }
}
