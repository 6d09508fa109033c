//! Where documents come from (files, standard input, the built-in sample) and reading them
//! safely: with a size cap, without hanging on a pipe nobody writes to, and with a clear
//! reason when what was named is not a document at all.
//!
//! Every way a read can fail is a [`ReadError`], whose message completes the line
//! `revue: error: FILE: ...`; the caller exits with status 1.

use std::fmt;
use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::load::EXPECTED;
use crate::sanitize::sanitize;
use crate::tuning::SNIFF_BYTES;
use stream::ReadAt;

mod buffer;
pub mod container;
pub mod folder;
pub mod stream;

/// The sample page built into the binary, opened when revue is given nothing to read.
pub const SAMPLE: &str = include_str!("../../assets/pusher-ii-reviews.txt");

/// The largest document revue reads unless told otherwise (`--max-size`): 8 GiB.
pub const DEFAULT_MAX_SIZE: u64 = 8 << 30;

/// The folder spill files are made in: `$XDG_CACHE_HOME/revue`, else `~/.cache/revue`,
/// else the system's temporary folder (`$TMPDIR`). A spill file is made unlinked there, so
/// nothing is left behind however revue ends.
#[must_use]
pub fn spill_dir() -> PathBuf {
    user_dir("XDG_CACHE_HOME", ".cache").map_or_else(std::env::temp_dir, |c| c.join("revue"))
}

/// An XDG base folder: `$var` when it is an absolute path (the specification says a
/// relative one is to be ignored), else `$HOME/under_home` when `HOME` is absolute (a
/// relative one would put revue's files wherever it was started).
#[must_use]
pub fn user_dir(var: &str, under_home: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|home| home.join(under_home))
        })
}

/// Raises the limit of open files to the most the system allows, once: text left in its
/// files keeps each open (a folder of 5,000 Spark part files holds 5,000), and the usual
/// soft limit is 1,024 where the hard one is far higher.
pub fn allow_open_files() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use rustix::process::{Resource, getrlimit, setrlimit};
            let limit = getrlimit(Resource::Nofile);
            // `None` is no limit; a hard limit of none is left alone (the kernel's own
            // ceiling would refuse it).
            if let (Some(current), Some(maximum)) = (limit.current, limit.maximum)
                && current < maximum
            {
                let raised = rustix::process::Rlimit {
                    current: Some(maximum),
                    maximum: Some(maximum),
                };
                // Not allowed (a container's policy): the soft limit stays, which is fine
                // for anything but a folder of more files than it.
                let _ = setrlimit(Resource::Nofile, raised);
            }
        });
    }
}

/// How long to wait for something to open a named pipe for writing. A pipe from a shell
/// (`revue <(curl ...)`) already has its writer; only a FIFO nobody writes to waits this
/// long, and then gets an answer instead of hanging forever.
const FIFO_WAIT: Duration = Duration::from_secs(5);

/// One document to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Sample,
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The inputs named on the command line; with none, standard input when it is a pipe or
    /// a file, and the built-in sample when it is a terminal (or absent).
    #[must_use]
    pub fn from_args(files: &[PathBuf]) -> Vec<Self> {
        if files.is_empty() {
            return vec![if stdin_has_data() {
                Self::Stdin
            } else {
                Self::Sample
            }];
        }
        files
            .iter()
            .map(|f| {
                if f.as_os_str() == "-" {
                    Self::Stdin
                } else {
                    Self::File(f.clone())
                }
            })
            .collect()
    }

    /// A short name for the status bar: the file name without its folders, made safe to
    /// show (a file name is as untrusted as a document's text) and kept on one line.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Sample => "sample".into(),
            Self::Stdin => "stdin".into(),
            Self::File(path) => one_line(
                &path
                    .file_name()
                    .map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy()),
            ),
        }
    }

    /// Reads the whole document, up to [`DEFAULT_MAX_SIZE`].
    ///
    /// # Errors
    /// See [`Input::read_at_most`].
    pub fn read(&self) -> Result<Vec<u8>, ReadError> {
        self.read_at_most(DEFAULT_MAX_SIZE)
    }

    /// Reads the whole document, refusing one larger than `max_size` bytes.
    ///
    /// # Errors
    /// When the input does not exist, cannot be opened, is a directory or a terminal, is a
    /// named pipe nothing writes to, is larger than `max_size`, starts with binary data, or
    /// a read fails.
    pub fn read_at_most(&self, max_size: u64) -> Result<Vec<u8>, ReadError> {
        match self {
            Self::Sample => Ok(SAMPLE.as_bytes().to_vec()),
            Self::Stdin if io::stdin().is_terminal() => Err(ReadError::Terminal),
            Self::Stdin => read_capped(io::stdin().lock(), max_size, 0),
            Self::File(path) => read_file(path, max_size),
        }
    }
}

impl fmt::Display for Input {
    /// The name used in messages: the path as given, made safe to print on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sample => f.write_str("<built-in sample>"),
            Self::Stdin => f.write_str("<stdin>"),
            Self::File(path) => f.write_str(&one_line(&path.to_string_lossy())),
        }
    }
}

/// `text` sanitized, with line breaks shown as `␊` so that a name never splits a message
/// or a status bar over two lines.
fn one_line(text: &str) -> String {
    sanitize(text).replace('\n', "\u{240a}")
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    NotFound,
    #[error("permission denied")]
    PermissionDenied,
    #[error("is a directory, not a review document")]
    Directory,
    #[error("is a terminal, not a review document")]
    Terminal,
    #[error(
        "is a named pipe (FIFO) that nothing opened for writing within {} seconds",
        FIFO_WAIT.as_secs()
    )]
    NoWriter,
    #[error(
        "is {}larger than the {} limit (raise it with --max-size)",
        size.map(|s| format!("{}, ", describe_size(s))).unwrap_or_default(),
        describe_limit(*.limit)
    )]
    TooLarge {
        /// The size, when the file says it before being read; a stream is only known to
        /// go past the limit.
        size: Option<u64>,
        limit: u64,
    },
    /// Same words as [`crate::load::LoadError::Binary`], caught before reading it all.
    #[error("binary data (a NUL byte at offset {offset}), not a review document ({EXPECTED})")]
    Binary { offset: usize },
    #[error("UTF-16 text without a byte-order mark; read it with --encoding utf-16{endian}")]
    Utf16 { endian: &'static str },
    #[error("cannot read: {0}")]
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::NotFound => Self::NotFound,
            io::ErrorKind::PermissionDenied => Self::PermissionDenied,
            io::ErrorKind::IsADirectory => Self::Directory,
            _ => Self::Io(err),
        }
    }
}

fn read_file(path: &Path, max_size: u64) -> Result<Vec<u8>, ReadError> {
    let (file, size) = open_file(path, max_size)?;
    let hint = size.and_then(|s| usize::try_from(s).ok()).unwrap_or(0);
    read_capped(file, max_size, hint)
}

/// Opens a file after the checks that need no reading: not a directory, not larger than the
/// cap when its size is known, a FIFO with a writer, not a terminal. Gives the size of a
/// regular file.
fn open_file(path: &Path, max_size: u64) -> Result<(File, Option<u64>), ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ReadError::Directory);
    }
    // A regular file says its size: refuse a huge one before reading a byte.
    if meta.is_file() && meta.len() > max_size {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit: max_size,
        });
    }
    let file = if is_fifo(&meta) {
        open_fifo(path, FIFO_WAIT)?
    } else {
        File::open(path)?
    };
    if file.is_terminal() {
        return Err(ReadError::Terminal);
    }
    Ok((file, meta.is_file().then_some(meta.len())))
}

/// A second handle on a regular file for positional reads, which leave the shared file
/// offset alone: the handle and the reader do not disturb each other.
#[cfg(unix)]
fn read_at_any_offset(file: &File) -> Option<Box<dyn ReadAt + Send>> {
    let clone = file.try_clone().ok()?;
    Some(Box::new(clone))
}

#[cfg(not(unix))]
fn read_at_any_offset(_: &File) -> Option<Box<dyn ReadAt + Send>> {
    None
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// Opens a named pipe, which blocks until something opens it for writing: in a thread, so
/// that revue can give up after `wait`. A thread left waiting ends with the process.
fn open_fifo(path: &Path, wait: Duration) -> Result<File, ReadError> {
    let (tx, rx) = mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(File::open(path));
    });
    match rx.recv_timeout(wait) {
        Ok(opened) => Ok(opened?),
        Err(_) => Err(ReadError::NoWriter),
    }
}

/// Reads everything, but no more than `max_size` bytes: the first chunk alone first, so
/// that binary data (`/dev/zero`, an image) is refused before any more is read.
fn read_capped(reader: impl Read, max_size: u64, size_hint: usize) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(size_hint.saturating_add(1));
    let mut reader = reader.take((SNIFF_BYTES as u64).min(max_size.saturating_add(1)));
    reader.read_to_end(&mut bytes)?;
    check_first_chunk(&bytes)?;
    // One byte past the cap tells "exactly the cap" from "more than the cap".
    let rest = max_size
        .saturating_add(1)
        .saturating_sub(bytes.len() as u64);
    reader.set_limit(rest);
    reader.read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_size {
        return Err(ReadError::TooLarge {
            size: None,
            limit: max_size,
        });
    }
    Ok(bytes)
}

/// Refuses a start that holds a NUL byte, unless it is UTF-16 with a byte-order mark (which
/// the loader decodes); UTF-16 without one is named, since it is text in the wrong encoding.
pub(crate) fn check_first_chunk(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Ok(());
    }
    let Some(offset) = bytes.iter().position(|&b| b == 0) else {
        return Ok(());
    };
    if let Some(endian) = utf16_without_bom(bytes) {
        return Err(ReadError::Utf16 { endian });
    }
    Err(ReadError::Binary { offset })
}

/// `"LE"` or `"BE"` when `bytes` look like UTF-16 text: in nearly every pair of bytes one is
/// zero (ASCII) and the other is not, always on the same side.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let pairs = bytes.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut low_text, mut high_text) = (0, 0);
    for pair in bytes.chunks_exact(2) {
        match (pair[0], pair[1]) {
            (0, 0) => {}
            (_, 0) => low_text += 1,
            (0, _) => high_text += 1,
            _ => {}
        }
    }
    // Nine in ten pairs is text in one byte order: other scripts are allowed some pairs.
    if low_text * 10 >= pairs * 9 {
        Some("LE")
    } else if high_text * 10 >= pairs * 9 {
        Some("BE")
    } else {
        None
    }
}

/// A size the way people write it: `512 bytes`, `3.2 MiB`, `8 GiB`.
#[must_use]
pub fn describe_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    // Display only: the precision lost past 2^52 bytes does not show in one decimal.
    #[allow(clippy::cast_precision_loss)]
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A limit exactly: in a whole unit when it is one (`8 GiB`), otherwise in bytes, so that a
/// rounded limit never reads as equal to the size it refused.
pub(crate) fn describe_limit(bytes: u64) -> String {
    let text = describe_size(bytes);
    if text.contains('.') {
        format!("{bytes} bytes")
    } else {
        text
    }
}

/// Whether standard input is a pipe or file to read, rather than a terminal, `/dev/null` or
/// nothing at all. A directory counts (`revue < somedir`): reading it gives its error, where
/// opening the built-in sample instead would hide the mistake.
fn stdin_has_data() -> bool {
    if io::stdin().is_terminal() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        match std::fs::metadata("/dev/stdin") {
            Ok(meta) => {
                let kind = meta.file_type();
                kind.is_fifo() || kind.is_file() || kind.is_socket() || kind.is_dir()
            }
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// An input opened: its checks done (it exists, is no directory or terminal, is within the
/// size cap, a FIFO has a writer), its bytes ready for the container stage
/// ([`container::unpack`]), which tells what they are.
pub struct Opened {
    pub bytes: container::Source,
    /// Its size where the file system knows it.
    pub size: Option<u64>,
}

impl Input {
    /// Opens the input, with the same checks as [`Input::read_at_most`] that need no reading
    /// (missing, directory, terminal, idle FIFO, too large); what its first bytes say
    /// (binary, unmarked UTF-16, a container) is the container stage's to tell.
    ///
    /// # Errors
    /// As [`Input::read_at_most`], for whatever can be known before reading.
    pub fn source(&self, max_size: u64) -> Result<Opened, ReadError> {
        let (bytes, size) = match self {
            Self::Sample => (
                container::Source {
                    reader: Box::new(SAMPLE.as_bytes()),
                    positional: None,
                    file: None,
                    encoding_named: false,
                    memory_cap: crate::read::DEFAULT_MAX_SIZE,
                },
                Some(SAMPLE.len() as u64),
            ),
            // `revue -` typed at a terminal would wait on the keyboard for a document.
            Self::Stdin if io::stdin().is_terminal() => return Err(ReadError::Terminal),
            Self::Stdin => (
                container::Source {
                    reader: Box::new(io::stdin()),
                    positional: None,
                    file: None,
                    encoding_named: false,
                    memory_cap: crate::read::DEFAULT_MAX_SIZE,
                },
                None,
            ),
            Self::File(path) => {
                let (file, size) = open_file(path, max_size)?;
                let (positional, again) = if size.is_some() {
                    (read_at_any_offset(&file), file.try_clone().ok())
                } else {
                    (None, None)
                };
                let bytes = container::Source {
                    reader: Box::new(file),
                    positional,
                    file: again,
                    encoding_named: false,
                    memory_cap: crate::read::DEFAULT_MAX_SIZE,
                };
                (bytes, size)
            }
        };
        Ok(Opened { bytes, size })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn dash_means_stdin_and_other_names_are_files() {
        let inputs = Input::from_args(&["-".into(), "a/b/page.txt".into(), "./-x".into()]);
        assert_eq!(
            inputs,
            [
                Input::Stdin,
                Input::File("a/b/page.txt".into()),
                Input::File("./-x".into())
            ]
        );
    }

    #[test]
    fn labels_and_names() {
        let file = Input::File("some/dir/page.txt".into());
        assert_eq!(file.label(), "page.txt");
        assert_eq!(file.to_string(), "some/dir/page.txt");
        assert_eq!(Input::Sample.label(), "sample");
        assert_eq!(Input::Stdin.label(), "stdin");
        assert_eq!(Input::Sample.to_string(), "<built-in sample>");
        assert_eq!(Input::Stdin.to_string(), "<stdin>");
        assert_eq!(Input::File("/".into()).label(), "/");
    }

    #[test]
    fn file_names_are_sanitized_and_kept_on_one_line() {
        let file = Input::File("dir\u{9b}/evil\u{1b}[2J\u{202e}\nnext.txt".into());
        assert_eq!(
            file.to_string(),
            "dir›/evil\u{241b}[2J<U+202E>\u{240a}next.txt"
        );
        assert_eq!(file.label(), "evil\u{241b}[2J<U+202E>\u{240a}next.txt");
    }

    #[test]
    fn sample_is_the_pusher_page() {
        assert!(SAMPLE.starts_with("Pusher II (2004) Poster\n"));
        assert_eq!(Input::Sample.read().expect("built in"), SAMPLE.as_bytes());
    }

    #[test]
    fn reading_files_and_failures() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("page.txt");
        std::fs::write(&path, b"bytes\xff").expect("write");
        assert_eq!(Input::File(path).read().expect("reads"), b"bytes\xff");
        let missing = Input::File(dir.path().join("missing.txt")).read();
        assert!(matches!(missing, Err(ReadError::NotFound)), "{missing:?}");
        let directory = Input::File(dir.path().to_path_buf()).read();
        assert!(
            matches!(directory, Err(ReadError::Directory)),
            "{directory:?}"
        );
        assert_eq!(ReadError::NotFound.to_string(), "no such file");
        assert_eq!(
            ReadError::Directory.to_string(),
            "is a directory, not a review document"
        );
    }

    #[test]
    fn a_file_over_the_cap_is_refused_before_reading() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "x".repeat(2048)).expect("write");
        let input = Input::File(path);
        assert_eq!(input.read_at_most(2048).expect("at the cap").len(), 2048);
        let err = input.read_at_most(2047).expect_err("over the cap");
        assert!(
            matches!(
                err,
                ReadError::TooLarge {
                    size: Some(2048),
                    limit: 2047
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "is 2 KiB, larger than the 2047 bytes limit (raise it with --max-size)"
        );
    }

    #[test]
    fn a_stream_over_the_cap_stops_one_byte_past_it() {
        // An endless stream of text, as `yes | revue` would give.
        let endless = io::repeat(b'y');
        let err = read_capped(endless, 100_000, 0).expect_err("endless");
        assert!(
            matches!(
                err,
                ReadError::TooLarge {
                    size: None,
                    limit: 100_000
                }
            ),
            "{err:?}"
        );
        let small = read_capped(&b"abc"[..], 3, 0).expect("fits exactly");
        assert_eq!(small, b"abc");
        assert!(read_capped(&b"abcd"[..], 3, 0).is_err());
        assert_eq!(
            err.to_string(),
            "is larger than the 100000 bytes limit (raise it with --max-size)"
        );
    }

    #[test]
    fn binary_is_refused_from_the_first_chunk() {
        // Like /dev/zero: endless NUL bytes, refused without reading past the first chunk.
        let err = read_capped(io::repeat(0), DEFAULT_MAX_SIZE, 0).expect_err("zeros");
        assert!(matches!(err, ReadError::Binary { offset: 0 }), "{err:?}");
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let err = read_capped(&png[..], DEFAULT_MAX_SIZE, 0).expect_err("png");
        assert!(matches!(err, ReadError::Binary { offset: 8 }), "{err:?}");
        assert_eq!(
            err.to_string(),
            crate::load::LoadError::Binary { offset: 8 }.to_string()
        );
    }

    fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if little { [0xff, 0xfe] } else { [0xfe, 0xff] });
        }
        for unit in text.encode_utf16() {
            out.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_with_a_byte_order_mark_passes_and_without_one_is_named() {
        let text = "8/10\nGood film\nsomeone5 May 2005\nÉtonnant, vraiment.\n";
        for little in [true, false] {
            let with_bom = utf16(text, little, true);
            assert_eq!(
                read_capped(&with_bom[..], DEFAULT_MAX_SIZE, 0).expect("UTF-16"),
                with_bom
            );
            let err = read_capped(&utf16(text, little, false)[..], DEFAULT_MAX_SIZE, 0)
                .expect_err("no BOM");
            let endian = if little { "LE" } else { "BE" };
            assert!(
                matches!(err, ReadError::Utf16 { endian: e } if e == endian),
                "{err:?}"
            );
        }
        assert_eq!(
            ReadError::Utf16 { endian: "LE" }.to_string(),
            "UTF-16 text without a byte-order mark; read it with --encoding utf-16LE"
        );
        // Mostly text with a stray NUL is binary, not UTF-16.
        assert!(utf16_without_bom(b"plain text\0 here").is_none());
    }

    #[cfg(unix)]
    fn fifo(dir: &Path) -> PathBuf {
        let path = dir.join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        path
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_read_like_a_pipe() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = fifo(dir.path());
        let writer_path = path.clone();
        let writer = std::thread::spawn(move || {
            std::fs::write(writer_path, b"through the pipe").expect("write to the FIFO");
        });
        let bytes = Input::File(path).read().expect("reads the FIFO");
        assert_eq!(bytes, b"through the pipe");
        writer.join().expect("writer");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_nothing_writes_to_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = fifo(dir.path());
        let err = open_fifo(&path, Duration::from_millis(50)).expect_err("no writer");
        assert!(matches!(err, ReadError::NoWriter), "{err:?}");
        // Unblock the thread still opening it.
        let _ = std::fs::OpenOptions::new().write(true).open(&path);
    }

    #[test]
    fn io_errors_map_to_their_kind() {
        let kind = |k: io::ErrorKind| ReadError::from(io::Error::from(k));
        assert!(matches!(kind(io::ErrorKind::NotFound), ReadError::NotFound));
        assert!(matches!(
            kind(io::ErrorKind::PermissionDenied),
            ReadError::PermissionDenied
        ));
        assert!(matches!(
            kind(io::ErrorKind::IsADirectory),
            ReadError::Directory
        ));
        assert!(matches!(kind(io::ErrorKind::InvalidData), ReadError::Io(_)));
    }

    #[rstest]
    #[case(0, "0 bytes")]
    #[case(1023, "1023 bytes")]
    #[case(1024, "1 KiB")]
    #[case(1536, "1.5 KiB")]
    #[case(DEFAULT_MAX_SIZE, "8 GiB")]
    #[case(u64::MAX, "16384 PiB")]
    fn sizes_are_described(#[case] bytes: u64, #[case] text: &str) {
        assert_eq!(describe_size(bytes), text);
    }
}
