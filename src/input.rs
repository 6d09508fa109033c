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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn file_names_are_sanitized_in_messages() {
        let file = Input::File("evil\u{1b}[2J\u{202e}.txt".into());
        assert_eq!(file.to_string(), "evil\u{241b}[2J<U+202E>.txt");
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
}
