//! The scrub rules: each one a pure check of [`Facts`] with an id, a severity and the source
//! it comes from, reporting every problem it finds with a message a biller can act on and
//! the record to open to fix it.

use super::facts::{Facts, LineFacts};
use super::{Finding, Fix, Severity};
use crate::claims::build::takes_new_or_used;
use crate::claims::resolve::medicare_cmn_end;
use crate::claims::ClaimLine;
use crate::coverages::Relationship;
use crate::documents::DocType;
use crate::orders::Acquisition;
use crate::patients::{parse_icd10, parse_mbi};
use crate::practitioners::Npi;
use crate::rentals::resupply::SupplyLimit;
use crate::rentals::{rental_modifiers, Hcpcs, RentalCategory};
use chrono::Months;

/// A scrub rule: what it checks, how much it matters and where the requirement comes from.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub source: &'static str,
    check: fn(&Facts, &mut Vec<Finding>),
}

use Severity::{Error, Warning};

/// Every rule, in the order problems are reported.
pub const RULES: &[Rule] = &[
    Rule {
        id: "billing_npi",
        severity: Error,
        source: "45 CFR 162.410; 837P TR3 loop 2010AA NM109/N4 (ZIP+4)",
        check: billing_npi,
    },
    Rule {
        id: "ordering_npi",
        severity: Error,
        source: "42 CFR 424.507(a); 837P TR3 loop 2420E (DME MAC: ordering provider on every line)",
        check: ordering_npi,
    },
    Rule {
        id: "pecos",
        severity: Error,
        source: "42 CFR 424.507(a)(1)(ii): Medicare pays DMEPOS only when ordered by a PECOS-enrolled practitioner",
        check: pecos,
    },
    Rule {
        id: "diagnosis",
        severity: Error,
        source: "837P TR3 loop 2300 HI; ICD-10-CM Official Guidelines I.A.3",
        check: diagnosis,
    },
    Rule {
        id: "coverage_active",
        severity: Error,
        source: "837P TR3 loop 2000B: the coverage billed must be in force on the date of service",
        check: coverage_active,
    },
    Rule {
        id: "eligibility_stale",
        severity: Warning,
        source: "Eligibility verified by 270/271 (005010X279A1) within eligibility.max_age_days before billing",
        check: eligibility_stale,
    },
    Rule {
        id: "member_id",
        severity: Error,
        source: "CMS MBI format specification (CR 10262); 837P TR3 loop 2010BA NM109",
        check: member_id,
    },
    Rule {
        id: "subscriber",
        severity: Error,
        source: "837P TR3 loop 2010BA: subscriber name, N3/N4 address, DMG birth date and sex",
        check: subscriber,
    },
    Rule {
        id: "modifiers",
        severity: Error,
        source: "CMS Claims Processing Manual ch. 20 §30.5, §50 (RR, NU, UE; KH/KI/KJ by rental month)",
        check: modifiers,
    },
    Rule {
        id: "kx_with_ga_gy_gz",
        severity: Error,
        source: "DME MAC Standard Documentation Requirements article: KX never with GA, GY or GZ",
        check: kx_with_ga_gy_gz,
    },
    Rule {
        id: "documents",
        severity: Error,
        source: "The payer's documentation rules on file (each names its own source)",
        check: documents,
    },
    Rule {
        id: "proof_of_delivery",
        severity: Error,
        source: "42 CFR 424.57(c)(12); CMS Program Integrity Manual ch. 4 §4.26 (proof of delivery)",
        check: proof_of_delivery,
    },
    Rule {
        id: "medicare_cmn",
        severity: Error,
        source: "CMS: CMNs and DIFs are no longer accepted for Medicare dates of service from 2023-01-01",
        check: medicare_cmn,
    },
    Rule {
        id: "duplicate_line",
        severity: Error,
        source: "CMS Claims Processing Manual ch. 1 §120 (duplicate claims are denied)",
        check: duplicate_line,
    },
    Rule {
        id: "quantity_limit",
        severity: Error,
        source: "DME MAC LCDs L33718 (PAP supplies), L33822 (glucose monitor supplies): usual maximum quantities; the insulin-treated limits only when the patient's diagnoses show insulin (E10, Z79.4)",
        check: quantity_limit,
    },
    Rule {
        id: "quantity_limit_insulin",
        severity: Warning,
        source: "LCD L33822: the higher test strip and lancet limits apply only to insulin-treated patients, which the medical record must show",
        check: quantity_limit_insulin,
    },
    Rule {
        id: "timely_filing",
        severity: Error,
        source: "42 CFR 424.44(a)(1): claims must be filed within one calendar year after the date of service",
        check: timely_filing,
    },
    Rule { id: "timely_filing_soon", severity: Warning, source: "42 CFR 424.44(a)(1)", check: timely_filing_soon },
    Rule {
        id: "charge",
        severity: Error,
        source: "837P TR3 loop 2400 SV102: a line charge greater than zero",
        check: charge,
    },
];

impl Rule {
    /// Runs the rule, labelling what it finds with its id and severity.
    pub fn run(&self, facts: &Facts, out: &mut Vec<Finding>) {
        let start = out.len();
        (self.check)(facts, out);
        for f in &mut out[start..] {
            f.rule = self.id;
            f.severity = self.severity;
        }
    }
}

fn found(message: impl Into<String>, fix: Fix) -> Finding {
    Finding { rule: "", severity: Error, message: message.into(), fix }
}

fn lines(facts: &Facts) -> impl Iterator<Item = (usize, &ClaimLine, &LineFacts)> {
    facts.claim.lines.iter().zip(&facts.lines).enumerate().map(|(i, (l, f))| (i + 1, l, f))
}

fn is_medicare(facts: &Facts) -> bool {
    facts.payer.is_medicare()
}

fn billing_npi(facts: &Facts, out: &mut Vec<Finding>) {
    let Some(s) = &facts.supplier else {
        out.push(found(
            "the supplier (billing provider) is not set up: enter its name, NPI, EIN and address",
            Fix::Supplier,
        ));
        return;
    };
    if let Err(e) = Npi::parse(&s.npi) {
        out.push(found(format!("billing provider: {e}"), Fix::Supplier));
    }
    if s.zip.replace('-', "").len() != 9 {
        out.push(found("billing provider: the 837P needs the 9-digit ZIP+4 of the supplier's address", Fix::Supplier));
    }
}

fn ordering_npi(facts: &Facts, out: &mut Vec<Finding>) {
    match &facts.practitioner {
        None => out.push(found(
            "no ordering practitioner on the claim: set the order's practitioner",
            Fix::Order(facts.claim.order_id),
        )),
        Some(p) => {
            if let Err(e) = Npi::parse(&p.npi) {
                out.push(found(format!("ordering practitioner {}: {e}", p.display_name()), Fix::Practitioner(p.id)));
            }
        }
    }
}

fn pecos(facts: &Facts, out: &mut Vec<Finding>) {
    if let Some(p) = facts.practitioner.as_ref().filter(|p| is_medicare(facts) && !p.pecos_enrolled) {
        out.push(found(
            format!(
                "{} is not PECOS-enrolled; Medicare will deny: confirm enrollment and update the practitioner",
                p.display_name()
            ),
            Fix::Practitioner(p.id),
        ));
    }
}

fn diagnosis(facts: &Facts, out: &mut Vec<Finding>) {
    let fix = Fix::Order(facts.claim.order_id);
    if facts.claim.diagnoses.is_empty() {
        out.push(found("the claim has no diagnosis: add the ICD-10-CM codes to the order", fix));
    }
    for code in &facts.claim.diagnoses {
        if let Err(e) = parse_icd10(code) {
            out.push(found(e, fix));
        }
    }
}

fn coverage_active(facts: &Facts, out: &mut Vec<Finding>) {
    let c = &facts.coverage;
    for date in [facts.claim.service_from, facts.claim.service_to] {
        if !c.is_active_on(date) {
            let until = c.termination.map_or(String::new(), |t| format!(" to {t}"));
            out.push(found(
                format!("{} coverage is not in force on {date} (in force from {}{until})", c.payer_name, c.effective),
                Fix::Coverage(c.id),
            ));
            return;
        }
    }
}

fn eligibility_stale(facts: &Facts, out: &mut Vec<Finding>) {
    let days = facts.eligibility_max_age_days;
    let since = facts.today - chrono::Duration::days(days);
    let payer = &facts.coverage.payer_name;
    let message = match facts.eligibility_checked_on {
        Some(on) if on >= since => return,
        Some(on) => format!(
            "{payer} coverage was last verified active on {on}, more than {days} days ago: check eligibility again"
        ),
        None => format!("{payer} coverage has no active eligibility check on file: check eligibility before billing"),
    };
    out.push(found(message, Fix::Patient(facts.patient.id)));
}

fn member_id(facts: &Facts, out: &mut Vec<Finding>) {
    let c = &facts.coverage;
    let fix = Fix::Coverage(c.id);
    if is_medicare(facts) {
        if let Err(e) = parse_mbi(&c.member_id) {
            out.push(found(format!("Medicare member id: {e}"), fix));
        }
    } else if c.member_id.trim().is_empty() || !c.member_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        out.push(found(format!("member id '{}' must be letters and digits as on the card", c.member_id), fix));
    }
}

fn subscriber(facts: &Facts, out: &mut Vec<Finding>) {
    let c = &facts.coverage;
    if c.relationship == Relationship::Itself {
        let p = &facts.patient;
        if p.address1.is_none() || p.city.is_none() || p.state.is_none() || p.zip.is_none() {
            out.push(found(
                format!(
                    "{} is the subscriber and needs a full street address (street, city, state, ZIP)",
                    p.display_name()
                ),
                Fix::Patient(p.id),
            ));
        }
        return;
    }
    match &c.subscriber {
        None => out.push(found(
            "the patient is not the subscriber, but no subscriber is on the coverage",
            Fix::Coverage(c.id),
        )),
        Some(s) if s.address1.is_none() || s.city.is_none() || s.state.is_none() || s.zip.is_none() => out.push(found(
            format!(
                "subscriber {} {} needs a full street address (street, city, state, ZIP)",
                s.first_name, s.last_name
            ),
            Fix::Coverage(c.id),
        )),
        Some(_) => {}
    }
}

fn has(line: &ClaimLine, m: &str) -> bool {
    line.modifiers.iter().any(|x| x == m)
}

fn modifiers(facts: &Facts, out: &mut Vec<Finding>) {
    for (n, line, lf) in lines(facts) {
        let fix = Fix::Order(facts.claim.order_id);
        let Some(category) = lf.category else {
            out.push(found(
                format!("line {n}: {} is not in the catalog; add it so its modifiers can be checked", line.hcpcs),
                Fix::Catalog,
            ));
            continue;
        };
        let month_mods: Vec<&str> = ["KH", "KI", "KJ"].into_iter().filter(|m| has(line, m)).collect();
        match line.acquisition {
            Acquisition::Purchase => {
                if has(line, "RR") || !month_mods.is_empty() {
                    out.push(found(format!("line {n}: a purchase cannot carry RR or KH/KI/KJ"), fix));
                }
                if takes_new_or_used(category) && !has(line, "NU") && !has(line, "UE") {
                    out.push(found(format!("line {n}: a purchased {} needs NU (new) or UE (used)", line.hcpcs), fix));
                }
            }
            Acquisition::Rental => {
                let Ok(rental) = RentalCategory::try_from(category) else {
                    out.push(found(
                        format!(
                            "line {n}: {} ({}) is not rented monthly; bill it as a purchase",
                            line.hcpcs,
                            category.describe()
                        ),
                        fix,
                    ));
                    continue;
                };
                if has(line, "NU") || has(line, "UE") {
                    out.push(found(format!("line {n}: a rental cannot carry NU or UE"), fix));
                }
                let Some(month) = line.rental_month else {
                    out.push(found(format!("line {n}: a rental line needs its rental month"), fix));
                    continue;
                };
                let expected: Vec<String> = rental_modifiers(rental, month).iter().map(|m| m.to_string()).collect();
                let missing: Vec<&str> = expected.iter().map(String::as_str).filter(|m| !has(line, m)).collect();
                let wrong: Vec<&str> =
                    month_mods.iter().copied().filter(|m| !expected.iter().any(|e| e == m)).collect();
                if !missing.is_empty() || !wrong.is_empty() {
                    out.push(found(
                        format!(
                            "line {n}: rental month {month} of a {} item is billed with {}; it has {}",
                            rental.code(),
                            if expected.is_empty() { "no RR/KH/KI/KJ".to_string() } else { expected.join(" ") },
                            if line.modifiers.is_empty() { "none".to_string() } else { line.modifiers.join(" ") },
                        ),
                        fix,
                    ));
                }
            }
        }
    }
}

fn kx_with_ga_gy_gz(facts: &Facts, out: &mut Vec<Finding>) {
    for (n, line, _) in lines(facts) {
        let liability: Vec<&str> = ["GA", "GY", "GZ"].into_iter().filter(|m| has(line, m)).collect();
        if has(line, "KX") && !liability.is_empty() {
            out.push(found(
                format!(
                    "line {n}: KX (criteria met) cannot stand beside {}; keep the one the documentation supports",
                    liability.join("/")
                ),
                Fix::Order(facts.claim.order_id),
            ));
        } else if liability.len() > 1 {
            out.push(found(format!("line {n}: only one of GA, GY, GZ may be used"), Fix::Order(facts.claim.order_id)));
        }
    }
}

fn documents(facts: &Facts, out: &mut Vec<Finding>) {
    let order_id = facts.claim.order_id.unwrap_or_default();
    for (n, line, lf) in lines(facts) {
        for rule in &lf.required {
            // The order itself is the written order once it has every SWO element, as the
            // missing-information list (documents::missing) also judges it.
            let order_is_the_swo =
                rule.document_type == DocType::Swo && facts.claim.order_id.is_some() && facts.swo_gaps.is_empty();
            let on_file = order_is_the_swo
                || facts.documents.iter().any(|d| {
                    d.doc_type == rule.document_type
                        && rule.form.is_none_or(|f| d.form == Some(f))
                        && d.covers(order_id, &line.hcpcs)
                        && d.is_valid_on(line.service_from)
                });
            if !on_file {
                out.push(found(
                    format!(
                        "line {n}: no {} for {} valid on {} is on file ({})",
                        rule.document_type.label(),
                        line.hcpcs,
                        line.service_from,
                        rule.source
                    ),
                    Fix::Documents(facts.claim.patient_id),
                ));
            }
        }
    }
}

fn proof_of_delivery(facts: &Facts, out: &mut Vec<Finding>) {
    for (n, line, lf) in lines(facts) {
        let fix = Fix::Order(facts.claim.order_id);
        match lf.delivered_on {
            None if line.order_line_id.is_none() => out.push(found(
                format!("line {n}: not linked to an order line, so no proof of delivery can be found"),
                fix,
            )),
            None => out.push(found(
                format!("line {n}: {} has no signed proof of delivery; confirm the delivery first", line.hcpcs),
                fix,
            )),
            Some(d) if d > line.service_from => out.push(found(
                format!(
                    "line {n}: the date of service {} is before the delivery was signed for ({d})",
                    line.service_from
                ),
                fix,
            )),
            Some(_) => {}
        }
    }
}

fn medicare_cmn(facts: &Facts, out: &mut Vec<Finding>) {
    if !is_medicare(facts) {
        return;
    }
    for (n, line, lf) in lines(facts) {
        if lf.has_cmn_data && line.service_from >= medicare_cmn_end() {
            out.push(found(
                format!("line {n}: a documentation rule adds CMN data for a Medicare date of service {}; end that rule on 2022-12-31", line.service_from),
                Fix::DocumentRules,
            ));
        }
    }
}

fn duplicate_line(facts: &Facts, out: &mut Vec<Finding>) {
    for (n, line, lf) in lines(facts) {
        if !lf.duplicates.is_empty() {
            out.push(found(
                format!(
                    "line {n}: {} {} on {} is already billed on claim {}; void or close one of them",
                    line.hcpcs,
                    line.modifiers.join(" "),
                    line.service_from,
                    lf.duplicates.join(", ")
                ),
                Fix::Claims,
            ));
        }
    }
}

/// Lines over the limit for `insulin_treated` patients, with the limit.
fn over_limit(facts: &Facts, insulin_treated: bool) -> Vec<(usize, &ClaimLine, &'static SupplyLimit)> {
    lines(facts)
        .filter_map(|(n, line, lf)| {
            let limit = SupplyLimit::find(&Hcpcs::parse(&line.hcpcs).ok()?, insulin_treated)?;
            let fits = limit.next_allowed(&lf.history, line.units, line.service_from) == Some(line.service_from);
            (!fits).then_some((n, line, limit))
        })
        .collect()
}

/// True when the patient's diagnoses show treatment with insulin (see `rentals::supplies`).
fn insulin_treated(facts: &Facts) -> bool {
    crate::rentals::insulin_treated(facts.patient.diagnoses.iter().map(String::as_str))
}

/// The one place a supply quantity above its frequency limit is refused: the claim cannot
/// leave in a batch while this finds something.
fn quantity_limit(facts: &Facts, out: &mut Vec<Finding>) {
    for (n, line, limit) in over_limit(facts, insulin_treated(facts)) {
        out.push(found(
            format!(
                "line {n}: {} units of {} on {} exceed the usual maximum of {}",
                line.units,
                line.hcpcs,
                line.service_from,
                limit.describe()
            ),
            Fix::Claims,
        ));
    }
}

/// A quantity the higher insulin-treated limit allows only because of the diagnoses: a
/// reminder that the record must show the insulin treatment.
fn quantity_limit_insulin(facts: &Facts, out: &mut Vec<Finding>) {
    if !insulin_treated(facts) {
        return;
    }
    for (n, line, limit) in over_limit(facts, false) {
        out.push(found(
            format!(
                "line {n}: {} units of {} exceed {} and are allowed because the diagnoses show insulin treatment; keep it documented",
                line.units,
                line.hcpcs,
                limit.describe()
            ),
            Fix::Documents(facts.claim.patient_id),
        ));
    }
}

/// The last day a claim for `dos` may be filed.
fn filing_limit(dos: chrono::NaiveDate) -> chrono::NaiveDate {
    dos.checked_add_months(Months::new(12)).unwrap_or(dos)
}

fn timely_filing(facts: &Facts, out: &mut Vec<Finding>) {
    let last = filing_limit(facts.claim.service_from);
    if facts.today > last {
        out.push(found(
            format!("the filing limit for {} passed on {last}; the payer will deny it", facts.claim.service_from),
            Fix::Claims,
        ));
    }
}

fn timely_filing_soon(facts: &Facts, out: &mut Vec<Finding>) {
    let last = filing_limit(facts.claim.service_from);
    let days = (last - facts.today).num_days();
    if (0..=30).contains(&days) {
        out.push(found(
            format!("only {days} day(s) left to file (limit {last}): send it in the next batch"),
            Fix::Claims,
        ));
    }
}

fn charge(facts: &Facts, out: &mut Vec<Finding>) {
    for (n, line, _) in lines(facts) {
        if line.charge.cents() <= 0 {
            out.push(found(
                format!(
                    "line {n}: no charge for {} {}; add it to {}'s fee schedule",
                    line.hcpcs,
                    line.modifiers.join(" "),
                    facts.payer.name
                ),
                Fix::Fees(facts.payer.id),
            ));
        }
    }
}
