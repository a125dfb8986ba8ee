-- A replacement (frequency 7) or void (frequency 8) names the claim it corrects, so that
-- batching it closes that claim and works its queue items. `related_claim_id` keeps its one
-- meaning, the claim whose payment the COB loops report (a secondary claim's primary), which a
-- replacement of a secondary claim must still name.
ALTER TABLE claims ADD COLUMN corrects_claim_id INTEGER REFERENCES claims(id);
CREATE INDEX claims_corrects ON claims(corrects_claim_id) WHERE corrects_claim_id IS NOT NULL;
