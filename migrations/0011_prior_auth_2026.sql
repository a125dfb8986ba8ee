-- Medicare's 2026 additions to the Required Prior Authorization List (42 CFR 414.234):
-- CMS-6097-N, "Updates to the Master List ... and Updates to the Required Prior
-- Authorization List" (Federal Register, 2026-01-13), effective nationwide for dates of service
-- from 2026-04-13: the lumbar-sacral orthosis L0651, the knee orthoses L1844, L1846, L1852 and
-- the ankle-foot orthosis L1932.
INSERT INTO documentation_rules (payer_kind, hcpcs_from, hcpcs_to, category, document_type, form, blocks, effective, termination, source) VALUES
('medicare_dme', 'L0651', 'L0651', NULL, 'prior_auth', NULL, 'delivery', '2026-04-13', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6097-N (2026-01-13)'),
('medicare_dme', 'L1844', 'L1844', NULL, 'prior_auth', NULL, 'delivery', '2026-04-13', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6097-N (2026-01-13)'),
('medicare_dme', 'L1846', 'L1846', NULL, 'prior_auth', NULL, 'delivery', '2026-04-13', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6097-N (2026-01-13)'),
('medicare_dme', 'L1852', 'L1852', NULL, 'prior_auth', NULL, 'delivery', '2026-04-13', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6097-N (2026-01-13)'),
('medicare_dme', 'L1932', 'L1932', NULL, 'prior_auth', NULL, 'delivery', '2026-04-13', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6097-N (2026-01-13)');
