//! Shared helpers for the integration tests: a database in a temp folder, the CLI binary, and
//! the demo's claims as fixtures.
#![allow(dead_code)]

use hmedesk::{Actor, Db};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A database file in its own temp folder, removed when dropped.
pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempDb {
    pub fn new() -> TempDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("hmedesk.sqlite3");
        TempDb { dir, path }
    }

    pub fn open(&self) -> Db {
        Db::open(&self.path).expect("open database")
    }

    /// Runs `hmedesk --db <this file> args...`.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_hmedesk"))
            .arg("--db")
            .arg(&self.path)
            .args(args)
            .env("HMEDESK_USER", "tester")
            .output()
            .expect("run hmedesk")
    }

    /// Runs the CLI and parses its standard output as JSON, asserting exit 0.
    pub fn cli_json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.cli(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("JSON output")
    }

    pub fn count(&self, table: &str) -> i64 {
        self.open().conn().query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    }
}

pub fn actor() -> Actor {
    Actor::new("tester")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs pyx12 (installed by `.ci/setup` into `.venv-pyx12`) on a copy of `text` and returns
/// its report (the last line ends `: OK` or `: Failure`), or `None` when it is not installed.
pub fn pyx12_verdict(text: &str) -> Option<String> {
    let validator = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-pyx12/bin/x12valid");
    if !validator.exists() {
        assert!(std::env::var_os("CI").is_none(), "CI must install pyx12 (.ci/setup)");
        println!("skipped: pyx12 is not installed (run .ci/setup)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("claims.837");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(validator).arg(&file).output().expect("run x12valid");
    Some(String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The demo as its `claims` stage left it on 2026-11-01: patients, coverages and claims but
/// no remittance yet, so each scenario's payments, queues and balances are its own.
pub fn demo_claims() -> (TempDb, Db) {
    let tmp = TempDb::new();
    let mut db = tmp.open();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
    hmedesk::demo::load_through(&mut db, &actor(), day, "claims").expect("the demo loads");
    (tmp, db)
}

/// A Medicare patient with a Medicaid secondary: (patient, primary coverage, secondary coverage).
pub fn dual_eligible(db: &Db) -> (i64, i64, i64) {
    db.conn()
        .query_row(
            "SELECT s.patient_id, p.id, s.id FROM coverages s JOIN coverages p ON p.patient_id = s.patient_id
             WHERE s.priority = 'secondary' AND p.priority = 'primary' ORDER BY s.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the demo has a patient with two coverages")
}
