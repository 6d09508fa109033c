//! JSON Lines read in pieces (see [`crate::load::PieceReader`]): a line is a record, so a
//! piece may end after any line, and each piece is read on a core of its own with the one
//! mapping chosen from the first lines. A `.jsonl.gz` so decompresses on one core while
//! the others parse what came before.

use std::sync::Arc;

use super::fast::Fast;
use super::{load_chosen, mapped};
use crate::load::build::Reading;
use crate::load::map::{self, Mapping, Options};
use crate::load::{Format, LoadError, Loaded, Warning};
use crate::model::{Document, Source, StoreBuilder};

/// A JSON Lines reader for the pieces of one document.
#[derive(Debug, Clone)]
pub struct Lines {
    label: String,
    mapping: Arc<Mapping>,
    reading: Reading,
    /// Lines read so far by this reader (or, for a copy reading a piece anywhere, the
    /// lines before it it was told of).
    read: usize,
}

impl Lines {
    /// A reader for JSON Lines whose first lines are `head`, when they are JSON Lines; the
    /// mapping is chosen from the fields of those lines.
    ///
    /// # Errors
    /// When the fields of the first lines cannot be read as reviews (as for a whole file).
    pub fn new(head: &str, label: &str, options: &Options) -> Result<Option<Self>, LoadError> {
        if !super::is_json_lines(head) {
            return Ok(None);
        }
        // Only whole lines: the last one of the head may be cut.
        let whole = head.rfind('\n').map_or(head, |end| &head[..end]);
        let mut fast = Fast::new(whole.to_string());
        let names = mapped::sample_names(&mut fast, true);
        let (mapping, reading) = map::choose(&names, options, Format::Jsonl.name())?;
        Ok(Some(Self {
            label: crate::sanitize::sanitize_line(label).into_owned(),
            mapping: Arc::new(mapping),
            reading,
            read: 0,
        }))
    }
}

impl crate::load::PieceReader for Lines {
    /// Read into memory of its own: the reader rewrites escaped strings in place.
    const REWRITES: bool = true;

    /// Each line names its own film, product or business.
    const ONE_SOURCE: bool = false;

    fn last_record_end(&self, buf: &[u8]) -> Option<usize> {
        memchr::memrchr(b'\n', buf).map(|i| i + 1)
    }

    fn first_record_end(&self, buf: &[u8]) -> Option<usize> {
        memchr::memchr(b'\n', buf).map(|i| i + 1)
    }

    /// A JSON object is whole once it closes: no prefix of one is valid JSON.
    fn is_whole(&self, tail: &[u8]) -> bool {
        let tail = tail.trim_ascii();
        tail.is_empty()
            || (tail.first() == Some(&b'{')
                && serde_json::from_slice::<serde::de::IgnoredAny>(tail).is_ok())
    }

    fn parse(&mut self, store: StoreBuilder, _last: bool) -> Loaded {
        let (text, extra) = store.into_parts();
        let lines = crate::load::lines_in(&text);
        let before = self.read;
        self.read += lines;
        let loaded = load_chosen(
            Fast::new(text),
            extra,
            true,
            &self.label,
            (*self.mapping).clone(),
            self.reading,
        );
        // The scale guessed from the first piece holds for the pieces after it.
        if self.reading.guess
            && self.reading.floor == 0
            && let Some(scale) = loaded
                .as_ref()
                .ok()
                .and_then(|l| l.explained.as_ref()?.scale)
        {
            self.reading.floor = scale;
        }
        let mut loaded = loaded.unwrap_or_else(|err| {
            let source = Source {
                label: self.label.clone(),
                ..Source::default()
            };
            let warning = Warning {
                line: None,
                message: err.to_string(),
            };
            Loaded::new(
                Document::new(source, Vec::new(), crate::model::Store::default()),
                vec![warning],
            )
        });
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
