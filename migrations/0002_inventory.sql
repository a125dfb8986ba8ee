-- Inventory: what the warehouse and the drivers need. Stock is an append-only ledger of
-- movements (on hand is derived from it, never stored, so it cannot drift); serialized
-- equipment is tracked unit by unit through its rental lifecycle with a full history;
-- maintenance schedules and service records keep concentrators and beds safe to send out;
-- reorder levels and purchase orders keep shelves stocked. Money columns hold integer cents.

CREATE TABLE locations (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind    TEXT NOT NULL CHECK (kind IN ('warehouse', 'vehicle'))
);

CREATE TABLE vendors (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    account_number  TEXT,
    phone           TEXT,
    email           TEXT
);

-- A stocked product: one manufacturer's model, billed under a catalog (HCPCS) item. An item
-- is tracked by serial number (each unit an asset) or by lot, or neither — never both.
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
CREATE INDEX items_catalog ON items(catalog_item_id);

CREATE TABLE lots (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    lot_number  TEXT NOT NULL,
    expires     TEXT,
    UNIQUE (item_id, lot_number)
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
CREATE INDEX purchase_orders_status ON purchase_orders(status, vendor_id);

-- What was ordered. What was received is the sum of the receive movements naming the line.
CREATE TABLE purchase_order_lines (
    id                  INTEGER PRIMARY KEY,
    purchase_order_id   INTEGER NOT NULL REFERENCES purchase_orders(id),
    item_id             INTEGER NOT NULL REFERENCES items(id),
    quantity            INTEGER NOT NULL CHECK (quantity > 0),
    unit_cost_cents     INTEGER NOT NULL CHECK (unit_cost_cents >= 0),
    UNIQUE (purchase_order_id, item_id)
);

-- One serialized unit. `location_id` is where it sits while in the supplier's hands (NULL
-- when with a patient, lost or retired); `patient_id` who it is reserved for or with.
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
CREATE INDEX assets_status ON assets(status);
CREATE INDEX assets_patient ON assets(patient_id);
CREATE INDEX assets_serial ON assets(serial);

-- Every status change or move of an asset: where it went, with which patient, when, by whom.
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
CREATE INDEX asset_events_asset ON asset_events(asset_id, id);

-- The stock ledger. A movement takes `quantity` out of `from_location_id` and/or puts it into
-- `to_location_id`: receive and return only put in, deliver and scrap only take out, transfer
-- does both, an adjustment does one or the other and says why.
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
CREATE INDEX stock_movements_from ON stock_movements(item_id, from_location_id);
CREATE INDEX stock_movements_to ON stock_movements(item_id, to_location_id);
CREATE INDEX stock_movements_po_line ON stock_movements(purchase_order_line_id);

-- Each movement as signed quantities per location; on hand is their sum.
CREATE VIEW stock_deltas AS
SELECT id AS movement_id, item_id, lot_id, to_location_id AS location_id, quantity AS delta
FROM stock_movements WHERE to_location_id IS NOT NULL
UNION ALL
SELECT id, item_id, lot_id, from_location_id, -quantity
FROM stock_movements WHERE from_location_id IS NOT NULL;

CREATE TABLE reorder_levels (
    item_id     INTEGER NOT NULL REFERENCES items(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    min_qty     INTEGER NOT NULL CHECK (min_qty >= 0),
    max_qty     INTEGER NOT NULL,
    PRIMARY KEY (item_id, location_id),
    CHECK (max_qty >= min_qty)
);

-- Preventive maintenance for every unit of an item (model): every N days, or every N hours
-- on the unit's hour meter (oxygen concentrators).
CREATE TABLE maintenance_schedules (
    id              INTEGER PRIMARY KEY,
    item_id         INTEGER NOT NULL REFERENCES items(id),
    task            TEXT NOT NULL,
    every_days      INTEGER CHECK (every_days > 0),
    every_hours     INTEGER CHECK (every_hours > 0),
    CHECK ((every_days IS NULL) <> (every_hours IS NULL))
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
CREATE INDEX service_records_asset ON service_records(asset_id, performed_on);
