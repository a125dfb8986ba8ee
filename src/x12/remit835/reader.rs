//! [`RemitReader`]: the pull side of the 835 reader, one event at a time.

use super::parse::{Ready, Remit835};
use super::{Claim, Payment, Settlement};
use crate::x12::envelope::{Reader, Role};
use crate::x12::error::{ErrorKind, X12Error};
use crate::x12::input::{Input, IntoInput};
use serde::Serialize;

/// What the reader hands out, in file order: per transaction set one `Payment`, its claims,
/// then one `Settlement`. The borrowed record is valid until the next call.
#[derive(Debug, Clone, Copy)]
pub enum RemitEvent<'r> {
    /// The payment header is complete.
    Payment(&'r Payment),
    /// A claim and all its lines have been read and balance-checked.
    Claim(&'r Claim),
    /// The transaction set ended: provider adjustments and the payment balance.
    Settlement(&'r Settlement),
}

/// Streams an 835 file; memory stays flat whatever its size.
///
/// ```no_run
/// # fn main() -> Result<(), hmedesk::x12::X12Error> {
/// use hmedesk::x12::remit835::{RemitEvent, RemitReader};
/// let file = std::fs::File::open("remit.835").map_err(|e| hmedesk::x12::X12Error::io(&e))?;
/// let mut reader = RemitReader::new(file);
/// while let Some(event) = reader.next_event()? {
///     if let RemitEvent::Claim(claim) = event {
///         println!("{} paid {}", claim.patient_control_number, claim.paid);
///     }
/// }
/// # Ok(()) }
/// ```
pub struct RemitReader<I> {
    reader: Reader<I>,
    state: Remit835,
    in_835: bool,
    pending: Ready,
}

impl<I: Input> RemitReader<I> {
    /// A reader over `source`: a byte slice is read in place, a file (or any stream wrapped
    /// in [`Streamed`](crate::x12::input::Streamed)) through a fixed buffer.
    pub fn new<S: IntoInput<Input = I>>(source: S) -> RemitReader<I> {
        RemitReader {
            reader: Reader::new(source),
            state: Remit835::default(),
            in_835: false,
            pending: Ready::default(),
        }
    }

    /// The next payment, claim or settlement; `None` at the end of the file. An error means
    /// the file cannot be read further (not X12, damaged ISA, unreadable disk); problems
    /// that let reading go on are attached to the records or kept in [`Self::problems`].
    pub fn next_event(&mut self) -> Result<Option<RemitEvent<'_>>, X12Error> {
        loop {
            if std::mem::take(&mut self.pending.payment) {
                return Ok(Some(RemitEvent::Payment(&self.state.payment)));
            }
            if std::mem::take(&mut self.pending.claim) {
                return Ok(Some(RemitEvent::Claim(self.state.done())));
            }
            if std::mem::take(&mut self.pending.settlement) {
                return Ok(Some(RemitEvent::Settlement(&self.state.settlement)));
            }
            let Some(role) = self.reader.advance()? else {
                return Ok(None);
            };
            match role {
                Role::Body if self.in_835 => self.pending = self.state.segment(&self.reader.segment()),
                Role::SetStart if self.reader.set_id() == "835" => {
                    self.state.begin(&self.reader.segment());
                    self.in_835 = true;
                }
                Role::SetStart => {
                    let problem = self.reader.segment().error(
                        1,
                        ErrorKind::Invalid {
                            element: "ST01".into(),
                            value: self.reader.set_id().to_string(),
                            why: "is not an 835 remittance; this transaction set was skipped".into(),
                        },
                    );
                    self.in_835 = false;
                    self.reader.report(problem);
                }
                Role::SetEnd if self.in_835 => {
                    self.pending = self.state.end(&self.reader.segment());
                    self.in_835 = false;
                }
                _ => {}
            }
        }
    }

    /// Problems outside any payment, claim or settlement: the envelope (control numbers,
    /// counts, order, a truncated file) and transaction sets that are not 835s.
    pub fn problems(&self) -> &[X12Error] {
        self.reader.problems()
    }

    /// Reads the whole file into memory: for small files, tests and the `check` command's
    /// reports. Posting should use [`Self::next_event`] instead.
    pub fn read_all(mut self) -> Result<Remittance, X12Error> {
        let mut out = Remittance::default();
        while let Some(event) = self.next_event()? {
            match event {
                RemitEvent::Payment(p) => out.transactions.push(Transaction {
                    payment: p.clone(),
                    claims: Vec::new(),
                    settlement: Settlement::default(),
                }),
                RemitEvent::Claim(c) => {
                    if let Some(t) = out.transactions.last_mut() {
                        t.claims.push(c.clone());
                    }
                }
                RemitEvent::Settlement(s) => {
                    if let Some(t) = out.transactions.last_mut() {
                        t.settlement = s.clone();
                    }
                }
            }
        }
        out.problems = self.reader.take_problems();
        Ok(out)
    }
}

/// A whole 835 file in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Remittance {
    /// One per ST/SE.
    pub transactions: Vec<Transaction>,
    /// File-level problems (see [`RemitReader::problems`]).
    pub problems: Vec<X12Error>,
}

/// One 835 transaction set in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Transaction {
    /// Its header.
    pub payment: Payment,
    /// Its claims, in file order.
    pub claims: Vec<Claim>,
    /// Its end.
    pub settlement: Settlement,
}

impl Remittance {
    /// Every problem in the file, in file order.
    pub fn all_problems(&self) -> Vec<&X12Error> {
        let mut all: Vec<&X12Error> = self.problems.iter().collect();
        for t in &self.transactions {
            all.extend(&t.payment.problems);
            all.extend(t.claims.iter().flat_map(|c| &c.problems));
            all.extend(&t.settlement.problems);
        }
        all.sort_by_key(|p| (p.at.segment, p.at.element));
        all
    }
}
