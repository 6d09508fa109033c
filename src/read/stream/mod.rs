//! Loading a document in pieces as it is read, so the first reviews can be on screen long
//! before a large file is fully read.
//!
//! A format that can be read in pieces (see [`PieceReader`]; today the copied page text)
//! streams: it is read in chunks that are cut just after the end of a record, where the
//! format says one ends (no review spans two chunks), each chunk becomes a chunk of the store as it is (no second
//! copy of the text), and is parsed and handed over at once. A file that can be read at any
//! offset is read by every parsing thread, each its own pieces; a pipe by one reading thread
//! that hands pieces to the others. The other formats are read whole and parsed in one go.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use bytestring::ByteString;

use super::buffer::Buffer;
use crate::load::{
    Format, LoadError, Loaded, Options, PieceReader, Pieces, Warning, decode, detect, load_with,
};
use crate::model::StoreBuilder;
use crate::model::backing::{self, Backing};
use crate::tuning::{
    FIRST_PIECE, LATER_PIECE, PIECES_PER_THREAD, SECOND_PIECE, SMALLEST_PIECE, SNIFF_BYTES, threads,
};

/// One piece of a document: its reviews and text, and how much of the input has been read.
#[derive(Debug)]
pub struct Piece {
    pub loaded: Loaded,
    /// Bytes of the input read so far.
    pub bytes_read: u64,
    /// The piece goes on with the one film of the piece before (a streamed page, whose
    /// later pieces may say more about it); otherwise its films join those of the same
    /// name.
    pub continues: bool,
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
    /// A compressed stream or an archive unpacked past the limit: a bomb, perhaps.
    #[error("decompresses to more than the {limit}-byte limit (--max-size)")]
    Decompressed { limit: u64 },
    /// The receiver no longer wants pieces (the user quit).
    #[error("cancelled")]
    Cancelled,
    /// The spill file the text goes to could not take it.
    #[error("no room to keep its text in {dir}: {reason}")]
    Spill { dir: String, reason: String },
}

/// Input that can be read at any offset, by several threads at once: a regular file.
pub trait ReadAt: Sync {
    /// Reads into `buf` from `offset`; fewer bytes (0 at the end) like [`Read::read`].
    ///
    /// # Errors
    /// As the underlying read.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;

    /// How long the input is now.
    ///
    /// # Errors
    /// When that cannot be known.
    fn size(&self) -> io::Result<u64>;

    /// The file itself, where the input is one: text can be left there.
    fn file(&self) -> Option<&std::fs::File> {
        None
    }
}

#[cfg(unix)]
impl ReadAt for std::fs::File {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }

    fn size(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    fn file(&self) -> Option<&std::fs::File> {
        Some(self)
    }
}

impl ReadAt for &[u8] {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let rest = usize::try_from(offset)
            .ok()
            .and_then(|at| self.get(at..))
            .unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        Ok(n)
    }

    fn size(&self) -> io::Result<u64> {
        Ok(<[u8]>::len(self) as u64)
    }
}

/// Reads a document from `reader`, handing each parsed piece to `on_piece` as soon as it is
/// ready. `on_piece` returns false to stop. At most `max_size` bytes are read. `positional`
/// is the same input again, where it can be read at any offset: the rest of it is then read
/// by all the parsing threads at once.
///
/// # Errors
/// When the input cannot be read, is too large, is not a review document, or holds no
/// review at all (known only at the end).
pub fn stream(
    reader: &mut (dyn Read + Send),
    positional: Option<&dyn ReadAt>,
    label: &str,
    format: Option<Format>,
    options: &Options,
    max_size: u64,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(), StreamError> {
    stream_following(
        reader, positional, label, format, options, max_size, on_piece,
    )
    .map(|_| ())
}

/// [`stream`], and then, for a file of a format read in pieces whose text is left in it,
/// what follows the file as it grows (see [`Follow`]).
///
/// # Errors
/// As [`stream`].
pub fn stream_following(
    reader: &mut (dyn Read + Send),
    positional: Option<&dyn ReadAt>,
    label: &str,
    format: Option<Format>,
    options: &Options,
    max_size: u64,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<Option<Follow>, StreamError> {
    let mut buf = Vec::with_capacity(FIRST_PIECE);
    let mut total: u64 = 0;
    let mut eof = fill(reader, &mut buf, FIRST_PIECE, &mut total, max_size)?;
    // A CSV is known by the names in its header, so a header row longer than the bytes
    // sniffed (a huge column name) is read whole, up to a bound.
    let mut line_end = memchr::memchr(b'\n', &buf);
    while line_end.is_none() && !eof && buf.len() < MAX_HEADER {
        eof = fill(reader, &mut buf, FIRST_PIECE, &mut total, max_size)?;
        line_end = memchr::memchr(b'\n', &buf);
    }
    let head_len = line_end.map_or(0, |end| end + 1).max(SNIFF_BYTES);
    let head = String::from_utf8_lossy(&buf[..buf.len().min(head_len)]);
    let requested = format;
    let format = format.unwrap_or_else(|| detect(&head));
    // UTF-16 is decoded whole: a cut could fall between the two bytes of a character.
    let utf16 = matches!(buf.as_slice(), [0xff, 0xfe, ..] | [0xfe, 0xff, ..]);
    // Text in another encoding is decoded whole, in the encoding found for all of it.
    let legacy = options.encoding.is_some_and(|e| e != encoding_rs::UTF_8)
        || std::str::from_utf8(&buf).is_err_and(|e| e.error_len().is_some());
    let pieces = if utf16 || legacy {
        None
    } else {
        crate::load::piece_reader(format, label, &head, options)?
    };
    // A document that came whole in the first read and from no file (the built-in
    // sample, a short pipe) is small: it stays in memory rather than go to a spill file.
    let in_file = positional.and_then(ReadAt::file).is_some();
    let home = match pieces {
        Some(_) if in_file || !eof => Home::open(options, positional, label),
        _ => None,
    };
    // What is held in memory has a cap of its own; text left in a file only `max_size`.
    let max_size = if home.is_some() {
        max_size
    } else {
        max_size.min(options.keep.memory_cap)
    };
    let Some(parser) = pieces else {
        if let Some(input) = positional
            && !eof
        {
            // A file read whole: into memory of its exact size, in one go, instead of a
            // buffer that grows (and is moved) as it fills.
            let (bytes, end) = read_range(input, 0, None, max_size, &mut Buffer::heap)?;
            (buf, total) = (bytes.into_vec(), end);
            eof = true;
        }
        while !eof {
            eof = fill(reader, &mut buf, LATER_PIECE, &mut total, max_size)?;
        }
        // Text in another encoding is told apart once decoded, not by its raw bytes.
        let format = if legacy { requested } else { Some(format) };
        let loaded = load_with(buf, label, format, options)?;
        on_piece(Piece {
            loaded,
            bytes_read: total,
            continues: false,
        });
        return Ok(None);
    };
    // Past the first 64 KiB a NUL byte is text gone wrong, shown and warned about.
    if let Some(offset) = memchr::memchr(0, &buf[..buf.len().min(SNIFF_BYTES)]) {
        return Err(LoadError::Binary { offset }.into());
    }
    let start = Start {
        buf,
        total,
        eof,
        max_size,
        format,
        home,
        // Only a file is followed: a pipe's last record is read as it is.
        follow: options.follow && in_file,
    };
    match parser {
        Pieces::Text(parser) => stream_pieces(parser, reader, positional, start, on_piece),
        Pieces::Lines(parser) => stream_pieces(parser, reader, positional, start, on_piece),
    }
}

/// What has been read of a document when its pieces start to be parsed.
struct Start {
    /// The first bytes read, `total` of them.
    buf: Vec<u8>,
    total: u64,
    eof: bool,
    max_size: u64,
    format: Format,
    home: Option<Home>,
    /// Following the file from the start: the last record is read only once whole.
    follow: bool,
}

/// Where the text of a document read in pieces is left once each piece is parsed: the
/// input file itself, or a spill file the pieces are written to as they are read (a pipe,
/// a decompressed stream). Text the reading had to change (invalid UTF-8, lone CRs, NUL
/// bytes) stays in memory.
struct Home {
    backing: Arc<Backing>,
    /// For a spill file: where it is, and how much it may take.
    spill: Option<(std::path::PathBuf, u64)>,
    /// Bytes of pieces that could not be left in the file (decoding changed them: bad
    /// UTF-8, NUL bytes, lone CRs) and stay in memory, against the cap of what is held.
    held: std::sync::atomic::AtomicU64,
    memory_cap: u64,
}

impl Home {
    /// The home of a document's text, as `options` allow: `None` keeps it in memory (no
    /// spill folder was given, or no spill file could be made in it or the temporary
    /// folder).
    fn open(options: &Options, positional: Option<&dyn ReadAt>, label: &str) -> Option<Self> {
        let dir = options.keep.spill_dir.as_ref()?;
        if let Some(file) = positional.and_then(ReadAt::file) {
            let backing = Backing::input(file.try_clone().ok()?, label).ok()?;
            return Some(Self {
                backing,
                spill: None,
                held: 0.into(),
                memory_cap: options.keep.memory_cap,
            });
        }
        let (file, dir) = [dir.clone(), std::env::temp_dir()]
            .into_iter()
            .find_map(|dir| Some((spill_file(&dir).ok()?, dir)))?;
        let room = room_on_disk(&file);
        Some(Self {
            backing: Backing::spill(file, label),
            spill: Some((dir, room)),
            held: 0.into(),
            memory_cap: options.keep.memory_cap,
        })
    }

    /// The error for text held in memory past its cap, if it is.
    fn over_cap(&self) -> Option<StreamError> {
        (self.held.load(Ordering::Relaxed) > self.memory_cap).then_some(StreamError::TooLarge {
            limit: self.memory_cap,
        })
    }

    /// Where the text is kept, as `--explain` and `w` say it.
    fn said(&self) -> String {
        match &self.spill {
            Some((dir, _)) => format!(
                "text kept in a spill file with no name in {}, read back when shown",
                crate::read::Input::File(dir.clone())
            ),
            None => "text left in the file, read back when shown".into(),
        }
    }

    /// The hash of a piece's bytes, to tell later whether the input changed (a spill file
    /// does not).
    fn hash(&self, bytes: &[u8]) -> u64 {
        if self.spill.is_some() {
            0
        } else {
            backing::hash(bytes)
        }
    }

    /// Writes a piece read at `offset` to the spill file, if the text goes to one.
    fn write(&self, bytes: &[u8], offset: u64) -> Result<(), StreamError> {
        let Some((dir, room)) = &self.spill else {
            return Ok(());
        };
        let full = |reason: String| StreamError::Spill {
            dir: crate::read::Input::File(dir.clone()).to_string(),
            reason,
        };
        if offset + bytes.len() as u64 > *room {
            return Err(full(format!(
                "it would leave less than {} free on that disk",
                crate::read::describe_size(SPILL_RESERVE)
            )));
        }
        write_at(self.backing.file(), bytes, offset).map_err(|err| full(err.to_string()))
    }

    /// Leaves a parsed piece's text, read at `offset`, in the file, when it is the file's
    /// bytes there (`verbatim`). Gives back the memory it was in, to read the next piece
    /// into: fresh memory costs a page fault every 4 KiB, more than the read itself.
    fn settle(
        &self,
        loaded: &mut Loaded,
        offset: u64,
        hash: u64,
        verbatim: bool,
    ) -> Option<Vec<u8>> {
        if !verbatim {
            let len = loaded.document.text_bytes() as u64;
            self.held.fetch_add(len, Ordering::Relaxed);
            return None;
        }
        let memory = loaded.document.keep_text_in(backing::Place {
            backing: Arc::clone(&self.backing),
            offset,
            hash,
        })?;
        memory.into_bytes().try_into_mut().ok().map(Vec::from)
    }
}

/// Space a spill file leaves free on its disk: other programs need some too.
const SPILL_RESERVE: u64 = 1 << 30;

/// A new spill file in `dir`, which is made (private) if need be. On Linux it has no name
/// at all (`O_TMPFILE`); elsewhere it is unlinked at once.
fn spill_file(dir: &std::path::Path) -> io::Result<std::fs::File> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    tempfile::tempfile_in(dir)
}

/// How much a spill file may hold: the space free on its disk, less [`SPILL_RESERVE`].
fn room_on_disk(file: &std::fs::File) -> u64 {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::fstatvfs(file).map_or(u64::MAX, |s| {
            s.f_bavail
                .saturating_mul(s.f_frsize)
                .saturating_sub(SPILL_RESERVE)
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = file;
        u64::MAX
    }
}

/// Writes all of `bytes` at `offset`.
fn write_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Seek, Write};
        let mut file = file;
        file.seek(io::SeekFrom::Start(offset))?;
        file.write_all(bytes)
    }
}

/// The longest first line read whole to tell the format by.
const MAX_HEADER: usize = 4 << 20;

/// [`stream`] for a format read in pieces, from what `start` holds.
fn stream_pieces<P: PieceReader>(
    mut parser: P,
    reader: &mut (dyn Read + Send),
    positional: Option<&dyn ReadAt>,
    start: Start,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<Option<Follow>, StreamError> {
    let Start {
        mut buf,
        mut total,
        mut eof,
        max_size,
        format,
        home: home_owned,
        follow,
    } = start;
    let home = home_owned.as_ref();
    let mut tally = Tally {
        one_source: P::ONE_SOURCE,
        ..Tally::default()
    };
    // The first piece is read and parsed right here, so the first screen waits for no thread.
    let cut = loop {
        let cut = if eof && follow {
            Some(follow::whole_records::<P>(&buf))
        } else if eof {
            Some(buf.len())
        } else {
            P::last_record_end(&buf)
        };
        if let Some(cut) = cut {
            break cut;
        }
        // No complete review yet (a very long one): read on before parsing.
        eof = fill(reader, &mut buf, LATER_PIECE, &mut total, max_size)?;
    };
    let rest = buf.split_off(cut);
    let chunk = std::mem::replace(&mut buf, rest);
    tally.any_text |= !chunk.iter().all(u8::is_ascii_whitespace);
    // The text starts after a byte-order mark, and is the file's bytes unless decoding
    // changed some.
    let bom = if chunk.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let raw_len = chunk.len();
    let mut verbatim = memchr::memchr(0, &chunk).is_none() && !crate::load::has_lone_cr(&chunk);
    let hash = home.map(|h| h.hash(&chunk[bom..]));
    if let Some(home) = home {
        home.write(&chunk, 0)?;
    }
    let (text, warnings) = match decode(chunk) {
        Ok(decoded) => decoded,
        Err(LoadError::Empty) => (String::new(), Vec::new()),
        Err(err) => return Err(err.into()),
    };
    verbatim &= warnings.is_empty() && text.len() + bom == raw_len;
    let repaired = crate::sanitize::count_c1(text.as_bytes());
    let mut loaded = parse_piece(&mut parser, text.into(), warnings, eof);
    if let (Some(home), Some(hash)) = (home, hash) {
        let _ = home.settle(&mut loaded, bom as u64, hash, verbatim);
        if let Some(err) = home.over_cap() {
            return Err(err);
        }
    }
    loaded.repaired = repaired;
    if loaded.explained.is_none() {
        loaded.explained = Some(crate::load::Explained::plain(format.name()));
    }
    if let (Some(explained), Some(home)) = (loaded.explained.as_mut(), home) {
        explained.notes.push(home.said());
    }
    if !tally.deliver(loaded, total, eof, on_piece) {
        return Err(StreamError::Cancelled);
    }
    // Where the records read end, and the lines before it, for following the file.
    let mut end = (total - buf.len() as u64, parser.lines_read());
    if !eof {
        let plan = Plan {
            start: end.0,
            max_size,
            home,
            follow,
        };
        if let Some(input) = positional {
            end = read_in_parallel(input, &plan, &parser, &mut tally, on_piece)?;
        } else {
            pipeline(reader, buf, total, &plan, &parser, &mut tally, on_piece)?;
        }
    }
    let Tally {
        any_text,
        any_review,
        ..
    } = tally;
    if !any_text {
        return Err(LoadError::Empty.into());
    }
    if !any_review {
        return Err(LoadError::NoReviews {
            format,
            reason: None,
        }
        .into());
    }
    let file = positional.and_then(ReadAt::file);
    Ok(match (file, home_owned) {
        (Some(file), Some(home)) if home.spill.is_none() => {
            Follow::new(file, end, parser, home, follow).ok()
        }
        _ => None,
    })
}

/// What has been seen of a streamed document, to tell "empty" and "no reviews" at the end.
#[derive(Debug, Default)]
struct Tally {
    any_text: bool,
    any_review: bool,
    /// Each piece is of the one film of the document (see [`PieceReader::ONE_SOURCE`]).
    one_source: bool,
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
        on_piece(Piece {
            loaded,
            bytes_read,
            continues: self.one_source,
        })
    }
}

/// Parses one decoded piece; `warnings` are the decoder's, numbered within the piece.
fn parse_piece(
    parser: &mut impl PieceReader,
    text: ByteString,
    mut warnings: Vec<Warning>,
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
    /// Where the piece starts in the input.
    offset: u64,
    bytes_read: u64,
    last: bool,
}

/// How the rest of a document after its first piece is read: from where, with what cap,
/// and where its text goes.
struct Plan<'h> {
    start: u64,
    max_size: u64,
    home: Option<&'h Home>,
    /// The last piece ends after the last whole record (see [`follow::whole_records`]).
    follow: bool,
}

/// What comes back from the reading and parsing threads.
enum Done {
    /// Piece `seq`, its warnings numbered from its own first line.
    Parsed {
        seq: usize,
        loaded: Loaded,
        /// Lines the piece holds, to number the next piece's warnings.
        lines: usize,
        bytes_read: u64,
        last: bool,
    },
    Failed(StreamError),
}

/// Makes the calling parsing thread give way to every ordinary one: the load takes all the
/// time the processor has left, but the thread drawing the screen (and anything else the
/// user runs) goes first, so the first frame and keys are not held up behind it.
fn yield_to_the_screen() {
    // Per thread only on Linux, where a thread id names one thread; elsewhere it would
    // lower the whole process.
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
}

/// Parses one piece read at any place in the document: its warnings are numbered from its
/// own first line, and [`deliver_in_order`] adds the lines before it.
fn parse_anywhere(
    template: &mut impl PieceReader,
    bytes: Buffer,
    last: bool,
    home: Option<(&Home, u64)>,
) -> (Loaded, usize, Option<Vec<u8>>) {
    template.continue_at(0);
    let hash = home.map(|(home, _)| home.hash(bytes.as_slice()));
    // Unlike the first piece, a NUL byte this far in is text gone wrong, which the
    // sanitizer shows, not a sign of a binary file.
    let (text, warnings, verbatim) = bytes.into_text();
    let repaired = crate::sanitize::count_c1(text.as_bytes());
    let mut loaded = parse_piece(template, text, warnings, last);
    let spare = match (home, hash) {
        (Some((home, offset)), Some(hash)) => home.settle(&mut loaded, offset, hash, verbatim),
        _ => None,
    };
    loaded.repaired = repaired;
    // How the document is read was said with its first piece.
    loaded.explained = None;
    (loaded, template.lines_read(), spare)
}

/// Hands the pieces arriving on `done` on in order (they finish out of order), numbering
/// their warnings in the whole document, whose first piece held `first_line` lines. Sets
/// `stop` when a thread failed or the receiver wants no more, and goes on taking what
/// arrives until every sender is gone.
fn deliver_in_order(
    done: &mpsc::Receiver<Done>,
    first_line: usize,
    stop: &AtomicBool,
    tally: &mut Tally,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(u64, usize), StreamError> {
    let mut ready: BTreeMap<usize, (Loaded, usize, u64, bool)> = BTreeMap::new();
    let mut next = 0;
    let mut lines_before = first_line;
    let mut last_end = 0;
    let mut failure = None;
    for message in done {
        match message {
            Done::Parsed {
                seq,
                loaded,
                lines,
                bytes_read,
                last,
            } => {
                ready.insert(seq, (loaded, lines, bytes_read, last));
            }
            Done::Failed(err) => {
                failure.get_or_insert(err);
                stop.store(true, Ordering::Relaxed);
            }
        }
        while failure.is_none()
            && let Some((mut loaded, lines, bytes_read, last)) = ready.remove(&next)
        {
            next += 1;
            for w in &mut loaded.warnings {
                w.line = w.line.map(|l| l + lines_before);
            }
            lines_before += lines;
            last_end = bytes_read;
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
    match failure {
        Some(err) => Err(err),
        None => Ok((last_end, lines_before)),
    }
}

/// Reads and parses the document from `start` on, on all cores, each thread reading its own
/// pieces with positional reads: the reading (mostly the kernel filling fresh memory) is
/// shared out like the parsing. Pieces are planned at even offsets, each moved on to just
/// after the first record end from there, which every thread finds alike, so the
/// pieces meet without gap or overlap; a piece with no record end in it is empty and the
/// one before it runs on.
fn read_in_parallel<P: PieceReader>(
    input: &dyn ReadAt,
    plan: &Plan<'_>,
    parser: &P,
    tally: &mut Tally,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(u64, usize), StreamError> {
    let workers = threads();
    let Plan {
        start,
        max_size,
        home,
        follow,
    } = *plan;
    let size = input.size()?.max(start);
    // Rounded up: rounded down, a last piece of a few bytes followed the planned ones.
    let piece = (size - start)
        .div_ceil(workers as u64 * PIECES_PER_THREAD)
        .clamp(SMALLEST_PIECE, LATER_PIECE as u64);
    let pieces = usize::try_from((size - start).div_ceil(piece).max(1)).unwrap_or(usize::MAX);
    let planned = |k: usize| start + k as u64 * piece;
    let stop = AtomicBool::new(false);
    let next_piece = std::sync::atomic::AtomicUsize::new(0);
    let (done_tx, done_rx) = mpsc::sync_channel::<Done>(workers * 2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (stop, next_piece) = (&stop, &next_piece);
            let mut template = parser.clone();
            scope.spawn(move || {
                yield_to_the_screen();
                // The memory of the piece before, whose text went back to the file.
                let mut spare: Option<Vec<u8>> = None;
                loop {
                    let k = next_piece.fetch_add(1, Ordering::Relaxed);
                    if k >= pieces || stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let last = k + 1 == pieces;
                    let mut from = start;
                    let read = (|| {
                        from = if k == 0 {
                            start
                        } else {
                            cut_after::<P>(input, planned(k))?
                        };
                        let to = if last {
                            None
                        } else {
                            Some(cut_after::<P>(input, planned(k + 1))?)
                        };
                        // Text rewritten in place must be a heap buffer to become a
                        // `String` without a copy.
                        let fresh = if P::REWRITES || home.is_some() {
                            Buffer::heap
                        } else {
                            Buffer::zeroed
                        };
                        let mut memory = |len: usize| match spare.take() {
                            Some(mut reused) => {
                                // Zeroed only past what was used: the read writes over it.
                                reused.truncate(len);
                                reused.resize(len, 0);
                                Buffer::from(reused)
                            }
                            None => fresh(len),
                        };
                        let (mut bytes, mut end) =
                            read_range(input, from, to, max_size, &mut memory)?;
                        if last && follow {
                            // A record still being written is read once it is whole.
                            let whole = follow::whole_records::<P>(bytes.as_slice());
                            bytes.truncate(whole);
                            end = from + whole as u64;
                        }
                        // Input that is no file is kept in a spill file like a pipe's.
                        if let Some(home) = home {
                            home.write(bytes.as_slice(), from)?;
                        }
                        Ok((bytes, end))
                    })();
                    let message = match read {
                        Ok((bytes, end)) => {
                            let place = home.map(|h| (h, from));
                            let (loaded, lines, memory) =
                                parse_anywhere(&mut template, bytes, last, place);
                            spare = memory;
                            match home.and_then(Home::over_cap) {
                                Some(err) => Done::Failed(err),
                                None => Done::Parsed {
                                    seq: k,
                                    loaded,
                                    lines,
                                    bytes_read: end,
                                    last,
                                },
                            }
                        }
                        Err(err) => Done::Failed(err),
                    };
                    if done_tx.send(message).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        deliver_in_order(&done_rx, parser.lines_read(), &stop, tally, on_piece)
    })
}

/// Where the first record after `at` ends (the line `at` falls in does not count,
/// so that a planned offset anywhere in a line gives the same cut); the end of the input
/// when there is none.
fn cut_after<P: PieceReader>(input: &dyn ReadAt, at: u64) -> Result<u64, StreamError> {
    let mut buf = Vec::new();
    // A review is a few KB, so the cut is nearly always in the first probe; reading more
    // up front cost every piece two large reads into fresh memory.
    let mut probe = 8 * 1024;
    loop {
        let old = buf.len();
        buf.resize(old + probe, 0);
        let got = read_full(input, &mut buf[old..], at + old as u64)?;
        buf.truncate(old + got);
        if let Some(end) = P::first_record_end(&buf) {
            return Ok(at + end as u64);
        }
        if got == 0 {
            return Ok(at + buf.len() as u64);
        }
        probe = (probe * 2).min(LATER_PIECE);
    }
}

/// Fills `buf` from `at` as far as the input goes; returns how much it got.
fn read_full(input: &dyn ReadAt, buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(got)
}

/// The input from `from` to `to`, or to its end, in memory from `zeroed`; and where that
/// is. No more than `max_size` bytes of input are read.
fn read_range(
    input: &dyn ReadAt,
    from: u64,
    to: Option<u64>,
    max_size: u64,
    zeroed: &mut dyn FnMut(usize) -> Buffer,
) -> Result<(Buffer, u64), StreamError> {
    let too_large = StreamError::TooLarge { limit: max_size };
    let Some(to) = to else {
        // The last piece: as long as the input is now, and on if it grew meanwhile.
        let end = input.size()?.max(from);
        let (mut bytes, mut at) = read_range(input, from, Some(end), max_size, zeroed)?;
        let mut more = vec![0; SNIFF_BYTES];
        loop {
            let got = read_full(input, &mut more, at)?;
            if got == 0 {
                return Ok((bytes, at));
            }
            bytes.extend_from_slice(&more[..got]);
            at += got as u64;
            if at > max_size {
                return Err(too_large);
            }
        }
    };
    if to > max_size {
        return Err(too_large);
    }
    let len = usize::try_from(to.saturating_sub(from)).map_err(|_| too_large)?;
    let mut bytes = zeroed(len);
    let got = read_full(input, bytes.as_mut_slice(), from)?;
    bytes.truncate(got);
    Ok((bytes, from + got as u64))
}

/// Reads and parses the rest of a document on all cores: one thread reads and cuts pieces,
/// two parse them, and this thread hands them on in order. The reading overlaps the
/// parsing, and on two cores the parsing takes half the time.
fn pipeline<P: PieceReader>(
    reader: &mut (dyn Read + Send),
    carry: Vec<u8>,
    total: u64,
    plan: &Plan<'_>,
    parser: &P,
    tally: &mut Tally,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(), StreamError> {
    let workers = threads();
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(workers);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<Done>(workers * 2);
    std::thread::scope(|scope| {
        let stop = &stop;
        let reader_done = done_tx.clone();
        scope.spawn(move || {
            if let Err(err) = read_pieces::<P>(reader, carry, total, plan, &job_tx, stop) {
                let _ = reader_done.send(Done::Failed(err));
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            let mut template = parser.clone();
            scope.spawn(move || {
                yield_to_the_screen();
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
                    let home = plan.home.map(|h| (h, job.offset));
                    let (loaded, lines, _) =
                        parse_anywhere(&mut template, job.bytes.into(), job.last, home);
                    let parsed = match plan.home.and_then(Home::over_cap) {
                        Some(err) => Done::Failed(err),
                        None => Done::Parsed {
                            seq: job.seq,
                            loaded,
                            lines,
                            bytes_read: job.bytes_read,
                            last: job.last,
                        },
                    };
                    if done_tx.send(parsed).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        deliver_in_order(&done_rx, parser.lines_read(), stop, tally, on_piece).map(|_| ())
    })
}

/// The reading thread: reads pieces cut after a record's end and queues them, numbered
/// in order.
fn read_pieces<P: PieceReader>(
    reader: &mut (dyn Read + Send),
    mut buf: Vec<u8>,
    mut total: u64,
    plan: &Plan<'_>,
    jobs: &mpsc::SyncSender<Job>,
    stop: &AtomicBool,
) -> Result<(), StreamError> {
    let max_size = plan.max_size;
    let mut offset = plan.start;
    let mut seq = 0;
    let mut eof = false;
    let mut size = SECOND_PIECE;
    while !eof {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        eof = fill(reader, &mut buf, size, &mut total, max_size)?;
        size = (size * 2).min(LATER_PIECE);
        let cut = if eof {
            Some(buf.len())
        } else {
            P::last_record_end(&buf)
        };
        let Some(cut) = cut else { continue };
        let rest = buf.split_off(cut);
        let bytes = std::mem::replace(&mut buf, rest);
        // Written to the spill file here, in order, before any thread parses it.
        if let Some(home) = plan.home {
            home.write(&bytes, offset)?;
        }
        let job = Job {
            seq,
            offset,
            bytes_read: total,
            last: eof,
            bytes,
        };
        offset += job.bytes.len() as u64;
        if jobs.send(job).is_err() {
            return Ok(());
        }
        seq += 1;
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

/// Loads a whole document through [`stream`], for callers that want it all at once.
///
/// # Errors
/// As [`stream`].
pub fn load_all(
    reader: &mut (dyn Read + Send),
    label: &str,
    format: Option<Format>,
    options: &Options,
    max_size: u64,
) -> Result<Loaded, StreamError> {
    let mut whole: Option<Loaded> = None;
    stream(
        reader,
        None,
        label,
        format,
        options,
        max_size,
        &mut |piece| {
            match &mut whole {
                None => whole = Some(piece.loaded),
                Some(all) => all.absorb(piece.loaded),
            }
            true
        },
    )?;
    whole.ok_or(StreamError::Load(LoadError::Empty))
}

impl Loaded {
    /// Adds the next piece of the same document.
    pub fn absorb(&mut self, mut piece: Loaded) {
        self.document.extend_source(0, piece.document);
        self.warnings.append(&mut piece.warnings);
    }
}

mod follow;
pub use follow::{Follow, Polled};

#[cfg(test)]
mod kept;
#[cfg(test)]
mod tests;
