//! 837P batches: every ready claim of one payer written into one file, kept byte for byte in
//! `claim_batches` with its SHA-256, its claims marked batched.
//!
//! The envelope's ids come from settings, so a supplier can send through a clearinghouse:
//! `x12.submitter_id` (default: the supplier's NPI), `x12.receiver_id` and `x12.receiver_name`
//! (default: the payer's electronic payer id and name), `x12.production` (`true` for ISA15
//! `P`, else test files). ISA13/GS06/ST02 come from the never-reused counters.

use super::control::{self, ControlKind};
use super::correct::close_corrected;
use super::resolve::{billing_provider, resolve_in};
use super::store::{for_run, move_all};
use super::x837::{write_837p, Batch, Envelope};
use super::{ClaimError, ClaimStatus};
use crate::db::{json_ids, now_utc, Change};
use crate::documents::{sha256_hex, Reference};
use crate::money::Money;
use crate::payers;
use crate::settings;
use crate::supplier;
use crate::sync::outbox::{self, OutboxKind};
use chrono::NaiveDateTime;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A batch file on file (without its bytes; see [`batch_content`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ClaimBatch {
    pub id: i64,
    pub receiver_id: String,
    /// ISA13.
    pub interchange_control: i64,
    pub file_name: String,
    pub sha256: String,
    pub claim_count: i64,
    pub total_charge: Money,
    pub status: String,
    pub created_at: String,
}

fn counter(c: &Change<'_>, kind: ControlKind) -> Result<u32, ClaimError> {
    let n = control::next(c, kind)?;
    u32::try_from(n).map_err(|_| ClaimError::Db(crate::db::DbError::Exhausted("control numbers")))
}

/// Writes every ready claim of payer `payer_id` into one 837P file created at `now`, stores
/// it and marks the claims batched; a replacement or void among them closes the claim it
/// corrects.
pub fn create_batch(c: &Change<'_>, payer_id: i64, now: NaiveDateTime) -> Result<(ClaimBatch, Vec<u8>), ClaimError> {
    let conn = c.conn();
    let payer = payers::get(conn, payer_id)?;
    let ready = for_run(conn, &[ClaimStatus::Ready], Some(payer_id))?;
    if ready.is_empty() {
        return Err(ClaimError::NothingReady(payer.name));
    }
    let supplier = supplier::get(conn)?.ok_or(ClaimError::NoSupplier)?;
    let receiver_id = match settings::get(conn, settings::X12_RECEIVER_ID)?.or(payer.payer_id.clone()) {
        Some(id) => id,
        None => return Err(ClaimError::NoReceiver(payer.name)),
    };
    let mut reference = Reference::new(conn)?;
    let claims = ready.iter().map(|claim| resolve_in(&mut reference, claim)).collect::<Result<_, _>>()?;
    let ids: Vec<i64> = ready.iter().map(|claim| claim.id).collect();
    let envelope = Envelope {
        submitter_id: settings::get(conn, settings::X12_SUBMITTER_ID)?.unwrap_or_else(|| supplier.npi.clone()),
        submitter_name: supplier.legal_name.clone(),
        contact_name: supplier.contact_name.clone().unwrap_or_else(|| supplier.legal_name.clone()),
        contact_phone: supplier.phone.chars().filter(char::is_ascii_digit).collect(),
        receiver_id: receiver_id.clone(),
        receiver_name: settings::get(conn, settings::X12_RECEIVER_NAME)?.unwrap_or_else(|| payer.name.clone()),
        interchange_control: counter(c, ControlKind::Interchange)?,
        group_control: counter(c, ControlKind::Group)?,
        set_control: counter(c, ControlKind::Set)?,
        created: now,
        production: settings::get(conn, settings::X12_PRODUCTION)?.is_some_and(|v| v == "true"),
    };
    let batch = Batch { billing: billing_provider(&supplier), claims, envelope };
    let content = write_837p(Vec::new(), &batch)?;
    let total: Money = batch.claims.iter().map(|c| c.total_charge()).sum();
    let e = &batch.envelope;
    let file_name = format!("hmedesk-{:09}.837", e.interchange_control);
    conn.execute(
        "INSERT INTO claim_batches (receiver_id, interchange_control, group_control, set_control, file_name, content,
            sha256, claim_count, total_charge, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            receiver_id,
            e.interchange_control,
            e.group_control,
            e.set_control,
            file_name,
            content,
            sha256_hex(&content),
            ids.len(),
            total,
            now_utc()
        ],
    )?;
    let batch_id = conn.last_insert_rowid();
    let note = format!("batch {batch_id} ({file_name})");
    conn.prepare_cached("UPDATE claims SET batch_id = ?2 WHERE id IN (SELECT value FROM json_each(?1))")?
        .execute(params![json_ids(&ids), batch_id])?;
    move_all(c, &ids, ClaimStatus::Ready, ClaimStatus::Batched, &note)?;
    close_corrected(c, &ready, &note)?;
    c.audit("create", "claim_batch", Some(batch_id), &format!("{file_name}: {} claim(s), {total}", ids.len()))?;
    outbox::enqueue(c, OutboxKind::Claims837p, &file_name, &content)?;
    Ok((get_batch(conn, batch_id)?, content))
}

/// Records that the batch file with hash `sha256` reached the clearinghouse: the batch is
/// `sent` and its claims move from batched to submitted. Called by the sync outbox for every
/// file it sends; a file that is no claim batch (a 270) changes nothing.
pub fn batch_sent(c: &Change<'_>, sha256: &str) -> Result<(), ClaimError> {
    let conn = c.conn();
    let found: Option<i64> = conn
        .query_row("SELECT id FROM claim_batches WHERE sha256 = ?1 AND status = 'created'", [sha256], |r| r.get(0))
        .optional()?;
    let Some(batch_id) = found else {
        return Ok(());
    };
    conn.execute("UPDATE claim_batches SET status = 'sent' WHERE id = ?1", [batch_id])?;
    let mut stmt =
        conn.prepare_cached("SELECT id FROM claims WHERE batch_id = ?1 AND status = 'batched' ORDER BY id")?;
    let ids: Vec<i64> = stmt.query_map([batch_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let note = format!("batch {batch_id} sent to the clearinghouse");
    move_all(c, &ids, ClaimStatus::Batched, ClaimStatus::Submitted, &note)
}

const BATCH_COLUMNS: &str =
    "id, receiver_id, interchange_control, file_name, sha256, claim_count, total_charge, status, created_at";

fn batch_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ClaimBatch> {
    Ok(ClaimBatch {
        id: r.get(0)?,
        receiver_id: r.get(1)?,
        interchange_control: r.get(2)?,
        file_name: r.get(3)?,
        sha256: r.get(4)?,
        claim_count: r.get(5)?,
        total_charge: r.get(6)?,
        status: r.get(7)?,
        created_at: r.get(8)?,
    })
}

/// Batch `id`.
pub fn get_batch(conn: &Connection, id: i64) -> Result<ClaimBatch, ClaimError> {
    conn.query_row(&format!("SELECT {BATCH_COLUMNS} FROM claim_batches WHERE id = ?1"), [id], batch_from_row)
        .optional()?
        .ok_or(ClaimError::NoBatch(id))
}

/// Every batch, newest first.
pub fn list_batches(conn: &Connection) -> Result<Vec<ClaimBatch>, ClaimError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {BATCH_COLUMNS} FROM claim_batches ORDER BY id DESC"))?;
    let rows = stmt.query_map([], batch_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The 837P file of batch `id`, byte for byte as written (for re-sending and the outbox).
pub fn batch_content(conn: &Connection, id: i64) -> Result<Vec<u8>, ClaimError> {
    conn.query_row("SELECT content FROM claim_batches WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or(ClaimError::NoBatch(id))
}
