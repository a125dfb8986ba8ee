//! The rule table: one clean Medicare claim, then one change per row and exactly the rules
//! that change must trip.

use super::*;
use crate::catalog::PaymentCategory;
use crate::claims::{ClaimFrequency, ClaimLine, ClaimSource};
use crate::coverages::{Coverage, Priority, Relationship, Subscriber};
use crate::documents::{Blocks, DocType, DocumentationRule};
use crate::orders::Acquisition;
use crate::patients::{Patient, Sex};
use crate::payers::{Payer, PayerKind};
use crate::practitioners::{Npi, Practitioner};
use crate::rentals::resupply::Fill;
use crate::supplier::Supplier;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn rental_line() -> ClaimLine {
    ClaimLine {
        id: 1,
        position: 1,
        control_number: "HL0000000001".into(),
        hcpcs: "E0601".into(),
        modifiers: vec!["RR".into(), "KI".into(), "KX".into()],
        service_from: d("2026-10-01"),
        service_to: d("2026-10-31"),
        units: 1,
        charge: "185.00".parse().unwrap(),
        allowed: Some("93.69".parse().unwrap()),
        diagnosis_pointers: vec![1],
        acquisition: Acquisition::Rental,
        order_line_id: Some(7),
        delivery_item_id: None,
        rental_month: Some(2),
    }
}

fn rental_facts() -> LineFacts {
    LineFacts { category: Some(PaymentCategory::CR), delivered_on: Some(d("2026-09-01")), ..LineFacts::default() }
}

fn clean() -> Facts {
    let line = rental_line();
    Facts {
        claim: Claim {
            id: 1,
            control_number: "HD0000000001".into(),
            patient_id: 3,
            patient_name: "Lopez, Maria".into(),
            coverage_id: 4,
            payer_id: 5,
            payer_name: "Medicare DME".into(),
            priority: "primary".into(),
            practitioner_id: Some(6),
            order_id: Some(8),
            source: ClaimSource::Rental,
            place_of_service: "12".into(),
            frequency: ClaimFrequency::Original,
            payer_claim_number: None,
            related_claim_id: None,
            corrects_claim_id: None,
            prior_authorization: None,
            diagnoses: vec!["G47.33".into()],
            status: ClaimStatus::Draft,
            service_from: line.service_from,
            service_to: line.service_to,
            created_at: "2026-11-01T00:00:00Z".into(),
            batch_id: None,
            total_charge: line.charge,
            lines: vec![line],
        },
        supplier: Some(Supplier {
            legal_name: "Lone Star Home Medical".into(),
            dba_name: None,
            npi: Npi::from_first_nine(123_456_789).as_str().into(),
            ein: "751234567".into(),
            ptan: None,
            taxonomy: "332B00000X".into(),
            address1: "100 Main St".into(),
            address2: None,
            city: "Dallas".into(),
            state: "TX".into(),
            zip: "752011234".into(),
            phone: "2145550100".into(),
            contact_name: None,
            email: None,
        }),
        patient: Patient {
            id: 3,
            first_name: "Maria".into(),
            last_name: "Lopez".into(),
            middle_name: None,
            dob: d("1950-02-03"),
            sex: Sex::F,
            address1: Some("12 Elm St".into()),
            address2: None,
            city: Some("Dallas".into()),
            state: Some("TX".into()),
            zip: Some("75201".into()),
            phone: None,
            email: None,
            mbi: Some("1EG4TE5MK73".into()),
            notes: None,
            diagnoses: vec!["G47.33".into()],
        },
        coverage: Coverage {
            id: 4,
            patient_id: 3,
            payer_id: 5,
            payer_name: "Medicare DME".into(),
            member_id: "1EG4TE5MK73".into(),
            group_number: None,
            priority: Priority::Primary,
            effective: d("2020-01-01"),
            termination: None,
            relationship: Relationship::Itself,
            subscriber: None,
        },
        payer: Payer {
            id: 5,
            name: "Medicare DME".into(),
            kind: PayerKind::MedicareDme,
            payer_id: Some("18003".into()),
            claim_filing_indicator: "MB".into(),
            address1: None,
            address2: None,
            city: None,
            state: None,
            zip: None,
            phone: None,
        },
        practitioner: Some(Practitioner {
            id: 6,
            npi: Npi::from_first_nine(198_765_432).as_str().into(),
            first_name: "Alicia".into(),
            last_name: "Reyes".into(),
            credentials: Some("MD".into()),
            address1: None,
            address2: None,
            city: None,
            state: None,
            zip: None,
            phone: None,
            fax: None,
            pecos_enrolled: true,
        }),
        documents: Vec::new(),
        swo_gaps: vec!["no practitioner signature date".into()],
        lines: vec![rental_facts()],
        eligibility_checked_on: Some(d("2026-11-02")),
        eligibility_max_age_days: 30,
        today: d("2026-11-20"),
    }
}

fn errors_and_warnings(facts: &Facts) -> (Vec<&'static str>, Vec<&'static str>) {
    let found = check(facts);
    let pick = |s: Severity| {
        let mut ids: Vec<&'static str> = found.iter().filter(|f| f.severity == s).map(|f| f.rule).collect();
        ids.dedup();
        ids
    };
    (pick(Severity::Error), pick(Severity::Warning))
}

fn first_line(f: &mut Facts) -> &mut ClaimLine {
    &mut f.claim.lines[0]
}

fn set_modifiers(f: &mut Facts, mods: &[&str]) {
    first_line(f).modifiers = mods.iter().map(|m| m.to_string()).collect();
}

fn as_purchase(f: &mut Facts, category: PaymentCategory, mods: &[&str]) {
    first_line(f).acquisition = Acquisition::Purchase;
    first_line(f).rental_month = None;
    f.lines[0].category = Some(category);
    set_modifiers(f, mods);
}

/// Scrubs on a later day, eligibility verified again that day.
fn later(f: &mut Facts, today: &str) {
    f.today = d(today);
    f.eligibility_checked_on = Some(f.today);
}

type Change = fn(&mut Facts);

#[test]
fn the_clean_claim_passes_every_rule() {
    assert_eq!(check(&clean()), Vec::new());
}

#[test]
fn rule_table() {
    let table: &[(&str, Change, &[&str], &[&str])] = &[
        ("no supplier", |f| f.supplier = None, &["billing_npi"], &[]),
        ("bad billing NPI", |f| f.supplier.as_mut().unwrap().npi = "1234567890".into(), &["billing_npi"], &[]),
        ("5-digit supplier ZIP", |f| f.supplier.as_mut().unwrap().zip = "75201".into(), &["billing_npi"], &[]),
        ("no practitioner", |f| f.practitioner = None, &["ordering_npi"], &[]),
        ("bad ordering NPI", |f| f.practitioner.as_mut().unwrap().npi = "1999999999".into(), &["ordering_npi"], &[]),
        ("not in PECOS", |f| f.practitioner.as_mut().unwrap().pecos_enrolled = false, &["pecos"], &[]),
        (
            "PECOS is Medicare's rule",
            |f| {
                f.practitioner.as_mut().unwrap().pecos_enrolled = false;
                f.payer.kind = PayerKind::Commercial;
                f.coverage.member_id = "XDB100007331".into();
            },
            &[],
            &[],
        ),
        ("no diagnosis", |f| f.claim.diagnoses.clear(), &["diagnosis"], &[]),
        ("malformed diagnosis", |f| f.claim.diagnoses.push("44.9J".into()), &["diagnosis"], &[]),
        ("coverage ended", |f| f.coverage.termination = Some(d("2026-10-15")), &["coverage_active"], &[]),
        ("coverage not yet begun", |f| f.coverage.effective = d("2026-10-02"), &["coverage_active"], &[]),
        ("eligibility never checked", |f| f.eligibility_checked_on = None, &[], &["eligibility_stale"]),
        (
            "eligibility checked 31 days ago",
            |f| f.eligibility_checked_on = Some(d("2026-10-20")),
            &[],
            &["eligibility_stale"],
        ),
        ("eligibility checked 30 days ago", |f| f.eligibility_checked_on = Some(d("2026-10-21")), &[], &[]),
        ("a shorter max age", |f| f.eligibility_max_age_days = 7, &[], &["eligibility_stale"]),
        ("HICN instead of MBI", |f| f.coverage.member_id = "123456789A".into(), &["member_id"], &[]),
        (
            "blank commercial member id",
            |f| {
                f.payer.kind = PayerKind::Commercial;
                f.coverage.member_id = " ".into();
            },
            &["member_id"],
            &[],
        ),
        ("patient-subscriber without address", |f| f.patient.city = None, &["subscriber"], &[]),
        ("dependent without subscriber", |f| f.coverage.relationship = Relationship::Spouse, &["subscriber"], &[]),
        (
            "subscriber without address",
            |f| {
                f.coverage.relationship = Relationship::Spouse;
                f.coverage.subscriber = Some(Subscriber {
                    first_name: "Rafael".into(),
                    last_name: "Lopez".into(),
                    dob: d("1949-01-01"),
                    sex: Some(Sex::M),
                    address1: None,
                    city: None,
                    state: None,
                    zip: None,
                });
            },
            &["subscriber"],
            &[],
        ),
        ("month 2 billed KH", |f| set_modifiers(f, &["RR", "KH", "KX"]), &["modifiers"], &[]),
        ("month 4 still KI", |f| first_line(f).rental_month = Some(4), &["modifiers"], &[]),
        ("rental without RR", |f| set_modifiers(f, &["KI", "KX"]), &["modifiers"], &[]),
        ("rental month missing", |f| first_line(f).rental_month = None, &["modifiers"], &[]),
        ("rental with NU", |f| set_modifiers(f, &["RR", "KI", "NU"]), &["modifiers"], &[]),
        (
            "oxygen takes no RR/KH",
            |f| {
                f.lines[0].category = Some(PaymentCategory::OX);
                set_modifiers(f, &["RR", "KH"]);
            },
            &["modifiers"],
            &[],
        ),
        (
            "oxygen month 5 without month modifiers",
            |f| {
                f.lines[0].category = Some(PaymentCategory::OX);
                first_line(f).rental_month = Some(5);
                set_modifiers(f, &[]);
            },
            &[],
            &[],
        ),
        ("supply rented", |f| f.lines[0].category = Some(PaymentCategory::SU), &["modifiers"], &[]),
        ("equipment purchase without NU", |f| as_purchase(f, PaymentCategory::IN, &[]), &["modifiers"], &[]),
        ("purchase with RR", |f| as_purchase(f, PaymentCategory::IN, &["NU", "RR"]), &["modifiers"], &[]),
        ("used equipment purchase", |f| as_purchase(f, PaymentCategory::IN, &["UE"]), &[], &[]),
        ("supply purchase takes no NU", |f| as_purchase(f, PaymentCategory::SU, &[]), &[], &[]),
        ("code not in the catalog", |f| f.lines[0].category = None, &["modifiers"], &[]),
        ("KX with GA", |f| set_modifiers(f, &["RR", "KI", "KX", "GA"]), &["kx_with_ga_gy_gz"], &[]),
        ("GA with GZ", |f| set_modifiers(f, &["RR", "KI", "GA", "GZ"]), &["kx_with_ga_gy_gz"], &[]),
        ("required document missing", |f| f.lines[0].required.push(swo_rule()), &["documents"], &[]),
        (
            "the complete signed order is the written order",
            |f| {
                f.lines[0].required.push(swo_rule());
                f.swo_gaps.clear();
            },
            &[],
            &[],
        ),
        (
            "required document on file",
            |f| {
                f.lines[0].required.push(swo_rule());
                f.documents.push(swo(d("2026-08-20"), None));
            },
            &[],
            &[],
        ),
        (
            "required document expired",
            |f| {
                f.lines[0].required.push(swo_rule());
                f.documents.push(swo(d("2025-08-20"), Some(d("2026-08-19"))));
            },
            &["documents"],
            &[],
        ),
        ("never delivered", |f| f.lines[0].delivered_on = None, &["proof_of_delivery"], &[]),
        ("billed before delivery", |f| f.lines[0].delivered_on = Some(d("2026-10-02")), &["proof_of_delivery"], &[]),
        (
            "not linked to an order",
            |f| {
                f.lines[0].delivered_on = None;
                first_line(f).order_line_id = None;
            },
            &["proof_of_delivery"],
            &[],
        ),
        ("CMN data on a 2026 Medicare line", |f| f.lines[0].has_cmn_data = true, &["medicare_cmn"], &[]),
        (
            "CMN data on a 2022 Medicare line",
            |f| {
                f.lines[0].has_cmn_data = true;
                f.today = d("2022-12-20");
                f.lines[0].delivered_on = Some(d("2022-10-01"));
                let l = first_line(f);
                l.service_from = d("2022-11-01");
                l.service_to = d("2022-11-30");
                f.claim.service_from = d("2022-11-01");
                f.claim.service_to = d("2022-11-30");
            },
            &[],
            &[],
        ),
        (
            "CMN data for a Medicaid plan",
            |f| {
                f.lines[0].has_cmn_data = true;
                f.payer.kind = PayerKind::Medicaid;
                f.coverage.member_id = "520012345".into();
            },
            &[],
            &[],
        ),
        ("duplicate line", |f| f.lines[0].duplicates.push("HD0000000099".into()), &["duplicate_line"], &[]),
        (
            "three months of filters at once",
            |f| {
                as_purchase(f, PaymentCategory::SU, &[]);
                first_line(f).hcpcs = "A7038".into();
                first_line(f).units = 6;
            },
            &[],
            &[],
        ),
        (
            "filters over the limit",
            |f| {
                as_purchase(f, PaymentCategory::SU, &[]);
                first_line(f).hcpcs = "A7038".into();
                first_line(f).units = 4;
                f.lines[0].history.push(Fill { dos: d("2026-09-01"), quantity: 6 });
            },
            &["quantity_limit"],
            &[],
        ),
        (
            "test strips above the limit without insulin",
            |f| {
                as_purchase(f, PaymentCategory::SU, &[]);
                first_line(f).hcpcs = "A4253".into();
                first_line(f).units = 3;
            },
            &["quantity_limit"],
            &[],
        ),
        (
            "test strips within the insulin limit, insulin in the diagnoses",
            |f| {
                as_purchase(f, PaymentCategory::SU, &[]);
                first_line(f).hcpcs = "A4253".into();
                first_line(f).units = 3;
                f.patient.diagnoses.push("Z79.4".into());
            },
            &[],
            &["quantity_limit_insulin"],
        ),
        (
            "test strips above even the insulin limit",
            |f| {
                as_purchase(f, PaymentCategory::SU, &[]);
                first_line(f).hcpcs = "A4253".into();
                first_line(f).units = 7;
                f.patient.diagnoses.push("E10.9".into());
            },
            &["quantity_limit"],
            &["quantity_limit_insulin"],
        ),
        ("past the filing limit", |f| later(f, "2027-10-02"), &["timely_filing"], &[]),
        ("filing limit near", |f| later(f, "2027-09-15"), &[], &["timely_filing_soon"]),
        ("zero charge", |f| first_line(f).charge = Default::default(), &["charge"], &[]),
    ];
    for (name, change, errors, warnings) in table {
        let mut facts = clean();
        change(&mut facts);
        let (e, w) = errors_and_warnings(&facts);
        assert_eq!((e.as_slice(), w.as_slice()), (*errors, *warnings), "{name}: {:#?}", check(&facts));
    }
}

#[test]
fn every_problem_is_reported_at_once_with_a_fix() {
    let mut facts = clean();
    facts.claim.diagnoses.clear();
    facts.practitioner.as_mut().unwrap().pecos_enrolled = false;
    set_modifiers(&mut facts, &["RR", "KJ", "KX", "GZ"]);
    first_line(&mut facts).charge = Default::default();
    let found = check(&facts);
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["pecos", "diagnosis", "modifiers", "kx_with_ga_gy_gz", "charge"]);
    assert_eq!(found[0].fix, Fix::Practitioner(6));
    assert_eq!(found[4].fix, Fix::Fees(5));
    assert!(found[2].message.contains("RR KI"), "{}", found[2].message);
}

#[test]
fn every_rule_has_a_unique_id_and_a_source() {
    for (i, rule) in RULES.iter().enumerate() {
        assert!(!rule.source.trim().is_empty(), "{}", rule.id);
        assert!(RULES[..i].iter().all(|r| r.id != rule.id), "{} twice", rule.id);
    }
}

fn swo_rule() -> DocumentationRule {
    DocumentationRule {
        id: 1,
        payer_id: None,
        payer_kind: Some(PayerKind::MedicareDme),
        hcpcs_from: None,
        hcpcs_to: None,
        category: None,
        document_type: DocType::Swo,
        form: None,
        blocks: Blocks::Billing,
        effective: d("2020-01-01"),
        termination: None,
        source: "42 CFR 410.38(d)".into(),
    }
}

fn swo(initial: NaiveDate, expires: Option<NaiveDate>) -> crate::documents::Document {
    crate::documents::Document {
        id: 1,
        patient_id: 3,
        patient_name: "Lopez, Maria".into(),
        order_id: Some(8),
        doc_type: DocType::Swo,
        form: None,
        hcpcs: Vec::new(),
        initial_date: initial,
        revised_date: None,
        recert_due: None,
        expires,
        length_of_need_months: None,
        pa_number: None,
        pa_units: None,
        pa_from: None,
        pa_to: None,
        answers: serde_json::Value::Null,
        notes: None,
        files: Vec::new(),
    }
}
