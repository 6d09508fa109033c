//! Containers a document arrives in (FORMATS.md §5): compressed streams, archives and
//! Parquet, told by their first bytes and never by a file name, and opened down to the
//! documents inside, which the loaders then read as if they had been given them plain.
//!
//! Everything is read as a stream: nothing from an archive is written to disk, and a
//! decompressed stream counts against `--max-size` byte for byte, so a bomb stops at the
//! limit. A stream damaged or cut short gives what it held before the damage, and a
//! warning that says where.

use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use super::describe_size;
use super::stream::{ReadAt, StreamError};
use crate::load::{LoadError, Warning};
use crate::tuning::SNIFF_BYTES;

mod archive;

/// How deep containers may nest (a `.csv.gz` in a `.zip` in a `.tar.gz` is three): past this
/// an archive of archives of archives is refused instead of recursing on.
const MAX_DEPTH: usize = 4;

/// A container, from its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Gzip,
    Zstd,
    Bzip2,
    Xz,
    Zip,
    Tar,
    Parquet,
}

impl Container {
    /// The container whose magic `head` (a stream's first bytes) starts with, if any.
    #[must_use]
    pub fn sniff(head: &[u8]) -> Option<Self> {
        let container = match head {
            [0x1f, 0x8b, ..] => Self::Gzip,
            // A zstd frame, or a skippable frame (0x184D2A5?) such as pzstd writes first.
            [0x28, 0xb5, 0x2f, 0xfd, ..] | [0x50..=0x5f, 0x2a, 0x4d, 0x18, ..] => Self::Zstd,
            // "BZh", the block size, then a block's or the end's magic.
            [b'B', b'Z', b'h', b'1'..=b'9', rest @ ..]
                if rest.starts_with(b"1AY&SY") || rest.starts_with(b"\x17rE8P\x90") =>
            {
                Self::Bzip2
            }
            [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => Self::Xz,
            // A local file header, or the end record of an empty archive.
            [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Self::Zip,
            [b'P', b'A', b'R', b'1', ..] => Self::Parquet,
            _ if head.get(257..262) == Some(b"ustar") => Self::Tar,
            _ => return None,
        };
        Some(container)
    }

    /// Its name, as `--explain` shows it in the chain.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Gzip => "gzip",
            Self::Zstd => "zstd",
            Self::Bzip2 => "bzip2",
            Self::Xz => "xz",
            Self::Zip => "zip",
            Self::Tar => "tar",
            Self::Parquet => "Parquet",
        }
    }

    fn is_compression(self) -> bool {
        matches!(self, Self::Gzip | Self::Zstd | Self::Bzip2 | Self::Xz)
    }
}

/// Something found inside an input, handed to the caller of [`unpack`] in order.
pub enum Found<'a> {
    /// A document to detect and stream.
    Stream(Inside<'a>),
    /// A Parquet file, which is read by its columns rather than as a stream.
    Parquet {
        bytes: Columnar,
        member: Option<String>,
        chain: Vec<String>,
    },
    /// A document read already (the Stanford dataset's tree inside an archive).
    Loaded {
        member: Option<String>,
        chain: Vec<String>,
        loaded: Box<crate::load::Loaded>,
    },
    /// Something said about the input as a whole (a member that holds no reviews).
    Note(String),
    /// A problem in the input that leaves the rest usable (a damaged stream).
    Warning(Warning),
}

/// The bytes of a Parquet file, which is read at any offset: the input file itself, or its
/// bytes in memory when it came through a pipe or inside another container.
pub enum Columnar {
    File(std::fs::File),
    Memory(bytes::Bytes),
}

/// A document inside an input: its bytes, and where it was found.
pub struct Inside<'a> {
    pub reader: &'a mut (dyn Read + Send),
    /// The same bytes for reading at any offset, when they are the input file itself.
    pub positional: Option<&'a dyn ReadAt>,
    /// Its name inside its archive; `None` for the input itself.
    pub member: Option<String>,
    /// The containers around it, outermost first (`gzip`, `tar member review.json`).
    pub chain: Vec<String>,
    /// The most bytes it may hold: `--max-size`, less what the archive's members before it
    /// held (they count together).
    pub budget: u64,
}

/// What [`unpack`] hands things to. A member for which it returns an error that says the
/// member is no review document is named in a note, and the next one is read; other errors
/// end the input.
pub type Visitor<'v> = dyn FnMut(Found<'_>) -> Result<(), StreamError> + 'v;

/// An input's bytes, as [`crate::read::Input::open`] gives them.
pub struct Source {
    pub reader: Box<dyn Read + Send>,
    pub positional: Option<Box<dyn ReadAt + Send>>,
    /// The file itself, where the input is one, for the containers read at any offset
    /// (zip, Parquet).
    pub file: Option<std::fs::File>,
    /// `--encoding` named the text's encoding: its start is not checked for binary data
    /// or UTF-16 (which it may be).
    pub encoding_named: bool,
    /// The most bytes of a container read whole into memory (a zip or Parquet file that
    /// came through a pipe): `max_size` limits what goes to a spill file, this what is held.
    pub memory_cap: u64,
}

thread_local! {
    /// [`Source::memory_cap`] of the input being unpacked on this thread, for the few places
    /// deep in the archive readers that read a whole member into memory.
    static MEMORY_CAP: std::cell::Cell<u64> = const { std::cell::Cell::new(u64::MAX) };
}

/// The most bytes a container may read whole into memory, within `budget`.
pub(super) fn memory_budget(budget: u64) -> u64 {
    MEMORY_CAP.get().min(budget)
}

/// Opens `source` down to its documents and hands each to `visit`: the input itself when
/// it is plain, the stream inside a compressed one, every member of an archive.
///
/// # Errors
/// When the input cannot be read, a container in it is unreadable from the start, holds no
/// document with reviews, or goes past `max_size` once decompressed; or when `visit` fails.
pub fn unpack(source: Source, max_size: u64, visit: &mut Visitor<'_>) -> Result<(), StreamError> {
    let Source {
        reader,
        positional,
        file,
        encoding_named,
        memory_cap,
    } = source;
    MEMORY_CAP.set(memory_cap.min(max_size));
    let layer = Layer {
        reader,
        positional,
        file,
        member: None,
        chain: Vec::new(),
        encoding_named,
    };
    open(layer, max_size, 0, visit)
}

/// One level of nesting being opened.
struct Layer<'a> {
    reader: Box<dyn Read + Send + 'a>,
    positional: Option<Box<dyn ReadAt + Send>>,
    file: Option<std::fs::File>,
    member: Option<String>,
    chain: Vec<String>,
    encoding_named: bool,
}

fn open(
    mut layer: Layer<'_>,
    max_size: u64,
    depth: usize,
    visit: &mut Visitor<'_>,
) -> Result<(), StreamError> {
    let head = peek(&mut layer.reader, SNIFF_BYTES).map_err(|err| read_error(err.into()))?;
    let Some(container) = Container::sniff(&head) else {
        if !layer.encoding_named {
            super::check_first_chunk(&head).map_err(read_error)?;
        }
        let mut reader = rejoin(head, layer.reader);
        return visit(Found::Stream(Inside {
            reader: &mut *reader,
            positional: layer.positional.as_deref().map(|p| p as &dyn ReadAt),
            member: layer.member,
            chain: layer.chain,
            budget: max_size,
        }));
    };
    if depth >= MAX_DEPTH {
        return Err(LoadError::Map(format!(
            "containers nested more than {MAX_DEPTH} deep (a {} inside {}); unpack it first",
            container.name(),
            layer.chain.join(" inside ")
        ))
        .into());
    }
    let reader = rejoin(head, layer.reader);
    if container.is_compression() {
        let damage = Arc::new(Mutex::new(None));
        let decoder = Guard {
            inner: decoder(container, reader)?,
            container,
            out: 0,
            damage: Arc::clone(&damage),
            failed: false,
        };
        let mut chain = layer.chain;
        chain.push(container.name().into());
        let inner = Layer {
            reader: Box::new(decoder),
            positional: None,
            file: None,
            member: layer.member,
            chain,
            encoding_named: layer.encoding_named,
        };
        let result = match open(inner, max_size, depth + 1, visit) {
            Err(StreamError::TooLarge { limit }) => Err(StreamError::Decompressed { limit }),
            other => other,
        };
        let damaged = damage.lock().ok().and_then(|mut d| d.take());
        return match (result, damaged) {
            (Ok(()), Some(message)) => {
                visit(Found::Warning(Warning {
                    line: None,
                    message: format!("{message}; the reviews before it are kept"),
                }))?;
                Ok(())
            }
            // Nothing usable came out before the damage: the damage is the reason.
            (Err(StreamError::Load(LoadError::Empty | LoadError::NoReviews { .. })), Some(m)) => {
                Err(LoadError::Map(format!("{m}, before any review")).into())
            }
            (result, _) => result,
        };
    }
    let chain = layer.chain;
    match container {
        Container::Tar => archive::tar(reader, &chain, max_size, depth, visit),
        Container::Zip => {
            let seekable = seekable(layer.file.filter(|_| depth == 0), reader, max_size)?;
            archive::zip(seekable, &chain, max_size, depth, visit)
        }
        Container::Parquet => {
            let bytes = match layer.file.filter(|_| depth == 0) {
                Some(file) => Columnar::File(file),
                None => Columnar::Memory(read_capped(reader, max_size)?.into()),
            };
            visit(Found::Parquet {
                bytes,
                member: layer.member,
                chain,
            })
        }
        Container::Gzip | Container::Zstd | Container::Bzip2 | Container::Xz => Ok(()),
    }
}

/// A reader that decompresses `container`'s stream from `reader`.
fn decoder<'a>(
    container: Container,
    reader: Box<dyn Read + Send + 'a>,
) -> Result<Box<dyn Read + Send + 'a>, StreamError> {
    let buffered = io::BufReader::with_capacity(256 << 10, reader);
    Ok(match container {
        Container::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        Container::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(buffered)?),
        Container::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(buffered)),
        Container::Xz => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(buffered)),
        Container::Zip | Container::Tar | Container::Parquet => Box::new(buffered),
    })
}

/// A decompressing reader that ends where its stream is damaged or cut short, and keeps
/// what was wrong, so that what came before still loads.
struct Guard<'a> {
    inner: Box<dyn Read + Send + 'a>,
    container: Container,
    /// Bytes decompressed so far.
    out: u64,
    damage: Arc<Mutex<Option<String>>>,
    /// The decoder failed: the stream ends there.
    failed: bool,
}

impl Read for Guard<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // A decoder is never asked again once it failed: some panic then (bzip2's reads
        // past its tables, and its `extern "C"` frame turns that into an abort).
        if self.failed {
            return Ok(0);
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.out += n as u64;
                Ok(n)
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => Err(err),
            Err(err) => {
                self.failed = true;
                let what = if err.kind() == io::ErrorKind::UnexpectedEof {
                    "is cut short".to_string()
                } else {
                    format!("is damaged ({err})")
                };
                let message = format!(
                    "the {} stream {what} after {} of its contents",
                    self.container.name(),
                    describe_size(self.out)
                );
                if let Ok(mut damage) = self.damage.lock() {
                    damage.get_or_insert(message);
                }
                Ok(0)
            }
        }
    }
}

/// Reads up to `len` bytes from the start of `reader` (fewer only at its end).
fn peek(reader: &mut Box<dyn Read + Send + '_>, len: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(len.min(SNIFF_BYTES));
    reader.take(len as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// `head` put back in front of the rest of `reader`.
fn rejoin<'a>(head: Vec<u8>, reader: Box<dyn Read + Send + 'a>) -> Box<dyn Read + Send + 'a> {
    Box::new(io::Cursor::new(head).chain(reader))
}

/// The whole of `reader` in memory, no more than `max_size` bytes, for a container that
/// must be read at any offset but came through a pipe or inside another.
fn read_capped(reader: Box<dyn Read + Send + '_>, max_size: u64) -> Result<Vec<u8>, StreamError> {
    let max_size = memory_budget(max_size);
    let mut bytes = Vec::new();
    reader
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_size {
        return Err(StreamError::TooLarge { limit: max_size });
    }
    Ok(bytes)
}

/// A zip archive to read: the input file itself, or its bytes in memory.
fn seekable(
    file: Option<std::fs::File>,
    reader: Box<dyn Read + Send + '_>,
    max_size: u64,
) -> Result<archive::Seekable, StreamError> {
    Ok(match file {
        Some(file) => archive::Seekable::File(file),
        None => archive::Seekable::Memory(io::Cursor::new(read_capped(reader, max_size)?)),
    })
}

/// The read error a stream error stands for, for the checks of a plain document's start.
fn read_error(err: super::ReadError) -> StreamError {
    match err {
        super::ReadError::Binary { offset } => LoadError::Binary { offset }.into(),
        super::ReadError::Io(err) => StreamError::Io(err),
        other => LoadError::Map(other.to_string()).into(),
    }
}

/// Whether an error met while reading a member says only that the member is no review
/// document (a licence, a picture, a table of businesses), not that reading went wrong.
fn is_not_reviews(err: &StreamError) -> bool {
    matches!(
        err,
        StreamError::Load(
            LoadError::Empty
                | LoadError::Binary { .. }
                | LoadError::NoReviews { .. }
                | LoadError::Map(_)
                | LoadError::Syntax { .. }
        )
    )
}

/// Why a member of an archive or a file of a folder is no review document, in a few
/// words.
#[must_use]
pub fn why_not_reviews(err: &StreamError) -> String {
    match err {
        StreamError::Load(LoadError::Empty) => "empty".into(),
        StreamError::Load(LoadError::Binary { .. }) => "not text".into(),
        StreamError::Load(LoadError::NoReviews { format, .. }) => {
            format!("no reviews found as {}", format.name())
        }
        StreamError::Load(LoadError::Syntax { line, message }) => format!("line {line}: {message}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_told_by_their_magic() {
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        for (head, want) in [
            (&b"\x1f\x8b\x08\0"[..], Some(Container::Gzip)),
            (b"\x28\xb5\x2f\xfd\x04", Some(Container::Zstd)),
            (b"\x50\x2a\x4d\x18\x04\0\0\0", Some(Container::Zstd)),
            (b"BZh91AY&SY", Some(Container::Bzip2)),
            (b"BZh9 is not bzip2", None),
            (b"\xfd7zXZ\0\0", Some(Container::Xz)),
            (b"PK\x03\x04", Some(Container::Zip)),
            (b"PAR1\x15\x04", Some(Container::Parquet)),
            (&tar[..], Some(Container::Tar)),
            (b"rating,title\n", None),
            (b"", None),
        ] {
            assert_eq!(Container::sniff(head), want, "{head:?}");
        }
    }
}
