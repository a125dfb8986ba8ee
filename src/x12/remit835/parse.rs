//! The 835 push parser: fed the segments of one transaction set in order, it fills a
//! [`Payment`], one [`Claim`] at a time and a [`Settlement`], and says when each is ready.
//!
//! Records are reused from claim to claim (strings and vectors are cleared, not dropped; a
//! claim's service lines are overwritten in place by the next claim read into the same
//! record, and lines it does not need wait in a pool), so reading a large file does not
//! allocate per claim once it is under way.

use super::balance;
use super::{
    Adjustment, AdjustmentGroup, Claim, ClaimStatus, Party, Payment, Procedure, ProviderAdjustment, ServiceLine,
    Settlement,
};
use crate::money::Money;
use crate::x12::code::Code;
use crate::x12::error::{ErrorKind, X12Error};
use crate::x12::segment::{Segment, Tag};
use crate::x12::transaction::{keep, unexpected};
use crate::x12::value::{self, fill};

/// What became ready after a segment; the reader hands them out in this order.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ready {
    pub payment: bool,
    pub claim: bool,
    pub settlement: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// BPR, TRN, DTM, N1 loops.
    Header,
    /// LX, TS3/TS2, CLP loops.
    Claims,
    /// PLB.
    Trailer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartyKind {
    Payer,
    Payee,
    Other,
}

/// State of one 835 transaction set being read.
pub struct Remit835 {
    pub payment: Payment,
    pub settlement: Settlement,
    /// Two claim records used in turn: one being built, the other the last one finished
    /// (handed out when `Ready::claim` is set). Turning an index saves moving whole claims.
    claims: [Claim; 2],
    building: usize,
    claim_open: bool,
    /// How many of the building claim's `lines` belong to it; the rest are left from the last
    /// claim read into that record, to be overwritten rather than dropped and reallocated.
    lines_read: usize,
    in_line: bool,
    phase: Phase,
    party: PartyKind,
    seen: Seen,
    /// Lines a shorter claim left over, for the next longer one.
    spare_lines: Vec<ServiceLine>,
}

/// Header segments the TR3 requires.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    bpr: bool,
    trn: bool,
    payer: bool,
    payee: bool,
}

impl Default for Remit835 {
    fn default() -> Remit835 {
        Remit835 {
            payment: Payment::default(),
            settlement: Settlement::default(),
            claims: [Claim::default(), Claim::default()],
            building: 0,
            claim_open: false,
            lines_read: 0,
            in_line: false,
            phase: Phase::Header,
            party: PartyKind::Other,
            seen: Seen::default(),
            spare_lines: Vec::new(),
        }
    }
}

impl Remit835 {
    /// The last finished claim.
    pub fn done(&self) -> &Claim {
        &self.claims[1 - self.building]
    }

    /// The last finished claim, to take its problems.
    pub fn done_mut(&mut self) -> &mut Claim {
        &mut self.claims[1 - self.building]
    }

    /// Starts a new transaction set at its ST segment.
    pub fn begin(&mut self, st: &Segment<'_>) {
        self.payment = Payment { at: st.position(0), ..Payment::default() };
        if let Err(e) = fill(&mut self.payment.control_number, st, 2) {
            self.payment.problems.push(e);
        }
        self.settlement = Settlement::default();
        self.claim_open = false;
        self.in_line = false;
        self.phase = Phase::Header;
        self.party = PartyKind::Other;
        self.seen = Seen::default();
    }

    /// Reads one segment of the body (between ST and SE).
    pub fn segment(&mut self, seg: &Segment<'_>) -> Ready {
        let mut ready = Ready::default();
        let tag = seg.tag();
        if self.phase == Phase::Header && matches!(tag, Tag::LX | Tag::TS3 | Tag::TS2 | Tag::CLP | Tag::PLB) {
            ready.payment = self.finish_header(seg);
            self.phase = Phase::Claims;
        }
        match (self.phase, tag) {
            (Phase::Header, Tag::BPR) => self.bpr(seg),
            (Phase::Header, Tag::TRN) => self.trn(seg),
            (Phase::Header, Tag::DTM) => {
                if seg.element(1) == b"405" {
                    let problems = &mut self.payment.problems;
                    self.payment.production_date = keep(value::date(seg, 2, "production date").map(Some), problems);
                }
            }
            (Phase::Header, Tag::N1) => self.n1(seg),
            (Phase::Header, Tag::CUR | Tag::REF | Tag::N2 | Tag::N3 | Tag::N4 | Tag::PER | Tag::RDM) => {}
            (Phase::Claims, Tag::LX | Tag::TS3 | Tag::TS2) => ready.claim = self.finish_claim(),
            (Phase::Claims, Tag::CLP) => {
                ready.claim = self.finish_claim();
                self.clp(seg);
            }
            (Phase::Claims | Phase::Trailer, Tag::PLB) => {
                ready.claim = self.finish_claim();
                self.phase = Phase::Trailer;
                self.plb(seg);
            }
            (Phase::Claims, _) if self.claim_open => self.claim_segment(seg),
            (phase, _) => {
                let why = match phase {
                    Phase::Header => {
                        "the payment header (before the first claim) holds only BPR, TRN, CUR, REF, DTM and N1 loops"
                    }
                    Phase::Claims => "only LX, TS3, TS2 and CLP may come between claims",
                    Phase::Trailer => "only PLB segments may follow the provider adjustments",
                };
                self.settlement.problems.push(unexpected(seg, why));
            }
        }
        ready
    }

    /// Ends the transaction set at its SE segment: finishes the last claim and checks the
    /// payment balance.
    pub fn end(&mut self, se: &Segment<'_>) -> Ready {
        let mut ready = Ready::default();
        if self.phase == Phase::Header {
            ready.payment = self.finish_header(se);
        }
        ready.claim = self.finish_claim();
        self.settlement.at = se.position(0);
        balance::check_payment(&self.payment, &mut self.settlement);
        ready.settlement = true;
        ready
    }

    fn finish_header(&mut self, seg: &Segment<'_>) -> bool {
        for (seen, what) in [
            (self.seen.bpr, "BPR (the payment amount and method)"),
            (self.seen.trn, "TRN (the check or EFT trace number)"),
            (self.seen.payer, "N1*PR (the payer)"),
            (self.seen.payee, "N1*PE (the payee)"),
        ] {
            if !seen {
                self.payment.problems.push(seg.error(
                    0,
                    ErrorKind::Missing { element: what.to_string(), what: "required before the first claim".into() },
                ));
            }
        }
        true
    }

    fn bpr(&mut self, seg: &Segment<'_>) {
        self.seen.bpr = true;
        let p = &mut self.payment;
        let problems = &mut p.problems;
        keep(fill(&mut p.handling, seg, 1), problems);
        if p.handling.is_empty() {
            problems.push(
                seg.error(1, ErrorKind::Missing { element: "BPR01".into(), what: "transaction handling code".into() }),
            );
        }
        p.total = keep(value::amount(seg, 2, "total payment"), problems);
        p.total_at = seg.position(2);
        keep(fill(&mut p.credit_debit, seg, 3), problems);
        if !matches!(p.credit_debit.as_str(), "C" | "D") {
            problems.push(value::invalid(seg, 3, &p.credit_debit, "must be C (credit) or D (debit)"));
        }
        keep(fill(&mut p.method, seg, 4), problems);
        p.date = keep(value::optional_date(seg, 16), problems);
    }

    fn trn(&mut self, seg: &Segment<'_>) {
        self.seen.trn = true;
        let p = &mut self.payment;
        let problems = &mut p.problems;
        p.trace_number = keep(value::required(seg, 2, "check or EFT trace number"), problems).to_string();
        keep(fill(&mut p.trace_originator, seg, 3), problems);
    }

    fn n1(&mut self, seg: &Segment<'_>) {
        self.party = match seg.element(1) {
            b"PR" => PartyKind::Payer,
            b"PE" => PartyKind::Payee,
            _ => PartyKind::Other,
        };
        let party: &mut Party = match self.party {
            PartyKind::Payer => {
                self.seen.payer = true;
                &mut self.payment.payer
            }
            PartyKind::Payee => {
                self.seen.payee = true;
                &mut self.payment.payee
            }
            PartyKind::Other => return,
        };
        let problems = &mut self.payment.problems;
        party.name = keep(value::required(seg, 2, "name"), problems).to_string();
        keep(fill(&mut party.id_qualifier, seg, 3), problems);
        keep(fill(&mut party.id, seg, 4), problems);
    }

    fn clp(&mut self, seg: &Segment<'_>) {
        self.claim_open = true;
        self.in_line = false;
        self.lines_read = 0;
        let c = &mut self.claims[self.building];
        c.at = seg.position(0);
        c.problems.clear();
        c.adjustments.clear();
        c.remarks.clear();
        c.patient.last_name.clear();
        c.patient.first_name.clear();
        c.patient.member_id.clear();
        let problems = &mut c.problems;
        c.patient_control_number.clear();
        c.patient_control_number.push_str(keep(value::required(seg, 1, "patient control number"), problems));
        c.status = ClaimStatus::from_bytes(seg.trimmed(2));
        if c.status.is_none() {
            let status = keep(value::required(seg, 2, "claim status"), problems);
            if !status.is_empty() {
                problems.push(value::invalid(seg, 2, status, "is not a claim status code (1, 2, 3, 4, 19–23 or 25)"));
            }
        }
        c.charge = keep(value::amount(seg, 3, "total claim charge"), problems);
        c.paid = keep(value::amount(seg, 4, "claim payment amount"), problems);
        c.paid_at = seg.position(4);
        c.patient_responsibility = keep(value::optional_amount(seg, 5), problems);
        c.filing_indicator = keep(Code::read_bytes(seg, 6, seg.trimmed(6)), problems);
        keep(fill(&mut c.payer_claim_number, seg, 7), problems);
    }

    /// A segment inside an open claim (loop 2100 or 2110).
    fn claim_segment(&mut self, seg: &Segment<'_>) {
        let c = &mut self.claims[self.building];
        let problems = &mut c.problems;
        let line = match self.lines_read.checked_sub(1) {
            Some(last) if self.in_line => c.lines.get_mut(last),
            _ => None,
        };
        match seg.tag() {
            Tag::CAS => read_cas(seg, line.map_or(&mut c.adjustments, |l| &mut l.adjustments), problems),
            Tag::NM1 if !self.in_line && seg.element(1) == b"QC" => {
                keep(fill(&mut c.patient.last_name, seg, 3), problems);
                keep(fill(&mut c.patient.first_name, seg, 4), problems);
                keep(fill(&mut c.patient.member_id, seg, 9), problems);
            }
            Tag::MOA if !self.in_line => read_codes(seg, 3..=7, &mut c.remarks, problems),
            Tag::MIA if !self.in_line => {
                read_codes(seg, 5..=5, &mut c.remarks, problems);
                read_codes(seg, 20..=24, &mut c.remarks, problems);
            }
            Tag::SVC => {
                // Overwritten in place: a service line is a few hundred bytes to move.
                if self.lines_read == c.lines.len() {
                    c.lines.push(self.spare_lines.pop().unwrap_or_default());
                }
                read_svc(seg, &mut c.lines[self.lines_read], problems);
                self.lines_read += 1;
                self.in_line = true;
            }
            _ => {
                if let Some(line) = line {
                    line_segment(seg, line, problems);
                }
            }
        }
    }

    fn plb(&mut self, seg: &Segment<'_>) {
        let problems = &mut self.settlement.problems;
        let provider = keep(value::required(seg, 1, "provider identifier"), problems);
        let fiscal_period_end = keep(value::date(seg, 2, "fiscal period date").map(Some), problems);
        for n in (3..=13).step_by(2) {
            if seg.element(n).is_empty() && seg.element(n + 1).is_empty() {
                continue;
            }
            let reason = keep(seg.component(n, 1), problems);
            if reason.is_empty() {
                problems.push(
                    seg.error(n, ErrorKind::Missing { element: seg.name(n), what: "adjustment reason code".into() }),
                );
            }
            let reference = keep(seg.component(n, 2), problems).to_string();
            let amount = keep(value::amount(seg, n + 1, "provider adjustment amount"), problems);
            let reason = keep(Code::read(seg, n, reason), problems);
            self.settlement.provider_adjustments.push(ProviderAdjustment {
                at: seg.position(n),
                provider: provider.to_string(),
                fiscal_period_end,
                reason,
                reference,
                amount,
            });
        }
    }

    /// Closes the open claim, runs its balancing checks and moves it to `done`.
    fn finish_claim(&mut self) -> bool {
        if !self.claim_open {
            return false;
        }
        self.claim_open = false;
        self.in_line = false;
        let claim = &mut self.claims[self.building];
        if claim.lines.len() > self.lines_read {
            self.spare_lines.extend(claim.lines.drain(self.lines_read..));
        }
        balance::check_claim(claim);
        self.settlement.claim_count += 1;
        self.settlement.claims_paid += claim.paid;
        self.building = 1 - self.building;
        true
    }
}

/// Reads the codes in elements `range` (empty ones skipped) into `out`.
fn read_codes(
    seg: &Segment<'_>,
    range: std::ops::RangeInclusive<usize>,
    out: &mut Vec<Code>,
    problems: &mut Vec<X12Error>,
) {
    for n in range {
        match value::optional_code(seg, n) {
            Ok(Some(code)) => out.push(code),
            Ok(None) => {}
            Err(e) => problems.push(e),
        }
    }
}

/// Reads a CAS segment: a group code and up to six reason/amount/quantity triplets.
fn read_cas(seg: &Segment<'_>, out: &mut Vec<Adjustment>, problems: &mut Vec<X12Error>) {
    let Some(group) = AdjustmentGroup::from_bytes(seg.trimmed(1)) else {
        let code = keep(value::required(seg, 1, "adjustment group code"), problems);
        if !code.is_empty() {
            problems.push(value::invalid(seg, 1, code, "is not an adjustment group: 5010 allows CO, PR, OA and PI"));
        }
        return;
    };
    let mut any = false;
    for n in (2..=17).step_by(3) {
        if seg.element(n).is_empty() && seg.element(n + 1).is_empty() && seg.element(n + 2).is_empty() {
            continue;
        }
        any = true;
        let reason = match value::optional_code(seg, n) {
            Ok(Some(code)) => code,
            Ok(None) => {
                problems.push(
                    seg.error(n, ErrorKind::Missing { element: seg.name(n), what: "adjustment reason code".into() }),
                );
                Code::default()
            }
            Err(e) => {
                problems.push(e);
                Code::default()
            }
        };
        let amount = keep(value::amount(seg, n + 1, "adjustment amount"), problems);
        let quantity = keep(value::optional_decimal(seg, n + 2), problems);
        out.push(Adjustment { group, reason, amount, quantity });
    }
    if !any {
        problems
            .push(seg.error(2, ErrorKind::Missing { element: "CAS02".into(), what: "adjustment reason code".into() }));
    }
}

/// Reads a composite procedure (SVC01 or SVC06) into `out`, splitting it once.
fn read_procedure(seg: &Segment<'_>, n: usize, out: &mut Procedure, problems: &mut Vec<X12Error>) {
    out.modifiers.clear();
    out.code.clear();
    let mut parts = seg.components(n).map(<[u8]>::trim_ascii);
    out.qualifier = keep(Code::read_bytes(seg, n, parts.next().unwrap_or_default()), problems);
    out.code.push_str(keep(seg.as_text(n, parts.next().unwrap_or_default()), problems));
    for modifier in parts.take(4).filter(|m| !m.is_empty()) {
        out.modifiers.push(keep(Code::read_bytes(seg, n, modifier), problems));
    }
    if out.code.is_empty() {
        let written = String::from_utf8_lossy(seg.element(n)).into_owned();
        let component = crate::x12::separators::shown(seg.separators().component);
        problems.push(value::invalid(
            seg,
            n,
            &written,
            format!("has no procedure code: it must be qualifier{component}code{component}modifiers, like HC{component}E0601{component}RR"),
        ));
    }
}

/// Reads an SVC segment into a (recycled) service line.
fn read_svc(seg: &Segment<'_>, line: &mut ServiceLine, problems: &mut Vec<X12Error>) {
    line.at = seg.position(0);
    line.adjustments.clear();
    line.remarks.clear();
    line.control_number.clear();
    line.service_date = None;
    line.period_start = None;
    line.period_end = None;
    line.allowed = None;
    read_procedure(seg, 1, &mut line.procedure, problems);
    line.charge = keep(value::amount(seg, 2, "line charge"), problems);
    line.paid = keep(value::amount(seg, 3, "line payment"), problems);
    line.paid_at = seg.position(3);
    line.revenue_code = keep(value::optional_code(seg, 4), problems);
    line.units_paid = keep(value::optional_decimal(seg, 5), problems);
    line.billed_procedure = if seg.element(6).is_empty() {
        None
    } else {
        let mut billed = line.billed_procedure.take().unwrap_or_default();
        read_procedure(seg, 6, &mut billed, problems);
        Some(billed)
    };
    line.units_billed = keep(value::optional_decimal(seg, 7), problems);
}

/// A segment inside a service line (loop 2110) other than CAS.
fn line_segment(seg: &Segment<'_>, line: &mut ServiceLine, problems: &mut Vec<X12Error>) {
    match (seg.tag(), seg.element(1)) {
        (Tag::DTM, b"472") => line.service_date = keep(value::date(seg, 2, "date of service").map(Some), problems),
        (Tag::DTM, b"150") => line.period_start = keep(value::date(seg, 2, "service period start").map(Some), problems),
        (Tag::DTM, b"151") => line.period_end = keep(value::date(seg, 2, "service period end").map(Some), problems),
        (Tag::REF, b"6R") => keep(fill(&mut line.control_number, seg, 2), problems),
        (Tag::AMT, b"B6") => line.allowed = keep(value::amount(seg, 2, "allowed amount").map(Some), problems),
        (Tag::LQ, b"HE") => read_codes(seg, 2..=2, &mut line.remarks, problems),
        _ => {}
    }
}

impl Claim {
    /// Σ of every adjustment on the claim and its lines.
    pub fn total_adjustments(&self) -> Money {
        self.adjustments.iter().map(|a| a.amount).sum::<Money>()
            + self.lines.iter().map(ServiceLine::total_adjustments).sum::<Money>()
    }
}

impl ServiceLine {
    /// Σ of the line's adjustments.
    pub fn total_adjustments(&self) -> Money {
        self.adjustments.iter().map(|a| a.amount).sum()
    }
}
