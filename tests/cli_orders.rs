//! The `hmedesk orders`, `documents` and `print cmn` contract: JSON fields, exit codes, and
//! the CMN PDF's text (checked with pdftotext when poppler-utils is installed).

mod common;

use common::{stderr, TempDb};
use std::process::Command;

/// A demo database (supplier, payers, practitioners, patients) and an oxygen order for
/// patient 2; returns the order id.
fn with_order(db: &TempDb) -> i64 {
    db.cli_json(&["demo", "--json"]);
    let order = db.cli_json(&[
        "orders",
        "add",
        "--patient-id",
        "2",
        "--practitioner-id",
        "1",
        "--order-date",
        "2025-01-06",
        "--diagnoses",
        "1,2",
        "--line",
        "E1390 x1 rental 99mo RR",
        "--line",
        "E0431 rental 99mo -- Portable cylinders, size E",
        "--json",
    ]);
    assert_eq!(order["status"], "intake");
    assert_eq!(order["lines"][1]["description"], "Portable cylinders, size E");
    order["id"].as_i64().unwrap()
}

/// Text of a PDF, or `None` (with a note) where pdftotext is not installed.
fn pdf_text(path: &std::path::Path) -> Option<String> {
    match Command::new("pdftotext").arg("-layout").arg(path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            eprintln!("pdftotext is not installed (poppler-utils); skipping the PDF text check");
            None
        }
    }
}

#[test]
fn orders_add_list_and_the_swo_check() {
    let db = TempDb::new();
    let id = with_order(&db);
    let list = db.cli_json(&["orders", "list", "--patient", "2", "--json"]);
    let first = &list[0];
    for field in ["id", "patient_id", "practitioner_id", "order_date", "status", "lines", "diagnoses"] {
        assert!(!first[field].is_null(), "{field} missing in {first}");
    }
    let gaps = db.cli_json(&["orders", "swo", &id.to_string(), "--json"]);
    assert_eq!(gaps[0]["element"], "signature");
    db.cli_json(&["orders", "sign", &id.to_string(), "--on", "2025-01-08", "--json"]);
    assert_eq!(db.cli_json(&["orders", "swo", &id.to_string(), "--json"]).as_array().unwrap().len(), 0);
    let missing = db.cli_json(&["orders", "missing", "--order", &id.to_string(), "--json"]);
    assert!(missing.as_array().unwrap().iter().all(|m| m["blocks"] == "billing" || m["blocks"] == "delivery"));
}

#[test]
fn bad_orders_and_illegal_moves_exit_1_naming_the_problem() {
    let db = TempDb::new();
    let id = with_order(&db);
    let out = db.cli(&[
        "orders",
        "add",
        "--patient-id",
        "2",
        "--practitioner-id",
        "1",
        "--order-date",
        "2025-01-06",
        "--line",
        "A7030 rental",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("lines[1].acquisition: A7030 cannot be rented"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1);
    let out = db.cli(&["orders", "status", &id.to_string(), "delivered"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is intake and cannot become delivered"), "{}", stderr(&out));
    assert_eq!(db.cli(&["orders", "add", "--patient-id", "2"]).status.code(), Some(2), "--line is required");
}

#[test]
fn documents_list_json_and_the_cmn_pdf() {
    let db = TempDb::new();
    let id = with_order(&db);
    let answers = r#"{"po2_mmhg": 54, "saturation_percent": 87, "test_date": "2025-01-03", "test_setting": "outpatient_chronic_stable", "test_condition": "at_rest", "mobile_in_home": true, "flow_rate_lpm": "2"}"#;
    let doc = db.cli_json(&[
        "documents",
        "add",
        "--patient-id",
        "2",
        "--order-id",
        &id.to_string(),
        "--type",
        "cmn",
        "--form",
        "CMS-484",
        "--initial-date",
        "2025-01-06",
        "--expires",
        "2026-01-05",
        "--length-of-need-months",
        "99",
        "--answers",
        answers,
        "--json",
    ]);
    let list = db.cli_json(&["documents", "list", "--json"]);
    let first = list.as_array().unwrap().iter().find(|d| d["id"] == doc["id"]).unwrap();
    assert_eq!(first["patient_id"], 2);
    assert_eq!(first["type"], "cmn");
    assert_eq!(first["form"], "CMS-484");
    assert_eq!(first["expires"], "2026-01-05");

    let id_text = doc["id"].to_string();
    let updated = db.cli_json(&["documents", "update", &id_text, "--recert-due", "2025-12-06", "--json"]);
    assert_eq!((updated["recert_due"].as_str(), updated["expires"].as_str()), (Some("2025-12-06"), Some("2026-01-05")));
    assert_eq!(updated["answers"]["po2_mmhg"], 54, "fields not given keep their value");
    let refused = db.cli(&["documents", "update", &id_text, "--recert-due", "2024-01-01"]);
    assert_ne!(refused.status.code(), Some(0));
    assert!(stderr(&refused).contains("recert_due: is before the initial date"), "{}", stderr(&refused));

    let scan = db.dir.path().join("cmn-signed.pdf");
    std::fs::write(&scan, b"%PDF-1.4 scan").unwrap();
    let file = db.cli_json(&["documents", "attach", &doc["id"].to_string(), scan.to_str().unwrap(), "--json"]);
    assert_eq!(file["sha256"].as_str().unwrap().len(), 64);

    let pdf = db.dir.path().join("cmn.pdf");
    let out = db.cli(&["print", "cmn", &doc["id"].to_string(), "--out", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let patient = db.cli_json(&["patients", "show", "2", "--json"]);
    if let Some(text) = pdf_text(&pdf) {
        let last_name = patient["last_name"].as_str().unwrap();
        for expected in [
            "CMS-484",
            "SECTION A",
            "SECTION B",
            "SECTION C",
            "SECTION D",
            "54 mm Hg",
            "2 LPM",
            "E1390",
            "PHYSICIAN'S SIGNATURE",
            last_name,
        ] {
            assert!(text.contains(expected), "{expected} missing from:\n{text}");
        }
    }
    assert_eq!(db.cli(&["print", "cmn", "999", "--out", pdf.to_str().unwrap()]).status.code(), Some(1));
}
