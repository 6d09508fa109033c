//! Text search: every word, any case, in a review's title, author or body. Whole stretches
//! of the store are scanned at once on every core (the regex engine's SIMD search works
//! best on long haystacks), and a scan can be cancelled when the user types on.

use std::sync::atomic::{self, AtomicBool};

use regex::{Regex, RegexBuilder};

use crate::model::{Document, Review};

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
        let mut seen: Vec<String> = Vec::new();
        let words = text
            .split_whitespace()
            // A word given twice is one condition; a pasted page is at most MAX_WORDS.
            .filter(|w| {
                let w = w.to_lowercase();
                let new = !seen.contains(&w);
                if new {
                    seen.push(w);
                }
                new
            })
            .take(MAX_WORDS)
            .filter_map(word_regex)
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

    /// Whether every word appears in one of the review's fields (its reply among them).
    #[must_use]
    pub fn matches(&self, doc: &Document, review: &Review) -> bool {
        let reply = doc.reply(review).map(|(text, _)| text).unwrap_or_default();
        let fields = [
            doc.title(review),
            doc.author(review),
            doc.body(review),
            reply,
        ];
        self.words
            .iter()
            .all(|w| fields.iter().any(|field| w.is_match(field)))
    }

    /// Whether every word appears in the review's title or author: the review matched with
    /// its body left out, as for a spoiler whose body is hidden.
    #[must_use]
    pub fn matches_without_body(&self, doc: &Document, review: &Review) -> bool {
        let fields = [doc.title(review), doc.author(review)];
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

/// The most words a search looks for: a pasted paragraph is cut there rather than making
/// every review pass a hundred scans.
pub const MAX_WORDS: usize = 32;

/// The case-insensitive regex of one word. Typing rebuilds the search on every key, and
/// only the word being typed is new: the others come from a small cache instead of being
/// compiled again (a paste of 3,000 characters compiled 150 regexes per character).
fn word_regex(word: &str) -> Option<Regex> {
    use std::collections::HashMap;
    use std::sync::{Mutex, PoisonError};
    static CACHE: Mutex<Option<HashMap<String, Regex>>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some(regex) = cache.get(word) {
        return Some(regex.clone());
    }
    let regex = RegexBuilder::new(&regex::escape(word))
        .case_insensitive(true)
        .build()
        .ok()?;
    // Bounded: the cache serves the search being typed, not every search ever made.
    if cache.len() >= 1024 {
        cache.clear();
    }
    cache.insert(word.to_string(), regex.clone());
    Some(regex)
}

impl PartialEq for Search {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
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
        // Text left in its file is read a stretch at a time: many candidates are found
        // faster by scanning it all than by reading each review's fields on its own.
        Some(c) if doc.store().bytes_in_files() > 0 && c.len() > doc.reviews.len() / 16 => {
            let all = search_chunks(doc, search, cancel)?;
            let mut wanted = vec![false; doc.reviews.len()];
            for &i in c {
                if let Some(w) = wanted.get_mut(i) {
                    *w = true;
                }
            }
            Some(all.into_iter().filter(|&i| wanted[i]).collect())
        }
        Some(c) => search_each(doc, search, c, cancel),
        None => search_chunks(doc, search, cancel),
    }
}

/// Checks the given reviews one by one: right for a narrowing search, whose candidates are
/// few and scattered.
fn search_each(
    doc: &Document,
    search: &Search,
    candidates: &[usize],
    cancel: &AtomicBool,
) -> Option<Vec<usize>> {
    let part = candidates
        .len()
        .div_ceil(crate::tuning::threads())
        .max(4096);
    let scan = |slice: &[usize]| -> Option<Vec<usize>> {
        let _bulk = crate::model::backing::in_bulk();
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
pub(super) struct Entry {
    chunk: u32,
    review: u32,
    start: u64,
    end: u64,
}

/// A stretch of one chunk holding the text of a run of reviews one after another: what one
/// thread scans at a time.
pub(super) struct Part {
    pub(super) chunk: usize,
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
pub(super) fn layout(doc: &Document) -> (Vec<Entry>, Vec<Part>) {
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
    // Replies lie apart from their reviews' text: such a document is searched review by
    // review (app reviews, which have them, are few).
    if u32::try_from(n).is_err() || doc.has_replies() {
        let all: Vec<usize> = (0..n).collect();
        return search_each(doc, search, &all, cancel);
    }
    let (entries, parts) = layout(doc);
    let found = find_words(doc, &search.words, &entries, &parts, cancel)?;
    // A review matches when it holds every word.
    let mut all_words = vec![true; n];
    for word in found {
        let mut holds = vec![false; n];
        for r in word {
            if let Some(h) = holds.get_mut(r as usize) {
                *h = true;
            }
        }
        for (a, h) in all_words.iter_mut().zip(holds) {
            *a &= h;
        }
    }
    Some((0..n).filter(|&i| all_words[i]).collect())
}

/// For each word, the reviews that hold it (unordered, perhaps repeated), scanning the
/// parts on all cores: each part's text is had once (read, where it was left in its file)
/// and every word runs over it.
fn find_words(
    doc: &Document,
    words: &[Regex],
    entries: &[Entry],
    parts: &[Part],
    cancel: &AtomicBool,
) -> Option<Vec<Vec<u32>>> {
    let store = doc.store();
    let next_part = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Option<Vec<Vec<u32>>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..crate::tuning::threads())
            .map(|_| {
                scope.spawn(|| {
                    let mut hits = vec![Vec::new(); words.len()];
                    let mut buf = Vec::new();
                    loop {
                        let p = next_part.fetch_add(1, atomic::Ordering::Relaxed);
                        let Some(part) = parts.get(p) else {
                            return Some(hits);
                        };
                        if cancel.load(atomic::Ordering::Relaxed) {
                            return None;
                        }
                        let (Some(text), Some(entries)) = (
                            store.stretch(part.chunk, part.start..part.end, &mut buf),
                            entries.get(part.entries.clone()),
                        ) else {
                            continue;
                        };
                        for (word, hits) in words.iter().zip(&mut hits) {
                            scan_part(doc, word, text, part, entries, hits);
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(None))
            .collect()
    });
    let mut found = vec![Vec::new(); words.len()];
    for hits in results {
        for (all, mine) in found.iter_mut().zip(hits?) {
            all.extend(mine);
        }
    }
    Some(found)
}

/// Adds to `hits` every review of `part` (whose `entries` lie one after another in
/// `text`, the part's stretch of its chunk) with a field in which `word` matches.
fn scan_part(
    doc: &Document,
    word: &Regex,
    text: &str,
    part: &Part,
    entries: &[Entry],
    hits: &mut Vec<u32>,
) {
    // Positions in `text` are `off` before those in the chunk, which entries and fields use.
    let off = part.start;
    let in_text = |at: u64| {
        usize::try_from(at)
            .unwrap_or(usize::MAX)
            .saturating_sub(off)
    };
    let haystack = text;
    let chunk = part.chunk;
    let mut at = 0;
    while at < haystack.len() {
        let Some(m) = word.find_at(haystack, at) else {
            return;
        };
        let start = (m.start() + off) as u64;
        let end = (m.end() + off) as u64;
        // The entry starting last at or before the match, and where the next one starts.
        let i = entries.partition_point(|e| e.start <= start);
        let next_entry = entries.get(i).map_or(haystack.len(), |e| in_text(e.start));
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
                if end <= range.end {
                    hit = true;
                    break;
                }
                let after = (m.start() + 1..=m.end())
                    .find(|&b| haystack.is_char_boundary(b))
                    .unwrap_or(m.end());
                next = next.min(after);
            } else if range.start > start {
                next = next.min(in_text(range.start));
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

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn words_are_counted_once_and_capped() {
        let search = Search::new("Pusher pusher PUSHER tonny");
        assert_eq!(search.words.len(), 2);
        // A pasted page: every word different, far more than a search takes.
        let pasted = (0..600).fold(String::new(), |mut text, i| {
            let _ = write!(text, "word{i} ");
            text
        });
        let search = Search::new(&pasted);
        assert_eq!(search.words.len(), MAX_WORDS);
        assert_eq!(search.text(), pasted.trim(), "the text is kept as typed");
        // The same word's regex is reused, and matches as a fresh one does.
        let again = Search::new("word7");
        assert!(again.words[0].is_match("a WORD7 b"));
    }
}
