//! The segment lexer: turns bytes into [`Segment`]s. Over a slice it lexes in place; over
//! a stream it works through the fixed buffer of [`Streamed`], so a 2 GB remittance needs no
//! more memory than a 2 KB one.
//!
//! An explicit state machine in the manner of `csv-core`:
//!
//! * **Start** — skip a UTF-8 byte-order mark; refuse UTF-16 (every other byte NUL).
//! * **Between** — skip spaces, tabs, CR and LF (line breaks and indentation after
//!   terminators); at the end of input, stop.
//! * **Header** — a segment starting `ISA` is read as the fixed 106-byte header, which
//!   (re)defines the separators; several interchanges may follow one another, each with its
//!   own.
//! * **Segment** — one pass over the bytes, a block at a time ([`block::scan`]), finds the
//!   terminator and the element separators before it together, filling a reusable table of
//!   element bounds, and notes whether the segment is all ASCII.
//!
//! A segment longer than [`MAX_SEGMENT`] is an error (almost always a wrong terminator).

use super::block::{self, Blocks, Found};
use super::error::{ErrorKind, Position, X12Error};
use super::input::{Input, IntoInput, MAX_SEGMENT};
use super::segment::{Segment, Tag};
use super::separators::{shown, Separators, ISA_LEN};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How far ahead of the segment being lexed the input is touched, and how much at a time;
/// see [`Lexer::touch_ahead`].
const AHEAD: usize = 16 * 1024;
const TOUCH: usize = 4 * 1024;
/// A cache line: touching one byte of each brings the whole line in.
const LINE: usize = 64;

/// Reads segments one at a time from a slice or a stream.
pub struct Lexer<I> {
    input: I,
    /// `input.held()[start..]` holds bytes not yet lexed.
    start: usize,
    /// Offset in the file of `input.held()[0]`.
    base: u64,
    eof: bool,
    started: bool,
    separators: Option<Separators>,
    /// Segments handed out so far.
    count: u64,
    bounds: Vec<(u32, u32)>,
    /// The current segment's bytes in `input.held()`, its file offset and its packed id.
    segment: (usize, usize),
    segment_offset: u64,
    tag: Tag,
    /// True when the current segment is all ASCII (see [`Segment::as_text`]).
    ascii: bool,
    /// `input.held()[..touched]` has been touched by [`Self::touch_ahead`].
    touched: usize,
}

impl<I: Input> Lexer<I> {
    /// A lexer over `source`: a byte slice is lexed in place, a file is streamed.
    pub fn new<S: IntoInput<Input = I>>(source: S) -> Lexer<I> {
        Lexer {
            input: source.into_input(),
            start: 0,
            base: 0,
            eof: false,
            started: false,
            separators: None,
            count: 0,
            bounds: Vec::with_capacity(32),
            segment: (0, 0),
            segment_offset: 0,
            tag: Tag::default(),
            ascii: false,
            touched: 0,
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

    /// The packed id of the segment the last successful [`Self::advance`] read.
    #[inline]
    pub fn tag(&self) -> Tag {
        self.tag
    }

    /// The segment the last successful [`Self::advance`] read.
    pub fn current(&self) -> Segment<'_> {
        let data = &self.input.held()[self.segment.0..self.segment.1];
        Segment {
            tag: self.tag,
            data,
            bounds: &self.bounds,
            separators: self.separators.unwrap_or_default(),
            ascii: self.ascii,
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
            let held = &self.input.held()[self.start..];
            let skip = held.iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')).count();
            self.start += skip;
            if skip < held.len() {
                break;
            }
            if !self.fill()? {
                if self.count == 0 {
                    return Err(X12Error::new(self.position(), ErrorKind::Empty));
                }
                return Ok(false);
            }
        }
        while self.unlexed().len() < 3 && self.fill()? {}
        let at = self.position();
        let (seg_start, seg_end, next, ascii) = if self.unlexed().starts_with(b"ISA") {
            while self.unlexed().len() < ISA_LEN && self.fill()? {}
            let unlexed = &self.input.held()[self.start..];
            let header = &unlexed[..unlexed.len().min(ISA_LEN)];
            let seps = Separators::from_isa(header, at)?;
            split(&header[..ISA_LEN - 1], seps.element, &mut self.bounds);
            self.separators = Some(seps);
            (self.start, self.start + ISA_LEN - 1, self.start + ISA_LEN, false)
        } else {
            let Some(seps) = self.separators else {
                let unlexed = self.unlexed();
                let found = String::from_utf8_lossy(&unlexed[..unlexed.len().min(20)]).into_owned();
                return Err(X12Error::new(at, ErrorKind::NoIsa { found }));
            };
            self.find_terminator(seps)?
        };
        let seps = self.separators.unwrap_or_default();
        self.start = next;
        if self.start + AHEAD > self.touched {
            self.touch_ahead();
        }
        self.count += 1;
        let mut seg_end = seg_end;
        let held = self.input.held();
        if seps.segment == b'\n' && seg_end > seg_start && held[seg_end - 1] == b'\r' {
            seg_end -= 1;
            if let Some(last) = self.bounds.last_mut() {
                last.1 = last.1.min((seg_end - seg_start) as u32);
            }
        }
        self.segment = (seg_start, seg_end);
        self.ascii = ascii;
        self.segment_offset = at.byte;
        let data = &held[seg_start..seg_end];
        let id = &data[..self.bounds[0].1 as usize];
        match Tag::from_id(id) {
            Some(tag) => self.tag = tag,
            None => {
                let found = String::from_utf8_lossy(&data[..data.len().min(20)]).into_owned();
                return Err(X12Error::new(Position { segment: self.count, ..at }, ErrorKind::BadSegmentId { found }));
            }
        }
        Ok(true)
    }

    /// Reads one byte of every cache line of the next [`TOUCH`] bytes past `touched`, up to
    /// [`AHEAD`] bytes ahead of the lexer. The loads do not depend on each other, so the
    /// memory system fetches the lines together; lexing them later finds them in cache
    /// instead of waiting for memory one line at a time (the per-segment branches keep the
    /// processor from running that far ahead on its own). On a large in-memory file this
    /// was the single largest cost.
    fn touch_ahead(&mut self) {
        let held = self.input.held();
        let from = self.touched.max(self.start);
        let to = (from + TOUCH).min(held.len());
        for line in held[from..to].chunks(LINE) {
            prefetch(line);
        }
        self.touched = to;
    }

    /// The bytes read but not yet lexed.
    fn unlexed(&self) -> &[u8] {
        &self.input.held()[self.start..]
    }

    /// Start state: skips a UTF-8 byte-order mark and refuses UTF-16.
    fn begin(&mut self) -> Result<(), X12Error> {
        self.started = true;
        while self.unlexed().len() < 4 && self.fill()? {}
        let head = self.unlexed();
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || head.iter().take(4).any(|&b| b == 0) {
            return Err(X12Error::new(self.position(), ErrorKind::Utf16));
        }
        if head.starts_with(UTF8_BOM) {
            self.start += UTF8_BOM.len();
        }
        Ok(())
    }

    /// Finds the end of the segment starting at `self.start` and the bounds of its elements
    /// in one [`block::scan`], reading more as needed (and scanning the segment again from
    /// its start, which happens once per buffer). Returns the segment's bounds, where the
    /// next one starts and whether it is all ASCII. At the end of input an unterminated last
    /// segment (a common slip after the final IEA) is taken as it is. A segment longer than
    /// [`MAX_SEGMENT`] is refused whether the input is a slice or a stream.
    fn find_terminator(&mut self, seps: Separators) -> Result<(usize, usize, usize, bool), X12Error> {
        let blocks = block::Native::new(seps.segment, seps.element);
        let (len, next, ascii) = loop {
            let unlexed = &self.input.held()[self.start..];
            if let Some(Found { end, ascii }) =
                block::scan(blocks, unlexed, seps.segment, seps.element, &mut self.bounds)
            {
                break (end, end + 1, ascii);
            }
            if !self.fill()? {
                let data = &self.input.held()[self.start..];
                let trimmed = data.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
                split(&data[..trimmed], seps.element, &mut self.bounds);
                break (trimmed, data.len(), false);
            }
            if self.unlexed().len() > MAX_SEGMENT {
                break (self.unlexed().len(), 0, false);
            }
        };
        if len > MAX_SEGMENT {
            return Err(X12Error::new(
                self.position(),
                ErrorKind::SegmentTooLong { limit: MAX_SEGMENT, terminator: shown(seps.segment) },
            ));
        }
        Ok((self.start, self.start + len, self.start + next, ascii))
    }

    /// Reads more input after the unlexed bytes (letting the input drop the lexed ones).
    /// False at the end of input.
    fn fill(&mut self) -> Result<bool, X12Error> {
        if self.eof {
            return Ok(false);
        }
        let refilled = self
            .input
            .refill(self.start)
            .map_err(|e| X12Error::new(self.position(), ErrorKind::Io { message: e.to_string() }))?;
        self.start -= refilled.dropped;
        self.touched = self.touched.saturating_sub(refilled.dropped);
        self.base += refilled.dropped as u64;
        self.eof = !refilled.more;
        Ok(refilled.more)
    }
}

/// Asks the processor to start bringing `bytes`' cache line in, without waiting for it.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn prefetch(bytes: &[u8]) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    // SAFETY: a prefetch is a hint with no architectural effect; it never faults, and the
    // pointer is into a live slice anyway.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(bytes.as_ptr().cast()) }
}

/// Elsewhere, loading the line's first byte brings it in (the loads of one call do not
/// depend on each other, so they are fetched together).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn prefetch(bytes: &[u8]) {
    std::hint::black_box(bytes.first());
}

/// Splits `data` on `element` into `bounds` (index 0 = the segment id): for the ISA header
/// and an unterminated last segment, which [`block::scan`] does not see.
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
    use crate::x12::input::Streamed;
    use std::io::Read;

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
    fn text_is_checked_only_where_a_byte_is_not_ascii() {
        let text = format!("{ISA}NM1*QC*1*PEÑA*ANA~NM1*QC*1*O'NEIL*ANN~NM1*QC*1*\u{1}~");
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"NM1*QC*1*\xFF\xFE*ANA~");
        let mut lexer = Lexer::new(bytes.as_slice());
        lexer.next_segment().unwrap();
        let names: Vec<_> = (0..4)
            .map(|_| {
                let seg = lexer.next_segment().unwrap().unwrap();
                (
                    seg.ascii,
                    seg.text(3).map(str::to_string).map_err(|e| e.to_string()),
                    seg.text(4).unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(names[0], (false, Ok("PEÑA".into()), "ANA".into()));
        assert_eq!(names[1], (true, Ok("O'NEIL".into()), "ANN".into()));
        assert_eq!(names[2], (true, Ok("\u{1}".into()), String::new()));
        assert!(!names[3].0);
        assert!(names[3].1.as_ref().unwrap_err().contains("NM103"), "{:?}", names[3].1);
        assert_eq!(names[3].2, "ANA");
    }

    #[test]
    fn refuses_a_segment_that_never_ends() {
        let text = format!("{ISA}GS*{}", "A".repeat(MAX_SEGMENT + 10));
        assert!(lex(text.as_bytes()).unwrap_err().contains("more than 1048576 bytes without a '~'"));
        let mut streamed = Lexer::new(Streamed::new(text.as_bytes()));
        streamed.next_segment().unwrap();
        let message = streamed.next_segment().unwrap_err().to_string();
        assert!(message.contains("more than 1048576 bytes without a '~'"), "{message}");
    }

    #[test]
    fn a_stream_and_a_slice_give_the_same_segments_and_places() {
        // Longer than the stream's buffer, so it is refilled mid-segment.
        let body: String = (0..20_000).map(|i| format!("REF*6R*LINE{i}~\n")).collect();
        let text = format!("{ISA}{body}IEA*1*1");
        let mut slice = Lexer::new(text.as_bytes());
        let mut stream = Lexer::new(Streamed::new(text.as_bytes()));
        while let Some(a) = slice.next_segment().unwrap() {
            let (raw, at) = (a.raw().to_vec(), a.position(1));
            let b = stream.next_segment().unwrap().unwrap();
            assert_eq!((b.raw(), b.position(1)), (raw.as_slice(), at));
        }
        assert!(stream.next_segment().unwrap().is_none());
        assert_eq!(stream.position(), slice.position());
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
        let mut lexer = Lexer::new(Streamed::new(Trickle(text.as_bytes())));
        let mut ids = Vec::new();
        while let Some(seg) = lexer.next_segment().unwrap() {
            ids.push(seg.id().to_string());
        }
        assert_eq!(ids, ["ISA", "GS", "ST"]);
    }
}
