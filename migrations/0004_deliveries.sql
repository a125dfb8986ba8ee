-- Deliveries: a scheduled trip to bring an order's items to a patient, the stock lots and
-- serialized units picked for each line, and the signed proof of delivery (the signature
-- image, the signer's printed name and relationship) whose date is the date of service.
-- Pickups and exchanges of rented units are recorded against the delivered line.

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
CREATE INDEX deliveries_order ON deliveries(order_id);
CREATE INDEX deliveries_patient ON deliveries(patient_id);
CREATE INDEX deliveries_scheduled ON deliveries(scheduled_on);

-- What is picked for each order line: one serialized unit, or a quantity of a stocked item
-- (from one lot when the item is lot-tracked).
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
CREATE INDEX delivery_items_delivery ON delivery_items(delivery_id);
CREATE UNIQUE INDEX delivery_items_asset_open ON delivery_items(asset_id) WHERE asset_id IS NOT NULL AND picked_up_on IS NULL;

-- A rented unit swapped for another on the same rental: the rental (and its month count)
-- continues on the new unit.
CREATE TABLE asset_exchanges (
    id                  INTEGER PRIMARY KEY,
    delivery_item_id    INTEGER NOT NULL REFERENCES delivery_items(id),
    old_asset_id        INTEGER NOT NULL REFERENCES assets(id),
    new_asset_id        INTEGER NOT NULL REFERENCES assets(id),
    exchanged_on        TEXT NOT NULL,
    reason              TEXT NOT NULL,
    recorded_at         TEXT NOT NULL
);
