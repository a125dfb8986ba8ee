//! Acknowledgments: a 999 or 277CA file in, batch and claim statuses out.
//!
//! A 999 says whether the clearinghouse took an 837P batch (matched by AK102/AK202 to the
//! batch's GS06/ST02); a 277CA says, claim by claim (TRN02 = our CLM01, lines by REF*FJ =
//! our REF*6R), whether the payer took each claim into adjudication. [`import`] applies a
//! whole file in one transaction, once per content hash. Every verdict read is kept in
//! `ack_verdicts` with the batch or claim it was matched to; one that matches none of ours
//! stays there unlinked and is listed by [`unmatched`]. Rejected claims go to the work
//! queue (kind `rejection`) with the reason in words ([`words`]).
//!
//! This is its own module rather than part of `remit`: it moves statuses and never money,
//! and shares only the `remit_files` record (for idempotency) and the work queue.
//!
//! Claim moves follow [`ClaimStatus::can_become`]: an acknowledgment proves the claim was
//! sent, so a claim still `batched` is first marked `submitted` (its own history event),
//! then `accepted` or `rejected`. A claim that has already moved past what the
//! acknowledgment says (adjudicated by an 835, or rejected earlier) keeps its status; the
//! verdict is still recorded.

mod apply277;
mod apply999;
mod record;
pub mod words;

use crate::claims::ClaimError;
use crate::db::{now_utc, Actor, Change, Db, DbError};
use crate::documents::sha256_hex;
use crate::x12::{Reader, Role, X12Error};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// What importing one acknowledgment file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AckSummary {
    /// `999` or `277ca`.
    pub kind: String,
    /// Batches the 999 accepted (A or E).
    pub batches_accepted: u32,
    /// Batches the 999 rejected.
    pub batches_rejected: u32,
    /// Claims moved to accepted.
    pub claims_accepted: u32,
    /// Claims moved to rejected (each also on the work queue).
    pub claims_rejected: u32,
    /// Verdicts recorded without a status move (pending statuses, claims already past it).
    pub unchanged: u32,
    /// Verdicts that match no batch or claim of ours, kept on the unmatched list.
    pub unmatched: u32,
    /// True when nothing was done because this file was imported before.
    pub duplicate: bool,
}

/// An acknowledgment verdict on file, as the unmatched list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AckVerdict {
    pub id: i64,
    /// `999` or `277ca`.
    pub kind: String,
    pub file_name: String,
    pub batch_id: Option<i64>,
    pub claim_id: Option<i64>,
    /// What the acknowledgment named: `GS06/ST02` for a 999, CLM01 for a 277CA.
    pub control_number: String,
    /// `accepted`, `rejected` or `other`.
    pub verdict: String,
    /// The errors or status codes in words.
    pub reason: String,
    pub created_at: String,
}

/// Why an acknowledgment could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum AckError {
    /// The file does not read: the first problem, positioned, and how many.
    #[error("{file} was not imported: {first}{}", if *count > 1 { format!(" (and {} more problem(s))", count - 1) } else { String::new() })]
    Unreadable { file: String, first: Box<X12Error>, count: usize },
    /// The file holds neither a 999 nor a 277CA.
    #[error("{file} holds no 999 or 277CA acknowledgment (its first transaction set is {found})")]
    NotAnAck { file: String, found: String },
    /// The accepted or rejected batch's outbox file could not be marked.
    #[error("the batch's outbox file could not be marked: {0}")]
    Outbox(Box<crate::sync::SyncError>),
    #[error(transparent)]
    Claim(#[from] ClaimError),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::sqlite_errors!(AckError);

/// Imports the 999 or 277CA in `bytes` (named `file_name` in messages) as one transaction on
/// behalf of `actor`. A file that does not read is refused with its first positioned problem
/// and nothing changes; a file imported before changes nothing and comes back with
/// `duplicate: true`.
pub fn import(db: &mut Db, actor: &Actor, bytes: &[u8], file_name: &str) -> Result<AckSummary, AckError> {
    db.write(actor, |c| import_in(c, bytes, file_name))
}

/// Imports an acknowledgment the sync inbox fetched, inside the change that marks the file
/// imported (the inbox's importer contract, registered for 999 and 277).
pub fn import_fetched(c: &Change<'_>, bytes: &[u8]) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let s = import_in(c, bytes, "clearinghouse acknowledgment")?;
    Ok(if s.duplicate {
        "already imported: nothing changed".into()
    } else {
        format!(
            "{}: {} batch(es) accepted, {} rejected; {} claim(s) accepted, {} rejected; {} unmatched",
            s.kind, s.batches_accepted, s.batches_rejected, s.claims_accepted, s.claims_rejected, s.unmatched
        )
    })
}

/// Acknowledgment verdicts that match none of our batches or claims, oldest first.
pub fn unmatched(conn: &Connection) -> Result<Vec<AckVerdict>, AckError> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.kind, f.file_name, v.batch_id, v.claim_id, v.control_number, v.verdict, v.reason, v.created_at
         FROM ack_verdicts v JOIN remit_files f ON f.id = v.file_id
         WHERE v.batch_id IS NULL AND v.claim_id IS NULL AND v.resolved_at IS NULL ORDER BY v.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AckVerdict {
            id: r.get(0)?,
            kind: r.get(1)?,
            file_name: r.get(2)?,
            batch_id: r.get(3)?,
            claim_id: r.get(4)?,
            control_number: r.get(5)?,
            verdict: r.get(6)?,
            reason: r.get(7)?,
            created_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// ST01 of the first transaction set in `bytes`, or what stops the reading.
fn first_set(bytes: &[u8]) -> Result<Option<String>, X12Error> {
    let mut reader = Reader::new(bytes);
    while let Some(item) = reader.next_item()? {
        if item.role == Role::SetStart {
            return Ok(Some(item.set_id.to_string()));
        }
    }
    Ok(None)
}

/// The first of `problems` by position, as the error that refuses the file.
fn refuse<'a>(file_name: &str, problems: impl IntoIterator<Item = &'a X12Error>) -> Result<(), AckError> {
    let problems: Vec<&X12Error> = problems.into_iter().collect();
    match problems.iter().min_by_key(|p| p.at.segment) {
        None => Ok(()),
        Some(first) => Err(AckError::Unreadable {
            file: file_name.to_string(),
            first: Box::new((*first).clone()),
            count: problems.len(),
        }),
    }
}

/// Imports the acknowledgment in `bytes` inside the caller's change (the sync inbox, the demo).
pub(crate) fn import_in(c: &Change<'_>, bytes: &[u8], file_name: &str) -> Result<AckSummary, AckError> {
    let unreadable =
        |first: X12Error| AckError::Unreadable { file: file_name.to_string(), first: Box::new(first), count: 1 };
    let set = first_set(bytes).map_err(unreadable)?;
    let kind = match set.as_deref() {
        Some("999") => "999",
        Some("277") => "277ca",
        other => {
            return Err(AckError::NotAnAck {
                file: file_name.to_string(),
                found: other.map_or_else(|| "missing".to_string(), |s| format!("a {s}")),
            })
        }
    };
    let hash = sha256_hex(bytes);
    let conn = c.conn();
    let seen: Option<i64> =
        conn.query_row("SELECT id FROM remit_files WHERE sha256 = ?1", [&hash], |r| r.get(0)).optional()?;
    if let Some(id) = seen {
        c.audit("import", "remit_file", Some(id), &format!("{kind} {file_name} was imported before; nothing changed"))?;
        return Ok(AckSummary { kind: kind.to_string(), duplicate: true, ..AckSummary::default() });
    }
    let mut summary = AckSummary { kind: kind.to_string(), ..AckSummary::default() };
    let file = |c: &Change<'_>| -> Result<i64, AckError> {
        c.conn().execute(
            "INSERT INTO remit_files (kind, file_name, sha256, size, imported_at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![kind, file_name, hash, bytes.len() as i64, now_utc(), c.actor().name()],
        )?;
        Ok(c.conn().last_insert_rowid())
    };
    let file_id = if kind == "999" {
        let parsed = crate::x12::ack999::read(bytes).map_err(unreadable)?;
        refuse(file_name, parsed.problems.iter().chain(parsed.sets.iter().flat_map(|s| &s.problems)))?;
        let file_id = file(c)?;
        for ack in &parsed.sets {
            apply999::apply(c, file_id, file_name, ack, &mut summary)?;
        }
        file_id
    } else {
        let parsed = crate::x12::ack277ca::read(bytes).map_err(unreadable)?;
        refuse(file_name, parsed.problems.iter().chain(parsed.sets.iter().flat_map(|s| &s.problems)))?;
        let file_id = file(c)?;
        for ack in &parsed.sets {
            apply277::apply(c, file_id, file_name, ack, &mut summary)?;
        }
        file_id
    };
    c.audit(
        "import",
        "remit_file",
        Some(file_id),
        &format!(
            "{kind} {file_name}: {} batch(es) accepted, {} rejected; {} claim(s) accepted, {} rejected; {} unmatched",
            summary.batches_accepted,
            summary.batches_rejected,
            summary.claims_accepted,
            summary.claims_rejected,
            summary.unmatched
        ),
    )?;
    Ok(summary)
}
