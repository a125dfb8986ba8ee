//! Intake through the core API on a real database file: validation, the rules that need
//! the database (overlaps, duplicates, Medicare member ids), the audit trail, and the
//! promise that bad input changes nothing.

mod common;

use common::{actor, TempDb};
use hmedesk::coverages::{self, CoverageError, CoverageInput};
use hmedesk::fees::{self, FeeInput};
use hmedesk::patients::{self, PatientError, PatientInput};
use hmedesk::payers::{self, PayerInput};
use hmedesk::practitioners::{self, PractitionerError, PractitionerInput};
use hmedesk::{audit, Db, Money};

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn patient(db: &mut Db, first: &str, last: &str, dob: &str, mbi: Option<&str>) -> i64 {
    patients::add(
        db,
        &actor(),
        &PatientInput {
            first_name: s(first),
            last_name: s(last),
            dob: s(dob),
            sex: s("F"),
            mbi: mbi.map(str::to_string),
            phone: s("214-555-0199"),
            diagnoses: s("G47.33, I10"),
            ..PatientInput::default()
        },
    )
    .unwrap()
    .id
}

fn payer(db: &mut Db, name: &str, kind: &str) -> i64 {
    payers::add(
        db,
        &actor(),
        &PayerInput { name: s(name), kind: s(kind), payer_id: s("18003"), ..PayerInput::default() },
    )
    .unwrap()
    .id
}

fn coverage(
    patient: i64,
    payer: i64,
    member: &str,
    priority: &str,
    effective: &str,
    termination: Option<&str>,
) -> CoverageInput {
    CoverageInput {
        patient_id: Some(patient.to_string()),
        payer_id: Some(payer.to_string()),
        member_id: s(member),
        priority: s(priority),
        effective: s(effective),
        termination: termination.map(str::to_string),
        ..CoverageInput::default()
    }
}

fn audit_count(db: &Db) -> i64 {
    db.conn().query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

#[test]
fn practitioner_npi_check_digit_decides_what_is_saved() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let input =
        |npi: &str| PractitionerInput { npi: s(npi), first_name: s("Ann"), last_name: s("Lee"), ..Default::default() };
    match practitioners::add(&mut db, &actor(), &input("1234567890")) {
        Err(PractitionerError::Invalid(p)) => assert_eq!(p.0[0].field, "npi"),
        other => panic!("expected an NPI problem, got {other:?}"),
    }
    assert_eq!(temp.count("practitioners"), 0);
    assert_eq!(audit_count(&db), 0);
    let saved = practitioners::add(&mut db, &actor(), &input("1234567893")).unwrap();
    assert_eq!(practitioners::list(db.conn(), "lee").unwrap(), vec![saved]);
    let duplicate = practitioners::add(&mut db, &actor(), &input("1234567893")).unwrap_err();
    assert!(duplicate.to_string().contains("already on file for Lee, Ann"), "{duplicate}");
}

#[test]
fn every_mutation_is_audited_with_actor_and_entity() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let id = patient(&mut db, "Maria", "Lopez", "1948-03-02", Some("1EG4-TE5-MK73"));
    let mut input = patients::get(db.conn(), id).unwrap().to_input();
    input.phone = s("2145550123");
    patients::update(&mut db, &actor(), id, &input).unwrap();
    let entries = audit::recent(db.conn(), Some("patient"), Some(id), 10).unwrap();
    let actions: Vec<(&str, &str)> = entries.iter().map(|e| (e.action.as_str(), e.summary.as_str())).collect();
    assert_eq!(actions, vec![("update", "changed contact"), ("create", "added patient with 2 diagnoses")]);
    assert!(entries.iter().all(|e| e.actor == "tester"));
    // The audit summary names fields, never their values (no PHI in the log).
    assert!(entries.iter().all(|e| !e.summary.contains("2145550123") && !e.summary.contains("Lopez")));
}

#[test]
fn patient_validation_failures_change_nothing() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let bad = PatientInput {
        first_name: s("X"),
        dob: s("1948-02-30"),
        sex: s("F"),
        diagnoses: s("J44.9, 123"),
        ..Default::default()
    };
    match patients::add(&mut db, &actor(), &bad) {
        Err(PatientError::Invalid(p)) => {
            let fields: Vec<&str> = p.0.iter().map(|x| x.field.as_str()).collect();
            assert_eq!(fields, vec!["last_name", "dob", "diagnoses"]);
        }
        other => panic!("expected problems, got {other:?}"),
    }
    assert_eq!(temp.count("patients") + temp.count("patient_diagnoses") + temp.count("audit_log"), 0);
}

#[test]
fn an_mbi_belongs_to_one_patient() {
    let temp = TempDb::new();
    let mut db = temp.open();
    patient(&mut db, "Maria", "Lopez", "1948-03-02", Some("1EG4TE5MK73"));
    let err = patients::add(
        &mut db,
        &actor(),
        &PatientInput {
            first_name: s("Ann"),
            last_name: s("Other"),
            dob: s("1950-01-01"),
            sex: s("F"),
            mbi: s("1eg4-te5-mk73"),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("mbi: MBI 1EG4TE5MK73 is already on file"), "{err}");
}

#[test]
fn coverages_of_the_same_priority_may_not_overlap() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let p = patient(&mut db, "Maria", "Lopez", "1948-03-02", None);
    let aetna = payer(&mut db, "Aetna", "commercial");
    let bcbs = payer(&mut db, "BCBS", "commercial");
    coverages::add(&mut db, &actor(), &coverage(p, aetna, "W1", "primary", "2025-01-01", Some("2025-12-31"))).unwrap();
    let overlapping = coverage(p, bcbs, "X1", "primary", "2025-12-31", None);
    match coverages::add(&mut db, &actor(), &overlapping) {
        Err(CoverageError::Invalid(problems)) => {
            assert!(
                problems.to_string().contains("overlaps the primary coverage with Aetna (2025-01-01 to 2025-12-31)"),
                "{problems}"
            )
        }
        other => panic!("expected an overlap, got {other:?}"),
    }
    // Adjacent periods, and a different priority, are fine.
    coverages::add(&mut db, &actor(), &coverage(p, bcbs, "X1", "primary", "2026-01-01", None)).unwrap();
    coverages::add(&mut db, &actor(), &coverage(p, aetna, "W2", "secondary", "2025-06-01", None)).unwrap();
    let active: Vec<String> = coverages::active_on(db.conn(), p, "2026-02-01".parse().unwrap())
        .unwrap()
        .into_iter()
        .map(|c| format!("{} {}", c.priority.code(), c.payer_name))
        .collect();
    assert_eq!(active, vec!["primary BCBS", "secondary Aetna"]);
}

#[test]
fn a_medicare_member_id_must_be_an_mbi() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let p = patient(&mut db, "Maria", "Lopez", "1948-03-02", None);
    let medicare = payer(&mut db, "Medicare DME MAC JC", "medicare_dme");
    let err = coverages::add(&mut db, &actor(), &coverage(p, medicare, "123456789A", "primary", "2025-01-01", None))
        .unwrap_err();
    assert!(err.to_string().contains("member_id: Medicare member id must be the patient's MBI"), "{err}");
    let ok = coverages::add(&mut db, &actor(), &coverage(p, medicare, "1eg4-te5-mk73", "primary", "2025-01-01", None))
        .unwrap();
    assert_eq!(ok.member_id, "1EG4TE5MK73");
}

#[test]
fn coverage_for_missing_records_names_them() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let err = coverages::add(&mut db, &actor(), &coverage(41, 42, "W1", "primary", "2025-01-01", None)).unwrap_err();
    assert_eq!(err.to_string(), "patient_id: there is no patient with id 41; payer_id: there is no payer with id 42");
}

#[test]
fn fees_price_lines_by_leading_modifiers_and_date() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let medicare = payer(&mut db, "Medicare", "medicare_dme");
    let fee = |mods: &str, allowed: &str, effective: &str, termination: Option<&str>| FeeInput {
        payer_id: Some(medicare.to_string()),
        hcpcs: s("E0601"),
        modifiers: s(mods),
        allowed: s(allowed),
        charge: s("185"),
        effective: s(effective),
        termination: termination.map(str::to_string),
    };
    fees::add(&mut db, &actor(), &fee("RR", "90.00", "2025-01-01", Some("2025-12-31"))).unwrap();
    fees::add(&mut db, &actor(), &fee("RR", "93.69", "2026-01-01", None)).unwrap();
    fees::add(&mut db, &actor(), &fee("NU", "936.90", "2026-01-01", None)).unwrap();
    let overlap = fees::add(&mut db, &actor(), &fee("RR", "95.00", "2026-06-01", None)).unwrap_err();
    assert!(overlap.to_string().contains("overlaps the fee for E0601 RR from 2026-01-01"), "{overlap}");
    let mods = |m: &[&str]| m.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let price = |m: &[&str], dos: &str| {
        fees::lookup(db.conn(), medicare, "E0601", &mods(m), dos.parse().unwrap()).unwrap().map(|f| f.allowed)
    };
    assert_eq!(price(&["RR", "KH", "KX"], "2026-03-01"), Some("93.69".parse::<Money>().unwrap()));
    assert_eq!(price(&["RR", "KJ"], "2025-03-01"), Some("90.00".parse::<Money>().unwrap()));
    assert_eq!(price(&["NU"], "2026-03-01"), Some("936.90".parse::<Money>().unwrap()));
    assert_eq!(price(&["UE"], "2026-03-01"), None);
    assert_eq!(price(&["RR"], "2024-12-31"), None);
}
