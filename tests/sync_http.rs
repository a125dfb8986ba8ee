//! The Claim.MD transport against a real HTTP server on loopback that implements the same
//! endpoints (upload, uploadlist, response, eralist, era835) and injects faults: 500s, answers
//! slower than the client's timeout, connections dropped mid-upload or after the upload was
//! stored, the same ERA offered again, responses about batches not sent from here, and an
//! answer held back until the test has written to the database the pass is using.
//!
//! The server is a few dozen lines over `std::net` rather than axum or wiremock: the faults
//! that matter (closing the socket halfway through a request body, storing an upload and
//! then never answering) need control below the HTTP framework's level.

mod common;

use chrono::{Duration, Utc};
use common::TempDb;
use hmedesk::db::Change;
use hmedesk::sync::claimmd::ClaimMdTransport;
use hmedesk::sync::pass::run_once;
use hmedesk::sync::transport::{Transport, Upload};
use hmedesk::sync::{inbox, outbox, Importers, InboxState, OutboxKind, OutboxState};
use hmedesk::{Actor, Db};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{mpsc, Arc, Mutex};

const KEY: &str = "test-account-key";
const TIMEOUT: std::time::Duration = std::time::Duration::from_millis(800);

#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Answer 500 without storing the upload.
    Status500,
    /// Store the upload, then answer after the client has given up.
    Slow,
    /// Read part of the upload, then close the connection.
    DropMidUpload,
    /// Store the upload, then close the connection without answering.
    DropAfterStoring,
    /// Store the upload (or read the 270), say so on `State::arrived`, and answer only once
    /// `State::release` says to (or [`HOLD`] has passed).
    Held,
}

/// The longest a [`Fault::Held`] answer waits to be released.
const HOLD: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Default)]
struct State {
    /// (fileid, filename, bytes) of every stored upload.
    uploads: Vec<(String, String, Vec<u8>)>,
    faults: VecDeque<Fault>,
    /// (ResponseID, response object).
    responses: Vec<(u64, Value)>,
    /// (ERAID, 835 bytes).
    eras: Vec<(u64, Vec<u8>)>,
    /// Offer every ERA on every list, as a clearinghouse that lost its place would.
    ignore_era_cursor: bool,
    /// Told when a held upload is stored.
    arrived: Option<mpsc::Sender<()>>,
    /// Lets a held answer go.
    release: Option<mpsc::Receiver<()>>,
    /// Whether the held answer was released before [`HOLD`] ran out.
    released: Option<bool>,
    /// How many real-time 270s came in.
    eligibility_requests: u32,
}

struct Server {
    url: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/services", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || handle(stream, &state));
            }
        });
        Server { url, state }
    }

    fn transport(&self, key: &str) -> ClaimMdTransport {
        ClaimMdTransport::new(&self.url, key, TIMEOUT).unwrap()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }
}

struct Request {
    path: String,
    content_type: String,
    body: Vec<u8>,
}

fn read_head(reader: &mut BufReader<TcpStream>) -> Option<(String, String, usize)> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let (mut content_type, mut length) = (String::new(), 0);
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            return Some((path, content_type, length));
        }
        let (name, value) = header.split_once(':')?;
        match name.to_ascii_lowercase().as_str() {
            "content-type" => content_type = value.trim().to_string(),
            "content-length" => length = value.trim().parse().ok()?,
            _ => {}
        }
    }
}

fn handle(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let Some((path, content_type, length)) = read_head(&mut reader) else { return };
    let faulty = path.ends_with("/upload/") || path.ends_with("/elig/");
    let fault = if faulty { state.lock().unwrap().faults.pop_front() } else { None };
    if let Some(Fault::DropMidUpload) = fault {
        let mut half = vec![0; length / 2];
        let _ = reader.read_exact(&mut half);
        let _ = stream.shutdown(std::net::Shutdown::Both);
        return;
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let request = Request { path, content_type, body };
    let (status, answer) = route(&request, fault, state);
    match fault {
        Some(Fault::DropAfterStoring) => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
        Some(Fault::Slow) => std::thread::sleep(TIMEOUT * 3),
        Some(Fault::Held) => hold(state),
        _ => {}
    }
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

/// Keeps a stored upload's answer back until the test releases it.
fn hold(state: &Mutex<State>) {
    let (arrived, release) = {
        let mut s = state.lock().unwrap();
        (s.arrived.take(), s.release.take())
    };
    if let Some(arrived) = arrived {
        let _ = arrived.send(());
    }
    let released = release.is_some_and(|r| r.recv_timeout(HOLD).is_ok());
    state.lock().unwrap().released = Some(released);
}

fn route(request: &Request, fault: Option<Fault>, state: &Mutex<State>) -> (&'static str, String) {
    if request.path.ends_with("/elig/") {
        state.lock().unwrap().eligibility_requests += 1;
    }
    let fields =
        if request.content_type.starts_with("multipart/form-data") { multipart(request) } else { form(&request.body) };
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    if String::from_utf8_lossy(&field("AccountKey")) != KEY {
        return ("401 Unauthorized", json!({"error": {"error_mesg": "Invalid AccountKey"}}).to_string());
    }
    if let Some(Fault::Status500) = fault {
        return ("500 Internal Server Error", "{\"error\":\"try later\"}".into());
    }
    let number = |name: &str| String::from_utf8_lossy(&field(name)).parse::<u64>().unwrap_or(0);
    let mut s = state.lock().unwrap();
    let answer = match request.path.trim_start_matches("/services") {
        "/upload/" => {
            let file_id = format!("{}", 7000 + s.uploads.len());
            let name = String::from_utf8_lossy(&field("Filename")).into_owned();
            s.uploads.push((file_id.clone(), name, field("File")));
            json!({"fileid": file_id, "claim": []})
        }
        "/uploadlist/" => {
            json!({"file": s.uploads.iter().map(|(id, name, _)| json!({"fileid": id, "filename": name})).collect::<Vec<_>>()})
        }
        "/response/" => {
            let after = number("ResponseID");
            let new: Vec<&(u64, Value)> = s.responses.iter().filter(|(id, _)| *id > after).collect();
            let last = new.iter().map(|(id, _)| *id).max().unwrap_or(after);
            json!({"last_responseid": last.to_string(), "claim": new.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()})
        }
        "/eralist/" => {
            let after = if s.ignore_era_cursor { 0 } else { number("ERAID") };
            json!({"era": s.eras.iter().filter(|(id, _)| *id > after).map(|(id, _)| json!({"eraid": id})).collect::<Vec<_>>()})
        }
        "/era835/" => {
            let id = number("eraid");
            match s.eras.iter().find(|(e, _)| *e == id) {
                Some((_, data)) => json!({"data": String::from_utf8_lossy(data)}),
                None => json!({"error": "no such ERA"}),
            }
        }
        "/elig/" => {
            let request = String::from_utf8_lossy(&field("File")).into_owned();
            let trace = request.split("TRN*1*").nth(1).and_then(|t| t.split('*').next()).unwrap_or_default();
            let answer =
                std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/x12/eligibility.271"))
                    .unwrap()
                    .replace("ELIG-PCN1001", trace);
            return ("200 OK", answer);
        }
        _ => return ("404 Not Found", "{}".into()),
    };
    ("200 OK", answer.to_string())
}

fn form(body: &[u8]) -> Vec<(String, Vec<u8>)> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v).into_bytes()))
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap_or(b'?'));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn multipart(request: &Request) -> Vec<(String, Vec<u8>)> {
    let boundary = request.content_type.split("boundary=").nth(1).unwrap_or_default().trim_matches('"');
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut parts = Vec::new();
    let mut rest = &body[..];
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        let Some(head_end) = find(rest, b"\r\n\r\n") else { break };
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        let content = &rest[head_end + 4..];
        let Some(end) = find(content, format!("\r\n{delimiter}").as_bytes()) else { break };
        if let Some(name) = head.split("name=\"").nth(1).and_then(|n| n.split('"').next()) {
            parts.push((name.to_string(), content[..end].to_vec()));
        }
        rest = &content[end..];
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn actor() -> Actor {
    Actor::new("tester")
}

fn post(c: &Change<'_>, bytes: &[u8]) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    c.audit("post", "test_posting", None, &format!("{} bytes", bytes.len()))?;
    Ok("posted".into())
}

fn importers() -> Importers {
    Importers::standard().with("835", post)
}

fn enqueue(db: &mut Db, name: &str, bytes: &[u8]) -> i64 {
    db.write(&actor(), |c| outbox::enqueue(c, OutboxKind::Claims837p, name, bytes)).unwrap()
}

fn postings(db: &Db) -> i64 {
    db.conn().query_row("SELECT COUNT(*) FROM audit_log WHERE entity = 'test_posting'", [], |r| r.get(0)).unwrap()
}

/// Runs passes, each seven hours after the last (past any backoff), until nothing is left
/// to send; returns how many passes it took.
fn passes_until_sent(db: &mut Db, t: &mut ClaimMdTransport) -> u32 {
    let mut now = Utc::now();
    for n in 1..=12 {
        run_once(&mut *db, &actor(), t, &importers(), now).unwrap();
        if outbox::waiting(db.conn()).unwrap() == 0 {
            return n;
        }
        now += Duration::hours(7);
    }
    panic!("files still waiting after 12 passes: {:?}", outbox::list(db.conn()).unwrap());
}

#[test]
fn every_batch_is_delivered_exactly_once_through_faults() {
    let server = Server::start();
    server.state().faults.extend([Fault::Status500, Fault::DropMidUpload, Fault::Slow, Fault::DropAfterStoring]);
    let temp = TempDb::new();
    let mut db = temp.open();
    let ids: Vec<i64> =
        (1..=3).map(|n| enqueue(&mut db, &format!("batch-{n}.837"), format!("ISA*batch {n}~").as_bytes())).collect();
    let mut t = server.transport(KEY);
    let passes = passes_until_sent(&mut db, &mut t);
    assert!(passes > 1, "the faults must have cost at least one pass");

    let state = server.state();
    assert!(state.faults.is_empty(), "every fault was met");
    let mut names: Vec<&str> = state.uploads.iter().map(|(_, name, _)| name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(state.uploads.len(), 3, "uploads stored: {names:?}");
    assert_eq!(names.len(), 3);
    for id in ids {
        let item = outbox::get(db.conn(), id).unwrap();
        assert_eq!(item.state, OutboxState::Sent);
        let (file_id, name, bytes) = state.uploads.iter().find(|(f, _, _)| Some(f) == item.remote_id.as_ref()).unwrap();
        assert_eq!(name, &format!("{}-{}", item.idempotency_key, item.file_name), "{file_id}");
        assert_eq!(bytes, &outbox::content(db.conn(), id).unwrap());
    }
}

#[test]
fn a_crash_between_upload_and_bookkeeping_does_not_send_twice() {
    let server = Server::start();
    let temp = TempDb::new();
    let mut db = temp.open();
    let id = enqueue(&mut db, "batch.837", b"ISA*crash~");
    let item = outbox::get(db.conn(), id).unwrap();
    // The upload reached the server; the program died before recording it.
    let content = outbox::content(db.conn(), id).unwrap();
    let upload = Upload {
        kind: item.kind,
        file_name: &item.file_name,
        content: &content,
        idempotency_key: &item.idempotency_key,
    };
    server.transport(KEY).upload(&upload).unwrap();
    rusqlite::Connection::open(&temp.path)
        .unwrap()
        .execute("UPDATE sync_outbox SET state = 'sending', attempts = 1 WHERE id = ?1", [id])
        .unwrap();
    drop(db);

    let mut db = temp.open();
    let report = run_once(&mut db, &actor(), &mut server.transport(KEY), &importers(), Utc::now()).unwrap();
    assert_eq!(report.uploaded, 0);
    assert_eq!(server.state().uploads.len(), 1);
    let item = outbox::get(db.conn(), id).unwrap();
    assert_eq!((item.state, item.remote_id.as_deref()), (OutboxState::Sent, Some("7000")));
}

#[test]
fn the_database_is_free_while_the_clearinghouse_is_slow_to_answer() {
    let server = Server::start();
    let (arrived_tx, arrived) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    {
        let mut s = server.state();
        s.faults.push_back(Fault::Held);
        s.arrived = Some(arrived_tx);
        s.release = Some(release_rx);
    }
    let temp = TempDb::new();
    let mut db = temp.open();
    let sent = enqueue(&mut db, "slow.837", b"ISA*slow~");
    let shared = Mutex::new(db);
    let mut t = ClaimMdTransport::new(&server.url, KEY, HOLD * 2).unwrap();
    let (report, queued) = std::thread::scope(|scope| {
        let pass = scope.spawn(|| run_once(&shared, &actor(), &mut t, &importers(), Utc::now()));
        arrived.recv_timeout(HOLD).expect("the upload reached the server");
        // The server is still holding its answer: this write must not wait for it.
        let queued = enqueue(&mut shared.lock().unwrap(), "meanwhile.837", b"ISA*meanwhile~");
        let _ = release.send(());
        (pass.join().unwrap().unwrap(), queued)
    });
    assert_eq!(server.state().released, Some(true), "the write waited for the server's answer");
    assert_eq!((report.uploaded, report.pending), (1, 1));
    let db = shared.into_inner().unwrap();
    let sent = outbox::get(db.conn(), sent).unwrap();
    assert_eq!((sent.state, sent.remote_id.as_deref()), (OutboxState::Sent, Some("7000")));
    assert_eq!(outbox::get(db.conn(), queued).unwrap().state, OutboxState::Queued);
}

#[test]
fn every_era_is_posted_exactly_once() {
    let server = Server::start();
    let era = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/x12/dme_remit.835")).unwrap();
    let mut other = era.clone();
    other.extend_from_slice(b"\n");
    {
        let mut s = server.state();
        s.ignore_era_cursor = true;
        // ERA 2 is ERA 1 again under a new id; ERA 3 is a different remittance.
        s.eras = vec![(1, era.clone()), (2, era), (3, other)];
    }
    let temp = TempDb::new();
    let mut db = temp.open();
    let mut t = server.transport(KEY);
    let first = run_once(&mut db, &actor(), &mut t, &importers(), Utc::now()).unwrap();
    let second = run_once(&mut db, &actor(), &mut t, &importers(), Utc::now()).unwrap();
    assert_eq!((first.downloaded, first.imported), (2, 2));
    assert_eq!((second.downloaded, second.imported), (0, 0));
    assert_eq!(postings(&db), 2);
    let stored = inbox::list(db.conn()).unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|i| i.transaction_set == "835" && i.state == InboxState::Imported));
}

#[test]
fn responses_settle_batches_and_ignore_unknown_ones() {
    let server = Server::start();
    let temp = TempDb::new();
    let mut db = temp.open();
    let good = enqueue(&mut db, "good.837", b"ISA*good~");
    let bad = enqueue(&mut db, "bad.837", b"ISA*bad~");
    let mut t = server.transport(KEY);
    run_once(&mut db, &actor(), &mut t, &importers(), Utc::now()).unwrap();
    let remote = |id| outbox::get(db.conn(), id).unwrap().remote_id.unwrap();
    let (good_file, bad_file) = (remote(good), remote(bad));
    server.state().responses = vec![
        (11, json!({"fileid": good_file, "claimmd_id": "1", "status": "A"})),
        (
            12,
            json!({"fileid": bad_file, "claimmd_id": "2", "status": "R", "messages": [{"message": "Subscriber ID is invalid"}]}),
        ),
        (13, json!({"fileid": "424242", "claimmd_id": "3", "status": "A"})),
    ];
    let report = run_once(&mut db, &actor(), &mut t, &importers(), Utc::now()).unwrap();
    assert_eq!((report.downloaded, report.imported, report.failed), (1, 1, 0));
    assert_eq!(outbox::get(db.conn(), good).unwrap().state, OutboxState::Acknowledged);
    let rejected = outbox::get(db.conn(), bad).unwrap();
    assert_eq!(rejected.state, OutboxState::Rejected);
    assert_eq!(rejected.last_error.as_deref(), Some("Subscriber ID is invalid"));
    let stored = &inbox::list(db.conn()).unwrap()[0];
    assert_eq!(stored.summary.as_deref(), Some("1 accepted, 1 rejected, 1 not about a file sent from here"));

    let again = run_once(&mut db, &actor(), &mut t, &importers(), Utc::now()).unwrap();
    assert_eq!(again.downloaded, 0, "the ResponseID cursor moved past them");
}

#[test]
fn a_wrong_key_stops_the_pass_and_keeps_the_file() {
    let server = Server::start();
    let temp = TempDb::new();
    let mut db = temp.open();
    let id = enqueue(&mut db, "batch.837", b"ISA*x~");
    let report = run_once(&mut db, &actor(), &mut server.transport("wrong"), &importers(), Utc::now()).unwrap();
    assert!(report.online);
    assert_eq!((report.uploaded, report.failed, report.pending), (0, 0, 1));
    assert!(report.errors[0].contains("account key"), "{:?}", report.errors);
    assert_eq!(outbox::get(db.conn(), id).unwrap().state, OutboxState::Queued);
    assert!(server.state().uploads.is_empty());
}

/// The demo database and a patient whose primary coverage's payer takes 270s.
fn eligible_patient() -> (TempDb, Db, i64) {
    let temp = TempDb::new();
    let mut db = temp.open();
    hmedesk::demo::load(&mut db, &actor(), chrono::Local::now().date_naive()).unwrap();
    let patient: i64 = db
        .conn()
        .query_row(
            "SELECT c.patient_id FROM coverages c JOIN payers p ON p.id = c.payer_id
             WHERE p.payer_id IS NOT NULL AND c.priority = 'primary' AND c.termination IS NULL ORDER BY c.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (temp, db, patient)
}

#[test]
fn eligibility_is_answered_in_real_time_and_nothing_is_queued() {
    let server = Server::start();
    let today = chrono::Local::now().date_naive();
    let (_temp, mut db, patient) = eligible_patient();
    // The demo queued its own questions; only what this check adds matters here.
    let queued_before = outbox::list(db.conn()).unwrap().len();
    let mut t = server.transport(KEY);
    let now = chrono::Local::now().naive_local();
    let check = hmedesk::eligibility::check(&mut db, &actor(), Some(&mut t), patient, "12", now).unwrap();
    assert_eq!(check.state, hmedesk::eligibility::CheckState::Active);
    assert_eq!(check.checked_on, Some(today));
    assert_eq!(outbox::list(db.conn()).unwrap().len(), queued_before);
    assert!(hmedesk::eligibility::recently_verified(db.conn(), patient, today).unwrap());
}

#[test]
fn the_database_is_free_while_a_real_time_eligibility_check_waits_for_its_271() {
    let server = Server::start();
    let (arrived_tx, arrived) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    {
        let mut s = server.state();
        s.faults.push_back(Fault::Held);
        s.arrived = Some(arrived_tx);
        s.release = Some(release_rx);
    }
    let (_temp, db, patient) = eligible_patient();
    let queued_before = outbox::list(db.conn()).unwrap().len();
    let shared = Mutex::new(db);
    let mut t = ClaimMdTransport::new(&server.url, KEY, HOLD * 2).unwrap();
    let now = chrono::Local::now().naive_local();
    let (check, queued) = std::thread::scope(|scope| {
        let asking = scope.spawn(|| hmedesk::eligibility::check(&shared, &actor(), Some(&mut t), patient, "12", now));
        arrived.recv_timeout(HOLD).expect("the 270 reached the server");
        // The server is still holding its 271: this write must not wait for it.
        let mut db = shared.lock().unwrap();
        let queued = enqueue(&mut db, "meanwhile.837", b"ISA*meanwhile~");
        // Meanwhile the check shows as waiting, and its queued 270 is kept from sync passes.
        let waiting = &hmedesk::eligibility::list_for_patient(db.conn(), patient).unwrap()[0];
        assert_eq!(waiting.state, hmedesk::eligibility::CheckState::Waiting);
        let plan = hmedesk::sync::pass::plan(db.conn(), Utc::now()).unwrap();
        let file_name = format!("eligibility-{}.270", waiting.trace_number);
        assert!(plan.upload.iter().all(|i| i.file_name != file_name), "{plan:?}");
        assert_eq!(outbox::list(db.conn()).unwrap().len(), queued_before + 2);
        drop(db);
        let _ = release.send(());
        (asking.join().unwrap().unwrap(), queued)
    });
    assert_eq!(server.state().released, Some(true), "the write waited for the clearinghouse's answer");
    assert_eq!(check.state, hmedesk::eligibility::CheckState::Active);
    let db = shared.into_inner().unwrap();
    // The answered check's 270 was taken back; the write made meanwhile stands.
    let left = outbox::list(db.conn()).unwrap();
    assert_eq!(left.len(), queued_before + 1);
    assert!(left.iter().all(|i| !i.file_name.contains(&check.trace_number)));
    assert_eq!(outbox::get(db.conn(), queued).unwrap().state, OutboxState::Queued);
}

#[test]
fn a_real_time_check_the_clearinghouse_cannot_answer_stays_queued_and_a_refused_one_is_taken_back() {
    let server = Server::start();
    server.state().faults.push_back(Fault::Status500);
    let (_temp, mut db, patient) = eligible_patient();
    let queued_before = outbox::list(db.conn()).unwrap().len();
    let now = chrono::Local::now().naive_local();
    let mut t = server.transport(KEY);
    let check = hmedesk::eligibility::check(&mut db, &actor(), Some(&mut t), patient, "12", now).unwrap();
    assert_eq!(check.state, hmedesk::eligibility::CheckState::Waiting);
    let queued = &outbox::list(db.conn()).unwrap()[0];
    assert_eq!((queued.kind, queued.state), (OutboxKind::Eligibility270, OutboxState::Queued));
    assert_eq!(queued.file_name, format!("eligibility-{}.270", check.trace_number));
    // Due at once, as a check made offline is.
    assert!(hmedesk::sync::pass::plan(db.conn(), Utc::now()).unwrap().upload.contains(queued));

    let checks_before = hmedesk::eligibility::list_for_patient(db.conn(), patient).unwrap();
    let mut refused = server.transport("wrong");
    let error = hmedesk::eligibility::check(&mut db, &actor(), Some(&mut refused), patient, "12", now).unwrap_err();
    assert!(error.to_string().contains("account key"), "{error}");
    assert_eq!(hmedesk::eligibility::list_for_patient(db.conn(), patient).unwrap(), checks_before);
    assert_eq!(outbox::list(db.conn()).unwrap().len(), queued_before + 1);
    assert_eq!(server.state().eligibility_requests, 2);
}
