//! The words that split opinion: for two sides of the reviews (high against low ratings,
//! positive against negative verdicts, or a view against the rest), the words and two-word
//! phrases that most set each side apart, ranked by the weighted log-odds ratio with an
//! informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words").
//!
//! For a term w with counts yᵃ and yᵇ on the sides (of nᵃ and nᵇ terms of its kind in all:
//! words against words, phrases against phrases), and a prior
//! αw = α₀·(yᵃ+yᵇ)/(nᵃ+nᵇ) drawn from both sides together:
//! δ = ln((yᵃ+αw)/(nᵃ+α₀−yᵃ−αw)) − ln((yᵇ+αw)/(nᵇ+α₀−yᵇ−αw)), σ² ≈ 1/(yᵃ+αw) + 1/(yᵇ+αw),
//! and the score is z = δ/σ. Words are Unicode words (UAX #29), lower-cased; stop words
//! (the, and, of…) are left out and break phrases; a term must be met [`min_count`] times.
//! Pure: a store and the text references of each side in, the figures out.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use unicode_segmentation::UnicodeSegmentation;

use crate::model::{Document, Store, TextRef, Verdict};

/// The prior's total weight, α₀: enough to keep a term met a few times on one side only
/// from topping the list, small beside the counts of a real view.
pub const PRIOR: f64 = 1000.0;

/// How many terms each side's list holds.
pub const TOP: usize = 25;

/// How two sides of the reviews are told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Top third of the rating scale against the bottom third.
    Rating,
    /// Positive against negative verdicts, where there are no ratings.
    Verdict,
    /// The reviews in view against every other review.
    ViewAgainstRest,
}

/// The text of each side: titles and bodies, and how many hidden spoilers' bodies were
/// left out.
#[derive(Debug, Clone, Default)]
pub struct Sides {
    pub split: Option<Split>,
    pub texts: Vec<(TextRef, bool)>,
    pub reviews: [usize; 2],
    pub hidden_left_out: usize,
}

/// One term's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    pub term: String,
    /// The z-score: positive for the first side, negative for the second.
    pub z: f64,
    pub counts: [u64; 2],
}

/// What sets the two sides apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Keywords {
    pub split: Split,
    /// What each side is, as the window says it (`rated 7-10`, `this view`).
    pub names: [String; 2],
    pub reviews: [usize; 2],
    /// The terms of each side, the most telling first.
    pub terms: [Vec<Keyword>; 2],
    pub hidden_left_out: usize,
    pub min_count: u64,
}

/// Words too common to tell sides apart. Negations stay out of it: "not good" is telling.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "really",
    "s",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// The least count (both sides together) a term needs: a few in a small view, more in a
/// large one, where rare terms are many and say little.
#[must_use]
pub fn min_count(reviews: usize) -> u64 {
    (reviews as u64 / 2000).clamp(3, 20)
}

/// The two sides of `view` (or `view` against the rest): rated reviews by the thirds of
/// their own scale, else verdicts. `hidden` says which reviews' bodies are spoilers not to
/// be read; their titles count, as the list shows them. `None` when the view has nothing
/// to split by.
#[must_use]
pub fn sides(
    doc: &Document,
    view: &[usize],
    against_rest: bool,
    hidden: impl Fn(usize) -> bool,
) -> Option<Sides> {
    let mut sides = Sides::default();
    let add = |sides: &mut Sides, i: usize, first: bool| {
        let r = &doc.reviews[i];
        sides.reviews[usize::from(!first)] += 1;
        sides.texts.push((r.title, first));
        if hidden(i) {
            sides.hidden_left_out += 1;
        } else {
            sides.texts.push((r.body, first));
        }
    };
    if against_rest {
        let mut in_view = vec![false; doc.reviews.len()];
        for &i in view {
            in_view[i] = true;
        }
        for (i, &first) in in_view.iter().enumerate() {
            add(&mut sides, i, first);
        }
        sides.split = Some(Split::ViewAgainstRest);
        return (sides.reviews[0] > 0 && sides.reviews[1] > 0).then_some(sides);
    }
    let third = |i: usize| {
        let rating = doc.reviews[i].rating?;
        let scale = f64::from(rating.scale().max(2));
        let place = (rating.value() - 1.0) / (scale - 1.0);
        // The thirds' bounds belong to them (4 and 7 of 10): a hair of slack for rounding.
        if place >= 2.0 / 3.0 - 1e-9 {
            Some(true)
        } else if place <= 1.0 / 3.0 + 1e-9 {
            Some(false)
        } else {
            None
        }
    };
    let verdict = |i: usize| match doc.reviews[i].verdict {
        Some(Verdict::Positive) => Some(true),
        Some(Verdict::Negative) => Some(false),
        None => None,
    };
    for (split, side_of) in [
        (Split::Rating, &third as &dyn Fn(usize) -> Option<bool>),
        (Split::Verdict, &verdict),
    ] {
        let mut counts = [0, 0];
        for &i in view {
            if let Some(first) = side_of(i) {
                counts[usize::from(!first)] += 1;
            }
        }
        if counts[0] > 0 && counts[1] > 0 {
            for &i in view {
                if let Some(first) = side_of(i) {
                    add(&mut sides, i, first);
                }
            }
            sides.split = Some(split);
            return Some(sides);
        }
    }
    None
}

/// Counts of each term on each side.
type Counts = HashMap<String, [u64; 2], foldhash::fast::FixedState>;

/// One thread's counts: each word once, by number, and phrases as pairs of numbers (an
/// integer key hashes and compares far faster than the phrase's text). The stop words hold
/// the first numbers, so that one lookup tells a stop word and finds a word's number.
struct Tally {
    ids: HashMap<String, u32, foldhash::fast::FixedState>,
    words: Vec<[u64; 2]>,
    pairs: HashMap<u64, [u64; 2], foldhash::fast::FixedState>,
    totals: [u64; 2],
    /// Phrases counted on each side: what a phrase's odds are taken against.
    pair_totals: [u64; 2],
}

/// How many numbers the stop words take.
#[allow(clippy::cast_possible_truncation)]
const STOPS: u32 = STOP_WORDS.len() as u32;

impl Tally {
    fn new() -> Self {
        let mut ids: HashMap<String, u32, foldhash::fast::FixedState> = HashMap::default();
        for (id, &word) in (0..).zip(STOP_WORDS) {
            ids.insert(word.to_owned(), id);
        }
        Self {
            ids,
            words: vec![[0, 0]; STOP_WORDS.len()],
            pairs: HashMap::default(),
            totals: [0, 0],
            pair_totals: [0, 0],
        }
    }

    /// Counts `word` on `side`; its number, or `None` for a stop word.
    fn word(&mut self, word: &str, side: usize) -> Option<u32> {
        let id = match self.ids.get(word) {
            Some(&id) if id < STOPS => return None,
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
                self.ids.insert(word.to_owned(), id);
                self.words.push([0, 0]);
                id
            }
        };
        if let Some(c) = self.words.get_mut(id as usize) {
            c[side] += 1;
        }
        self.totals[side] += 1;
        Some(id)
    }

    fn pair(&mut self, first: u32, second: u32, side: usize) {
        self.pair_totals[side] += 1;
        self.pairs
            .entry(u64::from(first) << 32 | u64::from(second))
            .or_insert([0, 0])[side] += 1;
    }
}

/// Counts the terms of `texts`, adding to `done` every so many texts; `None` once
/// `cancel` is set.
fn count(
    store: &Store,
    texts: &[(TextRef, bool)],
    cancel: &AtomicBool,
    done: &AtomicUsize,
) -> Option<Tally> {
    let mut tally = Tally::new();
    let mut word = String::new();
    let mut refs = Vec::new();
    for block in texts.chunks(1024) {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        refs.clear();
        refs.extend(block.iter().map(|&(r, _)| r));
        store.read_each(&refs, |k, text| {
            let side = usize::from(!block[k].1);
            // The word before, when it was no stop word: the two make a phrase.
            let mut last: Option<u32> = None;
            each_word(text, &mut word, |word| {
                let id = tally.word(word, side);
                if let (Some(before), Some(id)) = (last, id) {
                    tally.pair(before, id, side);
                }
                last = id;
            });
        });
        done.fetch_add(block.len(), Ordering::Relaxed);
    }
    Some(tally)
}

/// Calls `f` with each word of `text`, lower-cased (typographic apostrophes made plain),
/// in `buffer`. ASCII text is split by one pass over its bytes that lower-cases as it goes,
/// as Unicode word segmentation (UAX #29) splits it; other text
/// between spaces by the segmentation itself. White space always parts words, so the two
/// agree.
fn each_word(text: &str, buffer: &mut String, mut f: impl FnMut(&str)) {
    if text.is_ascii() {
        ascii_each(text, buffer, &mut f);
        return;
    }
    for part in text.split_ascii_whitespace() {
        if part.is_ascii() {
            ascii_each(part, buffer, &mut f);
            continue;
        }
        for w in part.unicode_words() {
            buffer.clear();
            buffer.extend(
                w.chars()
                    .flat_map(char::to_lowercase)
                    .map(|c| if c == '\u{2019}' { '\'' } else { c }),
            );
            f(buffer);
        }
    }
}

/// [`each_word`] for ASCII text: runs of letters, digits and `_`, joined across an
/// apostrophe, `.` or `:` between letters (`don't`) and across `.`, `,` or `'` between
/// digits (`3.5`), as the segmentation joins them; lower-cased.
fn ascii_each(text: &str, buffer: &mut String, f: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    buffer.clear();
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            buffer.push(char::from(b.to_ascii_lowercase()));
            continue;
        }
        if buffer.is_empty() {
            continue;
        }
        let before = bytes[i - 1];
        let after = bytes.get(i + 1).copied().unwrap_or(b' ');
        let joins =
            match b {
                b'\'' | b'.' | b':' => before.is_ascii_alphabetic() && after.is_ascii_alphabetic(),
                b',' => before.is_ascii_digit() && after.is_ascii_digit(),
                _ => false,
            } || (matches!(b, b'.' | b'\'') && before.is_ascii_digit() && after.is_ascii_digit());
        if joins {
            buffer.push(char::from(b));
        } else {
            f(buffer);
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        f(buffer);
    }
}

/// The threads' tallies as one count per term (phrases as text), keeping only the phrases
/// met `min` times or more (every word is kept: the prior is drawn from them). Phrases
/// are merged by the numbers of their words in one vocabulary, and only those kept are
/// written out.
fn combine(tallies: Vec<Tally>, min: u64) -> (Counts, [[u64; 2]; 2]) {
    let mut global: HashMap<String, u32, foldhash::fast::FixedState> = HashMap::default();
    let mut words: Vec<[u64; 2]> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut pairs: HashMap<u64, [u64; 2], foldhash::fast::FixedState> = HashMap::default();
    let mut totals = [0u64; 2];
    let mut pair_totals = [0u64; 2];
    for tally in tallies {
        totals[0] += tally.totals[0];
        totals[1] += tally.totals[1];
        pair_totals[0] += tally.pair_totals[0];
        pair_totals[1] += tally.pair_totals[1];
        // This tally's word numbers in the vocabulary of all.
        let mut to_global = vec![0u32; tally.words.len()];
        for (word, id) in tally.ids {
            if id < STOPS {
                continue;
            }
            let next = u32::try_from(words.len()).unwrap_or(u32::MAX);
            let g = *global.entry(word.clone()).or_insert_with(|| {
                words.push([0, 0]);
                names.push(word);
                next
            });
            if let Some(slot) = to_global.get_mut(id as usize) {
                *slot = g;
            }
            let c = tally.words[id as usize];
            let w = &mut words[g as usize];
            w[0] += c[0];
            w[1] += c[1];
        }
        if pairs.is_empty() {
            pairs.reserve(tally.pairs.len());
        }
        for (key, c) in tally.pairs {
            let (a, b) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
            let key = u64::from(to_global[a]) << 32 | u64::from(to_global[b]);
            let e = pairs.entry(key).or_insert([0, 0]);
            e[0] += c[0];
            e[1] += c[1];
        }
    }
    let mut counts = Counts::default();
    for (key, c) in pairs {
        if c[0] + c[1] >= min {
            let (a, b) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
            counts.insert(format!("{} {}", names[a], names[b]), c);
        }
    }
    for (name, c) in names.into_iter().zip(words) {
        counts.insert(name, c);
    }
    (counts, [totals, pair_totals])
}

/// The keywords of `sides`, counted on every core. `done` counts the texts read, for a
/// progress line; `None` once `cancel` is set.
#[must_use]
pub fn keywords(
    store: &Store,
    sides: &Sides,
    names: [String; 2],
    cancel: &AtomicBool,
    done: &AtomicUsize,
) -> Option<Keywords> {
    let share = sides.texts.len().div_ceil(crate::tuning::threads()).max(1);
    let parts: Vec<Option<Tally>> = std::thread::scope(|scope| {
        let handles: Vec<_> = sides
            .texts
            .chunks(share)
            .map(|slice| scope.spawn(move || count(store, slice, cancel, done)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(None))
            .collect()
    });
    let tallies: Option<Vec<Tally>> = parts.into_iter().collect();
    let min = min_count(sides.reviews[0] + sides.reviews[1]);
    let (counts, totals) = combine(tallies?, min);
    let terms = rank(&counts, totals, min);
    Some(Keywords {
        split: sides.split.unwrap_or(Split::ViewAgainstRest),
        names,
        reviews: sides.reviews,
        terms,
        hidden_left_out: sides.hidden_left_out,
        min_count: min,
    })
}

/// The z-score of a term counted `y` on each side of `n` terms.
#[must_use]
#[allow(clippy::cast_precision_loss)]
pub fn z_score(y: [u64; 2], n: [u64; 2]) -> f64 {
    let (ya, yb) = (y[0] as f64, y[1] as f64);
    let (na, nb) = (n[0] as f64, n[1] as f64);
    let alpha = PRIOR * (ya + yb) / (na + nb).max(1.0);
    let odds = |y: f64, n: f64| ((y + alpha) / (n + PRIOR - y - alpha)).ln();
    let delta = odds(ya, na) - odds(yb, nb);
    let variance = 1.0 / (ya + alpha) + 1.0 / (yb + alpha);
    delta / variance.sqrt()
}

/// Each side's [`TOP`] terms by z-score, among those met at least `min` times; a word's
/// odds are taken against the words on each side (`totals[0]`), a phrase's against the
/// phrases (`totals[1]`), as each is a count of its own kind.
fn rank(counts: &Counts, totals: [[u64; 2]; 2], min: u64) -> [Vec<Keyword>; 2] {
    let mut scored: Vec<Keyword> = counts
        .iter()
        .filter(|(_, c)| c[0] + c[1] >= min)
        .map(|(term, &c)| Keyword {
            term: term.clone(),
            z: z_score(c, totals[usize::from(term.contains(' '))]),
            counts: c,
        })
        .collect();
    scored.sort_unstable_by(|a, b| b.z.total_cmp(&a.z).then_with(|| a.term.cmp(&b.term)));
    let first: Vec<Keyword> = scored
        .iter()
        .filter(|k| k.z > 0.0)
        .take(TOP)
        .cloned()
        .collect();
    let second: Vec<Keyword> = scored
        .iter()
        .rev()
        .filter(|k| k.z < 0.0)
        .take(TOP)
        .cloned()
        .collect();
    [first, second]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Rating, Review, Source, StoreBuilder};

    #[test]
    fn ascii_words_split_as_unicode_segmentation_does() {
        for text in [
            "Ünïcödé café's “quoted” words, DON’T",
            "Don't stop: it's 3.5/10, a U.S. film -- e.g. 'quoted' words_with_under 1,000 a.b",
            "  trailing... end.",
        ] {
            let mut fast = Vec::new();
            each_word(text, &mut String::new(), |w| fast.push(w.to_string()));
            let slow: Vec<String> = text
                .unicode_words()
                .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
                .collect();
            assert_eq!(fast, slow, "{text}");
        }
    }

    #[test]
    fn stop_words_are_sorted_for_the_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    /// A small case worked by hand: y = (10, 2) of n = (100, 100), α₀ = 1000, so
    /// α = 1000·12/200 = 60; δ = ln(70/1030) − ln(62/1038) = −2.68882 + 2.81792 = 0.12910;
    /// σ² = 1/70 + 1/62 = 0.030415; z = 0.12910/0.17440 = 0.7402.
    #[test]
    fn the_log_odds_score_matches_a_hand_computed_case() {
        let z = z_score([10, 2], [100, 100]);
        assert!((z - 0.7402).abs() < 0.0005, "{z}");
        assert!(z_score([2, 10], [100, 100]) + z < 1e-12, "symmetric");
        assert!(z_score([5, 5], [100, 100]).abs() < 1e-12, "even");
    }

    fn doc(rows: &[(u8, &str)]) -> Document {
        let mut b = StoreBuilder::new(String::new());
        let reviews = rows
            .iter()
            .map(|&(rating, text)| Review {
                rating: Rating::of_ten(rating),
                title: b.push(""),
                body: b.push(text),
                ..Review::default()
            })
            .collect();
        Document::new(Source::default(), reviews, b.finish())
    }

    /// Generated reviews with one word planted in the high ones and another in the low:
    /// each tops its side, with its counts.
    #[test]
    fn a_planted_word_tops_its_side() {
        let filler = [
            "the film",
            "a story",
            "some actors",
            "its music",
            "the ending",
        ];
        let mut rows = Vec::new();
        for n in 0..300 {
            let f = filler[n % filler.len()];
            let (rating, planted) = match n % 3 {
                0 => (9, "dazzling"),
                1 => (2, "tedious"),
                _ => (5, "dazzling tedious"),
            };
            let text = if n % 10 == 0 {
                format!("{f} was fine")
            } else {
                format!("{f} was {planted}, honestly {planted}")
            };
            rows.push((rating, text));
        }
        let rows: Vec<(u8, &str)> = rows.iter().map(|(r, t)| (*r, t.as_str())).collect();
        let d = doc(&rows);
        let view: Vec<usize> = (0..d.reviews.len()).collect();
        let sides = sides(&d, &view, false, |_| false).expect("rated");
        assert_eq!(sides.split, Some(Split::Rating));
        assert_eq!(sides.reviews, [100, 100], "the middle third is left out");
        let never = AtomicBool::new(false);
        let done = AtomicUsize::new(0);
        let k = keywords(
            d.store(),
            &sides,
            ["high".into(), "low".into()],
            &never,
            &done,
        )
        .expect("not cancelled");
        assert_eq!(k.terms[0][0].term, "dazzling");
        assert_eq!(k.terms[0][0].counts, [180, 0]);
        assert_eq!(k.terms[1][0].term, "tedious");
        assert!(k.terms[0][0].z > 5.0 && k.terms[1][0].z < -5.0);
        assert!(
            k.terms
                .iter()
                .flatten()
                .all(|t| !t.term.split(' ').any(|w| STOP_WORDS.contains(&w))),
            "no stop words, alone or in phrases"
        );
        assert_eq!(done.load(Ordering::Relaxed), sides.texts.len());
    }

    #[test]
    fn hidden_spoiler_bodies_are_left_out() {
        let d = doc(&[(9, "secretword great"), (9, "great"), (1, "awful")]);
        let view = [0, 1, 2];
        let sides = sides(&d, &view, false, |i| i == 0).expect("rated");
        assert_eq!(sides.hidden_left_out, 1);
        let never = AtomicBool::new(false);
        let k = keywords(
            d.store(),
            &sides,
            [String::new(), String::new()],
            &never,
            &AtomicUsize::new(0),
        )
        .expect("runs");
        assert!(
            k.terms
                .iter()
                .flatten()
                .all(|t| !t.term.contains("secretword"))
        );
    }

    #[test]
    fn a_view_against_the_rest_and_nothing_to_split() {
        let d = doc(&[(5, "x"), (5, "y"), (5, "z")]);
        assert!(
            sides(&d, &[0, 1, 2], false, |_| false).is_none(),
            "all middling"
        );
        let s = sides(&d, &[1], true, |_| false).expect("view against rest");
        assert_eq!(s.reviews, [1, 2]);
        assert!(sides(&d, &[0, 1, 2], true, |_| false).is_none(), "no rest");
    }
}
