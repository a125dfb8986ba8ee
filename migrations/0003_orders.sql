-- Orders and documentation: the practitioner's order with its lines, the documents a payer
-- wants before delivery or billing (SWO, CMN/DIF, face-to-face, prior authorization, ABN),
-- their scanned files, and each payer's documentation rules. Seeds Medicare's rules.

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
CREATE INDEX orders_patient ON orders(patient_id);
CREATE INDEX orders_status ON orders(status);

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
CREATE INDEX documents_patient ON documents(patient_id);
CREATE INDEX documents_order ON documents(order_id);
CREATE INDEX documents_expires ON documents(expires);

-- Scans kept in the database itself, so a backup of the one file holds them and a failed
-- change leaves no stray file behind. The hash proves a scan was not altered.
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

-- Which documents a payer (one payer, or every payer of a kind) requires for which codes
-- (a range of HCPCS codes, a payment category, or every item), over which dates of service,
-- and whether a missing one blocks the delivery or only the claim.
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

-- Medicare (every payer of kind medicare_dme).
INSERT INTO documentation_rules (payer_kind, hcpcs_from, hcpcs_to, category, document_type, form, blocks, effective, termination, source) VALUES
-- A standard written order is a condition of payment for every DMEPOS item.
('medicare_dme', NULL, NULL, NULL, 'swo', NULL, 'billing', '2020-01-01', NULL,
 '42 CFR 410.38(d) as amended by CMS-1713-F (84 FR 60648); Program Integrity Manual ch. 5 §5.2'),
-- Power mobility devices: the Required Face-to-Face Encounter and Written Order Prior to
-- Delivery List, and the Required Prior Authorization List.
('medicare_dme', 'K0800', 'K0802', NULL, 'face_to_face', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 410.38(c); CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0813', 'K0829', NULL, 'face_to_face', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 410.38(c); CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0835', 'K0843', NULL, 'face_to_face', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 410.38(c); CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0848', 'K0864', NULL, 'face_to_face', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 410.38(c); CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0800', 'K0802', NULL, 'swo', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 410.38(c) written order prior to delivery; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0813', 'K0829', NULL, 'swo', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 410.38(c) written order prior to delivery; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0835', 'K0843', NULL, 'swo', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 410.38(c) written order prior to delivery; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0848', 'K0864', NULL, 'swo', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 410.38(c) written order prior to delivery; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0856', 'K0856', NULL, 'prior_auth', NULL, 'delivery', '2017-07-17', NULL, '42 CFR 414.234; CMS-6050-F (80 FR 81674); first codes on the Required Prior Authorization List, nationwide from 2017-07-17'),
('medicare_dme', 'K0861', 'K0861', NULL, 'prior_auth', NULL, 'delivery', '2017-07-17', NULL, '42 CFR 414.234; CMS-6050-F (80 FR 81674); first codes on the Required Prior Authorization List, nationwide from 2017-07-17'),
('medicare_dme', 'K0857', 'K0864', NULL, 'prior_auth', NULL, 'delivery', '2019-07-22', NULL, '42 CFR 414.234; CMS-6080-N2 (2019)'),
('medicare_dme', 'K0800', 'K0802', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0806', 'K0808', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0813', 'K0816', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0820', 'K0829', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0835', 'K0843', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'K0848', 'K0855', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
-- Pressure reducing support surfaces (nationwide from phase two).
('medicare_dme', 'E0193', 'E0193', NULL, 'prior_auth', NULL, 'delivery', '2019-10-21', NULL, '42 CFR 414.234; CMS-6080-N2 (2019)'),
('medicare_dme', 'E0277', 'E0277', NULL, 'prior_auth', NULL, 'delivery', '2019-10-21', NULL, '42 CFR 414.234; CMS-6080-N2 (2019)'),
('medicare_dme', 'E0371', 'E0373', NULL, 'prior_auth', NULL, 'delivery', '2019-10-21', NULL, '42 CFR 414.234; CMS-6080-N2 (2019)'),
-- Orthoses.
('medicare_dme', 'L0648', 'L0648', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'L0650', 'L0650', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'L1832', 'L1832', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
('medicare_dme', 'L1833', 'L1833', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', '2024-08-11', '42 CFR 414.234; CMS-6081-N; removed from the list effective 2024-08-12'),
('medicare_dme', 'L1851', 'L1851', NULL, 'prior_auth', NULL, 'delivery', '2022-04-13', NULL, '42 CFR 414.234; CMS-6081-N (87 FR 2051)'),
-- CMNs and DIFs: required until Medicare discontinued them for dates of service from
-- 2023-01-01 (MLN Special Edition "Elimination of CMNs and DIFs", 2022; DME MAC CMN/DIF
-- elimination notices). Claims after that date must not carry CMN/DIF data.
('medicare_dme', NULL, NULL, 'OX', 'cmn', 'CMS-484', 'billing', '1994-01-01', '2022-12-31', 'Oxygen LCD L33797 / A52514; CMN discontinued for DOS from 2023-01-01'),
('medicare_dme', 'E0650', 'E0652', NULL, 'cmn', 'CMS-846', 'billing', '1994-01-01', '2022-12-31', 'Pneumatic Compression Devices LCD L33829; CMN discontinued for DOS from 2023-01-01'),
('medicare_dme', 'E0747', 'E0748', NULL, 'cmn', 'CMS-847', 'billing', '1994-01-01', '2022-12-31', 'Osteogenesis Stimulators LCD L33796; CMN discontinued for DOS from 2023-01-01'),
('medicare_dme', 'E0760', 'E0760', NULL, 'cmn', 'CMS-847', 'billing', '1994-01-01', '2022-12-31', 'Osteogenesis Stimulators LCD L33796; CMN discontinued for DOS from 2023-01-01'),
('medicare_dme', 'E0720', 'E0730', NULL, 'cmn', 'CMS-848', 'billing', '1994-01-01', '2022-12-31', 'TENS LCD L33802; CMN discontinued for DOS from 2023-01-01'),
('medicare_dme', 'E0627', 'E0629', NULL, 'cmn', 'CMS-849', 'billing', '1994-01-01', '2022-12-31', 'Seat Lift Mechanisms LCD L33801; CMN discontinued for DOS from 2023-01-01'),
('medicare_dme', 'E0779', 'E0781', NULL, 'dif', 'CMS-10125', 'billing', '1994-01-01', '2022-12-31', 'External Infusion Pumps LCD L33794; DIF discontinued for DOS from 2023-01-01'),
('medicare_dme', 'E0784', 'E0784', NULL, 'dif', 'CMS-10125', 'billing', '1994-01-01', '2022-12-31', 'External Infusion Pumps LCD L33794; DIF discontinued for DOS from 2023-01-01'),
('medicare_dme', 'B4034', 'B9999', NULL, 'dif', 'CMS-10126', 'billing', '1994-01-01', '2022-12-31', 'Enteral (L38955) and Parenteral (L38953) Nutrition LCDs; DIF discontinued for DOS from 2023-01-01');
