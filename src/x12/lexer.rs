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
//! * **Segment** — `memchr` finds the terminator; the bytes before it are split on the
//!   element separator (again with `memchr`) into a reusable table of element bounds.
//!
//! The buffer starts at [`BUFFER`] bytes and only grows when one segment is longer than
//! that, up to [`MAX_SEGMENT`]; a longer one is an error (almost always a wrong terminator).

use super::error::{ErrorKind, Position, X12Error};
use super::segment::Segment;
use super::separators::{shown, Separators, ISA_LEN};
use std::io::{ErrorKind as IoKind, Read};

/// Bytes read from the source at a time.
pub const BUFFER: usize = 64 * 1024;

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
            self.separators = Some(Separators::from_isa(header, at)?);
            (self.start, self.start + ISA_LEN - 1, self.start + ISA_LEN)
        } else {
            let Some(seps) = self.separators else {
                let shown_len = (self.end - self.start).min(20);
                let found = String::from_utf8_lossy(&self.buf[self.start..self.start + shown_len]).into_owned();
                return Err(X12Error::new(at, ErrorKind::NoIsa { found }));
            };
            self.find_terminator(seps.segment)?
        };
        let seps = self.separators.unwrap_or_default();
        self.start = next;
        self.count += 1;
        let mut seg_end = seg_end;
        if seps.segment == b'\n' && seg_end > seg_start && self.buf[seg_end - 1] == b'\r' {
            seg_end -= 1;
        }
        self.segment = (seg_start, seg_end);
        self.segment_offset = at.byte;
        let data = &self.buf[seg_start..seg_end];
        split(data, seps.element, &mut self.bounds);
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

    /// Finds the end of the segment starting at `self.start` with `memchr`, reading more
    /// as needed. Returns the segment's bounds and where the next one starts. At the end of
    /// input an unterminated last segment (a common slip after the final IEA) is taken as
    /// it is.
    fn find_terminator(&mut self, terminator: u8) -> Result<(usize, usize, usize), X12Error> {
        let mut searched = 0;
        loop {
            let from = self.start + searched;
            if let Some(p) = memchr::memchr(terminator, &self.buf[from..self.end]) {
                return Ok((self.start, from + p, from + p + 1));
            }
            searched = self.end - self.start;
            if !self.fill()? {
                let trimmed =
                    self.buf[self.start..self.end].iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
                return Ok((self.start, self.start + trimmed, self.end));
            }
            if self.end - self.start > MAX_SEGMENT {
                return Err(X12Error::new(
                    self.position(),
                    ErrorKind::SegmentTooLong { limit: MAX_SEGMENT, terminator: shown(terminator) },
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

/// Splits `data` on `element` into `bounds` (index 0 = the segment id). A plain loop: for
/// segments of a few dozen bytes it is as fast as a vectorised search, which pays its
/// set-up cost per segment.
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
