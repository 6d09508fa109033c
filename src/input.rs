//! Where documents come from (files, standard input, the built-in sample) and reading them.

use std::fmt;
use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};

use crate::sanitize::sanitize;

/// The sample page built into the binary, opened when revue is given nothing to read.
pub const SAMPLE: &str = include_str!("../assets/pusher-ii-reviews.txt");

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

    /// A short name for the status bar: the file name without its folders.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Sample => "sample".into(),
            Self::Stdin => "stdin".into(),
            Self::File(path) => path
                .file_name()
                .map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy())
                .into_owned(),
        }
    }

    /// Reads the whole document.
    ///
    /// # Errors
    /// When it cannot be read, is not a regular file or pipe, or is a directory.
    pub fn read(&self) -> Result<Vec<u8>, ReadError> {
        match self {
            Self::Sample => Ok(SAMPLE.as_bytes().to_vec()),
            Self::Stdin => read_all(io::stdin().lock()),
            Self::File(path) => read_file(path),
        }
    }
}

impl fmt::Display for Input {
    /// The name used in messages: the path as given, made safe to print.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sample => f.write_str("<built-in sample>"),
            Self::Stdin => f.write_str("<stdin>"),
            Self::File(path) => f.write_str(&sanitize(&path.to_string_lossy())),
        }
    }
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

fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    if std::fs::metadata(path)?.is_dir() {
        return Err(ReadError::Directory);
    }
    read_all(File::open(path)?)
}

fn read_all(mut reader: impl Read) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Whether standard input is a pipe or file to read, rather than a terminal, `/dev/null` or
/// nothing at all.
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
                kind.is_fifo() || kind.is_file() || kind.is_socket()
            }
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    {
        true
    }
}
