//! Writing X12: segments with the chosen separators, and the ISA/GS/ST … SE/GE/IEA envelope
//! with its counts and control numbers. The 837P writer builds on this; it never formats a
//! separator or counts a segment itself.
//!
//! Rules the writer enforces so every file it makes reads back the same:
//! * trailing empty elements (and trailing empty components of a composite) are left out;
//! * a value holding a separator character is refused, never escaped (X12 has no escape);
//! * SE01 is counted, and SE02/GE02/IEA02 repeat their openers' control numbers;
//! * the ISA is written fixed-width: 106 characters with its terminator.

use super::separators::Separators;
use crate::money::Money;
use chrono::NaiveDateTime;
use std::io::Write;

/// Why a segment or envelope could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A value holds one of the interchange's separators.
    #[error("{element} '{value}' contains the separator '{separator}', which cannot be sent in X12 data")]
    SeparatorInData { element: String, value: String, separator: char },
    /// A value does not fit its fixed-width or limited element.
    #[error("{element} '{value}' is longer than {max} characters")]
    TooLong { element: String, value: String, max: usize },
    /// Envelope calls out of order (an ST outside a GS, an SE without an ST …).
    #[error("envelope out of order: {0}")]
    Order(String),
    /// 5010 needs a repetition separator; the separators given have none.
    #[error("the separators have no repetition separator, which ISA11 of version 00501 requires")]
    NoRepetition,
    /// The output could not be written.
    #[error("could not write the file: {0}")]
    Io(#[from] std::io::Error),
}

/// The ISA fields that vary from file to file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterchangeHeader {
    /// ISA05: qualifier of the sender id (`ZZ` mutually defined, `30` tax id …).
    pub sender_qualifier: String,
    /// ISA06: our submitter id at the clearinghouse.
    pub sender_id: String,
    /// ISA07.
    pub receiver_qualifier: String,
    /// ISA08: the clearinghouse or payer id.
    pub receiver_id: String,
    /// ISA09/ISA10: when the interchange was made.
    pub created: NaiveDateTime,
    /// ISA13: unique per submitter; written as 9 digits.
    pub control_number: u32,
    /// ISA14: ask for a TA1.
    pub acknowledgment_requested: bool,
    /// ISA15: `P` production, else `T` test.
    pub production: bool,
}

/// The GS fields that vary from file to file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupHeader {
    /// GS01: functional id (`HC` for 837).
    pub functional_id: String,
    /// GS02: application sender code.
    pub sender_code: String,
    /// GS03: application receiver code.
    pub receiver_code: String,
    /// GS04/GS05.
    pub created: NaiveDateTime,
    /// GS06: unique within the interchange.
    pub control_number: u32,
    /// GS08: the implementation guide, like `005010X222A1`.
    pub version: String,
}

#[derive(Debug)]
struct Open {
    control: String,
    count: u64,
}

/// Writes segments and envelopes to `out`.
pub struct Writer<W: Write> {
    out: W,
    separators: Separators,
    line_breaks: bool,
    buf: Vec<u8>,
    interchange: Option<Open>,
    group: Option<Open>,
    set: Option<Open>,
}

impl<W: Write> Writer<W> {
    /// A writer with `separators` (see [`Separators::default`]).
    pub fn new(out: W, separators: Separators) -> Writer<W> {
        Writer {
            out,
            separators,
            line_breaks: false,
            buf: Vec::with_capacity(256),
            interchange: None,
            group: None,
            set: None,
        }
    }

    /// Puts a line break after every segment terminator (easier to read; every reader
    /// accepts it).
    pub fn with_line_breaks(mut self) -> Writer<W> {
        self.line_breaks = true;
        self
    }

    /// Starts a segment; add elements and call [`SegmentBuilder::finish`].
    pub fn segment(&mut self, id: &str) -> SegmentBuilder<'_, W> {
        self.buf.clear();
        self.buf.extend_from_slice(id.as_bytes());
        let kept = self.buf.len();
        SegmentBuilder { writer: self, id_len: kept, count: 0, kept, error: None }
    }

    /// Writes the ISA header and opens an interchange.
    pub fn begin_interchange(&mut self, h: &InterchangeHeader) -> Result<(), WriteError> {
        if self.interchange.is_some() {
            return Err(WriteError::Order("ISA while an interchange is open".into()));
        }
        let repetition = self.separators.repetition.ok_or(WriteError::NoRepetition)?;
        let control = format!("{:09}", h.control_number);
        if control.len() > 9 {
            return Err(WriteError::TooLong { element: "ISA13".into(), value: control, max: 9 });
        }
        let fields: [(&str, String, usize); 16] = [
            ("ISA01", "00".into(), 2),
            ("ISA02", String::new(), 10),
            ("ISA03", "00".into(), 2),
            ("ISA04", String::new(), 10),
            ("ISA05", h.sender_qualifier.clone(), 2),
            ("ISA06", h.sender_id.clone(), 15),
            ("ISA07", h.receiver_qualifier.clone(), 2),
            ("ISA08", h.receiver_id.clone(), 15),
            ("ISA09", h.created.format("%y%m%d").to_string(), 6),
            ("ISA10", h.created.format("%H%M").to_string(), 4),
            ("ISA11", char::from(repetition).to_string(), 1),
            ("ISA12", "00501".into(), 5),
            ("ISA13", control.clone(), 9),
            ("ISA14", if h.acknowledgment_requested { "1" } else { "0" }.into(), 1),
            ("ISA15", if h.production { "P" } else { "T" }.into(), 1),
            ("ISA16", char::from(self.separators.component).to_string(), 1),
        ];
        let mut isa = String::from("ISA");
        for (i, (name, value, width)) in fields.iter().enumerate() {
            if value.chars().count() > *width || !value.is_ascii() {
                return Err(WriteError::TooLong { element: name.to_string(), value: value.clone(), max: *width });
            }
            if i < 10 {
                self.check_value(name, value)?;
            }
            isa.push(char::from(self.separators.element));
            isa.push_str(&format!("{value:<width$}"));
        }
        self.buf.clear();
        self.buf.extend_from_slice(isa.as_bytes());
        self.emit()?;
        self.interchange = Some(Open { control, count: 0 });
        Ok(())
    }

    /// Writes a GS and opens a functional group.
    pub fn begin_group(&mut self, h: &GroupHeader) -> Result<(), WriteError> {
        let Some(interchange) = self.interchange.as_mut() else {
            return Err(WriteError::Order("GS outside an interchange".into()));
        };
        if self.group.is_some() {
            return Err(WriteError::Order("GS while a functional group is open".into()));
        }
        interchange.count += 1;
        let control = h.control_number.to_string();
        self.segment("GS")
            .element(&h.functional_id)
            .element(&h.sender_code)
            .element(&h.receiver_code)
            .element(&h.created.format("%Y%m%d").to_string())
            .element(&h.created.format("%H%M").to_string())
            .element(&control)
            .element("X")
            .element(&h.version)
            .finish()?;
        self.group = Some(Open { control, count: 0 });
        Ok(())
    }

    /// Writes an ST and opens a transaction set; `convention` is ST03 (the guide).
    pub fn begin_set(&mut self, set_id: &str, control_number: &str, convention: &str) -> Result<(), WriteError> {
        let Some(group) = self.group.as_mut() else {
            return Err(WriteError::Order("ST outside a functional group".into()));
        };
        if self.set.is_some() {
            return Err(WriteError::Order("ST while a transaction set is open".into()));
        }
        group.count += 1;
        self.set = Some(Open { control: control_number.to_string(), count: 0 });
        self.segment("ST").element(set_id).element(control_number).element(convention).finish()
    }

    /// Writes the SE with the segment count and control number.
    pub fn end_set(&mut self) -> Result<(), WriteError> {
        let Some(set) = self.set.as_ref() else {
            return Err(WriteError::Order("SE without an open transaction set".into()));
        };
        let (count, control) = ((set.count + 1).to_string(), set.control.clone());
        self.segment("SE").element(&count).element(&control).finish()?;
        self.set = None;
        Ok(())
    }

    /// Writes the GE with the number of transaction sets and the control number.
    pub fn end_group(&mut self) -> Result<(), WriteError> {
        if self.set.is_some() {
            return Err(WriteError::Order("GE while a transaction set is open".into()));
        }
        let Some(group) = self.group.take() else {
            return Err(WriteError::Order("GE without an open functional group".into()));
        };
        self.segment("GE").element(&group.count.to_string()).element(&group.control).finish()
    }

    /// Writes the IEA with the number of groups and the control number.
    pub fn end_interchange(&mut self) -> Result<(), WriteError> {
        if self.group.is_some() {
            return Err(WriteError::Order("IEA while a functional group is open".into()));
        }
        let Some(interchange) = self.interchange.take() else {
            return Err(WriteError::Order("IEA without an open interchange".into()));
        };
        self.segment("IEA").element(&interchange.count.to_string()).element(&interchange.control).finish()?;
        self.out.flush()?;
        Ok(())
    }

    /// The output, once everything is written.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn check_value(&self, element: &str, value: &str) -> Result<(), WriteError> {
        match self.separator_in(value) {
            Some(b) => Err(separator_in_data(element.to_string(), value, b)),
            None => Ok(()),
        }
    }

    /// The first separator character in `value`, if any.
    fn separator_in(&self, value: &str) -> Option<u8> {
        let s = self.separators;
        value.bytes().find(|&b| b == s.element || b == s.component || b == s.segment || Some(b) == s.repetition)
    }

    fn emit(&mut self) -> Result<(), WriteError> {
        self.buf.push(self.separators.segment);
        if self.line_breaks {
            self.buf.push(b'\n');
        }
        self.out.write_all(&self.buf)?;
        if let Some(set) = self.set.as_mut() {
            set.count += 1;
        }
        Ok(())
    }
}

fn separator_in_data(element: String, value: &str, separator: u8) -> WriteError {
    WriteError::SeparatorInData { element, value: value.to_string(), separator: char::from(separator) }
}

/// One segment being built; nothing is written until [`Self::finish`].
#[must_use = "a segment is only written by finish()"]
pub struct SegmentBuilder<'w, W: Write> {
    writer: &'w mut Writer<W>,
    /// The segment id's length: the id itself starts the writer's buffer.
    id_len: usize,
    count: usize,
    /// Length of the buffer up to the last non-empty element.
    kept: usize,
    error: Option<WriteError>,
}

impl<W: Write> SegmentBuilder<'_, W> {
    /// Adds a simple element (empty for an element left out).
    pub fn element(mut self, value: &str) -> Self {
        self.count += 1;
        self.check(value, None);
        self.push(value.as_bytes());
        self
    }

    /// Leaves out the next `n` elements (the TR3's "not used" positions).
    pub fn skip(mut self, n: usize) -> Self {
        for _ in 0..n {
            self = self.element("");
        }
        self
    }

    /// Adds an amount in the X12 form (`125.5`, `-3.05`).
    pub fn amount(self, value: Money) -> Self {
        self.element(&value.x12())
    }

    /// Adds a composite element from its components, leaving out trailing empty ones.
    pub fn composite(mut self, components: &[&str]) -> Self {
        self.count += 1;
        let used = components.iter().rposition(|c| !c.is_empty()).map_or(0, |p| p + 1);
        for (i, part) in components[..used].iter().enumerate() {
            self.check(part, Some(i + 1));
        }
        let component = self.writer.separators.component;
        self.push_joined(&components[..used], component);
        self
    }

    /// Adds a repeating element from its repeats.
    pub fn repeated(mut self, values: &[&str]) -> Self {
        self.count += 1;
        let Some(rep) = self.writer.separators.repetition else {
            self.error.get_or_insert(WriteError::NoRepetition);
            return self;
        };
        for value in values {
            self.check(value, None);
        }
        self.push_joined(values, rep);
        self
    }

    /// Writes the segment without its trailing empty elements.
    pub fn finish(self) -> Result<(), WriteError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.writer.buf.truncate(self.kept);
        self.writer.emit()
    }

    /// Records the first value holding a separator; the element's name (like `NM103` or
    /// `SV101-2`) is only spelled out then, since a batch writes millions of clean ones.
    fn check(&mut self, value: &str, component: Option<usize>) {
        if self.error.is_some() {
            return;
        }
        if let Some(b) = self.writer.separator_in(value) {
            let id = String::from_utf8_lossy(&self.writer.buf[..self.id_len]);
            let name = match component {
                Some(n) => format!("{id}{:02}-{n}", self.count),
                None => format!("{id}{:02}", self.count),
            };
            self.error = Some(separator_in_data(name, value, b));
        }
    }

    fn push(&mut self, value: &[u8]) {
        let buf = &mut self.writer.buf;
        buf.push(self.writer.separators.element);
        buf.extend_from_slice(value);
        if !value.is_empty() {
            self.kept = buf.len();
        }
    }

    /// Pushes `parts` as one element, joined by `separator`.
    fn push_joined(&mut self, parts: &[&str], separator: u8) {
        let buf = &mut self.writer.buf;
        buf.push(self.writer.separators.element);
        let start = buf.len();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                buf.push(separator);
            }
            buf.extend_from_slice(part.as_bytes());
        }
        if buf.len() > start {
            self.kept = buf.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x12::envelope::Reader;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2024, 3, 5).unwrap().and_hms_opt(9, 7, 0).unwrap()
    }

    fn interchange(control_number: u32) -> InterchangeHeader {
        InterchangeHeader {
            sender_qualifier: "ZZ".into(),
            sender_id: "HMEDESK".into(),
            receiver_qualifier: "ZZ".into(),
            receiver_id: "CLEARINGHOUSE".into(),
            created: at(),
            control_number,
            acknowledgment_requested: true,
            production: false,
        }
    }

    fn group() -> GroupHeader {
        GroupHeader {
            functional_id: "HC".into(),
            sender_code: "HMEDESK".into(),
            receiver_code: "CH".into(),
            created: at(),
            control_number: 7,
            version: "005010X222A1".into(),
        }
    }

    #[test]
    fn trims_trailing_empties_and_formats_amounts() {
        let mut w = Writer::new(Vec::new(), Separators::default());
        w.segment("SV1")
            .composite(&["HC", "E0601", "RR", "KX", "", ""])
            .amount(Money::from_cents(12550))
            .element("UN")
            .element("1")
            .element("")
            .element("")
            .finish()
            .unwrap();
        w.segment("NM1").element("IL").element("").element("").finish().unwrap();
        assert_eq!(String::from_utf8(w.into_inner()).unwrap(), "SV1*HC:E0601:RR:KX*125.5*UN*1~NM1*IL~");
    }

    #[test]
    fn refuses_separators_in_data_and_envelopes_out_of_order() {
        let mut w = Writer::new(Vec::new(), Separators::default());
        let e = w.segment("NM1").element("IL").element("O*BRIEN").finish().unwrap_err();
        assert_eq!(e.to_string(), "NM102 'O*BRIEN' contains the separator '*', which cannot be sent in X12 data");
        assert!(matches!(w.begin_set("837", "0001", "005010X222A1"), Err(WriteError::Order(_))));
        assert!(matches!(w.end_interchange(), Err(WriteError::Order(_))));
        let long = InterchangeHeader { sender_id: "A".repeat(16), ..interchange(1) };
        assert!(matches!(w.begin_interchange(&long), Err(WriteError::TooLong { .. })));
    }

    /// write → read → equal: every element comes back as written, and the envelope the
    /// writer counted passes the reader's envelope checks.
    #[test]
    fn round_trip() {
        let mut w = Writer::new(Vec::new(), Separators::default()).with_line_breaks();
        w.begin_interchange(&interchange(42)).unwrap();
        w.begin_group(&group()).unwrap();
        let body: Vec<Vec<&str>> = vec![
            vec!["BHT", "0019", "00", "B1", "20240305", "0907", "CH"],
            vec!["NM1", "41", "2", "HME DESK SUPPLY", "", "", "", "", "46", "12345"],
        ];
        for set in ["0001", "0002"] {
            w.begin_set("837", set, "005010X222A1").unwrap();
            for seg in &body {
                seg[1..].iter().fold(w.segment(seg[0]), |b, e| b.element(e)).finish().unwrap();
            }
            w.segment("SV1").composite(&["HC", "E0601", "RR"]).element("125").finish().unwrap();
            w.segment("EB").element("1").element("").repeated(&["12", "18"]).finish().unwrap();
            w.end_set().unwrap();
        }
        w.end_group().unwrap();
        w.end_interchange().unwrap();
        let bytes = w.into_inner();
        assert_eq!(bytes.iter().position(|&b| b == b'~'), Some(105), "ISA is fixed-width");

        let mut reader = Reader::new(bytes.as_slice());
        let mut read: Vec<Vec<String>> = Vec::new();
        while let Some(item) = reader.next_item().unwrap() {
            let seg = item.segment;
            read.push((0..=seg.len()).map(|n| String::from_utf8_lossy(seg.element(n)).into_owned()).collect());
        }
        assert!(reader.problems().is_empty(), "{:?}", reader.problems());
        let ids: Vec<&str> = read.iter().map(|s| s[0].as_str()).collect();
        assert_eq!(
            ids,
            ["ISA", "GS", "ST", "BHT", "NM1", "SV1", "EB", "SE", "ST", "BHT", "NM1", "SV1", "EB", "SE", "GE", "IEA"]
        );
        assert_eq!(read[3], body[0]);
        assert_eq!(read[4], body[1]);
        assert_eq!(read[5], ["SV1", "HC:E0601:RR", "125"]);
        assert_eq!(read[6], ["EB", "1", "", "12^18"]);
        assert_eq!(read[7], ["SE", "6", "0001"]);
        assert_eq!(read[15], ["IEA", "1", "000000042"]);
        assert_eq!(read[0][6], "HMEDESK        ");
    }
}
