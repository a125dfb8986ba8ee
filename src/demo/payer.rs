//! The demo's payer: the 835 a DME MAC would send after adjudicating a batch of the demo's
//! claims, so the demo database and the end-to-end tests show posting, a denial, an unmatched
//! claim and a provider-level adjustment without a clearinghouse. Test data only: nothing
//! outside the demo and the tests calls it.
//!
//! How it adjudicates: each line is allowed at its fee-schedule amount (its charge when it has
//! none) and paid at 80 %, the other 20 % being the patient's coinsurance (PR-2) and the charge
//! above the allowed amount a contractual write-off (CO-45); with two claims or more the last
//! is denied as not medically necessary (CO-50); one claim that is not ours is added, and the
//! payer adds a little interest (PLB L6). Every balancing rule of the 835 holds.

use super::DemoError;
use crate::claims::{self, Claim, ClaimLine};
use crate::money::Money;
use crate::x12::separators::Separators;
use crate::x12::write::{GroupHeader, InterchangeHeader, Writer};
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use rust_decimal::Decimal;

/// The interest the demo payer adds to each payment, in cents (a negative PLB amount raises
/// the payment).
const INTEREST_CENTS: i64 = -85;

/// One service line as adjudicated: paid, and the (group, reason, amount) adjustments.
struct Adjudicated {
    paid: Money,
    adjustments: Vec<(&'static str, &'static str, Money)>,
}

fn pay(line: &ClaimLine) -> Adjudicated {
    let allowed = line.allowed.filter(|a| *a <= line.charge).unwrap_or(line.charge);
    let paid = Money::round_from(allowed.decimal() * Decimal::new(8, 1));
    let mut adjustments = Vec::new();
    if allowed < line.charge {
        adjustments.push(("CO", "45", line.charge - allowed));
    }
    if paid < allowed {
        adjustments.push(("PR", "2", allowed - paid));
    }
    Adjudicated { paid, adjustments }
}

fn deny(line: &ClaimLine) -> Adjudicated {
    Adjudicated { paid: Money::default(), adjustments: vec![("CO", "50", line.charge)] }
}

/// An 835 adjudicating every claim of batch `batch_id`, paid on `paid_on` under trace number
/// `trace`.
pub fn remittance(conn: &Connection, batch_id: i64, paid_on: NaiveDate, trace: &str) -> Result<Vec<u8>, DemoError> {
    let mut stmt = conn.prepare("SELECT id FROM claims WHERE batch_id = ?1 ORDER BY id")?;
    let ids: Vec<i64> = stmt.query_map([batch_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let claims: Vec<Claim> = ids.into_iter().map(|id| claims::get(conn, id)).collect::<Result<_, _>>()?;
    let denied = (claims.len() >= 2).then(|| claims.len() - 1);
    let adjudicated: Vec<Vec<Adjudicated>> = claims
        .iter()
        .enumerate()
        .map(|(i, claim)| claim.lines.iter().map(if Some(i) == denied { deny } else { pay }).collect())
        .collect();
    write(&claims, &adjudicated, paid_on, trace).map_err(|e| DemoError::Remittance(e.to_string()))
}

fn write(
    claims: &[Claim],
    adjudicated: &[Vec<Adjudicated>],
    paid_on: NaiveDate,
    trace: &str,
) -> Result<Vec<u8>, crate::x12::write::WriteError> {
    let created = paid_on.and_hms_opt(9, 30, 0).unwrap_or_default();
    let day = paid_on.format("%Y%m%d").to_string();
    let foreign = Money::from_cents(5000);
    let interest = Money::from_cents(INTEREST_CENTS);
    let paid: Money = adjudicated.iter().flatten().map(|a| a.paid).sum::<Money>() + foreign;
    let mut w = Writer::new(Vec::new(), Separators::default()).with_line_breaks();
    let control = paid_on.num_days_from_ce().unsigned_abs();
    w.begin_interchange(&InterchangeHeader {
        sender_qualifier: "ZZ".into(),
        sender_id: "DMEMACJD".into(),
        receiver_qualifier: "ZZ".into(),
        receiver_id: "HMEDESK".into(),
        created,
        control_number: control,
        acknowledgment_requested: false,
        production: true,
    })?;
    w.begin_group(&GroupHeader {
        functional_id: "HP".into(),
        sender_code: "DMEMACJD".into(),
        receiver_code: "HMEDESK".into(),
        created,
        control_number: control,
        version: "005010X221A1".into(),
    })?;
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
    for (n, (claim, lines)) in claims.iter().zip(adjudicated).enumerate() {
        let claim_paid: Money = lines.iter().map(|a| a.paid).sum();
        let patient: Money =
            lines.iter().flat_map(|a| &a.adjustments).filter(|(g, _, _)| *g == "PR").map(|(_, _, m)| *m).sum();
        let status = if claim_paid.is_zero() { "4" } else { "1" };
        w.segment("CLP")
            .element(&claim.control_number)
            .element(status)
            .amount(claim.total_charge)
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
                .amount(line.charge)
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
        .element("1234567893")
        .element(&format!("{}1231", paid_on.format("%Y")))
        .composite(&["L6", trace])
        .amount(interest)
        .finish()?;
    w.end_set()?;
    w.end_group()?;
    w.end_interchange()?;
    Ok(w.into_inner())
}
