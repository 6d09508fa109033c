//! The one way revue speaks on standard error: a sanitized line per message, never a panic.
//!
//! Messages carry text from outside (file names, arguments, values quoted from documents), so
//! each passes [`sanitize`] like document text does: a C1 control or a bidi override in a
//! file name must not reach the terminal through an error message either. A closed or full
//! stderr (`revue … 2>&-`, `2>&1 >/dev/null | true`) loses the message but not the run,
//! as a closed stdout already does not.

use std::fmt::Display;
use std::io::{self, Write as _};

use crate::sanitize::sanitize;

/// Prints `revue: error: {message}`.
pub fn error(message: impl Display) {
    line("error", &message.to_string());
}

/// Prints `revue: warning: {message}`.
pub fn warning(message: impl Display) {
    line("warning", &message.to_string());
}

/// Writes one line, its line breaks folded to spaces so that it stays one line.
fn line(kind: &str, message: &str) {
    let clean = sanitize(message).replace('\n', " ");
    let _ = writeln!(io::stderr().lock(), "revue: {kind}: {clean}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_one_safe_line() {
        let clean = sanitize("--\u{9b}31mX\u{202e}gpj.exe\nnext").replace('\n', " ");
        assert_eq!(clean, "--›31mX<U+202E>gpj.exe next");
    }
}
