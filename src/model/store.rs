//! Where the text of reviews lives: [`TextRef`]s into a [`Store`] of chunks, each in
//! memory or left in the file it came from ([`FileText`]), and the builder loaders fill.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use bytestring::ByteString;

use super::backing::{Backing, FileText};

/// Where one string lives in a [`Store`]. Twelve bytes, no heap: a review holds four, and
/// ten million reviews are indexed in memory while their text stays in the file.
///
/// The chunk and the start share 64 bits, kept as two halves so that the reference is
/// aligned to 4 (a `u64` would pad it to 16): 26 bits of chunk (67 million chunks) and 38
/// of start (256 GiB into a chunk; a chunk held in memory is far smaller, a chunk left in a
/// file is a piece of at most a few tens of megabytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextRef {
    place: [u32; 2],
    len: u32,
}

/// Bits of [`TextRef`]'s 64 that hold the start.
const START_BITS: u32 = 38;

impl TextRef {
    /// The empty string.
    pub const EMPTY: Self = Self {
        place: [0, 0],
        len: 0,
    };

    /// `len` bytes from `start` in chunk `chunk`.
    fn new(chunk: u32, start: u64, len: usize) -> Self {
        // Past the chunks a reference can name (weeks of a followed file growing), or the
        // start it can hold: the empty text rather than another chunk's or place's.
        if u64::from(chunk) >= 1 << (64 - START_BITS) || start >= 1 << START_BITS {
            return Self::EMPTY;
        }
        let packed = (u64::from(chunk) << START_BITS) | start;
        Self {
            place: [packed as u32, (packed >> 32) as u32],
            len: u32::try_from(len.min(MAX_FIELD_BYTES)).unwrap_or(u32::MAX),
        }
    }

    fn packed(self) -> u64 {
        u64::from(self.place[0]) | (u64::from(self.place[1]) << 32)
    }

    /// The chunk the text is in.
    #[must_use]
    pub fn chunk(self) -> u32 {
        (self.packed() >> START_BITS) as u32
    }

    /// Where the text starts in its chunk.
    #[must_use]
    pub fn start(self) -> u64 {
        self.packed() & ((1 << START_BITS) - 1)
    }

    /// The same text, its chunk `by` further on (its store was appended to another).
    #[must_use]
    pub fn shifted(self, by: u32) -> Self {
        Self::new(self.chunk() + by, self.start(), self.len as usize)
    }

    /// A reference into chunk 0 (the loaded text).
    fn in_base(range: Range<usize>) -> Self {
        Self::new(0, range.start as u64, range.len())
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Which chunk of the store the text is in, and its byte range there: for scanning a
    /// whole chunk at once and telling which field a position belongs to.
    #[must_use]
    pub fn place(self) -> (usize, std::ops::Range<u64>) {
        (
            self.chunk() as usize,
            self.start()..self.start() + u64::from(self.len),
        )
    }
}

/// Append-only text storage: large chunks that reviews point into.
///
/// Every string put here has already passed through [`crate::sanitize::sanitize`]; the
/// loaders guarantee it, and [`StoreBuilder`] is the only way in.
#[derive(Debug, Default, Clone)]
pub struct Store {
    chunks: Vec<Chunk>,
    /// What of chunk 0 was rewritten in place, while it is the text a loader just read
    /// (see [`Store::keep_base_in`]).
    rewritten: Arc<Rewritten>,
    /// The files text is read from, each once.
    files: Vec<Arc<Backing>>,
}

/// Where the text of one chunk lives.
#[derive(Debug, Clone)]
pub enum Chunk {
    /// In memory: a string the loader built, or memory the file was read into (see
    /// `read::stream`); shared and immutable, so cloning one costs nothing.
    Memory(ByteString),
    /// In a file, read when it is wanted (see [`FileText`]).
    File(Arc<FileText>),
}

impl Store {
    /// The text a reference points at: borrowed from memory, or read from the file it
    /// lives in (a notice in its place when that file has changed since; see
    /// [`FileText`]).
    #[must_use]
    pub fn get(&self, r: TextRef) -> Cow<'_, str> {
        if r.len == 0 {
            return Cow::Borrowed("");
        }
        let Ok(start) = usize::try_from(r.start()) else {
            return Cow::Borrowed("");
        };
        match self.chunks.get(r.chunk() as usize) {
            // Start and length come from the builder and always fit; `get` keeps a bad
            // reference from ever panicking.
            Some(Chunk::Memory(chunk)) => {
                Cow::Borrowed(chunk.get(start..start + r.len as usize).unwrap_or(""))
            }
            Some(Chunk::File(file)) => file.read(start..start + r.len as usize),
            None => Cow::Borrowed(""),
        }
    }

    /// `range` of chunk `chunk` at once, for scanning many fields together (a search):
    /// borrowed where it is in memory, else read into `buf`, whose memory the next stretch
    /// reuses. `None` when there is no such text, or its file changed.
    #[must_use]
    pub fn stretch<'a>(
        &'a self,
        chunk: usize,
        range: Range<usize>,
        buf: &'a mut Vec<u8>,
    ) -> Option<&'a str> {
        match self.chunks.get(chunk)? {
            Chunk::Memory(text) => text.get(range),
            Chunk::File(file) => file.stretch(range, buf),
        }
    }

    /// Calls `f` with the index and text of each of `refs`, in order. Texts that lie one
    /// after another in a chunk (as loaders lay reviews out) are read a stretch at a time:
    /// read one by one from a file, each costs a read and an allocation of its own, which
    /// made the duplicates' hashing twice as long.
    pub fn read_each(&self, refs: &[TextRef], mut f: impl FnMut(usize, &str)) {
        let _bulk = super::backing::in_bulk();
        let mut buffer = Vec::new();
        let mut done = 0;
        while done < refs.len() {
            let run = stretch_of(&refs[done..]);
            let (chunk, first) = refs[done].place();
            // Empty texts (an untitled review's title) lie nowhere: the stretch ends where
            // the last text in it does.
            let end = refs[done..done + run]
                .iter()
                .filter(|r| !r.is_empty())
                .map(|r| r.place().1.end)
                .max()
                .unwrap_or(first.start)
                .max(first.start);
            let text = usize::try_from(first.start)
                .ok()
                .zip(usize::try_from(end).ok())
                .and_then(|(from, to)| self.stretch(chunk, from..to, &mut buffer));
            for (k, &r) in refs[done..done + run].iter().enumerate() {
                let part = text.and_then(|text| {
                    let at = usize::try_from(r.place().1.start.checked_sub(first.start)?).ok()?;
                    text.get(at..at + r.len())
                });
                match part {
                    Some(part) if !r.is_empty() => f(done + k, part),
                    _ => f(done + k, &self.get(r)),
                }
            }
            done += run;
        }
    }

    /// How many chunks there are: what [`TextRef::place`] indexes.
    #[must_use]
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Bytes of text held in memory, for memory accounting (text in files is not).
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.chunks
            .iter()
            .map(|c| match c {
                Chunk::Memory(text) => text.len(),
                Chunk::File(_) => 0,
            })
            .sum()
    }

    /// Bytes of text left in the files they came from (or a spill file).
    #[must_use]
    pub fn bytes_in_files(&self) -> u64 {
        self.chunks
            .iter()
            .map(|c| match c {
                Chunk::Memory(_) => 0,
                Chunk::File(file) => file.len(),
            })
            .sum()
    }

    /// The files text is read from, each once (for telling whether one has changed).
    #[must_use]
    pub fn files(&self) -> &[Arc<Backing>] {
        &self.files
    }

    /// Notes `backing` among the files, once.
    fn note_file(&mut self, backing: &Arc<Backing>) {
        if !self.files.iter().any(|b| Arc::ptr_eq(b, backing)) {
            self.files.push(Arc::clone(backing));
        }
    }

    /// Leaves chunk 0, the text a loader just read, in the file it came from: its memory
    /// goes. `place` says where the text lies in the file, whose bytes there it must be,
    /// as they are or rewritten in place where the builder was told
    /// ([`StoreBuilder::rewritten`]). Returns the text's memory, for the next piece to
    /// be read into; `None` when the text cannot be left there and stays.
    pub fn keep_base_in(&mut self, place: super::backing::Place) -> Option<ByteString> {
        let Some(Chunk::Memory(base)) = self.chunks.first() else {
            return None;
        };
        let rewritten = std::mem::take(&mut self.rewritten);
        let file = FileText::new(place, base.len(), &rewritten)?;
        self.note_file(file.backing());
        match std::mem::replace(&mut self.chunks[0], Chunk::File(Arc::new(file))) {
            Chunk::Memory(text) => Some(text),
            Chunk::File(_) => None,
        }
    }

    /// Moves every chunk of `other` in; returns the chunk offset to add to its references.
    pub(super) fn absorb(&mut self, other: Store) -> u32 {
        let offset = u32::try_from(self.chunks.len()).unwrap_or(u32::MAX);
        for backing in &other.files {
            self.note_file(backing);
        }
        let mut chunks = other.chunks;
        // The extra chunk of a piece that rewrote nothing is empty and named by no
        // reference: not kept, so chunks grow half as fast (a followed file adds a piece
        // every few looks).
        if matches!(chunks.last(), Some(Chunk::Memory(text)) if text.is_empty()) && chunks.len() > 1
        {
            chunks.pop();
        }
        self.chunks.extend(chunks);
        offset
    }
}

/// Builds a [`Store`] for one loaded document: the source text as chunk 0, and a second chunk
/// ([`Extra`]) for strings that had to be rewritten (sanitized, unescaped, re-joined).
#[derive(Debug)]
pub struct StoreBuilder {
    base: ByteString,
    extra: Extra,
    /// Ranges of the base rewritten in place, and how (see [`StoreBuilder::rewritten`]).
    rewritten: Rewritten,
}

/// Ranges of a base text rewritten in place by one function, so that the same text can be
/// made again from the file's bytes.
#[derive(Debug, Default)]
pub struct Rewritten {
    pub ranges: Vec<Range<usize>>,
    pub rewrite: Option<fn(&mut [u8])>,
}

/// The most bytes one field may hold; longer text is cut.
pub const MAX_FIELD_BYTES: usize = u32::MAX as usize;

impl StoreBuilder {
    /// A builder whose chunk 0 is `base`, the whole source text.
    #[must_use]
    pub fn new(base: impl Into<ByteString>) -> Self {
        Self {
            base: base.into(),
            extra: Extra::default(),
            rewritten: Rewritten::default(),
        }
    }

    /// The source text, for the loader to parse.
    #[must_use]
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The source text as a handle of its own (no copy), for a parser that writes to the
    /// builder while it reads the text.
    #[must_use]
    pub fn shared_base(&self) -> ByteString {
        self.base.clone()
    }

    /// The source text and the extra chunk at once, so a parser can borrow its input while
    /// it stores rewritten strings.
    pub fn parts(&mut self) -> (&str, &mut Extra) {
        (&self.base, &mut self.extra)
    }

    /// The source text, to be rewritten in place by a loader, and the extra chunk; put
    /// back together with [`StoreBuilder::from_parts`]. Text the builder was given as a
    /// `String` comes back without a copy (the loaders that rewrite are given theirs so).
    #[must_use]
    pub fn into_parts(self) -> (String, Extra) {
        (String::from(self.base), self.extra)
    }

    /// A builder from the parts [`StoreBuilder::into_parts`] gave. Text of equal length
    /// written over the base keeps it in the same memory.
    #[must_use]
    pub fn from_parts(base: String, extra: Extra) -> Self {
        Self {
            base: base.into(),
            extra,
            rewritten: Rewritten::default(),
        }
    }

    /// Says that `ranges` of the base were rewritten in place by `rewrite` (unescaped JSON
    /// strings, CSV fields with doubled quotes): with that, the text can be left in its file
    /// and made again when read. Without it, a rewritten base must stay in memory.
    #[must_use]
    pub fn rewritten(mut self, ranges: Vec<Range<usize>>, rewrite: fn(&mut [u8])) -> Self {
        if !ranges.is_empty() {
            self.rewritten = Rewritten {
                ranges,
                rewrite: Some(rewrite),
            };
        }
        self
    }

    /// A reference to `base[range]`, which the caller has checked is already in final form
    /// (sanitized, trimmed, normalized), so nothing is copied.
    #[must_use]
    pub fn reference(&self, range: std::ops::Range<usize>) -> TextRef {
        match self.base.get(range.clone()) {
            Some(_) => TextRef::in_base(range),
            None => TextRef::EMPTY,
        }
    }

    /// Copies `text` (already in final form) into the extra chunk.
    pub fn push(&mut self, text: &str) -> TextRef {
        self.extra.push(text)
    }

    /// The finished store: chunk 0 is the base, chunk 1 the extras.
    #[must_use]
    pub fn finish(self) -> Store {
        Store {
            chunks: vec![
                Chunk::Memory(self.base),
                Chunk::Memory(self.extra.text.into()),
            ],
            rewritten: Arc::new(self.rewritten),
            files: Vec::new(),
        }
    }
}

/// The chunk of a [`StoreBuilder`] that holds rewritten strings.
#[derive(Debug, Default)]
pub struct Extra {
    text: String,
}

impl Extra {
    /// Copies `text` (already in final form) in.
    pub fn push(&mut self, text: &str) -> TextRef {
        if text.is_empty() {
            return TextRef::EMPTY;
        }
        let text = truncate_to_boundary(text, MAX_FIELD_BYTES);
        let start = self.text.len() as u64;
        self.text.push_str(text);
        TextRef::new(1, start, text.len())
    }

    /// An empty text with a place of its own, for an empty body whose review has a reply
    /// (see [`Document::reply`]).
    pub fn unique_empty(&mut self) -> TextRef {
        let start = self.text.len() as u64;
        self.text.push(' ');
        TextRef::new(1, start, 0)
    }

    /// References `text`, which lies at `at` in the builder's text (or will, once the
    /// loader holding that text has written it there), or copies it in when it lies
    /// nowhere there (`None`).
    pub fn keep(&mut self, at: Option<usize>, text: &str) -> TextRef {
        match at {
            _ if text.is_empty() => TextRef::EMPTY,
            Some(start) => TextRef::in_base(start..start + text.len()),
            None => self.push(text),
        }
    }
}

/// Where `text` lies in `base`, if it is a slice of it.
#[must_use]
pub fn place_in(base: &[u8], text: &str) -> Option<usize> {
    let start = (text.as_ptr() as usize).wrapping_sub(base.as_ptr() as usize);
    (start <= base.len() && base.len() - start >= text.len()).then_some(start)
}

/// The longest prefix of `text` no longer than `max` bytes that ends on a char boundary.
#[must_use]
pub fn truncate_to_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Texts are read from their files in stretches of about this many bytes.
const STRETCH: u64 = 4 << 20;

/// How many of `refs` (at least one) lie one after another in one chunk, within
/// [`STRETCH`] bytes of the first: what [`Store::read_each`] reads at once.
fn stretch_of(refs: &[TextRef]) -> usize {
    // An empty text lies nowhere: it is a stretch of its own, read as nothing.
    if refs[0].is_empty() {
        return 1;
    }
    let (chunk, first) = refs[0].place();
    let mut end = first.end;
    let mut n = 1;
    for r in &refs[1..] {
        if r.is_empty() {
            n += 1;
            continue;
        }
        let (c, range) = r.place();
        if c != chunk || range.start < end || range.end.saturating_sub(first.start) > STRETCH {
            break;
        }
        end = range.end;
        n += 1;
    }
    n
}
