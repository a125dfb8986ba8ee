//! Golden files: hand-built DME transactions in `tests/data/x12/`, each read by its typed
//! reader and compared with the JSON beside it (`<file>.json`). Run with `UPDATE_GOLDEN=1`
//! to rewrite the JSON after a deliberate change, then review the diff.
//!
//! Each test also states the facts that matter for posting in plain assertions, so a wrong
//! golden file cannot slip in unnoticed.

use hmedesk::x12::ack277ca::{self, Verdict};
use hmedesk::x12::ack999::{self, AckStatus};
use hmedesk::x12::elig271::{self, Relationship};
use hmedesk::x12::remit835::{ClaimStatus, RemitEvent, RemitReader};
use hmedesk::Money;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/x12").join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(data(name)).unwrap()
}

fn golden<T: serde::Serialize>(name: &str, value: &T) {
    let path = data(&format!("{name}.json"));
    let actual = serde_json::to_string_pretty(value).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name}: output differs from {}; rerun with UPDATE_GOLDEN=1 and review the diff",
        path.display()
    );
}

fn m(cents: i64) -> Money {
    Money::from_cents(cents)
}

#[test]
fn dme_remittance() {
    let remit = RemitReader::new(bytes("dme_remit.835").as_slice()).read_all().unwrap();
    assert!(remit.all_problems().is_empty(), "{:?}", remit.all_problems());
    let t = &remit.transactions[0];
    assert_eq!((t.payment.total, t.payment.trace_number.as_str()), (m(10237), "EFT20241108001"));
    assert_eq!(t.payment.payee.id, "1234567893");
    let statuses: Vec<_> = t.claims.iter().map(|c| (c.patient_control_number.as_str(), c.status)).collect();
    assert_eq!(
        statuses,
        [
            ("PCN1001", Some(ClaimStatus::Primary)),
            ("PCN1002", Some(ClaimStatus::Primary)),
            ("PCN1003", Some(ClaimStatus::Denied)),
            ("PCN0900", Some(ClaimStatus::Reversal))
        ]
    );
    let rental = &t.claims[0].lines[0];
    assert_eq!(rental.procedure.modifiers, ["RR", "KX", "KH"]);
    assert_eq!((rental.allowed, rental.control_number.as_str()), (Some(m(12050)), "L1001-1"));
    let dropped = &t.claims[1].lines[0];
    assert_eq!(dropped.procedure.modifiers, ["RR"]);
    assert_eq!(dropped.billed_procedure.as_ref().unwrap().modifiers, ["RR", "KX"]);
    assert_eq!(dropped.adjustments.len(), 3, "CO-45, CO-253 and PR-2");
    assert_eq!(t.claims[2].lines[0].remarks, ["M3"]);
    assert_eq!(t.claims[3].paid, m(-9640));
    let plb: Vec<_> =
        t.settlement.provider_adjustments.iter().map(|a| (a.reason.as_str(), a.reference.as_str(), a.amount)).collect();
    assert_eq!(plb, [("WO", "24300900000099", m(4000)), ("L6", "", m(-125))]);
    golden("dme_remit.835", &remit);
}

#[test]
fn remittance_streams_one_claim_at_a_time() {
    let file = bytes("dme_remit.835");
    let mut reader = RemitReader::new(file.as_slice());
    let mut events = Vec::new();
    while let Some(event) = reader.next_event().unwrap() {
        events.push(match event {
            RemitEvent::Payment(p) => format!("payment {}", p.total),
            RemitEvent::Claim(c) => format!("claim {} {} lines", c.patient_control_number, c.lines.len()),
            RemitEvent::Settlement(s) => format!("settlement {} claims {}", s.claim_count, s.claims_paid),
        });
    }
    assert_eq!(
        events,
        [
            "payment 102.37",
            "claim PCN1001 1 lines",
            "claim PCN1002 1 lines",
            "claim PCN1003 1 lines",
            "claim PCN0900 1 lines",
            "settlement 4 claims 141.12"
        ]
    );
}

#[test]
fn an_unbalanced_remittance_names_the_rule_and_place() {
    let text = String::from_utf8(bytes("dme_remit.835"))
        .unwrap()
        .replace("CAS*CO*45*29.5~", "CAS*CO*45*29~")
        .replace("BPR*I*102.37", "BPR*I*100");
    let remit = RemitReader::new(text.as_bytes()).read_all().unwrap();
    let problems: Vec<String> = remit.all_problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "segment 4, element 2 (byte 184): total payment (BPR02) must equal the claims paid (Σ CLP04) minus the provider adjustments (Σ PLB): expected 102.37, found 100.00",
            "segment 14, element 4 (byte 518): claim charge (CLP03) − paid (CLP04) must equal all claim and line adjustments (CAS): expected 53.60, found 53.10",
            "segment 17, element 3 (byte 627): service line charge (SVC02) − paid (SVC03) must equal the line's adjustments (CAS): expected 53.60, found 53.10",
        ]
    );
}

#[test]
fn acknowledgment_999() {
    let parsed = ack999::read(bytes("rejected.999").as_slice()).unwrap();
    assert!(parsed.problems.is_empty() && parsed.sets[0].problems.is_empty(), "{parsed:?}");
    let ack = &parsed.sets[0];
    assert_eq!(ack.status, Some(AckStatus::PartiallyAccepted));
    assert_eq!(ack.sets[0].status, Some(AckStatus::Accepted));
    let rejected = &ack.sets[1];
    assert_eq!((rejected.control_number.as_str(), rejected.status), ("0002", Some(AckStatus::Rejected)));
    assert_eq!(rejected.segment_errors[1].element_errors[0].bad_value, "E9999");
    golden("rejected.999", &parsed);
}

#[test]
fn claim_acknowledgment_277ca() {
    let parsed = ack277ca::read(bytes("claim_ack.277").as_slice()).unwrap();
    assert!(parsed.problems.is_empty() && parsed.sets[0].problems.is_empty(), "{parsed:?}");
    let ack = &parsed.sets[0];
    let claims: Vec<_> = ack
        .claims
        .iter()
        .map(|c| (c.patient_control_number.as_str(), c.verdict(), c.billing_provider_npi.as_str()))
        .collect();
    assert_eq!(claims, [("PCN1002", Verdict::Accepted, "1234567893"), ("PCN1003", Verdict::Rejected, "1234567893")]);
    assert_eq!(ack.claims[0].payer_claim_number, "24310100100002");
    assert_eq!(ack.claims[1].lines[0].control_number, "L1003-1");
    golden("claim_ack.277", &parsed);
}

#[test]
fn eligibility_271() {
    let parsed = elig271::read(bytes("eligibility.271").as_slice()).unwrap();
    assert!(parsed.problems.is_empty() && parsed.sets[0].problems.is_empty(), "{parsed:?}");
    let e = &parsed.sets[0];
    let subscriber = &e.persons[0];
    assert_eq!((subscriber.relationship, subscriber.member_id.as_str()), (Relationship::Subscriber, "1EG4TE5MK72"));
    assert_eq!(subscriber.benefits[0].service_types, ["30", "12", "18"]);
    assert_eq!(subscriber.benefits[2].percent, Some(rust_decimal::Decimal::new(2, 1)));
    assert_eq!(subscriber.benefits[2].messages.len(), 1);
    assert_eq!(subscriber.benefits[3].code, "I");
    assert_eq!(e.persons[1].rejections[0].reason, "75", "dependent not found");
    golden("eligibility.271", &parsed);
}
