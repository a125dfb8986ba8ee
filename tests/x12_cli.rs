//! `hmedesk x12 check`: exit 0 for a valid file, 1 with positioned problems otherwise.

use std::path::PathBuf;
use std::process::{Command, Output};

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hmedesk"))
        .arg("x12")
        .arg("check")
        .args(args)
        .env_remove("HMEDESK_DB")
        .output()
        .unwrap()
}

fn golden(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/x12").join(name).display().to_string()
}

#[test]
fn a_valid_file_exits_0() {
    for name in ["dme_remit.835", "rejected.999", "claim_ack.277", "eligibility.271"] {
        let out = check(&[&golden(name)]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stdout));
        assert!(String::from_utf8_lossy(&out.stdout).contains("no problems"));
    }
}

#[test]
fn an_invalid_file_exits_1_with_positioned_problems() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.835");
    let text = std::fs::read_to_string(golden("dme_remit.835")).unwrap().replace("SE*46*0001~", "SE*45*0001~");
    std::fs::write(&path, text).unwrap();
    let out = check(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("problem: segment 48, element 1 (byte 1384): SE01 says \"45\" but there are 46 segments"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("has 1 problem(s)"));

    let json = check(&[path.to_str().unwrap(), "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["problems"][0]["at"]["segment"], 48);
}

#[test]
fn a_missing_file_exits_1() {
    let out = check(&["/nonexistent/remit.835"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the file could not be read"));
}
