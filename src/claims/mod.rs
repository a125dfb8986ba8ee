//! Claims: what is billed to a payer, and how it leaves the building.
//!
//! This part holds the 837P writer (`x837`), a pure function from fully resolved claims to
//! an X12 005010X222A1 file. The claims store, the scrubber and the batch bookkeeping build
//! on it.

pub mod x837;
