//! X12 5010: reading remittances and acknowledgments, and the primitives for writing claims.
//!
//! Layers, bottom up, in the manner of `csv-core`/`csv` (this module knows nothing of the
//! database; posting and claim building live elsewhere and call in here):
//!
//! * [`separators`] — the delimiters, read from each interchange's fixed-width ISA header;
//! * [`input`] — where the bytes come from: a slice lexed in place, or a stream (a file)
//!   read through one reused buffer;
//! * [`lexer`] — bytes to [`Segment`]s, finding terminators and separators in one pass
//!   ([`block`] compares a block of bytes at a time);
//! * [`envelope`] — ISA/GS/ST … SE/GE/IEA order, counts and control numbers, and the
//!   [`Reader`] every typed layer reads from;
//! * typed layers — [`remit835`] (streaming, with the balancing rules), [`ack999`],
//!   [`ack277ca`], [`elig271`];
//! * [`check`] — any supported file, every problem found, for `hmedesk x12 check`;
//! * [`write`] — segments and envelopes out, for the 837P writer.
//!
//! Nothing here panics on input: every way a file can be wrong is an [`X12Error`] that says
//! where (segment number, element, byte offset) and what, in a biller's words.

pub mod ack277ca;
pub mod ack999;
pub mod block;
pub mod check;
pub mod code;
pub mod elig271;
pub mod envelope;
pub mod error;
pub mod input;
pub mod lexer;
pub mod remit835;
pub mod segment;
pub mod separators;
pub mod transaction;
pub mod value;
pub mod write;

pub use code::Code;
pub use envelope::{Item, Reader, Role};
pub use error::{ErrorKind, Position, X12Error};
pub use input::{IntoInput, Streamed};
pub use segment::{Segment, Tag};
pub use separators::Separators;
pub use transaction::Parsed;
