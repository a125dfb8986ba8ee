//! The rental billing run and the missed-cycles report, which share one plan so that every
//! due month up to a date is either billed or listed as missed with its reason — never both,
//! never neither.
//!
//! A month is due when the rules engine lists it billable, lists it blocked by a break
//! longer than 42 CFR 414.230 allows (the biller must act on it), or is an oxygen month after
//! the 36-month cap whose contents are still paid (42 CFR 414.226(c); the contents line is
//! then the month's only line). A due month is billed when the patient has primary coverage
//! in force on its date of service, nothing the documents module lists as holding up the
//! claim is missing on that date (written order, diagnoses, PECOS...), and the payer's fee
//! schedule prices the line (`fees::lookup` with the engine's modifiers). Billed months are
//! recorded in `rental_billings`, whose key (episode, period, month) makes billing the same
//! month twice impossible.
//!
//! The documentation modifier comes from the documents the payer's rules require for the
//! line, judged on the month's date of service (`documents::missing_for_line`). Medicare
//! coverage policies (the DME MAC LCDs and their "Standard Documentation Requirements"
//! article) want exactly one of KX/GA/GZ on the line: KX when every required document is on
//! file and valid, else GA when the patient signed an ABN in force on that date, else GZ
//! (expected denial; the draft shows the biller what is missing). Other payers take no
//! documentation modifier, so for them a missing required document (an expired CMN, say)
//! holds the month in the missed report.
//!
//! Pricing: the allowed amount is the engine's month fee when the payer's schedule prices
//! the rental on its start date (capped rental from the NU purchase fee, 10%/7.5% or
//! 15%/6%; inexpensive items from RR and NU, stopping at the purchase allowable; oxygen and
//! frequent servicing from the monthly fee), else the schedule's allowed amount for the
//! line; the charge is always the schedule's charge for the line.

use super::episodes::{load_all, Episode};
use super::modifiers::{line_modifiers, CoverageRule, Documentation};
use super::schedule::BLOCKED;
use super::{oxygen, schedule, Hcpcs, RentalCategory, RentalError, RentalFees, RentalMonth};
use crate::claims::{
    self, ClaimError, ClaimFrequency, ClaimSource, NewClaim, NewLine, MAX_DIAGNOSES, MAX_LINES, MAX_POINTERS,
};
use crate::db::{Actor, Change, Db};
use crate::documents::{self, Blocks, DocType, MissingItem};
use crate::fees::Fee;
use crate::money::Money;
use crate::orders::Acquisition;
use crate::payers::PayerKind;
use crate::validation::Problems;
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A rental month turned into a claim line by a billing run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BilledLine {
    pub episode_id: i64,
    pub patient_id: i64,
    pub claim_id: i64,
    /// CLM01 of the draft claim.
    pub claim_control_number: String,
    pub claim_line_id: i64,
    pub hcpcs: String,
    pub modifiers: Vec<String>,
    pub period: u32,
    pub month: u32,
    pub dos: NaiveDate,
    pub charge: Money,
    pub allowed: Option<Money>,
}

/// What one billing run created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BillingRun {
    pub through: NaiveDate,
    pub claims_created: usize,
    pub lines_created: usize,
    pub lines: Vec<BilledLine>,
    /// Due months left unbilled (see the missed-cycles report for why).
    pub missed: usize,
}

impl BillingRun {
    fn empty(through: NaiveDate, missed: usize) -> BillingRun {
        BillingRun { through, claims_created: 0, lines_created: 0, lines: Vec::new(), missed }
    }
}

/// A month that is due but cannot be billed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MissedMonth {
    pub episode_id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub hcpcs: String,
    pub period: u32,
    pub month: u32,
    pub dos: NaiveDate,
    /// What stops the bill, in words a biller acts on.
    pub reason: String,
}

/// A due month ready to bill.
struct Due {
    episode: usize,
    coverage_id: i64,
    period: u32,
    month: u32,
    dos: NaiveDate,
    /// The rented item's code, or its contents code after the oxygen cap.
    hcpcs: String,
    modifiers: Vec<String>,
    charge: Money,
    allowed: Money,
}

/// A claim line a due month asks for: the rental itself, or oxygen contents after the cap.
struct LineRequest<'m> {
    month: &'m RentalMonth,
    hcpcs: &'m Hcpcs,
    /// The engine's monthly fee (the rental line of a priced episode).
    fee: Option<Money>,
}

/// What the documents on file say about one line on one date of service.
#[derive(Default)]
struct DocState {
    /// Gaps that stop any claim (written order, diagnoses, PECOS...).
    holds: Vec<String>,
    /// Documents the payer's rules require that are missing or not valid on the date.
    unmet: Vec<String>,
}

impl DocState {
    /// Splits the documents module's list: a required document other than the written order
    /// is a payer coverage rule (it decides KX/GA/GZ); anything else that holds up billing,
    /// and a written order gap even when it was due before delivery, stops the claim.
    fn of(missing: Vec<MissingItem>) -> DocState {
        let mut state = DocState::default();
        for item in missing {
            match item.document_type {
                Some(t) if t != DocType::Swo => state.unmet.push(item.message),
                Some(_) => state.holds.push(item.message),
                None if item.blocks == Blocks::Billing => state.holds.push(item.message),
                None => {}
            }
        }
        state
    }
}

/// Every due month up to a date, split into what can be billed and what cannot.
struct Plan {
    episodes: Vec<Episode>,
    due: Vec<Due>,
    missed: Vec<MissedMonth>,
}

/// A patient's primary coverage over a span of dates.
struct Span {
    coverage_id: i64,
    payer_id: i64,
    effective: NaiveDate,
    termination: Option<NaiveDate>,
}

/// The database facts the plan reads, loaded once per run.
struct Facts<'c> {
    conn: &'c Connection,
    reference: documents::Reference<'c>,
    coverages: HashMap<i64, Vec<Span>>,
    /// Payers whose coverage policies want a KX/GA/GZ modifier (Medicare).
    documentation_modifier: HashSet<i64>,
    billed: HashSet<(i64, u32, u32)>,
    documents: HashMap<(i64, NaiveDate), DocState>,
}

impl<'c> Facts<'c> {
    fn load(conn: &'c Connection) -> Result<Facts<'c>, RentalError> {
        let mut coverages: HashMap<i64, Vec<Span>> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT patient_id, id, payer_id, effective, termination FROM coverages WHERE priority = 'primary'
             ORDER BY effective DESC, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Span { coverage_id: r.get(1)?, payer_id: r.get(2)?, effective: r.get(3)?, termination: r.get(4)? },
            ))
        })?;
        for row in rows {
            let (patient, span) = row?;
            coverages.entry(patient).or_default().push(span);
        }
        let mut stmt = conn.prepare_cached("SELECT id, kind FROM payers")?;
        let mut documentation_modifier = HashSet::new();
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, kind) = row?;
            if PayerKind::from_code(&kind) == Some(PayerKind::MedicareDme) {
                documentation_modifier.insert(id);
            }
        }
        let mut stmt = conn.prepare_cached("SELECT episode_id, period, month FROM rental_billings")?;
        let billed = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        let reference = documents::Reference::new(conn).map_err(document_error)?;
        Ok(Facts { conn, reference, coverages, documentation_modifier, billed, documents: HashMap::new() })
    }

    /// The patient's primary coverage in force on `dos`.
    fn coverage(&self, patient_id: i64, dos: NaiveDate) -> Option<&Span> {
        self.coverages.get(&patient_id)?.iter().find(|s| s.effective <= dos && s.termination.is_none_or(|t| dos <= t))
    }

    /// What the documents module says about the episode's order line on `dos`.
    fn documents(&mut self, episode: &Episode, dos: NaiveDate) -> Result<&DocState, RentalError> {
        let key = (episode.order_line_id, dos);
        if !self.documents.contains_key(&key) {
            let missing =
                documents::missing_for_line(&mut self.reference, episode.order_id, episode.order_line_id, dos)
                    .map_err(document_error)?;
            self.documents.insert(key, DocState::of(missing));
        }
        Ok(&self.documents[&key])
    }

    /// The documentation state for the line's modifier, or why the month is held: see the
    /// module doc.
    fn documentation(
        &mut self,
        episode: &Episode,
        payer_id: i64,
        hcpcs: &Hcpcs,
        dos: NaiveDate,
    ) -> Result<Result<Documentation, String>, RentalError> {
        let wants_modifier = self.documentation_modifier.contains(&payer_id);
        let state = self.documents(episode, dos)?;
        if !state.holds.is_empty() {
            return Ok(Err(state.holds.join(" ")));
        }
        let coverage = match (state.unmet.is_empty(), wants_modifier) {
            (true, true) => CoverageRule::Met,
            (true, false) => CoverageRule::NoneApplies,
            (false, true) => CoverageRule::NotMet,
            (false, false) => return Ok(Err(state.unmet.join(" "))),
        };
        let abn_on_file = coverage == CoverageRule::NotMet
            && documents::abn_on_file(self.conn, episode.patient_id, episode.order_id, hcpcs.as_str(), dos)
                .map_err(document_error)?;
        Ok(Ok(Documentation { coverage, abn_on_file }))
    }

    fn fee(
        &mut self,
        payer_id: i64,
        hcpcs: &str,
        modifiers: &[String],
        dos: NaiveDate,
    ) -> Result<Option<Fee>, RentalError> {
        Ok(self.reference.fee(payer_id, hcpcs, modifiers, dos).map_err(document_error)?.cloned())
    }

    /// The engine's pricing of `episode` from the fee schedule of the payer on its start date.
    fn engine_fees(&mut self, episode: &Episode) -> Result<RentalFees, RentalError> {
        let Some(payer_id) = self.coverage(episode.patient_id, episode.start).map(|span| span.payer_id) else {
            return Ok(RentalFees::Unpriced);
        };
        let mut fee = |modifiers: &[&str]| -> Result<Option<Money>, RentalError> {
            let modifiers: Vec<String> = modifiers.iter().map(|m| m.to_string()).collect();
            let found = self.fee(payer_id, episode.hcpcs.as_str(), &modifiers, episode.start)?;
            Ok(found.filter(|f| f.modifiers == modifiers).map(|f| f.allowed))
        };
        Ok(match episode.category {
            RentalCategory::CappedRental => {
                fee(&["NU"])?.map_or(RentalFees::Unpriced, |price| RentalFees::capped_rental(&episode.hcpcs, price))
            }
            RentalCategory::Oxygen => fee(&[])?.map_or(RentalFees::Unpriced, RentalFees::Monthly),
            RentalCategory::FrequentServicing => fee(&["RR"])?.map_or(RentalFees::Unpriced, RentalFees::Monthly),
            RentalCategory::Inexpensive => match (fee(&["RR"])?, fee(&["NU"])?) {
                (Some(monthly), Some(purchase_allowable)) => RentalFees::Inexpensive { monthly, purchase_allowable },
                _ => RentalFees::Unpriced,
            },
        })
    }
}

/// Lays out every episode up to `through` and decides each due month not billed yet, telling
/// `progress` (episodes done, episodes in all) after each episode.
fn plan(conn: &Connection, through: NaiveDate, progress: &mut dyn FnMut(usize, usize)) -> Result<Plan, RentalError> {
    let mut facts = Facts::load(conn)?;
    let episodes = load_all(conn)?;
    let mut due = Vec::new();
    let mut missed = Vec::new();
    let total = episodes.len();
    for (index, episode) in episodes.iter().enumerate() {
        progress(index, total);
        if episode.start > through {
            continue;
        }
        let fees = facts.engine_fees(episode)?;
        let contents = oxygen::contents_code(&episode.hcpcs);
        for month in schedule(&episode.engine(fees), through).months {
            if facts.billed.contains(&(episode.id, month.period, month.month)) {
                continue;
            }
            let blocked = month.reason.as_deref().filter(|r| r.starts_with(BLOCKED));
            let contents = contents.as_ref().filter(|c| month.side_lines.iter().any(|l| l.hcpcs == **c));
            let (hcpcs, decision) = match (month.billable, blocked, contents) {
                (true, _, _) => {
                    let line = LineRequest { month: &month, hcpcs: &episode.hcpcs, fee: month.fee };
                    (&episode.hcpcs, decide(&mut facts, episode, &fees, &line)?)
                }
                (false, Some(reason), _) => (&episode.hcpcs, Err(reason.to_string())),
                (false, None, Some(code)) => {
                    let line = LineRequest { month: &month, hcpcs: code, fee: None };
                    (code, decide(&mut facts, episode, &fees, &line)?)
                }
                (false, None, None) => continue,
            };
            match decision {
                Ok(bill) => due.push(Due {
                    episode: index,
                    coverage_id: bill.coverage_id,
                    period: month.period,
                    month: month.month,
                    dos: month.dos,
                    hcpcs: hcpcs.to_string(),
                    modifiers: bill.modifiers,
                    charge: bill.charge,
                    allowed: bill.allowed,
                }),
                Err(reason) => missed.push(MissedMonth {
                    episode_id: episode.id,
                    patient_id: episode.patient_id,
                    patient_name: episode.patient_name.clone(),
                    hcpcs: hcpcs.to_string(),
                    period: month.period,
                    month: month.month,
                    dos: month.dos,
                    reason,
                }),
            }
        }
    }
    progress(total, total);
    Ok(Plan { episodes, due, missed })
}

/// A line ready to bill.
struct Bill {
    coverage_id: i64,
    modifiers: Vec<String>,
    charge: Money,
    allowed: Money,
}

/// Whether a due line can be billed, or why not.
type Decision = Result<Bill, String>;

fn decide(
    facts: &mut Facts<'_>,
    episode: &Episode,
    fees: &RentalFees,
    line: &LineRequest<'_>,
) -> Result<Decision, RentalError> {
    let dos = line.month.dos;
    let Some(span) = facts.coverage(episode.patient_id, dos) else {
        return Ok(Err(format!("no primary coverage in force on {dos}: verify eligibility and add the coverage")));
    };
    let (coverage_id, payer_id) = (span.coverage_id, span.payer_id);
    if episode.category == RentalCategory::Inexpensive && *fees == RentalFees::Unpriced {
        return Ok(Err(format!(
            "the payer's fee schedule has no RR rental fee and NU purchase fee for {} on {}: the rent cap (the purchase allowable) cannot be checked",
            episode.hcpcs, episode.start
        )));
    }
    let documentation = match facts.documentation(episode, payer_id, line.hcpcs, dos)? {
        Ok(documentation) => documentation,
        Err(reason) => return Ok(Err(reason)),
    };
    // The contents line after the oxygen cap carries no rental modifiers, only the
    // documentation one (oxygen rentals take none either, see `modifiers`).
    let modifiers: Vec<String> = if line.hcpcs == &episode.hcpcs {
        line_modifiers(episode.category, line.month.month, documentation)
    } else {
        documentation.modifier().into_iter().collect()
    }
    .iter()
    .map(ToString::to_string)
    .collect();
    let Some(fee) = facts.fee(payer_id, line.hcpcs.as_str(), &modifiers, dos)? else {
        return Ok(Err(format!(
            "no fee on the payer's schedule for {} {} on {dos}: add it under Fees",
            line.hcpcs,
            modifiers.join(" "),
        )));
    };
    Ok(Ok(Bill { coverage_id, modifiers, charge: fee.charge, allowed: line.fee.unwrap_or(fee.allowed) }))
}

fn document_error(e: documents::DocumentError) -> RentalError {
    match e {
        documents::DocumentError::Db(e) => RentalError::Db(e),
        other => RentalError::Invalid(Problems::one("documents", other.to_string())),
    }
}

/// A claim the run built that the claims store refused: a database failure stays one, any
/// other refusal is reported against the claim.
fn claim_error(e: ClaimError) -> RentalError {
    match e {
        ClaimError::Db(e) => RentalError::Db(e),
        other => RentalError::Invalid(Problems::one("claim", other.to_string())),
    }
}

/// Every due month up to `through` that is not billed, with the reason: the report a biller
/// works through before the next run.
pub fn missed(conn: &Connection, through: NaiveDate) -> Result<Vec<MissedMonth>, RentalError> {
    Ok(plan(conn, through, &mut |_, _| {})?.missed)
}

/// Bills every due month up to `through` as draft claims, one per patient, coverage, order
/// and date of service (at most 50 lines each), in one transaction with an audit row per
/// claim. Months already billed are skipped, so running it again creates nothing.
pub fn bill(db: &mut Db, actor: &Actor, through: NaiveDate) -> Result<BillingRun, RentalError> {
    bill_with_progress(db, actor, through, &mut |_, _| {})
}

/// [`bill`], telling `progress` (episodes done, episodes in all) as it lays out each episode,
/// so a screen can show a progress bar; the claims are written once all are decided.
pub fn bill_with_progress(
    db: &mut Db,
    actor: &Actor,
    through: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<BillingRun, RentalError> {
    let plan = plan(db.conn(), through, progress)?;
    if plan.due.is_empty() {
        return Ok(BillingRun::empty(through, plan.missed.len()));
    }
    db.write(actor, |c| bill_plan(c, through, plan))
}

/// [`bill`] inside the caller's transaction (the demo bills its rentals this way).
pub fn bill_in(c: &Change<'_>, through: NaiveDate) -> Result<BillingRun, RentalError> {
    let plan = plan(c.conn(), through, &mut |_, _| {})?;
    bill_plan(c, through, plan)
}

fn bill_plan(c: &Change<'_>, through: NaiveDate, plan: Plan) -> Result<BillingRun, RentalError> {
    let Plan { episodes, due, missed } = plan;
    let mut run = BillingRun::empty(through, missed.len());
    let mut groups: BTreeMap<(i64, i64, i64, NaiveDate), Vec<Due>> = BTreeMap::new();
    for d in due {
        let e = &episodes[d.episode];
        groups.entry((e.patient_id, d.coverage_id, e.order_id, d.dos)).or_default().push(d);
    }
    let mut record = c.conn().prepare_cached(
        "INSERT INTO rental_billings (episode_id, period, month, dos, claim_line_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for ((patient_id, coverage_id, order_id, _), lines) in &groups {
        let first = &episodes[lines[0].episode];
        let diagnoses: Vec<String> = first.diagnoses.iter().take(MAX_DIAGNOSES).cloned().collect();
        let pointers: Vec<u8> = (1..=diagnoses.len().min(MAX_POINTERS) as u8).collect();
        for chunk in lines.chunks(MAX_LINES) {
            let claim = NewClaim {
                patient_id: *patient_id,
                coverage_id: *coverage_id,
                practitioner_id: Some(first.practitioner_id),
                order_id: Some(*order_id),
                source: ClaimSource::Rental,
                frequency: ClaimFrequency::Original,
                payer_claim_number: None,
                related_claim_id: None,
                corrects_claim_id: None,
                prior_authorization: None,
                diagnoses: diagnoses.clone(),
                lines: chunk
                    .iter()
                    .map(|d| NewLine {
                        hcpcs: d.hcpcs.clone(),
                        modifiers: d.modifiers.clone(),
                        from: d.dos,
                        to: d.dos,
                        units: 1,
                        charge: d.charge,
                        allowed: Some(d.allowed),
                        diagnosis_pointers: pointers.clone(),
                        acquisition: Acquisition::Rental,
                        order_line_id: Some(episodes[d.episode].order_line_id),
                        delivery_item_id: None,
                        rental_month: Some(d.month),
                    })
                    .collect(),
            };
            let created = claims::insert(c, &claim).map_err(claim_error)?;
            run.claims_created += 1;
            for ((d, line), line_id) in chunk.iter().zip(claim.lines).zip(created.line_ids) {
                let episode = &episodes[d.episode];
                record.execute(params![episode.id, d.period, d.month, d.dos, line_id])?;
                run.lines.push(BilledLine {
                    episode_id: episode.id,
                    patient_id: *patient_id,
                    claim_id: created.id,
                    claim_control_number: created.control_number.clone(),
                    claim_line_id: line_id,
                    hcpcs: line.hcpcs,
                    modifiers: line.modifiers,
                    period: d.period,
                    month: d.month,
                    dos: d.dos,
                    charge: line.charge,
                    allowed: line.allowed,
                });
            }
        }
    }
    run.lines_created = run.lines.len();
    Ok(run)
}
