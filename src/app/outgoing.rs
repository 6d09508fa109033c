//! What the app sends out of itself through the terminal loop: a review or a link for the
//! clipboard, a link for the browser, a view to write to a file. The app says what; the loop
//! does it (terminal sequences and processes are not the app's business) and says how it went.

use super::App;

/// Something the app asks the terminal loop to send out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// Text for the system clipboard.
    Clipboard(String),
    /// The view, to write to a file in a format.
    Export {
        path: std::path::PathBuf,
        format: crate::export::OutputFormat,
    },
    /// A link to open in the browser.
    Open(String),
}

impl App {
    /// Shows `message` in the status bar until the next key (for what the terminal loop
    /// met doing what the app asked).
    pub fn say(&mut self, message: String) {
        self.message = Some(message);
    }

    /// What the terminal loop is to send out now, taken once.
    pub fn take_outgoing(&mut self) -> Option<Outgoing> {
        self.outgoing.take()
    }

    /// The selected review as text for the clipboard; its spoiler text only when revealed.
    pub(super) fn copy_review(&mut self) {
        let Some(index) = self.selected else {
            self.message = Some("no review to copy".into());
            return;
        };
        let hidden = self.is_hidden(index);
        let Some(review) = self.doc.reviews.get(index) else {
            return;
        };
        let text = crate::export::clipboard::review_text(&self.doc, review, hidden);
        self.message = Some(if hidden {
            "copied the review, without its hidden spoiler text".into()
        } else {
            format!("copied the review ({} lines)", text.lines().count())
        });
        self.outgoing = Some(Outgoing::Clipboard(text));
    }

    /// The selected review's permalink, to copy or to open.
    pub(super) fn take_link(&mut self, open: bool) {
        let link = self
            .selected
            .and_then(|i| self.doc.reviews.get(i))
            .and_then(|r| self.doc.permalink(r))
            .map(std::borrow::Cow::into_owned);
        // Only a web link is handed to the browser (see `web_link`).
        let link = link.and_then(|l| crate::export::clipboard::web_link(&l));
        let Some(link) = link else {
            self.message = Some(
                if self
                    .doc
                    .reviews
                    .iter()
                    .any(|r| self.doc.permalink(r).is_some())
                {
                    "this review has no link".into()
                } else {
                    "this document carries no links".into()
                },
            );
            return;
        };
        self.message = Some(if open {
            format!("opening {link}")
        } else {
            format!("copied {link}")
        });
        self.outgoing = Some(if open {
            Outgoing::Open(link)
        } else {
            Outgoing::Clipboard(link)
        });
    }
}
