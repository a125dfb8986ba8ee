//! The `hmedesk` command-line contract: exit codes (0 ok, 1 data error with one line naming
//! the field, 2 usage), JSON output, all-or-nothing CSV imports, the idempotent demo, export.

mod common;

use common::{stderr, TempDb};

#[test]
fn a_bad_npi_exits_1_naming_the_npi_and_saves_nothing() {
    let db = TempDb::new();
    let out = db.cli(&["practitioners", "add", "--npi", "1234567890", "--first-name", "Ann", "--last-name", "Lee"]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("npi: NPI 1234567890 is not valid"), "{message}");
    assert_eq!(db.count("practitioners"), 0);

    let ok = db.cli_json(&[
        "practitioners",
        "add",
        "--npi",
        "1234567893",
        "--first-name",
        "Ann",
        "--last-name",
        "Lee",
        "--json",
    ]);
    assert_eq!(ok["npi"], "1234567893");
    let listed = db.cli_json(&["practitioners", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn usage_errors_exit_2() {
    let db = TempDb::new();
    for args in [&["practitioners", "frobnicate"][..], &["patients", "show"], &["--no-such-flag"], &[]] {
        assert_eq!(db.cli(args).status.code(), Some(2), "{args:?}");
    }
    assert_eq!(db.cli(&["--help"]).status.code(), Some(0));
}

#[test]
fn missing_records_exit_1() {
    let db = TempDb::new();
    let out = db.cli(&["patients", "show", "99"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "error: there is no patient with id 99");
}

#[test]
fn patients_list_json_carries_the_contract_fields() {
    let db = TempDb::new();
    db.cli_json(&[
        "patients",
        "add",
        "--first-name",
        "Maria",
        "--last-name",
        "Lopez",
        "--dob",
        "1948-03-02",
        "--sex",
        "F",
        "--diagnoses",
        "G47.33",
        "--json",
    ]);
    let list = db.cli_json(&["patients", "list", "--json"]);
    let first = &list[0];
    for field in ["id", "first_name", "last_name", "dob"] {
        assert!(!first[field].is_null(), "{field} missing in {first}");
    }
    assert_eq!(first["dob"], "1948-03-02");
    let found = db.cli_json(&["patients", "list", "--search", "03/02/1948", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
}

#[test]
fn update_changes_only_the_given_fields() {
    let db = TempDb::new();
    db.cli_json(&[
        "practitioners",
        "add",
        "--npi",
        "1234567893",
        "--first-name",
        "Ann",
        "--last-name",
        "Lee",
        "--phone",
        "2145550100",
        "--json",
    ]);
    let updated = db.cli_json(&["practitioners", "update", "1", "--credentials", "MD", "--json"]);
    assert_eq!((updated["credentials"].as_str(), updated["phone"].as_str()), (Some("MD"), Some("2145550100")));
    let cleared = db.cli_json(&["practitioners", "update", "1", "--phone", "", "--json"]);
    assert!(cleared["phone"].is_null());
}

#[test]
fn a_patient_import_with_a_bad_row_imports_nothing_and_names_the_line() {
    let db = TempDb::new();
    let file = db.dir.path().join("patients.csv");
    std::fs::write(
        &file,
        "first_name,last_name,dob,sex,address1,city,state,zip,phone\n\
         Maria,Lopez,1948-03-02,F,1 Elm St,Dallas,TX,75204,214-555-0101\n\
         James,Brown,1951-13-40,M,2 Oak St,Plano,TX,75023,214-555-0102\n",
    )
    .unwrap();
    let out = db.cli(&["import", "patients", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), "error: line 3: dob: '1951-13-40' is not a date (use YYYY-MM-DD)");
    assert_eq!(db.count("patients"), 0);
    assert_eq!(db.count("audit_log"), 0);

    std::fs::write(
        &file,
        "first_name,last_name,dob,sex,address1,city,state,zip,phone\n\
         Maria,Lopez,1948-03-02,F,1 Elm St,Dallas,TX,75204,214-555-0101\n\
         James,Brown,1951-12-04,M,2 Oak St,Plano,TX,75023,214-555-0102\n",
    )
    .unwrap();
    let summary = db.cli_json(&["import", "patients", file.to_str().unwrap(), "--json"]);
    assert_eq!(summary["rows"], 2);
    assert_eq!(db.count("patients"), 2);
}

#[test]
fn an_unknown_column_is_refused_on_line_1() {
    let db = TempDb::new();
    let file = db.dir.path().join("p.csv");
    std::fs::write(&file, "npi,first_name,lastname\n1234567893,Ann,Lee\n").unwrap();
    let out = db.cli(&["import", "practitioners", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("line 1: unknown column lastname"), "{}", stderr(&out));
}

#[test]
fn a_fee_import_takes_the_payer_from_the_flag() {
    let db = TempDb::new();
    db.cli_json(&["payers", "add", "--name", "Aetna", "--kind", "commercial", "--payer-id", "60054", "--json"]);
    let file = db.dir.path().join("fees.csv");
    std::fs::write(
        &file,
        "hcpcs,modifiers,allowed,charge,effective\nE0601,RR,93.69,185.00,2026-01-01\nA7030,,94.94,165,2026-01-01\n",
    )
    .unwrap();
    let summary = db.cli_json(&["import", "fees", file.to_str().unwrap(), "--payer", "1", "--json"]);
    assert_eq!(summary["rows"], 2);
    let fees = db.cli_json(&["fees", "list", "--payer", "1", "--json"]);
    assert_eq!(fees[1]["allowed"], "93.69");
    std::fs::write(&file, "hcpcs,modifiers,allowed,charge,effective\nE0470,RR,201.27,395.00,2026-01-01\nE0601,RR,12.5.0,185.00,2026-01-01\n").unwrap();
    let out = db.cli(&["import", "fees", file.to_str().unwrap(), "--payer", "1"]);
    assert_eq!(
        stderr(&out).trim(),
        "error: line 3: allowed: '12.5.0' is not an amount (use digits with an optional '.' and cents, like 125.50)"
    );
    assert_eq!(db.count("fees"), 2);
}

#[test]
fn the_demo_loads_once_and_a_second_run_changes_nothing() {
    let db = TempDb::new();
    let first = db.cli_json(&["demo", "--json"]);
    assert_eq!(first["loaded"][0], "intake");
    let counts = |db: &TempDb| {
        ["patients", "coverages", "practitioners", "payers", "fees", "catalog_items", "audit_log"].map(|t| db.count(t))
    };
    let after_first = counts(&db);
    let [patients, coverages, practitioners, payers, fees, catalog, _] = after_first;
    assert!(patients >= 60 && coverages >= 60 && practitioners >= 10 && payers == 4 && fees > 0 && catalog >= 150);
    let second = db.cli_json(&["demo", "--json"]);
    assert_eq!(second["loaded"].as_array().unwrap().len(), 0);
    assert_eq!(counts(&db), after_first);
    let dashboard = db.cli_json(&["dashboard", "--json"]);
    assert_eq!(dashboard["supplier_name"], "Lone Star Home Medical");
    assert!(dashboard["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["message"].as_str().unwrap().contains("coverage with")));
}

#[test]
fn export_writes_every_table_as_csv_and_json() {
    let db = TempDb::new();
    db.cli_json(&["demo", "--json"]);
    let out = db.dir.path().join("export");
    let summary = db.cli_json(&["export", "--out", out.to_str().unwrap(), "--json"]);
    let tables: Vec<&str> =
        summary["tables"].as_array().unwrap().iter().map(|t| t["table"].as_str().unwrap()).collect();
    for table in ["patients", "coverages", "fees", "audit_log", "supplier"] {
        assert!(tables.contains(&table), "{table} not exported");
        assert!(out.join(format!("{table}.csv")).exists() && out.join(format!("{table}.json")).exists());
    }
    assert!(!tables.iter().any(|t| t.starts_with("patient_search")));
    let fees: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fees.json")).unwrap()).unwrap();
    assert!(fees[0]["allowed"].is_string(), "money is exported as decimal text: {}", fees[0]);
    let csv = std::fs::read_to_string(out.join("patients.csv")).unwrap();
    assert_eq!(csv.lines().count() as i64, db.count("patients") + 1);
}

#[test]
fn a_reader_that_stops_early_does_not_crash_the_command() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let db = TempDb::new();
    db.cli_json(&["demo", "--json"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_hmedesk"))
        // More than a pipe buffer (64 KiB) of output, so the command is still writing when
        // the reader goes away.
        .args(["--db", db.path.to_str().unwrap(), "catalog", "list", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert_eq!(first.trim(), "[");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn coverages_and_fees_can_be_shown_one_at_a_time() {
    let db = TempDb::new();
    db.cli_json(&["demo", "--json"]);
    let coverage = db.cli_json(&["coverages", "show", "1", "--json"]);
    assert_eq!(coverage[0]["id"], 1);
    let fee = db.cli_json(&["fees", "show", "1", "--json"]);
    assert_eq!(fee[0]["id"], 1);
    assert_eq!(db.cli(&["fees", "show", "99999"]).status.code(), Some(1));
}
