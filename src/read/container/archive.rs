//! The members of zip and tar archives, each read by its content as a document of its own.
//!
//! An archive is unpacked on a thread of its own, which hands each member's bytes over in
//! chunks while the loader parses the member before: decompressing a `.tar.gz` and parsing
//! run side by side, and a member is never held twice. Members that hold no reviews (a
//! licence, `business.json`) are named in one note; an encrypted or unsupported member is a
//! warning and the others still load.

use std::io::{self, Read, Seek};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use super::{
    Container, Found, Layer, Visitor, describe_size, is_not_reviews, open, why_not_reviews,
};
use crate::load::stanford::{self, Stanford};
use crate::load::{LoadError, Warning};
use crate::read::folder::some_of;
use crate::read::stream::StreamError;
use crate::sanitize::sanitize_line;

/// No member to skip.
const NONE: usize = usize::MAX;

/// The bytes of a member are handed over in chunks of this size.
const CHUNK: usize = 1 << 20;

/// A zip archive, which is read at any offset: the input file, or bytes in memory.
pub enum Seekable {
    File(std::fs::File),
    Memory(io::Cursor<Vec<u8>>),
}

impl Read for Seekable {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::File(f) => f.read(buf),
            Self::Memory(m) => m.read(buf),
        }
    }
}

impl Seek for Seekable {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        match self {
            Self::File(f) => f.seek(pos),
            Self::Memory(m) => m.seek(pos),
        }
    }
}

/// What the unpacking thread hands over.
enum Message {
    /// A member begins.
    Start(String),
    Chunk(Vec<u8>),
    /// The member ends here.
    End,
    /// The member's bytes are damaged here: it ends, with this error.
    Broken(io::Error),
    /// A member that cannot be read at all (encrypted, an unknown compression).
    Unreadable {
        name: String,
        reason: String,
    },
    /// The archive itself cannot be read on (from the start, or past some member).
    Failed(io::Error),
    /// Something wrong with the archive that leaves its members readable.
    Warning(String),
}

/// Reads every member of the tar archive in `reader`.
pub(super) fn tar(
    reader: Box<dyn Read + Send + '_>,
    chain: &[String],
    max_size: u64,
    depth: usize,
    visit: &mut Visitor<'_>,
) -> Result<(), StreamError> {
    let produce = move |out: &Out| -> io::Result<()> {
        let mut archive = tar::Archive::new(reader);
        for entry in archive.entries()? {
            let mut entry = entry?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            if !out.member(name, &mut entry) {
                return Ok(());
            }
        }
        Ok(())
    };
    members(Container::Tar, produce, chain, max_size, depth, visit)
}

/// Reads every member of the zip archive `archive`: from its central directory, or, when
/// that is missing (a download cut short), member by member from the start.
pub(super) fn zip(
    archive: Seekable,
    chain: &[String],
    max_size: u64,
    depth: usize,
    visit: &mut Visitor<'_>,
) -> Result<(), StreamError> {
    let produce = move |out: &Out| -> io::Result<()> {
        let mut bytes = archive;
        // Any failure to read the central directory (missing, or cut into) falls back on
        // the members' own headers.
        let Ok(mut archive) = zip::ZipArchive::new(&mut bytes) else {
            return zip_from_the_start(bytes, out);
        };
        for i in 0..archive.len() {
            let (name, unreadable) = match archive.by_index_raw(i) {
                Ok(raw) if raw.is_dir() => continue,
                Ok(raw) => {
                    let name = raw
                        .name()
                        .map_or_else(|_| format!("member {}", i + 1), String::from);
                    let unreadable = if raw.encrypted() {
                        Some("it is encrypted".to_string())
                    } else {
                        unsupported(raw.compression())
                            .map(|code| format!("its compression ({code}) is not one revue reads"))
                    };
                    (name, unreadable)
                }
                Err(err) => return Err(io::Error::other(err.to_string())),
            };
            if let Some(reason) = unreadable {
                if out.tx.send(Message::Unreadable { name, reason }).is_err() {
                    return Ok(());
                }
                continue;
            }
            match archive.by_index(i) {
                Ok(mut member) => {
                    if !out.member(name, &mut member) {
                        return Ok(());
                    }
                }
                Err(err) => {
                    let reason = match err {
                        zip::result::ZipError::UnsupportedArchive(
                            zip::result::ZipError::PASSWORD_REQUIRED,
                        ) => "it is encrypted".to_string(),
                        zip::result::ZipError::UnsupportedArchive(what) => {
                            format!("unsupported ({})", what.to_lowercase())
                        }
                        other => other.to_string(),
                    };
                    if out.tx.send(Message::Unreadable { name, reason }).is_err() {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    };
    members(Container::Zip, produce, chain, max_size, depth, visit)
}

/// Reads the members of a zip archive without its central directory (a download cut short)
/// one by one from the start, as far as they go.
fn zip_from_the_start(mut bytes: Seekable, out: &Out) -> io::Result<()> {
    bytes.seek(io::SeekFrom::Start(0))?;
    let said = "the zip archive has no central directory (cut short?): its members are read \
                one by one from the start";
    if out.tx.send(Message::Warning(said.into())).is_err() {
        return Ok(());
    }
    loop {
        let mut member = match zip::read::read_zipfile_from_stream(&mut bytes) {
            Ok(Some(member)) => member,
            Ok(None) => return Ok(()),
            Err(zip::result::ZipError::Io(err)) => return Err(err),
            Err(err) => return Err(io::Error::other(err.to_string())),
        };
        if member.is_dir() {
            continue;
        }
        let name = member.name().map_or_else(|_| "member".into(), String::from);
        let unreadable = if member.encrypted() {
            Some("it is encrypted".to_string())
        } else {
            unsupported(member.compression())
                .map(|code| format!("its compression ({code}) is not one revue reads"))
        };
        let sent = match unreadable {
            Some(reason) => out.tx.send(Message::Unreadable { name, reason }).is_ok(),
            None => out.member(name, &mut member),
        };
        if !sent {
            return Ok(());
        }
    }
}

/// The name of a compression method revue was built without, if `method` is one.
fn unsupported(method: zip::CompressionMethod) -> Option<String> {
    use zip::CompressionMethod as M;
    match method {
        M::Stored | M::Deflated | M::Deflate64 | M::Bzip2 | M::Zstd => None,
        // Every method this build reads is named above.
        other => Some(other.to_string()),
    }
}

/// The unpacking thread's side: sends members in chunks, stopping a member early when the
/// reader says it wants no more of it.
struct Out {
    tx: SyncSender<Message>,
    /// The number of the member the reader wants no more of (see [`NONE`]): a number, not
    /// a flag, so that a wish about one member never cuts the next one short.
    skip: Arc<AtomicUsize>,
    /// How many members were started.
    started: std::cell::Cell<usize>,
    scratch: std::cell::RefCell<Vec<u8>>,
}

impl Out {
    /// Sends member `name` from `bytes`. False when nobody listens any more.
    fn member(&self, name: String, bytes: &mut dyn Read) -> bool {
        let number = self.started.get();
        self.started.set(number + 1);
        if self.tx.send(Message::Start(name)).is_err() {
            return false;
        }
        // Read through one buffer and sent as what was read: a member of a few hundred
        // bytes (the Stanford tree has 100,000) costs a few hundred bytes, not a zeroed
        // megabyte.
        let mut scratch = self.scratch.borrow_mut();
        scratch.resize(CHUNK, 0);
        loop {
            if self.skip.load(Ordering::Relaxed) == number {
                break;
            }
            let got = match read_full(bytes, &mut scratch) {
                Ok(got) => got,
                Err(err) => return self.tx.send(Message::Broken(err)).is_ok(),
            };
            if got == 0 {
                break;
            }
            if self
                .tx
                .send(Message::Chunk(scratch[..got].to_vec()))
                .is_err()
            {
                return false;
            }
        }
        self.tx.send(Message::End).is_ok()
    }
}

fn read_full(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(got)
}

/// Runs `produce` on a thread of its own and reads each member it sends as a document.
fn members(
    kind: Container,
    produce: impl FnOnce(&Out) -> io::Result<()> + Send,
    chain: &[String],
    max_size: u64,
    depth: usize,
    visit: &mut Visitor<'_>,
) -> Result<(), StreamError> {
    let (tx, rx) = mpsc::sync_channel(4);
    let skip = Arc::new(AtomicUsize::new(NONE));
    let out = Out {
        tx,
        skip: Arc::clone(&skip),
        started: std::cell::Cell::new(0),
        scratch: std::cell::RefCell::new(Vec::new()),
    };
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Err(err) = produce(&out) {
                let _ = out.tx.send(Message::Failed(err));
            }
        });
        // Taken by value: dropped on any return, so a thread blocked on sending wakes up.
        read_members(kind, rx, &skip, chain, max_size, depth, visit)
    })
}

/// What became of the members read so far.
#[derive(Default)]
struct Outcome {
    with_reviews: usize,
    /// Members without reviews, each with why.
    without: Vec<String>,
    /// Decompressed bytes of every member so far, which count together against the cap.
    total: u64,
}

fn read_members(
    kind: Container,
    rx: Receiver<Message>,
    skip: &AtomicUsize,
    chain: &[String],
    max_size: u64,
    depth: usize,
    visit: &mut Visitor<'_>,
) -> Result<(), StreamError> {
    let rx = Mutex::new(rx);
    let mut members = Members {
        archive: kind.name(),
        skip,
        chain,
        max_size,
        depth,
        outcome: Outcome::default(),
        stanford: Stanford::default(),
        started: 0,
    };
    let archive = members.archive;
    loop {
        let message = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        match message {
            Err(_) => break,
            Ok(Message::Start(name)) => {
                members.started += 1;
                members.member(&sanitize_line(&name), &rx, visit)?;
            }
            Ok(Message::Unreadable { name, reason }) => {
                let name = sanitize_line(&name);
                members.outcome.without.push(format!("{name} ({reason})"));
                warn(
                    visit,
                    format!("{archive} member {name} is not read: {reason}"),
                )?;
            }
            Ok(Message::Failed(err)) => {
                if members.outcome.with_reviews + members.outcome.without.len() == 0
                    && members.stanford.is_empty()
                {
                    return Err(
                        LoadError::Map(format!("not a readable {archive} archive: {err}")).into(),
                    );
                }
                warn(
                    visit,
                    format!(
                        "the {archive} archive is damaged after its last member read ({err}); \
                         the members before it are kept"
                    ),
                )?;
                break;
            }
            Ok(Message::Warning(message)) => warn(visit, message)?,
            // Stray pieces of a member that was given up.
            Ok(Message::Chunk(_) | Message::End | Message::Broken(_)) => {}
        }
    }
    members.finish(visit)
}

/// Hands `message` on as a warning about the archive.
fn warn(visit: &mut Visitor<'_>, message: String) -> Result<(), StreamError> {
    visit(Found::Warning(Warning {
        line: None,
        message,
    }))
}

/// The members of one archive being read.
struct Members<'c> {
    archive: &'static str,
    skip: &'c AtomicUsize,
    chain: &'c [String],
    max_size: u64,
    depth: usize,
    outcome: Outcome,
    /// The Stanford dataset's tree, gathered member by member and read at the end.
    stanford: Stanford,
    /// Members started so far: the one being read is number `started - 1`.
    started: usize,
}

impl Members<'_> {
    /// Reads the member `name` whose bytes come next on `rx`.
    fn member(
        &mut self,
        name: &str,
        rx: &Mutex<Receiver<Message>>,
        visit: &mut Visitor<'_>,
    ) -> Result<(), StreamError> {
        let damage = Arc::new(Mutex::new(None));
        let member = Member {
            rx,
            chunk: io::Cursor::new(Vec::new()),
            ended: false,
            read: 0,
            damage: Arc::clone(&damage),
        };
        if let Some(part) = stanford::classify(name) {
            return self.gather(name, part, member);
        }
        let mut chain = self.chain.to_vec();
        chain.push(format!("{} member {name}", self.archive));
        // The loader reads the member through one handle; with the other, the member is
        // finished after it, so the next one starts where it should.
        let handle = MemberHandle(Arc::new(Mutex::new(member)));
        let layer = Layer {
            reader: Box::new(MemberHandle(Arc::clone(&handle.0))),
            positional: None,
            file: None,
            member: Some(name.to_string()),
            chain,
            encoding_named: false,
        };
        let budget = self.max_size.saturating_sub(self.outcome.total);
        let result = open(layer, budget, self.depth + 1, visit);
        let (read, ended) = handle.finish_state();
        self.count(read)?;
        if !ended {
            self.skip.store(self.started - 1, Ordering::Relaxed);
            handle.drain();
        }
        match result {
            Ok(()) => self.outcome.with_reviews += 1,
            Err(StreamError::TooLarge { .. } | StreamError::Decompressed { .. }) => {
                return Err(StreamError::Decompressed {
                    limit: self.max_size,
                });
            }
            Err(err) if is_not_reviews(&err) => {
                let why = why_not_reviews(&err);
                self.outcome.without.push(format!("{name} ({why})"));
            }
            Err(err) => return Err(err),
        }
        let damaged = damage.lock().ok().and_then(|mut d| d.take());
        if let Some(damaged) = damaged {
            let archive = self.archive;
            warn(
                visit,
                format!("{archive} member {name}: {damaged}; what came before is kept"),
            )?;
        }
        Ok(())
    }

    /// Adds `read` bytes to what the archive has unpacked, against the size cap.
    fn count(&mut self, read: u64) -> Result<(), StreamError> {
        self.outcome.total += read;
        if self.outcome.total > self.max_size {
            return Err(StreamError::Decompressed {
                limit: self.max_size,
            });
        }
        Ok(())
    }

    /// Gathers one file of the Stanford dataset's tree, to be read with the rest.
    fn gather(
        &mut self,
        name: &str,
        part: stanford::Part,
        mut member: Member<'_>,
    ) -> Result<(), StreamError> {
        let budget = super::memory_budget(self.max_size.saturating_sub(self.outcome.total));
        let mut bytes = Vec::new();
        (&mut member)
            .take(budget.saturating_add(1))
            .read_to_end(&mut bytes)?;
        self.count(bytes.len() as u64)?;
        if !member.ended {
            self.skip.store(self.started - 1, Ordering::Relaxed);
            let _ = io::copy(&mut member, &mut io::sink());
        }
        self.stanford.add(name, part, bytes);
        Ok(())
    }

    /// The archive's end: the Stanford tree gathered, an error when no member held
    /// reviews, else the note naming those that did not.
    fn finish(self, visit: &mut Visitor<'_>) -> Result<(), StreamError> {
        let Self {
            archive,
            chain,
            mut outcome,
            stanford,
            ..
        } = self;
        if !stanford.is_empty() {
            let mut stanford_chain = chain.to_vec();
            stanford_chain.push(format!("{archive} members in its folders"));
            visit(Found::Loaded {
                member: Some(stanford::NAME.into()),
                chain: stanford_chain,
                loaded: Box::new(stanford.finish(stanford::NAME)?),
            })?;
            outcome.with_reviews += 1;
        }
        if outcome.with_reviews == 0 {
            let listed = if outcome.without.is_empty() {
                "it holds no files".to_string()
            } else {
                some_of(&outcome.without, 5)
            };
            return Err(LoadError::Map(format!(
                "no member of the {archive} archive holds reviews: {listed}"
            ))
            .into());
        }
        if !outcome.without.is_empty() {
            visit(Found::Note(format!(
                "{archive} members that hold no reviews: {}",
                some_of(&outcome.without, 5)
            )))?;
        }
        Ok(())
    }
}

/// The loader's side of one member: its chunks as one stream of bytes.
struct Member<'r> {
    rx: &'r Mutex<Receiver<Message>>,
    chunk: io::Cursor<Vec<u8>>,
    ended: bool,
    read: u64,
    damage: Arc<Mutex<Option<String>>>,
}

impl Read for Member<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.chunk.read(buf)?;
            if n > 0 || buf.is_empty() || self.ended {
                self.read += n as u64;
                return Ok(n);
            }
            let message = match self.rx.lock() {
                Ok(rx) => rx.recv().ok(),
                Err(_) => None,
            };
            match message {
                Some(Message::Chunk(bytes)) => self.chunk = io::Cursor::new(bytes),
                Some(Message::Broken(err)) => {
                    self.ended = true;
                    if let Ok(mut damage) = self.damage.lock() {
                        damage.get_or_insert(format!(
                            "damaged after {} ({err})",
                            describe_size(self.read)
                        ));
                    }
                }
                // The end, or the thread gone (its failure then comes next).
                _ => self.ended = true,
            }
        }
    }
}

/// A member shared between the loader, which reads it, and the loop, which afterwards
/// reads what the loader left (so the next member starts where it should).
struct MemberHandle<'r>(Arc<Mutex<Member<'r>>>);

impl Read for MemberHandle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.lock() {
            Ok(mut member) => member.read(buf),
            Err(_) => Ok(0),
        }
    }
}

impl MemberHandle<'_> {
    fn finish_state(&self) -> (u64, bool) {
        self.0.lock().map_or((0, true), |m| (m.read, m.ended))
    }

    /// Reads and drops the rest of the member.
    fn drain(&self) {
        if let Ok(mut member) = self.0.lock() {
            let _ = io::copy(&mut *member, &mut io::sink());
        }
    }
}
