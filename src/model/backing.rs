//! Text left in the file it came from: read with positional reads when it is drawn,
//! searched or written, and checked against what was read at load, so that a file
//! changed under revue gives a notice, never garbage and never a crash.
//!
//! No memory map: a map of a file another program truncates ends the process with SIGBUS,
//! and one rewritten in place changes bytes that were checked to be UTF-8. A positional read
//! copies the bytes out, and they are checked again each time: the crate keeps `unsafe`
//! forbidden.
//!
//! Each chunk keeps a hash of its bytes. Whenever the file's size or modification time
//! differs from the last look, a chunk is read whole and hashed once before its text is used
//! again: text appended to a followed file leaves every chunk as it was, and a rewrite or a
//! truncation marks the chunks it touched as changed (their text reads as
//! [`CHANGED`], and [`Backing::changed`] tells the app to offer a reload).

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::store::Rewritten;

/// How soon a file is looked at again for a change by a thread reading in bulk (see
/// [`Backing::generation`]).
const LOOK_AGAIN: std::time::Duration = std::time::Duration::from_millis(20);

thread_local! {
    /// This thread is reading many fields in a row (see [`in_bulk`]).
    static BULK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as reading many fields in a row (an export, a search review by
/// review, the stats) until the guard is dropped: the files are then looked at for a
/// change every few milliseconds rather than at every field.
#[must_use]
pub fn in_bulk() -> Bulk {
    Bulk(BULK.replace(true))
}

/// What [`in_bulk`] gives: dropping it ends the bulk reading.
#[derive(Debug)]
pub struct Bulk(bool);

impl Drop for Bulk {
    fn drop(&mut self) {
        BULK.set(self.0);
    }
}

/// What a field reads as once the bytes it was read from have changed.
pub const CHANGED: &str = "[this text changed on disk after revue read it: reload to see it]";

/// A file text is left in: the input itself, or a spill file revue made for text that came
/// decompressed or through a pipe.
#[derive(Debug)]
pub struct Backing {
    file: File,
    /// The file's name, for messages.
    name: String,
    /// A spill file of revue's own, which nothing else can reach (created unlinked): it
    /// never changes, and is never checked.
    own: bool,
    /// The file's size and modification time at the last look, a count of the looks that
    /// found them different, and when the last look was.
    stamp: Mutex<(Stamp, u64, Option<std::time::Instant>)>,
    /// Bumped with each look that found the file different.
    generation: AtomicU64,
    /// A chunk of this file was found changed.
    changed: AtomicBool,
}

/// What tells that a file may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(file: &File) -> io::Result<Self> {
        let meta = file.metadata()?;
        Ok(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

impl Backing {
    /// `file`, an input whose text is left there; `name` is how messages name it.
    ///
    /// # Errors
    /// When the file's size cannot be known.
    pub fn input(file: File, name: &str) -> io::Result<Arc<Self>> {
        let stamp = Stamp::of(&file)?;
        Ok(Arc::new(Self {
            file,
            name: name.to_string(),
            own: false,
            stamp: Mutex::new((stamp, 0, None)),
            generation: AtomicU64::new(0),
            changed: AtomicBool::new(false),
        }))
    }

    /// `file`, a spill file of revue's own, created unlinked.
    #[must_use]
    pub fn spill(file: File, name: &str) -> Arc<Self> {
        Arc::new(Self {
            file,
            name: name.to_string(),
            own: true,
            stamp: Mutex::new((Stamp::default(), 0, None)),
            generation: AtomicU64::new(0),
            changed: AtomicBool::new(false),
        })
    }

    /// The file's name, as messages give it.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether text read from this file was found changed since it was loaded.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.changed.load(Ordering::Relaxed)
    }

    /// The file, to write a spill file or read it.
    #[must_use]
    pub fn file(&self) -> &File {
        &self.file
    }

    /// The count of looks that found the file different from the look before: chunks
    /// checked at this count need no other check. A file whose size cannot be read counts
    /// as changed. The file is looked at for every read, except on a thread reading in
    /// bulk (see [`in_bulk`]), where it is looked at again after [`LOOK_AGAIN`]: an export
    /// reads millions of fields a second, and a `stat` for each cost more than the reads
    /// (what changes in between is still checked to be UTF-8, and caught by the next look).
    fn generation(&self) -> u64 {
        if self.own {
            return 0;
        }
        let mut seen = self.stamp.lock().unwrap_or_else(PoisonError::into_inner);
        if BULK.get() && seen.2.is_some_and(|at| at.elapsed() < LOOK_AGAIN) {
            return seen.1;
        }
        let now = Stamp::of(&self.file).unwrap_or_default();
        seen.2 = Some(std::time::Instant::now());
        if seen.0 != now {
            seen.0 = now;
            seen.1 += 1;
            self.generation.store(seen.1, Ordering::Relaxed);
        }
        seen.1
    }

    /// Reads `buf.len()` bytes at `at`; false when the file has fewer (it shrank) or the
    /// read failed.
    fn read_exact_at(&self, buf: &mut [u8], at: u64) -> bool {
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_exact_at(&self.file, buf, at).is_ok()
        }
        #[cfg(not(unix))]
        {
            let _ = (buf, at);
            false
        }
    }
}

/// Where the text of a chunk lies in a file, as the loader read it.
#[derive(Debug, Clone)]
pub struct Place {
    pub backing: Arc<Backing>,
    /// Where the chunk's first byte is in the file.
    pub offset: u64,
    /// The hash of the bytes read (see [`hash`]).
    pub hash: u64,
}

/// The hash of a chunk's bytes as read, to tell later whether they are still the same.
#[must_use]
pub fn hash(bytes: &[u8]) -> u64 {
    twox_hash::XxHash3_64::oneshot(bytes)
}

/// One chunk of text in a file: read where it lies, rewritten again where the loader
/// rewrote it in place (unescaped JSON strings), checked to be UTF-8 each time.
#[derive(Debug)]
pub struct FileText {
    backing: Arc<Backing>,
    offset: u64,
    len: u64,
    /// The ranges rewritten in place, in order, and the function that did it.
    ranges: Box<[(u32, u32)]>,
    rewrite: Option<fn(&mut [u8])>,
    hash: u64,
    /// The generation of the file (see [`Backing::generation`]) at which the chunk was
    /// last found the same as at load; `u64::MAX` once found changed.
    checked: AtomicU64,
    /// The last stretch read, for the next field, which is usually close by (the rows of
    /// the list, a whole export in document order).
    window: Mutex<Option<Window>>,
}

/// Bytes of a chunk read ahead, rewritten already.
#[derive(Debug)]
struct Window {
    start: usize,
    bytes: Vec<u8>,
}

/// How much is read ahead for the next fields.
const WINDOW: usize = 64 << 10;

impl FileText {
    /// The chunk of `len` bytes at `place`, rewritten in place where `rewritten` says;
    /// `None` when positions in it do not fit (a chunk of 4 GiB or more).
    #[must_use]
    pub fn new(place: Place, len: usize, rewritten: &Rewritten) -> Option<Self> {
        let fit = |n: usize| u32::try_from(n).ok();
        fit(len)?;
        let ranges = rewritten
            .ranges
            .iter()
            .map(|r| Some((fit(r.start)?, fit(r.end)?)))
            .collect::<Option<Vec<_>>>()?;
        let mut ranges = ranges;
        ranges.sort_unstable();
        Some(Self {
            backing: place.backing,
            offset: place.offset,
            len: len as u64,
            ranges: ranges.into_boxed_slice(),
            rewrite: rewritten.rewrite,
            hash: place.hash,
            checked: AtomicU64::new(0),
            window: Mutex::new(None),
        })
    }

    /// The chunk's length in bytes.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.len
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The file the chunk is in.
    #[must_use]
    pub fn backing(&self) -> &Arc<Backing> {
        &self.backing
    }

    /// Whether the chunk is as it was read, checking it again (a whole read and a hash)
    /// when the file looks different from the last time it was checked.
    fn current(&self) -> bool {
        let generation = self.backing.generation();
        let checked = self.checked.load(Ordering::Relaxed);
        if checked == generation {
            return true;
        }
        if checked == u64::MAX {
            return false;
        }
        let same = self.hash_now() == Some(self.hash);
        if same {
            self.checked.store(generation, Ordering::Relaxed);
        } else {
            self.stale();
        }
        same
    }

    /// The hash of the chunk's bytes as the file holds them now, read a block at a time
    /// (the last piece of a file that grew while it loaded can be large); `None` when the
    /// file no longer holds them all.
    fn hash_now(&self) -> Option<u64> {
        use std::hash::Hasher as _;
        const BLOCK: u64 = 1 << 20;
        let mut hasher = twox_hash::XxHash3_64::default();
        let mut block = vec![0; usize::try_from(BLOCK.min(self.len)).ok()?];
        let mut at = 0;
        while at < self.len {
            let n = usize::try_from(BLOCK.min(self.len - at)).ok()?;
            let bytes = &mut block[..n];
            if !self.backing.read_exact_at(bytes, self.offset + at) {
                return None;
            }
            hasher.write(bytes);
            at += n as u64;
        }
        Some(hasher.finish())
    }

    /// Marks the chunk changed, for good.
    fn stale(&self) {
        self.checked.store(u64::MAX, Ordering::Relaxed);
        self.backing.changed.store(true, Ordering::Relaxed);
        *self.window.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The text of `range`, or [`CHANGED`].
    pub(super) fn read(&self, range: Range<usize>) -> Cow<'static, str> {
        let text = if self.current() {
            self.read_through_window(range)
        } else {
            None
        };
        text.map_or_else(
            || {
                self.stale();
                Cow::Borrowed(CHANGED)
            },
            Cow::Owned,
        )
    }

    /// The text of `range`, from the window read last or a new one read from it on;
    /// `None` when the file no longer holds it as it was.
    fn read_through_window(&self, range: Range<usize>) -> Option<String> {
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = window
            .as_ref()
            .is_some_and(|w| range.start >= w.start && range.end - w.start <= w.bytes.len());
        if !cached {
            // Read on past the field (up to a window) for the fields that follow it.
            let end = usize::try_from(self.len)
                .unwrap_or(usize::MAX)
                .min(range.end.max(range.start.saturating_add(WINDOW)));
            let (start, bytes) = self.raw(range.start..end)?;
            *window = Some(Window { start, bytes });
        }
        let w = window.as_ref()?;
        let bytes = w.bytes.get(range.start - w.start..range.end - w.start)?;
        std::str::from_utf8(bytes).ok().map(str::to_string)
    }

    /// The text of `range` (on character boundaries) at once, for a scan, read into `buf`
    /// (a scan reads stretch after stretch into the same memory); `None` when the chunk
    /// changed.
    pub(super) fn stretch<'b>(&self, range: Range<usize>, buf: &'b mut Vec<u8>) -> Option<&'b str> {
        if !self.current() {
            return None;
        }
        let Some(start) = self.raw_into(range.clone(), buf) else {
            self.stale();
            return None;
        };
        let bytes = buf.get(range.start - start..range.end - start)?;
        // Checked every time: the bytes come from a file anyone may have written since.
        let text = simdutf8::basic::from_utf8(bytes).ok();
        if text.is_none() {
            self.stale();
        }
        text
    }

    /// The bytes of the chunk from before `range` to after it, widened to cover every
    /// range rewritten in place that it touches, and rewritten as the loader did; with
    /// where they start. `None` when the file no longer holds them.
    fn raw(&self, range: Range<usize>) -> Option<(usize, Vec<u8>)> {
        let mut bytes = Vec::new();
        let start = self.raw_into(range, &mut bytes)?;
        Some((start, bytes))
    }

    /// [`FileText::raw`] into `bytes`, whose memory is reused; gives where they start.
    fn raw_into(&self, range: Range<usize>, bytes: &mut Vec<u8>) -> Option<usize> {
        if range.start > range.end || range.end as u64 > self.len {
            return None;
        }
        let (mut from, mut to) = (range.start, range.end);
        let first = self
            .ranges
            .partition_point(|&(_, end)| end as usize <= from);
        let end_asked = to;
        let touched = self.ranges[first..]
            .iter()
            .take_while(|&&(start, _)| (start as usize) < end_asked);
        for &(start, end) in touched.clone() {
            from = from.min(start as usize);
            to = to.max(end as usize);
        }
        if to as u64 > self.len {
            return None;
        }
        // Only memory not used before is zeroed: the read writes over the rest.
        bytes.truncate(to - from);
        bytes.resize(to - from, 0);
        if !self.backing.read_exact_at(bytes, self.offset + from as u64) {
            return None;
        }
        if let Some(rewrite) = self.rewrite {
            for &(start, end) in touched {
                if let Some(place) = bytes.get_mut(start as usize - from..end as usize - from) {
                    rewrite(place);
                }
            }
        }
        Some(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_hashed_a_block_at_a_time_hashes_as_it_did_whole() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("text");
        let bytes: Vec<u8> = (0..(3usize << 20) + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        std::fs::write(&path, &bytes).expect("write");
        let backing = Backing::input(File::open(&path).expect("open"), "text").expect("backing");
        for (offset, len) in [(0, bytes.len()), (7, 1 << 20), (100, 0), (1, (2 << 20) + 3)] {
            let chunk = &bytes[offset..offset + len];
            let place = Place {
                backing: Arc::clone(&backing),
                offset: offset as u64,
                hash: hash(chunk),
            };
            let file = FileText::new(place, len, &Rewritten::default()).expect("fits");
            assert_eq!(file.hash_now(), Some(hash(chunk)), "{offset} {len}");
            assert!(file.current());
        }
    }
}
