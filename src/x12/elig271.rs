//! The 271 eligibility response (005010X279A1): is the patient covered, by which plan, and
//! what deductible, co-insurance and limits apply (EB segments), or why the payer could not
//! answer (AAA).
//!
//! Layout: hierarchical levels (HL03) 20 information source (the payer, NM1*PR) → 21
//! information receiver (us, NM1*1P) → 22 subscriber → 23 dependent. Each person has a name
//! (NM1), trace numbers (TRN), demographics (DMG), dates (DTP: 346 plan begin, 291 plan,
//! 307 eligibility …) and benefits (EB, loop 2110) with their own dates, messages (MSG) and
//! rejections. LS…LE wraps a benefit's related entity (loop 2120), which is skipped.

use super::code::Code;
use super::error::{ErrorKind, Position, X12Error};
use super::input::IntoInput;
use super::segment::Segment;
use super::transaction::{keep, read_sets, unexpected, Parsed, SetParser};
use super::value::{self, fill, Period};
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// AAA: the payer could not answer, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Where the AAA is.
    pub at: Position,
    /// AAA03: the reason (`42` unable to respond now, `72` invalid member id, `75`
    /// subscriber not found, `73` invalid name …).
    pub reason: Code,
    /// AAA04: what to do (`C` correct and resubmit, `N` resubmission not allowed, `R`
    /// resubmit original …).
    pub follow_up: Code,
}

/// A dated fact (DTP): qualifier and the date or range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dated {
    /// DTP01: `291` plan, `346` plan begin, `347` plan end, `307` eligibility, `348` benefit
    /// begin, `349` benefit end …
    pub qualifier: Code,
    /// DTP03.
    pub period: Period,
}

/// One EB segment and what belongs to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Benefit {
    /// Where the EB is.
    pub at: Position,
    /// EB01: eligibility or benefit information (`1` active coverage, `6` inactive, `A`
    /// co-insurance, `B` co-payment, `C` deductible, `G` out-of-pocket, `I` non-covered …).
    pub code: Code,
    /// EB02: coverage level (`IND` individual, `FAM` family …).
    pub coverage_level: Code,
    /// EB03: service types (`12` DME purchase, `18` DME rental, `30` health benefit plan
    /// coverage …), one per repeat.
    pub service_types: Vec<Code>,
    /// EB04: insurance type (`MB` Medicare Part B, `MC` Medicaid …).
    pub insurance_type: Code,
    /// EB05: the plan's description.
    pub plan: String,
    /// EB06: time period (`23` calendar year, `29` remaining, `27` visit …).
    pub time_period: Code,
    /// EB07: a dollar amount (deductible, copay …).
    pub amount: Option<Money>,
    /// EB08: a percentage as a fraction (`0.2` = 20 % co-insurance).
    pub percent: Option<Decimal>,
    /// EB09: what `quantity` counts.
    pub quantity_qualifier: Code,
    /// EB10.
    pub quantity: Option<Decimal>,
    /// EB11: authorization or certification required (`Y`/`N`/`U`).
    pub authorization_required: Code,
    /// EB12: in plan network (`Y`/`N`/`U`/`W` not applicable).
    pub in_network: Code,
    /// EB13 as written, like `HC:E0601`.
    pub procedure: String,
    /// DTPs of the benefit.
    pub dates: Vec<Dated>,
    /// MSG texts.
    pub messages: Vec<String>,
    /// AAAs of the benefit.
    pub rejections: Vec<Rejection>,
}

/// EB01 codes of the X279 guide.
const BENEFIT_CODES: &[&str] = &[
    "1", "2", "3", "4", "5", "6", "7", "8", "A", "B", "C", "CB", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
    "MC", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y",
];

/// Whom a person entry is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// HL03 22.
    #[default]
    Subscriber,
    /// HL03 23.
    Dependent,
}

/// A subscriber or dependent and their benefits (loops 2000C/D).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Where the HL is.
    pub at: Position,
    /// Subscriber or dependent.
    pub relationship: Relationship,
    /// TRN02s: trace numbers (ours from the 270 comes back here).
    pub trace_numbers: Vec<String>,
    /// NM103.
    pub last_name: String,
    /// NM104.
    pub first_name: String,
    /// NM109: member id.
    pub member_id: String,
    /// DMG02.
    pub birth_date: Option<NaiveDate>,
    /// DTPs of the person (loop 2100).
    pub dates: Vec<Dated>,
    /// EB loops.
    pub benefits: Vec<Benefit>,
    /// AAAs at person level (the person could not be found …).
    pub rejections: Vec<Rejection>,
}

/// One 271 transaction set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// Where its ST is.
    pub at: Position,
    /// ST02.
    pub control_number: String,
    /// NM1*PR name (2100A).
    pub payer: String,
    /// NM1*1P name (2100B).
    pub receiver: String,
    /// AAAs at payer or receiver level (the payer's system is down, we are not enrolled …).
    pub rejections: Vec<Rejection>,
    /// Subscribers and dependents.
    pub persons: Vec<Person>,
    /// Everything wrong with this 271.
    pub problems: Vec<X12Error>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    None,
    Source,
    Receiver,
    Person,
}

/// Push parser for 271s.
pub struct Parser {
    out: Eligibility,
    level: Level,
    in_benefit: bool,
    in_related_entity: bool,
}

impl Default for Parser {
    fn default() -> Parser {
        Parser { out: Eligibility::default(), level: Level::None, in_benefit: false, in_related_entity: false }
    }
}

/// Reads every 271 in `source`.
pub fn read<S: IntoInput>(source: S) -> Result<Parsed<Eligibility>, X12Error> {
    read_sets::<Parser, S>(source)
}

fn code(seg: &Segment<'_>, n: usize, problems: &mut Vec<X12Error>) -> Code {
    keep(seg.text(n).and_then(|t| Code::read(seg, n, t)), problems)
}

fn read_aaa(seg: &Segment<'_>, problems: &mut Vec<X12Error>) -> Rejection {
    let valid = keep(value::required(seg, 1, "valid request indicator"), problems);
    if !matches!(valid, "Y" | "N" | "") {
        problems.push(value::invalid(seg, 1, valid, "must be Y or N"));
    }
    let reason = keep(value::required(seg, 3, "reject reason code"), problems);
    Rejection {
        at: seg.position(0),
        reason: keep(Code::read(seg, 3, reason), problems),
        follow_up: code(seg, 4, problems),
    }
}

fn read_dtp(seg: &Segment<'_>, problems: &mut Vec<X12Error>) -> Option<Dated> {
    let qualifier = code(seg, 1, problems);
    keep(value::period(seg, 2, 3).map(|period| Some(Dated { qualifier, period })), problems)
}

fn read_eb(seg: &Segment<'_>, problems: &mut Vec<X12Error>) -> Benefit {
    let mut b = Benefit { at: seg.position(0), ..Benefit::default() };
    let eb01 = keep(value::required(seg, 1, "eligibility or benefit information code"), problems);
    if !eb01.is_empty() && !BENEFIT_CODES.contains(&eb01) {
        problems.push(value::invalid(seg, 1, eb01, "is not an eligibility or benefit information code"));
    }
    b.code = keep(Code::read(seg, 1, eb01), problems);
    b.coverage_level = code(seg, 2, problems);
    for repeat in seg.repetitions(3).filter(|r| !r.is_empty()) {
        let text = String::from_utf8_lossy(repeat);
        b.service_types.push(keep(Code::read(seg, 3, text.trim()), problems));
    }
    b.insurance_type = code(seg, 4, problems);
    keep(fill(&mut b.plan, seg, 5), problems);
    b.time_period = code(seg, 6, problems);
    b.amount = keep(value::optional_amount(seg, 7), problems);
    b.percent = keep(value::optional_decimal(seg, 8), problems);
    b.quantity_qualifier = code(seg, 9, problems);
    b.quantity = keep(value::optional_decimal(seg, 10), problems);
    b.authorization_required = code(seg, 11, problems);
    b.in_network = code(seg, 12, problems);
    b.procedure = String::from_utf8_lossy(seg.element(13)).into_owned();
    b
}

impl SetParser for Parser {
    type Output = Eligibility;
    const SET_ID: &'static str = "271";
    const NAME: &'static str = "271 eligibility response";

    fn begin(&mut self, st: &Segment<'_>) {
        *self = Parser::default();
        self.out.at = st.position(0);
        keep(fill(&mut self.out.control_number, st, 2), &mut self.out.problems);
    }

    fn segment(&mut self, seg: &Segment<'_>) {
        let out = &mut self.out;
        let problems = &mut out.problems;
        if self.in_related_entity {
            self.in_related_entity = seg.id() != "LE";
            return;
        }
        if seg.id() == "HL" {
            self.in_benefit = false;
            let code = keep(value::required(seg, 3, "hierarchical level code"), problems);
            self.level = match code {
                "20" => Level::Source,
                "21" => Level::Receiver,
                "22" | "23" => {
                    let relationship = if code == "22" { Relationship::Subscriber } else { Relationship::Dependent };
                    out.persons.push(Person { at: seg.position(0), relationship, ..Person::default() });
                    Level::Person
                }
                other => {
                    if !other.is_empty() {
                        problems.push(value::invalid(seg, 3, other, "is not a 271 level (20, 21, 22 or 23)"));
                    }
                    Level::None
                }
            };
            return;
        }
        let person = if self.level == Level::Person { out.persons.last_mut() } else { None };
        match (seg.id(), person) {
            ("BHT", _) if self.level == Level::None => {}
            (_, _) if self.level == Level::None => {
                problems.push(unexpected(seg, "a 271 starts with BHT and then HL levels"))
            }
            ("NM1", None) => {
                let name = keep(seg.text(3), problems).to_string();
                match self.level {
                    Level::Source => out.payer = name,
                    Level::Receiver => out.receiver = name,
                    _ => {}
                }
            }
            ("AAA", None) => out.rejections.push(read_aaa(seg, problems)),
            ("NM1", Some(p)) if !self.in_benefit => {
                keep(fill(&mut p.last_name, seg, 3), problems);
                keep(fill(&mut p.first_name, seg, 4), problems);
                keep(fill(&mut p.member_id, seg, 9), problems);
            }
            ("TRN", Some(p)) => {
                p.trace_numbers.push(keep(value::required(seg, 2, "trace number"), problems).to_string())
            }
            ("DMG", Some(p)) => p.birth_date = keep(value::optional_date(seg, 2), problems),
            ("EB", Some(p)) => {
                self.in_benefit = true;
                p.benefits.push(read_eb(seg, problems));
            }
            ("LS", Some(_)) => self.in_related_entity = true,
            ("DTP", Some(p)) => {
                let dated = read_dtp(seg, problems);
                match (self.in_benefit, p.benefits.last_mut()) {
                    (true, Some(b)) => b.dates.extend(dated),
                    _ => p.dates.extend(dated),
                }
            }
            ("AAA", Some(p)) => {
                let rejection = read_aaa(seg, problems);
                match (self.in_benefit, p.benefits.last_mut()) {
                    (true, Some(b)) => b.rejections.push(rejection),
                    _ => p.rejections.push(rejection),
                }
            }
            ("MSG", Some(p)) => match (self.in_benefit, p.benefits.last_mut()) {
                (true, Some(b)) => b.messages.push(keep(seg.text(1), problems).to_string()),
                _ => problems.push(unexpected(seg, "MSG belongs to an EB benefit")),
            },
            _ => {}
        }
    }

    fn end(&mut self, se: &Segment<'_>) -> Eligibility {
        if self.in_related_entity {
            self.out
                .problems
                .push(se.error(0, ErrorKind::Missing { element: "LE".into(), what: "the end of the LS loop".into() }));
        }
        if self.level == Level::None {
            self.out.problems.push(se.error(
                0,
                ErrorKind::Missing { element: "HL".into(), what: "the hierarchical levels of the response".into() },
            ));
        }
        std::mem::take(&mut self.out)
    }
}
