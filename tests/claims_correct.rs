//! Corrected claims, written like the posting scenarios: a claim the payer has → a replacement
//! (frequency 7) or void (8) drafted from it → the 837P batch that sends it (CLM05-3, REF*F8,
//! pyx12) → the original closed and its work items worked. The 835s come from the demo payer.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{actor, pyx12_verdict, TempDb};
use hmedesk::claims::{self, ClaimError, ClaimFrequency, ClaimSource, ClaimStatus, CorrectionKind, NewClaim, NewLine};
use hmedesk::demo::payer::{self, Outcome};
use hmedesk::orders::Acquisition;
use hmedesk::{demo, remit, Db, Money};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// The demo as its `claims` stage left it: patients, coverages and claims, no remittance yet.
fn loaded() -> (TempDb, Db) {
    let tmp = TempDb::new();
    let mut db = tmp.open();
    demo::load_through(&mut db, &actor(), date("2026-11-01"), "claims").unwrap();
    (tmp, db)
}

/// A patient with a primary and a secondary coverage: (patient, primary, secondary).
fn dual_eligible(db: &Db) -> (i64, i64, i64) {
    db.conn()
        .query_row(
            "SELECT s.patient_id, p.id, s.id FROM coverages s JOIN coverages p ON p.patient_id = s.patient_id
             WHERE s.priority = 'secondary' AND p.priority = 'primary' ORDER BY s.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn payer_of(db: &Db, coverage_id: i64) -> i64 {
    db.conn().query_row("SELECT payer_id FROM coverages WHERE id = ?1", [coverage_id], |r| r.get(0)).unwrap()
}

/// A CPAP rental month (E0601 RR KX, 150.00 on 2026-10-01) sent to the patient's primary payer.
fn sent_cpap(db: &mut Db, patient_id: i64, coverage_id: i64) -> claims::Claim {
    let claim = NewClaim {
        patient_id,
        coverage_id,
        practitioner_id: Some(1),
        order_id: None,
        source: ClaimSource::Rental,
        frequency: ClaimFrequency::Original,
        payer_claim_number: None,
        related_claim_id: None,
        corrects_claim_id: None,
        prior_authorization: None,
        diagnoses: vec!["G47.33".into()],
        lines: vec![NewLine {
            hcpcs: "E0601".into(),
            modifiers: vec!["RR".into(), "KX".into()],
            from: date("2026-10-01"),
            to: date("2026-10-01"),
            units: 1,
            charge: "150".parse().unwrap(),
            allowed: None,
            diagnosis_pointers: vec![1],
            acquisition: Acquisition::Rental,
            order_line_id: None,
            delivery_item_id: None,
            rental_month: Some(1),
        }],
    };
    db.write(&actor(), |c| {
        let created = claims::create(c, &claim)?;
        for to in [ClaimStatus::Ready, ClaimStatus::Batched, ClaimStatus::Submitted] {
            claims::set_status(c, created.id, to, None)?;
        }
        claims::get(c.conn(), created.id)
    })
    .unwrap()
}

/// Posts the demo payer's 835 `bytes`.
fn post(db: &mut Db, bytes: &[u8]) -> remit::PostingSummary {
    let summary = remit::import(db, &actor(), bytes, "payer.835").unwrap();
    assert!(!summary.duplicate);
    summary
}

/// `claim` paid by the demo payer at 80 % on `paid_on` (trace `trace`); returns the payer's
/// claim number (CLP07) the 835 gave it.
fn paid(db: &mut Db, claim: &claims::Claim, paid_on: &str, trace: &str) -> String {
    let era = payer::adjudicate(std::slice::from_ref(claim), |_| Outcome::PAID, date(paid_on), trace).unwrap();
    post(db, &era);
    format!("{}0001", date(paid_on).format("%y%j"))
}

fn draft(db: &mut Db, id: i64, kind: CorrectionKind, number: Option<&str>) -> Result<claims::Claim, ClaimError> {
    db.write(&actor(), |c| claims::draft_correction(c, id, kind, number))
}

/// Moves `id` to ready and batches every ready claim of `payer`: the 837P text.
fn send(db: &mut Db, id: i64, payer: i64) -> String {
    let (_, content) = db
        .write(&actor(), |c| {
            claims::set_status(c, id, ClaimStatus::Ready, None)?;
            claims::create_batch(c, payer, at("2026-11-10 16:00"))
        })
        .unwrap();
    String::from_utf8(content).unwrap()
}

fn assert_pyx12_accepts(text: &str) {
    if let Some(stderr) = pyx12_verdict(text) {
        let verdict = stderr.lines().last().unwrap_or_default();
        assert!(verdict.ends_with(": OK"), "pyx12 rejected the batch:\n{stderr}\n{text}");
    }
}

/// The claim's CLM segment in `text`.
fn clm<'a>(text: &'a str, claim: &claims::Claim) -> &'a str {
    text.lines().find(|l| l.starts_with(&format!("CLM*{}*", claim.control_number))).unwrap_or_else(|| panic!("{text}"))
}

fn last_note(db: &Db, id: i64) -> String {
    claims::events(db.conn(), id).unwrap().pop().unwrap().note.unwrap_or_default()
}

#[test]
fn a_replacement_of_a_paid_claim_goes_out_as_frequency_7_naming_the_payers_claim_number() {
    let (_tmp, mut db) = loaded();
    let (patient, primary, _) = dual_eligible(&db);
    let cpap = sent_cpap(&mut db, patient, primary);
    let icn = paid(&mut db, &cpap, "2026-11-05", "EFT-R1");
    assert_eq!(claims::payer_claim_number_on_file(db.conn(), cpap.id).unwrap().as_deref(), Some(icn.as_str()));

    let replacement = draft(&mut db, cpap.id, CorrectionKind::Replacement, None).unwrap();
    assert_eq!(replacement.status, ClaimStatus::Draft);
    assert_eq!((replacement.source, replacement.frequency), (ClaimSource::Correction, ClaimFrequency::Replacement));
    assert_eq!(replacement.payer_claim_number.as_deref(), Some(icn.as_str()), "CLP07 of the latest posting");
    assert_eq!((replacement.corrects_claim_id, replacement.related_claim_id), (Some(cpap.id), None));
    assert_eq!(
        (replacement.coverage_id, replacement.practitioner_id, &replacement.diagnoses, replacement.total_charge),
        (cpap.coverage_id, cpap.practitioner_id, &cpap.diagnoses, cpap.total_charge)
    );
    let billed = |c: &claims::Claim| -> Vec<(String, Vec<String>, NaiveDate, Money)> {
        c.lines.iter().map(|l| (l.hcpcs.clone(), l.modifiers.clone(), l.service_from, l.charge)).collect()
    };
    assert_eq!(billed(&replacement), billed(&cpap));
    assert_ne!(replacement.lines[0].control_number, cpap.lines[0].control_number, "new REF*6R");
    let findings = claims::scrub::scrub(db.conn(), replacement.clone(), date("2026-11-10")).unwrap();
    assert!(
        !findings.iter().any(|f| f.rule == "duplicate_line"),
        "the claim it replaces is no duplicate: {findings:?}"
    );
    let audited: i64 = db
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'correct' AND entity_id = ?1 AND summary LIKE ?2",
            rusqlite::params![replacement.id, format!("replacement of claim {}%", cpap.control_number)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
    assert_eq!(claims::get(db.conn(), cpap.id).unwrap().status, ClaimStatus::Paid, "unchanged until it goes out");

    let medicare = payer_of(&db, primary);
    let text = send(&mut db, replacement.id, medicare);
    assert!(clm(&text, &replacement).contains("*12:B:7*"), "CLM05-3 = 7: {text}");
    assert!(text.contains(&format!("REF*F8*{icn}~")), "{text}");
    assert_pyx12_accepts(&text);

    let original = claims::get(db.conn(), cpap.id).unwrap();
    assert_eq!(original.status, ClaimStatus::Closed);
    assert!(last_note(&db, cpap.id).starts_with(&format!("replaced by {}, batch ", replacement.control_number)));
}

#[test]
fn a_void_goes_out_as_frequency_8_with_the_number_the_biller_typed() {
    let (_tmp, mut db) = loaded();
    let (patient, primary, _) = dual_eligible(&db);
    let cpap = sent_cpap(&mut db, patient, primary);
    paid(&mut db, &cpap, "2026-11-05", "EFT-V1");

    let void = draft(&mut db, cpap.id, CorrectionKind::Void, Some(" 26309-0001 ")).unwrap();
    assert_eq!(void.frequency, ClaimFrequency::Void);
    assert_eq!(void.payer_claim_number.as_deref(), Some("26309-0001"), "the typed number wins, trimmed");

    let medicare = payer_of(&db, primary);
    let text = send(&mut db, void.id, medicare);
    assert!(clm(&text, &void).contains("*12:B:8*"), "CLM05-3 = 8: {text}");
    assert!(text.contains("REF*F8*26309-0001~"));
    assert_pyx12_accepts(&text);
    assert_eq!(claims::get(db.conn(), cpap.id).unwrap().status, ClaimStatus::Closed);
    assert!(last_note(&db, cpap.id).starts_with(&format!("voided by {}", void.control_number)));
}

#[test]
fn the_payers_reversal_of_the_voided_claim_closes_the_void() {
    let (_tmp, mut db) = loaded();
    let (patient, primary, _) = dual_eligible(&db);
    let cpap = sent_cpap(&mut db, patient, primary);
    paid(&mut db, &cpap, "2026-11-05", "EFT-V1");
    let void = draft(&mut db, cpap.id, CorrectionKind::Void, None).unwrap();
    let medicare = payer_of(&db, primary);
    send(&mut db, void.id, medicare);
    db.write(&actor(), |c| claims::set_status(c, void.id, ClaimStatus::Submitted, None)).unwrap();

    let era = payer::take_back(std::slice::from_ref(&cpap), |_| Outcome::PAID, date("2026-11-12"), "EFT-V2").unwrap();
    let summary = post(&mut db, &era);
    assert_eq!((summary.reversals, summary.claims_matched), (1, 1), "{summary:?}");
    assert_eq!(remit::claim_balances(db.conn(), &[cpap.id]).unwrap()[0].paid, Money::default());
    assert_eq!(claims::get(db.conn(), cpap.id).unwrap().status, ClaimStatus::Closed, "the voided claim stays closed");
    assert_eq!(claims::get(db.conn(), void.id).unwrap().status, ClaimStatus::Closed, "the void is done");
    assert_eq!(last_note(&db, void.id), format!("the payer voided claim {} (835 trace EFT-V2)", cpap.control_number));
}

/// The AMT*D (2320) and SVD paid amounts (2430) of `text`'s claim `claim`.
fn cob_paid(text: &str, claim: &claims::Claim) -> (Vec<String>, Vec<String>) {
    let start = text.find(&format!("CLM*{}*", claim.control_number)).unwrap();
    let rest = &text[start + 4..];
    let body = &rest[..rest.find("\nCLM*").unwrap_or(rest.len())];
    let amt = body.lines().filter_map(|l| l.strip_prefix("AMT*D*")).map(|a| a.trim_end_matches('~').to_string());
    let svd = body.lines().filter_map(|l| l.strip_prefix("SVD*")).map(|s| s.split('*').nth(1).unwrap().to_string());
    (amt.collect(), svd.collect())
}

#[test]
fn a_secondary_claims_replacement_after_a_reversal_carries_the_corrected_primary_payment() {
    let (_tmp, mut db) = loaded();
    let (patient, primary, secondary) = dual_eligible(&db);
    let cpap = sent_cpap(&mut db, patient, primary);
    paid(&mut db, &cpap, "2026-11-05", "EFT-S1");
    let sent: i64 = db
        .conn()
        .query_row("SELECT id FROM claims WHERE related_claim_id = ?1 AND source = 'secondary'", [cpap.id], |r| {
            r.get(0)
        })
        .unwrap();
    let medicaid = payer_of(&db, secondary);
    let first = send(&mut db, sent, medicaid);
    let sent_claim = claims::get(db.conn(), sent).unwrap();
    assert_eq!(cob_paid(&first, &sent_claim), (vec!["120".into()], vec!["120".into()]), "80 % of 150");
    db.write(&actor(), |c| claims::set_status(c, sent, ClaimStatus::Submitted, None)).unwrap();

    // The primary payer takes its payment back and pays again after a 50.00 deductible.
    let deductible = Outcome::Paid { deductible: "50".parse().unwrap() };
    let era = payer::readjudicate(
        std::slice::from_ref(&cpap),
        |_| Outcome::PAID,
        |_| deductible,
        date("2026-11-08"),
        "EFT-S2",
    )
    .unwrap();
    let summary = post(&mut db, &era);
    assert_eq!((summary.reversals, summary.secondary_to_correct, summary.secondary_drafts), (1, 1, 0));
    let queued: Vec<remit::WorkItem> =
        remit::work_queue(db.conn()).unwrap().into_iter().filter(|w| w.claim_id == sent).collect();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].kind, remit::WorkKind::Correction);

    let replacement = draft(&mut db, sent, CorrectionKind::Replacement, Some("MCD2026110001")).unwrap();
    assert_eq!(replacement.coverage_id, secondary);
    assert_eq!(replacement.related_claim_id, Some(cpap.id), "its COB loops report the primary");
    assert_eq!(replacement.corrects_claim_id, Some(sent));
    let text = send(&mut db, replacement.id, medicaid);
    assert_eq!(cob_paid(&text, &replacement), (vec!["80".into()], vec!["80".into()]), "80 % of (150 - 50)");
    assert!(text.contains("CAS*PR*1*50*"), "the deductible in the 2430 CAS: {text}");
    assert!(clm(&text, &replacement).contains("*12:B:7*"));
    assert!(text.contains("REF*F8*MCD2026110001~"));
    assert_pyx12_accepts(&text);

    assert_eq!(claims::get(db.conn(), sent).unwrap().status, ClaimStatus::Closed);
    assert!(remit::work_queue(db.conn()).unwrap().iter().all(|w| w.claim_id != sent), "the correction item is worked");
    let worked: String = db
        .conn()
        .query_row(
            "SELECT summary FROM audit_log WHERE action = 'resolve' AND entity = 'work_queue' AND entity_id = ?1",
            [queued[0].id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(worked.starts_with(&format!("worked: replaced by {}", replacement.control_number)), "{worked}");

    // The replacement now stands for the secondary claim: the primary posting again drafts
    // no second one.
    let again = payer::readjudicate(
        std::slice::from_ref(&cpap),
        |_| deductible,
        |_| Outcome::PAID,
        date("2026-11-12"),
        "EFT-S3",
    )
    .unwrap();
    let summary = post(&mut db, &again);
    assert_eq!((summary.secondary_drafts, summary.secondary_to_correct), (0, 1), "the replacement sent is queued");
}

#[test]
fn the_payer_reverses_the_replaced_claim_pays_its_replacement_and_the_sent_secondary_follows_it() {
    let (_tmp, mut db) = loaded();
    let (patient, primary, secondary) = dual_eligible(&db);
    let cpap = sent_cpap(&mut db, patient, primary);
    paid(&mut db, &cpap, "2026-11-05", "EFT-P1");
    let sent: i64 =
        db.conn().query_row("SELECT id FROM claims WHERE related_claim_id = ?1", [cpap.id], |r| r.get(0)).unwrap();
    let (medicare, medicaid) = (payer_of(&db, primary), payer_of(&db, secondary));
    send(&mut db, sent, medicaid);
    let replacement = draft(&mut db, cpap.id, CorrectionKind::Replacement, None).unwrap();
    send(&mut db, replacement.id, medicare);
    let replacement = db
        .write(&actor(), |c| {
            claims::set_status(c, sent, ClaimStatus::Submitted, None)?;
            claims::set_status(c, replacement.id, ClaimStatus::Submitted, None)
        })
        .unwrap();

    // The payer takes back the original's payment and pays the replacement after a deductible.
    let deductible = Outcome::Paid { deductible: "50".parse().unwrap() };
    let pair = [(&cpap, &replacement)];
    let era = payer::reverse_and_pay(&pair, |_| Outcome::PAID, |_| deductible, date("2026-11-12"), "EFT-P2").unwrap();
    let summary = post(&mut db, &era);
    assert_eq!((summary.reversals, summary.claims_matched, summary.claims_unmatched), (1, 2, 1), "{summary:?}");
    assert_eq!((summary.secondary_to_correct, summary.secondary_drafts), (1, 0), "the sent secondary is corrected");
    assert_eq!(claims::get(db.conn(), cpap.id).unwrap().status, ClaimStatus::Closed, "the replaced claim stays closed");
    assert_eq!(remit::claim_balances(db.conn(), &[cpap.id]).unwrap()[0].paid, Money::default());
    assert_eq!(claims::get(db.conn(), replacement.id).unwrap().status, ClaimStatus::Paid);

    let fixed = draft(&mut db, sent, CorrectionKind::Replacement, Some("MCD-9")).unwrap();
    assert_eq!(fixed.related_claim_id, Some(replacement.id), "it follows the primary's replacement");
    let text = send(&mut db, fixed.id, medicaid);
    assert_eq!(cob_paid(&text, &fixed), (vec!["80".into()], vec!["80".into()]), "the replacement's payment");
    assert_pyx12_accepts(&text);
}

/// Claims, work items and audit rows on file: what a refusal must leave as it was.
fn footprint(db: &Db) -> (i64, i64, i64) {
    db.conn()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM claims), (SELECT COUNT(*) FROM work_queue WHERE resolved_at IS NULL),
                    (SELECT COUNT(*) FROM audit_log)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

#[test]
fn refusals_name_the_reason_and_change_nothing() {
    let (_tmp, mut db) = loaded();
    let (patient, primary, _) = dual_eligible(&db);
    let cpap = sent_cpap(&mut db, patient, primary);
    let before = footprint(&db);

    let unposted = draft(&mut db, cpap.id, CorrectionKind::Replacement, None).unwrap_err();
    assert!(matches!(&unposted, ClaimError::Invalid(p) if p.0[0].field == "payer_claim_number"), "{unposted:?}");
    assert!(unposted.to_string().contains("type it from the payer's remittance or portal"), "{unposted}");
    let bad = draft(&mut db, cpap.id, CorrectionKind::Void, Some("12*34")).unwrap_err();
    assert!(bad.to_string().contains("punctuation other than * : ^ ~"), "{bad}");
    let accented = draft(&mut db, cpap.id, CorrectionKind::Void, Some("ICN-É1")).unwrap_err();
    assert!(matches!(&accented, ClaimError::Invalid(p) if p.0[0].field == "payer_claim_number"), "{accented:?}");

    let draft_id: i64 = db
        .conn()
        .query_row("SELECT id FROM claims WHERE status = 'draft' ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let unsent = draft(&mut db, draft_id, CorrectionKind::Replacement, Some("1")).unwrap_err();
    assert!(matches!(unsent, ClaimError::Uncorrectable { .. }), "{unsent:?}");
    assert!(unsent.to_string().contains("it has not been sent, so edit it"), "{unsent}");
    assert_eq!(footprint(&db), before);

    let correctable = |db: &Db| claims::detail(db.conn(), cpap.id, date("2026-11-10")).unwrap().correctable;
    assert!(correctable(&db), "the payer has it");
    let first = draft(&mut db, cpap.id, CorrectionKind::Replacement, Some("ICN1")).unwrap();
    assert!(!correctable(&db), "a correction is under way");
    assert!(!claims::detail(db.conn(), first.id, date("2026-11-10")).unwrap().correctable, "a draft is edited");
    let after_first = footprint(&db);
    let second = draft(&mut db, cpap.id, CorrectionKind::Void, Some("ICN1")).unwrap_err();
    assert_eq!(
        second.to_string(),
        format!(
            "claim {} already has a correction under way, claim {}: send or close that one first",
            cpap.control_number, first.control_number
        )
    );
    assert_eq!(footprint(&db), after_first);

    // Closed without going out, the correction leaves the original as it was, and it may be
    // corrected again.
    db.write(&actor(), |c| claims::set_status(c, first.id, ClaimStatus::Closed, Some("typed by mistake"))).unwrap();
    assert_eq!(claims::get(db.conn(), cpap.id).unwrap().status, ClaimStatus::Submitted);
    assert!(correctable(&db));
    draft(&mut db, cpap.id, CorrectionKind::Void, Some("ICN1")).unwrap();
}

#[test]
fn cli_correct_drafts_the_replacement_and_refuses_in_words() {
    let (tmp, mut db) = loaded();
    let (patient, primary, _) = dual_eligible(&db);
    let cpap = sent_cpap(&mut db, patient, primary);
    let icn = paid(&mut db, &cpap, "2026-11-05", "EFT-C1");
    drop(db);
    let id = cpap.id.to_string();
    let out = tmp.cli(&["claims", "correct", &id]);
    assert_eq!(out.status.code(), Some(2), "--replace or --void is required");
    let drafted = tmp.cli_json(&["claims", "correct", &id, "--replace", "--json"]);
    assert_eq!(drafted["frequency"], "replacement");
    assert_eq!(drafted["status"], "draft");
    assert_eq!(drafted["payer_claim_number"], icn.as_str());
    assert_eq!(drafted["corrects_claim_id"], cpap.id);
    let again = tmp.cli(&["claims", "correct", &id, "--void", "--payer-claim-number", "X1"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(common::stderr(&again).contains("already has a correction under way"), "{}", common::stderr(&again));
}
