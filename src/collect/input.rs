//! The loading thread: each input read down to its documents (a file, the stream inside a
//! compressed one, each member of an archive, each file of a folder) and each document's
//! pieces sent to the [`super::Collector`] as they are ready.

use std::sync::mpsc::{self, Receiver};
use std::thread;

use super::LoadEvent;
use crate::load::{Format, Options, Warning};
use crate::read::Input;
use crate::read::container::{Found, unpack};
use crate::read::stream::{Piece, StreamError, stream};
use crate::sanitize::sanitize_line;

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
            match load_input(i, input, format, &options, max_size, &tx) {
                Ok(()) => {}
                Err(StreamError::Cancelled) => return,
                Err(err) => {
                    let error = match err {
                        StreamError::TooLarge { limit } => {
                            crate::read::ReadError::TooLarge { size: None, limit }.to_string()
                        }
                        StreamError::Decompressed { limit } => format!(
                            "decompresses to more than the {} limit (raise it with --max-size)",
                            crate::read::describe_limit(limit)
                        ),
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

/// Reads input `i` down to its documents (the input itself, or what its containers hold)
/// and sends what each gives.
fn load_input(
    i: usize,
    input: &Input,
    format: Option<Format>,
    options: &Options,
    max_size: u64,
    tx: &mpsc::Sender<LoadEvent>,
) -> Result<(), StreamError> {
    if let Input::File(path) = input
        && path.is_dir()
    {
        return load_folder(i, input, path, format, options, max_size, tx);
    }
    let source = input
        .source(max_size)
        .map_err(|err| StreamError::Load(crate::load::LoadError::Map(err.to_string())))?;
    load_source(i, &input.label(), source, format, options, max_size, tx)
}

/// Loads `bytes` all at once as an input is loaded (its containers opened, every document
/// in them read): the documents, their warnings, how each was read, and the error that
/// ended the load, if one did. For tests and fuzzing; the app and `--format` load through
/// [`spawn`].
#[must_use]
pub fn load_bytes_unpacked(
    bytes: Vec<u8>,
    label: &str,
    options: &Options,
    max_size: u64,
) -> Unpacked {
    let (tx, rx) = mpsc::channel();
    let source = crate::read::Opened {
        bytes: crate::read::container::Source {
            reader: Box::new(std::io::Cursor::new(bytes)),
            positional: None,
            file: None,
            encoding_named: false,
        },
        size: None,
    };
    let result = load_source(0, label, source, None, options, max_size, &tx);
    drop(tx);
    let mut collector = super::Collector::new(vec![label.to_string()]);
    let mut doc = crate::model::Document::default();
    let mut warnings = Vec::new();
    for event in rx {
        collector.apply(&mut doc, &mut warnings, event);
    }
    Unpacked {
        document: doc,
        warnings,
        explained: std::mem::take(&mut collector.explained),
        error: result.err().map(|e| e.to_string()),
    }
}

/// What [`load_bytes_unpacked`] gives.
#[derive(Debug)]
pub struct Unpacked {
    pub document: crate::model::Document,
    pub warnings: Vec<super::DocumentWarning>,
    /// How each document found was read, by name.
    pub explained: Vec<(String, crate::load::Explained)>,
    /// What ended the load early, if anything did.
    pub error: Option<String>,
}

/// [`load_input`] once the input is open.
fn load_source(
    i: usize,
    input_label: &str,
    mut source: crate::read::Opened,
    format: Option<Format>,
    options: &Options,
    max_size: u64,
    tx: &mpsc::Sender<LoadEvent>,
) -> Result<(), StreamError> {
    source.bytes.encoding_named = options.encoding.is_some();
    let size = source.size;
    let mut started = false;
    let send = |event| tx.send(event).map_err(|_| StreamError::Cancelled);
    unpack(source.bytes, max_size, &mut |found| {
        if !std::mem::replace(&mut started, true) {
            // A plain file's progress is its size; a decompressed stream's is not known.
            let plain = matches!(&found, Found::Stream(inside) if inside.chain.is_empty());
            send(LoadEvent::Started {
                input: i,
                size: size.filter(|_| plain),
            })?;
        }
        match found {
            Found::Stream(inside) => {
                let label = inside
                    .member
                    .as_deref()
                    .map_or_else(|| input_label.to_string(), member_label);
                let mut member = Member::new(i, inside.member, inside.chain);
                stream(
                    inside.reader,
                    inside.positional,
                    &label,
                    format,
                    options,
                    inside.budget,
                    &mut |piece| member.deliver(piece, tx),
                )
            }
            Found::Parquet {
                bytes,
                member,
                chain,
            } => {
                let label = member
                    .as_deref()
                    .map_or_else(|| input_label.to_string(), member_label);
                let loaded = crate::load::parquet::load(bytes, &label, options)?;
                let mut member = Member::new(i, member, chain);
                member.deliver(
                    Piece {
                        loaded,
                        bytes_read: 0,
                        continues: false,
                    },
                    tx,
                );
                Ok(())
            }
            Found::Loaded {
                member,
                chain,
                loaded,
            } => {
                let mut member = Member::new(i, member, chain);
                member.deliver(
                    Piece {
                        loaded: *loaded,
                        bytes_read: 0,
                        continues: false,
                    },
                    tx,
                );
                Ok(())
            }
            Found::Note(note) => send(LoadEvent::Note { input: i, note }),
            Found::Warning(warning) => send(LoadEvent::Warning { input: i, warning }),
        }
    })
}

/// Reads a folder (FORMATS.md §5) as one document: the Stanford dataset's tree of one
/// review per file, read on every core, and each other file by its content, in path order;
/// its films are one with those of the same name in the other files.
fn load_folder(
    i: usize,
    input: &Input,
    dir: &std::path::Path,
    format: Option<Format>,
    options: &Options,
    max_size: u64,
    tx: &mpsc::Sender<LoadEvent>,
) -> Result<(), StreamError> {
    use crate::load::stanford::{self, Stanford};
    use crate::read::folder;
    let send = |event| tx.send(event).map_err(|_| StreamError::Cancelled);
    let listing = folder::list(dir).map_err(|err| {
        StreamError::Load(crate::load::LoadError::Map(
            crate::read::ReadError::from(err).to_string(),
        ))
    })?;
    send(LoadEvent::Started {
        input: i,
        size: None,
    })?;
    let label = input.label();
    let (tree, files): (Vec<_>, Vec<_>) = listing
        .files
        .iter()
        .partition(|f| stanford::classify(&f.rel).is_some());
    let mut with_reviews = 0;
    let mut without = Vec::new();
    if tree.iter().any(|f| {
        matches!(
            stanford::classify(&f.rel),
            Some(stanford::Part::Review { .. })
        )
    }) {
        let mut gathered = Stanford::default();
        let total: u64 = tree
            .iter()
            .filter_map(|f| f.path.metadata().ok())
            .map(|m| m.len())
            .sum();
        if total > max_size {
            return Err(StreamError::TooLarge { limit: max_size });
        }
        for (file, read) in tree.iter().zip(folder::read_all(&tree)) {
            let Some(part) = stanford::classify(&file.rel) else {
                continue;
            };
            match read {
                Ok(bytes) => gathered.add(&file.rel, part, bytes),
                Err(err) => send(LoadEvent::Warning {
                    input: i,
                    warning: Warning {
                        line: None,
                        message: format!(
                            "{}: {}",
                            sanitize_line(&file.rel),
                            crate::read::ReadError::from(err)
                        ),
                    },
                })?,
            }
        }
        let loaded = gathered.finish(&label)?;
        send(LoadEvent::Part {
            input: i,
            name: stanford::NAME.into(),
        })?;
        Member::new(i, None, Vec::new()).deliver(
            Piece {
                loaded,
                bytes_read: 0,
                continues: false,
            },
            tx,
        );
        with_reviews += 1;
    } else {
        without.extend(
            tree.iter()
                .map(|f| format!("{} (no review files beside it)", f.rel)),
        );
    }
    for file in files {
        let file_input = Input::File(file.path.clone());
        let part_label = file.partition.clone().unwrap_or_else(|| label.clone());
        let result = file_input
            .source(max_size)
            .map_err(|err| StreamError::Load(crate::load::LoadError::Map(err.to_string())))
            .and_then(|mut source| {
                source.bytes.encoding_named = options.encoding.is_some();
                unpack(source.bytes, max_size, &mut |found| {
                    let (reader, positional, chain, budget) = match found {
                        Found::Stream(inside) => (
                            inside.reader,
                            inside.positional,
                            inside.chain,
                            inside.budget,
                        ),
                        Found::Parquet { bytes, chain, .. } => {
                            let loaded = crate::load::parquet::load(bytes, &part_label, options)?;
                            send(LoadEvent::Part {
                                input: i,
                                name: sanitize_line(&file.rel).into_owned(),
                            })?;
                            Member::new(i, None, chain).deliver(
                                Piece {
                                    loaded,
                                    bytes_read: 0,
                                    continues: false,
                                },
                                tx,
                            );
                            return Ok(());
                        }
                        Found::Loaded { chain, loaded, .. } => {
                            send(LoadEvent::Part {
                                input: i,
                                name: sanitize_line(&file.rel).into_owned(),
                            })?;
                            Member::new(i, None, chain).deliver(
                                Piece {
                                    loaded: *loaded,
                                    bytes_read: 0,
                                    continues: false,
                                },
                                tx,
                            );
                            return Ok(());
                        }
                        Found::Note(note) => return send(LoadEvent::Note { input: i, note }),
                        Found::Warning(warning) => {
                            return send(LoadEvent::Warning { input: i, warning });
                        }
                    };
                    send(LoadEvent::Part {
                        input: i,
                        name: sanitize_line(&file.rel).into_owned(),
                    })?;
                    let mut chain = chain;
                    chain.insert(0, format!("folder file {}", sanitize_line(&file.rel)));
                    let mut member = Member::new(i, None, chain);
                    stream(
                        reader,
                        positional,
                        &part_label,
                        format,
                        options,
                        budget,
                        &mut |piece| member.deliver(piece, tx),
                    )
                })
            });
        match result {
            Ok(()) => with_reviews += 1,
            Err(StreamError::Cancelled) => return Err(StreamError::Cancelled),
            Err(err @ (StreamError::TooLarge { .. } | StreamError::Decompressed { .. })) => {
                return Err(err);
            }
            Err(err) => without.push(format!(
                "{} ({})",
                sanitize_line(&file.rel),
                crate::read::container::why_not_reviews(&err)
            )),
        }
    }
    if with_reviews == 0 {
        let listed = if without.is_empty() {
            "is a folder with no files in it to read".to_string()
        } else {
            format!(
                "is a folder in which no file holds reviews: {}",
                folder::some_of(&without, 5)
            )
        };
        return Err(StreamError::Load(crate::load::LoadError::Map(listed)));
    }
    if !without.is_empty() {
        send(LoadEvent::Note {
            input: i,
            note: format!(
                "files that hold no reviews: {}",
                folder::some_of(&without, 5)
            ),
        })?;
    }
    send(LoadEvent::Note {
        input: i,
        note: format!(
            "{with_reviews} of its {} files read, in path order, as one document",
            listing.files.len()
        ),
    })?;
    if !listing.skipped.is_empty() {
        send(LoadEvent::Note {
            input: i,
            note: format!("skipped: {}", folder::some_of(&listing.skipped, 5)),
        })?;
    }
    Ok(())
}

/// The name a member of an archive goes by on screen: its file name, without folders.
fn member_label(path: &str) -> String {
    path.rsplit('/')
        .find(|p| !p.is_empty())
        .unwrap_or(path)
        .to_string()
}

/// The pieces of one document found in an input, sent on as they come: a member of an
/// archive is announced with its first reviews, so that one that holds none (and is named
/// in a note instead) leaves nothing behind.
struct Member {
    input: usize,
    /// Its name in its archive; `None` for the input itself.
    name: Option<String>,
    chain: Vec<String>,
    announced: bool,
    held: Vec<Piece>,
}

impl Member {
    fn new(input: usize, member: Option<String>, chain: Vec<String>) -> Self {
        Self {
            input,
            announced: member.is_none(),
            name: member,
            chain,
            held: Vec::new(),
        }
    }

    /// Sends `piece` (or holds it until the member has a review); false when nobody
    /// listens any more.
    fn deliver(&mut self, mut piece: Piece, tx: &mpsc::Sender<LoadEvent>) -> bool {
        if let Some(explained) = piece.loaded.explained.as_mut() {
            explained.containers.clone_from(&self.chain);
        }
        if !self.announced {
            if piece.loaded.document.reviews.is_empty() {
                self.held.push(piece);
                return true;
            }
            self.announced = true;
            let name = self.name.clone().unwrap_or_default();
            if tx
                .send(LoadEvent::Member {
                    input: self.input,
                    name,
                })
                .is_err()
            {
                return false;
            }
            for held in std::mem::take(&mut self.held) {
                if tx
                    .send(LoadEvent::Piece {
                        input: self.input,
                        piece: held,
                    })
                    .is_err()
                {
                    return false;
                }
            }
        }
        tx.send(LoadEvent::Piece {
            input: self.input,
            piece,
        })
        .is_ok()
    }
}
