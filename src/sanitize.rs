//! The one sanitizer every piece of document text passes through before it enters the model.
//!
//! Review text comes from the web and from other people's scrapes, so it is hostile: an ESC
//! byte in a title must never reach the user's terminal as an escape sequence, whatever path it
//! later takes (list, detail pane, status bar, `--format` output). Rather than dropping such
//! characters silently, which would hide that the document holds them, they become visible
//! placeholders, the way `less` shows `^[`.
//!
//! | input | becomes |
//! |---|---|
//! | C0 controls (except `\n`, `\t`, `\r`) and DEL | Unicode control pictures (`␛`, `␀`, `␡`, ...) |
//! | C1 controls U+0080–U+009F | `<U+009B>` |
//! | tab | a space |
//! | CR, CR LF, U+2028, U+2029 | `\n` |
//! | bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) | `<U+202E>` |
//!
//! Zero-width joiners and variation selectors stay: emoji sequences need them and they cannot
//! move the cursor or reorder text.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Returns `text` with every control, line-separator and bidi-override character made safe.
///
/// Borrows when nothing needs changing, which is the common case, so loaders can keep
/// referring to the original buffer instead of copying it.
#[must_use]
pub fn sanitize(text: &str) -> Cow<'_, str> {
    match first_unsafe(text) {
        None => Cow::Borrowed(text),
        Some(at) => {
            let mut out = String::with_capacity(text.len() + 16);
            out.push_str(&text[..at]);
            let mut chars = text[at..].chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    continue; // CR LF is one line break
                }
                push_safe(&mut out, c);
            }
            Cow::Owned(out)
        }
    }
}

/// True when `text` would come out of [`sanitize`] unchanged.
#[must_use]
pub fn is_clean(text: &str) -> bool {
    first_unsafe(text).is_none()
}

/// Appends the safe form of one character.
fn push_safe(out: &mut String, c: char) {
    match c {
        '\t' => out.push(' '),
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push('\n'),
        '\0'..='\u{1f}' => {
            // U+2400 + code is the "control picture" for each C0 control: ␀ ␁ ... ␛ ... ␟
            out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'));
        }
        '\u{7f}' => out.push('\u{2421}'), // ␡
        c if needs_code_point_form(c) => {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        }
        c => out.push(c),
    }
}

/// C1 controls and the bidi characters that can reorder what follows them.
fn needs_code_point_form(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Byte offset of the first character [`sanitize`] must change, if any.
///
/// Works on bytes: every character it looks for starts with a byte below 0x20, 0x7F, 0xC2
/// (C1 controls) or 0xE2 (U+2028..U+2069), so most text is skipped a byte at a time without
/// decoding.
fn first_unsafe(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {}
            0..=0x1f | 0x7f => return Some(i),
            0xc2 => {
                if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) {
                    return Some(i);
                }
            }
            0xe2 => {
                // U+2028 U+2029 (separators), U+202A..U+202E (embeddings, overrides), and
                // U+2066..U+2069 (isolates)
                let unsafe_seq = matches!(
                    (bytes.get(i + 1), bytes.get(i + 2)),
                    (Some(0x80), Some(0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
                );
                if unsafe_seq {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::plain("Pusher II is great", "Pusher II is great")]
    #[case::newline_kept("a\nb", "a\nb")]
    #[case::tab("a\tb", "a b")]
    #[case::crlf("a\r\nb", "a\nb")]
    #[case::lone_cr("a\rb", "a\nb")]
    #[case::esc("\u{1b}[31mred", "\u{241b}[31mred")]
    #[case::osc52("\u{1b}]52;c;aGk=\u{7}", "\u{241b}]52;c;aGk=\u{2407}")]
    #[case::nul("a\0b", "a\u{2400}b")]
    #[case::backspace("ab\u{8}c", "ab\u{2408}c")]
    #[case::del("a\u{7f}", "a\u{2421}")]
    #[case::c1_csi("\u{9b}31m", "<U+009B>31m")]
    #[case::c1_first("\u{80}", "<U+0080>")]
    #[case::line_separator("a\u{2028}b\u{2029}c", "a\nb\nc")]
    #[case::rlo("abc\u{202e}fed", "abc<U+202E>fed")]
    #[case::lre("\u{202a}x", "<U+202A>x")]
    #[case::isolates("\u{2066}\u{2067}\u{2068}\u{2069}", "<U+2066><U+2067><U+2068><U+2069>")]
    #[case::zwj_kept("👩\u{200d}💻", "👩\u{200d}💻")]
    #[case::variation_selector_kept("❤\u{fe0f}", "❤\u{fe0f}")]
    #[case::latin1_kept("Drasbæk é ü", "Drasbæk é ü")]
    #[case::near_misses_kept(
        "\u{2027}\u{202f}\u{2065}\u{206a}\u{a0}",
        "\u{2027}\u{202f}\u{2065}\u{206a}\u{a0}"
    )]
    #[case::rtl_text_kept("שלום مرحبا", "שלום مرحبا")]
    fn sanitizes(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(sanitize(input), expected);
        assert_eq!(is_clean(input), input == expected);
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn output_is_always_clean() {
        let nasty: String = (0u32..0x300)
            .chain(0x2000..0x2100)
            .filter_map(char::from_u32)
            .collect();
        let out = sanitize(&nasty);
        assert!(is_clean(&out));
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' || needs_code_point_form(c))
        );
    }
}
