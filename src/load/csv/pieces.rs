//! CSV read in pieces (see [`crate::load::PieceReader`]): one thread follows the quotes from
//! the start of the file, as the `csv` crate reads them, to cut it after the last whole row
//! of each piece; every core parses pieces with the one mapping the header chose, and each
//! piece's cells stay in the file (`""` made single again when read).

use std::sync::Arc;

use super::{Dialect, Start, Table, copied_cells, header};
use crate::load::map::Options;
use crate::load::{LoadError, Loaded, PieceReader};
use crate::model::StoreBuilder;

/// A CSV reader for the pieces of one document.
#[derive(Debug, Clone)]
pub struct Chunked {
    label: String,
    table: Arc<Table>,
    /// The first piece is still to be read: it starts with the header.
    first: bool,
    /// Lines read so far by this reader (or, for a copy reading a piece anywhere, the
    /// lines before it it was told of).
    read: usize,
}

impl Chunked {
    /// A reader for the CSV file whose first bytes are `head`, when it can be read in
    /// pieces: its header row is whole in `head`, and its rows are not reviews copied from
    /// IMDb pages one to a cell (those are read whole by their own loader).
    ///
    /// # Errors
    /// When the header cannot be read, or names nothing of a review (as for a whole file).
    pub fn new(head: &str, label: &str, options: &Options) -> Result<Option<Self>, LoadError> {
        let dialect = Dialect::sniff(head);
        if row_end(head.as_bytes(), dialect, true).is_none() {
            return Ok(None);
        }
        let (names, start) = header(head, dialect)?;
        if names.len() == 1 && options.map.0.is_empty() && copied_cells(head, start.at, dialect) {
            return Ok(None);
        }
        Ok(Some(Self {
            label: crate::sanitize::sanitize_line(label).into_owned(),
            table: Arc::new(Table::new(&names, dialect, options)?),
            first: true,
            read: 0,
        }))
    }
}

impl PieceReader for Chunked {
    /// Read into memory of its own: `""`s are made single in place.
    const REWRITES: bool = true;

    /// A row may name its own film (revue's `film` column) or product.
    const ONE_SOURCE: bool = false;

    /// Whether a newline ends a row depends on every quote before it.
    const CUT_ANYWHERE: bool = false;

    fn last_record_end(&self, buf: &[u8]) -> Option<usize> {
        row_end(buf, self.table.dialect, false)
    }

    fn parse(&mut self, store: StoreBuilder, _last: bool) -> Loaded {
        let (text, mut extra) = store.into_parts();
        let lines = crate::load::lines_in(&text);
        let before = self.read;
        self.read += lines;
        let first = std::mem::take(&mut self.first);
        // Found again in the piece's text, which has lost the byte-order mark the head had.
        let start = match first.then(|| header(&text, self.table.dialect)) {
            Some(Ok((_, start))) => start,
            _ => Start { at: 0, line: 1 },
        };
        let mut rows = self.table.rows(first);
        let doubled = rows.read(&text, start, self.table.dialect, &mut extra);
        let mut loaded = self.table.finish(rows, text, extra, doubled, &self.label);
        // The scale guessed from the first piece holds for the pieces after it.
        if let Some(scale) = loaded.explained.as_ref().and_then(|e| e.scale)
            && self.table.reading.guess
            && self.table.reading.floor == 0
        {
            Arc::make_mut(&mut self.table).reading.floor = scale;
        }
        for w in &mut loaded.warnings {
            crate::load::shift(w, before);
        }
        loaded
    }

    fn lines_read(&self) -> usize {
        self.read
    }

    fn continue_at(&mut self, lines_before: usize) {
        self.read = lines_before;
    }
}

/// Where the last row of `buf` (or, if `first`, its first row) ends: just after a `\n`
/// outside quotes. `buf` starts where a row starts. Quotes are read as the `csv` crate reads
/// them: a quote opens a quoted cell only at the start of a cell (elsewhere it is a
/// character like any other), `""` inside one is a quote, and so is `\"` in a dialect with
/// backslash escapes; the cell goes on unquoted after its closing quote.
fn row_end(buf: &[u8], dialect: Dialect, first: bool) -> Option<usize> {
    let begin = if buf.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let mut last = None;
    let mut at = begin;
    while let Some(found) = memchr::memchr2(b'"', b'\n', &buf[at..]) {
        let p = at + found;
        at = p + 1;
        if buf[p] == b'\n' {
            last = Some(at);
            if first {
                break;
            }
        } else if p == begin
            || matches!(buf[p - 1], b'\n' | b'\r')
            || buf[p - 1] == dialect.delimiter
        {
            match closing_quote(buf, at, dialect.backslash) {
                Some(close) => at = close + 1,
                // A cell still open at the end of what was read: its row ends later.
                None => break,
            }
        }
    }
    last
}

/// Where the quoted cell whose contents start at `from` closes: its closing quote, which is
/// not one of a `""` (nor escaped, with `backslash`). `None` when `buf` ends first, or
/// ends just after a quote that the next byte could double.
fn closing_quote(buf: &[u8], mut from: usize, backslash: bool) -> Option<usize> {
    loop {
        let next = if backslash {
            memchr::memchr2(b'"', b'\\', &buf[from..])
        } else {
            memchr::memchr(b'"', &buf[from..])
        };
        let k = from + next?;
        match (buf[k], buf.get(k + 1)) {
            (b'\\', _) | (b'"', Some(b'"')) => from = k + 2,
            (_, Some(_)) => return Some(k),
            (_, None) => return None,
        }
        if from > buf.len() {
            return None;
        }
    }
}
