-- Claims: what is billed to one payer for one patient, line by line, and where each claim
-- stands on its way from draft to closed. Control numbers come from one counter table so a
-- number handed out once (CLM01, REF*6R, ISA13, GS06, ST02) is never handed out again, even
-- when the claim that used it is later deleted or voided.

CREATE TABLE control_numbers (
    kind    TEXT PRIMARY KEY CHECK (kind IN ('claim', 'line', 'interchange', 'group', 'set')),
    last    INTEGER NOT NULL CHECK (last >= 0)
);
INSERT INTO control_numbers (kind, last) VALUES
    ('claim', 0), ('line', 0), ('interchange', 0), ('group', 0), ('set', 0);

-- An 837P file: one interchange, one group, one transaction set, for one receiver. The file is
-- kept byte for byte so it can be re-sent, and its control numbers let a 999 find it.
CREATE TABLE claim_batches (
    id                  INTEGER PRIMARY KEY,
    receiver_id         TEXT NOT NULL,
    interchange_control INTEGER NOT NULL UNIQUE,
    group_control       INTEGER NOT NULL,
    set_control         INTEGER NOT NULL,
    file_name           TEXT NOT NULL,
    content             BLOB NOT NULL,
    sha256              TEXT NOT NULL,
    claim_count         INTEGER NOT NULL CHECK (claim_count > 0),
    -- Cents.
    total_charge        INTEGER NOT NULL,
    status              TEXT NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'sent', 'accepted',
                            'partly_accepted', 'rejected')),
    created_at          TEXT NOT NULL
);

CREATE TABLE claims (
    id                  INTEGER PRIMARY KEY,
    -- CLM01, the patient control number the 835 echoes in CLP01.
    control_number      TEXT NOT NULL UNIQUE,
    patient_id          INTEGER NOT NULL REFERENCES patients(id),
    -- The coverage billed: it names the payer and whether this is the primary or secondary claim.
    coverage_id         INTEGER NOT NULL REFERENCES coverages(id),
    -- The ordering (referring) practitioner, loop 2310B/2420E.
    practitioner_id     INTEGER REFERENCES practitioners(id),
    order_id            INTEGER REFERENCES orders(id),
    source              TEXT NOT NULL CHECK (source IN ('purchase', 'rental', 'resupply', 'secondary', 'correction')),
    place_of_service    TEXT NOT NULL DEFAULT '12',
    frequency           TEXT NOT NULL DEFAULT 'original' CHECK (frequency IN ('original', 'replacement', 'void')),
    -- The payer's claim number of the claim a replacement or void corrects (REF*F8).
    payer_claim_number  TEXT,
    -- The claim this one follows: the primary claim of a secondary, the claim a correction replaces.
    related_claim_id    INTEGER REFERENCES claims(id),
    prior_authorization TEXT,
    -- ICD-10-CM codes, primary first, colon-joined; at most 12.
    diagnoses           TEXT NOT NULL,
    -- The batch the claim was last written into.
    batch_id            INTEGER REFERENCES claim_batches(id),
    status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'batched', 'submitted',
                            'accepted', 'rejected', 'paid', 'partial', 'denied', 'closed')),
    -- First and last date of service over the lines.
    service_from        TEXT NOT NULL,
    service_to          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    CHECK ((frequency = 'original') = (payer_claim_number IS NULL))
);
CREATE INDEX claims_patient ON claims(patient_id);
CREATE INDEX claims_status ON claims(status);
CREATE INDEX claims_coverage_dos ON claims(coverage_id, service_from);

CREATE TABLE claim_lines (
    id                  INTEGER PRIMARY KEY,
    claim_id            INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    position            INTEGER NOT NULL CHECK (position > 0),
    -- REF*6R, the line item control number the 835 echoes on the service line.
    control_number      TEXT NOT NULL UNIQUE,
    hcpcs               TEXT NOT NULL,
    -- Up to four, colon-joined, in billing order.
    modifiers           TEXT NOT NULL DEFAULT '',
    service_from        TEXT NOT NULL,
    service_to          TEXT NOT NULL,
    units               INTEGER NOT NULL CHECK (units > 0),
    -- Cents.
    charge              INTEGER NOT NULL,
    -- The fee schedule allowable on the date of service, in cents, when there is one.
    allowed             INTEGER,
    -- 1-based pointers into the claim's diagnoses, colon-joined, at most 4.
    diagnosis_pointers  TEXT NOT NULL DEFAULT '1',
    acquisition         TEXT NOT NULL CHECK (acquisition IN ('rental', 'purchase')),
    order_line_id       INTEGER REFERENCES order_lines(id),
    delivery_item_id    INTEGER REFERENCES delivery_items(id),
    -- For a rental line: the month within its rental period (1 = first), which decides
    -- KH/KI/KJ and the cap; NULL for purchases.
    rental_month        INTEGER CHECK (rental_month > 0),
    UNIQUE (claim_id, position),
    CHECK (service_to >= service_from)
);
CREATE INDEX claim_lines_claim ON claim_lines(claim_id);
CREATE INDEX claim_lines_dos ON claim_lines(hcpcs, service_from);

-- Every status a claim has had, with who moved it and why, so a biller can follow it.
CREATE TABLE claim_events (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX claim_events_claim ON claim_events(claim_id);
