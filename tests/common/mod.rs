//! Shared helpers for the integration tests: a database in a temp folder, and the CLI binary.
#![allow(dead_code)]

use hmedesk::{Actor, Db};
use std::path::PathBuf;
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
