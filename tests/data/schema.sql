CREATE INDEX ack_verdicts_batch ON ack_verdicts(batch_id);
CREATE INDEX ack_verdicts_claim ON ack_verdicts(claim_id);
CREATE INDEX ack_verdicts_unmatched ON ack_verdicts(resolved_at) WHERE batch_id IS NULL AND claim_id IS NULL;
CREATE INDEX asset_events_asset ON asset_events(asset_id, id);
CREATE INDEX assets_patient ON assets(patient_id);
CREATE INDEX assets_serial ON assets(serial);
CREATE INDEX assets_status ON assets(status);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX claim_adjudications_claim ON claim_adjudications(claim_id);
CREATE INDEX claim_events_claim ON claim_events(claim_id);
CREATE INDEX claim_lines_claim ON claim_lines(claim_id);
CREATE INDEX claim_lines_dos ON claim_lines(hcpcs, service_from);
CREATE INDEX claims_corrects ON claims(corrects_claim_id) WHERE corrects_claim_id IS NOT NULL;
CREATE INDEX claims_coverage_dos ON claims(coverage_id, service_from);
CREATE INDEX claims_patient ON claims(patient_id);
CREATE INDEX claims_related ON claims(related_claim_id) WHERE related_claim_id IS NOT NULL;
CREATE INDEX claims_status ON claims(status);
CREATE INDEX coverages_member ON coverages(member_id COLLATE NOCASE);
CREATE INDEX coverages_patient ON coverages(patient_id);
CREATE INDEX deliveries_order ON deliveries(order_id);
CREATE INDEX deliveries_patient ON deliveries(patient_id);
CREATE INDEX deliveries_scheduled ON deliveries(scheduled_on);
CREATE UNIQUE INDEX delivery_items_asset_open ON delivery_items(asset_id) WHERE asset_id IS NOT NULL AND picked_up_on IS NULL;
CREATE INDEX delivery_items_delivery ON delivery_items(delivery_id);
CREATE INDEX delivery_items_order_line ON delivery_items(order_line_id);
CREATE INDEX documents_expires ON documents(expires);
CREATE INDEX documents_order ON documents(order_id);
CREATE INDEX documents_patient ON documents(patient_id);
CREATE INDEX eligibility_checks_patient ON eligibility_checks(patient_id, checked_on);
CREATE INDEX fees_lookup ON fees(payer_id, hcpcs, modifiers, effective);
CREATE INDEX items_catalog ON items(catalog_item_id);
CREATE INDEX line_adjudications_adjudication ON line_adjudications(adjudication_id);
CREATE INDEX line_adjudications_line ON line_adjudications(claim_line_id);
CREATE INDEX orders_patient ON orders(patient_id);
CREATE INDEX orders_status ON orders(status);
CREATE INDEX patients_dob ON patients(dob);
CREATE UNIQUE INDEX patients_mbi ON patients(mbi) WHERE mbi IS NOT NULL;
CREATE INDEX patients_name ON patients(last_name COLLATE NOCASE, first_name COLLATE NOCASE);
CREATE INDEX payers_name ON payers(name COLLATE NOCASE);
CREATE INDEX practitioners_name ON practitioners(last_name COLLATE NOCASE, first_name COLLATE NOCASE);
CREATE INDEX provider_adjustments_payment ON provider_adjustments(payment_id);
CREATE INDEX purchase_orders_status ON purchase_orders(status, vendor_id);
CREATE INDEX remit_adjustments_adjudication ON remit_adjustments(adjudication_id);
CREATE INDEX rental_episodes_patient ON rental_episodes(patient_id);
CREATE INDEX rental_interruptions_episode ON rental_interruptions(episode_id, from_date);
CREATE INDEX service_records_asset ON service_records(asset_id, performed_on);
CREATE INDEX stock_movements_from ON stock_movements(item_id, from_location_id);
CREATE INDEX stock_movements_po_line ON stock_movements(purchase_order_line_id);
CREATE INDEX stock_movements_to ON stock_movements(item_id, to_location_id);
CREATE INDEX sync_inbox_state ON sync_inbox(state);
CREATE INDEX sync_outbox_due ON sync_outbox(state, next_attempt_at);
CREATE INDEX work_queue_adjudication ON work_queue(adjudication_id) WHERE adjudication_id IS NOT NULL;
CREATE INDEX work_queue_open ON work_queue(resolved_at, claim_id);
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
CREATE TABLE asset_events (
    id              INTEGER PRIMARY KEY,
    asset_id        INTEGER NOT NULL REFERENCES assets(id),
    happened_on     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    actor           TEXT NOT NULL,
    from_status     TEXT,
    to_status       TEXT NOT NULL,
    location_id     INTEGER REFERENCES locations(id),
    patient_id      INTEGER REFERENCES patients(id),
    note            TEXT
);
CREATE TABLE asset_exchanges (
    id                  INTEGER PRIMARY KEY,
    delivery_item_id    INTEGER NOT NULL REFERENCES delivery_items(id),
    old_asset_id        INTEGER NOT NULL REFERENCES assets(id),
    new_asset_id        INTEGER NOT NULL REFERENCES assets(id),
    exchanged_on        TEXT NOT NULL,
    reason              TEXT NOT NULL,
    recorded_at         TEXT NOT NULL
);
CREATE TABLE assets (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id),
    serial          TEXT NOT NULL COLLATE NOCASE,
    status          TEXT NOT NULL CHECK (status IN ('available', 'reserved', 'on_rent', 'sold', 'returned',
                                                    'cleaning', 'maintenance', 'retired', 'lost')),
    location_id     INTEGER REFERENCES locations(id),
    patient_id      INTEGER REFERENCES patients(id),
    hours_meter     INTEGER,
    acquired_on     TEXT NOT NULL,
    cost_cents      INTEGER NOT NULL CHECK (cost_cents >= 0),
    UNIQUE (item_id, serial)
);
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,
    summary     TEXT NOT NULL
);
CREATE TABLE carc_actions (
    code       TEXT PRIMARY KEY,
    action     TEXT NOT NULL CHECK (action IN ('adjust', 'patient', 'workqueue')),
    updated_at TEXT NOT NULL,
    actor      TEXT NOT NULL
);
CREATE TABLE catalog_items (
    id                  INTEGER PRIMARY KEY,
    hcpcs               TEXT NOT NULL UNIQUE,
    description         TEXT NOT NULL,
    category            TEXT NOT NULL CHECK (category IN ('IN', 'FS', 'CR', 'OX', 'OS', 'SD', 'PO', 'SU', 'TE')),
    rental_allowed      INTEGER NOT NULL,
    purchase_allowed    INTEGER NOT NULL,
    default_modifiers   TEXT NOT NULL DEFAULT '',
    unit                TEXT NOT NULL DEFAULT 'each'
);
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
CREATE TABLE claim_events (
    id          INTEGER PRIMARY KEY,
    claim_id    INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT
);
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
    created_at          TEXT NOT NULL, corrects_claim_id INTEGER REFERENCES claims(id),
    CHECK ((frequency = 'original') = (payer_claim_number IS NULL))
);
CREATE TABLE control_numbers (
    kind    TEXT PRIMARY KEY CHECK (kind IN ('claim', 'line', 'interchange', 'group', 'set')),
    last    INTEGER NOT NULL CHECK (last >= 0)
);
CREATE TABLE coverages (
    id                  INTEGER PRIMARY KEY,
    patient_id          INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    payer_id            INTEGER NOT NULL REFERENCES payers(id),
    member_id           TEXT NOT NULL,
    group_number        TEXT,
    priority            TEXT NOT NULL CHECK (priority IN ('primary', 'secondary', 'tertiary')),
    effective           TEXT NOT NULL,
    termination         TEXT,
    relationship        TEXT NOT NULL CHECK (relationship IN ('self', 'spouse', 'child', 'other')),
    subscriber_first_name TEXT,
    subscriber_last_name  TEXT,
    subscriber_dob        TEXT,
    subscriber_sex        TEXT,
    subscriber_address1   TEXT,
    subscriber_city       TEXT,
    subscriber_state      TEXT,
    subscriber_zip        TEXT
);
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    -- Where the picked stock and units are taken from (the warehouse or a van).
    location_id     INTEGER NOT NULL REFERENCES locations(id),
    scheduled_on    TEXT NOT NULL,
    driver          TEXT,
    address1        TEXT NOT NULL,
    address2        TEXT,
    city            TEXT NOT NULL,
    state           TEXT NOT NULL,
    zip             TEXT NOT NULL,
    instructions    TEXT,
    status          TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'delivered', 'cancelled')),
    -- The proof of delivery, set once by the confirmation; delivered_on is the date of service.
    delivered_on    TEXT,
    signer_name     TEXT,
    signer_relationship TEXT,
    signature_png   BLOB,
    signed_at       TEXT,
    created_at      TEXT NOT NULL,
    CHECK ((status = 'delivered') = (delivered_on IS NOT NULL AND signature_png IS NOT NULL AND signer_name IS NOT NULL))
);
CREATE TABLE delivery_items (
    id              INTEGER PRIMARY KEY,
    delivery_id     INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    order_line_id   INTEGER NOT NULL REFERENCES order_lines(id),
    item_id         INTEGER NOT NULL REFERENCES items(id),
    asset_id        INTEGER REFERENCES assets(id),
    lot_id          INTEGER REFERENCES lots(id),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    -- Set when a rented unit comes back for good.
    picked_up_on    TEXT,
    CHECK (asset_id IS NULL OR quantity = 1)
);
CREATE TABLE document_files (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    added_at    TEXT NOT NULL,
    UNIQUE (document_id, sha256)
);
CREATE TABLE documentation_rules (
    id              INTEGER PRIMARY KEY,
    payer_id        INTEGER REFERENCES payers(id) ON DELETE CASCADE,
    payer_kind      TEXT,
    hcpcs_from      TEXT,
    hcpcs_to        TEXT,
    category        TEXT,
    document_type   TEXT NOT NULL CHECK (document_type IN ('swo', 'cmn', 'dif', 'face_to_face', 'prior_auth', 'abn', 'other')),
    form            TEXT,
    blocks          TEXT NOT NULL CHECK (blocks IN ('delivery', 'billing')),
    effective       TEXT NOT NULL,
    termination     TEXT,
    source          TEXT NOT NULL,
    CHECK ((payer_id IS NULL) <> (payer_kind IS NULL)),
    CHECK ((hcpcs_from IS NULL) = (hcpcs_to IS NULL)),
    CHECK (hcpcs_from IS NULL OR category IS NULL)
);
CREATE TABLE documents (
    id                      INTEGER PRIMARY KEY,
    patient_id              INTEGER NOT NULL REFERENCES patients(id),
    order_id                INTEGER REFERENCES orders(id),
    type                    TEXT NOT NULL CHECK (type IN ('swo', 'cmn', 'dif', 'face_to_face', 'prior_auth', 'abn', 'other')),
    -- The CMS form of a CMN or DIF (CMS-484 ...); NULL for other types.
    form                    TEXT,
    -- The codes the document covers, colon-joined; '' covers every item of its order.
    hcpcs                   TEXT NOT NULL DEFAULT '',
    initial_date            TEXT NOT NULL,
    revised_date            TEXT,
    recert_due              TEXT,
    expires                 TEXT,
    length_of_need_months   INTEGER,
    pa_number               TEXT,
    pa_units                INTEGER,
    pa_from                 TEXT,
    pa_to                   TEXT,
    -- The form's answers as JSON, validated per form by the core.
    answers                 TEXT NOT NULL DEFAULT '{}',
    notes                   TEXT
);
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
CREATE TABLE fees (
    id              INTEGER PRIMARY KEY,
    payer_id        INTEGER NOT NULL REFERENCES payers(id) ON DELETE CASCADE,
    hcpcs           TEXT NOT NULL,
    modifiers       TEXT NOT NULL DEFAULT '',
    allowed_cents   INTEGER NOT NULL,
    charge_cents    INTEGER NOT NULL,
    effective       TEXT NOT NULL,
    termination     TEXT
);
CREATE TABLE items (
    id                  INTEGER PRIMARY KEY,
    catalog_item_id     INTEGER NOT NULL REFERENCES catalog_items(id),
    name                TEXT NOT NULL,
    manufacturer        TEXT NOT NULL,
    model               TEXT NOT NULL,
    sku                 TEXT NOT NULL UNIQUE COLLATE NOCASE,
    barcode             TEXT UNIQUE,
    unit                TEXT NOT NULL,
    cost_cents          INTEGER NOT NULL CHECK (cost_cents >= 0),
    serialized          INTEGER NOT NULL,
    lot_tracked         INTEGER NOT NULL,
    vendor_id           INTEGER REFERENCES vendors(id),
    CHECK (NOT (serialized AND lot_tracked))
);
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
CREATE TABLE locations (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind    TEXT NOT NULL CHECK (kind IN ('warehouse', 'vehicle'))
);
CREATE TABLE lots (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    lot_number  TEXT NOT NULL,
    expires     TEXT,
    UNIQUE (item_id, lot_number)
);
CREATE TABLE maintenance_schedules (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id),
    task            TEXT NOT NULL,
    every_days      INTEGER CHECK (every_days > 0),
    every_hours     INTEGER CHECK (every_hours > 0),
    CHECK ((every_days IS NULL) <> (every_hours IS NULL))
);
CREATE TABLE order_lines (
    id                      INTEGER PRIMARY KEY,
    order_id                INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    position                INTEGER NOT NULL,
    hcpcs                   TEXT NOT NULL,
    description             TEXT NOT NULL,
    quantity                INTEGER NOT NULL CHECK (quantity > 0),
    acquisition             TEXT NOT NULL CHECK (acquisition IN ('rental', 'purchase')),
    -- Months; 99 means lifetime, as CMNs and the 837P CR3 segment write it.
    length_of_need_months   INTEGER,
    modifiers               TEXT NOT NULL DEFAULT '',
    delivered_quantity      INTEGER NOT NULL DEFAULT 0 CHECK (delivered_quantity >= 0),
    UNIQUE (order_id, position)
);
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    practitioner_id INTEGER NOT NULL REFERENCES practitioners(id),
    order_date      TEXT NOT NULL,
    -- ICD-10-CM codes the order points to, colon-joined, in the practitioner's order.
    diagnoses       TEXT NOT NULL DEFAULT '',
    -- The date on the practitioner's signature, once the signed order is back; NULL before.
    signed_on       TEXT,
    status          TEXT NOT NULL DEFAULT 'intake' CHECK (status IN ('intake', 'documentation_pending',
                        'ready_to_deliver', 'partly_delivered', 'delivered', 'closed', 'cancelled')),
    notes           TEXT,
    created_at      TEXT NOT NULL
);
CREATE TABLE patient_diagnoses (
    patient_id  INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    PRIMARY KEY (patient_id, position),
    UNIQUE (patient_id, code)
);
CREATE VIRTUAL TABLE patient_search USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE 'patient_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'patient_search_content'(id INTEGER PRIMARY KEY, c0);
CREATE TABLE 'patient_search_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'patient_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'patient_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE patients (
    id          INTEGER PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    middle_name TEXT,
    dob         TEXT NOT NULL,
    sex         TEXT NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    address1    TEXT,
    address2    TEXT,
    city        TEXT,
    state       TEXT,
    zip         TEXT,
    phone       TEXT,
    email       TEXT,
    mbi         TEXT,
    notes       TEXT
);
CREATE TABLE payers (
    id                      INTEGER PRIMARY KEY,
    name                    TEXT NOT NULL,
    kind                    TEXT NOT NULL CHECK (kind IN ('medicare_dme', 'medicaid', 'commercial', 'self_pay')),
    payer_id                TEXT,
    claim_filing_indicator  TEXT NOT NULL,
    address1                TEXT,
    address2                TEXT,
    city                    TEXT,
    state                   TEXT,
    zip                     TEXT,
    phone                   TEXT
);
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
CREATE TABLE practitioners (
    id              INTEGER PRIMARY KEY,
    npi             TEXT NOT NULL UNIQUE,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    credentials     TEXT,
    address1        TEXT,
    address2        TEXT,
    city            TEXT,
    state           TEXT,
    zip             TEXT,
    phone           TEXT,
    fax             TEXT,
    pecos_enrolled  INTEGER NOT NULL DEFAULT 0
);
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
CREATE TABLE purchase_order_lines (
    id                  INTEGER PRIMARY KEY,
    purchase_order_id   INTEGER NOT NULL REFERENCES purchase_orders(id),
    item_id             INTEGER NOT NULL REFERENCES items(id),
    quantity            INTEGER NOT NULL CHECK (quantity > 0),
    unit_cost_cents     INTEGER NOT NULL CHECK (unit_cost_cents >= 0),
    UNIQUE (purchase_order_id, item_id)
);
CREATE TABLE purchase_orders (
    id              INTEGER PRIMARY KEY,
    vendor_id       INTEGER NOT NULL REFERENCES vendors(id),
    ship_to_id      INTEGER NOT NULL REFERENCES locations(id),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'ordered', 'partially_received', 'received')),
    created_on      TEXT NOT NULL,
    ordered_on      TEXT,
    notes           TEXT
);
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
CREATE TABLE remit_files (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('835', '999', '277ca')),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL UNIQUE,
    size        INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    actor       TEXT NOT NULL
);
CREATE TABLE rental_billings (
    episode_id      INTEGER NOT NULL REFERENCES rental_episodes(id),
    period          INTEGER NOT NULL,
    month           INTEGER NOT NULL,
    dos             TEXT NOT NULL,
    claim_line_id   INTEGER NOT NULL REFERENCES claim_lines(id),
    PRIMARY KEY (episode_id, period, month)
) WITHOUT ROWID;
CREATE TABLE rental_episodes (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    order_line_id   INTEGER NOT NULL UNIQUE REFERENCES order_lines(id),
    hcpcs           TEXT NOT NULL,
    category        TEXT NOT NULL CHECK (category IN ('CR', 'OX', 'FS', 'IN')),
    start_date      TEXT NOT NULL,
    -- Months of this period of continuous use already paid to another supplier.
    prior_months    INTEGER NOT NULL DEFAULT 0 CHECK (prior_months BETWEEN 0 AND 600),
    created_at      TEXT NOT NULL
);
CREATE TABLE rental_interruptions (
    id                      INTEGER PRIMARY KEY,
    episode_id              INTEGER NOT NULL REFERENCES rental_episodes(id) ON DELETE CASCADE,
    from_date               TEXT NOT NULL,
    to_date                 TEXT NOT NULL,
    reason                  TEXT NOT NULL CHECK (reason IN ('pickup', 'hospital', 'facility', 'other')),
    -- A new order, new medical-necessity documentation and the reason for the break are on file.
    new_period_documented   INTEGER NOT NULL DEFAULT 0,
    CHECK (to_date > from_date)
);
CREATE TABLE reorder_levels (
    item_id     INTEGER NOT NULL REFERENCES items(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    min_qty     INTEGER NOT NULL CHECK (min_qty >= 0),
    max_qty     INTEGER NOT NULL,
    PRIMARY KEY (item_id, location_id),
    CHECK (max_qty >= min_qty)
);
CREATE TABLE schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        );
CREATE TABLE service_records (
    id              INTEGER PRIMARY KEY,
    asset_id        INTEGER NOT NULL REFERENCES assets(id),
    schedule_id     INTEGER REFERENCES maintenance_schedules(id),
    performed_on    TEXT NOT NULL,
    technician      TEXT NOT NULL,
    work_done       TEXT NOT NULL,
    hours_meter     INTEGER,
    recorded_at     TEXT NOT NULL,
    actor           TEXT NOT NULL
);
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
CREATE TABLE stock_movements (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('receive', 'transfer', 'deliver', 'return', 'adjust', 'scrap')),
    item_id             INTEGER NOT NULL REFERENCES items(id),
    lot_id              INTEGER REFERENCES lots(id),
    asset_id            INTEGER REFERENCES assets(id),
    from_location_id    INTEGER REFERENCES locations(id),
    to_location_id      INTEGER REFERENCES locations(id),
    quantity            INTEGER NOT NULL CHECK (quantity > 0),
    unit_cost_cents     INTEGER,
    patient_id          INTEGER REFERENCES patients(id),
    purchase_order_line_id INTEGER REFERENCES purchase_order_lines(id),
    reason              TEXT,
    moved_on            TEXT NOT NULL,
    recorded_at         TEXT NOT NULL,
    actor               TEXT NOT NULL,
    CHECK (from_location_id IS NOT NULL OR to_location_id IS NOT NULL),
    CHECK (from_location_id IS NOT to_location_id)
);
CREATE TABLE supplier (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    legal_name      TEXT NOT NULL,
    dba_name        TEXT,
    npi             TEXT NOT NULL,
    ein             TEXT NOT NULL,
    ptan            TEXT,
    taxonomy        TEXT NOT NULL,
    address1        TEXT NOT NULL,
    address2        TEXT,
    city            TEXT NOT NULL,
    state           TEXT NOT NULL,
    zip             TEXT NOT NULL,
    phone           TEXT NOT NULL,
    contact_name    TEXT,
    email           TEXT
);
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
CREATE TABLE sync_state (
    name    TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
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
CREATE TABLE vendors (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    account_number  TEXT,
    phone           TEXT,
    email           TEXT
);
CREATE TABLE "work_queue" (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('denial', 'rejection', 'correction')),
    claim_id        INTEGER NOT NULL REFERENCES claims(id),
    -- The adjudication that queued the item: the denial, or the primary's reversal.
    adjudication_id INTEGER REFERENCES claim_adjudications(id),
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    resolved_at     TEXT
);
CREATE TRIGGER coverages_search_delete AFTER DELETE ON coverages BEGIN
    DELETE FROM patient_search WHERE rowid = OLD.patient_id;
    INSERT INTO patient_search (rowid, terms) SELECT patient_id, terms FROM patient_search_terms WHERE patient_id = OLD.patient_id;
END;
CREATE TRIGGER coverages_search_insert AFTER INSERT ON coverages BEGIN
    DELETE FROM patient_search WHERE rowid = NEW.patient_id;
    INSERT INTO patient_search (rowid, terms) SELECT patient_id, terms FROM patient_search_terms WHERE patient_id = NEW.patient_id;
END;
CREATE TRIGGER coverages_search_update AFTER UPDATE ON coverages BEGIN
    DELETE FROM patient_search WHERE rowid IN (OLD.patient_id, NEW.patient_id);
    INSERT INTO patient_search (rowid, terms) SELECT patient_id, terms FROM patient_search_terms WHERE patient_id IN (OLD.patient_id, NEW.patient_id);
END;
CREATE TRIGGER deliveries_open_rentals AFTER UPDATE OF status ON deliveries
WHEN NEW.status = 'delivered' AND OLD.status <> 'delivered'
BEGIN
    INSERT OR IGNORE INTO rental_episodes (patient_id, order_id, order_line_id, hcpcs, category, start_date, created_at)
    SELECT NEW.patient_id, NEW.order_id, l.id, l.hcpcs, k.category, NEW.delivered_on, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    FROM delivery_items i JOIN order_lines l ON l.id = i.order_line_id JOIN catalog_items k ON k.hcpcs = l.hcpcs
    WHERE i.delivery_id = NEW.id AND l.acquisition = 'rental' AND k.category IN ('CR', 'OX', 'FS', 'IN')
    GROUP BY l.id;
END;
CREATE TRIGGER patients_search_delete AFTER DELETE ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = OLD.id;
END;
CREATE TRIGGER patients_search_insert AFTER INSERT ON patients BEGIN
    INSERT INTO patient_search (rowid, terms) SELECT patient_id, terms FROM patient_search_terms WHERE patient_id = NEW.id;
END;
CREATE TRIGGER patients_search_update AFTER UPDATE ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = OLD.id;
    INSERT INTO patient_search (rowid, terms) SELECT patient_id, terms FROM patient_search_terms WHERE patient_id = NEW.id;
END;
CREATE VIEW patient_search_terms AS
SELECT p.id AS patient_id,
       p.first_name || ' ' || COALESCE(p.middle_name, '') || ' ' || p.last_name || ' ' || p.dob || ' '
       || COALESCE(p.phone, '') || ' ' || COALESCE(p.mbi, '') || ' '
       || COALESCE((SELECT group_concat(c.member_id, ' ') FROM coverages c WHERE c.patient_id = p.id), '') AS terms
FROM patients p;
CREATE VIEW stock_deltas AS
SELECT id AS movement_id, item_id, lot_id, to_location_id AS location_id, quantity AS delta
FROM stock_movements WHERE to_location_id IS NOT NULL
UNION ALL
SELECT id, item_id, lot_id, from_location_id, -quantity
FROM stock_movements WHERE from_location_id IS NOT NULL;
