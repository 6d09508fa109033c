//! The actions that narrow or walk the view: the search prompt, the minimum rating, the
//! film and verdict filters, clearing them, and the jumps between a search's matches in
//! the selected review (found as a huge one is laid out).

use std::time::Instant;

use super::{App, LAYOUT_BUDGET, MAX_SEARCH_BYTES, Mode};
use crate::keymap::Action;
use crate::query::{RatingSet, Search, VerdictFilter};

impl App {
    pub(super) fn shift_min_rating(&mut self, by: i8) {
        let current = self.query.ratings.iter().next().unwrap_or(1);
        let target = current.saturating_add_signed(by);
        if by < 0 && self.query.ratings.is_empty() {
            self.message = Some("no rating filter to lower".into());
            return;
        }
        self.query.ratings = if target < 1 {
            RatingSet::default()
        } else {
            RatingSet::range(target.min(10), 10)
        };
        self.refresh_view();
    }

    /// The film labels in the order `f` cycles through them.
    pub(super) fn film_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = Vec::new();
        for source in &self.doc.sources {
            if !labels.contains(&source.label) {
                labels.push(source.label.clone());
            }
        }
        labels
    }

    pub(super) fn cycle_film(&mut self) {
        let labels = self.film_labels();
        if labels.len() < 2 {
            self.message = Some("only one film is open".into());
            return;
        }
        let next = match &self.query.film {
            None => Some(0),
            Some(film) => labels
                .iter()
                .position(|l| l == film)
                .map(|i| i + 1)
                .filter(|&i| i < labels.len()),
        };
        self.query.film = next.map(|i| labels[i].clone());
        self.refresh_view();
        self.message = Some(match &self.query.film {
            Some(film) => format!("film: {film}"),
            None => "all films".into(),
        });
    }

    pub(super) fn jump_match(&mut self, forward: bool) {
        self.jump_match_from(forward, true);
    }

    /// [`App::jump_match`]; `may_leave` lets it go on to the next (previous) review past
    /// this one's last (first) match.
    pub(super) fn jump_match_from(&mut self, forward: bool, may_leave: bool) {
        let Some(detail) = &mut self.detail else {
            return;
        };
        // A huge body's matches are found as it is laid out: lay out further for the one
        // wanted (all of them to go back round to the last), within what a key may take.
        let wanted = match (self.current_match, forward) {
            (None, true) => 0,
            (Some(i), true) => i + 1,
            (_, false) => usize::MAX,
        };
        let deadline = Instant::now() + LAYOUT_BUDGET;
        while !detail.is_complete()
            && detail.match_lines().len() <= wanted
            && Instant::now() < deadline
        {
            let more = detail.len() + 1000;
            detail.extend(&self.doc, more, Some(deadline));
        }
        let complete = detail.is_complete();
        let matches = detail.match_lines();
        let at_end = match (self.current_match, forward) {
            (Some(i), true) => i + 1 >= matches.len(),
            (None | Some(0), false) => true,
            _ => false,
        };
        if !complete && (matches.is_empty() || at_end) {
            self.message = Some("looking further into this long review… press n again".into());
            return;
        }
        // Past this review's last match (or before its first), on to the next (previous)
        // review the search found, as `less` goes on through the file: the view holds only
        // those. Its first (last) match is taken once it is laid out.
        let past_the_ends = matches.is_empty()
            || match (self.current_match, forward) {
                (Some(i), true) => i + 1 >= matches.len(),
                (Some(0), false) => true,
                _ => false,
            };
        if may_leave && past_the_ends && !self.query.search.is_empty() {
            let step = if forward {
                self.cursor.checked_add(1)
            } else {
                self.cursor.checked_sub(1)
            };
            match step.filter(|&p| p < self.view.len()) {
                Some(position) => {
                    self.select_position(position);
                    self.match_on_arrival = Some(forward);
                    self.message = None;
                }
                None => {
                    self.message = Some(
                        if forward {
                            "the last match of the last review found"
                        } else {
                            "the first match of the first review found"
                        }
                        .into(),
                    );
                }
            }
            return;
        }
        if matches.is_empty() {
            self.message = Some(if self.query.search.is_empty() {
                "no search: press / to search".into()
            } else {
                "no visible match in this review".into()
            });
            return;
        }
        let n = matches.len();
        let next = match (self.current_match, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.current_match = Some(next);
        let line = matches[next];
        let height = usize::from(self.layout.detail_text.height).max(1);
        if line < self.detail_scroll || line >= self.detail_scroll + height {
            self.detail_scroll = line.saturating_sub(height / 3);
        }
        let more = if complete { "" } else { "+" };
        self.message = Some(format!("match {} of {n}{more}", next + 1));
    }

    /// The search prompt's actions: start, type, accept, cancel.
    pub(super) fn search_action(&mut self, action: Action) {
        match action {
            Action::StartSearch => {
                self.search_input = self.query.search.text().to_string();
                self.before_search =
                    Some((self.search_input.clone(), self.selected, self.detail_scroll));
                self.mode = Mode::Search;
            }
            // A search longer than this is a paste gone astray; the rest is not typed in.
            Action::SearchInput(_) if self.search_input.len() >= MAX_SEARCH_BYTES => {
                self.message = Some("the search is as long as it can be".into());
            }
            Action::SearchInput(c) => {
                // A pasted control or bidi character is shown as its placeholder, like the
                // same character in a document, which is also what it then matches.
                self.search_input
                    .push_str(&crate::sanitize::sanitize(c.encode_utf8(&mut [0; 4])));
                self.set_search();
            }
            Action::SearchBackspace => {
                self.search_input.pop();
                self.set_search();
            }
            Action::SearchClear => {
                self.search_input.clear();
                self.set_search();
            }
            Action::SearchAccept => {
                self.mode = Mode::Browse;
                self.before_search = None;
                if !self.query.search.is_empty() && !self.search_pending {
                    self.message = Some(format!("{} matching", self.view.len()));
                }
            }
            // Back to how things were before `/`: the search then in force, and the review
            // then selected, where it was scrolled to (it was in that search's view).
            Action::SearchCancel => {
                self.mode = Mode::Browse;
                let (search, selected, scroll) = self.before_search.take().unwrap_or_default();
                self.search_input = search;
                if selected.is_some() {
                    self.selected = selected;
                    // The list row too, where the review is in the view already; the view
                    // the search gives back puts it right in any case.
                    if let Some(at) = self.view.iter().position(|&i| Some(i) == selected) {
                        self.cursor = at;
                    }
                }
                self.set_search();
                self.detail_scroll = scroll;
            }
            _ => {}
        }
    }

    pub(super) fn cycle_verdict(&mut self) {
        self.query.verdict = VerdictFilter::cycle(self.query.verdict);
        self.refresh_view();
        self.message = Some(match self.query.verdict {
            Some(v) => format!("verdict: {} only", v.name()),
            None => "verdict: all".into(),
        });
    }

    /// Hides all but the first review of each body written more than once, or shows them.
    pub(super) fn toggle_dedupe(&mut self) {
        self.query.dedupe = !self.query.dedupe;
        self.refresh_view();
        let copies = self.doc.duplicates().count();
        let s = if copies == 1 { "" } else { "s" };
        self.message = Some(match (self.query.dedupe, copies) {
            (true, 0) => "no duplicates found (so far)".into(),
            (true, _) => format!("{copies} duplicate{s} hidden (i lists the most repeated)"),
            (false, _) => format!("duplicates shown ({copies})"),
        });
    }

    pub(super) fn clear_filters(&mut self) {
        self.query.ratings = RatingSet::default();
        self.query.dedupe = false;
        self.query.marked = false;
        self.query.label = None;
        self.query.hide_spoilers = false;
        self.query.film = None;
        self.query.verdict = None;
        self.search_input.clear();
        self.query.search = Search::default();
        self.refresh_view();
        self.message = Some("filters cleared".into());
    }
}
