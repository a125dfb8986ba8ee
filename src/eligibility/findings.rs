//! What a 271 says about one service type, in the terms the patient screen shows: active or
//! not, plan dates, deductible, co-insurance, out-of-pocket, messages and rejections.

use crate::money::Money;
use crate::x12::elig271::{Benefit, Eligibility, Person, Rejection};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The answer to one eligibility question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Findings {
    /// The payer that answered.
    pub payer: String,
    /// Active coverage (EB01 `1`), inactive (`6`), or not said.
    pub active: Option<bool>,
    /// The plan's first and last day (DTP 346/347, or the range of 291/307).
    pub plan_begin: Option<NaiveDate>,
    pub plan_end: Option<NaiveDate>,
    /// Deductible (EB01 `C`) for the service type, and what remains of it (time period `29`).
    pub deductible: Option<Money>,
    pub deductible_remaining: Option<Money>,
    /// Co-insurance (EB01 `A`) as a percentage, like `20`.
    pub coinsurance_percent: Option<String>,
    /// Out-of-pocket limit (EB01 `G`).
    pub out_of_pocket: Option<Money>,
    /// MSG texts of the benefits for the service type.
    pub messages: Vec<String>,
    /// AAA rejections, with reason and what to do.
    pub rejections: Vec<String>,
}

/// Reads the findings for `service_type` about the person whose trace number is `trace`
/// (the patient: the dependent when there is one, else the subscriber).
pub fn read(e: &Eligibility, trace: &str, service_type: &str) -> Findings {
    let mut f = Findings { payer: e.payer.clone(), ..Findings::default() };
    f.rejections.extend(e.rejections.iter().map(describe));
    let traced = e.persons.iter().position(|p| p.trace_numbers.iter().any(|t| t == trace));
    // The trace sits on the subscriber or the dependent; the patient is the last person of
    // that subscriber's group.
    let patient = traced.map(|i| {
        let mut j = i;
        while e.persons.get(j + 1).is_some_and(|p| p.relationship == crate::x12::elig271::Relationship::Dependent) {
            j += 1;
        }
        &e.persons[j]
    });
    let subscriber = traced.map(|i| &e.persons[i]);
    for person in subscriber.into_iter().chain(patient.filter(|p| Some(*p) != subscriber)) {
        read_person(person, service_type, &mut f);
    }
    f
}

fn read_person(p: &Person, service_type: &str, f: &mut Findings) {
    f.rejections.extend(p.rejections.iter().map(describe));
    for dated in &p.dates {
        match dated.qualifier.as_str() {
            "346" => f.plan_begin = Some(dated.period.start),
            "347" => f.plan_end = Some(dated.period.end),
            "291" | "307" if f.plan_begin.is_none() => {
                f.plan_begin = Some(dated.period.start);
                f.plan_end = Some(dated.period.end);
            }
            _ => {}
        }
    }
    for b in p.benefits.iter().filter(|b| applies(b, service_type)) {
        match b.code.as_str() {
            "1" => f.active = Some(true),
            "6" if f.active.is_none() => f.active = Some(false),
            "C" if b.time_period.as_str() == "29" => f.deductible_remaining = b.amount.or(f.deductible_remaining),
            "C" => f.deductible = b.amount.or(f.deductible),
            "A" => {
                f.coinsurance_percent =
                    b.percent.map(|p| (p * rust_decimal::Decimal::ONE_HUNDRED).normalize().to_string())
            }
            "G" => f.out_of_pocket = b.amount.or(f.out_of_pocket),
            _ => {}
        }
        f.messages.extend(b.messages.iter().cloned());
        f.rejections.extend(b.rejections.iter().map(describe));
    }
}

/// A benefit applies when it names the service type, or plan coverage (`30`), or none.
fn applies(b: &Benefit, service_type: &str) -> bool {
    b.service_types.is_empty() || b.service_types.iter().any(|s| s.as_str() == service_type || s.as_str() == "30")
}

fn describe(r: &Rejection) -> String {
    let reason = match r.reason.as_str() {
        "15" => "required application data missing",
        "41" => "authorization/access restrictions",
        "42" => "the payer cannot answer now",
        "43" => "invalid or missing provider identification",
        "58" => "invalid or missing date of birth",
        "71" => "patient birth date does not match",
        "72" => "invalid or missing member id",
        "73" => "invalid or missing subscriber name",
        "75" => "subscriber not found",
        "76" => "duplicate subscriber",
        "79" => "invalid participant identification",
        _ => "rejected",
    };
    let follow_up = match r.follow_up.as_str() {
        "C" => "; correct and resubmit",
        "N" => "; do not resubmit",
        "R" => "; resubmit the original request",
        "W" => "; wait 30 days and resubmit",
        "Y" => "; do not resubmit, we will reply",
        _ => "",
    };
    format!("AAA {}: {reason}{follow_up}", r.reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x12::elig271;

    #[test]
    fn the_sample_271_reads_as_active_dme_with_20_percent_and_a_dependent_not_found() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/x12/eligibility.271")).unwrap();
        let parsed = elig271::read(&bytes[..]).unwrap();
        let f = read(&parsed.sets[0], "ELIG-PCN1001", "12");
        assert_eq!(f.payer, "CMS");
        assert_eq!(f.active, Some(true));
        assert_eq!(f.plan_begin, NaiveDate::from_ymd_opt(2024, 1, 1));
        assert_eq!(f.plan_end, NaiveDate::from_ymd_opt(2024, 12, 31));
        assert_eq!(f.deductible_remaining, Some(Money::from_cents(0)));
        assert_eq!(f.coinsurance_percent.as_deref(), Some("20"));
        assert_eq!(f.messages, ["Medicare pays 80 percent of the allowed amount after the deductible"]);
        assert_eq!(f.rejections, ["AAA 75: subscriber not found; correct and resubmit"]);
        assert_eq!(read(&parsed.sets[0], "not ours", "12").active, None);
    }
}
