//! The claims store on a real database file: drafts get control numbers that never repeat,
//! bad shapes save nothing, and status moves follow the workflow with a history row each.

mod common;

use chrono::NaiveDate;
use common::{actor, TempDb};
use hmedesk::claims::{self, ClaimError, ClaimFilter, ClaimFrequency, ClaimSource, ClaimStatus, NewClaim, NewLine};
use hmedesk::orders::Acquisition;
use hmedesk::{demo, Db};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The demo's first patient with a coverage, after the intake stage.
fn patient_and_coverage(db: &mut Db) -> (i64, i64) {
    demo::load_through(db, &actor(), date("2026-11-01"), "intake").unwrap();
    db.conn()
        .query_row("SELECT patient_id, id FROM coverages WHERE priority = 'primary' ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
}

fn purchase(patient_id: i64, coverage_id: i64, lines: usize) -> NewClaim {
    NewClaim {
        patient_id,
        coverage_id,
        practitioner_id: None,
        order_id: None,
        source: ClaimSource::Purchase,
        frequency: ClaimFrequency::Original,
        payer_claim_number: None,
        related_claim_id: None,
        corrects_claim_id: None,
        prior_authorization: None,
        diagnoses: vec!["J44.9".into(), "G47.33".into()],
        lines: (0..lines)
            .map(|i| NewLine {
                hcpcs: "E0143".into(),
                modifiers: vec!["NU".into()],
                from: date("2026-10-01"),
                to: date("2026-10-01"),
                units: 1,
                charge: format!("{}.50", 100 + i).parse().unwrap(),
                allowed: None,
                diagnosis_pointers: vec![1, 2],
                acquisition: Acquisition::Purchase,
                order_line_id: None,
                delivery_item_id: None,
                rental_month: None,
            })
            .collect(),
    }
}

fn create(db: &mut Db, claim: &NewClaim) -> Result<claims::Claim, ClaimError> {
    db.write(&actor(), |c| claims::create(c, claim))
}

#[test]
fn drafts_get_control_numbers_that_never_repeat() {
    let tmp = TempDb::new();
    let mut db = tmp.open();
    let (patient, coverage) = patient_and_coverage(&mut db);
    let first = create(&mut db, &purchase(patient, coverage, 2)).unwrap();
    assert_eq!(first.status, ClaimStatus::Draft);
    assert_eq!(first.total_charge.to_string(), "202.00");
    assert_eq!(first.service_from, date("2026-10-01"));
    drop(db);
    let mut db = tmp.open();
    let second = create(&mut db, &purchase(patient, coverage, 1)).unwrap();
    let mut numbers: Vec<&str> = vec![&first.control_number, &second.control_number];
    numbers.extend(first.lines.iter().chain(&second.lines).map(|l| l.control_number.as_str()));
    let before = numbers.len();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), before, "a control number repeated: {numbers:?}");
    let found = claims::find_by_control_number(db.conn(), &second.control_number).unwrap();
    assert_eq!(found, Some(second.id));
}

#[test]
fn a_bad_claim_names_every_problem_and_saves_nothing() {
    let tmp = TempDb::new();
    let mut db = tmp.open();
    let (patient, coverage) = patient_and_coverage(&mut db);
    let mut claim = purchase(patient, coverage, 1);
    claim.lines[0].diagnosis_pointers = vec![3];
    claim.lines[0].units = 0;
    claim.frequency = ClaimFrequency::Replacement;
    let (before, lines_before) = (tmp.count("claims"), tmp.count("claim_lines"));
    let message = create(&mut db, &claim).unwrap_err().to_string();
    for expected in ["points past", "units must be at least 1", "payer's claim number"] {
        assert!(message.contains(expected), "{expected}: {message}");
    }
    assert_eq!(tmp.count("claims"), before);
    assert_eq!(tmp.count("claim_lines"), lines_before);
}

#[test]
fn status_moves_are_checked_and_kept_in_the_history() {
    let tmp = TempDb::new();
    let mut db = tmp.open();
    let (patient, coverage) = patient_and_coverage(&mut db);
    let claim = create(&mut db, &purchase(patient, coverage, 1)).unwrap();
    let skip = db.write(&actor(), |c| claims::set_status(c, claim.id, ClaimStatus::Submitted, None));
    assert!(matches!(skip, Err(ClaimError::Transition { .. })), "{skip:?}");
    for to in [ClaimStatus::Ready, ClaimStatus::Batched, ClaimStatus::Submitted, ClaimStatus::Paid] {
        db.write(&actor(), |c| claims::set_status(c, claim.id, to, Some("test"))).unwrap();
    }
    let history: Vec<ClaimStatus> = claims::events(db.conn(), claim.id).unwrap().into_iter().map(|e| e.to).collect();
    use ClaimStatus::*;
    assert_eq!(history, [Draft, Ready, Batched, Submitted, Paid]);
    let paid = claims::list(db.conn(), &ClaimFilter { status: Some(Paid), ..Default::default() }).unwrap();
    assert_eq!(paid.iter().map(|c| c.id).collect::<Vec<_>>(), [claim.id]);
    let audited: i64 = db
        .conn()
        .query_row("SELECT COUNT(*) FROM audit_log WHERE entity = 'claim' AND entity_id = ?1", [claim.id], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 5);
}
