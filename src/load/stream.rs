//! Loading a document in pieces as it is read, so the first reviews can be on screen long
//! before a large file is fully read.
//!
//! Copied page text streams: it is read in chunks that are cut just after a `Permalink` line
//! (no review spans two chunks), each chunk becomes a chunk of the store as it is (no second
//! copy of the text), and is parsed and handed over at once. The other formats are read
//! whole and parsed in one go.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use super::text::Chunked;
use super::{Format, LoadError, Loaded, decode, detect, load_bytes};
use crate::model::StoreBuilder;

/// The first chunk is small so that the first screen comes fast; later ones are large so
/// that the store has few chunks and reading costs little per byte.
const FIRST_CHUNK: usize = 256 * 1024;
const LATER_CHUNK: usize = 32 * 1024 * 1024;
/// Pieces after the first start at this size and double up to [`LATER_CHUNK`]: a small
/// file still splits into enough pieces for every core to parse one.
const SECOND_CHUNK: usize = 1024 * 1024;

/// One piece of a document: its reviews and text, and how much of the input has been read.
#[derive(Debug)]
pub struct Piece {
    pub loaded: Loaded,
    /// Bytes of the input read so far.
    pub bytes_read: u64,
}

/// Why a stream stopped early.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    #[error("larger than the {limit}-byte limit (--max-size)")]
    TooLarge { limit: u64 },
    /// The receiver no longer wants pieces (the user quit).
    #[error("cancelled")]
    Cancelled,
}

/// Reads a document from `reader`, handing each parsed piece to `on_piece` as soon as it is
/// ready. `on_piece` returns false to stop. At most `max_size` bytes are read.
///
/// # Errors
/// When the input cannot be read, is too large, is not a review document, or holds no
/// review at all (known only at the end).
pub fn stream(
    reader: &mut (dyn Read + Send),
    label: &str,
    format: Option<Format>,
    max_size: u64,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(), StreamError> {
    let mut buf = Vec::with_capacity(FIRST_CHUNK);
    let mut total: u64 = 0;
    let mut eof = fill(reader, &mut buf, FIRST_CHUNK, &mut total, max_size)?;
    let head = String::from_utf8_lossy(&buf[..buf.len().min(64 * 1024)]);
    let streams = format.unwrap_or_else(|| detect(&head)) == Format::Text
        && !matches!(buf.as_slice(), [0xff, 0xfe, ..] | [0xfe, 0xff, ..]);
    if !streams {
        while !eof {
            eof = fill(reader, &mut buf, LATER_CHUNK, &mut total, max_size)?;
        }
        let loaded = load_bytes(buf, label, format)?;
        on_piece(Piece {
            loaded,
            bytes_read: total,
        });
        return Ok(());
    }
    if let Some(offset) = memchr::memchr(0, &buf) {
        return Err(LoadError::Binary { offset }.into());
    }

    let mut parser = Chunked::new(label);
    let mut tally = Tally::default();
    // The first piece is read and parsed right here, so the first screen waits for no thread.
    let cut = loop {
        let cut = if eof {
            Some(buf.len())
        } else {
            last_block_end(&buf)
        };
        if let Some(cut) = cut {
            break cut;
        }
        // No complete review yet (a very long one): read on before parsing.
        eof = fill(reader, &mut buf, LATER_CHUNK, &mut total, max_size)?;
    };
    let rest = buf.split_off(cut);
    let chunk = std::mem::replace(&mut buf, rest);
    tally.any_text |= !chunk.iter().all(u8::is_ascii_whitespace);
    let (text, warnings) = match decode(chunk) {
        Ok(decoded) => decoded,
        Err(LoadError::Empty) => (String::new(), Vec::new()),
        Err(err) => return Err(err.into()),
    };
    let loaded = parse_piece(&mut parser, text, warnings, eof);
    if !tally.deliver(loaded, total, eof, on_piece) {
        return Err(StreamError::Cancelled);
    }
    if !eof {
        pipeline(reader, buf, total, max_size, &parser, &mut tally, on_piece)?;
    }
    let Tally {
        any_text,
        any_review,
    } = tally;
    if !any_text {
        return Err(LoadError::Empty.into());
    }
    if !any_review {
        return Err(LoadError::NoReviews {
            format: Format::Text,
        }
        .into());
    }
    Ok(())
}

/// What has been seen of a streamed document, to tell "empty" and "no reviews" at the end.
#[derive(Debug, Default)]
struct Tally {
    any_text: bool,
    any_review: bool,
}

impl Tally {
    /// Hands a parsed piece on, unless it holds nothing worth sending. Returns false when
    /// the receiver wants no more.
    fn deliver(
        &mut self,
        loaded: Loaded,
        bytes_read: u64,
        last: bool,
        on_piece: &mut dyn FnMut(Piece) -> bool,
    ) -> bool {
        self.any_review |= !loaded.document.reviews.is_empty();
        if loaded.document.reviews.is_empty() && loaded.warnings.is_empty() && !last {
            return true;
        }
        on_piece(Piece { loaded, bytes_read })
    }
}

/// Parses one decoded piece; `warnings` are the decoder's, numbered within the piece.
fn parse_piece(
    parser: &mut Chunked,
    text: String,
    mut warnings: Vec<super::Warning>,
    last: bool,
) -> Loaded {
    let first_line = parser.lines_read();
    for w in &mut warnings {
        w.line = w.line.map(|l| l + first_line);
    }
    let mut loaded = parser.parse(StoreBuilder::new(text), last);
    warnings.append(&mut loaded.warnings);
    loaded.warnings = warnings;
    loaded
}

/// A piece of work for the parsing threads.
struct Job {
    seq: usize,
    bytes: Vec<u8>,
    /// Lines in the document before this piece.
    lines_before: usize,
    bytes_read: u64,
    last: bool,
}

/// What comes back from the reading and parsing threads.
enum Done {
    Parsed {
        seq: usize,
        loaded: Loaded,
        bytes_read: u64,
        last: bool,
    },
    Failed(StreamError),
}

/// Reads and parses the rest of a document on all cores: one thread reads and cuts pieces
/// (counting their lines, so warnings keep their numbers), two parse them, and this thread
/// hands them on in order. The reading overlaps the parsing, and on two cores the parsing
/// takes half the time.
fn pipeline(
    reader: &mut (dyn Read + Send),
    carry: Vec<u8>,
    total: u64,
    max_size: u64,
    parser: &Chunked,
    tally: &mut Tally,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(), StreamError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4);
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(workers);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<Done>(workers * 2);
    let first_line = parser.lines_read();
    std::thread::scope(|scope| {
        let stop = &stop;
        let reader_done = done_tx.clone();
        scope.spawn(move || {
            if let Err(err) = read_pieces(reader, carry, total, max_size, first_line, &job_tx, stop)
            {
                let _ = reader_done.send(Done::Failed(err));
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            let mut template = parser.clone();
            scope.spawn(move || {
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    if stop.load(Ordering::Relaxed) {
                        // Keep taking jobs (and dropping them) until the reader stops, so it
                        // never waits on a full queue that nobody empties.
                        continue;
                    }
                    template.continue_at(job.lines_before);
                    // Unlike the first piece, a NUL byte this far in is text gone wrong, which
                    // the sanitizer shows, not a sign of a binary file.
                    let (text, warnings) = super::decode_utf8(job.bytes);
                    let loaded = parse_piece(&mut template, text, warnings, job.last);
                    let parsed = Done::Parsed {
                        seq: job.seq,
                        loaded,
                        bytes_read: job.bytes_read,
                        last: job.last,
                    };
                    if done_tx.send(parsed).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Pieces finish out of order; they are handed on in order.
        let mut ready: BTreeMap<usize, (Loaded, u64, bool)> = BTreeMap::new();
        let mut next = 0;
        let mut failure = None;
        for done in &done_rx {
            match done {
                Done::Parsed {
                    seq,
                    loaded,
                    bytes_read,
                    last,
                } => {
                    ready.insert(seq, (loaded, bytes_read, last));
                }
                Done::Failed(err) => {
                    failure.get_or_insert(err);
                    stop.store(true, Ordering::Relaxed);
                }
            }
            while failure.is_none()
                && let Some((loaded, bytes_read, last)) = ready.remove(&next)
            {
                next += 1;
                if !tally.deliver(loaded, bytes_read, last, on_piece) {
                    failure = Some(StreamError::Cancelled);
                    stop.store(true, Ordering::Relaxed);
                }
            }
            if failure.is_some() {
                // Let the threads see the stop and wind down.
                ready.clear();
            }
        }
        failure.map_or(Ok(()), Err)
    })
}

/// The reading thread: reads pieces cut after a `Permalink` line and queues them, numbered
/// in order and with the count of lines before each.
fn read_pieces(
    reader: &mut (dyn Read + Send),
    mut buf: Vec<u8>,
    mut total: u64,
    max_size: u64,
    mut lines_before: usize,
    jobs: &mpsc::SyncSender<Job>,
    stop: &AtomicBool,
) -> Result<(), StreamError> {
    let mut seq = 0;
    let mut eof = false;
    let mut size = SECOND_CHUNK;
    while !eof {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        eof = fill(reader, &mut buf, size, &mut total, max_size)?;
        size = (size * 2).min(LATER_CHUNK);
        let cut = if eof {
            Some(buf.len())
        } else {
            last_block_end(&buf)
        };
        let Some(cut) = cut else { continue };
        let rest = buf.split_off(cut);
        let bytes = std::mem::replace(&mut buf, rest);
        let lines = memchr::memchr_iter(b'\n', &bytes).count();
        let job = Job {
            seq,
            bytes,
            lines_before,
            bytes_read: total,
            last: eof,
        };
        if jobs.send(job).is_err() {
            return Ok(());
        }
        seq += 1;
        lines_before += lines;
    }
    Ok(())
}

/// Reads up to `want` more bytes into `buf`. Returns whether the input ended.
fn fill(
    reader: &mut (dyn Read + Send),
    buf: &mut Vec<u8>,
    want: usize,
    total: &mut u64,
    max_size: u64,
) -> Result<bool, StreamError> {
    buf.reserve(want);
    let limit = want as u64;
    let got = reader.take(limit).read_to_end(buf)? as u64;
    *total += got;
    if *total > max_size {
        return Err(StreamError::TooLarge { limit: max_size });
    }
    Ok(got < limit)
}

/// Where the last complete review block of `buf` ends: just after its last `Permalink`
/// line. `None` when `buf` holds none.
fn last_block_end(buf: &[u8]) -> Option<usize> {
    let mut end = buf.len();
    // The last line may be incomplete: only lines ending in `\n` count.
    while let Some(newline) = memchr::memrchr(b'\n', &buf[..end]) {
        let line_start = memchr::memrchr(b'\n', &buf[..newline]).map_or(0, |i| i + 1);
        let line = String::from_utf8_lossy(&buf[line_start..newline]);
        if super::text::is_permalink(line.trim_end_matches('\r')) {
            return Some(newline + 1);
        }
        end = line_start;
        if end == 0 {
            break;
        }
    }
    None
}

/// Loads a whole document through [`stream`], for callers that want it all at once.
///
/// # Errors
/// As [`stream`].
pub fn load_all(
    reader: &mut (dyn Read + Send),
    label: &str,
    format: Option<Format>,
    max_size: u64,
) -> Result<Loaded, StreamError> {
    let mut whole: Option<Loaded> = None;
    stream(reader, label, format, max_size, &mut |piece| {
        match &mut whole {
            None => whole = Some(piece.loaded),
            Some(all) => all.absorb(piece.loaded),
        }
        true
    })?;
    whole.ok_or(StreamError::Load(LoadError::Empty))
}

impl Loaded {
    /// Adds the next piece of the same document.
    pub fn absorb(&mut self, mut piece: Loaded) {
        self.document.extend_source(0, piece.document);
        self.warnings.append(&mut piece.warnings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SAMPLE;

    /// A reader that hands out a few bytes at a time, like a slow pipe.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn export(loaded: &Loaded) -> String {
        let indices: Vec<usize> = (0..loaded.document.reviews.len()).collect();
        let mut out = Vec::new();
        crate::export::write(
            &mut out,
            &loaded.document,
            &indices,
            crate::export::OutputFormat::Json,
        )
        .expect("export");
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn streamed_pieces_add_up_to_the_whole_document() {
        let whole = load_bytes(SAMPLE.as_bytes().to_vec(), "s", None).expect("loads");
        // Many copies, so the document spans several chunks.
        let big = SAMPLE.repeat(40);
        let mut pieces = 0;
        let mut all: Option<Loaded> = None;
        stream(&mut big.as_bytes(), "s", None, u64::MAX, &mut |p| {
            pieces += 1;
            match &mut all {
                None => all = Some(p.loaded),
                Some(a) => a.absorb(p.loaded),
            }
            true
        })
        .expect("streams");
        let all = all.expect("a piece");
        assert!(pieces > 1, "{pieces} pieces");
        assert_eq!(all.document.reviews.len(), 25 * 40);
        assert_eq!(all.document.sources.len(), 1);
        assert_eq!(all.document.sources[0].title.as_deref(), Some("Pusher II"));
        let first = export(&whole);
        let streamed = export(&all);
        // The first 25 reviews are the sample's, field for field.
        let head_len = first.rfind("\n  ]").expect("end of reviews");
        assert_eq!(&streamed[..head_len], &first[..head_len]);
    }

    #[test]
    fn a_trickling_reader_gives_the_same_reviews() {
        let whole = load_bytes(SAMPLE.as_bytes().to_vec(), "s", None).expect("loads");
        let mut slow = Trickle {
            data: SAMPLE.as_bytes(),
            step: 7,
        };
        let streamed = load_all(&mut slow, "s", None, u64::MAX).expect("streams");
        assert_eq!(export(&streamed), export(&whole));
        assert!(streamed.warnings.is_empty());
    }

    #[test]
    fn warnings_keep_their_line_numbers_across_chunks() {
        let bad_block = "8/10\nTitle\nbob11 March 2006\nbody\nPermalink\n";
        let mut text = SAMPLE.repeat(20);
        text.push('\n');
        let line = text.matches('\n').count() + 1;
        text.push_str(bad_block);
        let loaded = load_all(&mut text.as_bytes(), "s", None, u64::MAX).expect("loads");
        let w = loaded.warnings.last().expect("a warning");
        assert_eq!(w.line, Some(line + 2), "{w}");
    }

    #[test]
    fn limits_and_failures() {
        let err = load_all(&mut SAMPLE.as_bytes(), "s", None, 100).expect_err("too large");
        assert!(matches!(err, StreamError::TooLarge { limit: 100 }));
        let err = load_all(&mut &b"no reviews here\n"[..], "s", None, u64::MAX).expect_err("none");
        assert!(matches!(
            err,
            StreamError::Load(LoadError::NoReviews { .. })
        ));
        let err = load_all(&mut &b"a\0b"[..], "s", None, u64::MAX).expect_err("binary");
        assert!(matches!(
            err,
            StreamError::Load(LoadError::Binary { offset: 1 })
        ));
        let err = load_all(&mut &b"  \n "[..], "s", None, u64::MAX).expect_err("empty");
        assert!(matches!(err, StreamError::Load(LoadError::Empty)));
    }

    #[test]
    fn other_formats_load_whole() {
        let json = export(&load_bytes(SAMPLE.as_bytes().to_vec(), "s", None).expect("loads"));
        let loaded = load_all(&mut json.as_bytes(), "s", None, u64::MAX).expect("loads");
        assert_eq!(loaded.document.reviews.len(), 25);
    }
}
