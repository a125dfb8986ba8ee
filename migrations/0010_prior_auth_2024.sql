-- Medicare's 2024 additions to the Required Prior Authorization List (42 CFR 414.234):
-- CMS-6095-N, "Updates to the Master List ... and Updates to the Required Prior
-- Authorization List", 89 FR 41324 (2024-05-13), effective nationwide for dates of service
-- from 2024-08-12: the lumbar-sacral orthoses L0631, L0637, L0639 and the lower limb
-- orthoses L1843, L1845, L1951. (The same notice removed L1833, which 0003 already ends on
-- 2024-08-11; the osteogenesis stimulators E0747, E0748, E0760 it added in phases were
-- suspended from 2024-08-28 and are not seeded.) The orthoses added in 2022 (L0648, L0650,
-- L1832, L1851) are seeded by 0003.
INSERT INTO documentation_rules (payer_kind, hcpcs_from, hcpcs_to, category, document_type, form, blocks, effective, termination, source) VALUES
('medicare_dme', 'L0631', 'L0631', NULL, 'prior_auth', NULL, 'delivery', '2024-08-12', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6095-N (89 FR 41324)'),
('medicare_dme', 'L0637', 'L0637', NULL, 'prior_auth', NULL, 'delivery', '2024-08-12', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6095-N (89 FR 41324)'),
('medicare_dme', 'L0639', 'L0639', NULL, 'prior_auth', NULL, 'delivery', '2024-08-12', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6095-N (89 FR 41324)'),
('medicare_dme', 'L1843', 'L1843', NULL, 'prior_auth', NULL, 'delivery', '2024-08-12', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6095-N (89 FR 41324)'),
('medicare_dme', 'L1845', 'L1845', NULL, 'prior_auth', NULL, 'delivery', '2024-08-12', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6095-N (89 FR 41324)'),
('medicare_dme', 'L1951', 'L1951', NULL, 'prior_auth', NULL, 'delivery', '2024-08-12', NULL, 'CMS Required Prior Authorization List; 42 CFR 414.234; CMS-6095-N (89 FR 41324)');
