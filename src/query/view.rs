//! The view cache: what makes changing the query a key at a time cheap. Full sort orders
//! are kept per order and direction, and recent searches with their matches, so a search
//! that narrows (or a backspace) reuses earlier work; a search can be cancelled midway.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::{Query, Search, SortKey, filter_among, search_reviews, sort};
use crate::model::Document;

/// How many recent searches to remember.
const SEARCHES_KEPT: usize = 32;

/// A search stopped by its cancel flag before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// Sort orders and search matches already computed for one document.
#[derive(Debug, Default)]
pub struct ViewCache {
    /// Full orders of every review, per order and direction.
    sorted: HashMap<(SortKey, bool), Arc<Vec<usize>>>,
    /// Recent searches and the reviews they matched (document order), oldest first.
    searches: Vec<(String, Arc<Vec<usize>>)>,
}

impl ViewCache {
    /// Forgets everything: the document changed.
    pub fn clear(&mut self) {
        self.sorted.clear();
        self.searches.clear();
    }

    /// Takes in the reviews added at the end of `doc` from `from` on (a followed file
    /// grew): each search remembered goes on over them alone, rather than the whole
    /// document again; the orders are made again.
    pub fn grew(&mut self, doc: &Document, from: usize) {
        self.sorted.clear();
        let new: Vec<usize> = (from..doc.reviews.len()).collect();
        let never = AtomicBool::new(false);
        self.searches.retain_mut(|(text, hits)| {
            match search_reviews(doc, &Search::new(text), Some(&new), &never) {
                Some(more) => {
                    Arc::make_mut(hits).extend(more);
                    true
                }
                None => false,
            }
        });
    }

    /// Every review in the order `sort` and `reverse` give, computed once per pair.
    pub fn order(&mut self, doc: &Document, sort_key: SortKey, reverse: bool) -> Arc<Vec<usize>> {
        Arc::clone(self.sorted.entry((sort_key, reverse)).or_insert_with(|| {
            let mut order: Vec<usize> = (0..doc.reviews.len()).collect();
            sort(doc, &mut order, sort_key, reverse);
            Arc::new(order)
        }))
    }

    /// The reviews `search` matches, in document order (`None` for no search), reusing an
    /// earlier search whose text this one extends: its matches are a superset of these.
    ///
    /// # Errors
    /// [`Cancelled`] when `cancel` was set during the scan; nothing is remembered then.
    pub fn matches(
        &mut self,
        doc: &Document,
        search: &Search,
        cancel: &AtomicBool,
    ) -> Result<Option<Arc<Vec<usize>>>, Cancelled> {
        if search.is_empty() {
            return Ok(None);
        }
        let text = search.text();
        if let Some((_, hits)) = self.searches.iter().find(|(t, _)| t == text) {
            return Ok(Some(Arc::clone(hits)));
        }
        let base = self
            .searches
            .iter()
            .filter(|(t, _)| text.starts_with(t.as_str()))
            .max_by_key(|(t, _)| t.len())
            .map(|(_, hits)| Arc::clone(hits));
        let hits = search_reviews(doc, search, base.as_deref().map(Vec::as_slice), cancel)
            .ok_or(Cancelled)?;
        let hits = Arc::new(hits);
        if self.searches.len() >= SEARCHES_KEPT {
            self.searches.remove(0);
        }
        self.searches.push((text.to_string(), Arc::clone(&hits)));
        Ok(Some(hits))
    }

    /// The reviews `query` keeps, in its order: what [`super::apply`] gives, from the
    /// cached order and search matches.
    ///
    /// # Errors
    /// [`Cancelled`] when `cancel` stopped the search.
    pub fn view(
        &mut self,
        doc: &Document,
        query: &Query,
        cancel: &AtomicBool,
    ) -> Result<Vec<usize>, Cancelled> {
        let order = self.order(doc, query.sort, query.reverse);
        let matches = self.matches(doc, &query.search, cancel)?;
        if !query.is_filtered() {
            return Ok(order.as_ref().clone());
        }
        let mut kept = vec![false; doc.reviews.len()];
        for i in filter_among(doc, query, matches.as_deref().map(Vec::as_slice)) {
            kept[i] = true;
        }
        Ok(order.iter().copied().filter(|&i| kept[i]).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::sample_document as sample;
    use crate::query::{RatingSet, apply};

    fn never() -> AtomicBool {
        AtomicBool::new(false)
    }

    #[test]
    fn every_query_gives_what_apply_gives() {
        let doc = sample();
        let mut cache = ViewCache::default();
        for sort_key in SortKey::ALL {
            for reverse in [false, true] {
                for (ratings, hide_spoilers, search) in [
                    (RatingSet::default(), false, ""),
                    (RatingSet::range(8, 10), false, ""),
                    (RatingSet::default(), true, "pusher"),
                    (RatingSet::range(6, 9), true, "the"),
                    (RatingSet::range(1, 3), false, "nothing-matches-this"),
                ] {
                    let query = Query {
                        sort: sort_key,
                        reverse,
                        ratings,
                        hide_spoilers,
                        search: Search::new(search),
                        film: None,
                        verdict: None,
                        dedupe: false,
                        marked: false,
                        label: None,
                    };
                    let cached = cache.view(&doc, &query, &never()).expect("not cancelled");
                    assert_eq!(cached, apply(&doc, &query), "{query:?}");
                }
            }
        }
    }

    #[test]
    fn orders_are_computed_once_per_order_and_direction() {
        let doc = sample();
        let mut cache = ViewCache::default();
        let first = cache.order(&doc, SortKey::Helpful, false);
        let again = cache.order(&doc, SortKey::Helpful, false);
        assert!(Arc::ptr_eq(&first, &again));
        let reversed = cache.order(&doc, SortKey::Helpful, true);
        assert!(!Arc::ptr_eq(&first, &reversed));
        cache.clear();
        assert!(!Arc::ptr_eq(
            &first,
            &cache.order(&doc, SortKey::Helpful, false)
        ));
    }

    #[test]
    fn a_narrowing_search_gives_what_a_fresh_one_gives() {
        let doc = sample();
        let mut cache = ViewCache::default();
        let mut typed = String::new();
        for c in "pusher tonny".chars() {
            typed.push(c);
            let narrowed = cache
                .matches(&doc, &Search::new(&typed), &never())
                .expect("not cancelled");
            let fresh = search_reviews(&doc, &Search::new(&typed), None, &never());
            assert_eq!(narrowed.as_deref().cloned(), fresh, "{typed:?}");
        }
        // Backspacing finds the earlier search remembered as it was.
        let before = cache.matches(&doc, &Search::new("pusher"), &never());
        let again = cache.matches(&doc, &Search::new("pusher"), &never());
        assert!(Arc::ptr_eq(
            before.expect("ok").as_ref().expect("a search"),
            again.expect("ok").as_ref().expect("a search")
        ));
    }

    #[test]
    fn a_cancelled_search_changes_nothing() {
        let doc = sample();
        let mut cache = ViewCache::default();
        let cancel = AtomicBool::new(true);
        let query = Query {
            search: Search::new("baseball"),
            ..Query::default()
        };
        assert_eq!(cache.view(&doc, &query, &cancel), Err(Cancelled));
        assert!(cache.searches.is_empty());
        assert_eq!(
            cache.view(&doc, &query, &never()).expect("runs"),
            apply(&doc, &query)
        );
    }

    #[test]
    fn the_search_memory_is_bounded() {
        let doc = sample();
        let mut cache = ViewCache::default();
        for i in 0..SEARCHES_KEPT + 5 {
            let _ = cache.matches(&doc, &Search::new(&format!("word{i}")), &never());
        }
        assert_eq!(cache.searches.len(), SEARCHES_KEPT);
        assert_eq!(cache.searches[0].0, "word5");
    }
}
