//! Arbitrary bytes through every X12 reader: the lexer and envelope (`check`), the streaming
//! 835 reader with its balancing checks, and the 999, 277CA and 271 readers. Any panic is a
//! bug; so is a problem without a segment number.
#![no_main]

use hmedesk::x12::remit835::RemitReader;
use hmedesk::x12::{ack277ca, ack999, check, elig271};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for p in check::check(data).problems {
        assert!(p.at.segment > 0, "{p}");
    }
    let mut reader = RemitReader::new(data);
    while let Ok(Some(_)) = reader.next_event() {}
    let _ = ack999::read(data);
    let _ = ack277ca::read(data);
    let _ = elig271::read(data);
});
