//! Loading documents in the background: a thread reads and parses every input in turn and
//! sends the pieces as they are ready; a [`Collector`] puts them together into one
//! [`Document`], whether the app is already on screen or `--format` waits for the end.

use std::sync::mpsc::{self, Receiver};
use std::thread;

use crate::load::{Explained, Format, Options, Warning};
use crate::model::Document;
use crate::read::Input;
use crate::read::stream::{Piece, StreamError, stream};

/// What the loading thread reports.
#[derive(Debug)]
pub enum LoadEvent {
    /// Input `input` was opened; `size` is its length where known.
    Started { input: usize, size: Option<u64> },
    /// More reviews of input `input`.
    Piece { input: usize, piece: Piece },
    /// Input `input` could not be read or loaded.
    Failed { input: usize, error: String },
    /// Every input has been read.
    Finished,
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

/// Starts reading `inputs` in a background thread. Dropping the receiver stops it after
/// its current piece.
#[must_use]
pub fn spawn(
    inputs: Vec<Input>,
    format: Option<Format>,
    options: Options,
    max_size: u64,
) -> Receiver<LoadEvent> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for (i, input) in inputs.iter().enumerate() {
            let opened = match input.open(max_size) {
                Ok(opened) => opened,
                Err(err) => {
                    let _ = tx.send(LoadEvent::Failed {
                        input: i,
                        error: err.to_string(),
                    });
                    continue;
                }
            };
            let started = LoadEvent::Started {
                input: i,
                size: opened.size,
            };
            if tx.send(started).is_err() {
                return;
            }
            let mut reader = opened.reader;
            let result = stream(
                &mut reader,
                opened
                    .positional
                    .as_deref()
                    .map(|p| p as &dyn crate::read::stream::ReadAt),
                &input.label(),
                format,
                &options,
                max_size,
                &mut |piece| tx.send(LoadEvent::Piece { input: i, piece }).is_ok(),
            );
            match result {
                Ok(()) => {}
                Err(StreamError::Cancelled) => return,
                Err(err) => {
                    let error = match err {
                        StreamError::TooLarge { limit } => {
                            crate::read::ReadError::TooLarge { size: None, limit }.to_string()
                        }
                        other => other.to_string(),
                    };
                    let _ = tx.send(LoadEvent::Failed { input: i, error });
                }
            }
        }
        let _ = tx.send(LoadEvent::Finished);
    });
    rx
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
}

/// Puts the pieces of every input together, in input order.
#[derive(Debug)]
pub struct Collector {
    names: Vec<String>,
    /// For each input, the source index its first piece got (later pieces join it).
    sources: Vec<Option<u16>>,
    pub progress: Progress,
    /// Inputs that failed, each with its error (no line).
    pub failures: Vec<DocumentWarning>,
    /// How each input that loaded was read, by name, in input order.
    pub explained: Vec<(String, Explained)>,
    /// Reviews loaded from each input.
    pub reviews: Vec<usize>,
}

impl Collector {
    /// A collector for inputs named `names` (as messages show them).
    #[must_use]
    pub fn new(names: Vec<String>) -> Self {
        let inputs = names.len();
        Self {
            sources: vec![None; inputs],
            names,
            progress: Progress {
                inputs,
                ..Progress::default()
            },
            failures: Vec::new(),
            explained: Vec::new(),
            reviews: vec![0; inputs],
        }
    }

    /// Applies one event to `doc` and `warnings`.
    pub fn apply(
        &mut self,
        doc: &mut Document,
        warnings: &mut Vec<DocumentWarning>,
        event: LoadEvent,
    ) -> Change {
        match event {
            LoadEvent::Started { size, .. } => {
                self.progress.bytes = 0;
                self.progress.size = size;
                Change::Nothing
            }
            LoadEvent::Piece { input, mut piece } => {
                self.progress.bytes = piece.bytes_read;
                let name = self.name(input);
                if let Some(explained) = piece.loaded.explained.take()
                    && !self.explained.iter().any(|(n, _)| *n == name)
                {
                    self.explained.push((name.clone(), *explained));
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
                if let Some(count) = self.reviews.get_mut(input) {
                    *count += piece.loaded.document.reviews.len();
                }
                if let Some(source) = self.sources.get(input).copied().flatten() {
                    doc.extend_source(source, piece.loaded.document);
                } else {
                    if let Some(slot) = self.sources.get_mut(input) {
                        *slot = u16::try_from(doc.sources.len()).ok();
                    }
                    doc.append(piece.loaded.document);
                }
                Change::Reviews
            }
            LoadEvent::Failed { input, error } => {
                self.progress.done += 1;
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
            LoadEvent::Finished => {
                self.progress.finished = true;
                self.progress.done = self.progress.inputs;
                Change::Finished
            }
        }
    }

    /// The inputs' names, in order.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    fn name(&self, input: usize) -> String {
        self.names.get(input).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_input_in_order_and_reports_failures() {
        let inputs = vec![
            Input::Sample,
            Input::File("/no/such/file".into()),
            Input::Sample,
        ];
        let names = inputs.iter().map(ToString::to_string).collect();
        let rx = spawn(inputs, None, Options::default(), u64::MAX);
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
