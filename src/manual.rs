//! The sections of the manual page that clap does not make: the keys (from the one keymap
//! table), the configuration, the files, the environment and the exit status.

use std::fmt::Write as _;

/// Text made safe for ROFF: backslashes and hyphens escaped, and a line that would start
/// with a control character (`.` or `'`) guarded.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// The sections, in ROFF, to follow clap's page.
#[must_use]
pub fn sections() -> String {
    let mut out = String::from(".SH KEYS\n");
    for (keys, what) in crate::keymap::help_rows() {
        if keys.is_empty() {
            let _ = writeln!(out, ".SS {}", roff(what));
        } else {
            let _ = writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(&keys), roff(what));
        }
    }
    let text: [(&str, &[&str]); 4] = [
        (
            "CONFIGURATION",
            &[
                "$XDG_CONFIG_HOME/revue/config.toml (or ~/.config/revue/config.toml, or the file \
                 --config names) sets the default order, the spoiler policy, the wrap width, the \
                 histogram, colour, the theme's colours and the keys; revue --print-config prints \
                 every setting with its default. A bad file is one error line naming the file and \
                 the line; unknown settings are warnings. The file must be a regular file of at \
                 most 1 MiB in UTF-8.",
            ],
        ),
        (
            "FILES",
            &[
                "$XDG_CONFIG_HOME/revue/config.toml: the configuration.",
                "$XDG_CACHE_HOME/revue/ (else ~/.cache/revue/, else $TMPDIR): spill files with \
                 no name for the text of compressed, archived and piped documents; nothing is \
                 left there however revue ends.",
                "$XDG_DATA_HOME/revue/labels/ (else ~/.local/share/revue/labels/): a journal of \
                 marks and labels per document, named by a hash of its first 64 KiB and its \
                 size, one JSON line a change, synced as written (--labels FILE names another).",
            ],
        ),
        (
            "ENVIRONMENT",
            &[
                "BROWSER: the command o opens a review's link with, read as xdg-utils reads it \
                 (commands separated by colons, %s for the link); else xdg-open (open on macOS).",
                "NO_COLOR: no colour in the app (--color always overrides it).",
                "XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_DATA_HOME, HOME, TMPDIR: where the \
                 configuration, spill files and labels journals are.",
                "TERM: TERM=dumb cannot show the app; --format and --stats still print.",
            ],
        ),
        (
            "EXIT STATUS",
            &[
                "0: success.",
                "1: no document could be read or none holds a review, or --output could not be \
                 written.",
                "2: bad usage: a bad option or value, --output naming an input, a directory, a \
                 read-only file without --force or a link loop, or a bad configuration.",
                "128 + N: the app was ended by signal N (SIGHUP 129, SIGINT 130, SIGQUIT 131, \
                 SIGTERM 143), with the terminal put back.",
            ],
        ),
    ];
    for (title, paragraphs) in text {
        let _ = writeln!(out, ".SH {title}");
        for paragraph in paragraphs {
            let _ = writeln!(out, ".PP\n{}", roff(paragraph));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_and_section_is_in_the_page() {
        let page = sections();
        for title in [
            "KEYS",
            "CONFIGURATION",
            "FILES",
            "ENVIRONMENT",
            "EXIT STATUS",
        ] {
            assert!(page.contains(&format!(".SH {title}\n")), "{title}");
        }
        for (keys, what) in crate::keymap::help_rows().filter(|(k, _)| !k.is_empty()) {
            assert!(page.contains(&roff(what)), "{keys}: {what}");
        }
        // No line of text starts a ROFF request by accident.
        for line in page.lines() {
            assert!(
                !line.starts_with('\'') && (!line.starts_with('.') || line.len() >= 3),
                "{line}"
            );
        }
        assert_eq!(roff(".x-y\\"), "\\&.x\\-y\\e");
    }
}
