//! Display-width text layout: word wrapping and cutting text to a number of terminal columns.
//!
//! Widths are measured per grapheme cluster with `unicode-width`, the way ratatui measures
//! the cells it draws, so CJK and emoji count double and a cut never splits a cluster (an
//! emoji ZWJ sequence, a letter and its combining marks).

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns `text` takes on screen.
#[must_use]
pub fn width(text: &str) -> usize {
    text.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Splits `text` into lines of at most `width` columns, as byte ranges into `text`.
///
/// Each `\n` ends a line (an empty line stays an empty range). Lines break after spaces where
/// they can and inside a word only when the word alone is wider than the line, so long URLs
/// wrap instead of overflowing. Spaces at a break are dropped.
#[must_use]
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        wrap_line(line, start, width.max(1), &mut lines);
        start += line.len() + 1;
    }
    lines
}

/// Wraps one line (no `\n`) that starts at byte `base` of the whole text.
fn wrap_line(line: &str, base: usize, width: usize, out: &mut Vec<Range<usize>>) {
    let mut line_start = 0;
    let mut line_width = 0;
    // Where the current line could end (just before a run of spaces) and where the next
    // line would then start (just after it), with the width of what follows that break.
    let mut last_break: Option<(usize, usize)> = None;
    let mut width_after_break = 0;
    let mut at_line_start = true;
    for (i, g) in line.grapheme_indices(true) {
        let w = g.width();
        let is_space = g == " ";
        if at_line_start && is_space && !out.is_empty() && line_start > 0 {
            // Spaces carried over a break are not drawn.
            line_start = i + g.len();
            continue;
        }
        at_line_start = false;
        // A zero-width grapheme (a lone combining mark) holds a line without width: a wide
        // one after it goes to the next line all the same.
        if line_width + w > width && (line_width > 0 || i > line_start) {
            if is_space {
                out.push(base + line_start..base + trim_end_at(line, line_start, i));
                line_start = i + g.len();
                line_width = 0;
                last_break = None;
                at_line_start = true;
                continue;
            }
            match last_break.take() {
                // Break after the last word that ended on this line...
                Some((end, next)) if end > line_start => {
                    out.push(base + line_start..base + end);
                    line_start = next;
                    line_width = width_after_break;
                }
                // ...or inside a word that fills the line on its own.
                _ => {
                    out.push(base + line_start..base + i);
                    line_start = i;
                    line_width = 0;
                }
            }
            // The word carried over may still leave no room for this grapheme.
            if line_width + w > width && (line_width > 0 || i > line_start) {
                out.push(base + line_start..base + i);
                line_start = i;
                line_width = 0;
            }
        }
        if is_space {
            let end = trim_end_at(line, line_start, i);
            last_break = Some((end, i + g.len()));
            width_after_break = 0;
        } else {
            width_after_break += w;
        }
        line_width += w;
    }
    out.push(base + line_start..base + trim_end_at(line, line_start, line.len()));
}

/// `end`, moved back over the spaces before it but not before `start`.
fn trim_end_at(line: &str, start: usize, end: usize) -> usize {
    start + line[start..end].trim_end_matches(' ').len()
}

/// How many bytes at the end of `text` fit in `width` columns (whole graphemes).
#[must_use]
pub fn take_width_from_end(text: &str, width: usize) -> usize {
    let mut used = 0;
    let mut bytes = 0;
    for g in text.graphemes(true).rev() {
        let w = g.width();
        if used + w > width {
            break;
        }
        used += w;
        bytes += g.len();
    }
    bytes
}

/// `text` in exactly `width` columns, cut in the middle when it is too long (`Pus…III`),
/// so that names that differ only at their end stay apart.
#[must_use]
pub fn fit_middle(text: &str, width: usize) -> String {
    let text = text.replace('\n', " ");
    if crate::wrap::width(&text) <= width || width < 3 {
        return fit(&text, width, false);
    }
    let head_width = (width - 1) / 2;
    let (head, used) = take_width(&text, head_width);
    let tail_bytes = take_width_from_end(&text, width - 1 - used);
    let tail = &text[text.len() - tail_bytes..];
    fit(&format!("{head}…{tail}"), width, false)
}

/// The longest prefix of `text` that fits in `width` columns, and its width.
#[must_use]
pub fn take_width(text: &str, width: usize) -> (&str, usize) {
    let mut used = 0;
    for (i, g) in text.grapheme_indices(true) {
        let w = g.width();
        if used + w > width {
            return (&text[..i], used);
        }
        used += w;
    }
    (text, used)
}

/// `text` on one line in at most `width` columns, cut at the end of a word with `…` when
/// it does not fit (a word longer than the whole width is cut where it must be): a message
/// cut mid-word (`No such fi…`) reads as a different word.
#[must_use]
pub fn fit_words(text: &str, width: usize) -> String {
    let one_line = text.replace('\n', " ");
    if self::width(&one_line) <= width {
        return one_line;
    }
    if width == 0 {
        return String::new();
    }
    let (shown, _) = take_width(&one_line, width.saturating_sub(1));
    // The last break between words within what fits, if there is one past the start.
    let cut = shown.rfind(' ').filter(|&i| i > 0).unwrap_or(shown.len());
    format!("{}…", shown[..cut].trim_end_matches([' ', ',', ';', ':']))
}

/// `text` on one line in exactly `width` columns: line breaks become spaces, text that does
/// not fit is cut with `…`, and the rest is padded with spaces (on the left when
/// `align_right`).
#[must_use]
pub fn fit(text: &str, width: usize, align_right: bool) -> String {
    let one_line: std::borrow::Cow<'_, str> = if text.contains('\n') {
        text.replace('\n', " ").into()
    } else {
        text.into()
    };
    let (mut shown, mut used) = take_width(&one_line, width);
    let cut = shown.len() < one_line.len();
    let mut out = String::with_capacity(width + 4);
    if cut && width > 0 {
        (shown, used) = take_width(&one_line, width - 1);
        out.push_str(shown);
        out.push('…');
        used += 1;
    } else {
        out.push_str(shown);
    }
    let pad = " ".repeat(width.saturating_sub(used));
    if align_right {
        out.insert_str(0, &pad);
    } else {
        out.push_str(&pad);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, w: usize) -> Vec<&str> {
        wrap(text, w).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(lines("the quick brown fox", 10), ["the quick", "brown fox"]);
        assert_eq!(lines("the quick brown fox", 9), ["the quick", "brown fox"]);
        assert_eq!(
            lines("the quick brown fox", 8),
            ["the", "quick", "brown", "fox"]
        );
    }

    #[test]
    fn keeps_paragraphs_and_empty_lines() {
        assert_eq!(lines("one\n\ntwo", 10), ["one", "", "two"]);
        assert_eq!(lines("", 10), [""]);
    }

    #[test]
    fn breaks_words_longer_than_the_line() {
        assert_eq!(
            lines("see https://example.com/a/very/long/path ok", 10),
            ["see", "https://ex", "ample.com/", "a/very/lon", "g/path ok"]
        );
    }

    #[test]
    fn counts_wide_characters_double() {
        assert_eq!(lines("日本語のテキスト", 6), ["日本語", "のテキ", "スト"]);
        assert_eq!(lines("日本語", 5), ["日本", "語"]);
    }

    #[test]
    fn never_splits_a_grapheme_cluster() {
        let family = "👩\u{200d}👩\u{200d}👧";
        for w in 1..6 {
            for r in wrap(&format!("{family}{family}{family}"), w) {
                assert_eq!(r.len() % family.len(), 0, "width {w}");
            }
        }
        assert_eq!(
            lines("e\u{301}e\u{301}e\u{301}", 2),
            ["e\u{301}e\u{301}", "e\u{301}"]
        );
    }

    #[test]
    fn no_line_is_wider_than_asked() {
        let text = "Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy of danish film history. Pusher II (2004) is the best part of it.";
        for w in 1..40 {
            for line in lines(text, w) {
                assert!(width(line) <= w, "{line:?} at {w}");
            }
        }
    }

    #[test]
    fn a_carried_word_is_measured_again() {
        // Found by a property test: the carried `ab` plus `漢` made four columns in three.
        assert_eq!(
            lines("intro\n ab漢 and more", 3),
            ["int", "ro", " ab", "漢", "and", "mor", "e"]
        );
        for line in lines(" 🇰ו漢", 3) {
            assert!(width(line) <= 3, "{line:?}");
        }
    }

    #[test]
    fn fit_words_cuts_at_a_word() {
        assert_eq!(fit_words("short", 10), "short");
        assert_eq!(
            fit_words("out.csv: cannot write: No such file or directory", 30),
            "out.csv: cannot write: No…"
        );
        assert!(width(&fit_words("a b c d e f g h i j k", 7)) <= 7);
        assert_eq!(fit_words("averyveryverylongword", 8), "averyve…");
        assert_eq!(fit_words("no room", 0), "");
    }

    #[test]
    fn fits_and_cuts() {
        assert_eq!(fit("hello", 8, false), "hello   ");
        assert_eq!(fit("hello", 8, true), "   hello");
        assert_eq!(fit("hello world", 8, false), "hello w…");
        assert_eq!(fit("日本語", 4, false), "日… ");
        assert_eq!(fit("a\nb", 3, false), "a b");
        assert_eq!(fit("abc", 0, false), "");
    }
}
