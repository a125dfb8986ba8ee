//! The 837P writer against a golden file, the independent validator pyx12, and our own
//! reader. Scenarios: a purchase, capped-rental months 1, 2 and 4, oxygen, a dependent patient
//! with SV5/CR3 on a commercial claim, a secondary claim with the primary payer's payment, and
//! a replacement claim.

use chrono::NaiveDate;
use hmedesk::claims::x837::*;
use hmedesk::x12::check::check;
use hmedesk::Money;

mod common;
use common::pyx12_verdict;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn address(line1: &str, city: &str, zip: &str) -> Option<Address> {
    Some(Address { line1: line1.into(), line2: None, city: city.into(), state: "TX".into(), zip: zip.into() })
}

fn person(last: &str, first: &str, dob: &str, sex: &str) -> Person {
    Person {
        last_name: last.into(),
        first_name: first.into(),
        middle_name: None,
        dob: d(dob),
        sex: sex.into(),
        address: address("1 Elm St", "Dallas", "75204"),
    }
}

fn medicare(subscriber: Person, mbi: &str) -> Coverage {
    Coverage {
        responsibility: Responsibility::Primary,
        payer: PayerName { name: "CGS JURISDICTION C DME MAC".into(), payer_id: "18003".into() },
        filing_indicator: "MB".into(),
        member_id: mbi.into(),
        group_number: None,
        subscriber,
        relationship: PatientRelationship::SelfInsured,
    }
}

fn reyes() -> Option<Practitioner> {
    Some(Practitioner { last_name: "REYES".into(), first_name: "ALICIA".into(), npi: "1234567893".into() })
}

fn line(control: &str, hcpcs: &str, mods: &[&str], charge: &str, from: &str) -> Line {
    Line {
        control_number: control.into(),
        hcpcs: hcpcs.into(),
        modifiers: mods.iter().map(|m| m.to_string()).collect(),
        charge: m(charge),
        units: 1,
        from: d(from),
        to: None,
        diagnosis_pointers: vec![1],
        prices: None,
        certification: None,
        ordering: reyes(),
        adjudications: Vec::new(),
    }
}

fn adjustment(group: &str, reason: &str, amount: &str) -> Adjustment {
    Adjustment { group: group.into(), reason: reason.into(), amount: m(amount) }
}

fn claim(control: &str, coverage: Coverage, diagnoses: &[&str], lines: Vec<Line>) -> Claim {
    Claim {
        control_number: control.into(),
        coverage,
        patient: None,
        place_of_service: "12".into(),
        frequency: Frequency::Original,
        prior_authorization: None,
        diagnoses: diagnoses.iter().map(|s| s.to_string()).collect(),
        other_payers: Vec::new(),
        lines,
    }
}

fn batch() -> Batch {
    let lopez = person("LOPEZ", "MARIA", "1948-03-02", "F");
    let brown = person("BROWN", "JAMES", "1951-04-12", "M");
    let purchase = claim(
        "HD0000000001",
        medicare(lopez.clone(), "1EG4TE5MK73"),
        &["R26.89", "M17.11"],
        vec![line("HL00000000001", "E0143", &["NU", "KX"], "195", "2026-10-02")],
    );
    let cpap = claim(
        "HD0000000002",
        medicare(brown.clone(), "2UG7T98XM47"),
        &["G47.33"],
        vec![
            line("HL00000000002", "E0601", &["RR", "KH", "KX"], "185", "2026-07-15"),
            line("HL00000000003", "E0601", &["RR", "KI", "KX"], "185", "2026-08-15"),
            line("HL00000000004", "E0601", &["RR", "KJ", "KX"], "185", "2026-10-15"),
        ],
    );
    let mut oxygen_lines = vec![
        line("HL00000000005", "E1390", &["RR"], "325", "2026-10-20"),
        line("HL00000000006", "E0431", &["RR"], "45", "2026-10-20"),
    ];
    oxygen_lines[0].diagnosis_pointers = vec![1, 2, 3];
    let oxygen = claim(
        "HD0000000003",
        medicare(person("GARCIA", "ROSA", "1940-04-22", "F"), "3JD6Q80AA12"),
        &["J44.9", "J96.11", "Z99.81"],
        oxygen_lines,
    );

    let aetna = |subscriber: Person, relationship| Coverage {
        responsibility: Responsibility::Primary,
        payer: PayerName { name: "AETNA".into(), payer_id: "60054".into() },
        filing_indicator: "CI".into(),
        member_id: "W100065979".into(),
        group_number: Some("GRP10009".into()),
        subscriber,
        relationship,
    };
    let mut dependent = claim(
        "HD0000000004",
        aetna(person("LEE", "RAFAEL", "1971-05-14", "M"), PatientRelationship::Spouse),
        &["G47.33", "E66.01"],
        vec![line("HL00000000007", "E0601", &["RR"], "185", "2026-10-05")],
    );
    dependent.patient = Some(person("LEE", "ANA", "1973-09-09", "F"));
    dependent.lines[0].prices =
        Some(DmePrices { days: 365, rental_price: m("93.69"), purchase_price: m("936.90"), rental_frequency: "4" });
    dependent.lines[0].certification = Some((CertificationType::Initial, 12));
    dependent.prior_authorization = Some("PA20261005A".into());

    let mut secondary_coverage = medicare(lopez.clone(), "90000000913");
    secondary_coverage.responsibility = Responsibility::Secondary;
    secondary_coverage.payer = PayerName { name: "TEXAS MEDICAID".into(), payer_id: "617591011".into() };
    secondary_coverage.filing_indicator = "MC".into();
    let mut secondary = claim(
        "HD0000000005",
        secondary_coverage,
        &["R26.89"],
        vec![line("HL00000000008", "E0143", &["NU", "KX"], "195", "2026-10-02")],
    );
    // Medicare allowed 107.36 and paid 80 %: 195 − 87.64 (CO-45) − 21.47 (PR-2) = 85.89.
    secondary.other_payers.push(OtherPayer {
        coverage: medicare(lopez, "1EG4TE5MK73"),
        paid: Some(m("85.89")),
        adjustments: Vec::new(),
        remaining_patient_liability: None,
    });
    secondary.lines[0].adjudications.push(LineAdjudication {
        payer_id: "18003".into(),
        paid: m("85.89"),
        hcpcs: "E0143".into(),
        modifiers: vec!["NU".into()],
        units: 1.into(),
        adjustments: vec![adjustment("CO", "45", "87.64"), adjustment("PR", "2", "21.47")],
        paid_on: d("2026-11-20"),
        remaining_patient_liability: m("21.47"),
    });

    let mut replacement = claim(
        "HD0000000006",
        medicare(brown, "2UG7T98XM47"),
        &["G47.33"],
        vec![line("HL00000000009", "E0601", &["RR", "KJ", "KX"], "185", "2026-09-15")],
    );
    replacement.frequency = Frequency::Replacement { payer_claim_number: "21926001234567".into() };

    Batch {
        envelope: Envelope {
            submitter_id: "LSHM0001".into(),
            submitter_name: "LONE STAR HOME MEDICAL".into(),
            contact_name: "DANA WHITFIELD".into(),
            contact_phone: "2145550100".into(),
            receiver_id: "CEDI".into(),
            receiver_name: "CGS CEDI".into(),
            interchange_control: 17,
            group_control: 17,
            set_control: 1,
            created: d("2026-11-29").and_hms_opt(10, 30, 0).unwrap(),
            production: false,
        },
        billing: BillingProvider {
            name: "LONE STAR HOME MEDICAL LLC".into(),
            npi: "1548720360".into(),
            ein: "752468013".into(),
            taxonomy: "332B00000X".into(),
            address: Address {
                line1: "4200 COMMERCE ST".into(),
                line2: Some("SUITE 110".into()),
                city: "DALLAS".into(),
                state: "TX".into(),
                zip: "752264501".into(),
            },
        },
        claims: vec![purchase, cpap, oxygen, dependent, secondary, replacement],
    }
}

fn written() -> String {
    String::from_utf8(write_837p(Vec::new(), &batch()).expect("write")).expect("ASCII")
}

#[test]
fn matches_the_golden_file() {
    let text = written();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/x837/dme_batch.837");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    assert_eq!(text, std::fs::read_to_string(path).expect("golden file (UPDATE_GOLDEN=1 writes it)"));
}

#[test]
fn reads_back_with_balanced_envelopes_and_the_same_claims() {
    let text = written();
    let report = check(text.as_bytes());
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let clm01: Vec<&str> =
        text.lines().filter_map(|l| l.strip_prefix("CLM*")).map(|l| l.split('*').next().unwrap()).collect();
    assert_eq!(clm01, ["HD0000000001", "HD0000000002", "HD0000000003", "HD0000000004", "HD0000000005", "HD0000000006"]);
    let lines: Vec<&str> =
        text.lines().filter_map(|l| l.strip_prefix("REF*6R*")).map(|l| l.trim_end_matches('~')).collect();
    assert_eq!(lines.len(), 9);
    assert!(text.contains("SV1*HC:E0601:RR:KJ:KX*185*UN*1***1~"));
    assert!(text.contains("CLM*HD0000000002*555***12:B:1*Y*A*Y*Y~"));
    assert!(text.contains("REF*F8*21926001234567~"));
    assert!(text.contains("AMT*D*85.89~"));
}

#[test]
fn pyx12_finds_no_error() {
    let Some(stderr) = pyx12_verdict(&written()) else { return };
    let verdict = stderr.lines().last().unwrap_or_default();
    assert!(verdict.ends_with(": OK"), "pyx12 rejected the file:\n{stderr}");
}

/// A payer that reported at claim level only: every adjustment in 2320, one CAS per group
/// code with at most six reasons each, and the patient's share in 2320 AMT*EAF.
#[test]
fn claim_level_adjustments_group_by_code_six_reasons_a_segment() {
    let mut b = batch();
    let secondary = &mut b.claims[4];
    secondary.lines[0].adjudications.clear();
    let other = &mut secondary.other_payers[0];
    other.adjustments = ["45", "253", "59", "97", "94", "B7", "A1"]
        .iter()
        .map(|reason| adjustment("CO", reason, "10"))
        .chain([adjustment("PR", "2", "21.47"), adjustment("OA", "23", "0"), adjustment("PR", "1", "17.64")])
        .collect();
    other.remaining_patient_liability = Some(m("39.11"));
    let text = String::from_utf8(write_837p(Vec::new(), &b).unwrap()).unwrap();
    let cas: Vec<&str> = text.lines().filter(|l| l.starts_with("CAS*")).collect();
    assert_eq!(
        cas,
        ["CAS*CO*45*10**253*10**59*10**97*10**94*10**B7*10~", "CAS*CO*A1*10~", "CAS*PR*2*21.47**1*17.64~"],
        "grouped by code, the zero OA adjustment left out"
    );
    let after_cas: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("CAS*PR")).skip(1).take(3).collect();
    assert_eq!(after_cas, ["AMT*D*85.89~", "AMT*EAF*39.11~", "OI***Y***Y~"]);
    assert!(!text.contains("SVD*"));
    let report = check(text.as_bytes());
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let Some(stderr) = pyx12_verdict(&text) else { return };
    assert!(stderr.lines().last().unwrap_or_default().ends_with(": OK"), "pyx12 rejected the file:\n{stderr}");
}
