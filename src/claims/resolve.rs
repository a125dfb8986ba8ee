//! From a claim on file to the fully resolved claim the 837P writer takes: the coverage's
//! subscriber and payer, the patient when not the subscriber, the ordering practitioner on
//! every line, the CMN data a payer's rules still ask for, and the other payers of a
//! secondary claim.

use super::x837::{
    self, Address, CertificationType, Frequency, LineAdjudication, OtherPayer, PatientRelationship, PayerName, Person,
    Responsibility,
};
use super::{Claim, ClaimError, ClaimFrequency};
use crate::coverages::{self, Coverage, Priority, Relationship};
use crate::documents::{self, DocType, Document, DocumentFilter, DocumentationRule, Reference};
use crate::orders::LIFETIME_MONTHS;
use crate::patients::{self, Patient};
use crate::payers::{self, Payer};
use crate::supplier::Supplier;
use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

/// The first date of service for which Medicare takes no CMN or DIF data on a claim.
pub fn medicare_cmn_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default()
}

/// The supplier as billing provider (loop 2010AA).
pub fn billing_provider(s: &Supplier) -> x837::BillingProvider {
    x837::BillingProvider {
        name: s.legal_name.clone(),
        npi: s.npi.clone(),
        ein: s.ein.replace('-', ""),
        taxonomy: s.taxonomy.clone(),
        address: Address {
            line1: s.address1.clone(),
            line2: s.address2.clone(),
            city: s.city.clone(),
            state: s.state.clone(),
            zip: s.zip.replace('-', ""),
        },
    }
}

fn address(
    line1: Option<&String>,
    city: Option<&String>,
    state: Option<&String>,
    zip: Option<&String>,
) -> Option<Address> {
    Some(Address {
        line1: line1?.clone(),
        line2: None,
        city: city?.clone(),
        state: state?.clone(),
        zip: zip?.replace('-', ""),
    })
}

fn patient_person(p: &Patient) -> Person {
    Person {
        last_name: p.last_name.clone(),
        first_name: p.first_name.clone(),
        middle_name: p.middle_name.clone(),
        dob: p.dob,
        sex: p.sex.code().to_string(),
        address: address(p.address1.as_ref(), p.city.as_ref(), p.state.as_ref(), p.zip.as_ref()),
    }
}

fn relationship(r: Relationship) -> PatientRelationship {
    match r {
        Relationship::Itself => PatientRelationship::SelfInsured,
        Relationship::Spouse => PatientRelationship::Spouse,
        Relationship::Child => PatientRelationship::Child,
        Relationship::Other => PatientRelationship::Other,
    }
}

/// The coverage as loops 2000B/2010BA/2010BB (or 2320/2330A/2330B) name it.
fn x837_coverage(coverage: &Coverage, payer: &Payer, patient: &Patient) -> x837::Coverage {
    let subscriber = match &coverage.subscriber {
        Some(s) => Person {
            last_name: s.last_name.clone(),
            first_name: s.first_name.clone(),
            middle_name: None,
            dob: s.dob,
            sex: s.sex.map_or("U", |x| x.code()).to_string(),
            address: address(s.address1.as_ref(), s.city.as_ref(), s.state.as_ref(), s.zip.as_ref()),
        },
        None => patient_person(patient),
    };
    x837::Coverage {
        responsibility: match coverage.priority {
            Priority::Primary => Responsibility::Primary,
            Priority::Secondary => Responsibility::Secondary,
            Priority::Tertiary => Responsibility::Tertiary,
        },
        payer: PayerName { name: payer.name.clone(), payer_id: payer.payer_id.clone().unwrap_or_default() },
        filing_indicator: payer.claim_filing_indicator.clone(),
        member_id: coverage.member_id.clone(),
        group_number: coverage.group_number.clone(),
        subscriber,
        relationship: relationship(coverage.relationship),
    }
}

/// The payer's documentation rules for `line` on its date of service.
pub fn line_requirements(
    reference: &mut Reference<'_>,
    payer: &Payer,
    line: &super::ClaimLine,
) -> Result<Vec<DocumentationRule>, ClaimError> {
    let category = reference.category(&line.hcpcs)?;
    Ok(reference.requirements(payer, &line.hcpcs, category, line.service_from))
}

/// The CMN data (CR3) a line carries: only when one of the payer's documentation rules for
/// the line (`required`) asks for a CMN and a CMN covering the line is on file. Medicare's
/// seeded rules end on 2022-12-31, so Medicare lines from 2023 carry none (the scrubber
/// checks it).
pub fn certification(
    required: &[DocumentationRule],
    claim: &Claim,
    line: &super::ClaimLine,
    docs: &[Document],
) -> Option<(CertificationType, u32)> {
    if !required.iter().any(|r| r.document_type == DocType::Cmn) {
        return None;
    }
    let order_id = claim.order_id.unwrap_or_default();
    let cmn = docs
        .iter()
        .find(|d| d.doc_type == DocType::Cmn && d.covers(order_id, &line.hcpcs) && d.is_valid_on(line.service_from));
    cmn.map(|d| {
        let kind = if d.revised_date.is_some() { CertificationType::Revised } else { CertificationType::Initial };
        (kind, d.length_of_need_months.unwrap_or(LIFETIME_MONTHS))
    })
}

/// A secondary or tertiary claim's coordination of benefits: the payers ahead of it and,
/// line by line, how each of them adjudicated the line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coordination {
    /// Loops 2320/2330A/2330B.
    pub other_payers: Vec<OtherPayer>,
    /// Loop 2430 per line, in the order of the claim's lines.
    pub lines: Vec<Vec<LineAdjudication>>,
}

/// The coordination of benefits of `claim`: each earlier-priority coverage in force on the
/// date of service is an other payer. For the coverage of the related claim (the one this
/// claim follows), its standing 835 posting ([`crate::remit::cob::standing`]) gives AMT*D,
/// the claim-level CAS and a 2430 per line it adjudicated, matched by position: a secondary
/// claim copies the primary's lines in order. When a posted line matched none of ours, that
/// payer is reported at claim level only (every adjustment in 2320, AMT*EAF there), which
/// keeps the TR3's balancing; nothing stands posted, nothing but the payer is reported.
pub fn coordination(conn: &Connection, claim: &Claim) -> Result<Coordination, ClaimError> {
    let mut result = Coordination { other_payers: Vec::new(), lines: vec![Vec::new(); claim.lines.len()] };
    let coverage = coverages::get(conn, claim.coverage_id)?;
    if coverage.priority == Priority::Primary {
        return Ok(result);
    }
    let patient = patients::get(conn, claim.patient_id)?;
    for other in coverages::active_on(conn, claim.patient_id, claim.service_from)? {
        if other.priority >= coverage.priority {
            continue;
        }
        let payer = payers::get(conn, other.payer_id)?;
        let coverage = x837_coverage(&other, &payer, &patient);
        let standing = match claim.related_claim_id {
            Some(id) if super::get(conn, id)?.coverage_id == other.id => {
                crate::remit::cob::standing(conn, id).map_err(|e| ClaimError::Balances(Box::new(e)))?
            }
            _ => None,
        };
        let Some(standing) = standing else {
            result.other_payers.push(OtherPayer {
                coverage,
                paid: None,
                adjustments: Vec::new(),
                remaining_patient_liability: None,
            });
            continue;
        };
        let places: Option<Vec<usize>> = standing
            .lines
            .iter()
            .map(|posted| claim.lines.iter().position(|l| Some(l.position) == posted.position))
            .collect();
        let places = places.filter(|p| !p.is_empty());
        let line_level = places.is_some();
        for (posted, &i) in standing.lines.iter().zip(places.iter().flatten()) {
            result.lines[i].push(LineAdjudication {
                payer_id: coverage.payer.payer_id.clone(),
                paid: posted.paid,
                hcpcs: posted.hcpcs.clone(),
                modifiers: posted.modifiers.clone(),
                units: posted.units.unwrap_or_else(|| Decimal::from(claim.lines[i].units)),
                adjustments: posted.adjustments.clone(),
                paid_on: posted.paid_on,
                remaining_patient_liability: posted.patient_liability(),
            });
        }
        result.other_payers.push(OtherPayer {
            coverage,
            paid: Some(standing.paid),
            adjustments: if line_level { standing.adjustments.clone() } else { standing.all_adjustments() },
            remaining_patient_liability: (!line_level).then(|| standing.patient_liability()),
        });
    }
    Ok(result)
}

/// Claim `claim` as the 837P writer takes it.
pub fn resolve(conn: &Connection, claim: &Claim) -> Result<x837::Claim, ClaimError> {
    resolve_in(&mut Reference::new(conn)?, claim)
}

/// [`resolve`] with the reference rows of a run over many claims (a batch).
pub fn resolve_in(reference: &mut Reference<'_>, claim: &Claim) -> Result<x837::Claim, ClaimError> {
    let conn = reference.conn();
    let coverage = coverages::get(conn, claim.coverage_id)?;
    let payer = reference.payer(coverage.payer_id)?.clone();
    let patient = patients::get(conn, claim.patient_id)?;
    let ordering = match claim.practitioner_id {
        Some(id) => {
            let p = reference.practitioner(id)?;
            Some(x837::Practitioner {
                last_name: p.last_name.clone(),
                first_name: p.first_name.clone(),
                npi: p.npi.clone(),
            })
        }
        None => None,
    };
    let docs = documents::list(conn, DocumentFilter { patient_id: Some(claim.patient_id), order_id: None })?;
    let mut lines = Vec::with_capacity(claim.lines.len());
    for line in &claim.lines {
        lines.push(x837::Line {
            control_number: line.control_number.clone(),
            hcpcs: line.hcpcs.clone(),
            modifiers: line.modifiers.clone(),
            charge: line.charge,
            units: line.units,
            from: line.service_from,
            to: (line.service_to != line.service_from).then_some(line.service_to),
            diagnosis_pointers: line.diagnosis_pointers.clone(),
            prices: super::dme::prices(reference, payer.id, line)?,
            certification: certification(&line_requirements(reference, &payer, line)?, claim, line, &docs),
            ordering: ordering.clone(),
            adjudications: Vec::new(),
        });
    }
    let coordination = coordination(conn, claim)?;
    for (line, adjudications) in lines.iter_mut().zip(coordination.lines) {
        line.adjudications = adjudications;
    }
    let number = || claim.payer_claim_number.clone().unwrap_or_default();
    Ok(x837::Claim {
        control_number: claim.control_number.clone(),
        coverage: x837_coverage(&coverage, &payer, &patient),
        patient: (coverage.relationship != Relationship::Itself).then(|| patient_person(&patient)),
        place_of_service: claim.place_of_service.clone(),
        frequency: match claim.frequency {
            ClaimFrequency::Original => Frequency::Original,
            ClaimFrequency::Replacement => Frequency::Replacement { payer_claim_number: number() },
            ClaimFrequency::Void => Frequency::Void { payer_claim_number: number() },
        },
        prior_authorization: claim.prior_authorization.clone(),
        diagnoses: claim.diagnoses.clone(),
        other_payers: coordination.other_payers,
        lines,
    })
}
