-- The scrubber asks, for every claim line, when its order line was first delivered; without
-- this index each question scanned every delivery item ever recorded.
CREATE INDEX delivery_items_order_line ON delivery_items(order_line_id);
