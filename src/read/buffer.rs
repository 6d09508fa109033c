//! Memory a piece of a file is read into, and the shared text it then becomes.
//!
//! Reading a file is mostly the kernel handing out fresh memory: every 4 KiB page of a new
//! buffer costs a page fault when the read first writes to it, more than the copy itself
//! (a quarter of the CPU time of loading 10,000 reviews). Large buffers are therefore
//! mapped with their pages made ready a megabyte per call, and the text is kept in that very
//! memory afterwards: it becomes a store chunk without a copy.

use bytes::Bytes;
use bytestring::ByteString;
use memmap2::{MmapMut, MmapOptions};

use crate::load::{Warning, decode_piece, has_lone_cr};
use crate::tuning::MAPPED_FROM;

/// Zeroed memory that a read fills, then [`Buffer::into_text`] turns into text.
#[derive(Debug)]
pub struct Buffer {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Heap(Vec<u8>),
    /// `len` of the mapping's bytes are in use.
    Mapped {
        map: MmapMut,
        len: usize,
    },
}

impl Buffer {
    /// `len` zeroed bytes, their pages ready to be written where the system allows.
    #[must_use]
    pub fn zeroed(len: usize) -> Self {
        let inner = if len >= MAPPED_FROM
            && let Ok(map) = MmapOptions::new().len(len).map_anon()
        {
            populate(&map);
            Inner::Mapped { map, len }
        } else {
            Inner::Heap(vec![0; len])
        };
        Self { inner }
    }

    /// `len` zeroed bytes on the heap, for bytes that will become a `Vec` (see
    /// [`Buffer::into_vec`]).
    #[must_use]
    pub fn heap(len: usize) -> Self {
        vec![0; len].into()
    }

    /// The bytes in use, as a `Vec`: free for a heap buffer, a copy for a mapped one.
    #[must_use]
    pub fn into_vec(self) -> Vec<u8> {
        match self.inner {
            Inner::Heap(bytes) => bytes,
            Inner::Mapped { map, len } => map[..len].to_vec(),
        }
    }

    /// The bytes in use, to be written.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        match &mut self.inner {
            Inner::Heap(bytes) => bytes,
            Inner::Mapped { map, len } => &mut map[..*len],
        }
    }

    /// Keeps the first `len` bytes (when a read got fewer than asked for).
    pub fn truncate(&mut self, len: usize) {
        match &mut self.inner {
            Inner::Heap(bytes) => bytes.truncate(len),
            Inner::Mapped { len: used, .. } => *used = len.min(*used),
        }
    }

    /// Appends `more`, moving to the heap: a mapping cannot grow. Only a file that grew
    /// while it was read needs this.
    pub fn extend_from_slice(&mut self, more: &[u8]) {
        if let Inner::Mapped { map, len } = &self.inner {
            self.inner = Inner::Heap(map[..*len].to_vec());
        }
        if let Inner::Heap(bytes) = &mut self.inner {
            bytes.extend_from_slice(more);
        }
    }

    /// The bytes in use.
    #[must_use]
    pub fn as_slice(&self) -> &[u8] {
        match &self.inner {
            Inner::Heap(bytes) => bytes,
            Inner::Mapped { map, len } => &map[..*len],
        }
    }

    /// The bytes as text, in the same memory when they are valid UTF-8; otherwise decoded
    /// (a copy) in the encoding they look like when `detect` is on, or lossily, with a
    /// warning giving the line of the first bad byte (see [`decode_piece`]). Says whether
    /// the text is the bytes as they were (nothing replaced).
    #[must_use]
    pub fn into_text(self, detect: bool) -> (ByteString, Vec<Warning>, bool) {
        // A NUL byte or a lone CR is replaced (see `decode_piece`).
        let changes = |bytes: &[u8]| memchr::memchr(0, bytes).is_some() || has_lone_cr(bytes);
        match self.inner {
            Inner::Heap(bytes) => {
                // Usually nothing to replace, and valid: no second look for NULs and CRs.
                let bytes = if changes(&bytes) {
                    bytes
                } else {
                    match String::from_utf8(bytes) {
                        Ok(text) => return (text.into(), Vec::new(), true),
                        Err(err) => err.into_bytes(),
                    }
                };
                let (text, warnings) = decode_piece(bytes, detect);
                (text.into(), warnings, false)
            }
            Inner::Mapped { map, len } => {
                let bytes = Bytes::from_owner(map).slice(..len);
                // Replacing takes a copy.
                if !changes(&bytes)
                    && let Ok(text) = ByteString::try_from(bytes.clone())
                {
                    (text, Vec::new(), true)
                } else {
                    let (text, warnings) = decode_piece(bytes.to_vec(), detect);
                    (text.into(), warnings, false)
                }
            }
        }
    }
}

/// Makes the pages of `map` ready to be written, a slice at a time: the process's memory
/// map stays locked while a slice is filled, and the thread drawing the screen may be
/// waiting to allocate. Where this is not supported the first write to each page does it.
fn populate(map: &MmapMut) {
    #[cfg(target_os = "linux")]
    {
        const SLICE: usize = 1024 * 1024;
        for offset in (0..map.len()).step_by(SLICE) {
            let len = SLICE.min(map.len() - offset);
            if map
                .advise_range(memmap2::Advice::PopulateWrite, offset, len)
                .is_err()
            {
                // An older kernel: the reads will fault the pages in.
                return;
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = map;
}

impl From<Vec<u8>> for Buffer {
    fn from(bytes: Vec<u8>) -> Self {
        Self {
            inner: Inner::Heap(bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_buffers_are_on_the_heap_and_large_ones_mapped() {
        assert!(matches!(Buffer::zeroed(10).inner, Inner::Heap(_)));
        assert!(matches!(
            Buffer::zeroed(MAPPED_FROM).inner,
            Inner::Mapped { .. }
        ));
        assert!(
            Buffer::zeroed(MAPPED_FROM)
                .as_mut_slice()
                .iter()
                .all(|&b| b == 0)
        );
        assert!(Buffer::zeroed(0).as_mut_slice().is_empty());
    }

    #[test]
    fn mapped_text_is_kept_in_place_up_to_the_truncation() {
        let mut buffer = Buffer::zeroed(MAPPED_FROM);
        let text = "Permalink\nø\n";
        buffer.as_mut_slice()[..text.len()].copy_from_slice(text.as_bytes());
        buffer.truncate(text.len());
        let address = buffer.as_mut_slice().as_ptr();
        let (decoded, warnings, _) = buffer.into_text(true);
        assert_eq!(&*decoded, text);
        assert_eq!(decoded.as_ptr(), address, "no copy");
        assert!(warnings.is_empty());
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_with_its_line_from_either_memory() {
        for size in [64, MAPPED_FROM] {
            let mut buffer = Buffer::zeroed(size);
            let bytes = b"one\ntwo \xff\n";
            buffer.as_mut_slice()[..bytes.len()].copy_from_slice(bytes);
            buffer.truncate(bytes.len());
            let (decoded, warnings, _) = buffer.into_text(false);
            assert_eq!(&*decoded, "one\ntwo \u{fffd}\n");
            assert_eq!(warnings.len(), 1);
            assert_eq!(warnings[0].line, Some(2));
        }
    }

    #[test]
    fn a_piece_in_another_encoding_is_read_in_it_from_the_line_it_starts() {
        let mut buffer = Buffer::zeroed(64);
        let bytes = b"one\ncaf\xe9 \x93ok\x94\n";
        buffer.as_mut_slice()[..bytes.len()].copy_from_slice(bytes);
        buffer.truncate(bytes.len());
        let (decoded, warnings, verbatim) = buffer.into_text(true);
        assert_eq!(&*decoded, "one\ncafé \u{201c}ok\u{201d}\n");
        assert!(!verbatim);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].line, Some(2));
        assert!(warnings[0].message.contains("windows-1252"), "{warnings:?}");
    }

    #[test]
    fn a_mapped_buffer_that_grows_moves_to_the_heap_whole() {
        let mut buffer = Buffer::zeroed(MAPPED_FROM);
        buffer.as_mut_slice()[0] = b'a';
        buffer.truncate(1);
        buffer.extend_from_slice(b"bc");
        assert!(matches!(buffer.inner, Inner::Heap(_)));
        assert_eq!(buffer.as_mut_slice(), b"abc");
    }
}
