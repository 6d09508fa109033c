//! Reading a configuration file warily: it may be anything a path can name (a FIFO, a
//! device, a huge file), so it is read only when it is a regular file of at most a size a
//! configuration has; its lines are found in one pass; and its warnings are bounded and
//! summarized, as the loaders' are.

use std::io::Read as _;
use std::path::Path;

/// The largest configuration read: a real one is a few kilobytes.
pub const MAX_BYTES: u64 = 1 << 20;

/// How many characters of a name or value from the file a message quotes.
const QUOTED: usize = 80;

/// How many warnings of one kind are given one by one before the rest are counted.
const PER_KIND: usize = 3;

/// How many lines of warnings a configuration gives at most.
const MAX_LINES: usize = 20;

/// The text of the file at `path`. `Ok(None)` when it does not exist.
///
/// # Errors
/// One line naming the file: it is not a regular file, is larger than [`MAX_BYTES`], is not
/// UTF-8 (with the line of the first bad byte), or cannot be read.
pub fn text(path: &Path, name: &str) -> Result<Option<String>, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // A FIFO opens at once instead of waiting for a writer (and is then refused, below); a
    // regular file reads as ever.
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits().cast_signed(),
    );
    #[cfg(not(target_os = "linux"))]
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(format!(
            "{name}: the configuration is not a regular file ({})",
            kind_of(&meta)
        ));
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(format!("{name}: cannot read the configuration: {err}")),
    };
    let meta = file
        .metadata()
        .map_err(|err| format!("{name}: cannot read the configuration: {err}"))?;
    if !meta.is_file() {
        return Err(format!(
            "{name}: the configuration is not a regular file ({})",
            kind_of(&meta)
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("{name}: cannot read the configuration: {err}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "{name}: the configuration is larger than {} (a configuration is a few kilobytes)",
            crate::read::describe_size(MAX_BYTES)
        ));
    }
    String::from_utf8(bytes).map(Some).map_err(|err| {
        let bad = err.utf8_error().valid_up_to();
        let line = memchr::memchr_iter(b'\n', &err.as_bytes()[..bad]).count() + 1;
        format!("{name}:{line}: the configuration is not UTF-8 text")
    })
}

/// What a path that is no regular file is, in a user's words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// The lines of a text, found once: the line of any byte by a binary search.
pub struct Lines(Vec<usize>);

impl Lines {
    #[must_use]
    pub fn new(text: &str) -> Self {
        Self(memchr::memchr_iter(b'\n', text.as_bytes()).collect())
    }

    /// The 1-based line of byte `at`.
    #[must_use]
    pub fn of(&self, at: usize) -> usize {
        self.0.partition_point(|&newline| newline < at) + 1
    }
}

/// A name or value from the file as a message quotes it: sanitized, and cut to
/// [`QUOTED`] characters.
#[must_use]
pub fn quoted(text: &str) -> String {
    let cut = text
        .char_indices()
        .nth(QUOTED)
        .map_or(text.len(), |(i, _)| i);
    let more = if cut < text.len() { "…" } else { "" };
    format!("{}{more}", crate::sanitize::sanitize_line(&text[..cut]))
}

/// The warnings, at most [`PER_KIND`] of each kind (a message with what it quotes between
/// backticks and its numbers left out) and [`MAX_LINES`] in all, the rest counted.
#[must_use]
pub fn bounded(warnings: Vec<String>) -> Vec<String> {
    let kind = |w: &str| {
        let mut kind = String::new();
        let mut quoted = false;
        for c in w.chars() {
            match c {
                '`' => quoted = !quoted,
                _ if quoted => {}
                c if c.is_ascii_digit() => {}
                c => kind.push(c),
            }
        }
        kind
    };
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    let mut left = 0;
    for w in warnings {
        let k = kind(&w);
        let seen = if let Some((_, n)) = counts.iter_mut().find(|(kind, _)| *kind == k) {
            *n += 1;
            *n
        } else {
            counts.push((k, 1));
            1
        };
        if seen <= PER_KIND && out.len() < MAX_LINES {
            out.push(w);
        } else {
            left += 1;
        }
    }
    if left > 0 {
        out.push(format!(
            "… and {left} more warning{} like these",
            if left == 1 { "" } else { "s" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_by_their_bytes() {
        let lines = Lines::new("a\nbb\n\nc");
        let got: Vec<usize> = (0..7).map(|at| lines.of(at)).collect();
        assert_eq!(got, [1, 1, 2, 2, 2, 3, 4]);
    }

    #[test]
    fn warnings_are_bounded_per_kind_and_in_all() {
        let many: Vec<String> = (0..1000)
            .map(|i| format!("c.toml:{i}: unknown setting `x{i}`; ignored"))
            .chain(std::iter::once("c.toml:9: another".to_string()))
            .collect();
        let got = bounded(many);
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[3], "c.toml:9: another");
        assert_eq!(got[4], "… and 997 more warnings like these");
        assert_eq!(quoted(&"é".repeat(100)).chars().count(), 81);
        assert_eq!(quoted("a\u{202e}b"), "a<U+202E>b");
    }
}
