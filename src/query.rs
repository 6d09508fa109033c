//! The view query: which reviews to show and in what order. Pure: a [`Query`] and a
//! [`Document`] in, a list of review indices out; the reviews themselves are never copied.
//!
//! The same query drives `--format` output and the interactive list.

use std::fmt;

use std::sync::atomic::{self, AtomicBool};

use regex::{Regex, RegexBuilder};

use crate::model::{Document, Review};

/// The orders a list can be sorted in. Each has a natural direction (best or newest first);
/// `reverse` flips it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortKey {
    /// Document order, as the page lists them.
    #[default]
    Featured,
    /// Most reliably helpful first: lower bound of the 95% Wilson score interval.
    Helpful,
    /// Most votes first.
    Votes,
    /// Newest first.
    Date,
    /// Highest rating first.
    Rating,
    /// Longest body first.
    Length,
}

impl SortKey {
    /// Every order, in the order the `s` key cycles through them.
    pub const ALL: [Self; 6] = [
        Self::Featured,
        Self::Helpful,
        Self::Votes,
        Self::Date,
        Self::Rating,
        Self::Length,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Featured => "featured",
            Self::Helpful => "helpful",
            Self::Votes => "votes",
            Self::Date => "date",
            Self::Rating => "rating",
            Self::Length => "length",
        }
    }

    /// The order after this one.
    #[must_use]
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|&k| k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// A set of ratings 1–10 (bit n set for rating n). Empty means "no rating filter".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RatingSet(u16);

impl RatingSet {
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    #[must_use]
    pub fn contains(self, rating: u8) -> bool {
        rating <= 10 && self.0 & (1 << rating) != 0
    }

    /// Adds or removes one rating.
    pub fn toggle(&mut self, rating: u8) {
        if (1..=10).contains(&rating) {
            self.0 ^= 1 << rating;
        }
    }

    /// All ratings from `low` to `high`.
    #[must_use]
    pub fn range(low: u8, high: u8) -> Self {
        let mut set = Self::default();
        for r in low.max(1)..=high.min(10) {
            set.0 |= 1 << r;
        }
        set
    }

    /// The ratings in the set, ascending.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (1..=10).filter(move |&r| self.contains(r))
    }

    /// Parses `8`, `7-10`, `1,2,10` or a mix (`1-3,9`).
    ///
    /// # Errors
    /// A message naming the part that is not a rating or range of ratings from 1 to 10.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut set = Self::default();
        for part in spec.split(',').map(str::trim) {
            let rating = |text: &str| -> Result<u8, String> {
                text.trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|n| (1..=10).contains(n))
                    .ok_or_else(|| format!("`{text}` is not a rating from 1 to 10"))
            };
            match part.split_once('-') {
                Some((low, high)) => {
                    let (low, high) = (rating(low)?, rating(high)?);
                    if low > high {
                        return Err(format!("`{part}` is an empty range"));
                    }
                    set.0 |= Self::range(low, high).0;
                }
                None => set.toggle_on(rating(part)?),
            }
        }
        Ok(set)
    }

    fn toggle_on(&mut self, rating: u8) {
        self.0 |= 1 << rating;
    }
}

impl fmt::Display for RatingSet {
    /// Compact form: `7-10`, `1,2,10`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ratings: Vec<u8> = self.iter().collect();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < ratings.len() {
            let mut j = i;
            while j + 1 < ratings.len() && ratings[j + 1] == ratings[j] + 1 {
                j += 1;
            }
            parts.push(match j - i {
                0 => ratings[i].to_string(),
                1 => format!("{},{}", ratings[i], ratings[j]),
                _ => format!("{}-{}", ratings[i], ratings[j]),
            });
            i = j + 1;
        }
        f.write_str(&parts.join(","))
    }
}

/// A text search: every word must appear, case-insensitively, in the title, author or body.
///
/// Each word is a case-insensitive regex of the escaped word: the regex engine turns it
/// into a SIMD search for the word's case variants, which measured faster on a million
/// reviews than an ASCII-case-folding Aho-Corasick searcher.
#[derive(Debug, Clone, Default)]
pub struct Search {
    text: String,
    words: Vec<Regex>,
}

impl Search {
    /// A search for the words of `text`; empty text matches everything. The text is
    /// sanitized like document text: it is shown on screen, and the documents it searches
    /// hold placeholders, not control characters.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let text = &*crate::sanitize::sanitize(text);
        let words = text
            .split_whitespace()
            .filter_map(|w| {
                RegexBuilder::new(&regex::escape(w))
                    .case_insensitive(true)
                    .build()
                    .ok()
            })
            .collect();
        Self {
            text: text.trim().to_string(),
            words,
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The text searched for.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether every word appears in one of the review's fields.
    #[must_use]
    pub fn matches(&self, doc: &Document, review: &Review) -> bool {
        let fields = [doc.title(review), doc.author(review), doc.body(review)];
        self.words
            .iter()
            .all(|w| fields.iter().any(|field| w.is_match(field)))
    }

    /// Byte ranges of every match of any word in `text`, sorted and merged, for highlighting.
    #[must_use]
    pub fn ranges(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let mut ranges: Vec<_> = self
            .words
            .iter()
            .flat_map(|w| w.find_iter(text).map(|m| m.range()))
            .collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

impl PartialEq for Search {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// What the list shows: filters and an order.
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
}

impl Query {
    /// Whether any filter is on.
    #[must_use]
    pub fn is_filtered(&self) -> bool {
        !self.ratings.is_empty()
            || self.hide_spoilers
            || !self.search.is_empty()
            || self.film.is_some()
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

    /// Whether one review passes the filters; `sources` comes from [`Query::sources_kept`].
    #[must_use]
    pub fn keeps(&self, doc: &Document, sources: &[bool], review: &Review) -> bool {
        (self.ratings.is_empty() || review.rating.is_some_and(|r| self.ratings.contains(r)))
            && !(self.hide_spoilers && review.spoiler)
            && sources
                .get(usize::from(review.source))
                .copied()
                .unwrap_or(true)
            && (self.search.is_empty() || self.search.matches(doc, review))
    }
}

/// Indices, ascending, of the reviews the search matches among `candidates` (every review
/// when `None`; given ascending). The work is split over the machine's cores. Returns
/// `None` as soon as it sees `cancel` set: the user typed on, and this result is not wanted.
#[must_use]
pub fn search_reviews(
    doc: &Document,
    search: &Search,
    candidates: Option<&[usize]>,
    cancel: &AtomicBool,
) -> Option<Vec<usize>> {
    match candidates {
        Some(c) => search_each(doc, search, c, cancel),
        None => search_chunks(doc, search, cancel),
    }
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
}

/// Checks the given reviews one by one: right for a narrowing search, whose candidates are
/// few and scattered.
fn search_each(
    doc: &Document,
    search: &Search,
    candidates: &[usize],
    cancel: &AtomicBool,
) -> Option<Vec<usize>> {
    let part = candidates.len().div_ceil(threads()).max(4096);
    let scan = |slice: &[usize]| -> Option<Vec<usize>> {
        let mut hits = Vec::new();
        for block in slice.chunks(1024) {
            if cancel.load(atomic::Ordering::Relaxed) {
                return None;
            }
            hits.extend(
                block
                    .iter()
                    .copied()
                    .filter(|&i| doc.reviews.get(i).is_some_and(|r| search.matches(doc, r))),
            );
        }
        Some(hits)
    };
    let parts: Vec<Option<Vec<usize>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = candidates
            .chunks(part)
            .map(|slice| scope.spawn(move || scan(slice)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(None))
            .collect()
    });
    let mut hits = Vec::new();
    for part in parts {
        hits.extend(part?);
    }
    Some(hits)
}

/// Where one review's searchable text (title, author, body) lies in one chunk: from the
/// start of its first field there to the end of its last.
#[derive(Clone, Copy)]
struct Entry {
    chunk: u32,
    review: u32,
    start: u64,
    end: u64,
}

/// A stretch of one chunk holding the text of a run of reviews one after another: what one
/// thread scans at a time.
struct Part {
    chunk: usize,
    /// The stretch's reviews, as a range of the entry list.
    entries: std::ops::Range<usize>,
    /// Where in the chunk the stretch starts and ends.
    start: usize,
    end: usize,
}

/// Parts are cut at about this many bytes, so that even a document held in one chunk is
/// scanned on every core.
const PART_BYTES: u64 = 4 << 20;

/// The entries of every review (one per chunk its fields are in), and the parts they fall
/// into. Loaders lay reviews out one after another, so this is one pass over the reviews;
/// entries out of order are sorted first.
fn layout(doc: &Document) -> (Vec<Entry>, Vec<Part>) {
    let mut entries: Vec<Entry> = Vec::with_capacity(doc.reviews.len());
    let mut in_order = true;
    for (i, r) in doc.reviews.iter().enumerate() {
        let first = entries.len();
        for t in [r.title, r.author, r.body] {
            if t.is_empty() {
                continue;
            }
            let (chunk, range) = t.place();
            let chunk = u32::try_from(chunk).unwrap_or(u32::MAX);
            match entries[first..].iter_mut().find(|e| e.chunk == chunk) {
                Some(e) => {
                    e.start = e.start.min(range.start);
                    e.end = e.end.max(range.end);
                }
                None => entries.push(Entry {
                    chunk,
                    review: i as u32,
                    start: range.start,
                    end: range.end,
                }),
            }
        }
        if let (Some(prev), Some(e)) =
            (first.checked_sub(1).map(|p| entries[p]), entries.get(first))
        {
            in_order &= (prev.chunk, prev.end) <= (e.chunk, e.start) && entries.len() == first + 1;
        }
    }
    if !in_order {
        entries.sort_unstable_by_key(|e| (e.chunk, e.start));
    }
    let mut parts: Vec<Part> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let chunk = e.chunk as usize;
        let (start, end) = (
            usize::try_from(e.start).unwrap_or(usize::MAX),
            usize::try_from(e.end).unwrap_or(usize::MAX),
        );
        match parts.last_mut() {
            // Overlapping text (no loader writes it) starts a new part, so that within a
            // part the entry holding a position is found by its start alone.
            Some(p)
                if p.chunk == chunk && start >= p.end && (p.end - p.start) as u64 <= PART_BYTES =>
            {
                p.entries.end = i + 1;
                p.end = end;
            }
            _ => parts.push(Part {
                chunk,
                entries: i..i + 1,
                start,
                end,
            }),
        }
    }
    (entries, parts)
}

/// Searches the whole document by running each word over long stretches of text at once
/// (the regex engine's SIMD search works best on long haystacks), then telling from the
/// position of each match which review's title, author or body it is in. Text outside the
/// fields (vote lines, page chrome) never counts, nor does a match across two fields.
fn search_chunks(doc: &Document, search: &Search, cancel: &AtomicBool) -> Option<Vec<usize>> {
    let n = doc.reviews.len();
    if search.is_empty() {
        return Some((0..n).collect());
    }
    if u32::try_from(n).is_err() {
        let all: Vec<usize> = (0..n).collect();
        return search_each(doc, search, &all, cancel);
    }
    let (entries, parts) = layout(doc);
    // For each word, which reviews hold it; a review matches when it holds all.
    let mut all_words: Option<Vec<bool>> = None;
    for word in &search.words {
        let found = find_word(doc, word, &entries, &parts, cancel)?;
        all_words = Some(match all_words {
            None => found,
            Some(mut acc) => {
                for (a, f) in acc.iter_mut().zip(found) {
                    *a &= f;
                }
                acc
            }
        });
    }
    let found = all_words.unwrap_or_default();
    Some((0..n).filter(|&i| found[i]).collect())
}

/// Which reviews hold `word`, scanning the parts on all cores.
fn find_word(
    doc: &Document,
    word: &Regex,
    entries: &[Entry],
    parts: &[Part],
    cancel: &AtomicBool,
) -> Option<Vec<bool>> {
    let chunks = doc.chunks();
    let next_part = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Option<Vec<u32>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads())
            .map(|_| {
                scope.spawn(|| {
                    let mut hits = Vec::new();
                    loop {
                        let p = next_part.fetch_add(1, atomic::Ordering::Relaxed);
                        let Some(part) = parts.get(p) else {
                            return Some(hits);
                        };
                        if cancel.load(atomic::Ordering::Relaxed) {
                            return None;
                        }
                        let (Some(text), Some(entries)) =
                            (chunks.get(part.chunk), entries.get(part.entries.clone()))
                        else {
                            continue;
                        };
                        scan_part(doc, word, text, part, entries, &mut hits);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(None))
            .collect()
    });
    let mut found = vec![false; doc.reviews.len()];
    for hits in results {
        for r in hits? {
            if let Some(f) = found.get_mut(r as usize) {
                *f = true;
            }
        }
    }
    Some(found)
}

/// Adds to `hits` every review of `part` (whose `entries` lie one after another in `text`)
/// with a field in which `word` matches.
fn scan_part(
    doc: &Document,
    word: &Regex,
    text: &str,
    part: &Part,
    entries: &[Entry],
    hits: &mut Vec<u32>,
) {
    // Every entry ends at the end of a field, so on a character boundary.
    let Some(haystack) = text.get(..part.end) else {
        return;
    };
    let chunk = part.chunk;
    let mut at = part.start;
    while at < haystack.len() {
        let Some(m) = word.find_at(haystack, at) else {
            return;
        };
        let start = m.start() as u64;
        // The entry starting last at or before the match, and where the next one starts.
        let i = entries.partition_point(|e| e.start <= start);
        let next_entry = entries.get(i).map_or(haystack.len(), |e| {
            usize::try_from(e.start).unwrap_or(usize::MAX)
        });
        let Some(entry) = i.checked_sub(1).map(|i| entries[i]) else {
            at = next_entry;
            continue;
        };
        let Some(review) = doc.reviews.get(entry.review as usize) else {
            at = next_entry;
            continue;
        };
        // Where to look next if this match does not count: the next field that starts after
        // it, or the next character when it ran past the end of its field.
        let mut next = next_entry;
        let mut hit = false;
        for t in [review.title, review.author, review.body] {
            let (c, range) = t.place();
            if t.is_empty() || c != chunk {
                continue;
            }
            if range.contains(&start) {
                if m.end() as u64 <= range.end {
                    hit = true;
                    break;
                }
                let after = (m.start() + 1..=m.end())
                    .find(|&b| haystack.is_char_boundary(b))
                    .unwrap_or(m.end());
                next = next.min(after);
            } else if range.start > start {
                next = next.min(usize::try_from(range.start).unwrap_or(usize::MAX));
            }
        }
        if hit {
            hits.push(entry.review);
            // One match is enough for this review: go on with the next.
            at = next_entry;
        } else {
            at = next;
        }
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
    let sources = query.sources_kept(doc);
    if !query.search.is_empty() {
        // The search runs over whole stretches of text on every core, as in the app; the
        // other filters then look at its matches only.
        let others = query.without_search();
        let never = AtomicBool::new(false);
        if let Some(hits) = search_reviews(doc, &query.search, None, &never) {
            return hits
                .into_iter()
                .filter(|&i| {
                    doc.reviews
                        .get(i)
                        .is_some_and(|r| others.keeps(doc, &sources, r))
                })
                .collect();
        }
    }
    doc.reviews
        .iter()
        .enumerate()
        .filter(|(_, r)| query.keeps(doc, &sources, r))
        .map(|(i, _)| i)
        .collect()
}

/// Sorts review indices (given in document order) by `key`.
///
/// Reviews without the sorted value (no rating, no date) go after all others in both
/// directions, and ties keep document order in both directions, so `reverse` is not a plain
/// reversal of the list.
pub fn sort(doc: &Document, indices: &mut Vec<usize>, key: SortKey, reverse: bool) {
    let reviews = &doc.reviews;
    // Every value is mapped to a u64 whose ascending order is the wanted order, so the sort
    // compares plain integers: a million reviews sort in a fraction of the time an
    // enum-comparing sort takes.
    let value = |i: usize| -> Option<u64> {
        let r = reviews.get(i)?;
        match key {
            SortKey::Featured => Some(i as u64),
            // Non-negative floats order like their bit patterns.
            SortKey::Helpful => Some(wilson_lower_bound(r.helpful, r.total_votes()).to_bits()),
            SortKey::Votes => Some(r.total_votes()),
            SortKey::Date => r.date.map(|d| {
                u64::from(d.year()) << 16 | u64::from(d.month()) << 8 | u64::from(d.day())
            }),
            SortKey::Rating => r.rating.map(u64::from),
            SortKey::Length => Some(doc.body(r).chars().count() as u64),
        }
    };
    // Featured is ascending by nature (document order); every other order is "most first".
    let descending = (key != SortKey::Featured) != reverse;
    // Computing the keys (counting the characters of every body, for length) is the costly
    // part at a million reviews: it is split over the cores.
    let part = indices.len().div_ceil(threads()).max(50_000);
    let values: Vec<Option<u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = indices
            .chunks(part)
            .map(|slice| scope.spawn(move || slice.iter().map(|&i| value(i)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut keyed: Vec<(u64, usize)> = Vec::with_capacity(indices.len());
    let mut missing = Vec::new();
    for (&i, v) in indices.iter().zip(values) {
        match v {
            Some(v) => keyed.push((if descending { !v } else { v }, i)),
            None => missing.push(i),
        }
    }
    // Ties fall back on the index, which keeps document order in both directions; with
    // that, an unstable sort gives the same result as a stable one.
    keyed.sort_unstable();
    indices.clear();
    indices.extend(keyed.into_iter().map(|(_, i)| i));
    missing.sort_unstable();
    indices.extend(missing);
}

/// Lower bound of the 95% Wilson score interval for `helpful` successes out of `total`:
/// how helpful a review is, discounted for how few people voted. 54 of 62 ranks above 2 of 2.
#[must_use]
#[allow(clippy::cast_precision_loss)]
pub fn wilson_lower_bound(helpful: u64, total: u64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let z = 1.959_963_984_540_054_f64;
    let n = total as f64;
    let p = (helpful.min(total) as f64) / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - spread) / (1.0 + z2 / n)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Source, StoreBuilder, TextRef};

    /// (rating, date, helpful, not_helpful, spoiler, text)
    type Row<'a> = (Option<u8>, Option<(u16, u8, u8)>, u64, u64, bool, &'a str);

    fn doc(rows: &[Row<'_>]) -> Document {
        let mut b = StoreBuilder::new(String::new());
        let reviews = rows
            .iter()
            .map(
                |&(rating, date, helpful, not_helpful, spoiler, text)| Review {
                    rating,
                    spoiler,
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
        let sample = crate::load::load_bytes(crate::input::SAMPLE.as_bytes().to_vec(), "s", None)
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
        let text = crate::input::SAMPLE.repeat(200);
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
    }

    /// A review with its own title, author and body, so a search can tell the fields apart.
    fn fields_doc(label: &str, rows: &[(Option<u8>, &str, &str, &str)]) -> Document {
        let mut b = StoreBuilder::new(String::new());
        let reviews = rows
            .iter()
            .map(|&(rating, title, author, body)| Review {
                rating,
                spoiler: false,
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
        assert!(RatingSet::parse("3-").is_err());
        assert!(RatingSet::parse("-3").is_err());
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
