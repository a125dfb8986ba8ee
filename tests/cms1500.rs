//! The CMS-1500 (02/12) PDF: a seven-line replacement claim on the demo's Medicare patient
//! prints on two pages with its values in their boxes, the total charge only on the last
//! page, in both the data-only and the full-form variant (read back with pdftotext when
//! poppler-utils is installed), and through `hmedesk print cms1500`.

mod common;

use chrono::NaiveDate;
use common::{actor, TempDb};
use hmedesk::claims::{self, ClaimFrequency, ClaimSource, NewClaim, NewLine};
use hmedesk::orders::Acquisition;
use hmedesk::print::{cms1500, Cms1500Variant};
use hmedesk::{demo, Db};
use std::path::Path;
use std::process::Command;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// Text of each page of a PDF with its spacing collapsed to single spaces, or `None` (with a
/// note) where pdftotext is not installed.
fn pages(path: &Path) -> Option<Vec<String>> {
    match Command::new("pdftotext").arg("-layout").arg(path).arg("-").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty());
            Some(pages.map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect())
        }
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            eprintln!("pdftotext is not installed (poppler-utils); skipping the PDF text check");
            None
        }
    }
}

fn line(hcpcs: &str, mods: &[&str], charge: &str, pointers: Vec<u8>) -> NewLine {
    NewLine {
        hcpcs: hcpcs.into(),
        modifiers: mods.iter().map(|m| m.to_string()).collect(),
        from: date("2026-10-02"),
        to: date("2026-10-02"),
        units: 1,
        charge: charge.parse().unwrap(),
        allowed: None,
        diagnosis_pointers: pointers,
        acquisition: Acquisition::Purchase,
        order_line_id: None,
        delivery_item_id: None,
        rental_month: None,
    }
}

/// A seven-line replacement claim to the primary coverage of the demo's dual-eligible patient.
fn seven_line_claim(db: &mut Db) -> claims::Claim {
    let (patient_id, coverage_id): (i64, i64) = db
        .conn()
        .query_row(
            "SELECT s.patient_id, p.id FROM coverages s JOIN coverages p ON p.patient_id = s.patient_id
             WHERE s.priority = 'secondary' AND p.priority = 'primary' ORDER BY s.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut lines = vec![line("E0143", &["NU", "KX"], "195.00", vec![1, 2])];
    for i in 0..6 {
        lines.push(line("A4604", &[], &format!("1{i}.25"), vec![3]));
    }
    let claim = NewClaim {
        patient_id,
        coverage_id,
        practitioner_id: Some(1),
        order_id: None,
        source: ClaimSource::Correction,
        frequency: ClaimFrequency::Replacement,
        payer_claim_number: Some("21926001234567".into()),
        related_claim_id: None,
        corrects_claim_id: None,
        prior_authorization: Some("PA-778899".into()),
        diagnoses: vec!["G47.33".into(), "J44.9".into(), "R06.00".into()],
        lines,
    };
    db.write(&actor(), |c| claims::create(c, &claim)).unwrap()
}

#[test]
fn a_seven_line_claim_prints_on_two_pages_with_its_values_in_both_variants() {
    let t = TempDb::new();
    let mut db = t.open();
    demo::load(&mut db, &actor(), date("2026-11-20")).unwrap();
    let claim = seven_line_claim(&mut db);
    let member_id: String = db
        .conn()
        .query_row("SELECT member_id FROM coverages WHERE id = ?1", [claim.coverage_id], |r| r.get(0))
        .unwrap();
    let npi: String = db.conn().query_row("SELECT npi FROM practitioners WHERE id = 1", [], |r| r.get(0)).unwrap();
    let total = claim.total_charge.to_string();
    assert_eq!(total, "271.50");

    for variant in [Cms1500Variant::Data, Cms1500Variant::Form] {
        let pdf = cms1500(db.conn(), claim.id, variant).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let path = t.dir.path().join(format!("{variant:?}.pdf"));
        std::fs::write(&path, &pdf).unwrap();
        let Some(pages) = pages(&path) else { return };
        assert_eq!(pages.len(), 2, "seven lines make two pages");
        for page in &pages {
            for value in [
                member_id.as_str(),
                &claim.control_number,
                "PA-778899",
                "21926001234567",
                "G4733",
                "J449",
                "R0600",
                "DK",
                &npi,
                "SIGNATURE ON FILE",
            ] {
                assert!(page.contains(value), "{variant:?}: {value} missing from\n{page}");
            }
        }
        let (first, last) = (&pages[0], &pages[1]);
        // A Medicare claim: the supplier in 33 and, as where the order was accepted, in 32.
        assert_eq!(first.matches("LONE STAR HOME MEDICAL LLC").count(), 2, "{first}");
        assert!(first.contains("E0143") && first.contains("NU KX") && first.contains("AB"), "{first}");
        assert_eq!(first.matches("A4604").count(), 5, "six lines on the first page");
        assert_eq!(last.matches("A4604").count(), 1, "the seventh on the second");
        assert!(first.contains("CONTINUED") && !first.contains("271"), "no total before the last page");
        assert!(last.contains("271 50"), "total on the last page:\n{last}");
        assert!(first.contains("195 00"), "dollars and cents apart:\n{first}");
        assert!(first.contains("10 02 26"), "24A dates as MM DD YY:\n{first}");
        if variant == Cms1500Variant::Form {
            assert!(first.contains("HEALTH INSURANCE CLAIM FORM") && first.contains("PRIOR AUTHORIZATION NUMBER"));
        } else {
            assert!(!first.contains("HEALTH INSURANCE CLAIM FORM"), "the red form has its own labels");
        }
    }
}

#[test]
fn cli_prints_both_variants_and_refuses_an_unknown_claim() {
    let t = TempDb::new();
    t.cli_json(&["demo", "--json"]);
    t.cli_json(&["claims", "build", "--json"]);
    let list = t.cli_json(&["claims", "list", "--json"]);
    let id = list.as_array().unwrap()[0]["id"].as_i64().unwrap().to_string();
    for extra in [None, Some("--form")] {
        let out = t.dir.path().join("claim.pdf");
        let mut args = vec!["print", "cms1500", &id, "--out", out.to_str().unwrap()];
        args.extend(extra);
        let run = t.cli(&args);
        assert!(run.status.success(), "{}", common::stderr(&run));
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    }
    let out = t.dir.path().join("none.pdf");
    let run = t.cli(&["print", "cms1500", "999999", "--out", out.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(common::stderr(&run).contains("999999"), "{}", common::stderr(&run));
}
