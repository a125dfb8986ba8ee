//! Where the lexer's bytes come from: a slice already in memory, lexed in place without a
//! copy, or a stream (a file) read through one reused buffer, so memory stays flat however
//! large the file.

use std::fs::File;
use std::io::{ErrorKind, Read};

/// Bytes read from a stream at a time: large enough that refilling is rare, small enough
/// to stay in the core's cache.
pub const BUFFER: usize = 256 * 1024;

/// The longest segment accepted. Real segments are under a few hundred bytes.
pub const MAX_SEGMENT: usize = 1024 * 1024;

/// Bytes the lexer can look at, and a way to get more.
pub trait Input {
    /// The bytes held now; the lexer keeps its own place in them.
    fn held(&self) -> &[u8];

    /// Drops the held bytes before `keep` (already lexed) and reads more after the rest.
    fn refill(&mut self, keep: usize) -> std::io::Result<Refilled>;
}

/// What [`Input::refill`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refilled {
    /// Bytes dropped from the front: every held position moves down by as much.
    pub dropped: usize,
    /// False at the end of input: nothing more was read.
    pub more: bool,
}

/// What a reader can be made over: a byte slice (lexed in place) or a file (streamed).
pub trait IntoInput {
    /// The input it becomes.
    type Input: Input;

    /// Turns `self` into an input.
    fn into_input(self) -> Self::Input;
}

/// A whole file in memory needs no buffer: every segment is borrowed from it.
impl Input for &[u8] {
    fn held(&self) -> &[u8] {
        self
    }

    fn refill(&mut self, _keep: usize) -> std::io::Result<Refilled> {
        Ok(Refilled { dropped: 0, more: false })
    }
}

impl<'a> IntoInput for &'a [u8] {
    type Input = &'a [u8];

    fn into_input(self) -> &'a [u8] {
        self
    }
}

/// Any byte stream, read through a buffer of [`BUFFER`] bytes that grows only while one
/// segment is longer than that (up to [`MAX_SEGMENT`]).
pub struct Streamed<R> {
    source: R,
    buf: Vec<u8>,
    /// `buf[..end]` holds bytes read.
    end: usize,
    eof: bool,
}

impl<R: Read> Streamed<R> {
    /// Streams `source`; wrap it in nothing, this buffers itself.
    pub fn new(source: R) -> Streamed<R> {
        Streamed { source, buf: vec![0; BUFFER], end: 0, eof: false }
    }
}

impl<R: Read> Input for Streamed<R> {
    fn held(&self) -> &[u8] {
        &self.buf[..self.end]
    }

    fn refill(&mut self, keep: usize) -> std::io::Result<Refilled> {
        if self.eof {
            return Ok(Refilled { dropped: 0, more: false });
        }
        let mut dropped = 0;
        if keep > 0 && (self.end == self.buf.len() || keep == self.end) {
            self.buf.copy_within(keep..self.end, 0);
            self.end -= keep;
            dropped = keep;
        }
        if self.end == self.buf.len() {
            let bigger = (self.buf.len() * 2).min(MAX_SEGMENT + BUFFER);
            self.buf.resize(bigger, 0);
        }
        loop {
            match self.source.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(Refilled { dropped, more: false });
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(Refilled { dropped, more: true });
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl<R: Read> IntoInput for Streamed<R> {
    type Input = Streamed<R>;

    fn into_input(self) -> Streamed<R> {
        self
    }
}

impl IntoInput for File {
    type Input = Streamed<File>;

    fn into_input(self) -> Streamed<File> {
        Streamed::new(self)
    }
}
