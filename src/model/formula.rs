//! The spreadsheet guard on the text cells of revue's CSV, both ways.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, so a review
//! titled `=HYPERLINK("http://evil","click")` would become a live link, or worse (OWASP's
//! "CSV injection"). revue writes such a text cell with a `'` in front, which spreadsheets
//! take as "this is text" and do not show. Reading revue's own CSV takes the `'` off again, so
//! a round trip is exact: a cell that already starts with `'` before one of those characters
//! gets a second one, which makes the guard reversible for every text.
//!
//! Tab and carriage return, the other characters OWASP lists, cannot start a cell revue
//! writes: one-line fields are trimmed and bodies normalized.

use std::borrow::Cow;

/// Whether a spreadsheet could take `text` for a formula, or it starts like a guarded one.
fn needs_guard(text: &str) -> bool {
    matches!(
        text.trim_start_matches('\'').as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// A text cell as revue's CSV writes it.
#[must_use]
pub fn guard(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell of revue's CSV as it was before [`guard`]; returns the text and how many bytes
/// were taken off its front.
#[must_use]
pub fn unguard(cell: &str) -> (&str, usize) {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => (rest, 1),
        _ => (cell, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_comes_back_and_no_formula_goes_out() {
        for text in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "'=already",
            "''+twice",
            "'plain quote",
            "plain",
            "",
            "'",
            "a=b",
        ] {
            let written = guard(text);
            assert!(
                !matches!(written.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@')),
                "{text:?} -> {written:?}"
            );
            assert_eq!(unguard(&written).0, text, "{text:?} -> {written:?}");
        }
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(guard("'=x"), "''=x");
        assert_eq!(guard("'plain"), "'plain");
        // However many quotes lead, no recursion to overflow.
        let quotes = format!("{}=x", "'".repeat(100_000));
        assert_eq!(unguard(&guard(&quotes)).0, quotes);
    }
}
