-- Clearinghouse sync: the outbox of files to send, the inbox of files fetched, and the
-- transports' read positions. File contents are kept in the database so nothing fetched or
-- queued is lost with a folder; timestamps are UTC RFC 3339 text.

-- Every file to send (837P batches, 270 requests), once per content hash.
CREATE TABLE sync_outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('837p', '270')),
    file_name       TEXT NOT NULL,
    content         BLOB NOT NULL,
    sha256          TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'acknowledged', 'rejected')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at TEXT NOT NULL,
    remote_id       TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX sync_outbox_due ON sync_outbox(state, next_attempt_at);

-- Every file fetched (999, 277CA, 835, 271 …), stored once per content hash before it is
-- imported; `pending_import` until its importer has posted it.
CREATE TABLE sync_inbox (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,
    file_name       TEXT NOT NULL,
    remote_id       TEXT,
    transaction_set TEXT NOT NULL,
    content         BLOB NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending_import', 'imported', 'failed')),
    error           TEXT,
    received_at     TEXT NOT NULL,
    imported_at     TEXT,
    summary         TEXT
);
CREATE INDEX sync_inbox_state ON sync_inbox(state);

-- Sync's own small state: where a transport's lists were last read up to (Claim.MD's last
-- ResponseID and ERAID, `cursor.*`) and the outcome of the last pass (`last_pass`, JSON).
CREATE TABLE sync_state (
    name    TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);

-- Eligibility questions (270) and their answers (271): the trace number matches them; the
-- findings (active, plan dates, deductible, co-insurance, out-of-pocket, messages,
-- rejections) are kept as JSON with the day they were checked.
CREATE TABLE eligibility_checks (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    coverage_id     INTEGER NOT NULL REFERENCES coverages(id),
    service_type    TEXT NOT NULL,
    trace_number    TEXT NOT NULL UNIQUE,
    requested_at    TEXT NOT NULL,
    outbox_id       INTEGER REFERENCES sync_outbox(id),
    state           TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'inactive', 'rejected', 'answered')),
    checked_on      TEXT,
    result          TEXT
);
CREATE INDEX eligibility_checks_patient ON eligibility_checks(patient_id, checked_on);
