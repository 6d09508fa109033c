//! Taking one review out of the app: as plain text for the clipboard, through the terminal's
//! OSC 52 sequence, which works over SSH and inside tmux because the terminal, not revue,
//! holds the clipboard.
//!
//! The text is the model's, sanitized on the way in, and base64 in the sequence: nothing a
//! review holds can end the sequence early or start another one.

use std::fmt::Write as _;

use base64::Engine as _;

use crate::model::{Document, Review};

/// The selected review as plain text: title, rating, author and date, then the body. A body
/// not revealed yet (`hidden`) stays out, and the text says so.
#[must_use]
pub fn review_text(doc: &Document, review: &Review, hidden: bool) -> String {
    let mut text = String::new();
    let title = doc.title(review);
    if !title.is_empty() {
        text.push_str(&title);
        text.push('\n');
    }
    let mut facts = Vec::new();
    if let Some(rating) = review.rating {
        facts.push(format!("{rating}/{}", rating.scale()));
    }
    if let Some(verdict) = review.verdict {
        facts.push(verdict.name().to_string());
    }
    let author = doc.author(review);
    if !author.is_empty() {
        facts.push(format!("by {author}"));
    }
    if let Some(date) = review.date {
        facts.push(date.to_string());
    }
    if !facts.is_empty() {
        let _ = writeln!(text, "{}", facts.join(" · "));
    }
    text.push('\n');
    if hidden {
        text.push_str("[spoiler text not revealed]\n");
    } else {
        text.push_str(&doc.body(review));
        text.push('\n');
        if let Some((reply, date)) = doc.reply(review) {
            match date {
                Some(date) => {
                    let _ = write!(text, "\nReply ({date}):\n{reply}\n");
                }
                None => {
                    let _ = write!(text, "\nReply:\n{reply}\n");
                }
            }
        }
    }
    if let Some(link) = doc.permalink(review) {
        let _ = write!(text, "\n{link}\n");
    }
    text
}

/// The OSC 52 sequence that puts `text` on the system clipboard: `ESC ] 52 ; c ; base64 BEL`.
#[must_use]
pub fn osc52(text: &str) -> String {
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{payload}\x07")
}

/// The command that opens `url` in a browser: `$BROWSER` when set, else the platform's
/// opener. `None` when neither is known.
#[must_use]
pub fn opener(browser: Option<&std::ffi::OsStr>) -> Option<std::ffi::OsString> {
    match browser {
        Some(b) if !b.is_empty() => Some(b.to_os_string()),
        _ if cfg!(target_os = "macos") => Some("open".into()),
        _ if cfg!(unix) => Some("xdg-open".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_base64_between_osc_52_and_bel() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
        // An escape in text could not end the sequence: it is base64 like the rest.
        let sequence = osc52("a\x1b]0;x\x07b");
        assert_eq!(sequence.matches('\x1b').count(), 1);
        assert_eq!(sequence.matches('\x07').count(), 1);
    }

    #[test]
    fn a_hidden_spoiler_is_copied_without_its_body() {
        let doc = crate::load::sample_document();
        let (index, review) = doc
            .reviews
            .iter()
            .enumerate()
            .find(|(_, r)| r.spoiler)
            .expect("a spoiler");
        let hidden = review_text(&doc, review, true);
        assert!(!hidden.contains(&*doc.body(review)));
        assert!(hidden.contains("[spoiler text not revealed]"));
        let shown = review_text(&doc, &doc.reviews[index], false);
        assert!(shown.contains(&*doc.body(review)));
        assert!(shown.starts_with(&*doc.title(review)));
    }

    #[test]
    fn browser_first_then_the_platform_opener() {
        assert_eq!(opener(Some("firefox".as_ref())), Some("firefox".into()));
        if cfg!(target_os = "linux") {
            assert_eq!(opener(None), Some("xdg-open".into()));
            assert_eq!(opener(Some("".as_ref())), Some("xdg-open".into()));
        }
    }
}
