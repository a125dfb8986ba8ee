//! The `hmedesk rentals schedule` calculator as a program sees it: the JSON contract, and the
//! exit codes (1 for bad input, naming the field; 2 for a usage error).

use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite3");
    Command::new(env!("CARGO_BIN_EXE_hmedesk"))
        .arg("--db")
        .arg(&db)
        .args(["rentals", "schedule"])
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Vec<Value> {
    let out = run(&[args, &["--json"]].concat());
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const CPAP: [&str; 8] = ["--hcpcs", "E0601", "--category", "CR", "--start", "2025-01-31", "--through", "2026-12-31"];

/// The arguments of a schedule request for `hcpcs` in `category` from `start` through
/// `through`, then `extra`.
fn request<'a>(hcpcs: &'a str, category: &'a str, start: &'a str, through: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    [&["--hcpcs", hcpcs, "--category", category, "--start", start, "--through", through][..], extra].concat()
}

#[test]
fn capped_rental_json_contract() {
    let months = json(&CPAP);
    assert_eq!(months.len(), 13);
    let first = &months[0];
    assert_eq!(first["month"], 1);
    assert_eq!(first["dos"], "2025-01-31");
    assert_eq!(first["billable"], true);
    assert_eq!(first["modifiers"], serde_json::json!(["RR", "KH"]));
    assert!(first["reason"].is_null());
    assert_eq!(months[1]["dos"], "2025-02-28");
    assert_eq!(months[1]["modifiers"], serde_json::json!(["RR", "KI"]));
    assert_eq!(months[3]["modifiers"], serde_json::json!(["RR", "KJ"]));
    assert_eq!(months[12]["month"], 13);
}

#[test]
fn fees_are_decimal_strings_and_documentation_adds_kx() {
    let months = json(&[&CPAP[..], &["--purchase-price", "1234.55", "--documentation", "met"]].concat());
    assert_eq!(months[0]["fee"], "123.46");
    assert_eq!(months[3]["fee"], "92.59");
    assert_eq!(months[0]["modifiers"], serde_json::json!(["RR", "KH", "KX"]));
}

#[test]
fn interruption_months_carry_a_reason() {
    let months =
        json(&request("E0601", "CR", "2025-01-15", "2025-09-30", &["--interruption", "2025-03-25:2025-06-15"]));
    let held: Vec<&Value> = months.iter().filter(|m| m["billable"] == false).collect();
    assert!(!held.is_empty());
    assert!(held.iter().all(|m| m["reason"].as_str().is_some_and(|r| !r.is_empty())));
    assert!(held.iter().any(|m| m["reason"].as_str().unwrap().starts_with("billing blocked")));

    let documented = json(&request(
        "E0601",
        "CR",
        "2025-01-15",
        "2025-07-15",
        &["--interruption", "2025-03-25:2025-06-15", "--new-period-documented"],
    ));
    let resumed = documented.iter().find(|m| m["dos"] == "2025-06-15").unwrap();
    assert_eq!(resumed["month"], 1);
    assert_eq!(resumed["modifiers"], serde_json::json!(["RR", "KH"]));
}

#[test]
fn prior_months_and_oxygen() {
    let months = json(&request("E0601", "CR", "2025-01-15", "2027-01-01", &["--prior-months", "10"]));
    assert_eq!(months.len(), 3);
    assert_eq!(months[0]["month"], 11);
    let oxygen = json(&request("E1390", "OX", "2025-01-15", "2028-02-15", &[]));
    assert_eq!(oxygen.iter().filter(|m| m["billable"] == true).count(), 36);
    assert_eq!(oxygen[36]["billable"], false);
    assert_eq!(oxygen[0]["modifiers"], serde_json::json!([]));
}

#[test]
fn table_output_for_people() {
    let out = run(&CPAP);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().next().unwrap().starts_with("PERIOD  MONTH  DOS"));
    assert!(text.contains("title passes to the patient on 2026-02-28"));
}

#[test]
fn bad_input_exits_1_naming_the_field() {
    let cases = [
        (request("E0601", "XX", "2025-01-15", "2025-03-01", &[]), "category"),
        (request("E0601", "CR", "2025-02-30", "2025-03-01", &[]), "start"),
        (request("E0601", "CR", "2025-01-15", "tomorrow", &[]), "through"),
        (request("E06", "CR", "2025-01-15", "2025-03-01", &[]), "hcpcs"),
        (request("E0601", "CR", "2025-01-15", "2025-03-01", &["--interruption", "2025-02-01"]), "interruption"),
        (request("E0143", "IN", "2025-01-15", "2025-03-01", &[]), "purchase_price"),
    ];
    for (args, field) in cases {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let message = stderr(&out);
        assert!(message.starts_with("error: ") && message.contains(&format!("{field}:")), "{args:?}: {message}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn missing_arguments_exit_2() {
    for args in [&["--hcpcs", "E0601", "--category", "CR", "--start", "2025-01-15"][..], &[]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("--through"));
    }
}
