//! Where the text of a document read in pieces goes once parsed: left in the input file,
//! or written to a spill file of revue's own (a pipe, a decompressed stream), with the
//! bytes it had to keep in memory counted against their cap.

use std::io;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::{ReadAt, StreamError};
use crate::load::{Loaded, Options};
use crate::model::backing::{self, Backing};

/// Where the text of a document read in pieces is left once each piece is parsed: the
/// input file itself, or a spill file the pieces are written to as they are read (a pipe,
/// a decompressed stream). Text the reading had to change (invalid UTF-8, lone CRs, NUL
/// bytes) stays in memory.
pub(super) struct Home {
    pub(super) backing: Arc<Backing>,
    /// For a spill file: where it is, and how much it may take.
    pub(super) spill: Option<(std::path::PathBuf, u64)>,
    /// Bytes of pieces that could not be left in the file (decoding changed them: bad
    /// UTF-8, NUL bytes, lone CRs) and stay in memory, against the cap of what is held.
    held: std::sync::atomic::AtomicU64,
    memory_cap: u64,
}

impl Home {
    /// The home of a document's text, as `options` allow: `None` keeps it in memory (no
    /// spill folder was given, or no spill file could be made in it or the temporary
    /// folder).
    pub(super) fn open(
        options: &Options,
        positional: Option<&dyn ReadAt>,
        label: &str,
    ) -> Option<Self> {
        let dir = options.keep.spill_dir.as_ref()?;
        if let Some(file) = positional.and_then(ReadAt::file) {
            let backing = Backing::input(file.try_clone().ok()?, label).ok()?;
            return Some(Self {
                backing,
                spill: None,
                held: 0.into(),
                memory_cap: options.keep.memory_cap,
            });
        }
        let (file, dir) = [dir.clone(), std::env::temp_dir()]
            .into_iter()
            .find_map(|dir| Some((spill_file(&dir).ok()?, dir)))?;
        let room = room_on_disk(&file);
        Some(Self {
            backing: Backing::spill(file, label),
            spill: Some((dir, room)),
            held: 0.into(),
            memory_cap: options.keep.memory_cap,
        })
    }

    /// The error for text held in memory past its cap, if it is.
    pub(super) fn over_cap(&self) -> Option<StreamError> {
        (self.held.load(Ordering::Relaxed) > self.memory_cap).then_some(StreamError::TooLarge {
            limit: self.memory_cap,
        })
    }

    /// Where the text is kept, as `--explain` and `w` say it.
    pub(super) fn said(&self) -> String {
        match &self.spill {
            Some((dir, _)) => format!(
                "text kept in a spill file with no name in {}, read back when shown",
                crate::read::Input::File(dir.clone())
            ),
            None => "text left in the file, read back when shown".into(),
        }
    }

    /// The hash of a piece's bytes, to tell later whether the input changed (a spill file
    /// does not).
    pub(super) fn hash(&self, bytes: &[u8]) -> u64 {
        if self.spill.is_some() {
            0
        } else {
            backing::hash(bytes)
        }
    }

    /// Writes a piece read at `offset` to the spill file, if the text goes to one.
    pub(super) fn write(&self, bytes: &[u8], offset: u64) -> Result<(), StreamError> {
        let Some((dir, room)) = &self.spill else {
            return Ok(());
        };
        let full = |reason: String| StreamError::Spill {
            dir: crate::read::Input::File(dir.clone()).to_string(),
            reason,
        };
        if offset + bytes.len() as u64 > *room {
            return Err(full(format!(
                "it would leave less than {} free on that disk",
                crate::read::describe_size(SPILL_RESERVE)
            )));
        }
        write_at(self.backing.file(), bytes, offset).map_err(|err| full(err.to_string()))
    }

    /// Leaves a parsed piece's text, read at `offset`, in the file, when it is the file's
    /// bytes there (`verbatim`). Gives back the memory it was in, to read the next piece
    /// into: fresh memory costs a page fault every 4 KiB, more than the read itself.
    pub(super) fn settle(
        &self,
        loaded: &mut Loaded,
        offset: u64,
        hash: u64,
        verbatim: bool,
    ) -> Option<Vec<u8>> {
        if !verbatim {
            let len = loaded.document.text_bytes() as u64;
            self.held.fetch_add(len, Ordering::Relaxed);
            return None;
        }
        let memory = loaded.document.keep_text_in(backing::Place {
            backing: Arc::clone(&self.backing),
            offset,
            hash,
        })?;
        memory.into_bytes().try_into_mut().ok().map(Vec::from)
    }
}

/// Space a spill file leaves free on its disk: other programs need some too.
const SPILL_RESERVE: u64 = 1 << 30;

/// A new spill file in `dir`, which is made (private) if need be. On Linux it has no name
/// at all (`O_TMPFILE`); elsewhere it is unlinked at once.
fn spill_file(dir: &std::path::Path) -> io::Result<std::fs::File> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    tempfile::tempfile_in(dir)
}

/// How much a spill file may hold: the space free on its disk, less [`SPILL_RESERVE`].
fn room_on_disk(file: &std::fs::File) -> u64 {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::fstatvfs(file).map_or(u64::MAX, |s| {
            s.f_bavail
                .saturating_mul(s.f_frsize)
                .saturating_sub(SPILL_RESERVE)
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = file;
        u64::MAX
    }
}

/// Writes all of `bytes` at `offset`.
pub(super) fn write_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Seek, Write};
        let mut file = file;
        file.seek(io::SeekFrom::Start(offset))?;
        file.write_all(bytes)
    }
}
