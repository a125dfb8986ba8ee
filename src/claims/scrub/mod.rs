//! The claim scrubber: every rule a claim must pass before it is sent, all problems at once.
//!
//! A problem with [`Severity::Error`] blocks the claim (the payer would reject or deny it); a
//! [`Severity::Warning`] informs. Each rule has an id, cites its source (see [`RULES`]) and
//! says which record to open to fix it ([`Fix`]). [`scrub_all`] moves clean drafts to ready
//! and ready claims that no longer pass back to draft.

mod facts;
mod rules;

pub use facts::{Facts, LineFacts};
pub use rules::{Rule, RULES};

use super::{get, move_status, Claim, ClaimError, ClaimStatus};
use crate::db::Change;
use crate::documents::Reference;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

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
    Ok(check(&Facts::load(&mut Reference::new(conn)?, claim, today)?))
}

/// Scrubs every draft and ready claim: clean drafts become ready, ready claims with an error
/// go back to draft.
pub fn scrub_all(c: &Change<'_>, today: NaiveDate) -> Result<Vec<ScrubResult>, ClaimError> {
    let conn = c.conn();
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM claims WHERE status IN ('draft', 'ready') ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut reference = Reference::new(conn)?;
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        let claim = get(conn, id)?;
        let (control_number, mut status) = (claim.control_number.clone(), claim.status);
        let problems = check(&Facts::load(&mut reference, claim, today)?);
        let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
        let to = if errors == 0 { ClaimStatus::Ready } else { ClaimStatus::Draft };
        if to != status {
            let note =
                if errors == 0 { "scrubbed clean".to_string() } else { format!("scrub found {errors} error(s)") };
            move_status(c, id, to, Some(&note))?;
            status = to;
        }
        results.push(ScrubResult { claim_id: id, control_number, status, problems });
    }
    let ready = results.iter().filter(|r| r.status == ClaimStatus::Ready).count();
    c.audit("scrub", "claim", None, &format!("{} claim(s) scrubbed, {ready} ready", results.len()))?;
    Ok(results)
}

#[cfg(test)]
mod tests;
