//! No input may panic the X12 readers: random bytes, random bytes behind a valid ISA, and
//! random damage to a valid remittance all end in records or positioned problems. The
//! cargo-fuzz targets in `fuzz/` push the same property much further; this keeps it in CI.

use hmedesk::x12::remit835::RemitReader;
use hmedesk::x12::{ack277ca, ack999, check, elig271};
use proptest::prelude::*;

const ISA: &[u8] =
    b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~";

fn golden() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/x12/dme_remit.835")).unwrap()
}

/// Runs every reader over `input`; all problems must carry a segment number.
fn read_everything(input: &[u8]) {
    for p in check::check(input).problems {
        assert!(p.at.segment > 0, "{p}");
    }
    if let Ok(remit) = RemitReader::new(input).read_all() {
        for p in remit.all_problems() {
            assert!(p.at.segment > 0, "{p}");
        }
    }
    let _ = ack999::read(input);
    let _ = ack277ca::read(input);
    let _ = elig271::read(input);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..600)) {
        read_everything(&input);
    }

    #[test]
    fn random_segments_behind_a_valid_isa_never_panic(body in "([A-Z0-9]{2,3}([*:^][-A-Z0-9.]{0,6}){0,8}~\r?\n?){0,40}") {
        let mut input = ISA.to_vec();
        input.extend_from_slice(body.as_bytes());
        read_everything(&input);
    }

    #[test]
    fn damaged_remittances_never_panic(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8)) {
        let mut input = golden();
        for (at, byte, how) in edits {
            let i = at.index(input.len());
            match how {
                0 => input[i] = byte,
                1 => { input.remove(i); }
                _ => input.insert(i, byte),
            }
        }
        read_everything(&input);
    }
}
