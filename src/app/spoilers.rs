//! What the app does to keep a spoiler's body hidden until it is revealed: it is not shown,
//! not searched and not sorted by its length; revealing one (`x`) or all (`X`) lets it in.

use std::sync::atomic::{AtomicBool, Ordering};

use super::App;
use crate::query::SortKey;

impl App {
    /// A hidden spoiler's body is no channel to what it says: a review that a search finds
    /// only in its hidden body drops out, and sorting by length puts hidden bodies last, as
    /// unknown lengths are, in document order. Revealing one (`x`, `X`) lets it back in.
    ///
    /// Telling which hidden ones the search finds outside their bodies reads their titles
    /// and authors (from the file, for text left there): this gives up when `cancel` is set,
    /// as the search does, and says so with `false` (the view is then not to be used).
    pub(super) fn keep_spoilers_hidden(
        &mut self,
        view: &mut Vec<usize>,
        cancel: &AtomicBool,
    ) -> bool {
        let doc = &self.doc;
        let hidden = |i: usize| {
            doc.reviews.get(i).is_some_and(|r| r.spoiler)
                && self.reveal_all == self.toggled.contains(&i)
        };
        self.unsearched = 0;
        if !self.query.search.is_empty() {
            let search = &self.query.search;
            let mut looked = 0usize;
            let mut cancelled = false;
            view.retain(|&i| {
                if cancelled || !hidden(i) {
                    return true;
                }
                looked += 1;
                if looked.is_multiple_of(1024) && cancel.load(Ordering::Relaxed) {
                    cancelled = true;
                    return true;
                }
                doc.reviews
                    .get(i)
                    .is_some_and(|r| search.matches_without_body(doc, r))
            });
            if cancelled {
                return false;
            }
            // Only the hidden ones the other filters keep were left out of this search.
            let others = self.query.without_search();
            let sources = others.sources_kept(doc);
            self.unsearched = (0..doc.reviews.len())
                .filter(|&i| hidden(i) && others.keeps(doc, &sources, i))
                .count();
        }
        if self.query.sort == SortKey::Length {
            // Which reviews are hidden, found in one pass in document order: asked review by
            // review in the sorted order, it was a cache miss each, half a second at ten
            // million.
            let mut hidden_set = vec![0u64; doc.reviews.len().div_ceil(64)];
            for (i, r) in doc.reviews.iter().enumerate() {
                if r.spoiler && self.reveal_all == self.toggled.contains(&i) {
                    hidden_set[i / 64] |= 1 << (i % 64);
                }
            }
            let is_hidden = |i: usize| {
                hidden_set
                    .get(i / 64)
                    .is_some_and(|w| w & (1 << (i % 64)) != 0)
            };
            let mut last = Vec::new();
            view.retain(|&i| {
                let hidden = is_hidden(i);
                if hidden {
                    last.push(i);
                }
                !hidden
            });
            last.sort_unstable();
            view.extend(last);
        }
        true
    }

    /// A body revealed or hidden again is searched, or sorted by its length, or not. In the
    /// terminal the view is recomputed as a search is: off the key's path, and given up for
    /// the next key (see `App::run_pending_search`).
    pub(super) fn after_reveal(&mut self) {
        if !self.query.search.is_empty() || self.query.sort == SortKey::Length {
            if self.defer_search {
                self.search_pending = true;
            } else {
                self.refresh_view();
            }
        }
    }

    pub(super) fn toggle_reveal(&mut self) {
        let Some(index) = self.selected else { return };
        if !self.doc.reviews.get(index).is_some_and(|r| r.spoiler) {
            self.message = Some("this review has no spoiler warning".into());
            return;
        }
        if !self.toggled.remove(&index) {
            self.toggled.insert(index);
        }
        self.detail_scroll = 0;
        self.current_match = None;
        self.after_reveal();
    }
}
