-- Remittance posting (835) and acknowledgments (999, 277CA): the money a payer sent, how each
-- claim and line was adjudicated, provider-level adjustments, and the queues a biller works.
-- Every amount is in cents.

-- An imported X12 file, by content hash: the same file imported twice posts nothing.
CREATE TABLE remit_files (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('835', '999', '277ca')),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    size        INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    actor       TEXT NOT NULL
);

-- One per 835 transaction set (BPR/TRN): a check or an EFT.
CREATE TABLE payments (
    id               INTEGER PRIMARY KEY,
    file_id          INTEGER NOT NULL REFERENCES remit_files(id),
    payer_name       TEXT NOT NULL,
    -- N1*PR N104 (payer id), for matching the deposit.
    payer_id         TEXT NOT NULL,
    -- TRN02: check or EFT trace number; TRN03: who issued it.
    trace_number     TEXT NOT NULL,
    trace_originator TEXT NOT NULL,
    -- BPR04: ACH, CHK, NON ...
    method           TEXT NOT NULL,
    -- BPR16.
    paid_on          TEXT,
    -- BPR02, negative for a debit.
    amount           INTEGER NOT NULL,
    -- Σ CLP04 posted to claims (matched or unmatched) and Σ PLB; amount = claims_paid - plb_total.
    claims_paid      INTEGER NOT NULL,
    plb_total        INTEGER NOT NULL,
    UNIQUE (trace_originator, trace_number)
);

-- How a payer adjudicated one of our claims (loop 2100). A reversal (CLP02 = 22) is a row of
-- its own whose amounts are the negation of the row it reverses.
CREATE TABLE claim_adjudications (
    id                     INTEGER PRIMARY KEY,
    payment_id             INTEGER NOT NULL REFERENCES payments(id),
    claim_id               INTEGER NOT NULL REFERENCES claims(id),
    -- CLP02: 1 primary, 2 secondary, 4 denied, 22 reversal ...
    status_code            TEXT NOT NULL,
    charge                 INTEGER NOT NULL,
    paid                   INTEGER NOT NULL,
    patient_responsibility INTEGER,
    payer_claim_number     TEXT NOT NULL,
    -- MOA/MIA remark codes, colon-joined.
    remarks                TEXT NOT NULL DEFAULT '',
    reverses_id            INTEGER UNIQUE REFERENCES claim_adjudications(id)
);
CREATE INDEX claim_adjudications_claim ON claim_adjudications(claim_id);

-- How one service line was adjudicated (loop 2110); claim_line_id is NULL when no line of
-- the claim matched.
CREATE TABLE line_adjudications (
    id               INTEGER PRIMARY KEY,
    adjudication_id  INTEGER NOT NULL REFERENCES claim_adjudications(id),
    claim_line_id    INTEGER REFERENCES claim_lines(id),
    hcpcs            TEXT NOT NULL,
    modifiers        TEXT NOT NULL DEFAULT '',
    service_date     TEXT,
    charge           INTEGER NOT NULL,
    paid             INTEGER NOT NULL,
    allowed          INTEGER,
    units_paid       TEXT,
    -- LQ*HE remark codes, colon-joined.
    remarks          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX line_adjudications_adjudication ON line_adjudications(adjudication_id);
CREATE INDEX line_adjudications_line ON line_adjudications(claim_line_id);

-- One CAS reason/amount of a claim (line_adjudication_id NULL) or a line, and how it was
-- posted: written off, to the patient (by kind), other, or left open for a biller to work.
CREATE TABLE remit_adjustments (
    id                   INTEGER PRIMARY KEY,
    adjudication_id      INTEGER NOT NULL REFERENCES claim_adjudications(id),
    line_adjudication_id INTEGER REFERENCES line_adjudications(id),
    group_code           TEXT NOT NULL CHECK (group_code IN ('CO', 'PR', 'OA', 'PI')),
    reason               TEXT NOT NULL,
    amount               INTEGER NOT NULL,
    quantity             TEXT,
    posting              TEXT NOT NULL CHECK (posting IN ('contractual', 'deductible', 'coinsurance', 'copay',
                             'patient', 'other', 'open'))
);
CREATE INDEX remit_adjustments_adjudication ON remit_adjustments(adjudication_id);

-- Provider-level adjustments (PLB), tied to the payment; positive amounts reduce it.
CREATE TABLE provider_adjustments (
    id                INTEGER PRIMARY KEY,
    payment_id        INTEGER NOT NULL REFERENCES payments(id),
    provider          TEXT NOT NULL,
    fiscal_period_end TEXT,
    reason            TEXT NOT NULL,
    reference         TEXT NOT NULL,
    amount            INTEGER NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('interest', 'recoupment', 'forward_balance', 'other'))
);
CREATE INDEX provider_adjustments_payment ON provider_adjustments(payment_id);

-- The supplier's own posting action for a CARC; codes not listed here take the default
-- shipped in assets/carc.csv.
CREATE TABLE carc_actions (
    code       TEXT PRIMARY KEY,
    action     TEXT NOT NULL CHECK (action IN ('adjust', 'patient', 'workqueue')),
    updated_at TEXT NOT NULL,
    actor      TEXT NOT NULL
);

-- Claims a biller must work: denials and open adjustments from an 835, rejections from a
-- 277CA or 999, with the reason in words.
CREATE TABLE work_queue (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('denial', 'rejection')),
    claim_id        INTEGER NOT NULL REFERENCES claims(id),
    adjudication_id INTEGER REFERENCES claim_adjudications(id),
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    resolved_at     TEXT
);
CREATE INDEX work_queue_open ON work_queue(resolved_at, claim_id);

-- Remittance claims that match none of ours (or cannot be posted), kept whole so nothing
-- the payer sent is dropped.
CREATE TABLE unmatched_remits (
    id                 INTEGER PRIMARY KEY,
    payment_id         INTEGER NOT NULL REFERENCES payments(id),
    control_number     TEXT NOT NULL,
    patient_name       TEXT NOT NULL,
    member_id          TEXT NOT NULL,
    status_code        TEXT NOT NULL,
    charge             INTEGER NOT NULL,
    paid               INTEGER NOT NULL,
    payer_claim_number TEXT NOT NULL,
    reason             TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    resolved_at        TEXT
);
