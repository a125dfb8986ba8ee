//! The claim scrubber: every rule a claim must pass before it is sent, all problems at once.
//!
//! A problem with [`Severity::Error`] blocks the claim (the payer would reject or deny it); a
//! [`Severity::Warning`] informs. Each rule has an id, cites its source (see [`RULES`]) and
//! says which record to open to fix it ([`Fix`]). [`scrub_all`] moves clean drafts to ready
//! and ready claims that no longer pass back to draft.

mod facts;
mod rules;

pub use facts::{Facts, LineFacts, Run};
pub use rules::{Rule, RULES};

use super::store::{for_run, move_all};
use super::{Claim, ClaimError, ClaimStatus};
use crate::db::Change;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// How much a problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ScrubSeverity")]
pub enum Severity {
    /// The claim may not be sent until it is fixed.
    Error,
    /// Worth a look; the claim may still be sent.
    Warning,
}

/// The record a biller opens to fix a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "screen", content = "id", rename_all = "snake_case")]
#[ts(export)]
pub enum Fix {
    Supplier,
    Patient(i64),
    Coverage(i64),
    Practitioner(i64),
    /// The claim's order (none for a claim built without one).
    Order(Option<i64>),
    /// The patient's documents.
    Documents(i64),
    DocumentRules,
    /// The payer's fee schedule.
    Fees(i64),
    Catalog,
    /// The claims list itself.
    Claims,
}

/// One problem found on a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Finding {
    /// The rule's id, like `pecos` or `modifiers`.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub fix: Fix,
}

/// A claim after scrubbing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ScrubResult {
    pub claim_id: i64,
    pub control_number: String,
    /// The claim's status after the scrub.
    pub status: ClaimStatus,
    pub problems: Vec<Finding>,
}

impl ScrubResult {
    /// True when no problem blocks the claim.
    pub fn is_clean(&self) -> bool {
        self.problems.iter().all(|p| p.severity != Severity::Error)
    }
}

/// Every problem the rules find in `facts`, in rule order.
pub fn check(facts: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        rule.run(facts, &mut out);
    }
    out
}

/// Scrubs `claim` as of `today`, changing nothing.
pub fn scrub(conn: &Connection, claim: Claim, today: NaiveDate) -> Result<Vec<Finding>, ClaimError> {
    Ok(check(&Run::new(conn, today)?.facts(claim)?))
}

/// Scrubs every draft and ready claim: clean drafts become ready, ready claims with an error
/// go back to draft.
pub fn scrub_all(c: &Change<'_>, today: NaiveDate) -> Result<Vec<ScrubResult>, ClaimError> {
    let conn = c.conn();
    let claims = for_run(conn, &[ClaimStatus::Draft, ClaimStatus::Ready], None)?;
    let mut run = Run::new(conn, today)?;
    let mut results = Vec::with_capacity(claims.len());
    // Claims moving the same way with the same note move together.
    let mut moves: BTreeMap<(ClaimStatus, ClaimStatus, String), Vec<i64>> = BTreeMap::new();
    for claim in claims {
        let (id, control_number, mut status) = (claim.id, claim.control_number.clone(), claim.status);
        let problems = check(&run.facts(claim)?);
        let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
        let to = if errors == 0 { ClaimStatus::Ready } else { ClaimStatus::Draft };
        if to != status {
            let note =
                if errors == 0 { "scrubbed clean".to_string() } else { format!("scrub found {errors} error(s)") };
            moves.entry((status, to, note)).or_default().push(id);
            status = to;
        }
        results.push(ScrubResult { claim_id: id, control_number, status, problems });
    }
    for ((from, to, note), ids) in moves {
        move_all(c, &ids, from, to, &note)?;
    }
    let ready = results.iter().filter(|r| r.status == ClaimStatus::Ready).count();
    c.audit("scrub", "claim", None, &format!("{} claim(s) scrubbed, {ready} ready", results.len()))?;
    Ok(results)
}

#[cfg(test)]
mod tests;
