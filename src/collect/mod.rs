//! Loading documents in the background: a thread reads and parses every input in turn and
//! sends the pieces as they are ready; a [`Collector`] puts them together into one
//! [`Document`], whether the app is already on screen or `--format` waits for the end.

use crate::load::{Explained, Warning};
use crate::model::Document;
use crate::read::stream::Piece;

mod input;

pub use input::{Unpacked, load_bytes_unpacked, spawn};

/// What the loading thread reports.
#[derive(Debug)]
pub enum LoadEvent {
    /// Input `input` was opened; `size` is its length where known.
    Started { input: usize, size: Option<u64> },
    /// More reviews of input `input`.
    Piece { input: usize, piece: Piece },
    /// Input `input` could not be read or loaded.
    Failed { input: usize, error: String },
    /// The pieces of input `input` that follow are of its member `name` (in an archive),
    /// a document of its own.
    Member { input: usize, name: String },
    /// The pieces of input `input` that follow are a further part of the same document
    /// (the next file of a folder): its films join those of the same name.
    Part { input: usize, name: String },
    /// Something said about how input `input` was read (a member that holds no reviews).
    Note { input: usize, note: String },
    /// A problem with input `input` as a whole that left the rest usable (a damaged
    /// stream).
    Warning { input: usize, warning: Warning },
    /// Every input has been read; `followable` of them can be followed as they grow.
    Finished { followable: usize },
    /// A followed file was truncated or replaced (`reason` says which): everything is to
    /// be read again from the start.
    Restart { reason: String },
    /// The thread following the files is still there: sent now and then, so that it
    /// learns when nobody listens any more (the files were read again) and ends.
    Alive,
}

/// A load warning and the document it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentWarning {
    /// The document's name as the user gave it.
    pub document: String,
    pub warning: Warning,
}

/// The warnings with many copies of one warning about one document given once, with a
/// count and the first lines (see [`crate::load::summarize`]); documents in the order of
/// their first warning.
#[must_use]
pub fn summarize(warnings: &[DocumentWarning]) -> Vec<DocumentWarning> {
    let mut documents: Vec<&str> = Vec::new();
    for w in warnings {
        if !documents.contains(&w.document.as_str()) {
            documents.push(&w.document);
        }
    }
    let mut out = Vec::with_capacity(warnings.len().min(1000));
    for document in documents {
        let own: Vec<Warning> = warnings
            .iter()
            .filter(|w| w.document == document)
            .map(|w| w.warning.clone())
            .collect();
        out.extend(
            crate::load::summarize(own)
                .into_iter()
                .map(|warning| DocumentWarning {
                    document: document.to_string(),
                    warning,
                }),
        );
    }
    out
}

/// How far loading has got, for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes read of the input being read, and its size where known.
    pub bytes: u64,
    pub size: Option<u64>,
    /// Inputs done (read or failed) out of all.
    pub done: usize,
    pub inputs: usize,
    pub finished: bool,
}

impl Progress {
    /// Percent of the current input read, where its size is known.
    #[must_use]
    pub fn percent(&self) -> Option<u64> {
        let size = self.size.filter(|&s| s > 0)?;
        Some(self.bytes.min(size).saturating_mul(100) / size)
    }
}

/// What applying one event changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing visible.
    Nothing,
    /// Reviews were added at the end of the document.
    Reviews,
    /// An input failed; the message names it.
    Failed(String),
    /// Loading is over.
    Finished,
    /// A followed file was truncated or replaced: everything is to be read again.
    Restart(String),
}

/// `event` with every message in it made safe to draw and print: messages can quote what a
/// library found in the bytes (a tar header's raw field), whatever made them.
fn cleaned(event: LoadEvent) -> LoadEvent {
    // Messages can quote what a library found in the bytes (a tar header's raw field):
    // every one is made safe to draw and print here, whatever made it.
    let clean = |text: String| match crate::sanitize::sanitize_line(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(safe) => safe,
    };
    match event {
        LoadEvent::Warning { input, warning } => LoadEvent::Warning {
            input,
            warning: Warning {
                message: clean(warning.message),
                ..warning
            },
        },
        LoadEvent::Note { input, note } => LoadEvent::Note {
            input,
            note: clean(note),
        },
        LoadEvent::Failed { input, error } => LoadEvent::Failed {
            input,
            error: clean(error),
        },
        LoadEvent::Restart { reason } => LoadEvent::Restart {
            reason: clean(reason),
        },
        LoadEvent::Piece { input, mut piece } => {
            for w in &mut piece.loaded.warnings {
                w.message = clean(std::mem::take(&mut w.message));
            }
            LoadEvent::Piece { input, piece }
        }
        other => other,
    }
}

/// Puts the pieces of every input together, in input order.
#[derive(Debug)]
pub struct Collector {
    /// The documents' names: the inputs' first, then each archive member's with reviews
    /// (`yelp.tar › review.json`) as it is met.
    names: Vec<String>,
    /// For each document, the source the pieces of the stream being read join: a piece
    /// of a streamed page continues its film.
    sources: Vec<Option<u16>>,
    /// For each document, every source it has: a further part of it (the next file of a
    /// folder) shares those of the same film.
    owned: Vec<crate::model::SourceSet>,
    /// For each input, the document its pieces go to now.
    current: Vec<usize>,
    pub progress: Progress,
    /// Inputs that failed, each with its error (no line).
    pub failures: Vec<DocumentWarning>,
    /// How each document that loaded was read, by name, in input order.
    pub explained: Vec<(String, Explained)>,
    /// Reviews loaded from each document.
    pub reviews: Vec<usize>,
    /// The part of a folder whose pieces come next, as `--explain` names it.
    part: Option<String>,
    /// An input failed after some of its reviews had come (a stream past `--max-size`):
    /// what was loaded of it is not all it holds.
    pub partial: bool,
    /// How many of the inputs can be followed as they grow (known once all are read).
    pub followable: usize,
}

impl Collector {
    /// A collector for inputs named `names` (as messages show them).
    #[must_use]
    pub fn new(names: Vec<String>) -> Self {
        let inputs = names.len();
        Self {
            sources: vec![None; inputs],
            owned: vec![crate::model::SourceSet::default(); inputs],
            current: (0..inputs).collect(),
            names,
            progress: Progress {
                inputs,
                ..Progress::default()
            },
            failures: Vec::new(),
            explained: Vec::new(),
            reviews: vec![0; inputs],
            partial: false,
            part: None,
            followable: 0,
        }
    }

    /// Applies one event to `doc` and `warnings`.
    pub fn apply(
        &mut self,
        doc: &mut Document,
        warnings: &mut Vec<DocumentWarning>,
        event: LoadEvent,
    ) -> Change {
        let event = cleaned(event);
        match event {
            LoadEvent::Started { size, .. } => {
                self.progress.bytes = 0;
                self.progress.size = size;
                Change::Nothing
            }
            LoadEvent::Member { input, name } => {
                let name = format!("{} \u{203a} {name}", self.name(input));
                if let Some(current) = self.current.get_mut(input) {
                    *current = self.names.len();
                }
                self.names.push(name);
                self.sources.push(None);
                self.owned.push(crate::model::SourceSet::default());
                self.reviews.push(0);
                Change::Nothing
            }
            LoadEvent::Part { input, name } => {
                let at = self.document_of(input);
                if let Some(slot) = self.sources.get_mut(at) {
                    *slot = None;
                }
                // How the part was read is said under its own name.
                self.part = Some(format!("{} \u{203a} {name}", self.name(input)));
                Change::Nothing
            }
            LoadEvent::Note { input, note } => {
                let name = self.name(input);
                if let Some((_, explained)) = self.explained.iter_mut().find(|(n, _)| *n == name) {
                    explained.notes.push(note);
                } else {
                    let mut explained = Explained::about(String::new());
                    explained.notes.push(note);
                    self.explained.push((name, explained));
                }
                Change::Nothing
            }
            LoadEvent::Warning { input, warning } => {
                warnings.push(DocumentWarning {
                    document: self.name(input),
                    warning,
                });
                Change::Reviews
            }
            LoadEvent::Piece { input, piece } => {
                self.take_piece(doc, warnings, input, piece);
                Change::Reviews
            }
            LoadEvent::Failed { input, error } => {
                self.progress.done += 1;
                self.partial |= self
                    .reviews
                    .get(self.document_of(input))
                    .is_some_and(|&n| n > 0);
                let message = format!("{}: {error}", self.name(input));
                self.failures.push(DocumentWarning {
                    document: self.name(input),
                    warning: Warning {
                        line: None,
                        message: error,
                    },
                });
                Change::Failed(message)
            }
            LoadEvent::Finished { followable } => {
                self.progress.finished = true;
                self.progress.done = self.progress.inputs;
                self.followable = followable;
                Change::Finished
            }
            LoadEvent::Restart { reason } => Change::Restart(reason),
            LoadEvent::Alive => Change::Nothing,
        }
    }

    /// Puts a piece of input `input` into `doc`: its reviews (continuing its film, or
    /// joined to those of the same names), its warnings, and how it was read.
    fn take_piece(
        &mut self,
        doc: &mut Document,
        warnings: &mut Vec<DocumentWarning>,
        input: usize,
        mut piece: Piece,
    ) {
        self.progress.bytes = piece.bytes_read;
        let at = self.document_of(input);
        let name = self.names.get(at).cloned().unwrap_or_default();
        let said = self.part.take().unwrap_or_else(|| name.clone());
        if let Some(explained) = piece.loaded.explained.take()
            && !self.explained.iter().any(|(n, _)| *n == said)
        {
            self.explained.push((said, *explained));
        }
        if piece.loaded.repaired > 0
            && let Some((_, explained)) = self.explained.iter_mut().find(|(n, _)| *n == name)
        {
            explained.repaired += piece.loaded.repaired;
        }
        warnings.extend(
            piece
                .loaded
                .warnings
                .into_iter()
                .map(|warning| DocumentWarning {
                    document: name.clone(),
                    warning,
                }),
        );
        if let Some(count) = self.reviews.get_mut(at) {
            *count += piece.loaded.document.reviews.len();
        }
        let continued = self.sources.get(at).copied().flatten();
        if let Some(source) = continued.filter(|_| piece.continues) {
            doc.extend_source(source, piece.loaded.document);
        } else if let Some(owned) = self.owned.get_mut(at) {
            let one = piece.loaded.document.sources.len() == 1;
            let places = doc.merge_among(piece.loaded.document, owned);
            if let Some(slot) = self.sources.get_mut(at) {
                *slot = places.first().copied().filter(|_| one);
            }
        }
    }

    /// The documents' names: the inputs', then the archive members' met so far.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The document input `input`'s pieces go to now.
    fn document_of(&self, input: usize) -> usize {
        self.current.get(input).copied().unwrap_or(input)
    }

    /// Input `input`'s name.
    fn name(&self, input: usize) -> String {
        self.names.get(input).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Options;
    use crate::read::Input;

    #[test]
    fn collects_every_input_in_order_and_reports_failures() {
        let inputs = vec![
            Input::Sample,
            Input::File("/no/such/file".into()),
            Input::Sample,
        ];
        let names = inputs.iter().map(ToString::to_string).collect();
        let rx = spawn(inputs, None, Options::default(), u64::MAX, None);
        let mut collector = Collector::new(names);
        let mut doc = Document::default();
        let mut warnings = Vec::new();
        let mut failures = Vec::new();
        for event in rx {
            if let Change::Failed(message) = collector.apply(&mut doc, &mut warnings, event) {
                failures.push(message);
            }
        }
        assert!(collector.progress.finished);
        assert_eq!(doc.reviews.len(), 50);
        assert_eq!(doc.sources.len(), 2);
        assert_eq!(doc.reviews[30].source, 1);
        assert_eq!(failures, ["/no/such/file: no such file"]);
        assert!(warnings.is_empty());
    }
}
