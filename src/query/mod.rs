//! The view query: which reviews to show and in what order. Pure: a [`Query`] and a
//! [`Document`] in, a list of review indices out; the reviews themselves are never copied.
//!
//! The same query drives `--format` output and the interactive list: [`apply`] computes a
//! view once, [`view::ViewCache`] keeps the costly parts (sorted orders, search matches) so
//! the app can change the query a key at a time.

pub mod keywords;
mod ratings;
mod search;
mod sort;
pub mod stats;
pub mod view;

use std::sync::atomic::AtomicBool;

use crate::model::{Document, Verdict};

pub use ratings::RatingSet;
pub use search::{Search, search_reviews};
pub use sort::{SortKey, sort, wilson_lower_bound};

/// What the list shows: filters and an order.
// Its flags are independent filters, not a state machine in disguise.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub sort: SortKey,
    pub reverse: bool,
    /// Keep only these ratings; unrated reviews drop out while it is not empty.
    pub ratings: RatingSet,
    pub hide_spoilers: bool,
    pub search: Search,
    /// Keep only reviews from documents whose label (the film title, or the file name)
    /// contains this text, in any case.
    pub film: Option<String>,
    /// Keep only reviews with this verdict.
    pub verdict: Option<VerdictFilter>,
    /// Keep only the first review of each body written more than once, among those the
    /// other filters keep (`D`, `--dedupe`).
    pub dedupe: bool,
    /// Keep only marked reviews (`'`, `--marked`).
    pub marked: bool,
    /// Keep only reviews with this label (`"`, `--label`).
    pub label: Option<String>,
}

/// Which verdict the verdict filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerdictFilter {
    Positive,
    Negative,
    /// Reviews without a verdict.
    Unset,
}

impl VerdictFilter {
    /// Whether a review with `verdict` passes.
    #[must_use]
    pub fn keeps(self, verdict: Option<Verdict>) -> bool {
        match self {
            Self::Positive => verdict == Some(Verdict::Positive),
            Self::Negative => verdict == Some(Verdict::Negative),
            Self::Unset => verdict.is_none(),
        }
    }

    /// The next filter in the cycle the verdict key steps through: off, positive,
    /// negative, none, off.
    #[must_use]
    pub fn cycle(current: Option<Self>) -> Option<Self> {
        match current {
            None => Some(Self::Positive),
            Some(Self::Positive) => Some(Self::Negative),
            Some(Self::Negative) => Some(Self::Unset),
            Some(Self::Unset) => None,
        }
    }

    /// The word the status bar and `--verdict` use.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Positive => "positive",
            Self::Negative => "negative",
            Self::Unset => "none",
        }
    }
}

/// Whether `a` and `b` hold the same reviews of a document of `count`, in any order.
#[must_use]
pub fn same_reviews(a: &[usize], b: &[usize], count: usize) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut seen = vec![0u64; count.div_ceil(64)];
    for &i in a {
        if let Some(word) = seen.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }
    // Views hold each review once, so as many, all seen, are the same.
    b.iter()
        .all(|&i| seen.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0))
}

impl Query {
    /// This query without its order, nor the rating filter (which the histogram's counts
    /// leave out): what the reviews counted for the histogram depend on.
    #[must_use]
    pub fn unordered(&self) -> Self {
        Self {
            sort: SortKey::Featured,
            reverse: false,
            ratings: RatingSet::default(),
            ..self.clone()
        }
    }

    /// Whether any filter is on.
    #[must_use]
    pub fn is_filtered(&self) -> bool {
        !self.ratings.is_empty()
            || self.hide_spoilers
            || !self.search.is_empty()
            || self.film.is_some()
            || self.verdict.is_some()
            || self.dedupe
            || self.marked
            || self.label.is_some()
    }

    /// The same query without its search: the filters that look at one review's values.
    #[must_use]
    pub fn without_search(&self) -> Self {
        Self {
            search: Search::default(),
            ..self.clone()
        }
    }

    /// For each source of `doc`, whether the film filter lets its reviews through.
    #[must_use]
    pub fn sources_kept(&self, doc: &Document) -> Vec<bool> {
        let wanted = self.film.as_deref().map(str::to_lowercase);
        doc.sources
            .iter()
            .map(|s| {
                wanted
                    .as_deref()
                    .is_none_or(|w| s.label.to_lowercase().contains(w))
            })
            .collect()
    }

    /// Whether review `i` passes the filters; `sources` comes from [`Query::sources_kept`].
    #[must_use]
    pub fn keeps(&self, doc: &Document, sources: &[bool], i: usize) -> bool {
        let Some(review) = doc.reviews.get(i) else {
            return false;
        };
        (self.ratings.is_empty()
            || review
                .rating
                .is_some_and(|r| self.ratings.contains(r.whole())))
            && !(self.hide_spoilers && review.spoiler)
            && self.verdict.is_none_or(|v| v.keeps(review.verdict))
            && self.keeps_notes(doc, i)
            && sources
                .get(usize::from(review.source))
                .copied()
                .unwrap_or(true)
            && (self.search.is_empty() || self.search.matches(doc, review))
    }
}

impl Query {
    /// Whether review `i`'s marks and labels pass the mark and label filters.
    fn keeps_notes(&self, doc: &Document, i: usize) -> bool {
        if !self.marked && self.label.is_none() {
            return true;
        }
        let labels = doc.labels();
        let tags = labels.get(i);
        (!self.marked || tags.marked)
            && self.label.as_deref().is_none_or(|name| {
                labels
                    .find(name)
                    .is_some_and(|n| tags.labels & (1 << n) != 0)
            })
    }
}

/// Indices of the reviews the query keeps, in its order.
#[must_use]
pub fn apply(doc: &Document, query: &Query) -> Vec<usize> {
    let mut indices = filter(doc, query);
    sort(doc, &mut indices, query.sort, query.reverse);
    indices
}

/// Indices of the reviews the query's filters keep, in document order.
#[must_use]
pub fn filter(doc: &Document, query: &Query) -> Vec<usize> {
    if !query.is_filtered() {
        return (0..doc.reviews.len()).collect();
    }
    // The search runs over whole stretches of text on every core, as in the app; the other
    // filters then look at its matches only.
    let never = AtomicBool::new(false);
    let matches = if query.search.is_empty() {
        None
    } else {
        search_reviews(doc, &query.search, None, &never)
    };
    filter_among(doc, query, matches.as_deref())
}

/// The one filter both the printed view and the app's use: the reviews among `matches`
/// (the search's matches, ascending, when it has been run already) or among all reviews
/// that pass the query, in document order.
#[must_use]
pub fn filter_among(doc: &Document, query: &Query, matches: Option<&[usize]>) -> Vec<usize> {
    let sources = query.sources_kept(doc);
    let keeps = |query: &Query, i: usize| query.keeps(doc, &sources, i);
    let kept: Vec<usize> = match matches {
        Some(matches) => {
            let others = query.without_search();
            matches
                .iter()
                .copied()
                .filter(|&i| keeps(&others, i))
                .collect()
        }
        None => (0..doc.reviews.len())
            .filter(|&i| keeps(query, i))
            .collect(),
    };
    if query.dedupe {
        first_of_each_body(doc, kept)
    } else {
        kept
    }
}

/// `kept` (ascending) without the reviews whose bodies repeat an earlier one's among them:
/// a copy whose first is filtered out is the first the view has, and stays.
fn first_of_each_body(doc: &Document, mut kept: Vec<usize>) -> Vec<usize> {
    let duplicates = doc.duplicates();
    let mut seen = std::collections::HashSet::new();
    kept.retain(|&i| {
        let key = duplicates.key(i);
        // Only a body met more than once needs remembering.
        key == crate::model::NO_KEY || duplicates.group_of(key).is_none() || seen.insert(key)
    });
    kept
}

#[cfg(test)]
mod tests {
    use super::search::layout;
    use super::*;
    use crate::model::{Date, Rating, Review, Source, StoreBuilder, TextRef};

    /// (rating, date, helpful, not_helpful, spoiler, text)
    type Row<'a> = (Option<u8>, Option<(u16, u8, u8)>, u64, u64, bool, &'a str);

    fn doc(rows: &[Row<'_>]) -> Document {
        let mut b = StoreBuilder::new(String::new());
        let reviews = rows
            .iter()
            .map(
                |&(rating, date, helpful, not_helpful, spoiler, text)| Review {
                    rating: rating.and_then(Rating::of_ten),
                    verdict: None,
                    spoiler,
                    down_votes_known: true,
                    source: 0,
                    date: date.and_then(|(y, m, d)| Date::new(y, m, d)),
                    helpful,
                    not_helpful,
                    title: b.push(text),
                    author: b.push("someone"),
                    body: b.push(text),
                    permalink: TextRef::EMPTY,
                },
            )
            .collect();
        Document::new(Source::default(), reviews, b.finish())
    }

    fn sample() -> Document {
        doc(&[
            (
                Some(8),
                Some((2006, 3, 11)),
                54,
                8,
                false,
                "long body text here",
            ),
            (Some(10), Some((2005, 1, 6)), 2, 0, true, "short"),
            (None, None, 0, 0, false, "unrated and undated"),
            (Some(8), Some((2009, 2, 8)), 23, 3, false, "mid length"),
            (Some(3), Some((2024, 3, 30)), 1, 1, false, "a"),
        ])
    }

    fn sorted(key: SortKey, reverse: bool) -> Vec<usize> {
        apply(
            &sample(),
            &Query {
                sort: key,
                reverse,
                ..Query::default()
            },
        )
    }

    /// A copy whose first is filtered out is the first of its body in the view, and stays.
    #[test]
    fn dedupe_keeps_the_first_of_each_body_among_those_kept() {
        let mut d = doc(&[
            (Some(10), None, 0, 0, false, "Great!"),
            (Some(1), None, 0, 0, false, "great"),
            (Some(1), None, 0, 0, false, "GREAT."),
            (Some(1), None, 0, 0, false, "other"),
        ]);
        d.count_duplicates();
        let dedupe = |ratings: &str| Query {
            ratings: RatingSet::parse(ratings).expect("valid"),
            dedupe: true,
            ..Query::default()
        };
        assert_eq!(apply(&d, &dedupe("1")), [1, 3]);
        assert_eq!(apply(&d, &dedupe("1-10")), [0, 3]);
    }

    #[test]
    fn featured_is_document_order() {
        assert_eq!(sorted(SortKey::Featured, false), [0, 1, 2, 3, 4]);
        assert_eq!(sorted(SortKey::Featured, true), [4, 3, 2, 1, 0]);
    }

    #[test]
    fn rating_puts_unrated_last_both_ways_and_keeps_ties_in_order() {
        assert_eq!(sorted(SortKey::Rating, false), [1, 0, 3, 4, 2]);
        assert_eq!(sorted(SortKey::Rating, true), [4, 0, 3, 1, 2]);
    }

    #[test]
    fn date_is_newest_first_undated_last() {
        assert_eq!(sorted(SortKey::Date, false), [4, 3, 0, 1, 2]);
        assert_eq!(sorted(SortKey::Date, true), [1, 0, 3, 4, 2]);
    }

    #[test]
    fn helpful_uses_wilson_bound() {
        assert!(wilson_lower_bound(54, 62) > wilson_lower_bound(2, 2));
        assert!(wilson_lower_bound(0, 0).abs() < f64::EPSILON);
        assert!((wilson_lower_bound(54, 62) - 0.7653).abs() < 0.001);
        assert_eq!(sorted(SortKey::Helpful, false), [0, 3, 1, 4, 2]);
    }

    #[test]
    fn votes_and_length() {
        assert_eq!(sorted(SortKey::Votes, false), [0, 3, 1, 4, 2]);
        assert_eq!(sorted(SortKey::Length, false), [0, 2, 3, 1, 4]);
        assert_eq!(sorted(SortKey::Length, true), [4, 1, 3, 0, 2]);
    }

    #[test]
    fn ties_keep_document_order_in_both_directions() {
        let d = doc(&[
            (Some(5), None, 1, 0, false, "x"),
            (Some(5), None, 1, 0, false, "y"),
            (Some(5), None, 1, 0, false, "z"),
        ]);
        for reverse in [false, true] {
            for key in SortKey::ALL.into_iter().filter(|&k| k != SortKey::Featured) {
                let q = Query {
                    sort: key,
                    reverse,
                    ..Query::default()
                };
                assert_eq!(apply(&d, &q), [0, 1, 2], "{key:?} reverse={reverse}");
            }
        }
    }

    #[test]
    fn rating_filter_drops_unrated() {
        let q = Query {
            ratings: RatingSet::parse("8").expect("valid"),
            ..Query::default()
        };
        assert_eq!(apply(&sample(), &q), [0, 3]);
        let q = Query {
            ratings: RatingSet::parse("1-3,10").expect("valid"),
            ..Query::default()
        };
        assert_eq!(apply(&sample(), &q), [1, 4]);
    }

    #[test]
    fn spoilers_can_be_hidden() {
        let q = Query {
            hide_spoilers: true,
            ..Query::default()
        };
        assert_eq!(apply(&sample(), &q), [0, 2, 3, 4]);
    }

    #[test]
    fn search_needs_every_word_case_insensitively() {
        let q = |text: &str| Query {
            search: Search::new(text),
            ..Query::default()
        };
        assert_eq!(apply(&sample(), &q("BODY")), [0]);
        assert_eq!(apply(&sample(), &q("body long")), [0]);
        assert_eq!(apply(&sample(), &q("body short")), Vec::<usize>::new());
        assert_eq!(apply(&sample(), &q("SOMEONE")), [0, 1, 2, 3, 4]);
        assert_eq!(apply(&sample(), &q("  ")), [0, 1, 2, 3, 4]);
        assert_eq!(apply(&sample(), &q("(.*)")), Vec::<usize>::new());
    }

    #[test]
    fn whole_chunk_search_agrees_with_review_by_review() {
        let sample = crate::load::load_bytes(crate::read::SAMPLE.as_bytes().to_vec(), "s", None)
            .expect("sample loads")
            .document;
        let never = AtomicBool::new(false);
        let all: Vec<usize> = (0..sample.reviews.len()).collect();
        for text in [
            "baseball",
            "Pusher",
            "MADS mikkelsen",
            "ulriksander",
            "tonny 2004",
            "é",
            "zzz",
            "the",
        ] {
            let search = Search::new(text);
            assert_eq!(
                search_reviews(&sample, &search, None, &never),
                search_reviews(&sample, &search, Some(&all), &never),
                "{text}"
            );
        }
    }

    #[test]
    fn a_document_in_one_chunk_is_searched_in_parts_on_every_core() {
        // 200 copies of the sample: about 6.5 MB in one chunk, more than one part.
        let text = crate::read::SAMPLE.repeat(200);
        let big = crate::load::load_bytes(text.into_bytes(), "s", None)
            .expect("loads")
            .document;
        let (_, parts) = layout(&big);
        // The reviews lie in the first chunk, which is cut into parts.
        assert!(parts.iter().filter(|p| p.chunk == 0).count() > 1);
        let never = AtomicBool::new(false);
        let all: Vec<usize> = (0..big.reviews.len()).collect();
        for text in ["baseball", "Pusher", "tonny 2004", "the"] {
            let search = Search::new(text);
            let whole = search_reviews(&big, &search, None, &never).expect("not cancelled");
            assert_eq!(
                Some(&whole),
                search_reviews(&big, &search, Some(&all), &never).as_ref(),
                "{text}"
            );
            assert!(!whole.is_empty(), "{text}");
        }
    }

    #[test]
    fn a_match_across_two_fields_does_not_count() {
        // Fields copied into the store's extra chunk lie side by side with nothing between.
        let d = doc(&[(Some(5), None, 1, 0, false, "ends with base")]);
        let mut b = StoreBuilder::new(String::new());
        let title = b.push("ends with base");
        let author = b.push("ball player");
        let body = b.push("nothing here");
        let review = Review {
            title,
            author,
            body,
            ..d.reviews[0]
        };
        let two = Document::new(Source::default(), vec![review], b.finish());
        let never = AtomicBool::new(false);
        assert_eq!(
            search_reviews(&two, &Search::new("baseball"), None, &never),
            Some(vec![])
        );
        assert_eq!(
            search_reviews(&two, &Search::new("ballplayer"), None, &never),
            Some(vec![])
        );
        assert_eq!(
            search_reviews(&two, &Search::new("ball"), None, &never),
            Some(vec![0])
        );
        let cancelled = AtomicBool::new(true);
        assert_eq!(
            search_reviews(&two, &Search::new("ball"), None, &cancelled),
            None
        );
    }

    #[test]
    fn search_ranges_merge() {
        let s = Search::new("ab bc");
        assert_eq!(s.ranges("xABCx ab"), [1..4, 6..8]);
        let s = Search::new("ÉTÉ");
        assert_eq!(s.ranges("un été"), vec![3..8]);
    }

    #[test]
    fn rating_specs() {
        assert_eq!(
            RatingSet::parse("7-10").map(|s| s.to_string()),
            Ok("7-10".into())
        );
        assert_eq!(
            RatingSet::parse("1,2,10").map(|s| s.to_string()),
            Ok("1,2,10".into())
        );
        assert_eq!(RatingSet::parse("8").map(|s| s.to_string()), Ok("8".into()));
        assert!(RatingSet::parse("0").is_err());
        assert!(RatingSet::parse("11").is_err());
        assert!(RatingSet::parse("9-7").is_err());
        assert!(RatingSet::parse("x").is_err());
        assert!(RatingSet::parse("").is_err());
        // Open ends run to the end of the scale; an error never quotes nothing.
        assert_eq!(
            RatingSet::parse("8-").map(|s| s.to_string()),
            Ok("8-10".into())
        );
        assert_eq!(
            RatingSet::parse("-3").map(|s| s.to_string()),
            Ok("1-3".into())
        );
        for bad in ["-", "8,,9", "8-x", ""] {
            let err = RatingSet::parse(bad).expect_err(bad);
            assert!(!err.contains("``"), "{bad}: {err}");
        }
    }

    /// A review with its own title, author and body, so a search can tell the fields apart.
    fn fields_doc(label: &str, rows: &[(Option<u8>, &str, &str, &str)]) -> Document {
        let mut b = StoreBuilder::new(String::new());
        let reviews = rows
            .iter()
            .map(|&(rating, title, author, body)| Review {
                rating: rating.and_then(Rating::of_ten),
                verdict: None,
                spoiler: false,
                down_votes_known: true,
                source: 0,
                date: None,
                helpful: 0,
                not_helpful: 0,
                title: b.push(title),
                author: b.push(author),
                body: b.push(body),
                permalink: TextRef::EMPTY,
            })
            .collect();
        Document::new(
            Source {
                label: label.into(),
                ..Source::default()
            },
            reviews,
            b.finish(),
        )
    }

    fn films() -> Document {
        let mut all = fields_doc(
            "Pusher II",
            &[
                (Some(8), "Gritty", "alice", "Tonny"),
                (None, "Meh", "bob", ""),
            ],
        );
        all.append(fields_doc(
            "The World's End",
            &[(Some(9), "Pints", "carl", "Gary")],
        ));
        all.append(fields_doc(
            "Pusher 3",
            &[(Some(7), "Milo", "dina", "Cooking")],
        ));
        all
    }

    #[test]
    fn film_filter_keeps_documents_whose_label_contains_it() {
        let film = |f: &str| Query {
            film: Some(f.into()),
            ..Query::default()
        };
        assert_eq!(apply(&films(), &film("Pusher II")), [0, 1]);
        assert_eq!(apply(&films(), &film("pusher")), [0, 1, 3]);
        assert_eq!(apply(&films(), &film("WORLD'S")), [2]);
        assert_eq!(apply(&films(), &film("Jaws")), Vec::<usize>::new());
        assert_eq!(apply(&films(), &Query::default()), [0, 1, 2, 3]);
        assert!(film("x").is_filtered());
        assert_eq!(films().sources.len(), 3);
        assert_eq!(film("pusher").sources_kept(&films()), [true, false, true]);
    }

    #[test]
    fn film_filter_combines_with_the_others() {
        let q = Query {
            film: Some("pusher".into()),
            ratings: RatingSet::parse("7-8").expect("valid"),
            sort: SortKey::Rating,
            reverse: true,
            ..Query::default()
        };
        assert_eq!(apply(&films(), &q), [3, 0]);
    }

    #[test]
    fn search_matches_each_field_and_words_across_fields() {
        let d = fields_doc(
            "",
            &[
                (None, "Gritty and bleak", "alice", "about Tonny"),
                (None, "Fine", "Tonny_fan", "it was gritty"),
                (None, "Fine", "bob", "nothing here"),
            ],
        );
        let q = |text: &str| Query {
            search: Search::new(text),
            ..Query::default()
        };
        assert_eq!(apply(&d, &q("bleak")), [0]); // title
        assert_eq!(apply(&d, &q("ALICE")), [0]); // author
        assert_eq!(apply(&d, &q("nothing")), [2]); // body
        assert_eq!(apply(&d, &q("tonny")), [0, 1]); // body of one, author of the other
        assert_eq!(apply(&d, &q("gritty tonny")), [0, 1]); // words from different fields
        assert_eq!(apply(&d, &q("gritty bob")), Vec::<usize>::new());
        assert_eq!(apply(&d, &q("fine")), [1, 2]);
        assert_eq!(Search::new("  gritty  tonny ").text(), "gritty  tonny");
    }

    #[test]
    fn reverse_keeps_reviews_without_the_value_last() {
        let d = doc(&[
            (None, None, 5, 0, false, "a"),
            (Some(2), Some((2001, 1, 1)), 1, 0, false, "bb"),
            (None, Some((2003, 1, 1)), 0, 0, false, "ccc"),
            (Some(9), None, 3, 0, false, "dddd"),
            (Some(5), Some((2002, 1, 1)), 2, 0, false, "eeeee"),
        ]);
        let run = |key, reverse| {
            apply(
                &d,
                &Query {
                    sort: key,
                    reverse,
                    ..Query::default()
                },
            )
        };
        assert_eq!(run(SortKey::Rating, false), [3, 4, 1, 0, 2]);
        assert_eq!(run(SortKey::Rating, true), [1, 4, 3, 0, 2]);
        assert_eq!(run(SortKey::Date, false), [2, 4, 1, 0, 3]);
        assert_eq!(run(SortKey::Date, true), [1, 4, 2, 0, 3]);
        // Every review has votes and a length: reverse is a plain reversal there.
        assert_eq!(run(SortKey::Votes, false), [0, 3, 4, 1, 2]);
        assert_eq!(run(SortKey::Votes, true), [2, 1, 4, 3, 0]);
        assert_eq!(run(SortKey::Length, true), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn sorting_a_filtered_view_sorts_only_the_kept_reviews() {
        let q = Query {
            hide_spoilers: true,
            sort: SortKey::Rating,
            ..Query::default()
        };
        assert_eq!(apply(&sample(), &q), [0, 3, 4, 2]);
        let q = Query {
            search: Search::new("t"),
            sort: SortKey::Date,
            reverse: true,
            ..Query::default()
        };
        // "t" is in the first four bodies, not in "a" nor in the author "someone"; oldest
        // first, the undated one last.
        assert_eq!(apply(&sample(), &q), [1, 0, 3, 2]);
    }

    #[test]
    fn helpful_ranks_by_confidence_not_ratio() {
        let d = doc(&[
            (None, None, 2, 0, false, "2 of 2"),
            (None, None, 54, 8, false, "54 of 62"),
            (None, None, 0, 0, false, "no votes"),
            (None, None, 0, 5, false, "0 of 5"),
        ]);
        let q = Query {
            sort: SortKey::Helpful,
            ..Query::default()
        };
        assert_eq!(apply(&d, &q), [1, 0, 2, 3]);
        let q = Query { reverse: true, ..q };
        assert_eq!(apply(&d, &q), [2, 3, 0, 1]);
    }

    #[test]
    fn sort_keys_cycle_and_name_themselves() {
        let mut key = SortKey::Featured;
        let mut names = Vec::new();
        for _ in 0..SortKey::ALL.len() {
            names.push(key.name());
            key = key.next();
        }
        assert_eq!(key, SortKey::Featured);
        assert_eq!(
            names,
            ["featured", "helpful", "votes", "date", "rating", "length"]
        );
    }

    #[test]
    fn rating_set_toggles_and_mixes() {
        let mut set = RatingSet::parse(" 1-3 , 9 ").expect("valid");
        assert_eq!(set.iter().collect::<Vec<_>>(), [1, 2, 3, 9]);
        set.toggle(2);
        set.toggle(10);
        set.toggle(0);
        set.toggle(11);
        assert_eq!(set.to_string(), "1,3,9,10");
        assert!(!set.contains(0) && !set.contains(11) && set.contains(10));
        assert!(RatingSet::parse("1,").is_err());
        assert_eq!(
            RatingSet::parse("3-").map(|s| s.to_string()),
            Ok("3-10".into())
        );
        assert!(RatingSet::parse("-").is_err());
        assert!(RatingSet::parse("0-5").is_err());
        assert!(RatingSet::parse("7.5").is_err());
        assert_eq!(
            RatingSet::parse("11"),
            Err("`11` is not a rating from 1 to 10".into())
        );
        assert_eq!(
            RatingSet::parse("9-7"),
            Err("`9-7` is an empty range".into())
        );
    }
}
