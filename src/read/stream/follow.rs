//! Following a file as it grows (`--follow`, `F` in the app): a scraper appending JSON
//! Lines or copied page text. Each look reads what was appended since the last, up to the
//! last whole record (a line half written is read once it is finished, never half), parses
//! it as one more piece, and leaves its text in the file like the rest. A file that got
//! shorter (truncated, rotated by copy) or was replaced by another under its name is
//! reported, for the caller to read it again from the start.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::{Home, Piece, StreamError, parse_anywhere, read_full};
use crate::load::PieceReader;
use crate::read::buffer::Buffer;
use crate::tuning::LATER_PIECE;

/// What a look at a followed file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polled {
    /// Nothing new (or only part of a record).
    Same,
    /// New reviews, handed on.
    Grew,
    /// The file is shorter than what was read of it.
    Truncated,
    /// Another file has taken its name.
    Replaced,
}

/// A file being followed: where the records read so far end, and the reader to parse what
/// comes after them.
pub struct Follow {
    inner: Box<dyn Look + Send>,
    /// The name it was opened by, watched for another file taking it.
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Follow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Follow")
    }
}

/// [`Follower`] of one piece reader.
trait Look {
    fn look(
        &mut self,
        path: Option<&Path>,
        on_piece: &mut dyn FnMut(Piece) -> bool,
    ) -> Result<Polled, StreamError>;
}

impl Follow {
    /// Follows `file` after `end`: its byte offset and the lines before it. A load that
    /// was not following read a last record still being written as it was (a warning):
    /// `whole` says so, and following then starts at that record, to read it once whole;
    /// `detect` reads appended text that is not UTF-8 in the encoding it looks like.
    pub(super) fn new<P: PieceReader + 'static>(
        file: &File,
        mut end: (u64, usize),
        parser: P,
        home: Home,
        (whole, detect): (bool, bool),
    ) -> std::io::Result<Self> {
        if !whole {
            end.0 = last_whole_end(&parser, file, end.0)?;
        }
        Ok(Self {
            path: None,
            inner: Box::new(Follower {
                file: file.try_clone()?,
                read: end.0,
                lines: end.1,
                parser,
                home,
                detect,
            }),
        })
    }

    /// Watches `path` too, to tell when another file takes the name (a scraper that writes a
    /// new file and renames it over the old one).
    #[must_use]
    pub fn at(mut self, path: PathBuf) -> Self {
        self.path = Some(path);
        self
    }

    /// Looks at the file once, handing what was appended to `on_piece` (which returns false
    /// when no more is wanted).
    ///
    /// # Errors
    /// When the file cannot be read, or `on_piece` wants no more.
    pub fn look(&mut self, on_piece: &mut dyn FnMut(Piece) -> bool) -> Result<Polled, StreamError> {
        self.inner.look(self.path.as_deref(), on_piece)
    }
}

/// A followed file and the reader of its format.
struct Follower<P> {
    file: File,
    /// Where the records read so far end, and the lines up to there.
    read: u64,
    lines: usize,
    parser: P,
    home: Home,
    /// Appended text that is not UTF-8 is read in the encoding it looks like.
    detect: bool,
}

impl<P: PieceReader> Look for Follower<P> {
    fn look(
        &mut self,
        path: Option<&Path>,
        on_piece: &mut dyn FnMut(Piece) -> bool,
    ) -> Result<Polled, StreamError> {
        if path.is_some_and(|p| !same_file(&self.file, p)) {
            return Ok(Polled::Replaced);
        }
        let size = self.file.metadata()?.len();
        if size < self.read {
            return Ok(Polled::Truncated);
        }
        if size == self.read {
            return Ok(Polled::Same);
        }
        // A look takes at most a large piece; the next look takes the rest.
        let want = usize::try_from(size - self.read)
            .unwrap_or(usize::MAX)
            .min(LATER_PIECE);
        let mut bytes = vec![0; want];
        let got = read_full(&self.file, &mut bytes, self.read)?;
        bytes.truncate(got);
        let whole = whole_records(&self.parser, &bytes);
        if whole == 0 {
            return Ok(Polled::Same);
        }
        bytes.truncate(whole);
        let offset = self.read;
        let (mut loaded, lines, _) = parse_anywhere(
            &mut self.parser,
            Buffer::from(bytes),
            false,
            Some((&self.home, offset)),
            self.detect,
        );
        for w in &mut loaded.warnings {
            crate::load::shift(w, self.lines);
        }
        self.lines += lines;
        self.read += whole as u64;
        let piece = Piece {
            loaded,
            bytes_read: self.read,
            continues: P::ONE_SOURCE,
        };
        if on_piece(piece) {
            Ok(Polled::Grew)
        } else {
            Err(StreamError::Cancelled)
        }
    }
}

/// Where the whole records of `buf` end: after the last one a piece reader finds, or at the
/// end when what follows it is a record already whole though not ended (a last JSON line
/// without its line break, see [`PieceReader::is_whole`]).
pub(super) fn whole_records<P: PieceReader>(parser: &P, buf: &[u8]) -> usize {
    let end = parser.last_record_end(buf).unwrap_or(0);
    if parser.is_whole(&buf[end..]) {
        buf.len()
    } else {
        end
    }
}

/// Where the whole records of `file` before `end` end: `end` when what precedes it is
/// whole, else the end of the last whole record in the megabyte before it (or `end`, when
/// there is none that near, or the format's records cannot be found from just anywhere: the
/// load read a last record not yet whole as it was).
fn last_whole_end<P: PieceReader>(parser: &P, file: &File, end: u64) -> std::io::Result<u64> {
    if !P::CUT_ANYWHERE {
        return Ok(end);
    }
    let from = end.saturating_sub(1 << 20);
    let mut tail = vec![0; usize::try_from(end - from).unwrap_or(0)];
    let got = read_full(file, &mut tail, from)?;
    tail.truncate(got);
    let whole = whole_records(parser, &tail);
    Ok(if whole == 0 && from > 0 {
        end
    } else {
        from + whole as u64
    })
}

/// Whether `path` names the file `file` is (the same device and inode).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            // Gone from its name (deleted, or between a rename's two steps): not replaced yet.
            (Ok(_), Err(_)) => true,
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}
