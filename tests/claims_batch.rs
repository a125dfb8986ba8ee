//! Claims from the database to an 837P file: purchases built from the demo's signed
//! deliveries, the scrubber on real records, and batches of every claim kind (purchase,
//! capped rental months 1/2/4, oxygen, a secondary claim, a replacement) that pyx12 and our
//! own reader accept, with control numbers that never repeat.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{actor, dual_eligible, pyx12_verdict, TempDb};
use hmedesk::claims::scrub::{self, Severity};
use hmedesk::claims::{self, ClaimFrequency, ClaimSource, ClaimStatus, NewClaim, NewLine, SummaryFilter};
use hmedesk::fees::{self, FeeInput};
use hmedesk::orders::Acquisition;
use hmedesk::x12::check::check;
use hmedesk::{demo, remit, settings, sync, Db};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

const TODAY: &str = "2026-11-20";

fn now() -> NaiveDateTime {
    date(TODAY).and_hms_opt(9, 30, 0).unwrap()
}

fn demo_db() -> (TempDb, Db) {
    let t = TempDb::new();
    let mut db = t.open();
    demo::load(&mut db, &actor(), date(TODAY)).unwrap();
    (t, db)
}

fn line(hcpcs: &str, mods: &[&str], charge: &str, dos: &str, acquisition: Acquisition, month: Option<u32>) -> NewLine {
    NewLine {
        hcpcs: hcpcs.into(),
        modifiers: mods.iter().map(|m| m.to_string()).collect(),
        from: date(dos),
        to: date(dos),
        units: 1,
        charge: charge.parse().unwrap(),
        allowed: None,
        diagnosis_pointers: vec![1],
        acquisition,
        order_line_id: None,
        delivery_item_id: None,
        rental_month: month,
    }
}

fn new_claim(patient_id: i64, coverage_id: i64, source: ClaimSource, lines: Vec<NewLine>) -> NewClaim {
    NewClaim {
        patient_id,
        coverage_id,
        practitioner_id: Some(1),
        order_id: None,
        source,
        frequency: ClaimFrequency::Original,
        payer_claim_number: None,
        related_claim_id: None,
        corrects_claim_id: None,
        prior_authorization: None,
        diagnoses: vec!["G47.33".into(), "J44.9".into()],
        lines,
    }
}

/// Saves `claim` and moves it straight to ready (the writer test does not depend on the scrub).
fn ready(db: &mut Db, claim: NewClaim) -> claims::Claim {
    db.write(&actor(), |c| {
        let saved = claims::create(c, &claim)?;
        claims::set_status(c, saved.id, ClaimStatus::Ready, None)
    })
    .unwrap()
}

fn payer_of(db: &Db, coverage_id: i64) -> i64 {
    db.conn().query_row("SELECT payer_id FROM coverages WHERE id = ?1", [coverage_id], |r| r.get(0)).unwrap()
}

#[test]
fn purchases_are_billed_once_per_signed_delivery() {
    let (_t, mut db) = demo_db();
    let purchases: Vec<claims::Claim> = claims::list(db.conn(), &claims::ClaimFilter::default())
        .unwrap()
        .into_iter()
        .filter(|c| c.source == ClaimSource::Purchase && c.lines.iter().all(|l| l.delivery_item_id.is_some()))
        .collect();
    assert!(!purchases.is_empty(), "the demo bills its signed purchases");
    for claim in &purchases {
        assert_ne!(claim.status, ClaimStatus::Submitted);
        assert!(claim.practitioner_id.is_some() && claim.order_id.is_some());
        for l in &claim.lines {
            assert_eq!(l.acquisition, Acquisition::Purchase);
            assert!(!l.modifiers.iter().any(|m| m == "RR"), "{l:?}");
        }
    }
    let walker = purchases.iter().flat_map(|c| &c.lines).find(|l| l.hcpcs == "E0143").expect("the walker");
    assert_eq!(walker.modifiers, ["NU"]);
    assert_eq!(walker.charge, "195.00".parse().unwrap());
    assert!(walker.allowed.is_some());
    let again = db.write(&actor(), claims::build_purchases).unwrap();
    assert!(again.created.is_empty(), "a delivery item is billed once: {again:?}");
}

#[test]
fn scrub_reports_every_problem_and_moves_claims_between_draft_and_ready() {
    let (_t, mut db) = demo_db();
    let (patient, primary, _) = dual_eligible(&db);
    let mut bad = new_claim(
        patient,
        primary,
        ClaimSource::Rental,
        vec![
            line("E0601", &["RR", "KI", "KX", "GA"], "185.00", "2026-10-01", Acquisition::Rental, Some(1)),
            line("E0143", &[], "0.00", "2024-10-01", Acquisition::Purchase, None),
        ],
    );
    bad.diagnoses = vec!["G47.33".into(), "XYZ".into()];
    let bad = db.write(&actor(), |c| claims::create(c, &bad)).unwrap();
    // Next month's rentals: clean claims the demo has not batched yet.
    hmedesk::rentals::bill(&mut db, &actor(), date("2026-12-31")).unwrap();

    let results = db.write(&actor(), |c| scrub::scrub_all(c, date(TODAY))).unwrap();
    let found = results.iter().find(|r| r.claim_id == bad.id).unwrap();
    assert_eq!(found.status, ClaimStatus::Draft);
    let rules: Vec<&str> = found.problems.iter().filter(|p| p.severity == Severity::Error).map(|p| p.rule).collect();
    for rule in ["diagnosis", "modifiers", "kx_with_ga_gy_gz", "proof_of_delivery", "timely_filing", "charge"] {
        assert!(rules.contains(&rule), "{rule} missing from {:#?}", found.problems);
    }
    assert!(results.iter().any(|r| r.status == ClaimStatus::Ready), "{results:#?}");

    // A ready claim whose coverage has since ended goes back to draft on the next scrub.
    let clean = results.iter().find(|r| r.status == ClaimStatus::Ready).unwrap().claim_id;
    let coverage: i64 =
        db.conn().query_row("SELECT coverage_id FROM claims WHERE id = ?1", [clean], |r| r.get(0)).unwrap();
    db.conn()
        .execute("UPDATE coverages SET termination = '2020-01-01', effective = '2019-01-01' WHERE id = ?1", [coverage])
        .unwrap();
    let again = db.write(&actor(), |c| scrub::scrub_all(c, date(TODAY))).unwrap();
    let back = again.iter().find(|r| r.claim_id == clean).unwrap();
    assert_eq!(back.status, ClaimStatus::Draft);
    assert!(back.problems.iter().any(|p| p.rule == "coverage_active"), "{back:#?}");
}

#[test]
fn batches_of_every_claim_kind_pass_pyx12_and_read_back() {
    let (_t, mut db) = demo_db();
    let (patient, primary, secondary) = dual_eligible(&db);
    // The rental price of the walker, for SV5 (the demo's schedule has the CPAP's purchase price).
    let medicare = payer_of(&db, primary);
    db.write(&actor(), |c| {
        let input = FeeInput {
            payer_id: Some(medicare.to_string()),
            hcpcs: Some("E0143".into()),
            modifiers: Some("RR".into()),
            allowed: Some("25.00".into()),
            charge: Some("25.00".into()),
            effective: Some("2026-01-01".into()),
            termination: None,
        };
        fees::create(c, &input)
    })
    .unwrap();
    let purchase = ready(
        &mut db,
        new_claim(
            patient,
            primary,
            ClaimSource::Purchase,
            vec![line("E0143", &["NU"], "195.00", "2026-10-02", Acquisition::Purchase, None)],
        ),
    );
    let months = [(1, "KH", "2026-08-01"), (2, "KI", "2026-09-01"), (4, "KJ", "2026-11-01")];
    for (month, modifier, dos) in months {
        ready(
            &mut db,
            new_claim(
                patient,
                primary,
                ClaimSource::Rental,
                vec![line("E0601", &["RR", modifier, "KX"], "185.00", dos, Acquisition::Rental, Some(month))],
            ),
        );
    }
    ready(
        &mut db,
        new_claim(
            patient,
            primary,
            ClaimSource::Rental,
            vec![line("E1390", &[], "325.00", "2026-10-05", Acquisition::Rental, Some(1))],
        ),
    );
    let mut replacement = new_claim(
        patient,
        primary,
        ClaimSource::Correction,
        vec![line("E0143", &["NU"], "190.00", "2026-10-02", Acquisition::Purchase, None)],
    );
    replacement.frequency = ClaimFrequency::Replacement;
    replacement.payer_claim_number = Some("21926001234567".into());
    replacement.related_claim_id = Some(purchase.id);
    ready(&mut db, replacement);
    let mut second = new_claim(patient, secondary, ClaimSource::Secondary, purchase_lines());
    second.related_claim_id = Some(purchase.id);
    let second = ready(&mut db, second);

    let (batch, content) = db.write(&actor(), |c| claims::create_batch(c, medicare, now())).unwrap();
    assert_eq!(batch.claim_count, 6);
    let text = String::from_utf8(content.clone()).unwrap();
    let report = check(text.as_bytes());
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(text.contains("SV1*HC:E0601:RR:KH:KX*185*UN*1***1~"), "{text}");
    assert!(text.contains("SV1*HC:E0601:RR:KJ:KX*185*UN*1***1~"));
    assert!(text.contains("SV5*HC:E0601*DA*2970*185*1850*4~"), "rental with the purchase price known:\n{text}");
    assert!(text.contains("SV5*HC:E0143*DA*2970*25*195*4~"), "equipment purchase with the rental price known");
    assert!(!text.contains("SV5*HC:E1390"), "oxygen has no purchase price, so no SV5");
    assert!(text.contains("CLM*") && text.contains("REF*F8*21926001234567~"));
    assert!(text.contains("NM1*DK*1*"), "ordering provider on the lines");
    assert_eq!(claims::batch_content(db.conn(), batch.id).unwrap(), content);
    let clm01: Vec<String> =
        text.lines().filter_map(|l| l.strip_prefix("CLM*")).map(|l| l.split('*').next().unwrap().to_string()).collect();
    let batched: Vec<claims::Claim> =
        claims::list(db.conn(), &claims::ClaimFilter { status: Some(ClaimStatus::Batched), patient_id: None })
            .unwrap()
            .into_iter()
            .filter(|c| c.batch_id == Some(batch.id))
            .collect();
    let mut expected: Vec<String> = batched.iter().map(|c| c.control_number.clone()).collect();
    expected.sort();
    let mut written = clm01.clone();
    written.sort();
    assert_eq!(written, expected);

    let medicaid = payer_of(&db, secondary);
    let (second_batch, second_content) = db.write(&actor(), |c| claims::create_batch(c, medicaid, now())).unwrap();
    assert_ne!(second_batch.interchange_control, batch.interchange_control, "ISA13 is never reused");
    let second_text = String::from_utf8(second_content).unwrap();
    assert!(second_text.contains(&format!("CLM*{}*", second.control_number)));
    assert!(second_text.contains("SBR*S*18"), "the claim goes to the secondary payer");
    assert!(second_text.contains("SBR*P*18"), "with the primary payer in loop 2320");
    assert!(check(second_text.as_bytes()).problems.is_empty());

    for file in [&text, &second_text] {
        let Some(stderr) = pyx12_verdict(file) else { return };
        let verdict = stderr.lines().last().unwrap_or_default();
        assert!(verdict.ends_with(": OK"), "pyx12 rejected the batch:\n{stderr}\n{file}");
    }
    let err = db.write(&actor(), |c| claims::create_batch(c, medicare, now())).unwrap_err();
    assert!(err.to_string().contains("ready"), "{err}");
}

fn purchase_lines() -> Vec<NewLine> {
    vec![line("E0143", &["NU"], "195.00", "2026-10-02", Acquisition::Purchase, None)]
}

#[test]
fn cli_scrub_batch_and_list_follow_the_contract() {
    let t = TempDb::new();
    t.cli_json(&["demo", "--json"]);
    t.cli_json(&["claims", "build", "--json"]);
    let next_month = (chrono::Local::now().date_naive() + chrono::Days::new(35)).to_string();
    t.cli_json(&["rentals", "bill", "--through", &next_month, "--json"]);
    let scrubbed = t.cli_json(&["claims", "scrub", "--json"]);
    let results = scrubbed.as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        for p in r["problems"].as_array().unwrap() {
            assert!(p["rule"].is_string() && p["message"].is_string());
            assert!(["error", "warning"].contains(&p["severity"].as_str().unwrap()));
        }
    }
    let again = t.cli_json(&["claims", "scrub", "--json"]);
    let statuses =
        |v: &serde_json::Value| v.as_array().unwrap().iter().map(|r| r["status"].clone()).collect::<Vec<_>>();
    assert_eq!(statuses(&again), statuses(&scrubbed), "scrubbing again moves nothing and still succeeds");
    let list = t.cli_json(&["claims", "list", "--json"]);
    let first = &list.as_array().unwrap()[0];
    for key in [
        "control_number",
        "status",
        "patient_id",
        "payer_id",
        "charge",
        "paid",
        "contractual",
        "patient_responsibility",
        "balance",
    ] {
        assert!(!first[key].is_null(), "{key} missing: {first}");
    }
    assert_eq!(first["balance"], first["charge"]);
    let ready = list.as_array().unwrap().iter().find(|c| c["status"] == "ready").expect("a clean claim");
    let payer = ready["payer_id"].as_i64().unwrap().to_string();
    let out = t.dir.path().join("out.837");
    let batch = t.cli_json(&["claims", "batch", "--payer", &payer, "--out", out.to_str().unwrap(), "--json"]);
    assert!(batch["batch_id"].as_i64().is_some() && batch["claims"].as_i64().unwrap() >= 1);
    assert_eq!(batch["file"], out.to_str().unwrap());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("ISA*") && check(written.as_bytes()).problems.is_empty());
}

#[test]
fn a_sent_batch_submits_its_claims_and_the_payers_835_posts_to_them() {
    let (t, mut db) = demo_db();
    let (patient, primary, _) = dual_eligible(&db);
    let lines = vec![
        line("E0601", &["NU"], "900.00", "2026-11-02", Acquisition::Purchase, None),
        line("A7030", &["NU"], "180.00", "2026-11-02", Acquisition::Purchase, None),
    ];
    let first = ready(&mut db, new_claim(patient, primary, ClaimSource::Purchase, lines));
    let second = ready(
        &mut db,
        new_claim(
            patient,
            primary,
            ClaimSource::Purchase,
            vec![line("E0570", &["NU"], "210.00", "2026-11-03", Acquisition::Purchase, None)],
        ),
    );
    let payer = payer_of(&db, primary);
    let (batch, _) = db.write(&actor(), |c| claims::create_batch(c, payer, now())).unwrap();
    let (outgoing, incoming) = (t.dir.path().join("out"), t.dir.path().join("in"));
    std::fs::create_dir_all(&outgoing).unwrap();
    std::fs::create_dir_all(&incoming).unwrap();
    db.write(&actor(), |c| {
        settings::set_in(c, settings::SYNC_TRANSPORT, "folder")?;
        settings::set_in(c, settings::SYNC_OUTGOING_DIR, outgoing.to_str().unwrap())?;
        settings::set_in(c, settings::SYNC_INCOMING_DIR, incoming.to_str().unwrap())
    })
    .unwrap();

    let pass = sync::sync_once(&mut db, &actor()).unwrap();
    // Ours, and the demo's two eligibility questions (its own batch was sent in the demo).
    assert_eq!(pass.uploaded, 3, "{pass:?}");
    assert!(outgoing.join(&batch.file_name).exists());
    assert_eq!(claims::get_batch(db.conn(), batch.id).unwrap().status, "sent");
    for claim in [&first, &second] {
        assert_eq!(claims::get(db.conn(), claim.id).unwrap().status, ClaimStatus::Submitted);
    }

    let era = demo::payer::remittance(db.conn(), batch.id, date(TODAY), "DEMO-EFT-1").unwrap();
    let problems = check(era.as_slice()).problems;
    assert!(problems.is_empty(), "{problems:?}");
    // The payer's 835 arrives in the incoming folder: the next pass imports and posts it once.
    std::fs::write(incoming.join("era-DEMO-EFT-1.835"), &era).unwrap();
    let fetched = sync::sync_once(&mut db, &actor()).unwrap();
    assert_eq!((fetched.downloaded, fetched.imported, fetched.failed), (1, 1, 0), "{fetched:?}");
    let again = sync::sync_once(&mut db, &actor()).unwrap();
    assert_eq!((again.uploaded, again.downloaded, again.imported), (0, 0, 0), "{again:?}");
    let payments = remit::payments(db.conn()).unwrap();
    assert_eq!(payments.iter().filter(|p| p.trace_number == "DEMO-EFT-1").count(), 1);
    let posted = remit::import(&mut db, &actor(), &era, "demo.835").unwrap();
    assert!(posted.duplicate, "the same 835 imported by hand posts nothing");
    assert_eq!(claims::get(db.conn(), first.id).unwrap().status, ClaimStatus::Paid);
    assert_eq!(claims::get(db.conn(), second.id).unwrap().status, ClaimStatus::Denied);
    let queue = remit::work_queue(db.conn()).unwrap();
    assert!(queue.iter().any(|w| w.claim_id == second.id && w.reason.contains("CO-50")), "{queue:?}");
    let balance = remit::claim_balances(db.conn(), &[first.id]).unwrap().remove(0);
    assert_eq!(balance.paid + balance.contractual + balance.patient_responsibility, balance.charge);
}

#[test]
fn claims_take_the_orders_prior_authorization_in_force_on_the_date_of_service() {
    let (_t, mut db) = demo_db();
    let (order_id, patient_id, number): (i64, i64, String) = db
        .conn()
        .query_row("SELECT order_id, patient_id, pa_number FROM documents WHERE type = 'prior_auth' LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let coverage: i64 = db
        .conn()
        .query_row("SELECT id FROM coverages WHERE patient_id = ?1 AND priority = 'primary'", [patient_id], |r| {
            r.get(0)
        })
        .unwrap();
    let mut claim = |hcpcs: &str, dos: &str| {
        let mut c = new_claim(
            patient_id,
            coverage,
            ClaimSource::Rental,
            vec![line(hcpcs, &["RR", "KH"], "1100.00", dos, Acquisition::Rental, Some(1))],
        );
        c.order_id = Some(order_id);
        db.write(&actor(), |ch| claims::create(ch, &c)).unwrap().prior_authorization
    };
    assert_eq!(claim("E0277", TODAY), Some(number), "the authorized code on an authorized date");
    assert_eq!(claim("E0260", TODAY), None, "a code the authorization does not name");
    assert_eq!(claim("E0277", "2027-03-01"), None, "after the authorized range");
}

#[test]
fn the_demo_has_ready_failing_and_batched_claims() {
    // The demo as its `claims` stage left it (the `remit` stage sends and posts the batch).
    let t = TempDb::new();
    let mut db = t.open();
    demo::load_through(&mut db, &actor(), date(TODAY), "claims").unwrap();
    let all = claims::list(db.conn(), &claims::ClaimFilter::default()).unwrap();
    let batched: Vec<&claims::Claim> = all.iter().filter(|c| c.status == ClaimStatus::Batched).collect();
    assert!(!batched.is_empty(), "the demo's clean claims are batched: {all:#?}");
    assert!(
        all.iter().any(|c| c.source == ClaimSource::Purchase) && all.iter().any(|c| c.source == ClaimSource::Rental)
    );
    let batches = claims::list_batches(db.conn()).unwrap();
    assert_eq!(batches.len(), 1, "one batch");
    assert!(batched.iter().all(|c| c.batch_id == Some(batches[0].id) && c.payer_name.starts_with("Medicare")));
    let drafts: Vec<&claims::Claim> = all.iter().filter(|c| c.status == ClaimStatus::Draft).collect();
    assert!(drafts.len() >= 2, "claims the scrubber stopped: {all:#?}");
    let mut failing: Vec<Vec<&str>> = Vec::new();
    for claim in drafts {
        let problems = scrub::scrub(db.conn(), claim.clone(), date(TODAY)).unwrap();
        let rules: Vec<&str> = problems.iter().filter(|p| p.severity == Severity::Error).map(|p| p.rule).collect();
        assert!(!rules.is_empty(), "a draft with no error: {claim:#?}");
        failing.push(rules);
    }
    let flat: Vec<&str> = failing.concat();
    for rule in ["pecos", "proof_of_delivery", "timely_filing", "kx_with_ga_gy_gz"] {
        assert!(flat.contains(&rule), "{rule} missing from {failing:?}");
    }
    assert_ne!(failing[0], failing[1], "the drafts fail for different reasons");
}

#[test]
fn payers_show_what_each_has_ready_to_batch_as_the_work_list_counts_it() {
    let (_t, mut db) = demo_db();
    let (patient, primary, secondary) = dual_eligible(&db);
    for (coverage, charge) in [(primary, "195.00"), (primary, "45.50"), (secondary, "80.00")] {
        let lines = vec![line("E0143", &["NU"], charge, "2026-11-02", Acquisition::Purchase, None)];
        ready(&mut db, new_claim(patient, coverage, ClaimSource::Purchase, lines));
    }
    let payers = claims::by_payer(db.conn()).unwrap();
    assert!(payers.windows(2).all(|w| w[0].payer_name <= w[1].payer_name), "by name: {payers:#?}");
    for p in &payers {
        let of = |status| claims::summaries(db.conn(), SummaryFilter { status, payer_id: Some(p.payer_id) }).unwrap();
        let ready = of(Some(ClaimStatus::Ready));
        assert_eq!(p.claims as usize, of(None).len(), "{p:#?}");
        assert_eq!(p.ready as usize, ready.len(), "{p:#?}");
        assert_eq!(p.ready_charge, ready.iter().map(|c| c.charge).sum(), "{p:#?}");
    }
    let medicare = payers.iter().find(|p| p.payer_id == payer_of(&db, primary)).unwrap();
    assert!(medicare.ready >= 2 && medicare.ready_charge >= "240.50".parse().unwrap(), "{medicare:#?}");
    let medicaid = payers.iter().find(|p| p.payer_id == payer_of(&db, secondary)).unwrap();
    assert!(medicaid.ready >= 1, "{medicaid:#?}");
}
