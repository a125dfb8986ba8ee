//! Everything the scrub rules look at for one claim, read from the database once, so the
//! rules themselves are pure functions of [`Facts`].

use super::super::resolve::{certification, line_requirements};
use super::super::{Claim, ClaimError};
use crate::catalog::PaymentCategory;
use crate::coverages::{self, Coverage};
use crate::documents::{self, Document, DocumentFilter, DocumentationRule, Reference};
use crate::eligibility;
use crate::orders;
use crate::orders::swo::{self, SwoFacts};
use crate::patients::{self, Patient};
use crate::payers::Payer;
use crate::practitioners::Practitioner;
use crate::rentals::resupply::Fill;
use crate::supplier::{self, Supplier};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

/// What the rules need to know about one service line beyond the line itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineFacts {
    /// The catalog's payment category, when the code is in the catalog.
    pub category: Option<PaymentCategory>,
    /// The payer's documentation rules for this code on this date of service.
    pub required: Vec<DocumentationRule>,
    /// The first signed delivery of the line's order line, when there is one.
    pub delivered_on: Option<NaiveDate>,
    /// Control numbers of other claims to the same coverage with the same code, modifiers and date.
    pub duplicates: Vec<String>,
    /// Earlier quantities of this code billed for the patient (for frequency limits).
    pub history: Vec<Fill>,
    /// Whether the 837P line would carry CMN data (CR3).
    pub has_cmn_data: bool,
}

/// One claim and the records it is checked against.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub claim: Claim,
    pub supplier: Option<Supplier>,
    pub patient: Patient,
    pub coverage: Coverage,
    pub payer: Payer,
    pub practitioner: Option<Practitioner>,
    /// The patient's documents.
    pub documents: Vec<Document>,
    /// What the claim's order lacks as a Standard Written Order (empty when complete or when
    /// the claim has no order): a complete signed order is the SWO a payer rule asks for.
    pub swo_gaps: Vec<String>,
    /// One entry per claim line, in line order.
    pub lines: Vec<LineFacts>,
    /// The last day (up to `today`) an eligibility check found the claim's coverage active.
    pub eligibility_checked_on: Option<NaiveDate>,
    /// How many days such a check counts as recent (`eligibility.max_age_days`).
    pub eligibility_max_age_days: i64,
    pub today: NaiveDate,
}

fn first_delivery(conn: &Connection, order_line_id: Option<i64>) -> Result<Option<NaiveDate>, ClaimError> {
    let Some(id) = order_line_id else { return Ok(None) };
    Ok(conn
        .prepare_cached(
            "SELECT MIN(d.delivered_on) FROM delivery_items i JOIN deliveries d ON d.id = i.delivery_id
             WHERE i.order_line_id = ?1 AND d.status = 'delivered'",
        )?
        .query_row([id], |r| r.get(0))?)
}

/// The claim order's Standard Written Order gaps, read with the claim's patient and the
/// run's practitioners (the order is almost always the claim's patient's and prescriber's).
fn swo_gaps(reference: &mut Reference<'_>, order_id: i64, patient: &Patient) -> Result<Vec<String>, ClaimError> {
    let conn = reference.conn();
    let order = orders::get(conn, order_id)?;
    let other;
    let patient = if order.patient_id == patient.id {
        patient
    } else {
        other = patients::get(conn, order.patient_id)?;
        &other
    };
    let practitioner = reference.practitioner(order.practitioner_id)?;
    Ok(swo::check(&SwoFacts::of(&order, patient, practitioner)).iter().map(|g| g.message()).collect())
}

/// Driven from the coverage's claims (`CROSS JOIN` fixes the order, `+` keeps the code off
/// the index): starting from every line with the code and date grows with the whole book. The
/// claim it follows and the claim it corrects bill the same service by design.
fn duplicates(conn: &Connection, claim: &Claim, line: &super::super::ClaimLine) -> Result<Vec<String>, ClaimError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT c.control_number FROM claims c CROSS JOIN claim_lines l ON l.claim_id = c.id
         WHERE c.coverage_id = ?1 AND +l.hcpcs = ?2 AND l.modifiers = ?3 AND l.service_from = ?4
           AND c.id <> ?5 AND c.id IS NOT ?6 AND c.id IS NOT ?7 AND c.frequency <> 'void'
           AND c.status NOT IN ('rejected', 'closed')",
    )?;
    let rows = stmt.query_map(
        params![
            claim.coverage_id,
            line.hcpcs,
            crate::catalog::join_modifiers(&line.modifiers),
            line.service_from,
            claim.id,
            claim.related_claim_id,
            claim.corrects_claim_id
        ],
        |r| r.get(0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Driven from the patient's claims, for the reason [`duplicates`] gives. A secondary claim, or
/// a correction of one (a correction that follows a claim), bills a fill its primary counts.
fn history(conn: &Connection, claim: &Claim, hcpcs: &str) -> Result<Vec<Fill>, ClaimError> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.service_from, l.units FROM claims c CROSS JOIN claim_lines l ON l.claim_id = c.id
         WHERE c.patient_id = ?1 AND +l.hcpcs = ?2 AND c.id <> ?3 AND c.id IS NOT ?4 AND c.id IS NOT ?5
           AND c.source <> 'secondary' AND NOT (c.source = 'correction' AND c.related_claim_id IS NOT NULL)
           AND c.frequency <> 'void' AND c.status NOT IN ('rejected', 'closed')",
    )?;
    let rows = stmt.query_map(
        params![claim.patient_id, hcpcs, claim.id, claim.related_claim_id, claim.corrects_claim_id],
        |r| Ok(Fill { dos: r.get(0)?, quantity: r.get(1)? }),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One scrub run: the reference rows, the supplier and the eligibility setting that every
/// claim is checked against, read once for the run instead of once per claim.
pub struct Run<'c> {
    reference: Reference<'c>,
    supplier: Option<Supplier>,
    eligibility_max_age_days: i64,
    today: NaiveDate,
}

impl<'c> Run<'c> {
    /// Starts a run over `conn` that judges claims as of `today`.
    pub fn new(conn: &'c Connection, today: NaiveDate) -> Result<Run<'c>, ClaimError> {
        Ok(Run {
            reference: Reference::new(conn)?,
            supplier: supplier::get(conn)?,
            eligibility_max_age_days: eligibility::max_age_days(conn)?,
            today,
        })
    }

    /// Reads what the rules need about `claim`.
    pub fn facts(&mut self, claim: Claim) -> Result<Facts, ClaimError> {
        let reference = &mut self.reference;
        let conn = reference.conn();
        let coverage = coverages::get(conn, claim.coverage_id)?;
        let payer = reference.payer(coverage.payer_id)?.clone();
        let patient = patients::get(conn, claim.patient_id)?;
        let practitioner = claim.practitioner_id.map(|id| reference.practitioner(id).cloned()).transpose()?;
        let documents = documents::list(conn, DocumentFilter { patient_id: Some(claim.patient_id), order_id: None })?;
        let swo_gaps = match claim.order_id {
            Some(id) => swo_gaps(reference, id, &patient)?,
            None => Vec::new(),
        };
        let mut lines = Vec::with_capacity(claim.lines.len());
        for line in &claim.lines {
            let required = line_requirements(reference, &payer, line)?;
            lines.push(LineFacts {
                category: reference.category(&line.hcpcs)?,
                delivered_on: first_delivery(conn, line.order_line_id)?,
                duplicates: duplicates(conn, &claim, line)?,
                history: history(conn, &claim, &line.hcpcs)?,
                has_cmn_data: certification(&required, &claim, line, &documents).is_some(),
                required,
            });
        }
        Ok(Facts {
            supplier: self.supplier.clone(),
            patient,
            coverage,
            payer,
            practitioner,
            documents,
            swo_gaps,
            lines,
            eligibility_checked_on: eligibility::last_active_check(conn, claim.coverage_id, self.today)?,
            eligibility_max_age_days: self.eligibility_max_age_days,
            today: self.today,
            claim,
        })
    }
}
