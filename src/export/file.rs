//! Writing exports to files without ever losing one: the text goes to a temporary file in
//! the destination's folder, is flushed to disk, and only then renamed over the destination,
//! so an export that is interrupted (a full disk, a kill, a crash) leaves the old file whole
//! and never a truncated one. An export is also refused when its destination is one of the
//! documents being read: revue never writes to its input.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::read::Input;

/// The temporary files being written now, for [`remove_temporaries`].
static TEMPORARIES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Removes the temporary files of exports being written: called on the way out of a
/// signal, which ends the process without running the destructors that would.
pub fn remove_temporaries() {
    let list = TEMPORARIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for path in list.iter() {
        let _ = fs::remove_file(path);
    }
}

/// A temporary file listed in [`TEMPORARIES`] while it lives.
struct Listed(PathBuf);

impl Listed {
    /// A new temporary file beside `target` in `folder`, listed as it is made: the list is
    /// held meanwhile, so a signal's cleanup, which takes it too, never misses one made
    /// but not yet listed.
    fn create(target: &Path, folder: &Path) -> io::Result<(tempfile::NamedTempFile, Self)> {
        let mut list = TEMPORARIES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let temp = temp_file_beside(target, folder)?;
        list.push(temp.path().to_path_buf());
        let listed = Self(temp.path().to_path_buf());
        Ok((temp, listed))
    }
}

impl Drop for Listed {
    fn drop(&mut self) {
        let mut list = TEMPORARIES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(at) = list.iter().position(|p| *p == self.0) {
            list.swap_remove(at);
        }
    }
}

/// Why an export was not written. The destination, if it existed, is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: is one of the input documents; revue never writes to its input")]
    IsInput { path: String },
    #[error("{path}: is a directory; give a file name to write to")]
    Directory { path: String },
    #[error("{path}: is read-only; revue replaces it only with --force")]
    ReadOnly { path: String },
    #[error("{path}: is a symbolic link that leads back to itself; nothing written")]
    LinkLoop { path: String },
    #[error("{path}: {what}: {source}")]
    Io {
        path: String,
        what: &'static str,
        source: io::Error,
    },
}

impl SaveError {
    /// The exit status: 2 when the command line asked for something revue refuses to do, 1
    /// when writing failed.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::IsInput { .. }
            | Self::Directory { .. }
            | Self::ReadOnly { .. }
            | Self::LinkLoop { .. } => 2,
            Self::Io { .. } => 1,
        }
    }
}

/// Prints the one-line error for a failed export and gives the exit status.
#[must_use]
pub fn report(result: Result<(), SaveError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            crate::stderr::error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}

/// Writes `path` with what `write` produces, all or nothing.
///
/// `inputs` are the documents being read, as named on the command line: `-`, or no name at
/// all, stands for standard input, which may be a file redirected from `path`. A
/// destination that is not a regular file (a terminal, `/dev/null`, a FIFO, revue's own
/// standard output or error) is written in place, as the shell's `>` would, and never
/// renamed over; a regular file is replaced whole by a temporary file renamed into place,
/// keeping its mode and, where the process may set it, its owner. A symbolic link stays a
/// link, even one whose target does not exist yet. A read-only file is replaced only when
/// `force` says so.
///
/// # Errors
/// When `path` is an input, a directory, read-only (without `force`) or a link loop, or the
/// file cannot be created, written, flushed or renamed into place.
pub fn write_atomically(
    path: &Path,
    inputs: &[PathBuf],
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), SaveError> {
    let name = Input::File(path.to_path_buf()).to_string();
    let io_error = |what: &'static str| {
        let path = name.clone();
        move |source: io::Error| SaveError::Io { path, what, source }
    };
    // What the path names now, through every link as the kernel follows them (so that
    // `/dev/stdout` is the pipe or file it stands for).
    if let Ok(meta) = fs::metadata(path) {
        if meta.is_dir() {
            return Err(SaveError::Directory { path: name });
        }
        if is_input(path, inputs) {
            return Err(SaveError::IsInput { path: name });
        }
        if let Some(stream) = std_stream(&meta) {
            // `-o /dev/stdout >> log.txt`: through revue's own stream, which keeps its
            // append mode; opening the file anew and renaming over it would wipe the log.
            return match stream {
                Stream::Out => write_to(&mut io::stdout().lock(), write),
                Stream::Err => write_to(&mut io::stderr().lock(), write),
            }
            .map_err(io_error("cannot write"));
        }
        if !meta.is_file() {
            return write_in_place(path, write).map_err(io_error("cannot write"));
        }
        if names_a_descriptor(path) {
            // `-o /dev/fd/3 3>>log.txt`: the shell holds the file open, in append mode or
            // just truncated; renaming over it would cut the log off from its name. Appended
            // to, it gets what the shell's `>>` (or `>`, at its start) would.
            return fs::OpenOptions::new()
                .append(true)
                .open(path)
                .and_then(|mut file| write_to(&mut file, write))
                .map_err(io_error("cannot write"));
        }
        if meta.permissions().readonly() && !force {
            return Err(SaveError::ReadOnly { path: name });
        }
        // The shell's `>` would be refused a file the user may not write (someone else's):
        // renaming over it would replace it, and its owner with it. Opening it for writing,
        // without truncating, changes nothing.
        if !force && let Err(err) = fs::OpenOptions::new().write(true).open(path) {
            return Err(SaveError::Io {
                path: name,
                what: "cannot write",
                source: err,
            });
        }
    }
    let target = resolve_link(path).ok_or_else(|| SaveError::LinkLoop { path: name.clone() })?;
    // A link is followed by the kernel, not by hand (see `through_link`).
    let (target, created) = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            through_link(path, target).map_err(io_error("cannot write through the link"))?
        }
        _ => (target, false),
    };
    let written = replace(&target, write, &name);
    if written.is_err() && created {
        // The empty file opening through the link made goes again.
        let _ = fs::remove_file(&target);
    }
    written
}

/// Replaces `target`, a regular file or none yet, with what `write` produces: a temporary
/// file beside it, written, flushed and renamed over it.
fn replace(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    name: &str,
) -> Result<(), SaveError> {
    let io_error = |what: &'static str| {
        let path = name.to_string();
        move |source: io::Error| SaveError::Io { path, what, source }
    };
    let folder = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    // Listed until it is renamed into place or removed (both before this returns).
    let (mut temp, _listed) = Listed::create(target, folder)
        .map_err(io_error("cannot create a temporary file in its folder"))?;
    // Keep the permissions of the file being replaced, and its owner where allowed.
    if let Ok(existing) = fs::metadata(target) {
        fs::set_permissions(temp.path(), existing.permissions())
            .map_err(io_error("cannot copy the permissions of the file"))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only root may give a file away; a member of the group may set the group.
            let _ =
                std::os::unix::fs::chown(temp.path(), Some(existing.uid()), Some(existing.gid()))
                    .or_else(|_| std::os::unix::fs::chown(temp.path(), None, Some(existing.gid())));
        }
    }
    {
        let mut out = BufWriter::new(temp.as_file_mut());
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(io_error("cannot write"))?;
    }
    // On disk before the rename, so that a crash cannot leave the new name on empty blocks.
    temp.as_file()
        .sync_all()
        .map_err(io_error("cannot flush to disk"))?;
    temp.persist(target)
        .map_err(|err| io_error("cannot rename the finished file into place")(err.error))?;
    // The rename itself is durable once the folder is synced; not every system allows that.
    if let Ok(dir) = fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Whether `path` names one of the process's open file descriptors (`/dev/fd/3`,
/// `/proc/self/fd/3`), which stand for a file someone holds open, not for a name to replace.
fn names_a_descriptor(path: &Path) -> bool {
    let text = path.to_string_lossy();
    ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"]
        .iter()
        .any(|dir| text.starts_with(dir))
        || text
            .strip_prefix("/proc/")
            .and_then(|rest| rest.split_once("/fd/"))
            .is_some_and(|(pid, _)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// revue's own standard output or error.
enum Stream {
    Out,
    Err,
}

/// Which of revue's standard streams is the file `meta` describes, if one is.
fn std_stream(meta: &fs::Metadata) -> Option<Stream> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let same = |fd: std::os::fd::BorrowedFd<'_>| {
            fd.try_clone_to_owned()
                .and_then(|fd| fs::File::from(fd).metadata())
                .is_ok_and(|m| (m.dev(), m.ino()) == (meta.dev(), meta.ino()))
        };
        if same(io::stdout().as_fd()) {
            return Some(Stream::Out);
        }
        if same(io::stderr().as_fd()) {
            return Some(Stream::Err);
        }
    }
    let _ = meta;
    None
}

fn write_to(
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    write(&mut out)?;
    out.flush()
}

/// Writes a file that is not a regular one where it is, as the shell's `>` does: a device
/// or a FIFO has no contents to lose and cannot be replaced.
fn write_in_place(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    write_to(&mut file, write)
}

/// The file the symbolic link `path` leads to, as the kernel follows it when the link is
/// opened for writing (creating the file when the link dangles, and saying so), the way the
/// shell's `>` follows it: the kernel's protections then hold (`fs.protected_symlinks`
/// refuses to follow another user's link in a sticky world-writable folder such as /tmp),
/// where a link resolved by hand, and a file renamed into place at its end, would
/// side-step them. `resolved` is that end found by hand, where the kernel cannot say.
fn through_link(path: &Path, resolved: PathBuf) -> io::Result<(PathBuf, bool)> {
    let (file, created) = match fs::OpenOptions::new().write(true).open(path) {
        Ok(file) => (file, false),
        Err(err) if err.kind() == io::ErrorKind::NotFound => (
            fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)?,
            true,
        ),
        Err(err) => return Err(err),
    };
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let opened = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()));
        Ok((opened.unwrap_or(resolved), created))
    }
    #[cfg(not(target_os = "linux"))]
    {
        drop(file);
        Ok((resolved, created))
    }
}

/// The file a path names once every symbolic link is followed, whether that file exists
/// or not (a dangling link is written through, so it stays a link); `None` for a loop.
fn resolve_link(path: &Path) -> Option<PathBuf> {
    let mut current = path.to_path_buf();
    // As many links as Linux follows before it says ELOOP.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = fs::read_link(&current).ok()?;
                current = if next.is_absolute() {
                    next
                } else {
                    current.parent().unwrap_or(Path::new(".")).join(next)
                };
            }
            _ => return Some(current),
        }
    }
    None
}

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// A new, empty temporary file in `folder`, named after `target` and hidden, readable like a
/// file the user would create (`0666` less the umask) rather than private to them.
fn temp_file_beside(target: &Path, folder: &Path) -> io::Result<tempfile::NamedTempFile> {
    let stem = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The temporary name must fit wherever the final one does: `.`, the stem, `.`, six
    // random characters and `.revue-tmp` within a file name's 255 bytes.
    let stem = crate::model::truncate_to_boundary(&stem, NAME_MAX - 2 - 6 - ".revue-tmp".len());
    let prefix = format!(".{stem}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".revue-tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

/// Whether `target` is the same file as one of the inputs: the same path once links and
/// `..` are resolved, or the same file under another name (a hard link).
pub fn is_input(target: &Path, inputs: &[PathBuf]) -> bool {
    let stdin = PathBuf::from("/dev/stdin");
    let mut candidates: Vec<&Path> = inputs
        .iter()
        .map(|p| if p.as_os_str() == "-" { &stdin } else { p })
        .map(PathBuf::as_path)
        .collect();
    // With no file named, standard input is an input only when revue reads it (a pipe or
    // a redirected file); otherwise the sample opens, and `/dev/null` there is no input.
    if inputs.is_empty() && Input::from_args(&[]) == [Input::Stdin] {
        candidates.push(&stdin);
    }
    candidates.into_iter().any(|input| same_file(target, input))
}

fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(meta_a), Ok(meta_b)) = (fs::metadata(a), fs::metadata(b)) else {
        // A destination that does not exist yet is no input.
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (meta_a.dev(), meta_a.ino()) == (meta_b.dev(), meta_b.ino()) {
            return true;
        }
    }
    let _ = (meta_a, meta_b);
    matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_text(text: &'static str) -> impl FnOnce(&mut dyn Write) -> io::Result<()> {
        move |out| out.write_all(text.as_bytes())
    }

    /// Files in `dir` other than the ones named.
    fn leftovers(dir: &Path, expected: &[&str]) -> Vec<String> {
        fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| !expected.contains(&n.as_str()))
            .collect()
    }

    #[test]
    fn writes_a_new_file_and_replaces_an_old_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.json");
        write_atomically(&path, &[], false, write_text("first")).expect("writes");
        assert_eq!(fs::read_to_string(&path).expect("read"), "first");
        write_atomically(&path, &[], false, write_text("second")).expect("replaces");
        assert_eq!(fs::read_to_string(&path).expect("read"), "second");
        assert_eq!(leftovers(dir.path(), &["out.json"]), Vec::<String>::new());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_whole_and_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.csv");
        fs::write(&path, "the old export").expect("write");
        let err = write_atomically(&path, &[], false, |out| {
            out.write_all(b"half of the new")?;
            Err(io::Error::other("disk full"))
        })
        .expect_err("fails");
        assert!(
            matches!(
                err,
                SaveError::Io {
                    what: "cannot write",
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.exit_code(), 1);
        assert!(
            err.to_string()
                .ends_with("out.csv: cannot write: disk full"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).expect("read"), "the old export");
        assert_eq!(leftovers(dir.path(), &["out.csv"]), Vec::<String>::new());
    }

    #[test]
    fn a_panic_while_writing_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.md");
        fs::write(&path, "old").expect("write");
        let result = std::panic::catch_unwind(|| {
            let _ = write_atomically(&path, &[], false, |out| {
                out.write_all(b"new")?;
                panic!("interrupted");
            });
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&path).expect("read"), "old");
        assert_eq!(leftovers(dir.path(), &["out.md"]), Vec::<String>::new());
    }

    #[test]
    fn refuses_to_overwrite_an_input_by_any_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("page.json");
        fs::write(&input, "the input").expect("write");
        fs::create_dir(dir.path().join("sub")).expect("sub");
        let same = [
            input.clone(),
            dir.path().join("sub/../page.json"),
            dir.path().join("./page.json"),
        ];
        #[cfg(unix)]
        let same = {
            let mut same = same.to_vec();
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&input, &link).expect("symlink");
            let hard = dir.path().join("hard.json");
            fs::hard_link(&input, &hard).expect("hard link");
            same.extend([link, hard]);
            same
        };
        for out in &same {
            let err = write_atomically(out, std::slice::from_ref(&input), false, write_text("x"))
                .expect_err("refused");
            assert!(matches!(err, SaveError::IsInput { .. }), "{out:?}: {err:?}");
            assert_eq!(err.exit_code(), 2);
        }
        assert_eq!(fs::read_to_string(&input).expect("read"), "the input");
        // Another file in the same folder is fine.
        let other = dir.path().join("other.json");
        write_atomically(&other, &[input], false, write_text("x")).expect("writes");
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_symbolic_link_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real.txt");
        fs::write(&real, "old").expect("write");
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write_atomically(&link, &[], false, write_text("new")).expect("writes");
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).expect("read"), "new");
        let mode = fs::metadata(&real).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        // A dangling link: the file it names is made through it, and made again only if
        // the export is written; a failed one leaves neither it nor a temporary file.
        let gone = dir.path().join("sub");
        fs::create_dir(&gone).expect("mkdir");
        let dangling = dir.path().join("dangling.txt");
        std::os::unix::fs::symlink(gone.join("target.txt"), &dangling).expect("symlink");
        let failed = write_atomically(&dangling, &[], false, |_| Err(io::Error::other("full")));
        assert!(failed.is_err());
        assert!(
            leftovers(&gone, &[]).is_empty(),
            "{:?}",
            leftovers(&gone, &[])
        );
        write_atomically(&dangling, &[], false, write_text("made")).expect("writes");
        assert_eq!(
            fs::read_to_string(gone.join("target.txt")).expect("read"),
            "made"
        );
        assert!(fs::symlink_metadata(&dangling).expect("link").is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_not_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("new.json");
        write_atomically(&path, &[], false, write_text("x")).expect("writes");
        let mode = fs::metadata(&path).expect("meta").permissions().mode();
        // Whatever the umask takes away, the owner can read and write, and it is not 0600
        // unless the umask says so.
        assert_eq!(mode & 0o600, 0o600);
        assert_ne!(mode & 0o777, 0o600, "mode {mode:o}");
    }

    #[test]
    fn a_directory_or_a_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = write_atomically(dir.path(), &[], false, write_text("x")).expect_err("dir");
        assert!(matches!(err, SaveError::Directory { .. }), "{err:?}");
        let missing = dir.path().join("no/such/folder/out.json");
        let err = write_atomically(&missing, &[], false, write_text("x")).expect_err("no folder");
        assert!(
            matches!(
                err,
                SaveError::Io {
                    what: "cannot create a temporary file in its folder",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn names_in_messages_are_sanitized() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = write_atomically(dir.path(), &[], false, write_text("x")).expect_err("dir");
        assert!(!err.to_string().contains('\u{1b}'));
        let path = PathBuf::from("no-such-dir/ev\u{1b}]0;x\u{7}il.json");
        let err = write_atomically(&path, &[], false, write_text("x")).expect_err("no folder");
        assert!(
            err.to_string()
                .starts_with("no-such-dir/ev\u{241b}]0;x\u{2407}il.json: "),
            "{err}"
        );
    }
}
