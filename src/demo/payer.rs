//! The demo's payer and clearinghouse: the 999 accepting a batch of the demo's claims, the
//! 277CA accepting its claims, and the 835 a DME MAC would send after adjudicating them, so
//! the demo database and the end-to-end tests show acknowledgments, posting, a denial, an
//! unmatched claim and a provider-level adjustment without a clearinghouse. Test data only:
//! nothing outside the demo, the tests and the benches calls it.
//!
//! How it adjudicates: each line is allowed at its fee-schedule amount (its charge when it has
//! none) and paid at 80 %, the other 20 % being the patient's coinsurance (PR-2) and the charge
//! above the allowed amount a contractual write-off (CO-45); with two claims or more the last
//! is denied as not medically necessary (CO-50); one claim that is not ours is added, and the
//! payer adds a little interest (PLB L6). Every balancing rule of the 835 holds. For the
//! benchmark, [`adjudicate`] also takes a deductible (PR-1) off chosen claims, and
//! [`readjudicate`] reverses payments (CLP02 = 22) and pays the corrected claims
//! ([`reverse_and_pay`]: or the replacements of the claims reversed).

use super::DemoError;
use crate::claims::{self, Claim, ClaimLine};
use crate::money::Money;
use crate::x12::separators::Separators;
use crate::x12::write::{GroupHeader, InterchangeHeader, WriteError, Writer};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rust_decimal::Decimal;

/// The demo supplier's NPI as the payer and the clearinghouse name it.
const PROVIDER_NPI: &str = "1234567893";

/// The interest the demo payer adds to each payment, in cents (a negative PLB amount raises
/// the payment).
const INTEREST_CENTS: i64 = -85;

/// One service line as adjudicated: paid, and the (group, reason, amount) adjustments.
struct Adjudicated {
    paid: Money,
    adjustments: Vec<(&'static str, &'static str, Money)>,
}

impl Adjudicated {
    /// The same adjudication taken back, every amount negated (a CLP02 = 22 line).
    fn reversed(&self) -> Adjudicated {
        Adjudicated { paid: -self.paid, adjustments: self.adjustments.iter().map(|&(g, r, m)| (g, r, -m)).collect() }
    }
}

/// How the demo payer adjudicates one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every line allowed at its fee-schedule amount and paid at 80 % of what is left after
    /// `deductible` (PR-1, taken from the lines in order); the other 20 % is coinsurance.
    Paid { deductible: Money },
    /// Every line denied as not medically necessary (CO-50).
    Denied,
}

impl Outcome {
    /// Paid with no deductible left to meet: how the demo's claims are paid.
    pub const PAID: Outcome = Outcome::Paid { deductible: Money::ZERO };

    fn lines(self, claim: &Claim) -> Vec<Adjudicated> {
        match self {
            Outcome::Paid { mut deductible } => claim.lines.iter().map(|l| pay(l, &mut deductible)).collect(),
            Outcome::Denied => claim.lines.iter().map(deny).collect(),
        }
    }
}

/// Pays `line`, taking what it can of the `deductible` still to meet.
fn pay(line: &ClaimLine, deductible: &mut Money) -> Adjudicated {
    let allowed = line.allowed.filter(|a| *a <= line.charge).unwrap_or(line.charge);
    let met = (*deductible).min(allowed);
    *deductible -= met;
    let covered = allowed - met;
    let paid = Money::round_from(covered.decimal() * Decimal::new(8, 1));
    let mut adjustments = Vec::new();
    if allowed < line.charge {
        adjustments.push(("CO", "45", line.charge - allowed));
    }
    if met > Money::ZERO {
        adjustments.push(("PR", "1", met));
    }
    if paid < covered {
        adjustments.push(("PR", "2", covered - paid));
    }
    Adjudicated { paid, adjustments }
}

fn deny(line: &ClaimLine) -> Adjudicated {
    Adjudicated { paid: Money::default(), adjustments: vec![("CO", "50", line.charge)] }
}

/// One claim of an 835: the claim, its lines as adjudicated, and whether it reverses an
/// earlier payment (its charges negated, CLP02 = 22).
struct Entry<'a> {
    claim: &'a Claim,
    lines: Vec<Adjudicated>,
    reversal: bool,
}

/// The claims of batch `batch_id`, in the order the batch holds them.
fn batch_claims(conn: &Connection, batch_id: i64) -> Result<Vec<Claim>, DemoError> {
    let mut stmt = conn.prepare("SELECT id FROM claims WHERE batch_id = ?1 ORDER BY id")?;
    let ids: Vec<i64> = stmt.query_map([batch_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids.into_iter().map(|id| claims::get(conn, id)).collect::<Result<_, _>>()?)
}

/// The interchange and group of a file `sender` sends the supplier at `created`.
fn envelope(
    sender: &str,
    functional_id: &str,
    version: &str,
    created: NaiveDateTime,
) -> Result<Writer<Vec<u8>>, WriteError> {
    let mut w = Writer::new(Vec::new(), Separators::default()).with_line_breaks();
    let control = created.date().num_days_from_ce().unsigned_abs();
    w.begin_interchange(&InterchangeHeader {
        sender_qualifier: "ZZ".into(),
        sender_id: sender.into(),
        receiver_qualifier: "ZZ".into(),
        receiver_id: "HMEDESK".into(),
        created,
        control_number: control,
        acknowledgment_requested: false,
        production: true,
    })?;
    w.begin_group(&GroupHeader {
        functional_id: functional_id.into(),
        sender_code: sender.into(),
        receiver_code: "HMEDESK".into(),
        created,
        control_number: control,
        version: version.into(),
    })?;
    Ok(w)
}

/// Closes the set, group and interchange `envelope` opened.
fn close(mut w: Writer<Vec<u8>>) -> Result<Vec<u8>, WriteError> {
    w.end_set()?;
    w.end_group()?;
    w.end_interchange()?;
    Ok(w.into_inner())
}

/// A demo file the X12 writer refused (it never should) as the demo's error.
fn written(result: Result<Vec<u8>, WriteError>) -> Result<Vec<u8>, DemoError> {
    result.map_err(|e| DemoError::Remittance(e.to_string()))
}

/// The clearinghouse's 999 accepting batch `batch_id` whole, sent on `sent_on`.
pub fn batch_accepted(conn: &Connection, batch_id: i64, sent_on: NaiveDate) -> Result<Vec<u8>, DemoError> {
    let (group, set): (i64, i64) =
        conn.query_row("SELECT group_control, set_control FROM claim_batches WHERE id = ?1", [batch_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    written(write_999(group, set, sent_on.and_hms_opt(17, 0, 0).unwrap_or_default()))
}

fn write_999(group: i64, set: i64, created: NaiveDateTime) -> Result<Vec<u8>, WriteError> {
    let mut w = envelope("CLEARINGHOUSE", "FA", "005010X231A1", created)?;
    w.begin_set("999", "0001", "005010X231A1")?;
    w.segment("AK1").element("HC").element(&group.to_string()).element("005010X222A1").finish()?;
    w.segment("AK2").element("837").element(&format!("{set:04}")).element("005010X222A1").finish()?;
    w.segment("IK5").element("A").finish()?;
    w.segment("AK9").element("A").element("1").element("1").element("1").finish()?;
    close(w)
}

/// The payer's 277CA taking every claim of batch `batch_id` into adjudication (A2:20),
/// sent on `sent_on`.
pub fn claims_accepted(conn: &Connection, batch_id: i64, sent_on: NaiveDate) -> Result<Vec<u8>, DemoError> {
    let claims = batch_claims(conn, batch_id)?;
    let members: Vec<String> = claims
        .iter()
        .map(|claim| crate::coverages::get(conn, claim.coverage_id).map(|v| v.member_id))
        .collect::<Result<_, _>>()?;
    written(write_277(batch_id, &claims, &members, sent_on))
}

fn write_277(batch_id: i64, claims: &[Claim], members: &[String], sent_on: NaiveDate) -> Result<Vec<u8>, WriteError> {
    let created = sent_on.and_hms_opt(18, 0, 0).unwrap_or_default();
    let day = sent_on.format("%Y%m%d").to_string();
    let mut w = envelope("DMEMACJD", "HN", "005010X214", created)?;
    w.begin_set("277", "0001", "005010X214")?;
    w.segment("BHT")
        .element("0085")
        .element("08")
        .element(&format!("277CA{batch_id}"))
        .element(&day)
        .element("1800")
        .element("TH")
        .finish()?;
    w.segment("HL").element("1").skip(1).element("20").element("1").finish()?;
    w.segment("NM1")
        .element("PR")
        .element("2")
        .element("DME MAC JURISDICTION D")
        .skip(4)
        .element("PI")
        .element("DMEMACJD")
        .finish()?;
    w.segment("HL").element("2").element("1").element("21").element("1").finish()?;
    w.segment("NM1")
        .element("41")
        .element("2")
        .element("DEMO SUPPLIER")
        .skip(4)
        .element("46")
        .element("HMEDESK")
        .finish()?;
    w.segment("HL").element("3").element("2").element("19").element("1").finish()?;
    w.segment("NM1")
        .element("85")
        .element("2")
        .element("DEMO SUPPLIER")
        .skip(4)
        .element("XX")
        .element(PROVIDER_NPI)
        .finish()?;
    for (n, (claim, member)) in claims.iter().zip(members).enumerate() {
        let (last, first) = claim.patient_name.split_once(", ").unwrap_or((&claim.patient_name, ""));
        w.segment("HL").element(&(4 + n).to_string()).element("3").element("PT").finish()?;
        w.segment("NM1")
            .element("QC")
            .element("1")
            .element(last)
            .element(first)
            .skip(3)
            .element("MI")
            .element(member)
            .finish()?;
        w.segment("TRN").element("2").element(&claim.control_number).finish()?;
        w.segment("STC")
            .composite(&["A2", "20", "PR"])
            .element(&day)
            .element("WQ")
            .amount(claim.total_charge)
            .finish()?;
        w.segment("DTP")
            .element("472")
            .element("D8")
            .element(&claim.service_from.format("%Y%m%d").to_string())
            .finish()?;
    }
    close(w)
}

/// An 835 adjudicating every claim of batch `batch_id`, paid on `paid_on` under trace number
/// `trace`.
pub fn remittance(conn: &Connection, batch_id: i64, paid_on: NaiveDate, trace: &str) -> Result<Vec<u8>, DemoError> {
    let claims = batch_claims(conn, batch_id)?;
    let denied = (claims.len() >= 2).then(|| claims.len() - 1);
    adjudicate(&claims, |i| if Some(i) == denied { Outcome::Denied } else { Outcome::PAID }, paid_on, trace)
}

/// An 835 adjudicating `claims` the way [`remittance`] does, each as `outcome` says for its
/// position: the remittance benchmark's file, at any volume, denial share and deductibles.
pub fn adjudicate(
    claims: &[Claim],
    outcome: impl Fn(usize) -> Outcome,
    paid_on: NaiveDate,
    trace: &str,
) -> Result<Vec<u8>, DemoError> {
    let entries: Vec<Entry<'_>> = claims
        .iter()
        .enumerate()
        .map(|(i, claim)| Entry { claim, lines: outcome(i).lines(claim), reversal: false })
        .collect();
    written(write(&entries, paid_on, trace))
}

/// An 835 taking back the payment [`adjudicate`] made on each of `claims` under `was`
/// (CLP02 = 22, every amount negated), each followed by the payer's corrected adjudication
/// under `now`: how a payer fixes a claim it paid wrong.
pub fn readjudicate(
    claims: &[Claim],
    was: impl Fn(usize) -> Outcome,
    now: impl Fn(usize) -> Outcome,
    paid_on: NaiveDate,
    trace: &str,
) -> Result<Vec<u8>, DemoError> {
    let pairs: Vec<(&Claim, &Claim)> = claims.iter().map(|claim| (claim, claim)).collect();
    reverse_and_pay(&pairs, was, now, paid_on, trace)
}

/// An 835 taking back, for each `(taken_back, paid)` pair, the payment [`adjudicate`] made on
/// `taken_back` under `was` (CLP02 = 22), then adjudicating `paid` under `now`: a corrected
/// claim ([`readjudicate`], the same claim twice), or how a payer answers a replacement claim
/// (frequency 7) — the original's payment reversed, the replacement paid.
pub fn reverse_and_pay(
    pairs: &[(&Claim, &Claim)],
    was: impl Fn(usize) -> Outcome,
    now: impl Fn(usize) -> Outcome,
    paid_on: NaiveDate,
    trace: &str,
) -> Result<Vec<u8>, DemoError> {
    let entries: Vec<Entry<'_>> = pairs
        .iter()
        .enumerate()
        .flat_map(|(i, &(taken_back, paid))| {
            let reversed = was(i).lines(taken_back).iter().map(Adjudicated::reversed).collect();
            [
                Entry { claim: taken_back, lines: reversed, reversal: true },
                Entry { claim: paid, lines: now(i).lines(paid), reversal: false },
            ]
        })
        .collect();
    written(write(&entries, paid_on, trace))
}

/// An 835 only taking back the payment [`adjudicate`] made on each of `claims` under `was`
/// (CLP02 = 22): how a payer answers a void (frequency 8).
pub fn take_back(
    claims: &[Claim],
    was: impl Fn(usize) -> Outcome,
    paid_on: NaiveDate,
    trace: &str,
) -> Result<Vec<u8>, DemoError> {
    let entries: Vec<Entry<'_>> = claims
        .iter()
        .enumerate()
        .map(|(i, claim)| Entry {
            claim,
            lines: was(i).lines(claim).iter().map(Adjudicated::reversed).collect(),
            reversal: true,
        })
        .collect();
    written(write(&entries, paid_on, trace))
}

fn write(entries: &[Entry<'_>], paid_on: NaiveDate, trace: &str) -> Result<Vec<u8>, WriteError> {
    let created = paid_on.and_hms_opt(9, 30, 0).unwrap_or_default();
    let day = paid_on.format("%Y%m%d").to_string();
    let foreign = Money::from_cents(5000);
    let interest = Money::from_cents(INTEREST_CENTS);
    let paid: Money = entries.iter().flat_map(|e| &e.lines).map(|a| a.paid).sum::<Money>() + foreign;
    let mut w = envelope("DMEMACJD", "HP", "005010X221A1", created)?;
    w.begin_set("835", "0001", "")?;
    w.segment("BPR")
        .element("I")
        .amount(paid - interest)
        .element("C")
        .element("ACH")
        .skip(11)
        .element(&day)
        .finish()?;
    w.segment("TRN").element("1").element(trace).element("1999999999").finish()?;
    w.segment("DTM").element("405").element(&day).finish()?;
    w.segment("N1").element("PR").element("DME MAC JURISDICTION D").finish()?;
    w.segment("N1").element("PE").element("DEMO SUPPLIER").finish()?;
    w.segment("LX").element("1").finish()?;
    for (n, Entry { claim, lines, reversal }) in entries.iter().enumerate() {
        let sign = |m: Money| if *reversal { -m } else { m };
        let claim_paid: Money = lines.iter().map(|a| a.paid).sum();
        let patient: Money =
            lines.iter().flat_map(|a| &a.adjustments).filter(|(g, _, _)| *g == "PR").map(|(_, _, m)| *m).sum();
        let status = match (*reversal, claim_paid.is_zero()) {
            (true, _) => "22",
            (false, true) => "4",
            (false, false) => "1",
        };
        w.segment("CLP")
            .element(&claim.control_number)
            .element(status)
            .amount(sign(claim.total_charge))
            .amount(claim_paid)
            .amount(patient)
            .element("MB")
            .element(&format!("{}{:04}", paid_on.format("%y%j"), n + 1))
            .element("12")
            .finish()?;
        let (last, first) = claim.patient_name.split_once(", ").unwrap_or((&claim.patient_name, ""));
        w.segment("NM1").element("QC").element("1").element(last).element(first).finish()?;
        for (line, a) in claim.lines.iter().zip(lines) {
            let code: Vec<&str> =
                ["HC", line.hcpcs.as_str()].into_iter().chain(line.modifiers.iter().map(String::as_str)).collect();
            w.segment("SVC")
                .composite(&code)
                .amount(sign(line.charge))
                .amount(a.paid)
                .skip(1)
                .element(&line.units.to_string())
                .finish()?;
            w.segment("DTM").element("472").element(&line.service_from.format("%Y%m%d").to_string()).finish()?;
            for (group, reason, amount) in &a.adjustments {
                w.segment("CAS").element(group).element(reason).amount(*amount).finish()?;
            }
            w.segment("REF").element("6R").element(&line.control_number).finish()?;
        }
    }
    w.segment("CLP")
        .element("NOT-OURS-1")
        .element("1")
        .amount(foreign)
        .amount(foreign)
        .skip(1)
        .element("MB")
        .element(&format!("{}9999", paid_on.format("%y%j")))
        .element("12")
        .finish()?;
    w.segment("NM1").element("QC").element("1").element("STRANGER").element("PAT").finish()?;
    w.segment("SVC").composite(&["HC", "E0601", "RR"]).amount(foreign).amount(foreign).skip(1).element("1").finish()?;
    w.segment("DTM").element("472").element(&day).finish()?;
    w.segment("PLB")
        .element(PROVIDER_NPI)
        .element(&format!("{}1231", paid_on.format("%Y")))
        .composite(&["L6", trace])
        .amount(interest)
        .finish()?;
    close(w)
}
