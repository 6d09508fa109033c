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

/// The link as a browser is given it: a web link (`http://` or `https://`, the scheme in
/// any case), with white space and controls percent-encoded (a URL may hold neither, and a
/// browser reads `%20` as the space it was); `None` for anything else, which could be a
/// `file:` path, another scheme or an option to the opener.
#[must_use]
pub fn web_link(link: &str) -> Option<String> {
    use std::fmt::Write as _;
    let link = link.trim();
    let web = ["https://", "http://"].iter().any(|scheme| {
        link.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    });
    if !web {
        return None;
    }
    let mut out = String::with_capacity(link.len());
    for c in link.chars() {
        if c.is_whitespace() || c.is_control() {
            for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// The commands to try in turn to open `url`, each as its program and arguments: those
/// `$BROWSER` lists, as xdg-utils reads it (commands separated by `:`, each split into
/// words at white space, `%s` in a word standing for the link and `%%` for `%`, the link
/// added as the last argument when no word holds `%s`), else the platform's opener.
#[must_use]
pub fn openers(browser: Option<&std::ffi::OsStr>, url: &str) -> Vec<Vec<String>> {
    let browser = browser
        .map(std::ffi::OsStr::to_string_lossy)
        .unwrap_or_default();
    let mut commands: Vec<Vec<String>> = browser
        .split(':')
        .filter_map(|command| {
            let mut with_url = false;
            let mut words: Vec<String> = command
                .split_whitespace()
                .map(|word| {
                    let mut out = String::new();
                    let mut rest = word;
                    while let Some(at) = rest.find('%') {
                        out.push_str(&rest[..at]);
                        match rest[at + 1..].chars().next() {
                            Some('s') => {
                                out.push_str(url);
                                with_url = true;
                                rest = &rest[at + 2..];
                            }
                            Some('%') => {
                                out.push('%');
                                rest = &rest[at + 2..];
                            }
                            _ => {
                                out.push('%');
                                rest = &rest[at + 1..];
                            }
                        }
                    }
                    out.push_str(rest);
                    out
                })
                .collect();
            if words.is_empty() {
                return None;
            }
            if !with_url {
                words.push(url.to_string());
            }
            Some(words)
        })
        .collect();
    if commands.is_empty() {
        let platform = if cfg!(target_os = "macos") {
            Some("open")
        } else if cfg!(unix) {
            Some("xdg-open")
        } else {
            None
        };
        commands.extend(platform.map(|p| vec![p.to_string(), url.to_string()]));
    }
    commands
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
    fn browser_as_xdg_utils_reads_it_then_the_platform_opener() {
        let url = "https://x.org/a";
        let open = |b: &str| openers(Some(b.as_ref()), url);
        assert_eq!(open("firefox"), [vec!["firefox", url]]);
        assert_eq!(
            open("firefox --new-tab"),
            [vec!["firefox", "--new-tab", url]]
        );
        assert_eq!(
            open("nope:w3m %s -o x=100%%"),
            [vec!["nope", url], vec!["w3m", url, "-o", "x=100%"]]
        );
        assert_eq!(
            open("open-it --url=%s"),
            [vec!["open-it", "--url=https://x.org/a"]]
        );
        if cfg!(target_os = "linux") {
            assert_eq!(openers(None, url), [vec!["xdg-open", url]]);
            assert_eq!(open(""), [vec!["xdg-open", url]]);
            assert_eq!(open(" : "), [vec!["xdg-open", url]]);
        }
    }

    #[test]
    fn web_links_in_any_case_with_what_a_url_cannot_hold_encoded() {
        assert_eq!(
            web_link("HTTPS://IMDB.com/r/1").as_deref(),
            Some("HTTPS://IMDB.com/r/1")
        );
        assert_eq!(web_link("Http://a.b/c").as_deref(), Some("Http://a.b/c"));
        assert_eq!(
            web_link("https://a.b/my review\t1").as_deref(),
            Some("https://a.b/my%20review%091")
        );
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "-https://x",
            "ftp://a",
            "https:/x",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
    }
}
