//! The loading thread: each input read down to its documents (a file, the stream inside a
//! compressed one, each member of an archive, each file of a folder) and each document's
//! pieces sent to the [`super::Collector`] as they are ready.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use super::LoadEvent;
use crate::load::stanford::{self, Stanford};
use crate::load::{Format, LoadError, Loaded, Options, Warning};
use crate::read::Input;
use crate::read::container::{Found, unpack};
use crate::read::folder;
use crate::read::stream::{Follow, Piece, Polled, StreamError, stream, stream_following};
use crate::sanitize::sanitize_line;

/// Starts reading `inputs` in a background thread. Dropping the receiver stops it after
/// its current piece. With `follow`, the files that can be followed are then looked at
/// while it is set (see [`follow`]).
#[must_use]
pub fn spawn(
    inputs: Vec<Input>,
    format: Option<Format>,
    options: Options,
    max_size: u64,
    follow: Option<Arc<AtomicBool>>,
) -> Receiver<LoadEvent> {
    crate::read::allow_open_files();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut followed = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let mut load = Load {
                i,
                format,
                options: &options,
                max_size,
                tx: &tx,
                followed: &mut followed,
            };
            match load.input(input) {
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
        let followable = followed.len();
        if tx.send(LoadEvent::Finished { followable }).is_err() {
            return;
        }
        if let Some(on) = follow {
            follow_files(followed, &on, &inputs, &tx);
        }
    });
    rx
}

/// How often a followed file is looked at: an appended review is on screen within this
/// and a frame of its write, and a look costs two `stat` calls.
const LOOK_EVERY: Duration = Duration::from_millis(40);

/// Every this many looks (about a second) the follow loop says it is alive, and so learns
/// when the app no longer listens (see [`LoadEvent::Alive`]).
const ALIVE_EVERY: u32 = 25;

/// Follows the files of `followed` while `on` is set, sending what is appended to them;
/// ends when nobody listens any more, or with [`LoadEvent::Restart`] when one of them was
/// truncated or replaced.
fn follow_files(
    mut followed: Vec<(usize, Follow)>,
    on: &AtomicBool,
    inputs: &[Input],
    tx: &mpsc::Sender<LoadEvent>,
) {
    let mut looks: u32 = 0;
    while !followed.is_empty() {
        looks = looks.wrapping_add(1);
        if looks.is_multiple_of(ALIVE_EVERY) && tx.send(LoadEvent::Alive).is_err() {
            return;
        }
        if on.load(Ordering::Relaxed) {
            let mut gone = Vec::new();
            for (k, (i, follow)) in followed.iter_mut().enumerate() {
                let mut member = Member::new(*i, None, Vec::new());
                let name = inputs.get(*i).map(ToString::to_string).unwrap_or_default();
                let reason = match follow.look(&mut |piece| member.deliver(piece, tx)) {
                    Ok(Polled::Same | Polled::Grew) => continue,
                    Ok(Polled::Truncated) => {
                        format!("{name} got shorter: read again from the start")
                    }
                    Ok(Polled::Replaced) => format!("{name} was replaced: read again"),
                    Err(StreamError::Cancelled) => return,
                    Err(err) => {
                        let warning = Warning {
                            line: None,
                            message: format!("no longer followed: {err}"),
                        };
                        let _ = tx.send(LoadEvent::Warning { input: *i, warning });
                        gone.push(k);
                        continue;
                    }
                };
                let _ = tx.send(LoadEvent::Restart { reason });
                return;
            }
            for k in gone.into_iter().rev() {
                followed.remove(k);
            }
        }
        thread::sleep(LOOK_EVERY);
    }
}

/// One input being loaded, and where what it gives goes.
struct Load<'a> {
    i: usize,
    format: Option<Format>,
    options: &'a Options,
    max_size: u64,
    tx: &'a mpsc::Sender<LoadEvent>,
    /// The files that can be followed as they grow, by input.
    followed: &'a mut Vec<(usize, Follow)>,
}

impl Load<'_> {
    /// Reads the input down to its documents (the input itself, or what its containers
    /// hold) and sends what each gives.
    fn input(&mut self, input: &Input) -> Result<(), StreamError> {
        let (i, format, options, max_size, tx) =
            (self.i, self.format, self.options, self.max_size, self.tx);
        if let Input::File(path) = input
            && path.is_dir()
        {
            return load_folder(i, input, path, format, options, max_size, tx);
        }
        let source = input
            .source(max_size)
            .map_err(|err| StreamError::Load(crate::load::LoadError::Map(err.to_string())))?;
        let mut follow = None;
        load_source(
            i,
            &input.label(),
            source,
            format,
            options,
            max_size,
            tx,
            &mut follow,
        )?;
        if let (Some(follow), Input::File(path)) = (follow, input) {
            self.followed.push((i, follow.at(path.clone())));
        }
        Ok(())
    }
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
            memory_cap: crate::read::DEFAULT_MAX_SIZE,
        },
        size: None,
    };
    let result = load_source(0, label, source, None, options, max_size, &tx, &mut None);
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

/// [`Load::input`] once the input is open; `follow` gets what follows the input as it
/// grows, where it can be followed (a plain file whose text is left in it).
#[allow(clippy::too_many_arguments)]
fn load_source(
    i: usize,
    input_label: &str,
    mut source: crate::read::Opened,
    format: Option<Format>,
    options: &Options,
    max_size: u64,
    tx: &mpsc::Sender<LoadEvent>,
    follow: &mut Option<Follow>,
) -> Result<(), StreamError> {
    source.bytes.encoding_named = options.encoding.is_some();
    source.bytes.memory_cap = options.keep.memory_cap;
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
                let plain = inside.member.is_none() && inside.chain.is_empty();
                let mut member = Member::new(i, inside.member, inside.chain);
                let following = stream_following(
                    inside.reader,
                    inside.positional,
                    &label,
                    format,
                    options,
                    inside.budget,
                    &mut |piece| member.deliver(piece, tx),
                )?;
                if plain {
                    *follow = following;
                }
                Ok(())
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
                Member::new(i, member, chain).deliver_whole(loaded, tx)
            }
            Found::Loaded {
                member,
                chain,
                loaded,
            } => Member::new(i, member, chain).deliver_whole(*loaded, tx),
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
    let listing = folder::list(dir).map_err(|err| {
        StreamError::Load(LoadError::Map(
            crate::read::ReadError::from(err).to_string(),
        ))
    })?;
    let folder = Folder {
        i,
        label: input.label(),
        format,
        options,
        max_size,
        tx,
    };
    folder.send(LoadEvent::Started {
        input: i,
        size: None,
    })?;
    let (tree, files): (Vec<_>, Vec<_>) = listing
        .files
        .iter()
        .partition(|f| stanford::classify(&f.rel).is_some());
    let mut with_reviews = 0;
    let mut without = Vec::new();
    if folder.stanford_tree(&tree)? {
        with_reviews += 1;
    } else {
        without.extend(
            tree.iter()
                .map(|f| format!("{} (no review files beside it)", f.rel)),
        );
    }
    for file in files {
        match folder.file(file) {
            Ok(()) => with_reviews += 1,
            Err(
                err @ (StreamError::Cancelled
                | StreamError::TooLarge { .. }
                | StreamError::Decompressed { .. }),
            ) => {
                return Err(err);
            }
            Err(err) => without.push(format!(
                "{} ({})",
                sanitize_line(&file.rel),
                crate::read::container::why_not_reviews(&err)
            )),
        }
    }
    folder.finish(&listing, with_reviews, &without)
}

/// A folder being read: what its files are read with, and where they go.
struct Folder<'a> {
    i: usize,
    /// The folder's name, which its reviews that name no film are listed under.
    label: String,
    format: Option<Format>,
    options: &'a Options,
    max_size: u64,
    tx: &'a mpsc::Sender<LoadEvent>,
}

impl Folder<'_> {
    fn send(&self, event: LoadEvent) -> Result<(), StreamError> {
        self.tx.send(event).map_err(|_| StreamError::Cancelled)
    }

    /// Announces the next part of the folder's document, named `name`.
    fn part(&self, name: &str) -> Result<(), StreamError> {
        self.send(LoadEvent::Part {
            input: self.i,
            name: sanitize_line(name).into_owned(),
        })
    }

    /// Reads the files of the Stanford layout among `tree` on every core, as one part;
    /// false when there is no review file among them.
    fn stanford_tree(&self, tree: &[&folder::Entry]) -> Result<bool, StreamError> {
        let reviews = |f: &&folder::Entry| {
            matches!(
                stanford::classify(&f.rel),
                Some(stanford::Part::Review { .. })
            )
        };
        if !tree.iter().any(reviews) {
            return Ok(false);
        }
        let total: u64 = tree
            .iter()
            .filter_map(|f| f.path.metadata().ok())
            .map(|m| m.len())
            .sum();
        if total > self.max_size {
            return Err(StreamError::TooLarge {
                limit: self.max_size,
            });
        }
        let mut gathered = Stanford::default();
        for (file, read) in tree.iter().zip(folder::read_all(tree)) {
            let Some(part) = stanford::classify(&file.rel) else {
                continue;
            };
            match read {
                Ok(bytes) => gathered.add(&file.rel, part, bytes),
                Err(err) => self.send(LoadEvent::Warning {
                    input: self.i,
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
        let loaded = gathered.finish(&self.label)?;
        self.part(stanford::NAME)?;
        Member::new(self.i, None, Vec::new()).deliver_whole(loaded, self.tx)?;
        Ok(true)
    }

    /// Reads one file of the folder by its content, as a part of the folder's document.
    fn file(&self, file: &folder::Entry) -> Result<(), StreamError> {
        let label = file.partition.clone().unwrap_or_else(|| self.label.clone());
        let mut source = Input::File(file.path.clone())
            .source(self.max_size)
            .map_err(|err| StreamError::Load(LoadError::Map(err.to_string())))?;
        source.bytes.encoding_named = self.options.encoding.is_some();
        source.bytes.memory_cap = self.options.keep.memory_cap;
        unpack(source.bytes, self.max_size, &mut |found| match found {
            Found::Stream(inside) => {
                self.part(&file.rel)?;
                let mut chain = inside.chain;
                chain.insert(0, format!("folder file {}", sanitize_line(&file.rel)));
                let mut member = Member::new(self.i, None, chain);
                stream(
                    inside.reader,
                    inside.positional,
                    &label,
                    self.format,
                    self.options,
                    inside.budget,
                    &mut |piece| member.deliver(piece, self.tx),
                )
            }
            Found::Parquet { bytes, chain, .. } => {
                let loaded = crate::load::parquet::load(bytes, &label, self.options)?;
                self.part(&file.rel)?;
                Member::new(self.i, None, chain).deliver_whole(loaded, self.tx)
            }
            Found::Loaded { chain, loaded, .. } => {
                self.part(&file.rel)?;
                Member::new(self.i, None, chain).deliver_whole(*loaded, self.tx)
            }
            Found::Note(note) => self.send(LoadEvent::Note {
                input: self.i,
                note,
            }),
            Found::Warning(warning) => self.send(LoadEvent::Warning {
                input: self.i,
                warning,
            }),
        })
    }

    /// The folder's end: an error when no file held reviews, else the notes on what was
    /// read and what was not.
    fn finish(
        &self,
        listing: &folder::Listing,
        with_reviews: usize,
        without: &[String],
    ) -> Result<(), StreamError> {
        if with_reviews == 0 {
            let listed = if without.is_empty() {
                "is a folder with no files in it to read".to_string()
            } else {
                format!(
                    "is a folder in which no file holds reviews: {}",
                    folder::some_of(without, 5)
                )
            };
            return Err(StreamError::Load(LoadError::Map(listed)));
        }
        let note = |note: String| {
            self.send(LoadEvent::Note {
                input: self.i,
                note,
            })
        };
        if !without.is_empty() {
            note(format!(
                "files that hold no reviews: {}",
                folder::some_of(without, 5)
            ))?;
        }
        note(format!(
            "{with_reviews} of its {} files read, in path order, as one document",
            listing.files.len()
        ))?;
        if !listing.skipped.is_empty() {
            note(format!("skipped: {}", folder::some_of(&listing.skipped, 5)))?;
        }
        Ok(())
    }
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

    /// Sends a document read whole (Parquet, the Stanford tree).
    fn deliver_whole(
        &mut self,
        loaded: Loaded,
        tx: &mpsc::Sender<LoadEvent>,
    ) -> Result<(), StreamError> {
        let piece = Piece {
            loaded,
            bytes_read: 0,
            continues: false,
        };
        if self.deliver(piece, tx) {
            Ok(())
        } else {
            Err(StreamError::Cancelled)
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
