//! The segment lexer: turns a byte stream into [`Segment`]s with a fixed-size buffer, so a
//! 2 GB remittance needs no more memory than a 2 KB one.
//!
//! An explicit state machine in the manner of `csv-core`:
//!
//! * **Start** — skip a UTF-8 byte-order mark; refuse UTF-16 (every other byte NUL).
//! * **Between** — skip spaces, tabs, CR and LF (line breaks and indentation after
//!   terminators); at the end of input, stop.
//! * **Header** — a segment starting `ISA` is read as the fixed 106-byte header, which
//!   (re)defines the separators; several interchanges may follow one another, each with its
//!   own.
//! * **Segment** — one pass over the bytes, eight at a time, finds the terminator and the
//!   element separators before it together, filling a reusable table of element bounds.
//!
//! The buffer starts at [`BUFFER`] bytes and only grows when one segment is longer than
//! that, up to [`MAX_SEGMENT`]; a longer one is an error (almost always a wrong terminator).

use super::error::{ErrorKind, Position, X12Error};
use super::segment::Segment;
use super::separators::{shown, Separators, ISA_LEN};
use std::io::{ErrorKind as IoKind, Read};

/// Bytes read from the source at a time: large enough that refilling is rare, small enough
/// to stay in the core's cache.
pub const BUFFER: usize = 256 * 1024;

/// The longest segment accepted. Real segments are under a few hundred bytes.
pub const MAX_SEGMENT: usize = 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads segments one at a time from any byte source.
pub struct Lexer<R> {
    source: R,
    buf: Vec<u8>,
    /// `buf[start..end]` holds bytes read but not yet lexed.
    start: usize,
    end: usize,
    /// File offset of `buf[0]`.
    base: u64,
    eof: bool,
    started: bool,
    separators: Option<Separators>,
    /// Segments handed out so far.
    count: u64,
    bounds: Vec<(u32, u32)>,
    /// The current segment's bytes in `buf`, and its file offset.
    segment: (usize, usize),
    segment_offset: u64,
}

impl<R: Read> Lexer<R> {
    /// A lexer over `source`; wrap files in nothing, the lexer buffers itself.
    pub fn new(source: R) -> Lexer<R> {
        Lexer {
            source,
            buf: vec![0; BUFFER],
            start: 0,
            end: 0,
            base: 0,
            eof: false,
            started: false,
            separators: None,
            count: 0,
            bounds: Vec::with_capacity(32),
            segment: (0, 0),
            segment_offset: 0,
        }
    }

    /// Number of segments read so far.
    pub fn segments_read(&self) -> u64 {
        self.count
    }

    /// Where the next segment would start: used to place problems found at the end of input.
    pub fn position(&self) -> Position {
        Position { segment: self.count + 1, element: 0, byte: self.base + self.start as u64 }
    }

    /// The next segment, `None` at the end of input.
    pub fn next_segment(&mut self) -> Result<Option<Segment<'_>>, X12Error> {
        Ok(if self.advance()? { Some(self.current()) } else { None })
    }

    /// The segment the last successful [`Self::advance`] read.
    pub fn current(&self) -> Segment<'_> {
        let data = &self.buf[self.segment.0..self.segment.1];
        Segment {
            id: std::str::from_utf8(&data[..self.bounds[0].1 as usize]).unwrap_or_default(),
            data,
            bounds: &self.bounds,
            separators: self.separators.unwrap_or_default(),
            index: self.count,
            offset: self.segment_offset,
        }
    }

    /// Reads the next segment (then see [`Self::current`]); false at the end of input.
    pub fn advance(&mut self) -> Result<bool, X12Error> {
        if !self.started {
            self.begin()?;
        }
        // Between segments: skip line breaks and indentation.
        loop {
            let skip =
                self.buf[self.start..self.end].iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')).count();
            self.start += skip;
            if self.start < self.end {
                break;
            }
            if !self.fill()? {
                if self.count == 0 {
                    return Err(X12Error::new(self.position(), ErrorKind::Empty));
                }
                return Ok(false);
            }
        }
        while self.end - self.start < 3 && self.fill()? {}
        let at = self.position();
        let (seg_start, seg_end, next) = if self.buf[self.start..self.end].starts_with(b"ISA") {
            while self.end - self.start < ISA_LEN && self.fill()? {}
            let header = &self.buf[self.start..self.end.min(self.start + ISA_LEN)];
            let seps = Separators::from_isa(header, at)?;
            self.separators = Some(seps);
            split(&header[..ISA_LEN - 1], seps.element, &mut self.bounds);
            (self.start, self.start + ISA_LEN - 1, self.start + ISA_LEN)
        } else {
            let Some(seps) = self.separators else {
                let shown_len = (self.end - self.start).min(20);
                let found = String::from_utf8_lossy(&self.buf[self.start..self.start + shown_len]).into_owned();
                return Err(X12Error::new(at, ErrorKind::NoIsa { found }));
            };
            self.find_terminator(seps)?
        };
        let seps = self.separators.unwrap_or_default();
        self.start = next;
        self.count += 1;
        let mut seg_end = seg_end;
        if seps.segment == b'\n' && seg_end > seg_start && self.buf[seg_end - 1] == b'\r' {
            seg_end -= 1;
            if let Some(last) = self.bounds.last_mut() {
                last.1 = last.1.min((seg_end - seg_start) as u32);
            }
        }
        self.segment = (seg_start, seg_end);
        self.segment_offset = at.byte;
        let data = &self.buf[seg_start..seg_end];
        let id = &data[..self.bounds[0].1 as usize];
        if !(2..=3).contains(&id.len()) || !id.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            let found = String::from_utf8_lossy(&data[..data.len().min(20)]).into_owned();
            return Err(X12Error::new(Position { segment: self.count, ..at }, ErrorKind::BadSegmentId { found }));
        }
        Ok(true)
    }

    /// Start state: skips a UTF-8 byte-order mark and refuses UTF-16.
    fn begin(&mut self) -> Result<(), X12Error> {
        self.started = true;
        while self.end < 4 && self.fill()? {}
        let head = &self.buf[..self.end];
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || head.iter().take(4).any(|&b| b == 0) {
            return Err(X12Error::new(self.position(), ErrorKind::Utf16));
        }
        if head.starts_with(UTF8_BOM) {
            self.start = UTF8_BOM.len();
        }
        Ok(())
    }

    /// Finds the end of the segment starting at `self.start` and the bounds of its elements
    /// in one [`scan`], reading more as needed (and scanning the segment again from its
    /// start, which happens once per buffer). Returns the segment's bounds and where the next
    /// one starts. At the end of input an unterminated last segment (a common slip after the
    /// final IEA) is taken as it is.
    fn find_terminator(&mut self, seps: Separators) -> Result<(usize, usize, usize), X12Error> {
        loop {
            if let Some(p) = scan(&self.buf[self.start..self.end], seps.segment, seps.element, &mut self.bounds) {
                return Ok((self.start, self.start + p, self.start + p + 1));
            }
            if !self.fill()? {
                let data = &self.buf[self.start..self.end];
                let trimmed = data.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
                split(&data[..trimmed], seps.element, &mut self.bounds);
                return Ok((self.start, self.start + trimmed, self.end));
            }
            if self.end - self.start > MAX_SEGMENT {
                return Err(X12Error::new(
                    self.position(),
                    ErrorKind::SegmentTooLong { limit: MAX_SEGMENT, terminator: shown(seps.segment) },
                ));
            }
        }
    }

    /// Reads more input after the unlexed bytes, moving them to the front of the buffer and
    /// growing it only when one segment fills it. False at the end of input.
    fn fill(&mut self) -> Result<bool, X12Error> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 && (self.end == self.buf.len() || self.start == self.end) {
            self.buf.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let bigger = (self.buf.len() * 2).min(MAX_SEGMENT + BUFFER);
            self.buf.resize(bigger, 0);
        }
        loop {
            match self.source.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == IoKind::Interrupted => continue,
                Err(e) => return Err(X12Error::new(self.position(), ErrorKind::Io { message: e.to_string() })),
            }
        }
    }
}

/// Splits `data` on `element` into `bounds` (index 0 = the segment id): for the ISA header
/// and an unterminated last segment, which [`scan`] does not see.
fn split(data: &[u8], element: u8, bounds: &mut Vec<(u32, u32)>) {
    bounds.clear();
    let mut start = 0u32;
    for (p, &b) in data.iter().enumerate() {
        if b == element {
            bounds.push((start, p as u32));
            start = p as u32 + 1;
        }
    }
    bounds.push((start, data.len() as u32));
}

const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);
const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);

/// The high bit of every byte of `word` that equals the byte `splat` is filled with (exact,
/// with no carries between bytes).
fn matches(word: u64, splat: u64) -> u64 {
    let x = word ^ splat;
    !(((x & LOW7) + LOW7) | x) & HIGH
}

/// Finds the first `terminator` in `data` and the `element` separators before it in one
/// pass, eight bytes at a time: `bounds` gets every element of the segment (index 0 = the
/// segment id) and the terminator's position is returned. `None` (with `bounds` unfinished)
/// when `data` holds no terminator. Segments are a few dozen bytes, too short for a
/// vector search's set-up to pay twice (once for the terminator, once for the elements).
fn scan(data: &[u8], terminator: u8, element: u8, bounds: &mut Vec<(u32, u32)>) -> Option<usize> {
    bounds.clear();
    let (term, elem) = (u64::from_ne_bytes([terminator; 8]), u64::from_ne_bytes([element; 8]));
    let mut start = 0u32;
    let mut words = data.chunks_exact(8);
    let mut base = 0u32;
    for word in &mut words {
        let word = u64::from_le_bytes([word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7]]);
        let ends = matches(word, term);
        let mut elements = matches(word, elem);
        if ends != 0 {
            // Only the separators before the terminator belong to this segment.
            elements &= (ends & ends.wrapping_neg()) - 1;
        }
        while elements != 0 {
            let p = base + elements.trailing_zeros() / 8;
            bounds.push((start, p));
            start = p + 1;
            elements &= elements - 1;
        }
        if ends != 0 {
            let end = base + ends.trailing_zeros() / 8;
            bounds.push((start, end));
            return Some(end as usize);
        }
        base += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        let p = base + i as u32;
        if b == terminator {
            bounds.push((start, p));
            return Some(p as usize);
        }
        if b == element {
            bounds.push((start, p));
            start = p + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISA: &str =
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~";

    /// Every segment of `input` as `id|e1|e2…`, or the first error's message.
    fn lex(input: &[u8]) -> Result<Vec<String>, String> {
        let mut lexer = Lexer::new(input);
        let mut out = Vec::new();
        while let Some(seg) = lexer.next_segment().map_err(|e| e.to_string())? {
            let parts: Vec<String> =
                (0..=seg.len()).map(|n| String::from_utf8_lossy(seg.element(n)).into_owned()).collect();
            out.push(parts.join("|"));
        }
        Ok(out)
    }

    #[test]
    fn splits_segments_and_elements() {
        let got = lex(format!("{ISA}GS*HP*A~ST*835*1~CLP*A**1~").as_bytes()).unwrap();
        assert_eq!(&got[1..], ["GS|HP|A", "ST|835|1", "CLP|A||1"]);
    }

    #[test]
    fn skips_bom_line_breaks_and_indentation() {
        let text = format!("\u{feff}{ISA}\r\n  GS*HP*A~\n\tST*835*1~\r\n");
        assert_eq!(lex(text.as_bytes()).unwrap()[1..], ["GS|HP|A", "ST|835|1"]);
    }

    #[test]
    fn takes_an_unterminated_last_segment() {
        assert_eq!(lex(format!("{ISA}IEA*1*000000001\r\n").as_bytes()).unwrap()[1], "IEA|1|000000001");
    }

    #[test]
    fn newline_terminator_drops_a_carriage_return() {
        let isa = ISA.replace('~', "\n");
        assert_eq!(lex(format!("{isa}GS*HP*A\r\nST*835*1\r\n").as_bytes()).unwrap()[1..], ["GS|HP|A", "ST|835|1"]);
    }

    #[test]
    fn each_interchange_brings_its_own_separators() {
        let second = ISA.replace('*', "|").replace(":~", ">!");
        let got = lex(format!("{ISA}IEA*0*1~{second}GS|A|B!").as_bytes()).unwrap();
        assert_eq!(got[3], "GS|A|B");
    }

    #[test]
    fn positions_count_segments_and_bytes() {
        let text = format!("{ISA}\nGS*HP*A~ST*835*1~");
        let mut lexer = Lexer::new(text.as_bytes());
        lexer.next_segment().unwrap();
        lexer.next_segment().unwrap();
        let st = lexer.next_segment().unwrap().unwrap();
        assert_eq!(st.position(2), Position { segment: 3, element: 2, byte: 107 + 8 + 7 });
    }

    #[test]
    fn errors_name_the_problem_and_place() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "segment 1 (byte 0): the file is empty"),
            (b"\xFF\xFEI\0S\0A\0", "UTF-16"),
            (b"GS*HC*A~", "does not start with an ISA interchange header (it starts with 'GS*HC*A~')"),
            (b"ISA*00*", "ends after 7 of the 106"),
        ];
        for (input, expected) in cases {
            let message = lex(input).unwrap_err();
            assert!(message.contains(expected), "{message}");
        }
        let message = lex(format!("{ISA}GS*A~\nNd4*X~").as_bytes()).unwrap_err();
        assert!(message.starts_with("segment 3 (byte 112): 'Nd4*X' is not a segment identifier"), "{message}");
    }

    #[test]
    fn scan_agrees_with_a_plain_split_at_every_length() {
        let mut expected = Vec::new();
        let mut found = Vec::new();
        for len in 0..40 {
            // Separators at every position modulo 3, so every offset in a word is tried.
            let segment: Vec<u8> = (0..len).map(|i| if i % 3 == 1 { b'*' } else { b'A' + (i % 26) as u8 }).collect();
            split(&segment, b'*', &mut expected);
            let mut data = segment.clone();
            data.extend_from_slice(b"~B*C*D~");
            assert_eq!(scan(&data, b'~', b'*', &mut found), Some(len), "length {len}");
            assert_eq!(found, expected, "length {len}");
            assert_eq!(scan(&segment, b'~', b'*', &mut found), None, "length {len} without a terminator");
        }
    }

    #[test]
    fn scan_matches_bytes_exactly() {
        // Bytes one bit away from the separators, and high bytes, must not match.
        let data = b"\x2B\x28\xAA*\xFE\x7F\x7C\xAA\xFE~";
        let mut bounds = Vec::new();
        assert_eq!(scan(data, b'~', b'*', &mut bounds), Some(9));
        assert_eq!(bounds, [(0, 3), (4, 9)]);
    }

    #[test]
    fn refuses_a_segment_that_never_ends() {
        let text = format!("{ISA}GS*{}", "A".repeat(MAX_SEGMENT + 10));
        assert!(lex(text.as_bytes()).unwrap_err().contains("more than 1048576 bytes without a '~'"));
    }

    #[test]
    fn reads_in_small_pieces() {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(out.len()).min(3);
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let text = format!("{ISA}GS*HP*A~ST*835*1~");
        let mut lexer = Lexer::new(Trickle(text.as_bytes()));
        let mut ids = Vec::new();
        while let Some(seg) = lexer.next_segment().unwrap() {
            ids.push(seg.id().to_string());
        }
        assert_eq!(ids, ["ISA", "GS", "ST"]);
    }
}
