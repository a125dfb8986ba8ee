//! Migrations: applied in order to an empty database they produce exactly the committed
//! schema snapshot; reopening changes nothing; a database from a newer program is refused; the
//! work queue rebuild (0017) keeps its items.

mod common;

use common::TempDb;
use hmedesk::{Db, DbError};

fn schema(db: &Db) -> String {
    let mut stmt = db
        .conn()
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    let rows: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    rows.join(";\n") + ";\n"
}

#[test]
fn migrations_produce_the_committed_schema() {
    let temp = TempDb::new();
    let db = temp.open();
    let actual = schema(&db);
    let snapshot_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/schema.sql");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(snapshot_path, &actual).unwrap();
    }
    let expected =
        std::fs::read_to_string(snapshot_path).expect("tests/data/schema.sql (UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(actual, expected, "schema changed: review, then run with UPDATE_SNAPSHOTS=1");
}

#[test]
fn reopening_applies_nothing_twice() {
    let temp = TempDb::new();
    let applied = |db: &hmedesk::Db| -> (i64, i64) {
        db.conn()
            .query_row("SELECT COUNT(*), MAX(version) FROM schema_migrations", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
    };
    let first_db = temp.open();
    let (first, first_applied) = (schema(&first_db), applied(&first_db));
    drop(first_db);
    let db = temp.open();
    assert_eq!(schema(&db), first);
    assert_eq!(applied(&db), first_applied, "the second open recorded no migration");
    assert_eq!(first_applied.1, hmedesk::db::latest_version());
}

#[test]
fn an_older_database_is_upgraded() {
    let temp = TempDb::new();
    {
        // A database as an older program left it: only the bookkeeping table, nothing applied.
        let conn = rusqlite::Connection::open(&temp.path).unwrap();
        conn.execute_batch("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);")
            .unwrap();
    }
    let db = temp.open();
    let version: i64 = db.conn().query_row("SELECT MAX(version) FROM schema_migrations", [], |r| r.get(0)).unwrap();
    assert_eq!(version, hmedesk::db::latest_version());
}

#[test]
fn a_newer_database_is_refused() {
    let temp = TempDb::new();
    drop(temp.open());
    {
        let conn = rusqlite::Connection::open(&temp.path).unwrap();
        conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')", [])
            .unwrap();
    }
    match Db::open(&temp.path) {
        Err(DbError::TooNew { found: 9999, .. }) => {}
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("a newer database was opened"),
    }
}

#[test]
fn connections_enforce_foreign_keys_and_wal() {
    let temp = TempDb::new();
    let db = temp.open();
    let fk: i64 = db.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    let mode: String = db.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!((fk, mode.as_str()), (1, "wal"));
}

/// Migration 0017 rebuilds the work queue to allow a third kind (SQLite cannot alter a CHECK):
/// run again over a queue with an item on it, the item keeps its id and words, the open-items
/// index is made again, and the schema is the one a new database gets.
#[test]
fn the_work_queue_rebuild_keeps_its_items_and_index() {
    let temp = TempDb::new();
    let fresh = schema(&temp.open());
    let mut db = temp.open();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    hmedesk::demo::load_through(&mut db, &common::actor(), today, "claims").unwrap();
    let items = |db: &Db| -> Vec<(i64, String, i64, String)> {
        let mut stmt = db.conn().prepare("SELECT id, kind, claim_id, reason FROM work_queue ORDER BY id").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect()
    };
    db.conn()
        .execute(
            "INSERT INTO work_queue (kind, claim_id, reason, created_at)
             SELECT 'rejection', MIN(id), 'the payer does not know the member id', '2026-11-01T00:00:00Z' FROM claims",
            [],
        )
        .unwrap();
    let before = items(&db);
    assert_eq!(before.len(), 1);
    db.conn().execute("DELETE FROM schema_migrations WHERE version = 17", []).unwrap();
    drop(db);

    let db = temp.open();
    assert_eq!(items(&db), before);
    assert_eq!(schema(&db), fresh);
    let index: i64 = db
        .conn()
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'work_queue_open'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(index, 1);
    let bogus = db.conn().execute(
        "INSERT INTO work_queue (kind, claim_id, reason, created_at) SELECT 'bogus', MIN(id), 'x', 'x' FROM claims",
        [],
    );
    assert!(bogus.is_err(), "the CHECK still holds");
}
