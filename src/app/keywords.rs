//! The keywords window (`W`): the words and phrases that set high reviews apart from low
//! ones in the view (or the view from the rest, `a`), computed in the background with its
//! progress shown while the app answers keys; `Enter` on a term searches it. Hidden
//! spoilers' bodies are left out, as the search leaves them.

use std::sync::atomic::Ordering;

use super::jobs::{Poll, Running};
use super::{App, Mode};
use crate::query::keywords::{self, Keywords, Split};

/// The window's figures, or the job computing them.
#[derive(Debug, Default)]
pub(super) struct KeywordsState {
    job: Option<Running<Keywords>>,
    result: Option<Keywords>,
    /// The view against the rest, rather than high against low.
    against_rest: bool,
    /// The selected term: an index into the first side's terms, then the second's.
    cursor: usize,
    /// Why there is nothing to show.
    empty: Option<String>,
    /// The progress last drawn, in percent.
    shown_percent: usize,
}

/// One line of the window: a label column, the text, and whether it is the selected term.
pub type KeywordLine = (String, String, bool);

impl App {
    /// Opens the keywords window for the view as it is, or closes it.
    pub(super) fn toggle_keywords(&mut self) {
        if self.mode == Mode::Keywords {
            self.mode = Mode::Browse;
            self.keywords.job = None;
            return;
        }
        self.keywords.against_rest = false;
        self.start_keywords();
        self.mode = Mode::Keywords;
        self.overlay_scroll = 0;
    }

    /// Switches the window between high against low and this view against the rest.
    pub(super) fn keywords_against_rest(&mut self) {
        if self.mode != Mode::Keywords {
            return;
        }
        self.keywords.against_rest = !self.keywords.against_rest;
        self.start_keywords();
    }

    fn start_keywords(&mut self) {
        let state = &mut self.keywords;
        state.result = None;
        state.cursor = 0;
        state.empty = None;
        let against_rest = state.against_rest;
        let hidden = |i: usize| self.is_hidden(i);
        let Some(sides) = keywords::sides(&self.doc, &self.view, against_rest, hidden) else {
            self.keywords.job = None;
            self.keywords.empty = Some(if against_rest {
                "the view holds every review (or none): filter or search first".into()
            } else {
                "no ratings or verdicts that split the view: a shows it against the rest".into()
            });
            return;
        };
        let names = side_names(&self.doc, &sides, self.query.is_filtered());
        let store = self.doc.store().clone();
        let total = sides.texts.len();
        self.keywords.job = Some(Running::start(total, move |cancel, done| {
            keywords::keywords(&store, &sides, names, cancel, done)
        }));
    }

    /// Takes in the keywords once computed; true when the window changes (they came, or
    /// the progress moved a percent), so the screen is not redrawn for nothing.
    pub(super) fn poll_keywords(&mut self) -> bool {
        if self.mode != Mode::Keywords {
            // Closed: the work is no longer wanted.
            self.keywords.job = None;
            return false;
        }
        let Some(job) = &self.keywords.job else {
            return false;
        };
        match job.poll() {
            Poll::Done(result) => {
                self.keywords.result = Some(result);
                self.keywords.job = None;
                true
            }
            Poll::Gone => {
                self.keywords.job = None;
                true
            }
            Poll::Pending => {
                let percent = (job.done.load(Ordering::Relaxed) * 100)
                    .checked_div(job.total)
                    .unwrap_or(100);
                std::mem::replace(&mut self.keywords.shown_percent, percent) != percent
            }
        }
    }

    pub(super) fn keywords_busy(&self) -> bool {
        self.keywords.job.is_some()
    }

    /// Moves the selected term down (or up).
    pub(super) fn keywords_move(&mut self, down: bool) {
        let count = self
            .keywords
            .result
            .as_ref()
            .map_or(0, |k| k.terms[0].len() + k.terms[1].len());
        let cursor = &mut self.keywords.cursor;
        *cursor = if down {
            (*cursor + 1).min(count.saturating_sub(1))
        } else {
            cursor.saturating_sub(1)
        };
    }

    /// Searches the selected term and closes the window.
    pub(super) fn search_keyword(&mut self) {
        let Some(result) = &self.keywords.result else {
            return;
        };
        let cursor = self.keywords.cursor;
        let term = result.terms[0]
            .get(cursor)
            .or_else(|| result.terms[1].get(cursor - result.terms[0].len().min(cursor)))
            .map(|k| k.term.clone());
        let Some(term) = term else { return };
        self.mode = Mode::Browse;
        self.keywords.job = None;
        // A search in force is narrowed by the term, as the window's view was its result.
        let text = if self.query.search.is_empty() {
            term.clone()
        } else {
            format!("{} {term}", self.query.search.text())
        };
        self.search_input.clone_from(&text);
        self.query.search = crate::query::Search::new(&text);
        self.refresh_view();
        self.message = Some(format!("searching \"{text}\" (a keyword)"));
    }

    /// The window's title.
    #[must_use]
    pub fn keywords_title(&self) -> &'static str {
        if self.keywords.against_rest {
            " Keywords: view vs rest (a: high vs low, Enter: search, Esc) "
        } else {
            " Keywords: high vs low (a: view vs rest, Enter: search, Esc) "
        }
    }

    /// The window's lines, and which of them is the selected term.
    #[must_use]
    pub fn keywords_lines(&self) -> (Vec<KeywordLine>, Option<usize>) {
        let state = &self.keywords;
        if let Some(job) = &state.job {
            let done = job.done.load(Ordering::Relaxed);
            let percent = (done * 100).checked_div(job.total).unwrap_or(100);
            let text = format!("counting words: {percent}%");
            return (vec![(String::new(), text, false)], None);
        }
        let Some(k) = &state.result else {
            let why = state.empty.clone().unwrap_or_default();
            return (vec![(String::new(), why, false)], None);
        };
        let mut lines = Vec::new();
        let mut selected = None;
        let what = match k.split {
            Split::Rating => "by rating, the top third of the scale against the bottom",
            Split::Verdict => "by verdict",
            Split::ViewAgainstRest => "this view against every other review",
        };
        lines.push(("split".into(), what.into(), false));
        if k.hidden_left_out > 0 {
            let n = k.hidden_left_out;
            let bodies = if n == 1 { "body" } else { "bodies" };
            lines.push((
                "spoilers".into(),
                format!("{n} hidden {bodies} left out (X reveals them)"),
                false,
            ));
        }
        lines.push((
            "terms".into(),
            format!(
                "met {} times or more; z-score, then times met on each side",
                k.min_count
            ),
            false,
        ));
        let mut n = 0;
        for side in 0..2 {
            lines.push((String::new(), String::new(), false));
            let count = k.reviews[side];
            let reviews = if count == 1 { "review" } else { "reviews" };
            lines.push((
                format!("{} ({count} {reviews})", k.names[side]),
                String::new(),
                false,
            ));
            let header = format!(
                "{:<20} {:>7} {:>11} {:>11}",
                "", "z", k.names[0], k.names[1]
            );
            lines.push((String::new(), header, false));
            if k.terms[side].is_empty() {
                lines.push((String::new(), "no term stands out".into(), false));
            }
            for term in &k.terms[side] {
                let chosen = n == state.cursor;
                if chosen {
                    selected = Some(lines.len());
                }
                let text = format!(
                    "{} {:>+7.1} {:>11} {:>11}",
                    pad(&term.term, 20),
                    term.z,
                    term.counts[0],
                    term.counts[1]
                );
                lines.push((String::new(), text, chosen));
                n += 1;
            }
        }
        (lines, selected)
    }
}

/// `text` padded with spaces to `width` columns as the terminal shows it (a CJK character
/// takes two).
fn pad(text: &str, width: usize) -> String {
    let shown = crate::wrap::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// How the window names each side.
fn side_names(
    doc: &crate::model::Document,
    sides: &keywords::Sides,
    filtered: bool,
) -> [String; 2] {
    match sides.split {
        Some(Split::Rating) => {
            let scale = doc
                .reviews
                .iter()
                .find_map(|r| r.rating)
                .map_or(10, crate::model::Rating::scale);
            let (low, high) = thirds(scale);
            [format!("rated {high}-{scale}"), format!("rated 1-{low}")]
        }
        Some(Split::Verdict) => ["positive".into(), "negative".into()],
        _ => [
            if filtered { "this view" } else { "the view" }.into(),
            "the rest".into(),
        ],
    }
}

/// The highest rating of the bottom third of a scale and the lowest of the top third, as
/// [`keywords::sides`] splits them.
fn thirds(scale: u8) -> (u8, u8) {
    let s = f64::from(scale.max(2)) - 1.0;
    // The largest whole rating r with (r-1)/s <= 1/3, and the smallest with >= 2/3.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let low = (s / 3.0 + 1.0 + 1e-9).floor() as u8;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let high = (2.0 * s / 3.0 + 1.0 - 1e-9).ceil() as u8;
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::thirds;

    #[test]
    fn thirds_of_common_scales() {
        assert_eq!(thirds(10), (4, 7));
        assert_eq!(thirds(5), (2, 4));
        assert_eq!(thirds(100), (34, 67));
    }
}
