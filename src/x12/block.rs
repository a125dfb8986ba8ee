//! Finding a segment's separators a block of bytes at a time, the innermost loop of the
//! reader: every byte of a file passes through it once.
//!
//! On x86-64 a block is 16 bytes compared at once with SSE2, which every x86-64 processor
//! has; elsewhere it is 8 bytes in a `u64` compared with plain arithmetic (SWAR). Both give
//! the same three masks per block (terminators, element separators, bytes that are not
//! ASCII) with the same meaning, so [`scan`] is written once over either.

/// Where a block's terminators, element separators and non-ASCII bytes are: the byte at
/// offset `i` of the block is marked by bit `i * STRIDE + STRIDE - 1` of a mask.
#[derive(Debug, Clone, Copy)]
pub struct Masks {
    pub ends: u64,
    pub elements: u64,
    pub high: u64,
}

/// A way of comparing a block of bytes against the two separators at once.
pub trait Blocks: Copy {
    /// Bytes in a block.
    const SIZE: usize;
    /// Bits a byte takes in a [`Masks`] mask.
    const STRIDE: u32;

    /// Set up for these separators.
    fn new(terminator: u8, element: u8) -> Self;

    /// The masks of `block`, which is exactly [`Self::SIZE`] bytes long.
    fn masks(self, block: &[u8]) -> Masks;
}

/// Eight bytes in a `u64`; works on every processor.
#[derive(Debug, Clone, Copy)]
pub struct Swar {
    terminator: u64,
    element: u64,
}

const LOW7: u64 = u64::from_ne_bytes([0x7F; 8]);
const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);

/// The high bit of every byte of `word` that equals the byte `splat` is filled with (exact,
/// with no carries between bytes).
fn equal_bytes(word: u64, splat: u64) -> u64 {
    let x = word ^ splat;
    !(((x & LOW7) + LOW7) | x) & HIGH
}

impl Blocks for Swar {
    const SIZE: usize = 8;
    const STRIDE: u32 = 8;

    fn new(terminator: u8, element: u8) -> Swar {
        Swar { terminator: u64::from_ne_bytes([terminator; 8]), element: u64::from_ne_bytes([element; 8]) }
    }

    #[inline(always)]
    fn masks(self, block: &[u8]) -> Masks {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(block);
        let word = u64::from_le_bytes(bytes);
        Masks { ends: equal_bytes(word, self.terminator), elements: equal_bytes(word, self.element), high: word & HIGH }
    }
}

/// Sixteen bytes in an SSE2 register.
#[cfg(target_arch = "x86_64")]
#[derive(Debug, Clone, Copy)]
pub struct Sse2 {
    terminator: std::arch::x86_64::__m128i,
    element: std::arch::x86_64::__m128i,
}

#[cfg(target_arch = "x86_64")]
impl Blocks for Sse2 {
    const SIZE: usize = 16;
    const STRIDE: u32 = 1;

    fn new(terminator: u8, element: u8) -> Sse2 {
        use std::arch::x86_64::_mm_set1_epi8;
        // SAFETY: SSE2 is part of x86-64: every processor this build runs on has it.
        unsafe { Sse2 { terminator: _mm_set1_epi8(terminator as i8), element: _mm_set1_epi8(element as i8) } }
    }

    #[inline(always)]
    fn masks(self, block: &[u8]) -> Masks {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8};
        assert_eq!(block.len(), Self::SIZE);
        // SAFETY: SSE2 is part of x86-64 (see `new`); the load reads the 16 bytes of `block`
        // (checked above) and needs no alignment.
        unsafe {
            let bytes = _mm_loadu_si128(block.as_ptr().cast());
            let mask = |v| u64::from(_mm_movemask_epi8(v) as u16);
            Masks {
                ends: mask(_mm_cmpeq_epi8(bytes, self.terminator)),
                elements: mask(_mm_cmpeq_epi8(bytes, self.element)),
                high: mask(bytes),
            }
        }
    }
}

/// The fastest way on this processor.
#[cfg(target_arch = "x86_64")]
pub type Native = Sse2;
/// The fastest way on this processor.
#[cfg(not(target_arch = "x86_64"))]
pub type Native = Swar;

/// A segment [`scan`] found the end of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Where its terminator is.
    pub end: usize,
    /// True when every byte before the terminator is ASCII, so its text needs no UTF-8 check.
    pub ascii: bool,
}

/// Finds the first terminator in `data` and the element separators before it in one pass,
/// a block at a time: `bounds` gets every element of the segment (index 0 = the segment
/// id). `None` (with `bounds` unfinished) when `data` holds no terminator. Segments are a
/// few dozen bytes, too short for a search's set-up to pay twice (once for the terminator,
/// once for the elements).
#[inline]
pub fn scan<B: Blocks>(
    blocks: B,
    data: &[u8],
    terminator: u8,
    element: u8,
    bounds: &mut Vec<(u32, u32)>,
) -> Option<Found> {
    bounds.clear();
    let mut start = 0u32;
    let mut base = 0u32;
    let mut high = 0u64;
    let mut chunks = data.chunks_exact(B::SIZE);
    for block in &mut chunks {
        let masks = blocks.masks(block);
        let (ends, mut elements) = (masks.ends, masks.elements);
        // Only the bytes before the terminator belong to this segment.
        let before = if ends == 0 { u64::MAX } else { (ends & ends.wrapping_neg()) - 1 };
        elements &= before;
        high |= masks.high & before;
        while elements != 0 {
            let p = base + elements.trailing_zeros() / B::STRIDE;
            bounds.push((start, p));
            start = p + 1;
            elements &= elements - 1;
        }
        if ends != 0 {
            let end = base + ends.trailing_zeros() / B::STRIDE;
            bounds.push((start, end));
            return Some(Found { end: end as usize, ascii: high == 0 });
        }
        base += B::SIZE as u32;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        let p = base + i as u32;
        if b == terminator {
            bounds.push((start, p));
            return Some(Found { end: p as usize, ascii: high == 0 });
        }
        if b == element {
            bounds.push((start, p));
            start = p + 1;
        }
        high |= u64::from(!b.is_ascii());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `data` on `*`: what [`scan`] must find before the terminator.
    fn split(data: &[u8]) -> Vec<(u32, u32)> {
        let mut bounds = Vec::new();
        let mut start = 0;
        for (p, &b) in data.iter().enumerate() {
            if b == b'*' {
                bounds.push((start, p as u32));
                start = p as u32 + 1;
            }
        }
        bounds.push((start, data.len() as u32));
        bounds
    }

    fn agrees_with_a_plain_split<B: Blocks>() {
        let mut found = Vec::new();
        for len in 0..70 {
            // Separators at every position modulo 3, so every offset in a block is tried.
            let segment: Vec<u8> = (0..len).map(|i| if i % 3 == 1 { b'*' } else { b'A' + (i % 26) as u8 }).collect();
            let mut data = segment.clone();
            data.extend_from_slice(b"~B*C\xC3\xA9*D~");
            let blocks = B::new(b'~', b'*');
            assert_eq!(scan(blocks, &data, b'~', b'*', &mut found), Some(Found { end: len, ascii: true }), "{len}");
            assert_eq!(found, split(&segment), "length {len}");
            assert_eq!(scan(blocks, &segment, b'~', b'*', &mut found), None, "length {len} without a terminator");
        }
    }

    fn matches_bytes_exactly<B: Blocks>() {
        // Bytes one bit away from the separators, and high bytes, must not match.
        let data = b"\x2B\x28\xAA*\xFE\x7F\x7C\xAA\xFE~";
        let mut bounds = Vec::new();
        assert_eq!(scan(B::new(b'~', b'*'), data, b'~', b'*', &mut bounds), Some(Found { end: 9, ascii: false }));
        assert_eq!(bounds, [(0, 3), (4, 9)]);
    }

    fn sees_any_byte_that_is_not_ascii<B: Blocks>() {
        for at in 0..40 {
            let mut data = vec![b'A'; 40];
            data[at] = 0xC3;
            data.extend_from_slice(b"~");
            let found = scan(B::new(b'~', b'*'), &data, b'~', b'*', &mut Vec::new());
            assert_eq!(found, Some(Found { end: 40, ascii: false }), "high byte at {at}");
        }
    }

    #[test]
    fn swar_finds_what_a_plain_split_finds() {
        agrees_with_a_plain_split::<Swar>();
        matches_bytes_exactly::<Swar>();
        sees_any_byte_that_is_not_ascii::<Swar>();
    }

    #[test]
    fn native_finds_what_a_plain_split_finds() {
        agrees_with_a_plain_split::<Native>();
        matches_bytes_exactly::<Native>();
        sees_any_byte_that_is_not_ascii::<Native>();
    }
}
