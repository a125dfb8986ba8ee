//! Conformance over the public sample corpus in `../shared/x12-samples/` (outside the repo;
//! see its SOURCES.md for where each file comes from and which are deliberately broken).
//!
//! Every file is read by the typed reader of its folder (835, 999, 277ca, 271; 837p and
//! other get the envelope check) and must come out exactly as the table below says: it
//! parses with no problem at all, or it fails and its first problem — which must carry a
//! position — says what the table expects. Files marked MALFORMED in SOURCES.md must fail.
//! A file in the folder that the table does not list fails the test, so new samples get a
//! decision. When the folder is absent (a fresh clone), the test says so and passes.

use hmedesk::x12::check;
use hmedesk::x12::remit835::RemitReader;
use hmedesk::x12::{ack277ca, ack999, elig271, X12Error};
use std::path::{Path, PathBuf};

/// What a sample must do: parse cleanly, or fail with a first problem containing the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Parses,
    Fails(&'static str),
}
use Expect::*;

const TABLE: &[(&str, Expect)] = &[
    // 835: remittances.
    (
        "835/edi835parser_bcbs-nc_no-isa-gs-envelope.835",
        Fails("segment 1 (byte 0): the file does not start with an ISA interchange header"),
    ),
    ("835/edi835parser_uhc-legacy_2claims_single-line.835", Parses),
    ("835/emedny_inpatient-drg-retro_reversal_negative-cas.835", Parses),
    ("835/emedny_institutional_clp02-3_pr-cas.835", Parses),
    ("835/emedny_outpatient-retro_reversal-and-correction_plb-fb.835", Parses),
    ("835/emedny_pharmacy_3claims_plb-wo_negative-cas.835", Parses),
    ("835/emedny_professional_3claims_denial-co29_paid.835", Parses),
    ("835/emedny_professional_no-payment_bpr-h.835", Parses),
    (
        "835/lfh_cob-contractual-adjustment_negative-cas.835",
        Fails("segment 21, element 1 (byte 634): SVC01 'HC>55669' has no procedure code"),
    ),
    (
        "835/lfh_managed-care_2claims_claim-and-line-cas.835",
        Fails("segment 4, element 16 (byte 259): BPR16 '20002316' is not a date"),
    ),
    ("835/lfh_medicare-part-a_2claims_ts3-ts2_mia-moa_plb.835", Parses),
    (
        "835/lfh_secondary-payment_svc-composite-uses-gt-not-isa16.835",
        Fails("segment 29, element 1 (byte 850): SVC01 'HC>12345>26' has no procedure code"),
    ),
    (
        "835/lfh_tertiary-payment_clp02-3.835",
        Fails("segment 16, element 4 (byte 486): claim paid (CLP04) must equal the sum of its lines' paid amounts"),
    ),
    (
        "835/oop_nebraska-medicaid-deident_3-isa_56-claims_bom_crlf_indented.835",
        Fails("segment 4, element 2 (byte 199): total payment (BPR02) must equal"),
    ),
    (
        "835/oop_reversals-clp02-22_denials_plb_bom_indented_gs08-nonstandard.835",
        Fails("segment 4, element 2 (byte 190): total payment (BPR02) must equal"),
    ),
    ("835/pyx12_denied-claim_clp02-4_3-service-lines_lq.835", Parses),
    // 837P: envelope only until the 837 reader exists. The imsweb files' SE01 counts are
    // wrong (SOURCES.md says so), which the envelope check catches.
    (
        "837p/ims_2-isa-in-one-file.837",
        Fails("segment 36, element 1 (byte 1179): SE01 says \"25\" but there are 34 segments"),
    ),
    ("837p/ims_3-gs-3-st_6claims_ieacount-mismatch.837", Fails("segment 36, element 1 (byte 1179): SE01 says \"25\"")),
    ("837p/ims_312-interchanges_624claims_378KB.837", Fails("segment 36, element 1 (byte 1175): SE01 says \"25\"")),
    (
        "837p/ims_complex_2st_6claims.837",
        Fails("segment 149, element 1 (byte 3693): SE01 says \"25\" but there are 147"),
    ),
    (
        "837p/ims_malformed_bad-segment-identifier.837",
        Fails("segment 6 (byte 280): '*IC*DAVID ANGELASZEK' is not a segment identifier"),
    ),
    ("837p/ims_malformed_missing-required-elements.837", Fails("segment 36, element 1 (byte 1172): SE01 says \"25\"")),
    (
        "837p/ims_malformed_no-isa-segment.837",
        Fails("segment 1 (byte 0): the file does not start with an ISA interchange header"),
    ),
    ("837p/ims_malformed_segments-out-of-order.837", Fails("segment 36, element 1 (byte 1175): SE01 says \"25\"")),
    (
        "837p/ims_many-claims_820claims_330KB.837",
        Fails("segment 11488, element 1 (byte 329602): SE01 says \"25\" but there are 11486"),
    ),
    ("837p/ims_valid_2claims.837", Fails("segment 36, element 1 (byte 1175): SE01 says \"25\"")),
    (
        "837p/ims_valid_separators-tilde-element_caret-component_underscore-segment.837",
        Fails("segment 36, element 1 (byte 1175): SE01 says \"25\""),
    ),
    ("837p/lfh_cob-secondary_2320-2330-2430_gs08-X222A2.837", Parses),
    ("837p/lfh_drug-ndc-lin-ctp_gs08-X222A2.837", Parses),
    ("837p/oop_crlf-as-segment-terminator_no-tilde_bom.837", Parses),
    ("837p/oop_malformed_utf16le-encoded.837", Fails("segment 1 (byte 0): the file is UTF-16 text")),
    ("837p/oop_medicaid_pipe-repetition_gt-component_bom.837", Parses),
    ("837p/oop_tr3-examples_2st_3claims_gs08-X222-base.837", Parses),
    ("837p/staedi_newline-terminated_backtick-repetition_isa12-00402.837", Parses),
    // 999.
    ("999/emedny_999_accepted_single-line.999", Parses),
    (
        "999/ims_999_accepted_for-837i.999",
        Fails("segment 10, element 2 (byte 288): IEA02 control number '000000001' does not match ISA13 '000000286'"),
    ),
    ("999/ims_999_rejected_ik3_ik5-r.999", Parses),
    ("999/oop_999_wisconsin-dhs_partial_bom_indented.999", Parses),
    ("999/pyx12_999_2gs_4st_accepted.999", Parses),
    (
        "999/staedi_999_malformed_ik5-before-ak1_bad-codes.999",
        Fails("segment 4 (byte 182): IK5 is not expected here: a 999 must start with AK1"),
    ),
    ("999/staedi_999_partial_ik3-ik4-ctx_3-ak2.999", Parses),
    // 277CA.
    ("277ca/emedny_277ca_accepted_single-line.277", Parses),
    ("277ca/emedny_277ca_rejected_pipe-component.277", Parses),
    ("277ca/oop_277ca_deident_multi-provider-multi-claim_bom_indented.277", Parses),
    (
        "277ca/oop_277ca_malformed_isa-date-version-garbage.277",
        Fails("segment 1, element 12 (byte 87): the ISA header is damaged: ISA12 must be exactly 5 characters"),
    ),
    (
        "277ca/oop_277ca_truncated-after-hl2_nm1-ay_bom.277",
        Fails("segment 11 (byte 431): the file ends inside a transaction set"),
    ),
    // 271. The two OopFactory files declare the same character ('^') as repetition (ISA11)
    // and component (ISA16) separator, which X12 forbids and which makes EB03 ambiguous.
    ("271/emedny_271_eligible_msg-ls-le_single-line.271", Parses),
    (
        "271/lfh_271_aaa-rejection_se-control-mismatch.271",
        Fails("segment 10, element 2 (byte 351): SE02 control number '4323' does not match ST02 '4321'"),
    ),
    ("271/lfh_271_dependent_eb-repetition-caret.271", Parses),
    ("271/lfh_271_subscriber.271", Parses),
    (
        "271/oop_271_aaa-errors-at-every-level_tabs.271",
        Fails("segment 1, element 11 (byte 85): the ISA header is damaged: the repetition separator (ISA11) '^'"),
    ),
    (
        "271/oop_271_tr3-example_dependent_caret-component_bom.271",
        Fails("segment 1, element 11 (byte 85): the ISA header is damaged: the repetition separator (ISA11) '^'"),
    ),
    // Other transactions: envelope only.
    (
        "other/ims_277_x212_claim-status-response_multi-claim.277",
        Fails("segment 111, element 2 (byte 3304): IEA02 control number '842928883' does not match ISA13"),
    ),
    ("other/lfh_270_single-line.270", Parses),
    ("other/lfh_837i_two-claims-single-provider_gs08-X223A3.837i", Parses),
    ("other/oop_270_x279_0x1d-segment-terminator.270", Parses),
    ("other/oop_ta1_rejected_gt-element_plus-component_crlf-terminator.ta1", Parses),
    ("other/oop_ta1_two-accepted_isa12-00401.ta1", Parses),
    ("other/staedi_997_repetitions-and-components-everywhere.997", Parses),
];

fn samples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/x12-samples");
    dir.is_dir().then_some(dir)
}

/// Every problem the folder's reader finds in `path`, in file order (a problem that stops
/// reading comes last).
fn problems(folder: &str, path: &Path) -> Vec<X12Error> {
    let file = std::fs::File::open(path).unwrap();
    let mut all = match folder {
        "835" => match RemitReader::new(file).read_all() {
            Ok(remit) => remit.all_problems().into_iter().cloned().collect(),
            Err(fatal) => vec![fatal],
        },
        "999" => flatten(ack999::read(file), |s| &s.problems),
        "277ca" => flatten(ack277ca::read(file), |s| &s.problems),
        "271" => flatten(elig271::read(file), |s| &s.problems),
        _ => check::check(file).problems,
    };
    all.sort_by_key(|p| (p.at.segment, p.at.element));
    all
}

fn flatten<T>(parsed: Result<hmedesk::x12::Parsed<T>, X12Error>, of: impl Fn(&T) -> &Vec<X12Error>) -> Vec<X12Error> {
    match parsed {
        Ok(p) => p.problems.iter().chain(p.sets.iter().flat_map(&of)).cloned().collect(),
        Err(fatal) => vec![fatal],
    }
}

#[test]
fn every_sample_parses_or_fails_as_decided() {
    let Some(dir) = samples() else {
        eprintln!("skipped: ../shared/x12-samples is not here");
        return;
    };
    let mut files = Vec::new();
    for folder in ["835", "837p", "999", "277ca", "271", "other"] {
        for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
            files.push(format!("{folder}/{}", entry.unwrap().file_name().to_string_lossy()));
        }
    }
    files.sort();
    let mut wrong = Vec::new();
    for name in &files {
        let Some(&(_, expect)) = TABLE.iter().find(|(n, _)| n == name) else {
            wrong.push(format!("{name}: not in the table; decide whether it must parse or fail"));
            continue;
        };
        let folder = name.split('/').next().unwrap_or_default();
        let found = problems(folder, &dir.join(name));
        for p in &found {
            if p.at.segment == 0 || !p.to_string().starts_with("segment ") {
                wrong.push(format!("{name}: problem without a position: {p}"));
            }
        }
        match (expect, found.first()) {
            (Parses, None) => {}
            (Parses, Some(p)) => wrong.push(format!("{name}: must parse, but: {p}")),
            (Fails(_), None) => wrong.push(format!("{name}: must fail, but parsed cleanly")),
            (Fails(text), Some(p)) if !p.to_string().contains(text) => {
                wrong.push(format!("{name}: first problem should contain {text:?}, is: {p}"))
            }
            (Fails(_), Some(_)) => {}
        }
    }
    for (name, _) in TABLE {
        if !files.iter().any(|f| f == name) {
            wrong.push(format!("{name}: in the table but not in the folder"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} samples not as decided:\n{}", wrong.len(), files.len(), wrong.join("\n"));
}

/// SOURCES.md marks some files MALFORMED; the table must never say they parse.
#[test]
fn files_marked_malformed_must_fail() {
    let Some(dir) = samples() else {
        eprintln!("skipped: ../shared/x12-samples is not here");
        return;
    };
    let sources = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap();
    let malformed: Vec<&str> = sources
        .lines()
        .filter(|l| l.starts_with("| `") && l.contains("MALFORMED"))
        .filter_map(|l| l.split('`').nth(1))
        .collect();
    assert!(malformed.len() >= 8, "SOURCES.md lists {} malformed files", malformed.len());
    for name in malformed {
        let entry = TABLE.iter().find(|(n, _)| *n == name);
        assert!(
            matches!(entry, Some((_, Fails(_)))),
            "{name} is MALFORMED in SOURCES.md but the table does not expect a failure"
        );
    }
}
