//! Benchmarks for the speed goals: load throughput per format, the query (filter + sort) at a
//! million reviews, search, and rendering one frame at a million reviews.
//!
//! The data is generated here from the built-in sample (its reviews, reshuffled and
//! renumbered), so nothing large is committed. `cargo bench` runs them all;
//! `cargo bench -- load` runs one group. Set `REVUE_BENCH_REVIEWS` to change the size of
//! the large document (default 1,000,000).

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use revue::app::App;
use revue::export::{self, OutputFormat};
use revue::load::{Format, load_bytes};
use revue::model::{Document, MONTHS};
use revue::query::{self, Query, RatingSet, Search, SortKey};
use revue::read::SAMPLE;
use revue::ui::{self, Theme};

/// A copied-page text of `n` reviews made from the sample's reviews.
fn synthetic_text(n: usize) -> String {
    let sample = load_bytes(SAMPLE.as_bytes().to_vec(), "sample", Some(Format::Text))
        .expect("sample loads")
        .document;
    let mut out = String::with_capacity(n * 1500);
    out.push_str("Synthetic (2024) Poster\n\n(2024)\n\nUser Reviews\n\n");
    let _ = writeln!(out, "{n} Reviews");
    for i in 0..n {
        let r = &sample.reviews[i % sample.reviews.len()];
        let rating = (i * 7 + 3) % 11;
        if rating > 0 {
            let _ = writeln!(out, "{rating}/10");
        }
        let _ = writeln!(out, "{} #{i}", sample.title(r));
        let day = i % 28 + 1;
        let _ = writeln!(out, "user{i}x{day} {} {}", MONTHS[i % 12], 2000 + i % 25);
        if i % 13 == 0 {
            out.push_str("Warning: Spoilers\n");
        }
        // Paragraphs of the sample, rotated so bodies differ in length and text.
        let body = sample.body(r);
        let cut = body.len() * (i % 5) / 10;
        let cut = (cut..body.len())
            .find(|&c| body.is_char_boundary(c))
            .unwrap_or(0);
        out.push_str(&body[cut..]);
        out.push_str("\n\n");
        out.push_str(&body[..cut]);
        let _ = writeln!(
            out,
            "\n{} out of {} found this helpful. Was this review helpful? Sign in to vote.\nPermalink",
            i % 50,
            i % 50 + i % 7
        );
    }
    out.push_str("See also\n");
    out
}

/// JSON Lines in the shape of Amazon's 2014 reviews (FORMATS.md §4), read through its
/// preset: what loading review data from elsewhere costs next to revue's own JSON Lines.
/// Bodies are the sample's, with the escapes such dumps hold (quotes, line breaks, `\u`).
fn amazon_jsonl(doc: &Document, n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 700);
    for i in 0..n {
        let r = &doc.reviews[i % doc.reviews.len()];
        let body = serde_json::to_string(&doc.body(r)).expect("a string");
        let summary = serde_json::to_string(&doc.title(r)).expect("a string");
        let up = i % 40;
        let _ = writeln!(
            out,
            r#"{{"reviewerID": "A{i:013X}", "asin": "B{:09}", "reviewerName": "reader {i}", "helpful": [{up}, {}], "reviewText": {body}, "overall": {}.0, "summary": {summary}, "unixReviewTime": {}, "reviewTime": "01 {}, 2014"}}"#,
            i % 5000,
            up + i % 9,
            i % 5 + 1,
            1_300_000_000 + i * 3600,
            i % 28 + 1,
        );
    }
    out.into_bytes()
}

fn export(doc: &Document, format: OutputFormat) -> Vec<u8> {
    let indices: Vec<usize> = (0..doc.reviews.len()).collect();
    let mut out = Vec::new();
    export::write(&mut out, doc, &indices, format).expect("export");
    out
}

fn load_throughput(c: &mut Criterion) {
    let text = synthetic_text(20_000);
    let doc = load_bytes(text.clone().into_bytes(), "x", None)
        .expect("loads")
        .document;
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    let html = include_bytes!("../tests/data/imdb-2024-layout-worlds-end.html").to_vec();
    for (name, format, bytes) in [
        ("text", Format::Text, text.into_bytes()),
        ("json", Format::Json, export(&doc, OutputFormat::Json)),
        ("jsonl", Format::Jsonl, export(&doc, OutputFormat::Jsonl)),
        ("csv", Format::Csv, export(&doc, OutputFormat::Csv)),
        ("html", Format::Html, html),
        ("amazon_jsonl", Format::Jsonl, amazon_jsonl(&doc, 20_000)),
    ] {
        group.throughput(Throughput::BytesDecimal(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter_batched(
                || bytes.clone(),
                |bytes| black_box(load_bytes(bytes, "x", Some(format)).expect("loads")),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

fn large_document() -> Document {
    let n = std::env::var("REVUE_BENCH_REVIEWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    load_bytes(synthetic_text(n).into_bytes(), "large", None)
        .expect("loads")
        .document
}

fn query_at_scale(c: &mut Criterion) {
    let doc = large_document();
    let mut group = c.benchmark_group("query_1m");
    group.sample_size(10);
    for key in SortKey::ALL {
        group.bench_function(format!("sort_{}", key.name()), |b| {
            let q = Query {
                sort: key,
                ..Query::default()
            };
            b.iter(|| black_box(query::apply(&doc, &q)));
        });
    }
    group.bench_function("filter_rating_8_10_sort_helpful", |b| {
        let q = Query {
            sort: SortKey::Helpful,
            ratings: RatingSet::range(8, 10),
            hide_spoilers: true,
            ..Query::default()
        };
        b.iter(|| black_box(query::apply(&doc, &q)));
    });
    group.bench_function("search_reviews_baseball_all_cores", |b| {
        let search = Search::new("baseball");
        let cancel = std::sync::atomic::AtomicBool::new(false);
        b.iter(|| black_box(query::search_reviews(&doc, &search, None, &cancel)));
    });
    group.bench_function("search_baseball", |b| {
        let q = Query {
            search: Search::new("baseball"),
            ..Query::default()
        };
        b.iter(|| black_box(query::apply(&doc, &q)));
    });
    group.finish();

    let mut group = c.benchmark_group("render_1m");
    group.sample_size(20);
    let mut app = App::new(doc, Query::default(), Vec::new());
    let theme = Theme::colored();
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    group.bench_function("frame_160x48", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| {
                    app.prepare(frame.area());
                    ui::draw(frame, &app, theme);
                })
                .expect("draw");
        });
    });
    group.bench_function("next_review_and_frame", |b| {
        b.iter(|| {
            app.update(revue::keymap::Action::SelectNext);
            app.prepare(Rect::new(0, 0, 160, 48));
            terminal
                .draw(|frame| ui::draw(frame, &app, theme))
                .expect("draw");
        });
    });
    group.finish();
}

/// The document of `path` loaded as the app loads a file: read in pieces on every core, its
/// text left in the file.
fn load_in_file(path: &std::path::Path) -> Document {
    let options = revue::load::Options {
        keep: revue::load::Keep {
            spill_dir: Some(std::env::temp_dir()),
            ..revue::load::Keep::default()
        },
        ..revue::load::Options::default()
    };
    let inputs = vec![revue::read::Input::File(path.to_path_buf())];
    let events = revue::collect::spawn(inputs, None, options, u64::MAX, None);
    let mut collector = revue::collect::Collector::new(vec!["x".into()]);
    let mut doc = Document::default();
    let mut warnings = Vec::new();
    for event in events {
        collector.apply(&mut doc, &mut warnings, event);
    }
    doc
}

/// The million reviews of [`large_document`] with their text left in a file (issue 21): the
/// load, and what reads the text back (a search, an export) against the same in memory.
fn text_in_file(c: &mut Criterion) {
    let n = std::env::var("REVUE_BENCH_REVIEWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("large.txt");
    std::fs::write(&path, synthetic_text(n)).expect("written");
    let doc = load_in_file(&path);
    assert!(doc.text_bytes() < doc.store().bytes_in_files() as usize / 10);
    let mut group = c.benchmark_group("in_file_1m");
    group.sample_size(10);
    group.bench_function("load", |b| b.iter(|| black_box(load_in_file(&path))));
    group.bench_function("search_reviews_baseball_all_cores", |b| {
        let search = Search::new("baseball");
        let cancel = std::sync::atomic::AtomicBool::new(false);
        b.iter(|| black_box(query::search_reviews(&doc, &search, None, &cancel)));
    });
    group.bench_function("sort_length", |b| {
        let q = Query {
            sort: SortKey::Length,
            ..Query::default()
        };
        b.iter(|| black_box(query::apply(&doc, &q)));
    });
    group.bench_function("export_jsonl", |b| {
        b.iter(|| black_box(export(&doc, OutputFormat::Jsonl)));
    });
    group.finish();
}

criterion_group!(benches, load_throughput, query_at_scale, text_in_file);
criterion_main!(benches);
