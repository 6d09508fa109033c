//! Properties that hold for any input, checked with proptest: the loaders never panic (on
//! arbitrary bytes, on review-shaped noise, on the real samples mutated), what revue exports
//! loads back the same, the query only ever returns each review index once and in range, and
//! the layout helpers never make a line wider than asked or lose text.

use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::test_runner::Config;

use revue::export::{self, OutputFormat};
use revue::load::{Format, Loaded, load_bytes};
use revue::model::Document;
use revue::query::{self, Query, RatingSet, Search, SortKey};
use revue::sanitize::is_clean;
use revue::wrap::{fit, width, wrap};

const SAMPLES: [&[u8]; 3] = [
    include_bytes!("../data/pusher-ii-reviews.txt"),
    include_bytes!("../data/imdb-2024-layout-worlds-end.html"),
    include_bytes!("../data/imdb-legacy-layout-review.html"),
];

/// Every way to load: detection, then each format forced.
const FORMATS: [Option<Format>; 6] = [
    None,
    Some(Format::Text),
    Some(Format::Json),
    Some(Format::Jsonl),
    Some(Format::Csv),
    Some(Format::Html),
];

/// Loads `bytes` every way; a document that loads holds only sanitized text.
fn load_every_way(bytes: &[u8]) {
    for format in FORMATS {
        if let Ok(loaded) = load_bytes(bytes.to_vec(), "prop", format) {
            assert_sane(&loaded, format);
        }
    }
}

fn assert_sane(loaded: &Loaded, format: Option<Format>) {
    let doc = &loaded.document;
    assert!(
        !doc.reviews.is_empty(),
        "{format:?}: loaded with no reviews"
    );
    for r in &doc.reviews {
        for text in [doc.title(r), doc.author(r), doc.body(r)] {
            assert!(is_clean(&text), "{format:?}: unsanitized {text:?}");
        }
        // A rating lies on its own scale, and the scale is one revue knows.
        assert!(r.rating.is_none_or(|n| {
            n.value() > 0.0 && n.value() <= f64::from(n.scale()) && (1..=100).contains(&n.scale())
        }));
        assert!(usize::from(r.source) < doc.sources.len());
    }
    for w in &loaded.warnings {
        assert!(is_clean(&w.message), "{format:?}: unsanitized warning {w}");
    }
}

/// Pieces that steer the loaders into their interesting paths when strung together.
fn review_noise() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Permalink\n".to_string()),
        Just("8/10\n".to_string()),
        Just("10/10".to_string()),
        Just("Warning: Spoilers\n".to_string()),
        Just(" out of ".to_string()),
        Just(" found this helpful. Was this review helpful? Sign in to vote.\n".to_string()),
        Just("18446744073709551616".to_string()),
        Just("1,413".to_string()),
        Just("0 out of 0".to_string()),
        Just("11 March 2006\n".to_string()),
        Just("31 February 2024".to_string()),
        Just("User Reviews\n44 Reviews\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("<article class=\"user-review-item\">".to_string()),
        Just("<div class=\"review-container\">".to_string()),
        Just("<br>".to_string()),
        Just("&#27;&#x202e;&amp;".to_string()),
        Just("</div></article>".to_string()),
        Just("{\"reviews\":[{\"title\":\"".to_string()),
        Just("\"},".to_string()),
        Just("\"rating\":".to_string()),
        Just("\\u001b\\ud800".to_string()),
        Just("rating,title,author,date,body,helpful,not_helpful,film\n".to_string()),
        Just("\"a,\"\"b\"\"\n\",".to_string()),
        Just("\u{1b}[31m\u{9b}\u{202e}\u{2028}".to_string()),
        Just("漢字👩\u{200d}💻e\u{301}".to_string()),
        "[a-zA-Z0-9 ]{0,12}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// One way to damage a document, at a place given as a fraction of its length (`at`/65536).
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: u16, len: usize },
    Insert { at: u16, bytes: Vec<u8> },
    Flip { at: u16, byte: u8 },
    Duplicate { at: u16, len: usize },
    Truncate { at: u16 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<u16>();
    prop_oneof![
        (at, 1..500usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (at, prop::collection::vec(any::<u8>(), 1..40))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (at, any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (at, 1..2000usize).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        at.prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply_mutation(bytes: &mut Vec<u8>, m: &Mutation) {
    let place = |at: u16, len: usize| -> usize { usize::from(at) * len / 65536 };
    match m {
        Mutation::Delete { at, len } => {
            let start = place(*at, bytes.len());
            let end = (start + len).min(bytes.len());
            bytes.drain(start..end);
        }
        Mutation::Insert { at, bytes: new } => {
            let start = place(*at, bytes.len());
            bytes.splice(start..start, new.iter().copied());
        }
        Mutation::Flip { at, byte } => {
            if !bytes.is_empty() {
                let i = place(*at, bytes.len() - 1);
                bytes[i] = *byte;
            }
        }
        Mutation::Duplicate { at, len } => {
            let start = place(*at, bytes.len());
            let end = (start + len).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            bytes.splice(end..end, copy);
        }
        Mutation::Truncate { at } => {
            let end = place(*at, bytes.len());
            bytes.truncate(end);
        }
    }
}

/// A review as revue's JSON describes it, before loading.
#[derive(Debug, Clone)]
struct Spec {
    rating: Option<u8>,
    title: String,
    author: String,
    date: Option<(u16, u8, u8)>,
    spoiler: bool,
    helpful: u64,
    not_helpful: u64,
    body: String,
    permalink: Option<String>,
    film: Option<String>,
}

/// Text of any kind: mostly ordinary, with controls, bidi characters, wide and combining
/// characters, quotes, commas and line breaks mixed in.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[ -~]{0,40}",
        2 => "[ -~\n\r\t\u{1b}\u{7f}\u{85}\u{9b}\u{202e}\u{2066}\u{2028}\"',;]{0,40}",
        2 => "[a-z 漢字👩\u{200d}💻\u{301}\u{fe0f}🇩🇰שלום]{0,30}",
        1 => any::<String>(),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (
            prop::option::of(1..=10u8),
            any_text(),
            any_text(),
            prop::option::of((1900..2100u16, 1..=12u8, 1..=28u8)),
            any::<bool>(),
        ),
        (
            prop_oneof![any::<u64>(), 0..100u64],
            prop_oneof![any::<u64>(), 0..100u64],
            any_text(),
            prop::option::of("https://www\\.imdb\\.com/review/rw[0-9]{1,9}/"),
            prop::option::of(prop_oneof!["[A-Z][a-z]{1,8}", any_text()]),
        ),
    )
        .prop_map(
            |(
                (rating, title, author, date, spoiler),
                (helpful, not_helpful, body, permalink, film),
            )| Spec {
                rating,
                title,
                author,
                date,
                spoiler,
                helpful,
                not_helpful,
                body,
                permalink,
                film,
            },
        )
}

/// The reviews as revue's JSON, loaded: a document built the way revue builds them.
fn document(specs: &[Spec]) -> Option<Document> {
    let reviews: Vec<serde_json::Value> = specs
        .iter()
        .map(|s| {
            let mut review = serde_json::json!({
                "rating": s.rating,
                "title": s.title,
                "author": s.author,
                "date": s.date.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
                "spoiler": s.spoiler,
                "helpful": s.helpful,
                "not_helpful": s.not_helpful,
                "body": s.body,
                "permalink": s.permalink,
            });
            if let Some(film) = &s.film {
                review["film"] = film.clone().into();
            }
            review
        })
        .collect();
    let json = serde_json::to_vec(&serde_json::json!({ "reviews": reviews })).ok()?;
    load_bytes(json, "prop", Some(Format::Json))
        .ok()
        .map(|l| l.document)
}

/// What an export carries about each review, in order.
fn fields(doc: &Document) -> Vec<String> {
    let films = doc.sources.len() > 1;
    doc.reviews
        .iter()
        .map(|r| {
            let mut line = format!(
                "{:?}|{}|{}|{:?}|{}|{}|{}|{}|{:?}",
                r.rating,
                doc.title(r),
                doc.author(r),
                r.date.map(|d| d.to_string()),
                r.spoiler,
                r.helpful,
                r.not_helpful,
                doc.body(r),
                doc.permalink(r),
            );
            if films {
                let _ = write!(line, "|{:?}", doc.source_of(r).map(|s| &s.label));
            }
            line
        })
        .collect()
}

fn query() -> impl Strategy<Value = Query> {
    (
        0..SortKey::ALL.len(),
        any::<bool>(),
        prop::collection::vec(1..=10u8, 0..4),
        any::<bool>(),
        prop_oneof!["", "[a-z]{1,3}", "[a-z ]{0,8}", any_text()],
        prop::option::of(prop_oneof!["[A-Za-z]{0,3}", any_text()]),
    )
        .prop_map(|(sort, reverse, ratings, hide_spoilers, search, film)| {
            let mut set = RatingSet::default();
            for r in ratings {
                set.toggle(r);
            }
            Query {
                sort: SortKey::ALL[sort],
                reverse,
                ratings: set,
                hide_spoilers,
                search: Search::new(&search),
                film,
                verdict: None,
                dedupe: false,
                marked: false,
                label: None,
            }
        })
}

proptest! {
    #![proptest_config(Config::with_cases(256))]

    #[test]
    fn loaders_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        load_every_way(&bytes);
    }

    #[test]
    fn loaders_never_panic_on_review_shaped_noise(text in review_noise()) {
        load_every_way(text.as_bytes());
    }

    #[test]
    fn wrap_keeps_every_character_in_order(
        text in any_text().prop_map(|t| revue::sanitize::sanitize(&t).into_owned()),
        columns in 1..120usize,
    ) {
        let lines = wrap(&text, columns);
        let mut previous_end = 0;
        let mut kept = String::new();
        for range in &lines {
            prop_assert!(range.start >= previous_end && range.start <= range.end);
            let line = &text[range.clone()];
            prop_assert!(!line.contains('\n'));
            kept.push_str(line);
            previous_end = range.end;
        }
        // Only the spaces at breaks and the line breaks themselves go.
        let visible = |s: &str| s.chars().filter(|&c| c != ' ' && c != '\n').collect::<String>();
        prop_assert_eq!(visible(&kept), visible(&text));
    }

    #[test]
    fn fit_fills_exactly_the_width(
        text in any_text().prop_map(|t| revue::sanitize::sanitize(&t).into_owned()),
        columns in 0..60usize,
        right in any::<bool>(),
    ) {
        let fitted = fit(&text, columns, right);
        prop_assert_eq!(width(&fitted), columns, "{:?} -> {:?}", text, fitted);
    }
}

proptest! {
    #![proptest_config(Config::with_cases(256))]

    #[test]
    fn wrap_never_makes_a_line_wider_than_asked(
        text in any_text().prop_map(|t| revue::sanitize::sanitize(&t).into_owned()),
        columns in 1..120usize,
    ) {
        for range in wrap(&text, columns) {
            let line = &text[range];
            // Wider only when it is one grapheme that cannot be split (a wide character in
            // a one-column pane).
            prop_assert!(
                width(line) <= columns
                    || unicode_segmentation::UnicodeSegmentation::graphemes(line, true).count() == 1,
                "{:?} is wider than {}", line, columns
            );
        }
    }
}

/// The smallest case proptest found: after breaking at the leading space, `🇰ו` (two
/// columns) was carried to the new line and `漢` (two more) added without measuring again,
/// giving a four-column line in a three-column pane, which the detail pane then cut off.
#[test]
fn wrap_regression_carried_word() {
    let text = " 🇰ו漢";
    for range in wrap(text, 3) {
        assert!(width(&text[range.clone()]) <= 3, "{:?}", &text[range]);
    }
    // It takes a line that starts with one space, a word one column short of the width,
    // then a wide character: the same with plain letters and one CJK character.
    let text = "intro\n ab漢 and more";
    for range in wrap(text, 3) {
        assert!(width(&text[range.clone()]) <= 3, "{:?}", &text[range]);
    }
    // Found by the property: a lone combining mark (no width) then a wide character in a
    // one-column pane made one line two columns wide.
    let text = "\u{301}漢";
    let lines: Vec<&str> = wrap(text, 1).into_iter().map(|r| &text[r]).collect();
    assert_eq!(lines, ["\u{301}", "漢"]);
}

proptest! {
    // Each case loads several documents; fewer cases keep `cargo test` quick.
    #![proptest_config(Config::with_cases(64))]

    #[test]
    fn loaders_never_panic_on_damaged_samples(
        which in 0..SAMPLES.len(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let mut bytes = SAMPLES[which].to_vec();
        for m in &mutations {
            apply_mutation(&mut bytes, m);
        }
        load_every_way(&bytes);
    }

    #[test]
    fn exports_load_back_the_same(specs in prop::collection::vec(spec(), 1..12)) {
        let Some(doc) = document(&specs) else {
            // Every review came out empty (nothing readable); nothing to round-trip.
            return Ok(());
        };
        let all: Vec<usize> = (0..doc.reviews.len()).collect();
        for (out, back) in [
            (OutputFormat::Json, Format::Json),
            (OutputFormat::Jsonl, Format::Jsonl),
            (OutputFormat::Csv, Format::Csv),
        ] {
            let mut bytes = Vec::new();
            export::write(&mut bytes, &doc, &all, out).expect("export to memory");
            // Detected, and forced, the format loads back.
            for format in [None, Some(back)] {
                let loaded = load_bytes(bytes.clone(), "prop", format)
                    .map_err(|e| TestCaseError::fail(format!("{out:?} does not load back: {e}")))?;
                prop_assert_eq!(fields(&loaded.document), fields(&doc), "{:?} via {:?}", out, format);
                prop_assert!(loaded.warnings.is_empty(), "{:?}: {:?}", out, loaded.warnings);
            }
        }
    }

    #[test]
    fn the_query_keeps_each_index_once_and_in_range(
        specs in prop::collection::vec(spec(), 1..40),
        query in query(),
    ) {
        let Some(doc) = document(&specs) else {
            return Ok(());
        };
        let view = query::apply(&doc, &query);
        let mut seen = vec![false; doc.reviews.len()];
        for &i in &view {
            prop_assert!(i < doc.reviews.len(), "index {} of {}", i, doc.reviews.len());
            prop_assert!(!seen[i], "index {} twice", i);
            seen[i] = true;
        }
        // Sorting reorders what the filter keeps: no more, no fewer.
        let mut kept = query::filter(&doc, &query);
        let mut sorted = view.clone();
        kept.sort_unstable();
        sorted.sort_unstable();
        prop_assert_eq!(&sorted, &kept);
        let sources = query.sources_kept(&doc);
        for (i, &shown) in seen.iter().enumerate().take(doc.reviews.len()) {
            prop_assert_eq!(shown, query.keeps(&doc, &sources, i), "review {}", i);
        }
        // Orders with a plain value: monotone in the chosen direction, reviews without the
        // value last, ties in document order.
        let value = |i: usize| -> Option<u64> {
            let r = &doc.reviews[i];
            match query.sort {
                SortKey::Rating => r.rating.map(|r| u64::from(r.whole())),
                SortKey::Votes => Some(r.total_votes()),
                SortKey::Date => r.date.map(|d| {
                    u64::from(d.year()) * 10_000 + u64::from(d.month()) * 100 + u64::from(d.day())
                }),
                _ => None,
            }
        };
        if matches!(query.sort, SortKey::Rating | SortKey::Votes | SortKey::Date) {
            for pair in view.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                match (value(a), value(b)) {
                    (Some(x), Some(y)) => {
                        let in_order = if query.reverse { x <= y } else { x >= y };
                        prop_assert!(in_order, "{:?} then {:?}", x, y);
                        if x == y {
                            prop_assert!(a < b, "tie out of document order");
                        }
                    }
                    (None, Some(_)) => prop_assert!(false, "a review without a value first"),
                    (None, None) => prop_assert!(a < b, "tie out of document order"),
                    (Some(_), None) => {}
                }
            }
        }
        if query.sort == SortKey::Featured && !query.reverse {
            prop_assert!(view.windows(2).all(|w| w[0] < w[1]));
        }
    }

    /// The app's search over whole stretches of text finds exactly the reviews the
    /// review-by-review check keeps, however the loader laid the text out.
    #[test]
    fn the_whole_document_search_agrees_with_review_by_review(
        specs in prop::collection::vec(spec(), 1..40),
        words in prop_oneof!["[a-e]{1,2}", "[a-e ]{1,6}", "[ -~]{1,4}", any_text()],
    ) {
        let Some(doc) = document(&specs) else {
            return Ok(());
        };
        let search = Search::new(&words);
        let never = std::sync::atomic::AtomicBool::new(false);
        let all: Vec<usize> = (0..doc.reviews.len()).collect();
        for out in [OutputFormat::Json, OutputFormat::Jsonl, OutputFormat::Csv] {
            let mut bytes = Vec::new();
            export::write(&mut bytes, &doc, &all, out).expect("export to memory");
            let Ok(loaded) = load_bytes(bytes, "prop", None) else {
                continue;
            };
            let d = &loaded.document;
            let every: Vec<usize> = (0..d.reviews.len()).collect();
            let whole = query::search_reviews(d, &search, None, &never);
            let each = query::search_reviews(d, &search, Some(&every), &never);
            prop_assert_eq!(whole, each, "{:?} in {:?}", &words, out);
        }
    }
}
