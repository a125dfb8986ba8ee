-- Acknowledgments (999, 277CA): every verdict read from an acknowledgment file, kept with the
-- batch or claim it was matched to. A verdict that matches none of ours (batch_id and
-- claim_id both NULL) stays here as the acknowledgment unmatched queue, so nothing a
-- clearinghouse sent is dropped. The file itself is recorded in remit_files (kind 999/277ca)
-- by content hash, which makes an import idempotent.
CREATE TABLE ack_verdicts (
    id             INTEGER PRIMARY KEY,
    file_id        INTEGER NOT NULL REFERENCES remit_files(id),
    kind           TEXT NOT NULL CHECK (kind IN ('999', '277ca')),
    batch_id       INTEGER REFERENCES claim_batches(id),
    claim_id       INTEGER REFERENCES claims(id),
    -- What the acknowledgment named: GS06/ST02 (999, as `group/set`) or CLM01 (277CA).
    control_number TEXT NOT NULL,
    verdict        TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'other')),
    -- The errors or status codes in words.
    reason         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    resolved_at    TEXT
);
CREATE INDEX ack_verdicts_batch ON ack_verdicts(batch_id);
CREATE INDEX ack_verdicts_claim ON ack_verdicts(claim_id);
CREATE INDEX ack_verdicts_unmatched ON ack_verdicts(resolved_at) WHERE batch_id IS NULL AND claim_id IS NULL;
