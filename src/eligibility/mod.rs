//! Eligibility: asking a payer whether a patient's coverage is active for a service type
//! (270, DME = `12`) and keeping the answer (271) with the date it was checked, so the
//! patient screen can show it and the claim scrubber can ask "verified within N days?".
//!
//! * [`x270`] — the 270 writer (005010X279A1);
//! * [`findings`] — what a 271 says for one service type.
//!
//! A check is sent real-time when the transport offers it (Claim.MD's `elig/`); otherwise,
//! or when offline, the 270 is queued in the sync outbox and the 271 is matched back by its
//! trace number when the inbox imports it ([`import_271`]).
//!
//! A real-time check never holds the database while the clearinghouse answers ([`Access`]):
//! 1. one `Db::write` records the check as `waiting` (its row reserves the trace number) and
//!    queues its 270 in the outbox, held from sync passes for [`outbox::REAL_TIME_HOLD`];
//! 2. the database is let go for the HTTP exchange;
//! 3. a second `Db::write` stores the 271 and takes the queued 270 back. When the
//!    clearinghouse cannot be reached (or its 271 does not answer this check) the 270 is
//!    made due at once, as a check made offline is; when it refuses the 270 for good, the
//!    check and its 270 are taken back and the error is reported, so nothing is left
//!    waiting for an answer that will not come.
//!
//! A crash (or a 271 that cannot be read) between the two writes leaves a `waiting` check
//! whose 270 is queued: the screen shows it waiting, and once the hold has passed the next
//! sync pass sends that same 270 (same trace number, same idempotency key) and imports its
//! 271 like any queued check's. If the clearinghouse had already got the real-time request,
//! the payer is asked twice under one trace number and the check is answered once.

pub mod findings;
pub mod x270;

pub use findings::Findings;

use crate::coded_enum;
use crate::coverages::{self, CoverageError, Relationship};
use crate::db::{now_utc, Access, Actor, Change, Db, DbError};
use crate::patients::{self, PatientError};
use crate::payers::{self, PayerError};
use crate::settings;
use crate::supplier::{self, SupplierError};
use crate::sync::transport::{Transport, TransportError};
use crate::sync::{outbox, OutboxKind, OutboxState, SyncError};
use crate::x12::elig271;
use crate::x12::write::WriteError;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

/// How many days a check counts as recent when `eligibility.max_age_days` is not set.
pub const DEFAULT_MAX_AGE_DAYS: i64 = 30;

coded_enum! {
    /// Where an eligibility check is.
    CheckState {
        /// The 270 is queued or sent; no 271 yet.
        Waiting = "waiting",
        /// The payer says the coverage is active for the service type.
        Active = "active",
        /// The payer says the coverage is not active.
        Inactive = "inactive",
        /// The payer could not answer (AAA); the findings say why.
        Rejected = "rejected",
        /// The payer answered without saying active or inactive.
        Answered = "answered",
    }
}

/// One eligibility question and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct EligibilityCheck {
    pub id: i64,
    pub patient_id: i64,
    pub coverage_id: i64,
    pub payer_name: String,
    /// EQ01: `12` DME purchase, `18` DME rental, `30` plan coverage …
    pub service_type: String,
    /// TRN02 of the 270, returned in the 271.
    pub trace_number: String,
    pub requested_at: String,
    pub state: CheckState,
    /// The day the answer came.
    pub checked_on: Option<NaiveDate>,
    pub findings: Option<Findings>,
}

/// Why a check could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EligibilityError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Patient(#[from] PatientError),
    #[error(transparent)]
    Coverage(#[from] CoverageError),
    #[error(transparent)]
    Payer(#[from] PayerError),
    #[error(transparent)]
    Supplier(#[from] SupplierError),
    #[error("the 270 could not be written: {0}")]
    Write(#[from] WriteError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(EligibilityError);

const COLUMNS: &str = "e.id, e.patient_id, e.coverage_id, p.name, e.service_type, e.trace_number, e.requested_at, \
                       e.state, e.checked_on, e.result";
const FROM: &str = "eligibility_checks e JOIN coverages c ON c.id = e.coverage_id JOIN payers p ON p.id = c.payer_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<EligibilityCheck> {
    let result: Option<String> = r.get(9)?;
    Ok(EligibilityCheck {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        coverage_id: r.get(2)?,
        payer_name: r.get(3)?,
        service_type: r.get(4)?,
        trace_number: r.get(5)?,
        requested_at: r.get(6)?,
        state: r.get(7)?,
        checked_on: r.get(8)?,
        findings: result.and_then(|j| serde_json::from_str(&j).ok()),
    })
}

/// Every check of a patient, newest first.
pub fn list_for_patient(conn: &Connection, patient_id: i64) -> Result<Vec<EligibilityCheck>, EligibilityError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM {FROM} WHERE e.patient_id = ?1 ORDER BY e.id DESC"))?;
    let rows = stmt.query_map([patient_id], from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

fn get(conn: &Connection, id: i64) -> Result<EligibilityCheck, EligibilityError> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM {FROM} WHERE e.id = ?1"), [id], from_row)?)
}

/// For the claim scrubber: was the patient's coverage found active within `days` of
/// `today`?
pub fn verified_within(conn: &Connection, patient_id: i64, days: i64, today: NaiveDate) -> Result<bool, DbError> {
    let since = today - chrono::Duration::days(days);
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM eligibility_checks WHERE patient_id = ?1 AND state = 'active' AND checked_on >= ?2",
        (patient_id, since),
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// [`verified_within`] with the number of days from the settings (`eligibility.max_age_days`).
pub fn recently_verified(conn: &Connection, patient_id: i64, today: NaiveDate) -> Result<bool, DbError> {
    verified_within(conn, patient_id, max_age_days(conn)?, today)
}

/// How many days an active answer counts as recent: `eligibility.max_age_days`, else
/// [`DEFAULT_MAX_AGE_DAYS`].
pub fn max_age_days(conn: &Connection) -> Result<i64, DbError> {
    Ok(settings::get(conn, settings::ELIGIBILITY_MAX_AGE_DAYS)?
        .and_then(|d| d.parse().ok())
        .unwrap_or(DEFAULT_MAX_AGE_DAYS))
}

/// For the claim scrubber: the last day on or before `on` that a check found coverage
/// `coverage_id` active, if any.
pub fn last_active_check(conn: &Connection, coverage_id: i64, on: NaiveDate) -> Result<Option<NaiveDate>, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT MAX(checked_on) FROM eligibility_checks
             WHERE patient_id = (SELECT patient_id FROM coverages WHERE id = ?1) AND coverage_id = ?1
               AND state = 'active' AND checked_on <= ?2",
        )?
        .query_row((coverage_id, on), |r| r.get(0))?)
}

/// Asks about the patient's primary coverage in force at `now` for `service_type`: real-time
/// through `transport` when it offers it, else (or when it cannot be reached) by queuing the
/// 270 in the outbox for the next sync pass. The database is let go while the
/// clearinghouse answers (see the module doc for the two writes and what a crash between
/// them leaves).
pub fn check(
    mut db: impl Access,
    actor: &Actor,
    transport: Option<&mut dyn Transport>,
    patient_id: i64,
    service_type: &str,
    now: NaiveDateTime,
) -> Result<EligibilityCheck, EligibilityError> {
    let asked = db.with(|db| {
        db.write(actor, |c| {
            let asked = ask(c, patient_id, service_type, now)?;
            if transport.is_some() {
                outbox::hold(c, asked.outbox_id, chrono::Utc::now())?;
            }
            Ok::<_, EligibilityError>(asked)
        })
    })?;
    let Some(transport) = transport else {
        return db.with(|db| get(db.conn(), asked.id));
    };
    let answer = transport.eligibility(&asked.file);
    db.with(|db| settle(db, actor, &asked, answer, now.date()))
}

/// The second write of a check: what the clearinghouse's real-time answer (or failure)
/// means for the check and its queued 270.
fn settle(
    db: &mut Db,
    actor: &Actor,
    asked: &Asked,
    answer: Result<Option<Vec<u8>>, TransportError>,
    today: NaiveDate,
) -> Result<EligibilityCheck, EligibilityError> {
    match answer {
        Ok(Some(bytes)) => db.write(actor, |c| {
            apply_271(c, &bytes, today)?;
            if get(c.conn(), asked.id)?.state == CheckState::Waiting {
                outbox::release(c, asked.outbox_id, "the real-time answer did not answer this check")?;
            } else {
                take_back(c, asked, "answered in real time")?;
            }
            Ok::<_, EligibilityError>(())
        })?,
        Ok(None) => db.write(actor, |c| outbox::release(c, asked.outbox_id, "no real-time answer"))?,
        Err(e) if e.is_retryable() => db.write(actor, |c| outbox::release(c, asked.outbox_id, &e.to_string()))?,
        Err(e) => {
            db.write(actor, |c| {
                if take_back(c, asked, &format!("refused in real time: {e}"))? {
                    c.conn().execute("DELETE FROM eligibility_checks WHERE id = ?1", [asked.id])?;
                    c.audit("withdraw", "eligibility", Some(asked.id), "the clearinghouse refused the 270")?;
                }
                Ok::<_, EligibilityError>(())
            })?;
            return Err(SyncError::Transport(e).into());
        }
    }
    get(db.conn(), asked.id)
}

/// [`check`] through the clearinghouse the settings describe, or queued for sync when none is
/// set up yet: what the CLI's `eligibility check` and the patient screen's button do.
pub fn check_configured(
    mut db: impl Access,
    actor: &Actor,
    patient_id: i64,
    service_type: &str,
    now: NaiveDateTime,
) -> Result<EligibilityCheck, EligibilityError> {
    let mut transport = match db.with(|db| crate::sync::configured_transport(db)) {
        Ok(t) => Some(t),
        Err(SyncError::NotConfigured(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let online: Option<&mut dyn Transport> = match &mut transport {
        Some(t) => Some(t.as_mut()),
        None => None,
    };
    check(db, actor, online, patient_id, service_type, now)
}

/// Queues a check inside a larger change, for the next sync pass to send (the demo uses
/// this); returns the check's id.
pub fn queue(c: &Change<'_>, patient_id: i64, service_type: &str, now: NaiveDateTime) -> Result<i64, EligibilityError> {
    Ok(ask(c, patient_id, service_type, now)?.id)
}

/// A check recorded as waiting, with its 270 queued in the outbox.
struct Asked {
    id: i64,
    outbox_id: i64,
    file: Vec<u8>,
}

/// Records a waiting check and queues its 270.
fn ask(c: &Change<'_>, patient_id: i64, service_type: &str, now: NaiveDateTime) -> Result<Asked, EligibilityError> {
    let (coverage_id, request) = resolve(c.conn(), patient_id, service_type, now)?;
    let file = x270::write_270(&request)?;
    let id = record(c, patient_id, coverage_id, &request)?;
    let outbox_id = enqueue(c, id, &request.trace_number, &file)?;
    Ok(Asked { id, outbox_id, file })
}

/// Takes the queued 270 of a check back out of the outbox; false when it is no longer
/// queued (a pass sent it after the hold ran out), which leaves it be.
fn take_back(c: &Change<'_>, asked: &Asked, why: &str) -> Result<bool, EligibilityError> {
    if outbox::get(c.conn(), asked.outbox_id)?.state != OutboxState::Queued {
        return Ok(false);
    }
    c.conn().execute("UPDATE eligibility_checks SET outbox_id = NULL WHERE id = ?1", [asked.id])?;
    outbox::withdraw(c, asked.outbox_id, why)?;
    Ok(true)
}

/// Inserts a waiting check.
fn record(c: &Change<'_>, patient_id: i64, coverage_id: i64, r: &x270::Request270) -> Result<i64, EligibilityError> {
    c.conn().execute(
        "INSERT INTO eligibility_checks (patient_id, coverage_id, service_type, trace_number, requested_at, state)
         VALUES (?1, ?2, ?3, ?4, ?5, 'waiting')",
        (patient_id, coverage_id, &r.service_type, &r.trace_number, now_utc()),
    )?;
    let id = c.conn().last_insert_rowid();
    c.audit("check", "eligibility", Some(id), &format!("asked about service type {}", r.service_type))?;
    Ok(id)
}

/// Puts the 270 of check `id` in the outbox; returns the outbox row's id.
fn enqueue(c: &Change<'_>, id: i64, trace: &str, file: &[u8]) -> Result<i64, EligibilityError> {
    let outbox_id = outbox::enqueue(c, OutboxKind::Eligibility270, &format!("eligibility-{trace}.270"), file)?;
    c.conn().execute("UPDATE eligibility_checks SET outbox_id = ?2 WHERE id = ?1", (id, outbox_id))?;
    Ok(outbox_id)
}

/// Gathers the 270's contents: supplier, patient, primary coverage in force, payer.
fn resolve(
    conn: &Connection,
    patient_id: i64,
    service_type: &str,
    now: NaiveDateTime,
) -> Result<(i64, x270::Request270), EligibilityError> {
    let service_type = service_type.trim();
    if service_type.is_empty() || service_type.len() > 2 || !service_type.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(EligibilityError::Invalid(format!(
            "service type '{service_type}' must be an X12 service type code like 12 (DME purchase) or 18 (DME rental)"
        )));
    }
    let supplier = supplier::get(conn)?.ok_or_else(|| {
        EligibilityError::Invalid("the supplier settings are not filled in yet (hmedesk supplier set ...)".into())
    })?;
    let patient = patients::get(conn, patient_id)?;
    let today = now.date();
    let coverage =
        coverages::active_on(conn, patient_id, today)?.into_iter().min_by_key(|c| c.priority).ok_or_else(|| {
            EligibilityError::Invalid(format!("patient {patient_id} has no coverage in force on {today}"))
        })?;
    let payer = payers::get(conn, coverage.payer_id)?;
    let payer_id = payer.payer_id.clone().ok_or_else(|| {
        EligibilityError::Invalid(format!("payer {} has no electronic payer id to send a 270 to", payer.name))
    })?;
    let sequence: i64 = conn.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM eligibility_checks", [], |r| r.get(0))?;
    let me = x270::Person {
        last_name: patient.last_name.to_uppercase(),
        first_name: patient.first_name.to_uppercase(),
        middle_name: patient.middle_name.as_ref().map(|m| m.to_uppercase()),
        birth_date: patient.dob,
        sex: patient.sex.code().to_string(),
    };
    let (subscriber, dependent) = match (&coverage.relationship, &coverage.subscriber) {
        (Relationship::Itself, _) | (_, None) => (me, None),
        (_, Some(s)) => (
            x270::Person {
                last_name: s.last_name.to_uppercase(),
                first_name: s.first_name.to_uppercase(),
                middle_name: None,
                birth_date: s.dob,
                sex: s.sex.map_or("U", |x| x.code()).to_string(),
            },
            Some(me),
        ),
    };
    let ein: String = supplier.ein.chars().filter(char::is_ascii_digit).collect();
    let request = x270::Request270 {
        submitter_id: supplier.npi.clone(),
        receiver_id: payer_id.clone(),
        created: now,
        control_number: u32::try_from(sequence % 1_000_000_000).unwrap_or(1),
        production: true,
        payer_name: payer.name.to_uppercase(),
        payer_id,
        supplier_name: supplier.legal_name.to_uppercase(),
        supplier_npi: supplier.npi.clone(),
        originator_id: format!("1{ein}"),
        trace_number: format!("HMD{sequence}"),
        member_id: coverage.member_id.clone(),
        subscriber,
        dependent,
        service_date: today,
        service_type: service_type.to_string(),
    };
    Ok((coverage.id, request))
}

/// Stores what a 271 answers for every waiting check whose trace number it carries;
/// returns how many checks it answered and how many of its people matched none.
fn apply_271(c: &Change<'_>, bytes: &[u8], today: NaiveDate) -> Result<(u32, u32), EligibilityError> {
    let parsed = elig271::read(bytes).map_err(|e| EligibilityError::Invalid(format!("the 271 cannot be read: {e}")))?;
    let (mut answered, mut unknown) = (0, 0);
    for set in &parsed.sets {
        for trace in set.persons.iter().flat_map(|p| &p.trace_numbers) {
            let waiting: Option<(i64, String)> = c
                .conn()
                .query_row(
                    "SELECT id, service_type FROM eligibility_checks WHERE trace_number = ?1 AND state = 'waiting'",
                    [trace],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((id, service_type)) = waiting else {
                unknown += 1;
                continue;
            };
            let f = findings::read(set, trace, &service_type);
            let state = match f.active {
                Some(true) => CheckState::Active,
                Some(false) => CheckState::Inactive,
                None if !f.rejections.is_empty() => CheckState::Rejected,
                None => CheckState::Answered,
            };
            let json = serde_json::to_string(&f).map_err(|e| EligibilityError::Invalid(e.to_string()))?;
            c.conn().execute(
                "UPDATE eligibility_checks SET state = ?2, checked_on = ?3, result = ?4 WHERE id = ?1",
                (id, state, today, json),
            )?;
            c.audit("answer", "eligibility", Some(id), &format!("payer answered: {state}"))?;
            answered += 1;
        }
    }
    Ok((answered, unknown))
}

/// The inbox importer of 271 files (registered in `sync::Importers::standard`).
pub fn import_271(c: &Change<'_>, bytes: &[u8]) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let (answered, unknown) = apply_271(c, bytes, chrono::Local::now().date_naive())?;
    Ok(format!("{answered} eligibility checks answered, {unknown} answers not asked from here"))
}
