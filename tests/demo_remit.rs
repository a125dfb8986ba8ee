//! The demo's `remit` stage: the Medicare batch sent, acknowledged by a 999 and a 277CA, and
//! paid by the demo payer's 835, posted as a biller's import would post it; the same 835
//! imported again posts nothing, and `demo::load_through` still gives the demo as the
//! `claims` stage left it. Its `corrections` stage: the secondary claims sent, one primary
//! payment reversed and paid again, and that secondary claim on the work queue to correct.

mod common;

use chrono::NaiveDate;
use common::{actor, TempDb};
use hmedesk::claims::{self, ClaimSource, ClaimStatus};
use hmedesk::sync::{outbox, OutboxKind, OutboxState};
use hmedesk::x12::check::check;
use hmedesk::{acks, demo, remit, Db};

const TODAY: &str = "2026-11-20";

fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

fn demo_db() -> (TempDb, Db) {
    let t = TempDb::new();
    let mut db = t.open();
    demo::load(&mut db, &actor(), today()).unwrap();
    (t, db)
}

/// The demo as its stage `last` left it.
fn demo_through(last: &str) -> (TempDb, Db) {
    let t = TempDb::new();
    let mut db = t.open();
    demo::load_through(&mut db, &actor(), today(), last).unwrap();
    (t, db)
}

/// The claims of batch `batch_id` in the batch's order (the demo payer denies the last).
fn batch_claims(db: &Db, batch_id: i64) -> Vec<claims::Claim> {
    let mut ours: Vec<claims::Claim> = claims::list(db.conn(), &claims::ClaimFilter::default())
        .unwrap()
        .into_iter()
        .filter(|c| c.batch_id == Some(batch_id))
        .collect();
    ours.sort_by_key(|c| c.id);
    ours
}

/// The Medicare batch: the demo's first.
fn medicare_batch(db: &Db) -> claims::ClaimBatch {
    claims::list_batches(db.conn()).unwrap().pop().unwrap()
}

#[test]
fn demo_has_the_medicare_batch_sent_acknowledged_and_its_remittance_posted() {
    let (_t, db) = demo_through("remit");
    let batches = claims::list_batches(db.conn()).unwrap();
    assert_eq!(batches.len(), 1, "one batch");
    let batch = &batches[0];
    assert_eq!(batch.status, "accepted", "the 999 accepted the sent batch");
    let uploads = outbox::list(db.conn()).unwrap();
    let upload = uploads.iter().find(|i| i.sha256 == batch.sha256).expect("the batch's outbox row");
    assert_eq!(upload.state, OutboxState::Acknowledged);
    assert!(upload.sent_at.is_some() && upload.remote_id.as_deref() == Some(batch.file_name.as_str()));
    let others: Vec<_> = uploads.iter().filter(|i| i.kind == OutboxKind::Eligibility270).collect();
    assert_eq!(others.len(), 2, "the eligibility questions are still queued");
    assert!(others.iter().all(|i| i.state == OutboxState::Queued));
    assert!(acks::unmatched(db.conn()).unwrap().is_empty(), "every acknowledgment matched our batch and claims");

    let ours = batch_claims(&db, batch.id);
    assert!(ours.len() >= 2, "{ours:#?}");
    let (last, paid) = ours.split_last().unwrap();
    assert_eq!(last.status, ClaimStatus::Denied);
    assert!(paid.iter().all(|c| matches!(c.status, ClaimStatus::Paid | ClaimStatus::PartlyPaid)), "{paid:#?}");
    for claim in &ours {
        let events: Vec<ClaimStatus> = claims::events(db.conn(), claim.id).unwrap().into_iter().map(|e| e.to).collect();
        assert!(events.contains(&ClaimStatus::Submitted) && events.contains(&ClaimStatus::Accepted), "{events:?}");
    }

    let payments = remit::payments(db.conn()).unwrap();
    assert_eq!(payments.len(), 1);
    let payment = &payments[0];
    assert_eq!(payment.trace_number, demo::REMIT_TRACE);
    assert!(payment.plb_total.is_negative(), "the payer added interest: {payment:?}");
    assert_eq!(payment.amount, payment.claims_paid - payment.plb_total);

    let queue = remit::work_queue(db.conn()).unwrap();
    assert!(queue.iter().any(|w| w.claim_id == last.id && w.reason.contains("CO-50")), "{queue:?}");
    let unmatched = remit::unmatched(db.conn()).unwrap();
    assert_eq!(unmatched.iter().map(|u| u.control_number.as_str()).collect::<Vec<_>>(), ["NOT-OURS-1"]);

    let all = claims::list(db.conn(), &claims::ClaimFilter::default()).unwrap();
    let secondaries: Vec<&claims::Claim> = all.iter().filter(|c| c.source == ClaimSource::Secondary).collect();
    assert!(!secondaries.is_empty(), "a patient with a secondary coverage gets a secondary draft");
    for draft in secondaries {
        let primary = draft.related_claim_id.expect("a secondary names its primary");
        assert!(paid.iter().any(|c| c.id == primary), "{draft:?}");
        assert_eq!((draft.status, draft.priority.as_str()), (ClaimStatus::Draft, "secondary"));
    }
}

#[test]
fn demo_has_a_reversed_primary_payment_and_its_secondary_claim_to_correct() {
    let (_t, db) = demo_db();
    let batches = claims::list_batches(db.conn()).unwrap();
    assert_eq!(batches.len(), 2, "the Medicare batch and the secondary claims' batch");
    let sent = &batches[0];
    assert_eq!(sent.status, "sent");
    let secondaries: Vec<claims::Claim> =
        batch_claims(&db, sent.id).into_iter().filter(|c| c.source == ClaimSource::Secondary).collect();
    assert!(!secondaries.is_empty(), "the secondary drafts were scrubbed and batched");
    assert!(secondaries.iter().all(|c| c.status == ClaimStatus::Submitted), "{secondaries:#?}");

    let payments = remit::payments(db.conn()).unwrap();
    assert_eq!(
        payments.iter().map(|p| p.trace_number.as_str()).collect::<Vec<_>>(),
        [demo::CORRECTION_TRACE, demo::REMIT_TRACE]
    );
    let queue = remit::work_queue(db.conn()).unwrap();
    let corrections: Vec<&remit::WorkItem> = queue.iter().filter(|w| w.kind == remit::WorkKind::Correction).collect();
    assert_eq!(corrections.len(), 1, "{queue:#?}");
    let secondary = claims::get(db.conn(), corrections[0].claim_id).unwrap();
    assert!(secondaries.iter().any(|c| c.id == secondary.id));
    let primary = claims::get(db.conn(), secondary.related_claim_id.unwrap()).unwrap();
    assert_eq!(primary.status, ClaimStatus::Paid, "the corrected claim posted");
    assert!(corrections[0].reason.contains(&format!("primary claim {}'s payment", primary.control_number)));
    let standing = remit::cob::standing(db.conn(), primary.id).unwrap().unwrap();
    let deductible =
        standing.all_adjustments().into_iter().find(|a| (a.group.as_str(), a.reason.as_str()) == ("PR", "1"));
    assert_eq!(deductible.map(|a| a.amount), Some("50".parse().unwrap()), "the corrected payment took a deductible");
}

#[test]
fn the_demo_payers_files_are_clean_and_post_only_once() {
    let (t, mut db) = demo_db();
    let batch = medicare_batch(&db);
    let era = demo::payer::remittance(db.conn(), batch.id, today(), demo::REMIT_TRACE).unwrap();
    let problems = check(era.as_slice()).problems;
    assert!(problems.is_empty(), "{problems:?}");
    let again = remit::import(&mut db, &actor(), &era, "again.835").unwrap();
    assert!(again.duplicate, "the demo's 835 imported by hand posts nothing");
    for (file, name) in [
        (demo::payer::batch_accepted(db.conn(), batch.id, today()).unwrap(), "again.999"),
        (demo::payer::claims_accepted(db.conn(), batch.id, today()).unwrap(), "again.277"),
    ] {
        let problems = check(file.as_slice()).problems;
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert!(acks::import(&mut db, &actor(), &file, name).unwrap().duplicate, "{name}");
    }
    drop(db);
    let path = t.dir.path().join("again.835");
    std::fs::write(&path, &era).unwrap();
    let cli = t.cli_json(&["remit", "import", path.to_str().unwrap(), "--json"]);
    assert_eq!(cli["duplicate"], true);
    assert_eq!(t.count("payments"), 2, "the demo's two payments, nothing more");
}

#[test]
fn the_demo_through_claims_still_has_its_batch_queued() {
    let t = TempDb::new();
    let mut db = t.open();
    let summary = demo::load_through(&mut db, &actor(), today(), "claims").unwrap();
    assert_eq!(summary.loaded.last().map(String::as_str), Some("claims"));
    let batch = claims::list_batches(db.conn()).unwrap().remove(0);
    assert_eq!(batch.status, "created");
    assert!(batch_claims(&db, batch.id).iter().all(|c| c.status == ClaimStatus::Batched));
    assert_eq!(outbox::waiting(db.conn()).unwrap(), 3, "the batch and two eligibility questions");
    assert!(remit::payments(db.conn()).unwrap().is_empty());

    let rest = demo::load(&mut db, &actor(), today()).unwrap();
    assert_eq!(rest.loaded, ["remit", "corrections"]);
    assert!(matches!(
        demo::load_through(&mut db, &actor(), today(), "nope"),
        Err(demo::DemoError::UnknownStage(name)) if name == "nope"
    ));
}
