//! Orders and documentation through the core API on a real database file: catalog checks on
//! lines, legal status moves, the SWO check, the missing-information list by payer rule and
//! date of service, scans with their hash, and the dashboard's expiring documents.

mod common;

use chrono::{Days, NaiveDate};
use common::{actor, TempDb};
use hmedesk::catalog;
use hmedesk::coverages::{self, CoverageInput};
use hmedesk::documents::{self, Blocks, DocType, DocumentInput, FileError, RuleInput};
use hmedesk::orders::{self, swo::SwoGap, OrderError, OrderInput, OrderLineInput, OrderStatus};
use hmedesk::patients::{self, PatientInput};
use hmedesk::payers::{self, PayerInput};
use hmedesk::practitioners::{self, PractitionerInput};
use hmedesk::validation::today;
use hmedesk::{dashboard, Db};

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// A patient on Medicare (or on a commercial plan), a PECOS-enrolled practitioner, and the
/// reference catalog.
struct Intake {
    patient: i64,
    practitioner: i64,
    payer: i64,
}

fn intake(db: &mut Db, kind: &str, pecos: bool) -> Intake {
    db.write(&actor(), |c| {
        catalog::load_reference(c)?;
        c.audit("load", "catalog", None, "reference")?;
        Ok::<_, catalog::CatalogError>(())
    })
    .unwrap();
    let medicare = kind == "medicare_dme";
    let practitioner = practitioners::add(
        db,
        &actor(),
        &PractitionerInput {
            npi: s("1234567893"),
            first_name: s("Alicia"),
            last_name: s("Reyes"),
            credentials: s("MD"),
            pecos_enrolled: s(if pecos { "yes" } else { "no" }),
            ..PractitionerInput::default()
        },
    )
    .unwrap()
    .id;
    let patient = patients::add(
        db,
        &actor(),
        &PatientInput {
            first_name: s("Maria"),
            last_name: s("Lopez"),
            dob: s("1948-03-02"),
            sex: s("F"),
            address1: s("12 Elm St"),
            city: s("Dallas"),
            state: s("TX"),
            zip: s("75204"),
            mbi: medicare.then(|| "1EG4TE5MK73".to_string()),
            diagnoses: s("J44.9, J96.11, G12.21"),
            ..PatientInput::default()
        },
    )
    .unwrap()
    .id;
    let payer = payers::add(
        db,
        &actor(),
        &PayerInput {
            name: s(if medicare { "Medicare DME" } else { "Acme Health" }),
            kind: s(kind),
            payer_id: s("18003"),
            ..PayerInput::default()
        },
    )
    .unwrap()
    .id;
    coverages::add(
        db,
        &actor(),
        &CoverageInput {
            patient_id: Some(patient.to_string()),
            payer_id: Some(payer.to_string()),
            member_id: s(if medicare { "1EG4TE5MK73" } else { "ACM123456" }),
            effective: s("2020-01-01"),
            ..CoverageInput::default()
        },
    )
    .unwrap();
    Intake { patient, practitioner, payer }
}

fn line(spec: &str) -> OrderLineInput {
    orders::parse_line_spec(spec).unwrap()
}

fn order(db: &mut Db, i: &Intake, lines: &[&str], signed: bool) -> orders::Order {
    let date = today() - Days::new(10);
    orders::add(
        db,
        &actor(),
        &OrderInput {
            patient_id: Some(i.patient.to_string()),
            practitioner_id: Some(i.practitioner.to_string()),
            order_date: Some(date.to_string()),
            diagnoses: s("1, 2"),
            signed_on: signed.then(|| date.to_string()),
            lines: lines.iter().map(|l| line(l)).collect(),
            ..OrderInput::default()
        },
    )
    .unwrap()
}

fn document(db: &mut Db, i: &Intake, order_id: i64, input: DocumentInput) -> documents::Document {
    documents::add(
        db,
        &actor(),
        &DocumentInput { patient_id: Some(i.patient.to_string()), order_id: Some(order_id.to_string()), ..input },
    )
    .unwrap()
}

fn messages(db: &Db, order_id: i64, dos: NaiveDate) -> Vec<(Blocks, String)> {
    documents::missing_for_order(db.conn(), order_id, dos).unwrap().into_iter().map(|m| (m.blocks, m.message)).collect()
}

#[test]
fn a_bad_line_names_its_field_and_saves_nothing() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let i = intake(&mut db, "medicare_dme", true);
    let result = orders::add(
        &mut db,
        &actor(),
        &OrderInput {
            patient_id: Some(i.patient.to_string()),
            practitioner_id: Some(i.practitioner.to_string()),
            order_date: Some(today().to_string()),
            diagnoses: s("4"),
            lines: vec![line("E1390 rental 99mo"), line("A7030 rental"), line("Z9999")],
            ..OrderInput::default()
        },
    );
    let Err(OrderError::Invalid(problems)) = result else { panic!("expected problems, got {result:?}") };
    let text = problems.to_string();
    assert!(text.contains("diagnoses: pointer 4 does not exist"), "{text}");
    assert!(text.contains("lines[2].acquisition: A7030 cannot be rented"), "{text}");
    assert!(text.contains("lines[3].hcpcs: Z9999 is not in the catalog"), "{text}");
    assert_eq!(temp.count("orders"), 0);
    assert_eq!(temp.count("order_lines"), 0);
}

#[test]
fn the_swo_is_complete_once_the_signature_is_recorded() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let i = intake(&mut db, "medicare_dme", true);
    let o = order(&mut db, &i, &["E1390 x1 rental 99mo RR", "L1832 x2 purchase RT LT"], false);
    assert_eq!(o.diagnoses, vec!["J44.9", "J96.11"]);
    assert_eq!(o.lines[1].modifiers, vec!["RT", "LT"]);
    assert_eq!(orders::swo_gaps(db.conn(), o.id).unwrap(), vec![SwoGap::Signature]);
    let before = o.order_date - Days::new(1);
    assert!(orders::sign(&mut db, &actor(), o.id, before).is_err(), "signed before it was written");
    orders::sign(&mut db, &actor(), o.id, o.order_date + Days::new(2)).unwrap();
    assert!(orders::swo_gaps(db.conn(), o.id).unwrap().is_empty());
}

#[test]
fn status_moves_follow_the_workflow() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let i = intake(&mut db, "medicare_dme", true);
    let o = order(&mut db, &i, &["K0856 rental 99mo"], true);
    let t = today();
    // A power chair needs the face-to-face note and the prior authorization before delivery.
    let refused = orders::set_status(&mut db, &actor(), o.id, OrderStatus::ReadyToDeliver, t);
    let Err(OrderError::NotReady { reasons, .. }) = refused else { panic!("expected NotReady, got {refused:?}") };
    assert!(reasons.contains("No prior authorization on file for item 1 (K0856)"), "{reasons}");
    assert!(reasons.contains("No face-to-face encounter note on file"), "{reasons}");
    orders::set_status(&mut db, &actor(), o.id, OrderStatus::DocumentationPending, t).unwrap();
    document(
        &mut db,
        &i,
        o.id,
        DocumentInput {
            doc_type: s("face_to_face"),
            initial_date: Some(o.order_date.to_string()),
            ..DocumentInput::default()
        },
    );
    document(
        &mut db,
        &i,
        o.id,
        DocumentInput {
            doc_type: s("prior_auth"),
            hcpcs: s("K0856"),
            initial_date: Some(o.order_date.to_string()),
            pa_number: s("JC17000123456"),
            pa_units: s("1"),
            pa_from: Some(o.order_date.to_string()),
            pa_to: Some((t + Days::new(170)).to_string()),
            ..DocumentInput::default()
        },
    );
    let ready = orders::set_status(&mut db, &actor(), o.id, OrderStatus::ReadyToDeliver, t).unwrap();
    assert_eq!(ready.status, OrderStatus::ReadyToDeliver);
    for by_hand in [OrderStatus::Delivered, OrderStatus::PartlyDelivered, OrderStatus::Intake] {
        assert!(matches!(orders::set_status(&mut db, &actor(), o.id, by_hand, t), Err(OrderError::Transition { .. })));
    }
    orders::set_status(&mut db, &actor(), o.id, OrderStatus::Cancelled, t).unwrap();
    assert!(orders::set_status(&mut db, &actor(), o.id, OrderStatus::ReadyToDeliver, t).is_err());
}

#[test]
fn missing_information_cases() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let i = intake(&mut db, "medicare_dme", false);
    let t = today();
    // Oxygen for Medicare today: no CMN (discontinued from 2023-01-01), only the signature;
    // the practitioner is not PECOS-enrolled.
    let oxygen = order(&mut db, &i, &["E1390 rental 99mo"], false);
    let found = messages(&db, oxygen.id, t);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(b, _)| *b == Blocks::Billing));
    assert!(found[0].1.contains("signed order has not been received"), "{found:?}");
    assert!(found[1].1.contains("not PECOS-enrolled"), "{found:?}");
    // The same item in 2022 needed the CMS-484.
    let in_2022 = messages(&db, oxygen.id, NaiveDate::from_ymd_opt(2022, 6, 1).unwrap());
    assert!(
        in_2022
            .iter()
            .any(|(_, m)| m.contains("No certificate of medical necessity (CMS-484) on file for item 1 (E1390)")),
        "{in_2022:?}"
    );

    // An expired prior authorization for a pressure-reducing mattress blocks delivery.
    let mattress = order(&mut db, &i, &["E0277 rental 13mo"], true);
    document(
        &mut db,
        &i,
        mattress.id,
        DocumentInput {
            doc_type: s("prior_auth"),
            hcpcs: s("E0277"),
            initial_date: Some((t - Days::new(60)).to_string()),
            pa_number: s("JC17000999"),
            pa_from: Some((t - Days::new(60)).to_string()),
            pa_to: Some((t - Days::new(30)).to_string()),
            ..DocumentInput::default()
        },
    );
    let found = messages(&db, mattress.id, t);
    assert_eq!(found[0].0, Blocks::Delivery);
    assert!(
        found[0].1.contains(&format!("The prior authorization for item 1 (E0277) expired on {}", t - Days::new(30))),
        "{found:?}"
    );

    // Too few approved units.
    let two_chairs = order(&mut db, &i, &["E0277 x2 rental 13mo"], true);
    document(
        &mut db,
        &i,
        two_chairs.id,
        DocumentInput {
            doc_type: s("prior_auth"),
            initial_date: Some(t.to_string()),
            pa_number: s("JC17000555"),
            pa_units: s("1"),
            pa_from: Some(t.to_string()),
            pa_to: Some((t + Days::new(30)).to_string()),
            ..DocumentInput::default()
        },
    );
    assert!(messages(&db, two_chairs.id, t)
        .iter()
        .any(|(_, m)| m.contains("approves 1 units but item 1 (E0277) orders 2")));

    // No insurance in force, and the per-patient list gathers every open order.
    let before_coverage = NaiveDate::from_ymd_opt(2019, 6, 1).unwrap();
    assert!(messages(&db, oxygen.id, before_coverage)
        .iter()
        .any(|(_, m)| m.starts_with("No insurance in force on 2019-06-01")));
    let all = documents::missing_for_patient(db.conn(), i.patient, t).unwrap();
    let orders_seen: std::collections::BTreeSet<i64> = all.iter().map(|m| m.order_id).collect();
    assert_eq!(orders_seen.len(), 3);
    assert!(all.windows(2).all(|w| w[0].blocks <= w[1].blocks), "delivery blockers first");
}

#[test]
fn a_payers_own_rule_asks_for_a_cmn_until_one_is_on_file() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let i = intake(&mut db, "commercial", true);
    documents::add_rule(
        &mut db,
        &actor(),
        &RuleInput {
            payer_id: Some(i.payer.to_string()),
            category: s("OX"),
            document_type: s("cmn"),
            form: s("CMS-484"),
            blocks: s("billing"),
            effective: s("2020-01-01"),
            ..RuleInput::default()
        },
    )
    .unwrap();
    let o = order(&mut db, &i, &["E1390 rental 99mo"], true);
    let t = today();
    assert_eq!(messages(&db, o.id, t).len(), 1);
    let answers = format!(
        r#"{{"po2_mmhg": 54, "test_date": "{}", "test_setting": "outpatient_chronic_stable", "test_condition": "at_rest", "flow_rate_lpm": "2"}}"#,
        o.order_date
    );
    let bad = documents::add(
        &mut db,
        &actor(),
        &DocumentInput {
            patient_id: Some(i.patient.to_string()),
            doc_type: s("cmn"),
            form: s("484"),
            initial_date: Some(o.order_date.to_string()),
            answers: s(r#"{"po2_mmhg": 54}"#),
            ..DocumentInput::default()
        },
    );
    assert!(bad.unwrap_err().to_string().contains("question 1b"));
    let cmn = document(
        &mut db,
        &i,
        o.id,
        DocumentInput {
            doc_type: s("cmn"),
            form: s("484"),
            initial_date: Some(o.order_date.to_string()),
            length_of_need_months: s("99"),
            answers: Some(answers),
            ..DocumentInput::default()
        },
    );
    assert_eq!(cmn.doc_type, DocType::Cmn);
    assert_eq!(cmn.oxygen_answers().unwrap().po2_mmhg, Some(54));
    assert!(messages(&db, o.id, t).is_empty(), "{:?}", messages(&db, o.id, t));
}

#[test]
fn scans_keep_their_hash_and_tampering_is_caught() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let i = intake(&mut db, "medicare_dme", true);
    let o = order(&mut db, &i, &["E0601 rental 99mo"], true);
    let d = document(
        &mut db,
        &i,
        o.id,
        DocumentInput { doc_type: s("swo"), initial_date: Some(o.order_date.to_string()), ..DocumentInput::default() },
    );
    let scan = b"%PDF-1.4 signed order scan".to_vec();
    let f = documents::attach(&mut db, &actor(), d.id, "/scans/order.pdf", &scan).unwrap();
    assert_eq!(
        (f.file_name.as_str(), f.media_type.as_str(), f.size),
        ("order.pdf", "application/pdf", scan.len() as i64)
    );
    assert_eq!(f.sha256.len(), 64);
    let again = documents::attach(&mut db, &actor(), d.id, "copy.pdf", &scan);
    assert!(again.unwrap_err().to_string().contains("already attached as order.pdf"));
    assert!(documents::attach(&mut db, &actor(), d.id, "notes.docx", b"x").is_err());
    let (_, content) = documents::file_content(db.conn(), f.id).unwrap();
    assert_eq!(content, scan);
    db.conn().execute("UPDATE document_files SET content = x'00' WHERE id = ?1", [f.id]).unwrap();
    assert!(matches!(documents::file_content(db.conn(), f.id), Err(FileError::Tampered { .. })));
    assert_eq!(documents::get(db.conn(), d.id).unwrap().files.len(), 1);
}

#[test]
fn a_document_is_corrected_through_its_form_and_keeps_its_files() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let i = intake(&mut db, "medicare_dme", true);
    let o = order(&mut db, &i, &["E1390 rental 99mo"], true);
    let answers = format!(
        r#"{{"po2_mmhg": "54", "test_date": "{}", "test_setting": "outpatient_chronic_stable", "test_condition": "at_rest", "flow_rate_lpm": "2"}}"#,
        o.order_date
    );
    let cmn = document(
        &mut db,
        &i,
        o.id,
        DocumentInput {
            doc_type: s("cmn"),
            form: s("484"),
            initial_date: Some(o.order_date.to_string()),
            answers: Some(answers),
            ..DocumentInput::default()
        },
    );
    documents::attach(&mut db, &actor(), cmn.id, "cmn.png", b"\x89PNG scan").unwrap();
    let mut form = documents::form(db.conn(), cmn.id).unwrap();
    assert_eq!((form.form.as_deref(), form.order_id.clone()), (Some("CMS-484"), Some(o.id.to_string())));
    let recert = (o.order_date + Days::new(365)).to_string();
    form.recert_due = Some(recert.clone());
    let audits = temp.count("audit_log");
    let bad = DocumentInput { initial_date: s("someday"), ..form.clone() };
    assert!(documents::update(&mut db, &actor(), cmn.id, &bad).unwrap_err().to_string().contains("initial_date"));
    assert_eq!(temp.count("audit_log"), audits, "a refused correction changes nothing");

    let saved = documents::update(&mut db, &actor(), cmn.id, &form).unwrap();
    assert_eq!(saved.recert_due.map(|d| d.to_string()), Some(recert));
    assert_eq!(saved.oxygen_answers().unwrap().po2_mmhg, Some(54));
    assert_eq!(saved.files.len(), 1, "the scan stays attached");
    assert_eq!(documents::form(db.conn(), cmn.id).unwrap(), form);
    assert!(matches!(documents::update(&mut db, &actor(), 999, &form), Err(documents::DocumentError::NotFound(999))));
    let found = |text: &str| documents::search(db.conn(), text).unwrap().iter().map(|d| d.id).collect::<Vec<_>>();
    assert_eq!(found("484"), vec![cmn.id]);
    assert_eq!(found(""), vec![cmn.id], "a blank search lists every document");
    assert!(found("prior_auth").is_empty() && found("100%").is_empty());
}

#[test]
fn the_dashboard_lists_documents_expiring_within_30_days() {
    let temp = TempDb::new();
    let mut db = temp.open();
    let i = intake(&mut db, "medicare_dme", true);
    let o = order(&mut db, &i, &["E0601 rental 99mo"], true);
    let t = today();
    let soon = document(
        &mut db,
        &i,
        o.id,
        DocumentInput {
            doc_type: s("abn"),
            initial_date: Some(t.to_string()),
            expires: Some((t + Days::new(20)).to_string()),
            ..DocumentInput::default()
        },
    );
    let recert = document(
        &mut db,
        &i,
        o.id,
        DocumentInput {
            doc_type: s("other"),
            initial_date: Some(t.to_string()),
            recert_due: Some((t + Days::new(5)).to_string()),
            ..DocumentInput::default()
        },
    );
    let later = document(
        &mut db,
        &i,
        o.id,
        DocumentInput {
            doc_type: s("abn"),
            initial_date: Some(t.to_string()),
            expires: Some((t + Days::new(45)).to_string()),
            ..DocumentInput::default()
        },
    );
    let alerts = dashboard::summary(db.conn(), t).unwrap().alerts;
    let flagged: Vec<i64> = alerts.iter().filter(|a| a.entity == "document").filter_map(|a| a.entity_id).collect();
    assert_eq!(flagged, vec![recert.id, soon.id]);
    assert!(!flagged.contains(&later.id));
    let message = &alerts.iter().find(|a| a.entity_id == Some(recert.id) && a.entity == "document").unwrap().message;
    assert!(message.contains("due for recertification"), "{message}");
}
