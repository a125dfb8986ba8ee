-- A secondary claim already sent on a primary payment the payer later reversed (CLP02 = 22)
-- must be replaced (frequency 7) or voided (frequency 8) once the primary's corrected claim
-- posts: the work queue gets a third kind, 'correction'. SQLite cannot change a CHECK, so the
-- table is rebuilt (new table, rows copied with their ids, old table dropped, new one renamed)
-- and its index made again. A reversal resolves the items its original posting queued, so
-- the items are also indexed by adjudication.
CREATE TABLE work_queue_new (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('denial', 'rejection', 'correction')),
    claim_id        INTEGER NOT NULL REFERENCES claims(id),
    -- The adjudication that queued the item: the denial, or the primary's reversal.
    adjudication_id INTEGER REFERENCES claim_adjudications(id),
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    resolved_at     TEXT
);
INSERT INTO work_queue_new (id, kind, claim_id, adjudication_id, reason, created_at, resolved_at)
    SELECT id, kind, claim_id, adjudication_id, reason, created_at, resolved_at FROM work_queue;
DROP TABLE work_queue;
ALTER TABLE work_queue_new RENAME TO work_queue;
CREATE INDEX work_queue_open ON work_queue(resolved_at, claim_id);
CREATE INDEX work_queue_adjudication ON work_queue(adjudication_id) WHERE adjudication_id IS NOT NULL;
