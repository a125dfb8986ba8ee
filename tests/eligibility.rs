//! Eligibility end to end on the demo database with the folder transport: the 270 is queued
//! and sent, the 271 dropped in the incoming folder answers the check by its trace number,
//! and the scrubber's "verified within N days" follows the answer; a program stopped during
//! a real-time check leaves it for the next sync.

mod common;

use chrono::{Duration, Local};
use common::TempDb;
use hmedesk::eligibility::{self, CheckState};
use hmedesk::sync::folder::FolderTransport;
use hmedesk::sync::pass::{plan, run_once};
use hmedesk::sync::transport::{Cursors, Offered, Receipt, Transport, TransportError, Upload};
use hmedesk::sync::{outbox, Importers, OutboxKind, OutboxState};
use hmedesk::{demo, Actor, Db};
use std::fs;

/// A demo patient whose primary coverage's payer takes 270s.
fn eligible_patient(db: &Db) -> i64 {
    db.conn()
        .query_row(
            "SELECT c.patient_id FROM coverages c JOIN payers p ON p.id = c.payer_id
             WHERE p.payer_id IS NOT NULL AND c.priority = 'primary' AND c.termination IS NULL ORDER BY c.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_queued_270_is_answered_by_the_271_that_comes_back() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let actor = Actor::new("tester");
    let today = Local::now().date_naive();
    demo::load(&mut db, &actor, today).unwrap();
    let patient = eligible_patient(&db);

    let check = eligibility::check(&mut db, &actor, None, patient, "12", Local::now().naive_local()).unwrap();
    assert_eq!(check.state, CheckState::Waiting);
    let queued = &outbox::list(db.conn()).unwrap()[0];
    assert_eq!(queued.kind, OutboxKind::Eligibility270);
    let request = String::from_utf8(outbox::content(db.conn(), queued.id).unwrap()).unwrap();
    assert!(request.contains(&format!("TRN*1*{}*", check.trace_number)), "{request}");
    assert!(request.contains("EQ*12~"));
    assert!(!eligibility::recently_verified(db.conn(), patient, today).unwrap());

    let (out, inc) = (temp.dir.path().join("out"), temp.dir.path().join("in"));
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&inc).unwrap();
    let answer = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/x12/eligibility.271"))
        .unwrap()
        .replace("ELIG-PCN1001", &check.trace_number);
    fs::write(inc.join("answer.271"), answer).unwrap();
    let report =
        run_once(&mut db, &actor, &mut FolderTransport::new(&out, &inc), &Importers::standard(), chrono::Utc::now())
            .unwrap();
    // The demo's own two questions go out too (its 837P batch was sent and answered in the
    // demo), and its sample answer waiting in the inbox is imported with ours.
    assert_eq!((report.uploaded, report.downloaded, report.imported, report.failed), (3, 1, 2, 0));
    assert_eq!(fs::read_dir(&out).unwrap().count(), 3);

    let answered = &eligibility::list_for_patient(db.conn(), patient).unwrap()[0];
    assert_eq!(answered.state, CheckState::Active);
    assert_eq!(answered.checked_on, Some(today));
    let findings = answered.findings.as_ref().unwrap();
    assert_eq!(findings.coinsurance_percent.as_deref(), Some("20"));
    assert!(eligibility::recently_verified(db.conn(), patient, today).unwrap());
    assert!(!eligibility::verified_within(db.conn(), patient, 5, today + Duration::days(6)).unwrap());
    // The scrubber's eligibility_stale rule reads the claim's coverage's last active answer.
    let coverage = answered.coverage_id;
    assert_eq!(eligibility::last_active_check(db.conn(), coverage, today).unwrap(), Some(today));
    assert_eq!(eligibility::last_active_check(db.conn(), coverage, today - Duration::days(1)).unwrap(), None);
    assert_eq!(eligibility::max_age_days(db.conn()).unwrap(), eligibility::DEFAULT_MAX_AGE_DAYS);
}

#[test]
fn a_check_without_coverage_or_with_a_bad_service_type_changes_nothing() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let actor = Actor::new("tester");
    demo::load(&mut db, &actor, Local::now().date_naive()).unwrap();
    let now = Local::now().naive_local();
    let before = outbox::list(db.conn()).unwrap().len();
    assert!(eligibility::check(&mut db, &actor, None, 1, "1*2", now).is_err());
    assert!(eligibility::check(&mut db, &actor, None, 999_999, "12", now).is_err());
    assert_eq!(outbox::list(db.conn()).unwrap().len(), before);
}

/// A clearinghouse connection during whose real-time exchange the program stops, as a
/// killed window would; nothing else reaches it.
struct StopsTheProgram;

impl Transport for StopsTheProgram {
    fn name(&self) -> &'static str {
        "stops-the-program"
    }

    fn upload(&mut self, _upload: &Upload<'_>) -> Result<Receipt, TransportError> {
        Err(TransportError::Offline("never reached".into()))
    }

    fn find_upload(&mut self, _upload: &Upload<'_>) -> Result<Option<Receipt>, TransportError> {
        Err(TransportError::Offline("never reached".into()))
    }

    fn list_incoming(&mut self, _cursors: &Cursors) -> Result<Vec<Offered>, TransportError> {
        Err(TransportError::Offline("never reached".into()))
    }

    fn download(&mut self, _offered: &Offered) -> Result<Vec<u8>, TransportError> {
        Err(TransportError::Offline("never reached".into()))
    }

    fn eligibility(&mut self, _request: &[u8]) -> Result<Option<Vec<u8>>, TransportError> {
        panic!("the program stopped while the clearinghouse was answering")
    }

    fn settle(&mut self, _offered: &Offered) -> Result<(), TransportError> {
        Err(TransportError::Offline("never reached".into()))
    }
}

#[test]
fn a_check_stopped_during_its_real_time_exchange_is_sent_by_a_later_sync_and_answered() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let actor = Actor::new("tester");
    let today = Local::now().date_naive();
    demo::load(&mut db, &actor, today).unwrap();
    let patient = eligible_patient(&db);
    let now = Local::now().naive_local();
    let stopped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        eligibility::check(&mut db, &actor, Some(&mut StopsTheProgram), patient, "12", now)
    }));
    assert!(stopped.is_err());
    drop(db);

    // The first write stands: the check waits, its 270 queued under its trace number, kept
    // from passes while a real-time exchange could still be running.
    let mut db = temp.open();
    let check = eligibility::list_for_patient(db.conn(), patient).unwrap().remove(0);
    assert_eq!((check.state, check.checked_on), (CheckState::Waiting, None));
    let file_name = format!("eligibility-{}.270", check.trace_number);
    let queued = outbox::list(db.conn()).unwrap().into_iter().find(|i| i.file_name == file_name).unwrap();
    assert_eq!(queued.state, OutboxState::Queued);
    let later = chrono::Utc::now() + outbox::REAL_TIME_HOLD;
    assert!(!plan(db.conn(), chrono::Utc::now()).unwrap().upload.contains(&queued));
    assert!(plan(db.conn(), later).unwrap().upload.contains(&queued));

    let (out, inc) = (temp.dir.path().join("out"), temp.dir.path().join("in"));
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&inc).unwrap();
    let answer = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/x12/eligibility.271"))
        .unwrap()
        .replace("ELIG-PCN1001", &check.trace_number);
    fs::write(inc.join("answer.271"), answer).unwrap();
    run_once(&mut db, &actor, &mut FolderTransport::new(&out, &inc), &Importers::standard(), later).unwrap();
    let sent = fs::read_to_string(out.join(&file_name)).unwrap();
    assert!(sent.contains(&format!("TRN*1*{}*", check.trace_number)), "{sent}");
    assert_eq!(outbox::get(db.conn(), queued.id).unwrap().state, OutboxState::Sent);
    let answered = eligibility::list_for_patient(db.conn(), patient).unwrap().remove(0);
    assert_eq!((answered.id, answered.state, answered.checked_on), (check.id, CheckState::Active, Some(today)));
}
