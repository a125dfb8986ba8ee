//! 835 posting scenarios, written like a ledger: claims on file → a remittance → the balances
//! each claim must show. The 835s are generated with the X12 writer.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{actor, demo_claims, dual_eligible};
use hmedesk::claims::{self, ClaimFrequency, ClaimSource, ClaimStatus, NewClaim, NewLine};
use hmedesk::orders::Acquisition;
use hmedesk::remit::{self, ClaimBalance, RemitError};
use hmedesk::x12::write::{GroupHeader, InterchangeHeader, Writer};
use hmedesk::x12::{Reader, Separators};
use hmedesk::{demo, Db, Money};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

/// A submitted claim for the demo's first primary coverage, one line per `(hcpcs, modifiers, charge)`.
fn submitted(db: &mut Db, lines: &[(&str, &[&str], &str)]) -> claims::Claim {
    let (patient_id, coverage_id): (i64, i64) = db
        .conn()
        .query_row("SELECT patient_id, id FROM coverages WHERE priority = 'primary' ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    submitted_to(db, patient_id, coverage_id, None, lines)
}

/// A submitted claim to `coverage_id`, following claim `related` when given.
fn submitted_to(
    db: &mut Db,
    patient_id: i64,
    coverage_id: i64,
    related: Option<i64>,
    lines: &[(&str, &[&str], &str)],
) -> claims::Claim {
    submit(db, &new_claim(patient_id, coverage_id, related, lines))
}

/// A claim to `coverage_id` dated 2026-10-01, one line per `(hcpcs, modifiers, charge)`.
fn new_claim(patient_id: i64, coverage_id: i64, related: Option<i64>, lines: &[(&str, &[&str], &str)]) -> NewClaim {
    NewClaim {
        patient_id,
        coverage_id,
        practitioner_id: None,
        order_id: None,
        source: if related.is_some() { ClaimSource::Secondary } else { ClaimSource::Purchase },
        frequency: ClaimFrequency::Original,
        payer_claim_number: None,
        related_claim_id: related,
        corrects_claim_id: None,
        prior_authorization: None,
        diagnoses: vec!["G47.33".into()],
        lines: lines
            .iter()
            .map(|(hcpcs, modifiers, charge)| NewLine {
                hcpcs: hcpcs.to_string(),
                modifiers: modifiers.iter().map(|m| m.to_string()).collect(),
                from: date("2026-10-01"),
                to: date("2026-10-01"),
                units: 1,
                charge: money(charge),
                allowed: None,
                diagnosis_pointers: vec![1],
                acquisition: Acquisition::Purchase,
                order_line_id: None,
                delivery_item_id: None,
                rental_month: None,
            })
            .collect(),
    }
}

/// Creates `claim` and moves it along to submitted.
fn submit(db: &mut Db, claim: &NewClaim) -> claims::Claim {
    db.write(&actor(), |c| {
        let created = claims::create(c, claim)?;
        for to in [ClaimStatus::Ready, ClaimStatus::Batched, ClaimStatus::Submitted] {
            claims::set_status(c, created.id, to, None)?;
        }
        claims::get(c.conn(), created.id)
    })
    .unwrap()
}

/// One SVC loop: control number (empty to leave REF*6R out), procedure as paid, as billed
/// (SVC06), charge, paid, CAS triplets (group, reason, amount), remarks.
struct Svc<'a> {
    control: &'a str,
    paid_as: &'a [&'a str],
    billed_as: Option<&'a [&'a str]>,
    charge: &'a str,
    paid: &'a str,
    cas: &'a [(&'a str, &'a str, &'a str)],
}

struct Clp<'a> {
    pcn: &'a str,
    status: &'a str,
    charge: &'a str,
    paid: &'a str,
    cas: &'a [(&'a str, &'a str, &'a str)],
    lines: Vec<Svc<'a>>,
    remarks: &'a [&'a str],
}

/// A balanced 835 with one payment (trace `trace`), the claims and the PLB pairs.
fn remittance(trace: &str, claims: &[Clp<'_>], plb: &[(&str, &str)]) -> Vec<u8> {
    let created = NaiveDateTime::parse_from_str("2026-11-05 09:30", "%Y-%m-%d %H:%M").unwrap();
    let mut w = Writer::new(Vec::new(), Separators::default()).with_line_breaks();
    w.begin_interchange(&InterchangeHeader {
        sender_qualifier: "ZZ".into(),
        sender_id: "DMEMACJA".into(),
        receiver_qualifier: "ZZ".into(),
        receiver_id: "HMEDESK".into(),
        created,
        control_number: 4711,
        acknowledgment_requested: false,
        production: true,
    })
    .unwrap();
    w.begin_group(&GroupHeader {
        functional_id: "HP".into(),
        sender_code: "DMEMACJA".into(),
        receiver_code: "HMEDESK".into(),
        created,
        control_number: 4711,
        version: "005010X221A1".into(),
    })
    .unwrap();
    w.begin_set("835", "0001", "").unwrap();
    let paid: Money = claims.iter().map(|c| money(c.paid)).sum();
    let adjusted: Money = plb.iter().map(|(_, a)| money(a)).sum();
    w.segment("BPR")
        .element("I")
        .amount(paid - adjusted)
        .element("C")
        .element("ACH")
        .skip(11)
        .element("20261108")
        .finish()
        .unwrap();
    w.segment("TRN").element("1").element(trace).element("1999999999").finish().unwrap();
    w.segment("DTM").element("405").element("20261105").finish().unwrap();
    w.segment("N1").element("PR").element("NORIDIAN JURISDICTION A DME").finish().unwrap();
    w.segment("N1").element("PE").element("HOMEWELL").element("XX").element("1234567893").finish().unwrap();
    w.segment("LX").element("1").finish().unwrap();
    for c in claims {
        w.segment("CLP")
            .element(c.pcn)
            .element(c.status)
            .element(c.charge)
            .element(c.paid)
            .skip(1)
            .element("MB")
            .element("2431000001")
            .element("12")
            .finish()
            .unwrap();
        w.segment("NM1").element("QC").element("1").element("RIVERA").element("ANA").finish().unwrap();
        if !c.remarks.is_empty() {
            let mut moa = w.segment("MOA").skip(2);
            for r in c.remarks {
                moa = moa.element(r);
            }
            moa.finish().unwrap();
        }
        for (group, reason, amount) in c.cas {
            w.segment("CAS").element(group).element(reason).element(amount).finish().unwrap();
        }
        for l in &c.lines {
            let paid_as: Vec<&str> = std::iter::once("HC").chain(l.paid_as.iter().copied()).collect();
            let mut svc = w.segment("SVC").composite(&paid_as).element(l.charge).element(l.paid).skip(1).element("1");
            if let Some(billed) = l.billed_as {
                let billed: Vec<&str> = std::iter::once("HC").chain(billed.iter().copied()).collect();
                svc = svc.composite(&billed);
            }
            svc.finish().unwrap();
            w.segment("DTM").element("472").element("20261001").finish().unwrap();
            for (group, reason, amount) in l.cas {
                w.segment("CAS").element(group).element(reason).element(amount).finish().unwrap();
            }
            if !l.control.is_empty() {
                w.segment("REF").element("6R").element(l.control).finish().unwrap();
            }
        }
    }
    for (reason, amount) in plb {
        w.segment("PLB")
            .element("1234567893")
            .element("20261231")
            .composite(&[reason, "REF1"])
            .element(amount)
            .finish()
            .unwrap();
    }
    w.end_set().unwrap();
    w.end_group().unwrap();
    w.end_interchange().unwrap();
    w.into_inner()
}

fn balance(db: &Db, claim: &claims::Claim) -> ClaimBalance {
    remit::claim_balances(db.conn(), &[claim.id]).unwrap().remove(0)
}

/// `charge paid contractual patient other balance` as one line of text, for ledger-like asserts.
fn ledger(b: &ClaimBalance) -> String {
    format!(
        "charge {} paid {} contractual {} patient {} other {} balance {}",
        b.charge, b.paid, b.contractual, b.patient_responsibility, b.other_adjustments, b.balance
    )
}

fn status(db: &Db, claim: &claims::Claim) -> ClaimStatus {
    claims::get(db.conn(), claim.id).unwrap().status
}

fn import(db: &mut Db, bytes: &[u8]) -> Result<remit::PostingSummary, RemitError> {
    remit::import(db, &actor(), bytes, "test.835")
}

/// A CPAP paid at 80 % with coinsurance, and the payer dropping the KX and reordering on a
/// line matched without REF*6R.
fn paid_claim<'a>(pcn: &'a str, line: &'a str) -> Clp<'a> {
    Clp {
        pcn,
        status: "1",
        charge: "150",
        paid: "96.4",
        cas: &[],
        remarks: &[],
        lines: vec![Svc {
            control: line,
            paid_as: &["E0601", "RR"],
            billed_as: Some(&["E0601", "KX", "RR"]),
            charge: "150",
            paid: "96.4",
            cas: &[("CO", "45", "29.5"), ("PR", "2", "24.1")],
        }],
    }
}

#[test]
fn paid_denied_unmatched_and_plb() {
    let (_tmp, mut db) = demo_claims();
    let cpap = submitted(&mut db, &[("E0601", &["RR", "KX"], "150")]);
    let walker = submitted(&mut db, &[("E0143", &["NU"], "85")]);
    let file = remittance(
        "EFT1",
        &[
            paid_claim(&cpap.control_number, ""),
            Clp {
                pcn: &walker.control_number,
                status: "4",
                charge: "85",
                paid: "0",
                cas: &[],
                remarks: &["MA130"],
                lines: vec![Svc {
                    control: &walker.lines[0].control_number,
                    paid_as: &["E0143", "NU"],
                    billed_as: None,
                    charge: "85",
                    paid: "0",
                    cas: &[("CO", "50", "85")],
                }],
            },
            paid_claim("NOT-OURS-1", ""),
        ],
        &[("L6", "-1.25"), ("WO", "40")],
    );
    let summary = import(&mut db, &file).unwrap();
    assert_eq!(
        (summary.payments, summary.claims_matched, summary.claims_unmatched, summary.lines_posted),
        (1, 2, 1, 2)
    );
    assert_eq!((summary.paid_total, summary.plb_total, summary.duplicate), (money("192.80"), money("38.75"), false));

    // The dropped modifier still found the CPAP line.
    assert_eq!(
        ledger(&balance(&db, &cpap)),
        "charge 150.00 paid 96.40 contractual 29.50 patient 24.10 other 0.00 balance 0.00"
    );
    assert_eq!(status(&db, &cpap), ClaimStatus::Paid);
    let line: Option<i64> = db
        .conn()
        .query_row("SELECT claim_line_id FROM line_adjudications ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(line, Some(cpap.lines[0].id));

    // CO-50 on a denial is not written off: the balance stays open and the claim is queued.
    assert_eq!(
        ledger(&balance(&db, &walker)),
        "charge 85.00 paid 0.00 contractual 0.00 patient 0.00 other 0.00 balance 85.00"
    );
    assert_eq!(status(&db, &walker), ClaimStatus::Denied);
    let queue = remit::work_queue(db.conn()).unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].claim_id, walker.id);
    assert!(queue[0].reason.contains("CO-50: These are non-covered services"), "{}", queue[0].reason);

    let unmatched = remit::unmatched(db.conn()).unwrap();
    assert_eq!(unmatched.len(), 1);
    assert_eq!((unmatched[0].control_number.as_str(), unmatched[0].paid), ("NOT-OURS-1", money("96.40")));

    let payments = remit::payments(db.conn()).unwrap();
    assert_eq!(payments.len(), 1);
    let p = &payments[0];
    assert_eq!(
        (p.amount, p.claims_paid, p.plb_total, p.posted, p.unmatched),
        (money("154.05"), money("192.80"), money("38.75"), money("96.40"), money("96.40"))
    );
    let plb: Vec<(String, i64)> = db
        .conn()
        .prepare("SELECT kind, amount FROM provider_adjustments ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(plb, [("interest".to_string(), -125), ("recoupment".to_string(), 4000)]);
}

#[test]
fn the_same_file_or_trace_posts_nothing_twice() {
    let (tmp, mut db) = demo_claims();
    let cpap = submitted(&mut db, &[("E0601", &["RR", "KX"], "150")]);
    let file = remittance("EFT2", &[paid_claim(&cpap.control_number, &cpap.lines[0].control_number)], &[]);
    assert!(!import(&mut db, &file).unwrap().duplicate);
    let adjudications = tmp.count("claim_adjudications");
    let again = import(&mut db, &file).unwrap();
    assert!(again.duplicate);
    assert_eq!((again.payments, again.claims_matched), (0, 0));
    // Same payer and trace number in a file that differs byte for byte.
    let mut resent = file.clone();
    resent.extend_from_slice(b"\n");
    assert!(import(&mut db, &resent).unwrap().duplicate);
    assert_eq!(tmp.count("claim_adjudications"), adjudications);
    assert_eq!(tmp.count("payments"), 1);
    assert_eq!(
        ledger(&balance(&db, &cpap)),
        "charge 150.00 paid 96.40 contractual 29.50 patient 24.10 other 0.00 balance 0.00"
    );
}

#[test]
fn a_reversal_undoes_exactly_the_original_and_the_correction_posts() {
    let (_tmp, mut db) = demo_claims();
    let (patient, primary, secondary) = dual_eligible(&db);
    let cpap = submitted_to(&mut db, patient, primary, None, &[("E0601", &["RR", "KX"], "150")]);
    // The secondary draft's 2320 AMT*D is what the primary's posting shows, reversals netted.
    let secondaries = |db: &Db| -> Vec<claims::Claim> {
        let mut stmt = db.conn().prepare("SELECT id FROM claims WHERE related_claim_id = ?1 ORDER BY id").unwrap();
        let ids: Vec<i64> = stmt.query_map([cpap.id], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        ids.into_iter().map(|id| claims::get(db.conn(), id).unwrap()).collect()
    };
    let primary_paid = |db: &Db, claim: &claims::Claim| {
        let claim = claims::get(db.conn(), claim.id).unwrap();
        let others = claims::resolve::coordination(db.conn(), &claim).unwrap().other_payers;
        assert_eq!(others.len(), 1);
        others[0].paid
    };
    let line = cpap.lines[0].control_number.clone();
    let first = remittance("EFT3", &[paid_claim(&cpap.control_number, &line)], &[]);
    assert_eq!(import(&mut db, &first).unwrap().secondary_drafts, 1, "24.10 coinsurance is left for the secondary");
    assert!(import(&mut db, &first).unwrap().duplicate);
    let drafts = secondaries(&db);
    assert_eq!(drafts.len(), 1, "drafted once");
    let draft = &drafts[0];
    assert_eq!(
        (draft.coverage_id, draft.source, draft.status),
        (secondary, ClaimSource::Secondary, ClaimStatus::Draft)
    );
    assert_eq!(
        draft.lines.iter().map(|l| (&l.hcpcs, l.charge)).collect::<Vec<_>>(),
        [(&cpap.lines[0].hcpcs, money("150"))]
    );
    assert_eq!(primary_paid(&db, draft), Some(money("96.40")));

    let reversal = reversal_of(&cpap.control_number, &line);
    let corrected = Clp {
        pcn: &cpap.control_number,
        status: "1",
        charge: "150",
        paid: "120.5",
        cas: &[],
        remarks: &[],
        lines: vec![Svc {
            control: &line,
            paid_as: &["E0601", "RR", "KX"],
            billed_as: None,
            charge: "150",
            paid: "120.5",
            cas: &[("CO", "45", "29.5")],
        }],
    };
    let summary = import(&mut db, &remittance("EFT4", &[reversal], &[])).unwrap();
    assert_eq!((summary.reversals, summary.secondary_to_correct, summary.work_queue), (1, 0, 0));
    assert_eq!(
        ledger(&balance(&db, &cpap)),
        "charge 150.00 paid 0.00 contractual 0.00 patient 0.00 other 0.00 balance 150.00"
    );
    assert_eq!(status(&db, &cpap), ClaimStatus::Accepted);
    assert_eq!(secondaries(&db)[0].status, ClaimStatus::Closed, "the reversal closes the secondary draft");
    assert!(remit::work_queue(db.conn()).unwrap().is_empty(), "a closed draft needs no correction");
    assert_eq!(primary_paid(&db, draft), None);
    let summary = import(&mut db, &remittance("EFT5", &[corrected], &[])).unwrap();
    assert_eq!(summary.secondary_drafts, 0, "nothing is left for the patient or a secondary payer");
    assert_eq!(
        ledger(&balance(&db, &cpap)),
        "charge 150.00 paid 120.50 contractual 29.50 patient 0.00 other 0.00 balance 0.00"
    );
    assert_eq!(status(&db, &cpap), ClaimStatus::Paid);
    let coordination = claims::resolve::coordination(db.conn(), draft).unwrap();
    let posted: Vec<(Money, usize)> = coordination.lines[0].iter().map(|a| (a.paid, a.adjustments.len())).collect();
    assert_eq!(posted, [(money("120.50"), 1)], "2430 leaves out the reversed posting and its reversal");
}

/// The reversal of `paid_claim` on claim `pcn` (REF*6R `line`).
fn reversal_of<'a>(pcn: &'a str, line: &'a str) -> Clp<'a> {
    Clp {
        pcn,
        status: "22",
        charge: "-150",
        paid: "-96.4",
        cas: &[],
        remarks: &[],
        lines: vec![Svc {
            control: line,
            paid_as: &["E0601", "RR", "KX"],
            billed_as: None,
            charge: "-150",
            paid: "-96.4",
            cas: &[("CO", "45", "-29.5"), ("PR", "2", "-24.1")],
        }],
    }
}

/// A dual-eligible patient's CPAP claim paid by the primary (drafting its secondary claim),
/// then the secondary claim moved through `steps`: (primary claim, secondary claim id).
fn paid_with_secondary_sent(db: &mut Db, steps: &[ClaimStatus]) -> (claims::Claim, i64) {
    let (patient, primary, _) = dual_eligible(db);
    let cpap = submitted_to(db, patient, primary, None, &[("E0601", &["RR", "KX"], "150")]);
    let line = cpap.lines[0].control_number.clone();
    let first = import(db, &remittance("EFT3", &[paid_claim(&cpap.control_number, &line)], &[])).unwrap();
    assert_eq!(first.secondary_drafts, 1);
    let secondary: i64 =
        db.conn().query_row("SELECT id FROM claims WHERE related_claim_id = ?1", [cpap.id], |r| r.get(0)).unwrap();
    db.write(&actor(), |c| {
        for &to in steps {
            claims::set_status(c, secondary, to, None)?;
        }
        Ok::<_, claims::ClaimError>(())
    })
    .unwrap();
    (cpap, secondary)
}

#[test]
fn a_reversal_after_the_secondary_went_out_queues_it_for_correction() {
    let (tmp, mut db) = demo_claims();
    let sent = [ClaimStatus::Ready, ClaimStatus::Batched, ClaimStatus::Submitted];
    let (cpap, secondary) = paid_with_secondary_sent(&mut db, &sent);
    let line = cpap.lines[0].control_number.clone();
    let file = remittance("EFT4", &[reversal_of(&cpap.control_number, &line)], &[]);
    let summary = import(&mut db, &file).unwrap();
    assert_eq!((summary.reversals, summary.secondary_to_correct, summary.work_queue), (1, 1, 1));
    assert_eq!(status(&db, &cpap), ClaimStatus::Accepted);
    let secondary_status = claims::get(db.conn(), secondary).unwrap().status;
    assert_eq!(secondary_status, ClaimStatus::Submitted, "a claim already sent is not closed");
    let queue = remit::work_queue(db.conn()).unwrap();
    assert_eq!(queue.len(), 1);
    let item = &queue[0];
    assert_eq!((item.kind, item.claim_id), (remit::WorkKind::Correction, secondary));
    let expected = format!(
        "primary claim {}'s payment from NORIDIAN JURISDICTION A DME was reversed on 2026-11-08 (trace EFT4), and \
         this secondary claim was billed on it: once the primary's corrected claim posts, send a replacement claim \
         (frequency 7) with the new payment, or void this claim (frequency 8)",
        cpap.control_number
    );
    assert_eq!(item.reason, expected);
    let listed = serde_json::to_value(item).unwrap();
    assert_eq!(listed["kind"], "correction", "the Remittance screen shows the kind");

    // The same file again, or the same reversal under a new trace number, queues nothing more.
    assert!(import(&mut db, &file).unwrap().duplicate);
    let resent = import(&mut db, &remittance("EFT4B", &[reversal_of(&cpap.control_number, &line)], &[])).unwrap();
    assert_eq!((resent.reversals, resent.secondary_to_correct, resent.claims_unmatched), (0, 0, 1));
    assert_eq!(tmp.count("work_queue"), 1);

    // The corrected claim posts; the secondary claim sent stands, so no second draft is made
    // and the item stays until the biller replaces or voids the claim.
    let corrected = remittance("EFT5", &[paid_claim(&cpap.control_number, &line)], &[]);
    let summary = import(&mut db, &corrected).unwrap();
    assert_eq!((summary.secondary_drafts, summary.secondary_to_correct), (0, 0));
    assert_eq!(status(&db, &cpap), ClaimStatus::Paid);
    assert_eq!(remit::work_queue(db.conn()).unwrap().len(), 1);
}

#[test]
fn every_secondary_that_went_out_is_queued_and_a_rejected_one_is_left() {
    use ClaimStatus::*;
    let sent = [Ready, Batched, Submitted];
    let cases: [(&[ClaimStatus], bool); 7] = [
        (&sent[..2], true),
        (&sent, true),
        (&[Ready, Batched, Submitted, Accepted], true),
        (&[Ready, Batched, Submitted, Paid], true),
        (&[Ready, Batched, Submitted, PartlyPaid], true),
        (&[Ready, Batched, Submitted, Denied], true),
        (&[Ready, Batched, Submitted, Rejected], false),
    ];
    for (steps, queued) in cases {
        let (_tmp, mut db) = demo_claims();
        let (cpap, secondary) = paid_with_secondary_sent(&mut db, steps);
        let line = cpap.lines[0].control_number.clone();
        let summary = import(&mut db, &remittance("EFT4", &[reversal_of(&cpap.control_number, &line)], &[])).unwrap();
        let last = *steps.last().unwrap();
        assert_eq!(summary.secondary_to_correct, u32::from(queued), "{last}");
        assert_eq!(claims::get(db.conn(), secondary).unwrap().status, last, "{last}");
        let corrections = remit::work_queue(db.conn())
            .unwrap()
            .into_iter()
            .filter(|w| w.kind == remit::WorkKind::Correction && w.claim_id == secondary)
            .count();
        assert_eq!(corrections, usize::from(queued), "{last}");
    }
}

#[test]
fn a_reversal_that_does_not_match_the_posting_is_refused() {
    let (tmp, mut db) = demo_claims();
    let cpap = submitted(&mut db, &[("E0601", &["RR", "KX"], "150")]);
    import(&mut db, &remittance("EFT6", &[paid_claim(&cpap.control_number, "")], &[])).unwrap();
    let wrong = Clp {
        pcn: &cpap.control_number,
        status: "22",
        charge: "-150",
        paid: "-50",
        cas: &[("CO", "45", "-100")],
        remarks: &[],
        lines: vec![],
    };
    let err = import(&mut db, &remittance("EFT7", &[wrong], &[])).unwrap_err();
    assert!(matches!(err, RemitError::ReversalMismatch { .. }), "{err}");
    assert_eq!(tmp.count("payments"), 1);
}

#[test]
fn a_file_that_does_not_balance_posts_nothing() {
    let (tmp, mut db) = demo_claims();
    let cpap = submitted(&mut db, &[("E0601", &["RR", "KX"], "150")]);
    let walker = submitted(&mut db, &[("E0143", &["NU"], "85")]);
    // The first claim is fine; the second's line does not balance (85 − 60 ≠ 20).
    let bad = Clp {
        pcn: &walker.control_number,
        status: "1",
        charge: "85",
        paid: "60",
        cas: &[],
        remarks: &[],
        lines: vec![Svc {
            control: "",
            paid_as: &["E0143", "NU"],
            billed_as: None,
            charge: "85",
            paid: "60",
            cas: &[("CO", "45", "20")],
        }],
    };
    let file = remittance("EFT8", &[paid_claim(&cpap.control_number, ""), bad], &[]);
    let err = import(&mut db, &file).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("test.835 was not posted: segment "), "{text}");
    for table in ["remit_files", "payments", "claim_adjudications", "line_adjudications", "work_queue"] {
        assert_eq!(tmp.count(table), 0, "{table}");
    }
    assert_eq!(status(&db, &cpap), ClaimStatus::Submitted);
    assert!(import(&mut db, b"not an x12 file at all").is_err());
    assert_eq!(tmp.count("remit_files"), 0);
}

#[test]
fn the_supplier_can_send_a_reason_to_the_work_queue() {
    let (_tmp, mut db) = demo_claims();
    db.write(&actor(), |c| remit::carc::set_action(c, "45", "workqueue")).unwrap();
    let cpap = submitted(&mut db, &[("E0601", &["RR", "KX"], "150")]);
    import(&mut db, &remittance("EFT9", &[paid_claim(&cpap.control_number, "")], &[])).unwrap();
    assert_eq!(
        ledger(&balance(&db, &cpap)),
        "charge 150.00 paid 96.40 contractual 0.00 patient 24.10 other 0.00 balance 29.50"
    );
    assert_eq!(status(&db, &cpap), ClaimStatus::PartlyPaid);
    assert_eq!(remit::work_queue(db.conn()).unwrap().len(), 1);
    let listed = remit::carc::list(db.conn(), "").unwrap();
    let c45 = listed.iter().find(|c| c.code == "45").unwrap();
    assert_eq!((c45.action.code(), c45.default_action.code()), ("workqueue", "adjust"));
    let refused = db.write(&actor(), |c| remit::carc::set_action(c, "45", "forgive"));
    assert!(refused.unwrap_err().to_string().contains("action"));
}

#[test]
fn a_worked_item_leaves_the_queue_with_what_was_done_in_the_audit_log() {
    let (_tmp, mut db) = demo_claims();
    db.write(&actor(), |c| remit::carc::set_action(c, "45", "workqueue")).unwrap();
    let cpap = submitted(&mut db, &[("E0601", &["RR", "KX"], "150")]);
    import(&mut db, &remittance("EFT9", &[paid_claim(&cpap.control_number, "")], &[])).unwrap();
    let item = remit::work_queue(db.conn()).unwrap().remove(0);

    let blank = db.write(&actor(), |c| remit::resolve(c, item.id, "  "));
    assert!(blank.unwrap_err().to_string().contains("say what was done"));
    db.write(&actor(), |c| remit::resolve(c, item.id, "appealed: fee schedule amount")).unwrap();
    assert!(remit::work_queue(db.conn()).unwrap().is_empty());
    let again = db.write(&actor(), |c| remit::resolve(c, item.id, "twice"));
    assert!(again.unwrap_err().to_string().contains("not open"));
    let logged: String = db
        .conn()
        .query_row("SELECT summary FROM audit_log WHERE entity = 'work_queue' AND entity_id = ?1", [item.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(logged, "worked: appealed: fee schedule amount");
}

#[test]
fn cli_import_prints_the_contract_fields() {
    let (tmp, mut db) = demo_claims();
    let cpap = submitted(&mut db, &[("E0601", &["RR", "KX"], "150")]);
    drop(db);
    let path = tmp.dir.path().join("remit.835");
    std::fs::write(&path, remittance("EFT10", &[paid_claim(&cpap.control_number, "")], &[("L6", "-1.25")])).unwrap();
    let path = path.to_str().unwrap();
    let first = tmp.cli_json(&["remit", "import", path, "--json"]);
    assert_eq!(first["payments"], 1);
    assert_eq!(first["claims_matched"], 1);
    assert_eq!(first["claims_unmatched"], 0);
    assert_eq!(first["lines_posted"], 1);
    assert_eq!(first["paid_total"], "96.40");
    assert_eq!(first["plb_total"], "-1.25");
    assert_eq!(first["secondary_to_correct"], 0);
    assert_eq!(first["duplicate"], false);
    let again = tmp.cli_json(&["remit", "import", path, "--json"]);
    assert_eq!(again["duplicate"], true);
    let bad = tmp.dir.path().join("bad.835");
    std::fs::write(&bad, b"ISA*00*garbage~").unwrap();
    let out = tmp.cli(&["remit", "import", bad.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(common::stderr(&out).contains("segment"), "{}", common::stderr(&out));
}

#[test]
fn cli_lists_the_reason_codes_a_search_finds() {
    let (tmp, db) = demo_claims();
    drop(db);
    let every = tmp.cli_json(&["remit", "carc", "list", "--json"]);
    let found = tmp.cli_json(&["remit", "carc", "list", "--search", "deductible", "--json"]);
    let found = found.as_array().unwrap();
    assert!(!found.is_empty() && found.len() < every.as_array().unwrap().len());
    assert!(found.iter().any(|c| c["code"] == "1"), "{found:?}");
    assert!(found.iter().all(|c| c["description"].as_str().unwrap().to_lowercase().contains("deductible")));
}

#[test]
fn the_secondary_draft_goes_out_with_the_primary_payment_and_pyx12_accepts_it() {
    let (_tmp, mut db) = demo_claims();
    let (patient, primary, secondary) = dual_eligible(&db);
    let cpap = submitted_to(&mut db, patient, primary, None, &[("E0601", &["RR", "KX"], "150")]);
    let line = cpap.lines[0].control_number.clone();
    import(&mut db, &remittance("EFT8", &[paid_claim(&cpap.control_number, &line)], &[])).unwrap();
    let draft: i64 =
        db.conn().query_row("SELECT id FROM claims WHERE related_claim_id = ?1", [cpap.id], |r| r.get(0)).unwrap();
    let payer: i64 =
        db.conn().query_row("SELECT payer_id FROM coverages WHERE id = ?1", [secondary], |r| r.get(0)).unwrap();
    let (_, content) = db
        .write(&actor(), |c| {
            claims::set_status(c, draft, ClaimStatus::Ready, None)?;
            let created = NaiveDateTime::parse_from_str("2026-11-06 10:00", "%Y-%m-%d %H:%M").unwrap();
            claims::create_batch(c, payer, created)
        })
        .unwrap();
    let text = String::from_utf8(content).unwrap();
    assert!(text.contains("AMT*D*96.4~"), "{text}");
    if let Some(stderr) = common::pyx12_verdict(&text) {
        let verdict = stderr.lines().last().unwrap_or_default();
        assert!(verdict.ends_with(": OK"), "pyx12 rejected the batch:\n{stderr}\n{text}");
    }
}

/// The COB loops of a 837P as ledger lines, read back with our own X12 reader: 2320's CAS and
/// AMT, each line's SV1 charge, and its 2430 SVD, CAS, DTP*573 and AMT*EAF.
fn cob_ledger(text: &str) -> Vec<String> {
    let mut reader = Reader::new(text.as_bytes());
    let mut out = Vec::new();
    let mut in_2430 = false;
    while let Some(item) = reader.next_item().unwrap() {
        let s = item.segment;
        let e = |n: usize| s.text(n).unwrap().to_string();
        let amount = |n: usize| money(&e(n)).to_string();
        let cas = || {
            let pairs: Vec<String> = (0..6)
                .filter(|i| s.len() > 2 + 3 * i)
                .map(|i| format!("{} {}", e(2 + 3 * i), amount(3 + 3 * i)))
                .collect();
            format!("CAS {} {}", e(1), pairs.join(" "))
        };
        let loop_id = if in_2430 { "2430" } else { "2320" };
        match s.id() {
            "CLM" => out.push(format!("2300 CLM {}", amount(2))),
            "SV1" => {
                in_2430 = false;
                out.push(format!("2400 SV1 {} {}", e(1), amount(2)));
            }
            "SVD" => {
                in_2430 = true;
                out.push(format!("2430 SVD {} {} {} {}", e(1), amount(2), e(3), e(5)));
            }
            "CAS" => out.push(format!("{loop_id} {}", cas())),
            "AMT" => out.push(format!("{loop_id} AMT {} {}", e(1), amount(2))),
            "DTP" if e(1) == "573" => out.push(format!("2430 DTP 573 {}", e(3))),
            _ => {}
        }
    }
    assert!(reader.problems().is_empty(), "{:?}", reader.problems());
    out
}

/// Claims → an 835 with CO-45 and PR-1/PR-2 on the lines → the secondary draft → scrub → an
/// 837P batch to the secondary payer whose 2320/2430 say what the 835 said, balanced per the
/// TR3, read back by our reader and accepted by pyx12.
#[test]
fn the_secondary_claim_carries_the_primary_adjudication_in_2320_and_2430() {
    let (_tmp, mut db) = demo_claims();
    // A dual-eligible demo patient's last two CPAP rental months, billed again as one claim
    // to the primary, with their order lines, deliveries and ordering practitioner.
    let months: Vec<claims::Claim> = {
        let mut stmt = db
            .conn()
            .prepare(
                "SELECT id FROM claims WHERE source = 'rental' AND patient_id = (
                     SELECT c.patient_id FROM claims c JOIN coverages s ON s.patient_id = c.patient_id
                     WHERE s.priority = 'secondary' AND c.source = 'rental' ORDER BY c.id LIMIT 1)
                 ORDER BY id DESC LIMIT 2",
            )
            .unwrap();
        let ids: Vec<i64> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        ids.into_iter().rev().map(|id| claims::get(db.conn(), id).unwrap()).collect()
    };
    let secondary: i64 = db
        .conn()
        .query_row(
            "SELECT id FROM coverages WHERE patient_id = ?1 AND priority = 'secondary'",
            [months[0].patient_id],
            |r| r.get(0),
        )
        .unwrap();
    let primary = months[0].coverage_id;
    let mut claim = new_claim(months[0].patient_id, primary, None, &[]);
    claim.practitioner_id = months[0].practitioner_id;
    claim.order_id = months[0].order_id;
    claim.source = ClaimSource::Rental;
    claim.diagnoses = months[0].diagnoses.clone();
    claim.lines =
        months.iter().map(|m| &m.lines[0]).map(|l| NewLine { allowed: l.allowed, ..NewLine::copy_of(l) }).collect();
    assert!(claim.lines.iter().all(|l| l.hcpcs == "E0601" && l.modifiers == ["RR", "KJ", "KX"]), "{claim:?}");
    let cpap = submit(&mut db, &claim);
    let (first, second) = (&cpap.lines[0].control_number, &cpap.lines[1].control_number);
    let svc = |control, paid, cas| Svc {
        control,
        paid_as: &["E0601", "RR", "KJ", "KX"],
        billed_as: None,
        charge: "185",
        paid,
        cas,
    };
    let remit = Clp {
        pcn: &cpap.control_number,
        status: "1",
        charge: "370",
        paid: "200",
        cas: &[],
        remarks: &[],
        lines: vec![
            // Allowed 150: 50 deductible, 80 % of the other 100 paid, 20 coinsurance.
            svc(first, "80", &[("CO", "45", "35"), ("PR", "1", "50"), ("PR", "2", "20")]),
            svc(second, "120", &[("CO", "45", "35"), ("PR", "2", "30")]),
        ],
    };
    assert_eq!(import(&mut db, &remittance("EFT9", &[remit], &[])).unwrap().secondary_drafts, 1);
    let draft: i64 =
        db.conn().query_row("SELECT id FROM claims WHERE related_claim_id = ?1", [cpap.id], |r| r.get(0)).unwrap();
    let (primary_payer_id, secondary_payer): (String, i64) = db
        .conn()
        .query_row(
            "SELECT (SELECT p.payer_id FROM payers p JOIN coverages v ON v.payer_id = p.id WHERE v.id = ?1),
                    (SELECT payer_id FROM coverages WHERE id = ?2)",
            [primary, secondary],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let scrubbed = db.write(&actor(), |c| claims::scrub::scrub_all(c, date("2026-11-10"))).unwrap();
    let result = scrubbed.iter().find(|r| r.claim_id == draft).unwrap();
    assert_eq!(result.status, ClaimStatus::Ready, "{:?}", result.problems);
    let created = NaiveDateTime::parse_from_str("2026-11-10 10:00", "%Y-%m-%d %H:%M").unwrap();
    let (_, content) = db.write(&actor(), |c| claims::create_batch(c, secondary_payer, created)).unwrap();
    let text = String::from_utf8(content).unwrap();

    let ledger = cob_ledger(&text);
    let p = &primary_payer_id;
    assert_eq!(
        ledger,
        [
            "2300 CLM 370.00".to_string(),
            "2320 AMT D 200.00".into(),
            "2400 SV1 HC:E0601:RR:KJ:KX 185.00".into(),
            format!("2430 SVD {p} 80.00 HC:E0601:RR:KJ:KX 1"),
            "2430 CAS CO 45 35.00".into(),
            "2430 CAS PR 1 50.00 2 20.00".into(),
            "2430 DTP 573 20261108".into(),
            "2430 AMT EAF 70.00".into(),
            "2400 SV1 HC:E0601:RR:KJ:KX 185.00".into(),
            format!("2430 SVD {p} 120.00 HC:E0601:RR:KJ:KX 1"),
            "2430 CAS CO 45 35.00".into(),
            "2430 CAS PR 2 30.00".into(),
            "2430 DTP 573 20261108".into(),
            "2430 AMT EAF 30.00".into(),
        ],
        "{text}"
    );
    // TR3 balancing, from what was read back: per line SV102 − Σ 2430 CAS = SVD02, and
    // CLM02 − Σ 2320/2430 CAS = 2320 AMT*D.
    #[derive(Default)]
    struct Read {
        charge: Money,
        paid: Money,
        adjusted: Money,
    }
    let (mut total, mut lines, mut paid) = (Read::default(), Vec::<Read>::new(), Money::default());
    for entry in &ledger {
        let words: Vec<&str> = entry.split(' ').collect();
        let cas = || -> Money { words[3..].chunks(2).map(|pair| money(pair[1])).sum() };
        match (words[0], words[1], lines.last_mut()) {
            ("2300", "CLM", _) => total.charge = money(words[2]),
            ("2400", "SV1", _) => lines.push(Read { charge: money(words[3]), ..Read::default() }),
            ("2430", "SVD", Some(line)) => line.paid = money(words[3]),
            ("2430", "CAS", Some(line)) => line.adjusted += cas(),
            ("2320", "CAS", _) => total.adjusted += cas(),
            ("2320", "AMT", _) if words[2] == "D" => paid = money(words[3]),
            _ => {}
        }
    }
    for line in &lines {
        assert_eq!(line.charge - line.paid, line.adjusted, "line charge − paid = Σ CAS");
    }
    let adjusted = total.adjusted + lines.iter().map(|l| l.adjusted).sum::<Money>();
    assert_eq!(total.charge - adjusted, paid, "CLM02 − Σ CAS = AMT*D");

    if let Some(stderr) = common::pyx12_verdict(&text) {
        let verdict = stderr.lines().last().unwrap_or_default();
        assert!(verdict.ends_with(": OK"), "pyx12 rejected the batch:\n{stderr}\n{text}");
    }
}

/// When a posted line matched none of the claim's lines, the secondary claim cannot report
/// that payer line by line: every adjustment goes to 2320 with the patient's share in
/// AMT*EAF, and no line carries a 2430, so CLM02 − Σ CAS = AMT*D still holds.
#[test]
fn a_line_paid_under_a_code_we_did_not_bill_puts_the_payer_at_claim_level() {
    let (_tmp, mut db) = demo_claims();
    let (patient, primary, _) = dual_eligible(&db);
    let cpap = submitted_to(&mut db, patient, primary, None, &[("E0601", &["RR", "KX"], "150")]);
    let mut remit = paid_claim(&cpap.control_number, "");
    remit.lines[0].paid_as = &["E0470", "RR"];
    remit.lines[0].billed_as = None;
    assert_eq!(import(&mut db, &remittance("EFT10", &[remit], &[])).unwrap().secondary_drafts, 1);
    let draft: i64 =
        db.conn().query_row("SELECT id FROM claims WHERE related_claim_id = ?1", [cpap.id], |r| r.get(0)).unwrap();
    let resolved = claims::resolve::resolve(db.conn(), &claims::get(db.conn(), draft).unwrap()).unwrap();
    let other = &resolved.other_payers[0];
    let cas: Vec<(&str, &str, Money)> =
        other.adjustments.iter().map(|a| (a.group.as_str(), a.reason.as_str(), a.amount)).collect();
    assert_eq!(cas, [("CO", "45", money("29.50")), ("PR", "2", money("24.10"))]);
    assert_eq!((other.paid, other.remaining_patient_liability), (Some(money("96.40")), Some(money("24.10"))));
    assert!(resolved.lines.iter().all(|l| l.adjudications.is_empty()));
    let adjusted: Money = other.adjustments.iter().map(|a| a.amount).sum();
    assert_eq!(Some(resolved.total_charge() - adjusted), other.paid);
}

/// The benchmark's files, small: the demo payer takes a PR-1 deductible off a claim, then
/// reverses that payment (CLP02 = 22) and pays the claim again without it. Both files read
/// clean with our checker (the demo's 835 leaves out the payer's address and contact, so
/// pyx12 is not asked) and post to the ledger the payer meant.
#[test]
fn the_demo_payers_deductible_reversal_and_correction_post_as_meant() {
    use demo::payer::Outcome;
    let (_tmp, mut db) = demo_claims();
    let cpap = submitted(&mut db, &[("E0601", &["RR", "KX"], "150")]);
    let walker = submitted(&mut db, &[("E0143", &["NU"], "85")]);
    let deductible = || Outcome::Paid { deductible: money("50") };
    let claims = [cpap.clone(), walker.clone()];
    let first = demo::payer::adjudicate(
        &claims,
        |i| if i == 0 { deductible() } else { Outcome::PAID },
        date("2026-11-05"),
        "EFT-D1",
    )
    .unwrap();
    let again =
        demo::payer::readjudicate(&claims[..1], |_| deductible(), |_| Outcome::PAID, date("2026-11-12"), "EFT-D2")
            .unwrap();
    for file in [&first, &again] {
        let problems = hmedesk::x12::check::check(file.as_slice()).problems;
        assert!(problems.is_empty(), "{problems:?}");
    }

    let summary = import(&mut db, &first).unwrap();
    assert_eq!((summary.claims_matched, summary.claims_unmatched, summary.reversals), (2, 1, 0));
    // Allowed 150: 50 deductible, 80 % of the other 100 paid, 20 coinsurance.
    assert_eq!(
        ledger(&balance(&db, &cpap)),
        "charge 150.00 paid 80.00 contractual 0.00 patient 70.00 other 0.00 balance 0.00"
    );
    let deductibles: Money = db
        .conn()
        .query_row("SELECT SUM(amount) FROM remit_adjustments WHERE posting = 'deductible'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(deductibles, money("50"));

    let summary = import(&mut db, &again).unwrap();
    assert_eq!((summary.claims_matched, summary.claims_unmatched, summary.reversals), (2, 1, 1));
    assert_eq!(
        ledger(&balance(&db, &cpap)),
        "charge 150.00 paid 120.00 contractual 0.00 patient 30.00 other 0.00 balance 0.00"
    );
    assert_eq!(status(&db, &cpap), ClaimStatus::Paid);
    assert_eq!(
        ledger(&balance(&db, &walker)),
        "charge 85.00 paid 68.00 contractual 0.00 patient 17.00 other 0.00 balance 0.00"
    );
}
