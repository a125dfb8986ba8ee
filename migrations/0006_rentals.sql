-- Rental episodes: one per patient × delivered rental order line, the breaks in its use, the
-- months already paid to another supplier, and which rental months have become claim lines.
--
-- An episode opens when the first delivery of a rental line in a monthly rental category
-- (CR, OX, FS, IN) is confirmed: the trigger below is the one place that does it, so every
-- path that confirms a delivery opens the rental, and the backfill covers deliveries
-- confirmed before this migration. Its start is the delivery date (the first date of service).

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
CREATE INDEX rental_episodes_patient ON rental_episodes(patient_id);

-- A break in use: `from_date` is the first day out of use, `to_date` the day use resumed.
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
CREATE INDEX rental_interruptions_episode ON rental_interruptions(episode_id, from_date);

-- Each rental month billed, once: the key makes a second billing run a no-op.
CREATE TABLE rental_billings (
    episode_id      INTEGER NOT NULL REFERENCES rental_episodes(id),
    period          INTEGER NOT NULL,
    month           INTEGER NOT NULL,
    dos             TEXT NOT NULL,
    claim_line_id   INTEGER NOT NULL REFERENCES claim_lines(id),
    PRIMARY KEY (episode_id, period, month)
) WITHOUT ROWID;

CREATE TRIGGER deliveries_open_rentals AFTER UPDATE OF status ON deliveries
WHEN NEW.status = 'delivered' AND OLD.status <> 'delivered'
BEGIN
    INSERT OR IGNORE INTO rental_episodes (patient_id, order_id, order_line_id, hcpcs, category, start_date, created_at)
    SELECT NEW.patient_id, NEW.order_id, l.id, l.hcpcs, k.category, NEW.delivered_on, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    FROM delivery_items i JOIN order_lines l ON l.id = i.order_line_id JOIN catalog_items k ON k.hcpcs = l.hcpcs
    WHERE i.delivery_id = NEW.id AND l.acquisition = 'rental' AND k.category IN ('CR', 'OX', 'FS', 'IN')
    GROUP BY l.id;
END;

INSERT OR IGNORE INTO rental_episodes (patient_id, order_id, order_line_id, hcpcs, category, start_date, created_at)
SELECT d.patient_id, d.order_id, l.id, l.hcpcs, k.category, MIN(d.delivered_on), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM deliveries d JOIN delivery_items i ON i.delivery_id = d.id JOIN order_lines l ON l.id = i.order_line_id
    JOIN catalog_items k ON k.hcpcs = l.hcpcs
WHERE d.status = 'delivered' AND l.acquisition = 'rental' AND k.category IN ('CR', 'OX', 'FS', 'IN')
GROUP BY l.id;
