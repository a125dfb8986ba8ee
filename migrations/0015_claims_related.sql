-- The claims that follow a claim (a secondary after its primary, a correction after the
-- claim it replaces): posting an 835 asks for each paid claim whether its secondary claim
-- stands, which without this index reads every claim on file.
CREATE INDEX claims_related ON claims(related_claim_id) WHERE related_claim_id IS NOT NULL;
