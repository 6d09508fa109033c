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
//! | C1 controls U+0080–U+009F | the Windows-1252 character of that byte (`\u{96}` → `–`), see below |
//! | the five C1 positions Windows-1252 leaves undefined (U+0081, U+008D, U+008F, U+0090, U+009D) | `<U+009D>` |
//! | tab | a space |
//! | CR, CR LF, U+2028, U+2029 | `\n` |
//! | bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) | `<U+202E>` |
//!
//! A C1 control in text is nearly always Windows-1252 punctuation that was decoded as
//! Latin-1 somewhere upstream (FORMATS.md §5): the Stanford IMDB data is full of `\u{96}`
//! (an en dash), `\u{97}` (an em dash) and `\u{85}` (an ellipsis). They are shown and
//! written as the character the author typed, which is printable and so as safe as any;
//! no terminal ever sees the control (an 8-bit CSI, `\u{9b}`, becomes `›`).
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
        // UTF-8 decoded twice upstream shows C1 controls among its garbling: undone, it is
        // the text that was written (`Ð˜Ñ\u{81}Ñ‚` is `Ист`).
        Some(at)
            if text[at..].starts_with(|c| ('\u{80}'..='\u{9f}').contains(&c))
                && let Some(fixed) = undo_double_encoding(text) =>
        {
            Cow::Owned(sanitize(&fixed).into_owned())
        }
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

/// [`sanitize`] for a field of one line (a title, an author, a film): its line breaks,
/// whatever their kind (`\r`, `\r\n`, U+2028), become spaces, so that it stays one line in a
/// list row, a Markdown heading or a CSV cell.
#[must_use]
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    let clean = sanitize(text);
    // One-line fields are short: a plain loop beats a vector search's setup here.
    if !clean.as_bytes().contains(&b'\n') {
        return clean;
    }
    Cow::Owned(clean.replace('\n', " "))
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
        '\u{80}'..='\u{9f}' if let Some(typed) = windows_1252(c) => out.push(typed),
        c if needs_code_point_form(c) => {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        }
        c => out.push(c),
    }
}

/// The character Windows-1252 has at the byte of C1 control `c`, which is what the author
/// typed when text shows `c` (text decoded as Latin-1 somewhere upstream); `None` at the
/// five bytes Windows-1252 leaves undefined.
#[must_use]
pub fn windows_1252(c: char) -> Option<char> {
    const TABLE: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0',
        '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    let index = u32::from(c).checked_sub(0x80)?;
    let typed = *TABLE.get(usize::try_from(index).ok()?)?;
    (typed != '\0').then_some(typed)
}

/// Text whose UTF-8 bytes were decoded as Windows-1252 or Latin-1 and written again as UTF-8,
/// decoded back: `None` unless every character stands for one byte and those bytes are
/// UTF-8 holding characters beyond ASCII (English with a stray `\u{96}` dash is not: a lone
/// `0x96` is no UTF-8).
fn undo_double_encoding(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        let byte = match u8::try_from(u32::from(c)) {
            Ok(b) => b,
            Err(_) => windows_1252_byte(c)?,
        };
        bytes.push(byte);
    }
    let fixed = String::from_utf8(bytes).ok()?;
    (!fixed.is_ascii()).then_some(fixed)
}

/// The Windows-1252 byte of a character it has at 0x80–0x9F (`€`, `‘`, `–`…).
fn windows_1252_byte(c: char) -> Option<u8> {
    (0x80u8..=0x9f).find(|&b| windows_1252(char::from(b)) == Some(c))
}

/// How many C1 controls `bytes` (UTF-8, or JSON with `\u0096` escapes) hold: the
/// characters [`sanitize`] shows as the Windows-1252 punctuation they were, for the note
/// that says so.
#[must_use]
pub fn count_c1(bytes: &[u8]) -> usize {
    let raw = memchr::memchr_iter(0xc2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)))
        .count();
    let escaped = memchr::memmem::find_iter(bytes, b"\\u00")
        .filter(|&i| {
            matches!(bytes.get(i + 4), Some(b'8' | b'9'))
                && bytes.get(i + 5).is_some_and(u8::is_ascii_hexdigit)
                // Not an escaped backslash followed by the letters `u0080`.
                && (i == 0 || bytes[i - 1] != b'\\')
        })
        .count();
    raw + escaped
}

/// C1 controls and the bidi characters that can reorder what follows them.
fn needs_code_point_form(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Byte offset of the first character [`sanitize`] must change, if any.
///
/// Works on bytes: every character it looks for starts with a byte below 0x20, 0x7F, 0xC2
/// (C1 controls) or 0xE2 (U+2028..U+2069), so most text is skipped without decoding.
fn first_unsafe(text: &str) -> Option<usize> {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let n = bytes.len();
    // Loaders run this over every byte of a document, a field at a time. A block at a time,
    // the bytes that can start an unsafe character are looked for in a loop without early
    // exit, which the compiler turns into vector compares; only a block holding one is
    // looked at closely. Line breaks and other non-ASCII text (é, emoji) pass at full speed.
    if n < BLOCK {
        return if has_suspect(bytes) {
            first_unsafe_bytes(bytes, 0, n)
        } else {
            None
        };
    }
    let mut i = 0;
    for block in bytes.chunks_exact(BLOCK) {
        if has_suspect(block)
            && let Some(at) = first_unsafe_bytes(bytes, i, i + BLOCK)
        {
            return Some(at);
        }
        i += BLOCK;
    }
    // The bytes after the last whole block, looked at as the last BLOCK bytes (the ones
    // before them are known clean): byte by byte, this tail cost as much as all the rest
    // of a short field.
    if i < n && has_suspect(&bytes[n - BLOCK..]) {
        return first_unsafe_bytes(bytes, i, n);
    }
    None
}

/// Whether `bytes` hold a byte that can start an unsafe character, in one branch-free pass.
#[inline]
fn has_suspect(bytes: &[u8]) -> bool {
    let found = bytes.iter().fold(0u8, |found, &b| {
        found
            | (u8::from(b < 0x20) & u8::from(b != b'\n'))
            | u8::from(b == 0x7f)
            | u8::from(b == 0xc2)
            | u8::from(b == 0xe2)
    });
    found != 0
}

/// The first unsafe character starting in `bytes[from..to]`, looked at one by one.
fn first_unsafe_bytes(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    for i in from..to {
        match bytes[i] {
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
    #[case::c1_csi("\u{9b}31m", "›31m")]
    #[case::c1_first("\u{80}", "€")]
    #[case::c1_dash("a \u{96} b\u{85}", "a – b…")]
    #[case::double_encoded("Ð˜Ñ\u{81}Ñ‚Ð¾Ñ€Ð¸Ñ\u{8f}", "История")]
    #[case::double_encoded_dash("naÃ¯ve â\u{80}\u{94} ok", "naïve — ok")]
    #[case::stray_dash_is_no_double_encoding("cafÃ© \u{96} no", "cafÃ© – no")]
    #[case::c1_undefined(
        "\u{81}\u{8d}\u{8f}\u{90}\u{9d}",
        "<U+0081><U+008D><U+008F><U+0090><U+009D>"
    )]
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
    fn block_at_a_time_scan_agrees_with_the_byte_scan() {
        // Unsafe characters at many offsets of a long clean text, so each lands at the start,
        // middle and end of a block and in the tail.
        for bad in [
            "\u{1b}", "\u{7f}", "\u{9b}", "\u{202e}", "\u{2066}", "\u{0}", "\t",
        ] {
            for at in (0..20).chain(60..70).chain(125..131) {
                let text = format!("{}{bad}{}", "a".repeat(at), "b\nc".repeat(50));
                assert_eq!(first_unsafe(&text), Some(at), "{bad:?} at {at}");
            }
        }
        let clean = "plain text with é and 日本 and \n newlines, no controls at all".repeat(9);
        assert_eq!(first_unsafe(&clean), None);
        // Every length of text, with the character anywhere in it: shorter than a block,
        // in the whole blocks, and in the tail after them (looked at as the last block).
        for bad in ["\u{1b}", "\u{85}", "\u{2028}"] {
            for at in 0..140 {
                for after in [0, 1, 5, 30, 63, 64, 65, 70] {
                    let text = format!("{}{bad}{}", "a".repeat(at), "’".repeat(after));
                    assert_eq!(
                        first_unsafe(&text),
                        Some(at),
                        "{bad:?} at {at}, {after} after"
                    );
                }
            }
        }
        // Clean text of every length, ending in characters that start like unsafe ones.
        for len in 0..200 {
            let text = format!("{}’\u{a0}", "x\n".repeat(len / 2));
            assert_eq!(first_unsafe(&text), None, "length {len}");
        }
        // An unsafe character split across two blocks is still found.
        let split = format!("{}\u{202e}", "a".repeat(63));
        assert_eq!(first_unsafe(&split), Some(63));
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

    /// Loads `bytes` (format detected from the content) and gives each review as
    /// `title|author|body`, and the warnings.
    fn load(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
        let loaded = crate::load::load_bytes(bytes.to_vec(), "test", None).expect("loads");
        let doc = &loaded.document;
        let reviews = doc
            .reviews
            .iter()
            .map(|r| format!("{}|{}|{}", doc.title(r), doc.author(r), doc.body(r)))
            .collect();
        let warnings = loaded.warnings.iter().map(ToString::to_string).collect();
        (reviews, warnings)
    }

    const VOTES: &str = "1 out of 1 found this helpful. Was this review helpful? Sign in to vote.";

    fn page(title: &str, author_line: &str, body: &str) -> String {
        format!("8/10\n{title}\n{author_line}\n{body}\n{VOTES}\nPermalink\n")
    }

    /// Nothing that reaches the model can move the cursor or reorder text.
    fn assert_safe(text: &str) {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' || needs_code_point_form(c)),
            "{text:?}"
        );
    }

    #[test]
    fn copied_text_fields_are_sanitized() {
        let text = page(
            "Red \u{1b}[31mtitle\u{1b}[0m\u{7}",
            "ev\u{1b}]0;pwned\u{7}il11 March 2006",
            "Body \u{9b}2J cleared\u{7f}\n\nTab\there \u{202e}reversed\u{202c} and \u{2066}isolate\u{2069}",
        );
        let (reviews, warnings) = load(text.as_bytes());
        assert_eq!(
            reviews,
            [
                "Red \u{241b}[31mtitle\u{241b}[0m\u{2407}|ev\u{241b}]0;pwned\u{2407}il|\
              Body ›2J cleared\u{2421}\n\nTab here <U+202E>reversed<U+202C> and \
              <U+2066>isolate<U+2069>"
            ]
        );
        assert!(warnings.is_empty());
        for review in &reviews {
            assert_safe(review);
        }
    }

    #[test]
    fn copied_text_bidi_in_title_and_author() {
        let text = page("\u{202d}Title", "\u{202e}user\u{2067}5 May 2005", "Body");
        let (reviews, _) = load(text.as_bytes());
        assert_eq!(reviews, ["<U+202D>Title|<U+202E>user<U+2067>|Body"]);
    }

    #[test]
    fn line_separators_in_a_body_become_line_breaks_and_emoji_keep_joiners() {
        let text = page(
            "T",
            "user5 May 2005",
            "one\u{2028}two\u{2029}three 👩\u{200d}💻 ❤\u{fe0f}",
        );
        let (reviews, _) = load(text.as_bytes());
        assert_eq!(reviews, ["T|user|one\ntwo\nthree 👩\u{200d}💻 ❤\u{fe0f}"]);
    }

    #[test]
    fn json_fields_are_sanitized_after_unescaping() {
        let json = r#"{"reviews": [{"title": "a\u001b[2Jb\u009b", "author": "\u202eme",
            "body": "x\u0007y\r\nz\tw"}]}"#;
        let (reviews, warnings) = load(json.as_bytes());
        assert_eq!(reviews, ["a\u{241b}[2Jb›|<U+202E>me|x\u{2407}y\nz w"]);
        assert!(warnings.is_empty());
        // The raw control characters, not only escapes, are caught too.
        let raw = "{\"reviews\": [{\"title\": \"t\u{9b}\", \"body\": \"\u{202e}b\"}]}";
        assert_eq!(load(raw.as_bytes()).0, ["t›||<U+202E>b"]);
    }

    #[test]
    fn text_that_is_not_utf8_is_decoded_in_the_encoding_it_looks_like() {
        let mut bytes = page("T\u{fffd}", "user5 May 2005", "Body").into_bytes();
        // Bytes that are not UTF-8 on lines 2, 4 and 4 again, and no UTF-8 character:
        // Windows-1252, which has a character for each.
        let at = bytes
            .iter()
            .position(|&b| b == 0xef)
            .expect("replacement char");
        bytes.splice(at..at + 3, [0xff]);
        let body = bytes.windows(4).position(|w| w == b"Body").expect("body");
        bytes.splice(body..body, [0xc3, 0x28, b' ', 0x80, b' ']);
        let (reviews, warnings) = load(&bytes);
        assert_eq!(reviews, ["T\u{ff}|user|\u{c3}( \u{20ac} Body"]);
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}
