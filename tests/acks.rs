//! Acknowledgments applied to claims on file: 999s and 277CAs generated from a real batch of
//! the demo database (accepted, rejected with errors, mixed claim by claim), the same file
//! twice, verdicts for batches and claims that are not ours, a broken file, the CLI, and the
//! folder sync importing a dropped 999 once.

mod common;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use common::{actor, TempDb};
use hmedesk::acks::{self, AckError};
use hmedesk::claims::{self, ClaimFrequency, ClaimSource, ClaimStatus, NewClaim, NewLine};
use hmedesk::orders::Acquisition;
use hmedesk::sync::folder::FolderTransport;
use hmedesk::sync::pass::run_once;
use hmedesk::sync::{outbox, Importers, OutboxState};
use hmedesk::x12::write::{GroupHeader, InterchangeHeader, Writer};
use hmedesk::x12::Separators;
use hmedesk::{demo, Db};
use std::fs;

const TODAY: &str = "2026-11-20";

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn now() -> NaiveDateTime {
    date(TODAY).and_hms_opt(9, 30, 0).unwrap()
}

/// A batch on file: its id, GS06, ST02 and its claims in order.
struct Sent {
    id: i64,
    group: i64,
    set: i64,
    claims: Vec<claims::Claim>,
}

/// The demo database with a batch of `n` one-line claims (E0601, E0562) to the first
/// primary coverage's payer.
fn batch_of(n: usize) -> (TempDb, Db, Sent) {
    let t = TempDb::new();
    let mut db = t.open();
    demo::load(&mut db, &actor(), date(TODAY)).unwrap();
    let (patient_id, coverage_id, payer_id): (i64, i64, i64) = db
        .conn()
        .query_row(
            "SELECT patient_id, id, payer_id FROM coverages WHERE priority = 'primary' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let sent = db
        .write(&actor(), |c| {
            for _ in 0..n {
                let claim = NewClaim {
                    patient_id,
                    coverage_id,
                    practitioner_id: Some(1),
                    order_id: None,
                    source: ClaimSource::Purchase,
                    frequency: ClaimFrequency::Original,
                    payer_claim_number: None,
                    related_claim_id: None,
                    corrects_claim_id: None,
                    prior_authorization: None,
                    diagnoses: vec!["G47.33".into()],
                    lines: ["E0601", "E0562"]
                        .iter()
                        .map(|hcpcs| NewLine {
                            hcpcs: hcpcs.to_string(),
                            modifiers: vec!["NU".into()],
                            from: date("2026-10-01"),
                            to: date("2026-10-01"),
                            units: 1,
                            charge: "100.00".parse().unwrap(),
                            allowed: None,
                            diagnosis_pointers: vec![1],
                            acquisition: Acquisition::Purchase,
                            order_line_id: None,
                            delivery_item_id: None,
                            rental_month: None,
                        })
                        .collect(),
                };
                let saved = claims::create(c, &claim)?;
                claims::set_status(c, saved.id, ClaimStatus::Ready, None)?;
            }
            let (batch, _) = claims::create_batch(c, payer_id, now())?;
            let (group, set) = c.conn().query_row(
                "SELECT group_control, set_control FROM claim_batches WHERE id = ?1",
                [batch.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let mut stmt = c.conn().prepare("SELECT id FROM claims WHERE batch_id = ?1 ORDER BY id")?;
            let ids: Vec<i64> = stmt.query_map([batch.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let claims = ids.into_iter().map(|id| claims::get(c.conn(), id)).collect::<Result<_, _>>()?;
            Ok::<_, claims::ClaimError>(Sent { id: batch.id, group, set, claims })
        })
        .unwrap();
    assert_eq!(sent.claims.len(), n);
    (t, db, sent)
}

fn writer(functional_id: &str, version: &str, control: u32) -> Writer<Vec<u8>> {
    let mut w = Writer::new(Vec::new(), Separators::default()).with_line_breaks();
    w.begin_interchange(&InterchangeHeader {
        sender_qualifier: "ZZ".into(),
        sender_id: "CLEARINGHOUSE".into(),
        receiver_qualifier: "ZZ".into(),
        receiver_id: "HMEDESK".into(),
        created: now(),
        control_number: control,
        acknowledgment_requested: false,
        production: true,
    })
    .unwrap();
    w.begin_group(&GroupHeader {
        functional_id: functional_id.into(),
        sender_code: "CLEARINGHOUSE".into(),
        receiver_code: "HMEDESK".into(),
        created: now(),
        control_number: control,
        version: version.into(),
    })
    .unwrap();
    w
}

fn finish(mut w: Writer<Vec<u8>>) -> Vec<u8> {
    w.end_set().unwrap();
    w.end_group().unwrap();
    w.end_interchange().unwrap();
    w.into_inner()
}

/// A 999 for group `group`, set `set`: IK5 `status`; when rejected, NM109 of the
/// subscriber (segment 15, loop 2010BA) holds an invalid character.
fn ack999(group: i64, set: i64, status: &str) -> Vec<u8> {
    let mut w = writer("FA", "005010X231A1", 901);
    w.begin_set("999", "0001", "005010X231A1").unwrap();
    w.segment("AK1").element("HC").element(&group.to_string()).element("005010X222A1").finish().unwrap();
    w.segment("AK2").element("837").element(&format!("{set:04}")).element("005010X222A1").finish().unwrap();
    if status == "R" {
        w.segment("IK3").element("NM1").element("15").element("2010BA").element("8").finish().unwrap();
        w.segment("IK4").element("9").element("67").element("6").element("1EG4TE5MK7@").finish().unwrap();
        w.segment("IK5").element("R").element("5").finish().unwrap();
    } else {
        w.segment("IK5").element(status).finish().unwrap();
    }
    let accepted = if status == "R" { "0" } else { "1" };
    w.segment("AK9").element(status).element("1").element("1").element(accepted).finish().unwrap();
    finish(w)
}

/// One claim of a 277CA: CLM01, claim-level STC codes, and line statuses (REF*FJ, STC codes).
struct Pt<'a> {
    pcn: &'a str,
    codes: &'a [&'a str],
    lines: Vec<(&'a str, &'a [&'a str])>,
}

fn stc(w: &mut Writer<Vec<u8>>, codes: &[&str]) {
    let parts: Vec<&str> = codes[0].split(':').collect();
    w.segment("STC").composite(&parts).element("20261121").element("WQ").element("200").finish().unwrap();
}

fn ack277(claims: &[Pt<'_>]) -> Vec<u8> {
    let mut w = writer("HN", "005010X214", 902);
    w.begin_set("277", "0001", "005010X214").unwrap();
    w.segment("BHT")
        .element("0085")
        .element("08")
        .element("277CA1")
        .element("20261121")
        .element("1200")
        .element("TH")
        .finish()
        .unwrap();
    w.segment("HL").element("1").skip(1).element("20").element("1").finish().unwrap();
    w.segment("NM1")
        .element("PR")
        .element("2")
        .element("NORIDIAN")
        .skip(4)
        .element("PI")
        .element("16003")
        .finish()
        .unwrap();
    w.segment("HL").element("2").element("1").element("21").element("1").finish().unwrap();
    w.segment("NM1")
        .element("41")
        .element("2")
        .element("HOMEWELL")
        .skip(4)
        .element("46")
        .element("HMEDESK")
        .finish()
        .unwrap();
    w.segment("HL").element("3").element("2").element("19").element("1").finish().unwrap();
    w.segment("NM1")
        .element("85")
        .element("2")
        .element("HOMEWELL")
        .skip(4)
        .element("XX")
        .element("1234567893")
        .finish()
        .unwrap();
    for (i, claim) in claims.iter().enumerate() {
        let id = (4 + i).to_string();
        w.segment("HL").element(&id).element("3").element("PT").finish().unwrap();
        w.segment("NM1")
            .element("QC")
            .element("1")
            .element("RIVERA")
            .element("ANA")
            .skip(3)
            .element("MI")
            .element("1EG4TE5MK73")
            .finish()
            .unwrap();
        w.segment("TRN").element("2").element(claim.pcn).finish().unwrap();
        if !claim.codes.is_empty() {
            stc(&mut w, claim.codes);
        }
        w.segment("REF").element("1K").element("PAYER123").finish().unwrap();
        w.segment("DTP").element("472").element("D8").element("20261001").finish().unwrap();
        for (control, codes) in &claim.lines {
            w.segment("SVC").composite(&["HC", "E0601"]).element("100").skip(4).element("1").finish().unwrap();
            stc(&mut w, codes);
            w.segment("REF").element("FJ").element(control).finish().unwrap();
            w.segment("DTP").element("472").element("D8").element("20261001").finish().unwrap();
        }
    }
    finish(w)
}

fn status(db: &Db, claim: &claims::Claim) -> ClaimStatus {
    claims::get(db.conn(), claim.id).unwrap().status
}

fn history(db: &Db, claim: &claims::Claim) -> Vec<ClaimStatus> {
    claims::events(db.conn(), claim.id).unwrap().into_iter().map(|e| e.to).collect()
}

fn rejections(db: &Db) -> Vec<(i64, String)> {
    hmedesk::remit::work_queue(db.conn())
        .unwrap()
        .into_iter()
        .filter(|w| w.kind == hmedesk::remit::WorkKind::Rejection)
        .map(|w| (w.claim_id, w.reason))
        .collect()
}

fn batch_status(db: &Db, id: i64) -> String {
    claims::get_batch(db.conn(), id).unwrap().status
}

#[test]
fn an_accepting_999_accepts_the_batch_and_its_claims_through_submitted() {
    let (_t, mut db, sent) = batch_of(2);
    let s = acks::import(&mut db, &actor(), &ack999(sent.group, sent.set, "A"), "accept.999").unwrap();
    assert_eq!((s.kind.as_str(), s.batches_accepted, s.claims_accepted, s.unmatched), ("999", 1, 2, 0));
    assert_eq!(batch_status(&db, sent.id), "accepted");
    for claim in &sent.claims {
        assert_eq!(
            history(&db, claim),
            [
                ClaimStatus::Draft,
                ClaimStatus::Ready,
                ClaimStatus::Batched,
                ClaimStatus::Submitted,
                ClaimStatus::Accepted
            ]
        );
    }
    assert!(rejections(&db).is_empty());
}

#[test]
fn a_rejecting_999_rejects_the_batch_and_queues_its_claims_with_the_errors_in_words() {
    let (_t, mut db, sent) = batch_of(2);
    let s = acks::import(&mut db, &actor(), &ack999(sent.group, sent.set, "R"), "reject.999").unwrap();
    assert_eq!((s.batches_rejected, s.claims_rejected, s.claims_accepted), (1, 2, 0));
    assert_eq!(batch_status(&db, sent.id), "rejected");
    let queued = rejections(&db);
    assert_eq!(queued.iter().map(|q| q.0).collect::<Vec<_>>(), sent.claims.iter().map(|c| c.id).collect::<Vec<_>>());
    let reason = &queued[0].1;
    for words in [
        "NM1 segment #15 in loop 2010BA: segment has data element errors",
        "NM109 invalid character ('1EG4TE5MK7@')",
        "one or more segments in error",
        "reject.999",
    ] {
        assert!(reason.contains(words), "{words:?} not in {reason:?}");
    }
    assert_eq!(status(&db, &sent.claims[0]), ClaimStatus::Rejected);
}

#[test]
fn a_277ca_decides_claim_by_claim_and_names_the_rejected_line() {
    let (_t, mut db, sent) = batch_of(3);
    let [a, b, c] = [&sent.claims[0], &sent.claims[1], &sent.claims[2]];
    let line = &c.lines[1];
    let file = ack277(&[
        Pt { pcn: &a.control_number, codes: &["A2:20:PR"], lines: vec![] },
        Pt { pcn: &b.control_number, codes: &["A7:164:IL"], lines: vec![] },
        Pt { pcn: &c.control_number, codes: &["A1:19:PR"], lines: vec![(&line.control_number, &["A7:454"])] },
    ]);
    let s = acks::import(&mut db, &actor(), &file, "claims.277").unwrap();
    assert_eq!((s.kind.as_str(), s.claims_accepted, s.claims_rejected, s.unmatched), ("277ca", 1, 2, 0));
    assert_eq!(
        [status(&db, a), status(&db, b), status(&db, c)],
        [ClaimStatus::Accepted, ClaimStatus::Rejected, ClaimStatus::Rejected]
    );
    assert_eq!(&history(&db, b)[2..], [ClaimStatus::Batched, ClaimStatus::Submitted, ClaimStatus::Rejected]);
    let queued = rejections(&db);
    assert_eq!(queued.len(), 2);
    assert!(
        queued[0]
            .1
            .contains("A7:164:IL Rejected for invalid information: The entity's contract/member number (subscriber)"),
        "{}",
        queued[0].1
    );
    assert!(
        queued[1].1.contains("line 2 (E0562): A7:454 Rejected for invalid information: Procedure code of the service"),
        "{}",
        queued[1].1
    );

    // A later 277CA accepting the rejected claim does not undo the rejection; it is recorded.
    let again = ack277(&[Pt { pcn: &b.control_number, codes: &["A2:20:PR"], lines: vec![] }]);
    let s = acks::import(&mut db, &actor(), &again, "later.277").unwrap();
    assert_eq!((s.claims_accepted, s.unchanged), (0, 1));
    assert_eq!(status(&db, b), ClaimStatus::Rejected);
}

#[test]
fn the_same_file_twice_changes_nothing_the_second_time() {
    let (_t, mut db, sent) = batch_of(1);
    let file = ack999(sent.group, sent.set, "R");
    assert!(!acks::import(&mut db, &actor(), &file, "reject.999").unwrap().duplicate);
    let count = |db: &Db, table: &str| -> i64 {
        db.conn().query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    let before = (count(&db, "ack_verdicts"), count(&db, "claim_events"), count(&db, "work_queue"));
    let s = acks::import(&mut db, &actor(), &file, "reject-again.999").unwrap();
    assert!(s.duplicate);
    assert_eq!((s.batches_rejected, s.claims_rejected), (0, 0));
    assert_eq!((count(&db, "ack_verdicts"), count(&db, "claim_events"), count(&db, "work_queue")), before);
}

#[test]
fn verdicts_for_batches_and_claims_not_ours_are_kept_on_the_unmatched_list() {
    let (t, mut db, sent) = batch_of(1);
    let s = acks::import(&mut db, &actor(), &ack999(sent.group + 500, sent.set, "R"), "stranger.999").unwrap();
    assert_eq!((s.batches_rejected, s.unmatched), (0, 1));
    let s = acks::import(
        &mut db,
        &actor(),
        &ack277(&[Pt { pcn: "NOTOURS1", codes: &["A3:21:85"], lines: vec![] }]),
        "stranger.277",
    )
    .unwrap();
    assert_eq!((s.claims_rejected, s.unmatched), (0, 1));
    assert_eq!(batch_status(&db, sent.id), "created");
    assert_eq!(status(&db, &sent.claims[0]), ClaimStatus::Batched);
    let list = acks::unmatched(db.conn()).unwrap();
    assert_eq!(list.iter().map(|v| v.kind.as_str()).collect::<Vec<_>>(), ["999", "277ca"]);
    assert_eq!(list[1].control_number, "NOTOURS1");
    assert!(list[1].reason.contains("no claim of ours") && list[1].reason.contains("RIVERA"), "{}", list[1].reason);
    drop(db);
    let cli = t.cli_json(&["ack", "unmatched", "--json"]);
    assert_eq!(cli.as_array().unwrap().len(), 2);
}

#[test]
fn a_broken_acknowledgment_is_refused_with_its_position_and_changes_nothing() {
    let (_t, mut db, sent) = batch_of(1);
    let good = String::from_utf8(ack999(sent.group, sent.set, "A")).unwrap();
    let broken = good.lines().filter(|l| !l.starts_with("AK9")).collect::<Vec<_>>().join("\n");
    let files = |db: &Db| -> i64 { db.conn().query_row("SELECT COUNT(*) FROM remit_files", [], |r| r.get(0)).unwrap() };
    let before = files(&db);
    let err = acks::import(&mut db, &actor(), broken.as_bytes(), "broken.999").unwrap_err();
    assert!(matches!(err, AckError::Unreadable { .. }), "{err}");
    assert!(err.to_string().contains("segment "), "{err}");
    assert_eq!(status(&db, &sent.claims[0]), ClaimStatus::Batched);
    assert_eq!(files(&db), before, "the demo's own files, and not the broken one");
    let remit = acks::import(&mut db, &actor(), b"ISA*00*", "junk.999").unwrap_err();
    assert!(matches!(remit, AckError::Unreadable { .. }), "{remit}");
}

#[test]
fn cli_ack_import_prints_the_summary() {
    let (t, db, sent) = batch_of(2);
    drop(db);
    let file = t.dir.path().join("accept.999");
    fs::write(&file, ack999(sent.group, sent.set, "A")).unwrap();
    let out = t.cli_json(&["ack", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(out["kind"], "999");
    assert_eq!((out["batches_accepted"].as_u64(), out["claims_accepted"].as_u64()), (Some(1), Some(2)));
    assert_eq!((out["unmatched"].as_u64(), out["duplicate"].as_bool()), (Some(0), Some(false)));
    let again = t.cli_json(&["ack", "import", file.to_str().unwrap(), "--json"]);
    assert_eq!(again["duplicate"], true);
    let junk = t.dir.path().join("remit.835");
    fs::write(&junk, b"not x12").unwrap();
    let out = t.cli(&["ack", "import", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_999_dropped_in_the_incoming_folder_is_imported_by_the_next_pass_once() {
    let (t, mut db, sent) = batch_of(1);
    let (out, inc) = (t.dir.path().join("out"), t.dir.path().join("in"));
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&inc).unwrap();
    let mut transport = FolderTransport::new(&out, &inc);
    let pass = run_once(&mut db, &actor(), &mut transport, &Importers::standard(), Utc::now()).unwrap();
    assert_eq!(pass.failed, 0);
    let file_name = claims::get_batch(db.conn(), sent.id).unwrap().file_name;
    let item = outbox::list(db.conn()).unwrap().into_iter().find(|i| i.file_name == file_name).unwrap();
    assert_eq!(item.state, OutboxState::Sent);
    assert!(out.join(&file_name).exists());

    fs::write(inc.join("ack.999"), ack999(sent.group, sent.set, "A")).unwrap();
    let pass = run_once(&mut db, &actor(), &mut transport, &Importers::standard(), Utc::now()).unwrap();
    assert_eq!((pass.downloaded, pass.imported, pass.failed, pass.pending), (1, 1, 0, 0));
    assert_eq!(batch_status(&db, sent.id), "accepted");
    assert_eq!(status(&db, &sent.claims[0]), ClaimStatus::Accepted);
    assert_eq!(outbox::get(db.conn(), item.id).unwrap().state, OutboxState::Acknowledged);

    fs::write(inc.join("ack-again.999"), ack999(sent.group, sent.set, "A")).unwrap();
    let pass = run_once(&mut db, &actor(), &mut transport, &Importers::standard(), Utc::now()).unwrap();
    assert_eq!((pass.downloaded, pass.imported), (0, 0));
    let verdicts: i64 =
        db.conn().query_row("SELECT COUNT(*) FROM ack_verdicts WHERE batch_id = ?1", [sent.id], |r| r.get(0)).unwrap();
    assert_eq!(verdicts, 1);
}
