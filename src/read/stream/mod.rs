//! Loading a document in pieces as it is read, so the first reviews can be on screen long
//! before a large file is fully read.
//!
//! A format that can be read in pieces (see [`PieceReader`]; today the copied page text)
//! streams: it is read in chunks that are cut just after the end of a record, where the
//! format says one ends (no review spans two chunks), each chunk becomes a chunk of the store as it is (no second
//! copy of the text), and is parsed and handed over at once. A file that can be read at any
//! offset is read by every parsing thread, each its own pieces; a pipe by one reading thread
//! that hands pieces to the others. The other formats are read whole and parsed in one go.

use std::io::{self, Read};

use bytestring::ByteString;

use super::buffer::Buffer;
use crate::load::{
    Format, LoadError, Loaded, Options, PieceReader, Pieces, Warning, decode, detect, load_with,
};
use crate::model::StoreBuilder;
use crate::tuning::{FIRST_PIECE, LATER_PIECE, SNIFF_BYTES};

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
    // A CSV is known by the names in its header and a first row as long, so a header and
    // row longer than the bytes sniffed (thousands of columns) are read whole, up to a
    // bound.
    let mut line_end = crate::load::second_line_end(&buf, MAX_HEADER);
    while line_end.is_none() && !eof && buf.len() < MAX_HEADER {
        eof = fill(reader, &mut buf, FIRST_PIECE, &mut total, max_size)?;
        line_end = crate::load::second_line_end(&buf, MAX_HEADER);
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
        detect: options.encoding.is_none(),
    };
    match parser {
        Pieces::Text(parser) => stream_pieces(parser, reader, positional, start, on_piece),
        Pieces::Lines(parser) => stream_pieces(parser, reader, positional, start, on_piece),
        Pieces::Csv(parser) => stream_pieces(parser, reader, positional, start, on_piece),
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
    /// A later piece that is not UTF-8 is read in the encoding it looks like (no
    /// `--encoding` was given).
    detect: bool,
}

/// The most of a document's first two lines read whole to tell the format by.
const MAX_HEADER: usize = crate::load::MAX_HEAD;

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
        detect,
    } = start;
    let home = home_owned.as_ref();
    let mut tally = Tally {
        one_source: P::ONE_SOURCE,
        ..Tally::default()
    };
    // The first piece is read and parsed right here, so the first screen waits for no thread.
    let cut = loop {
        let cut = if eof && follow {
            Some(follow::whole_records(&parser, &buf))
        } else if eof {
            Some(buf.len())
        } else {
            parser.last_record_end(&buf)
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
            detect,
        };
        end = match positional {
            Some(input) if P::CUT_ANYWHERE => {
                read_in_parallel(input, &plan, &parser, &mut tally, on_piece)?
            }
            _ => pipeline(reader, buf, total, &plan, &parser, &mut tally, on_piece)?,
        };
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
            Follow::new(file, end, parser, home, (follow, detect)).ok()
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
        crate::load::shift(w, first_line);
    }
    let mut loaded = parser.parse(StoreBuilder::new(text), last);
    warnings.append(&mut loaded.warnings);
    loaded.warnings = warnings;
    loaded
}

/// Parses one piece read at any place in the document: its warnings are numbered from its
/// own first line, and [`deliver_in_order`] adds the lines before it.
fn parse_anywhere(
    template: &mut impl PieceReader,
    bytes: Buffer,
    last: bool,
    home: Option<(&Home, u64)>,
    detect: bool,
) -> (Loaded, usize, Option<Vec<u8>>) {
    template.continue_at(0);
    let hash = home.map(|(home, _)| home.hash(bytes.as_slice()));
    // Unlike the first piece, a NUL byte this far in is text gone wrong, which the
    // sanitizer shows, not a sign of a binary file.
    let (text, warnings, verbatim) = bytes.into_text(detect);
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
mod home;
mod threads;
pub use follow::{Follow, Polled};

use home::Home;
#[cfg(test)]
use threads::cut_after;
use threads::{Plan, pipeline, read_full, read_in_parallel, read_range};

#[cfg(test)]
mod kept;
#[cfg(test)]
mod tests;
