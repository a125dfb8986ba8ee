//! Sync with the folder transport: exactly-once upload and import, resumption after a crash
//! between steps, offline backoff, refusals; and the `sync`/`settings` CLI.

mod common;

use chrono::{Duration, Utc};
use common::TempDb;
use hmedesk::db::Change;
use hmedesk::sync::folder::{FolderTransport, PROCESSED};
use hmedesk::sync::pass::run_once;
use hmedesk::sync::transport::{Cursors, Offered, Receipt, Transport, TransportError, Upload};
use hmedesk::sync::{inbox, outbox, Importers, InboxState, OutboxKind, OutboxState};
use hmedesk::{Actor, Db};
use std::fs;
use std::path::{Path, PathBuf};

const X999: &str = "rejected.999";
const X835: &str = "dme_remit.835";

fn sample(name: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/x12").join(name)).expect("sample file")
}

struct Setup {
    db: TempDb,
    out: PathBuf,
    inc: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let db = TempDb::new();
        let out = db.dir.path().join("out");
        let inc = db.dir.path().join("in");
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&inc).unwrap();
        Setup { db, out, inc }
    }

    fn transport(&self) -> FolderTransport {
        FolderTransport::new(&self.out, &self.inc)
    }
}

fn actor() -> Actor {
    Actor::new("tester")
}

fn enqueue(db: &mut Db, name: &str, bytes: &[u8]) -> i64 {
    db.write(&actor(), |c| outbox::enqueue(c, OutboxKind::Claims837p, name, bytes)).unwrap()
}

/// A test importer that posts by writing one audit row, so posting is countable.
fn post(c: &Change<'_>, bytes: &[u8]) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    c.audit("post", "test_posting", None, &format!("{} bytes", bytes.len()))?;
    Ok("posted".into())
}

fn refuse(c: &Change<'_>, _: &[u8]) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    c.audit("post", "test_posting", None, "half posted")?;
    Err("claim 7 is not on file".into())
}

fn importers() -> Importers {
    Importers::none().with("999", post).with("835", post)
}

fn postings(db: &Db) -> i64 {
    db.conn().query_row("SELECT COUNT(*) FROM audit_log WHERE entity = 'test_posting'", [], |r| r.get(0)).unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_batch_goes_out_once_and_incoming_files_are_posted_once() {
    let s = Setup::new();
    let mut db = s.db.open();
    let id = enqueue(&mut db, "batch-1.837", b"ISA*batch one~");
    let report = run_once(&mut db, &actor(), &mut s.transport(), &importers(), Utc::now()).unwrap();
    assert_eq!((report.uploaded, report.downloaded, report.pending), (1, 0, 0));
    assert_eq!(fs::read(s.out.join("batch-1.837")).unwrap(), b"ISA*batch one~");
    assert_eq!(outbox::get(db.conn(), id).unwrap().state, OutboxState::Sent);

    // The clearinghouse client takes the file away; the next pass must not write it again.
    fs::remove_file(s.out.join("batch-1.837")).unwrap();
    fs::write(s.inc.join("ack.999"), sample(X999)).unwrap();
    fs::write(s.inc.join("era.835"), sample(X835)).unwrap();
    let report = run_once(&mut db, &actor(), &mut s.transport(), &importers(), Utc::now()).unwrap();
    assert_eq!((report.uploaded, report.downloaded, report.imported, report.failed), (0, 2, 2, 0));
    assert!(files_in(&s.out).is_empty());
    assert!(files_in(&s.inc).is_empty());
    assert_eq!(files_in(&s.inc.join(PROCESSED)), ["ack.999", "era.835"]);
    assert_eq!(postings(&db), 2);

    // The same ERA offered again under another name is stored and posted once.
    fs::write(s.inc.join("era-again.835"), sample(X835)).unwrap();
    let report = run_once(&mut db, &actor(), &mut s.transport(), &importers(), Utc::now()).unwrap();
    assert_eq!((report.downloaded, report.imported), (0, 0));
    assert_eq!(postings(&db), 2);
    let sets: Vec<String> = inbox::list(db.conn()).unwrap().into_iter().map(|i| i.transaction_set).collect();
    assert_eq!(sets, ["835", "999"]);
}

#[test]
fn files_without_an_importer_wait_and_are_imported_when_one_is_available() {
    let s = Setup::new();
    let mut db = s.db.open();
    fs::write(s.inc.join("era.835"), sample(X835)).unwrap();
    let report = run_once(&mut db, &actor(), &mut s.transport(), &Importers::none(), Utc::now()).unwrap();
    assert_eq!((report.downloaded, report.imported, report.pending), (1, 0, 1));
    assert_eq!(inbox::list(db.conn()).unwrap()[0].state, InboxState::PendingImport);
    let report = run_once(&mut db, &actor(), &mut s.transport(), &importers(), Utc::now()).unwrap();
    assert_eq!((report.downloaded, report.imported, report.pending), (0, 1, 0));
    assert_eq!(postings(&db), 1);
}

#[test]
fn a_refused_import_posts_nothing_and_says_why() {
    let s = Setup::new();
    let mut db = s.db.open();
    fs::write(s.inc.join("era.835"), sample(X835)).unwrap();
    let refusing = Importers::none().with("835", refuse);
    let report = run_once(&mut db, &actor(), &mut s.transport(), &refusing, Utc::now()).unwrap();
    assert_eq!((report.imported, report.failed), (0, 1));
    assert_eq!(postings(&db), 0);
    let item = &inbox::list(db.conn()).unwrap()[0];
    assert_eq!(item.state, InboxState::Failed);
    assert!(item.error.as_deref().unwrap().contains("claim 7 is not on file"));
}

/// Marks a row as a crash would have left it: `sending`, its try counted.
fn crash_while_sending(s: &Setup, id: i64) {
    let raw = rusqlite::Connection::open(&s.db.path).unwrap();
    raw.execute("UPDATE sync_outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?1", [id]).unwrap();
}

/// Counts uploads through the folder transport.
struct Counting {
    inner: FolderTransport,
    uploads: u32,
    settle_fails: bool,
}

impl Transport for Counting {
    fn name(&self) -> &'static str {
        "counting"
    }
    fn upload(&mut self, upload: &Upload<'_>) -> Result<Receipt, TransportError> {
        self.uploads += 1;
        self.inner.upload(upload)
    }
    fn find_upload(&mut self, upload: &Upload<'_>) -> Result<Option<Receipt>, TransportError> {
        self.inner.find_upload(upload)
    }
    fn list_incoming(&mut self, cursors: &Cursors) -> Result<Vec<Offered>, TransportError> {
        self.inner.list_incoming(cursors)
    }
    fn download(&mut self, offered: &Offered) -> Result<Vec<u8>, TransportError> {
        self.inner.download(offered)
    }
    fn settle(&mut self, offered: &Offered) -> Result<(), TransportError> {
        if self.settle_fails {
            return Err(TransportError::Offline("the share went away".into()));
        }
        self.inner.settle(offered)
    }
}

#[test]
fn a_crash_mid_upload_is_resolved_against_the_folder_before_resending() {
    let s = Setup::new();
    let mut db = s.db.open();
    let arrived = enqueue(&mut db, "arrived.837", b"ISA*arrived~");
    let lost = enqueue(&mut db, "lost.837", b"ISA*lost~");
    // The first file reached the folder before the crash; the second did not.
    fs::write(s.out.join("arrived.837"), b"ISA*arrived~").unwrap();
    crash_while_sending(&s, arrived);
    crash_while_sending(&s, lost);
    drop(db);

    let mut db = s.db.open();
    let mut t = Counting { inner: s.transport(), uploads: 0, settle_fails: false };
    let report = run_once(&mut db, &actor(), &mut t, &importers(), Utc::now()).unwrap();
    assert_eq!(t.uploads, 1, "only the file that never arrived is written again");
    assert_eq!(report.uploaded, 1);
    for id in [arrived, lost] {
        assert_eq!(outbox::get(db.conn(), id).unwrap().state, OutboxState::Sent);
    }
    assert_eq!(files_in(&s.out), ["arrived.837", "lost.837"]);
}

#[test]
fn a_crash_after_storing_an_incoming_file_loses_and_doubles_nothing() {
    let s = Setup::new();
    let mut db = s.db.open();
    fs::write(s.inc.join("era.835"), sample(X835)).unwrap();
    let mut t = Counting { inner: s.transport(), uploads: 0, settle_fails: true };
    let report = run_once(&mut db, &actor(), &mut t, &importers(), Utc::now()).unwrap();
    assert_eq!((report.downloaded, report.imported), (1, 1));
    assert_eq!(files_in(&s.inc), ["era.835"], "still offered: the move failed");

    let report = run_once(&mut db, &actor(), &mut s.transport(), &importers(), Utc::now()).unwrap();
    assert_eq!((report.downloaded, report.imported), (0, 0));
    assert!(files_in(&s.inc).is_empty());
    assert_eq!(postings(&db), 1);
    assert_eq!(inbox::list(db.conn()).unwrap().len(), 1);
}

#[test]
fn offline_waits_with_backoff_and_send_now_overrides_it() {
    let s = Setup::new();
    let mut db = s.db.open();
    let id = enqueue(&mut db, "batch.837", b"ISA*x~");
    let mut gone = FolderTransport::new(s.out.join("unplugged"), s.inc.join("unplugged"));
    let now = Utc::now();
    let report = run_once(&mut db, &actor(), &mut gone, &importers(), now).unwrap();
    assert!(!report.online);
    assert_eq!((report.uploaded, report.failed, report.pending), (0, 0, 1));
    let item = outbox::get(db.conn(), id).unwrap();
    assert_eq!((item.state, item.attempts), (OutboxState::Queued, 1));
    assert!(item.last_error.as_deref().unwrap().contains("cannot be reached"));
    assert!(item.next_attempt_at > outbox::get(db.conn(), id).unwrap().created_at);

    // Back online a second later: the backoff holds the file back...
    let report = run_once(&mut db, &actor(), &mut s.transport(), &importers(), now + Duration::seconds(1)).unwrap();
    assert_eq!(report.uploaded, 0);
    // ...until someone presses "send now".
    outbox::send_now(&mut db, &actor(), id).unwrap();
    let report = run_once(&mut db, &actor(), &mut s.transport(), &importers(), Utc::now()).unwrap();
    assert_eq!(report.uploaded, 1);
    assert!(outbox::send_now(&mut db, &actor(), id).is_err(), "a sent file cannot be sent now");
}

#[test]
fn a_name_clash_in_the_folder_is_a_permanent_refusal() {
    let s = Setup::new();
    let mut db = s.db.open();
    fs::write(s.out.join("batch.837"), b"someone else's file").unwrap();
    let id = enqueue(&mut db, "batch.837", b"ISA*ours~");
    let report = run_once(&mut db, &actor(), &mut s.transport(), &importers(), Utc::now()).unwrap();
    assert_eq!((report.uploaded, report.failed), (0, 1));
    assert_eq!(outbox::get(db.conn(), id).unwrap().state, OutboxState::Rejected);
    assert_eq!(fs::read(s.out.join("batch.837")).unwrap(), b"someone else's file");
}

#[test]
fn cli_settings_enqueue_and_one_pass() {
    let s = Setup::new();
    let db = &s.db;
    assert_eq!(db.cli(&["settings", "set", "sync.transport", "ftp"]).status.code(), Some(1));
    let out = db.cli(&["sync", "--once"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sync.transport is not set"));
    db.cli_json(&["--json", "settings", "set", "sync.transport", "folder"]);
    db.cli_json(&["--json", "settings", "set", "sync.outgoing_dir", s.out.to_str().unwrap()]);
    db.cli_json(&["--json", "settings", "set", "sync.incoming_dir", s.inc.to_str().unwrap()]);
    assert_eq!(db.cli_json(&["--json", "settings", "get", "sync.transport"])["value"], "folder");

    let batch = s.db.dir.path().join("claims-0001.837");
    fs::write(&batch, b"ISA*cli batch~").unwrap();
    let item = db.cli_json(&["--json", "sync", "enqueue", batch.to_str().unwrap(), "--kind", "837p"]);
    assert_eq!(item["state"], "queued");
    fs::write(s.inc.join("ack.999"), sample(X999)).unwrap();

    let pass = db.cli_json(&["--json", "sync", "--once"]);
    assert_eq!((pass["uploaded"].as_u64(), pass["downloaded"].as_u64()), (Some(1), Some(1)));
    assert_eq!((pass["imported"].as_u64(), pass["failed"].as_u64()), (Some(1), Some(0)));
    assert_eq!(pass["pending"].as_u64(), Some(0));
    let unmatched = db.cli_json(&["ack", "unmatched", "--json"]);
    assert_eq!(unmatched[0]["kind"], "999", "the sample 999 acknowledges no batch of ours: {unmatched}");
    let again = db.cli_json(&["sync", "--once", "--json"]);
    assert_eq!((again["uploaded"].as_u64(), again["downloaded"].as_u64()), (Some(0), Some(0)));
    assert_eq!(fs::read(s.out.join("claims-0001.837")).unwrap(), b"ISA*cli batch~");
    assert_eq!(db.cli_json(&["sync", "outbox", "--json"])[0]["state"], "sent");
    assert_eq!(db.cli_json(&["sync", "inbox", "--json"])[0]["transaction_set"], "999");
}
