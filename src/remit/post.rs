//! Posting an 835: the whole file in one transaction, refused whole when it does not read or
//! balance, and posted only once (by content hash, and by payer + trace number).

use super::carc::{describe_carc, describe_rarc, Actions, CarcAction};
use super::lines::{self, BilledLine};
use super::{secondary, PostingSummary, RemitError};
use crate::claims::{self, ClaimStatus};
use crate::db::{now_utc, Actor, Change, Db};
use crate::documents::sha256_hex;
use crate::money::Money;
use crate::x12::remit835::{
    Adjustment, AdjustmentGroup, Claim, ClaimStatus as Clp02, Payment, RemitEvent, RemitReader, Settlement,
};
use crate::x12::X12Error;
use rusqlite::{params, OptionalExtension};

/// Why a posting stopped: a real failure, or a file already posted (rolled back quietly).
enum Stop {
    Duplicate,
    Failed(RemitError),
}

impl<E: Into<RemitError>> From<E> for Stop {
    fn from(e: E) -> Stop {
        Stop::Failed(e.into())
    }
}

/// Posts the 835 in `bytes` (named `file_name` in messages and the payments list) as one
/// transaction on behalf of `actor`. A file that does not read or balance is refused with
/// its first positioned problem and nothing changes; a file (or a payment in it) posted
/// before posts nothing and comes back with `duplicate: true`.
pub fn import(db: &mut Db, actor: &Actor, bytes: &[u8], file_name: &str) -> Result<PostingSummary, RemitError> {
    match db.write(actor, |c| post_file(c, bytes, file_name)) {
        Ok(summary) => Ok(summary),
        Err(Stop::Duplicate) => Ok(PostingSummary { duplicate: true, ..PostingSummary::default() }),
        Err(Stop::Failed(e)) => Err(e),
    }
}

/// Posts an 835 the sync inbox fetched, inside the change that marks the file imported (the
/// inbox's importer contract).
pub fn import_fetched(c: &Change<'_>, bytes: &[u8]) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let s = import_in(c, bytes, "clearinghouse 835")?;
    Ok(if s.duplicate {
        "already posted: nothing changed".into()
    } else {
        format!(
            "{} payment(s), {} claim(s) posted, {} unmatched, {} paid",
            s.payments, s.claims_matched, s.claims_unmatched, s.paid_total
        )
    })
}

/// Posts the 835 in `bytes` inside the caller's change (the sync inbox, the demo). A
/// savepoint keeps a refused file or a duplicate payment from leaving a partial posting
/// behind: a duplicate is undone and comes back with `duplicate: true`, which is not an error.
pub(crate) fn import_in(c: &Change<'_>, bytes: &[u8], file_name: &str) -> Result<PostingSummary, RemitError> {
    let conn = c.conn();
    conn.execute_batch("SAVEPOINT remit_in")?;
    let outcome = post_file(c, bytes, file_name);
    if outcome.is_err() {
        conn.execute_batch("ROLLBACK TO remit_in")?;
    }
    conn.execute_batch("RELEASE remit_in")?;
    match outcome {
        Ok(summary) => Ok(summary),
        Err(Stop::Duplicate) => Ok(PostingSummary { duplicate: true, ..PostingSummary::default() }),
        Err(Stop::Failed(e)) => Err(e),
    }
}

/// Problems found so far: posting stops at the first, reading goes on to count the rest.
struct Problems {
    file: String,
    first: Option<X12Error>,
    count: usize,
}

impl Problems {
    fn add<'a>(&mut self, found: impl IntoIterator<Item = &'a X12Error>) {
        for p in found {
            self.count += 1;
            if self.first.as_ref().is_none_or(|f| p.at.segment < f.at.segment) {
                self.first = Some(p.clone());
            }
        }
    }

    fn finish(self) -> Result<(), RemitError> {
        match self.first {
            None => Ok(()),
            Some(first) => Err(RemitError::Unreadable { file: self.file, first: Box::new(first), count: self.count }),
        }
    }
}

fn post_file(c: &Change<'_>, bytes: &[u8], file_name: &str) -> Result<PostingSummary, Stop> {
    let hash = sha256_hex(bytes);
    let conn = c.conn();
    let seen: Option<i64> =
        conn.query_row("SELECT id FROM remit_files WHERE sha256 = ?1", [&hash], |r| r.get(0)).optional()?;
    if seen.is_some() {
        return Err(Stop::Duplicate);
    }
    conn.execute(
        "INSERT INTO remit_files (kind, file_name, sha256, size, imported_at, actor) VALUES ('835', ?1, ?2, ?3, ?4, ?5)",
        params![file_name, hash, bytes.len() as i64, now_utc(), c.actor().name()],
    )?;
    let file_id = conn.last_insert_rowid();
    let actions = Actions::load(conn)?;
    let mut summary = PostingSummary::default();
    let mut problems = Problems { file: file_name.to_string(), first: None, count: 0 };
    let mut payment_id = None;
    let mut reader = RemitReader::new(bytes);
    while let Some(event) = reader.next_event().map_err(|first| RemitError::Unreadable {
        file: file_name.to_string(),
        first: Box::new(first),
        count: 1,
    })? {
        match event {
            RemitEvent::Payment(p) => {
                problems.add(&p.problems);
                if problems.count == 0 {
                    payment_id = Some(post_payment(c, file_id, p)?);
                    summary.payments += 1;
                }
            }
            RemitEvent::Claim(claim) => {
                problems.add(&claim.problems);
                if let (0, Some(payment)) = (problems.count, payment_id) {
                    post_claim(c, payment, claim, &actions, &mut summary)?;
                }
            }
            RemitEvent::Settlement(s) => {
                problems.add(&s.problems);
                if let (0, Some(payment)) = (problems.count, payment_id.take()) {
                    settle(c, payment, s, &mut summary)?;
                }
            }
        }
    }
    problems.add(reader.problems());
    problems.finish()?;
    if summary.payments == 0 {
        return Err(RemitError::Empty(file_name.to_string()).into());
    }
    c.audit(
        "import",
        "remit_file",
        Some(file_id),
        &format!(
            "835 {file_name}: {} payment(s), {} claim(s) posted, {} unmatched, paid {}",
            summary.payments, summary.claims_matched, summary.claims_unmatched, summary.paid_total
        ),
    )
    .map_err(RemitError::from)?;
    Ok(summary)
}

fn post_payment(c: &Change<'_>, file_id: i64, p: &Payment) -> Result<i64, Stop> {
    let conn = c.conn();
    let seen: Option<i64> = conn
        .query_row(
            "SELECT id FROM payments WHERE trace_originator = ?1 AND trace_number = ?2",
            [&p.trace_originator, &p.trace_number],
            |r| r.get(0),
        )
        .optional()?;
    if seen.is_some() {
        return Err(Stop::Duplicate);
    }
    let amount = if p.credit_debit == "D" { -p.total } else { p.total };
    conn.execute(
        "INSERT INTO payments (file_id, payer_name, payer_id, trace_number, trace_originator, method, paid_on, amount,
            claims_paid, plb_total)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0)",
        params![file_id, p.payer.name, p.payer.id, p.trace_number, p.trace_originator, p.method, p.date, amount],
    )?;
    Ok(conn.last_insert_rowid())
}

fn settle(c: &Change<'_>, payment: i64, s: &Settlement, summary: &mut PostingSummary) -> Result<(), RemitError> {
    let conn = c.conn();
    let mut insert = conn.prepare_cached(
        "INSERT INTO provider_adjustments (payment_id, provider, fiscal_period_end, reason, reference, amount, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut plb = Money::default();
    for a in &s.provider_adjustments {
        let kind = match a.reason.as_str() {
            "L6" => "interest",
            "FB" => "forward_balance",
            "WO" | "72" => "recoupment",
            _ => "other",
        };
        insert.execute(params![
            payment,
            a.provider,
            a.fiscal_period_end,
            a.reason.as_str(),
            a.reference,
            a.amount,
            kind
        ])?;
        plb += a.amount;
    }
    conn.execute(
        "UPDATE payments SET claims_paid = ?2, plb_total = ?3 WHERE id = ?1",
        params![payment, s.claims_paid, plb],
    )?;
    summary.paid_total += s.claims_paid;
    summary.plb_total += plb;
    Ok(())
}

/// What posting decides for one CAS adjustment.
fn posting(group: AdjustmentGroup, reason: &str, actions: &Actions) -> &'static str {
    match group {
        AdjustmentGroup::PatientResponsibility => match reason {
            "1" => "deductible",
            "2" => "coinsurance",
            "3" => "copay",
            _ => "patient",
        },
        _ if actions.get(reason) == CarcAction::Workqueue => "open",
        AdjustmentGroup::Contractual => "contractual",
        AdjustmentGroup::Other | AdjustmentGroup::PayerInitiated => "other",
    }
}

fn group_code(group: AdjustmentGroup) -> &'static str {
    match group {
        AdjustmentGroup::Contractual => "CO",
        AdjustmentGroup::PatientResponsibility => "PR",
        AdjustmentGroup::Other => "OA",
        AdjustmentGroup::PayerInitiated => "PI",
    }
}

fn clp02_code(status: Option<Clp02>) -> &'static str {
    match status {
        Some(Clp02::Primary) => "1",
        Some(Clp02::Secondary) => "2",
        Some(Clp02::Tertiary) => "3",
        Some(Clp02::Denied) => "4",
        Some(Clp02::PrimaryForwarded) => "19",
        Some(Clp02::SecondaryForwarded) => "20",
        Some(Clp02::TertiaryForwarded) => "21",
        Some(Clp02::Reversal) => "22",
        Some(Clp02::NotOurClaim) => "23",
        Some(Clp02::PredeterminationOnly) => "25",
        None => "",
    }
}

fn joined<'a>(codes: impl IntoIterator<Item = &'a crate::x12::Code>) -> String {
    codes.into_iter().map(|c| c.as_str()).collect::<Vec<_>>().join(":")
}

fn unmatched(
    c: &Change<'_>,
    payment: i64,
    claim: &Claim,
    reason: &str,
    summary: &mut PostingSummary,
) -> Result<(), RemitError> {
    c.conn().execute(
        "INSERT INTO unmatched_remits (payment_id, control_number, patient_name, member_id, status_code, charge, paid,
            payer_claim_number, reason, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            payment,
            claim.patient_control_number,
            format!("{}, {}", claim.patient.last_name, claim.patient.first_name),
            claim.patient.member_id,
            clp02_code(claim.status),
            claim.charge,
            claim.paid,
            claim.payer_claim_number,
            reason,
            now_utc()
        ],
    )?;
    summary.claims_unmatched += 1;
    Ok(())
}

fn post_claim(
    c: &Change<'_>,
    payment: i64,
    claim: &Claim,
    actions: &Actions,
    summary: &mut PostingSummary,
) -> Result<(), RemitError> {
    let conn = c.conn();
    let found: Option<(i64, ClaimStatus)> = conn
        .prepare_cached("SELECT id, status FROM claims WHERE control_number = ?1")?
        .query_row([claim.patient_control_number.trim()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((claim_id, status)) = found else {
        return unmatched(c, payment, claim, "no claim of ours has this control number", summary);
    };
    let reversal = claim.status == Some(Clp02::Reversal);
    match status {
        ClaimStatus::Submitted
        | ClaimStatus::Accepted
        | ClaimStatus::Paid
        | ClaimStatus::PartlyPaid
        | ClaimStatus::Denied => {}
        // A payer taking a replacement or void reverses the claim it corrects, which its batch closed.
        ClaimStatus::Closed if reversal => {}
        ClaimStatus::Closed => {
            let reason = format!(
                "claim {} is closed (replaced, voided or never sent): only a reversal of its payment posts to it",
                claim.patient_control_number
            );
            return unmatched(c, payment, claim, &reason, summary);
        }
        ClaimStatus::Draft | ClaimStatus::Ready | ClaimStatus::Batched | ClaimStatus::Rejected => {
            let reason = format!(
                "claim {} is {status}: it was never sent, so a payment cannot post to it",
                claim.patient_control_number
            );
            return unmatched(c, payment, claim, &reason, summary);
        }
    }
    if reversal {
        return reverse(c, payment, claim_id, status, claim, summary);
    }
    conn.prepare_cached(
        "INSERT INTO claim_adjudications (payment_id, claim_id, status_code, charge, paid, patient_responsibility,
            payer_claim_number, remarks)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        payment,
        claim_id,
        clp02_code(claim.status),
        claim.charge,
        claim.paid,
        claim.patient_responsibility,
        claim.payer_claim_number,
        joined(&claim.remarks)
    ])?;
    let adjudication = conn.last_insert_rowid();
    let billed = billed_lines(c, claim_id)?;
    let mut taken = vec![false; billed.len()];
    let mut open_reasons: Vec<String> = Vec::new();
    let mut recorded = Recorded::default();
    let mut insert_line = conn.prepare_cached(
        "INSERT INTO line_adjudications (adjudication_id, claim_line_id, hcpcs, modifiers, service_date, charge, paid,
            allowed, units_paid, remarks)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for svc in &claim.lines {
        let line_id = lines::find(&billed, &taken, svc).map(|i| {
            taken[i] = true;
            billed[i].id
        });
        insert_line.execute(params![
            adjudication,
            line_id,
            svc.procedure.code,
            joined(&svc.procedure.modifiers),
            svc.service_date.or(svc.period_start),
            svc.charge,
            svc.paid,
            svc.allowed,
            svc.units_paid.map(|u| u.to_string()),
            joined(&svc.remarks)
        ])?;
        let line_adjudication = conn.last_insert_rowid();
        recorded.add(c, adjudication, Some(line_adjudication), &svc.adjustments, actions, &mut open_reasons)?;
        open_reasons.extend(svc.remarks.iter().map(|r| format!("{r}: {}", describe_rarc(r))));
        summary.lines_posted += 1;
    }
    recorded.add(c, adjudication, None, &claim.adjustments, actions, &mut open_reasons)?;
    let denied = claim.status == Some(Clp02::Denied) || (claim.paid.is_zero() && recorded.open);
    let target = if denied {
        ClaimStatus::Denied
    } else if recorded.open {
        ClaimStatus::PartlyPaid
    } else {
        ClaimStatus::Paid
    };
    if denied || recorded.open {
        open_reasons.extend(claim.remarks.iter().map(|r| format!("{r}: {}", describe_rarc(r))));
        open_reasons.dedup();
        let reason = if open_reasons.is_empty() {
            "denied by the payer, no reason given".to_string()
        } else {
            open_reasons.join("; ")
        };
        conn.prepare_cached(
            "INSERT INTO work_queue (kind, claim_id, adjudication_id, reason, created_at) VALUES ('denial', ?1, ?2, ?3, ?4)",
        )?
        .execute(params![claim_id, adjudication, reason, now_utc()])?;
        summary.work_queue += 1;
    }
    if denied {
        summary.claims_denied += 1;
    }
    move_claim(c, claim_id, status, target, &format!("835 CLP02={}, paid {}", clp02_code(claim.status), claim.paid))?;
    if secondary::draft_after(c, claim_id, recorded.patient)? {
        summary.secondary_drafts += 1;
    }
    summary.claims_matched += 1;
    Ok(())
}

/// A payer answers a void (frequency 8) by reversing the claim it voids and sends nothing for
/// the void itself, so that reversal closes the void claim sent for claim `voided`.
fn close_void(c: &Change<'_>, voided: i64, control_number: &str, payment: i64) -> Result<(), RemitError> {
    let void: Option<(i64, ClaimStatus)> = c
        .conn()
        .prepare_cached(
            "SELECT id, status FROM claims
             WHERE corrects_claim_id = ?1 AND frequency = 'void' AND status IN ('submitted', 'accepted')
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([voided], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((id, status)) = void else { return Ok(()) };
    let trace: String = c
        .conn()
        .prepare_cached("SELECT trace_number FROM payments WHERE id = ?1")?
        .query_row([payment], |r| r.get(0))?;
    move_claim(
        c,
        id,
        status,
        ClaimStatus::Closed,
        &format!("the payer voided claim {control_number} (835 trace {trace})"),
    )
}

fn move_claim(c: &Change<'_>, id: i64, from: ClaimStatus, to: ClaimStatus, note: &str) -> Result<(), RemitError> {
    if from != to {
        claims::move_status(c, id, to, Some(note))?;
    }
    Ok(())
}

fn billed_lines(c: &Change<'_>, claim_id: i64) -> Result<Vec<BilledLine>, RemitError> {
    let mut stmt = c.conn().prepare_cached(
        "SELECT id, control_number, hcpcs, modifiers, service_from, service_to FROM claim_lines
         WHERE claim_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([claim_id], |r| {
        Ok(BilledLine {
            id: r.get(0)?,
            control_number: r.get(1)?,
            hcpcs: r.get(2)?,
            modifiers: r.get::<_, String>(3)?.split(':').filter(|m| !m.is_empty()).map(str::to_string).collect(),
            from: r.get(4)?,
            to: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What one claim's adjustments came to as they were recorded, so posting decides the claim's
/// status and its secondary claim without reading them back.
#[derive(Default)]
struct Recorded {
    /// An adjustment was left open for a biller.
    open: bool,
    /// Σ PR adjustments, claim and lines.
    patient: Money,
}

impl Recorded {
    /// Records `adjustments` on adjudication `adjudication` (on its line adjudication `line`,
    /// none for claim level).
    fn add(
        &mut self,
        c: &Change<'_>,
        adjudication: i64,
        line: Option<i64>,
        adjustments: &[Adjustment],
        actions: &Actions,
        open_reasons: &mut Vec<String>,
    ) -> Result<(), RemitError> {
        let mut insert = c.conn().prepare_cached(
            "INSERT INTO remit_adjustments (adjudication_id, line_adjudication_id, group_code, reason, amount, quantity, posting)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for a in adjustments {
            let reason = a.reason.as_str();
            let how = posting(a.group, reason, actions);
            if how == "open" {
                self.open = true;
                open_reasons.push(format!("{}-{reason}: {}", group_code(a.group), describe_carc(reason)));
            }
            if a.group == AdjustmentGroup::PatientResponsibility {
                self.patient += a.amount;
            }
            insert.execute(params![
                adjudication,
                line,
                group_code(a.group),
                reason,
                a.amount,
                a.quantity.map(|q| q.to_string()),
                how
            ])?;
        }
        Ok(())
    }
}

/// CLP02 = 22: writes the exact negation of the claim's last posting not yet reversed, closes
/// the work it queued, takes the claim back to accepted for the corrected claim to post (a
/// claim its replacement or void closed stays closed, and a void is then done:
/// [`close_void`]), and closes or queues its secondary claim ([`secondary::after_reversal`]).
fn reverse(
    c: &Change<'_>,
    payment: i64,
    claim_id: i64,
    status: ClaimStatus,
    claim: &Claim,
    summary: &mut PostingSummary,
) -> Result<(), RemitError> {
    let conn = c.conn();
    let original: Option<(i64, Money)> = conn
        .prepare_cached(
            // `+` keeps SQLite on the claim's index: on reverses_id, where every posting not a
            // reversal is NULL, it would read all of them for each reversal.
            "SELECT a.id, a.paid FROM claim_adjudications a
             WHERE a.claim_id = ?1 AND +a.reverses_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM claim_adjudications r WHERE r.reverses_id = a.id)
             ORDER BY a.id DESC LIMIT 1",
        )?
        .query_row([claim_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((original, posted)) = original else {
        return unmatched(c, payment, claim, "a reversal of a payment that was never posted here", summary);
    };
    if claim.paid != -posted {
        return Err(RemitError::ReversalMismatch {
            claim: claim.patient_control_number.clone(),
            at: claim.at.to_string(),
            reversal: claim.paid,
            posted,
        });
    }
    conn.prepare_cached(
        "INSERT INTO claim_adjudications (payment_id, claim_id, status_code, charge, paid, patient_responsibility,
            payer_claim_number, remarks, reverses_id)
         SELECT ?1, claim_id, '22', -charge, -paid, -patient_responsibility, ?2, remarks, id
         FROM claim_adjudications WHERE id = ?3",
    )?
    .execute(params![payment, claim.payer_claim_number, original])?;
    let reversal = conn.last_insert_rowid();
    let mut lines = conn.prepare_cached("SELECT id FROM line_adjudications WHERE adjudication_id = ?1 ORDER BY id")?;
    let originals: Vec<i64> = lines.query_map([original], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for old in originals {
        conn.prepare_cached(
            "INSERT INTO line_adjudications (adjudication_id, claim_line_id, hcpcs, modifiers, service_date, charge, paid,
                allowed, units_paid, remarks)
             SELECT ?1, claim_line_id, hcpcs, modifiers, service_date, -charge, -paid, -allowed, units_paid, remarks
             FROM line_adjudications WHERE id = ?2",
        )?
        .execute(params![reversal, old])?;
        let new = conn.last_insert_rowid();
        conn.prepare_cached(
            "INSERT INTO remit_adjustments (adjudication_id, line_adjudication_id, group_code, reason, amount, quantity, posting)
             SELECT ?1, ?2, group_code, reason, -amount, quantity, posting FROM remit_adjustments
             WHERE adjudication_id = ?3 AND line_adjudication_id = ?4",
        )?
        .execute(params![reversal, new, original, old])?;
        summary.lines_posted += 1;
    }
    conn.prepare_cached(
        "INSERT INTO remit_adjustments (adjudication_id, line_adjudication_id, group_code, reason, amount, quantity, posting)
         SELECT ?1, NULL, group_code, reason, -amount, quantity, posting FROM remit_adjustments
         WHERE adjudication_id = ?2 AND line_adjudication_id IS NULL",
    )?
    .execute(params![reversal, original])?;
    conn.prepare_cached("UPDATE work_queue SET resolved_at = ?2 WHERE adjudication_id = ?1 AND resolved_at IS NULL")?
        .execute(params![original, now_utc()])?;
    if status == ClaimStatus::Closed {
        close_void(c, claim_id, &claim.patient_control_number, payment)?;
    } else {
        move_claim(c, claim_id, status, ClaimStatus::Accepted, &format!("835 reversal of {posted}"))?;
    }
    let reversed = secondary::Reversal {
        claim_id,
        control_number: &claim.patient_control_number,
        payment_id: payment,
        adjudication_id: reversal,
    };
    let queued = secondary::after_reversal(c, &reversed)?;
    summary.secondary_to_correct += queued;
    summary.work_queue += queued;
    summary.reversals += 1;
    summary.claims_matched += 1;
    Ok(())
}
