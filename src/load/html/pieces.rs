//! Large saved pages, read a review at a time: html5ever's tree of a whole page takes five
//! times the page's size and its building slows as the tree grows, while each review
//! element holds all of its fields. The page's head (before the first review) is parsed for
//! what the page says of its film; each review element, from its start tag to the next
//! one's, is parsed on its own.

use scraper::Html;

use super::{Reader, old, read_source, review_items};
use crate::load::{Loaded, Warning};
use crate::model::{Document, Source, StoreBuilder};

/// Pages at least this large are read a review at a time.
pub(super) const PIECEWISE_FROM: usize = 4 << 20;

/// The classes that mark a review element, in either layout since 2017.
const ITEM_CLASSES: [&str; 2] = ["user-review-item", "review-container"];

/// Where each review element starts (the `<` of its start tag), in order, found in the text:
/// a start tag whose `class` holds one of [`ITEM_CLASSES`] as a whole word.
pub(super) fn item_starts(html: &str) -> Vec<usize> {
    let bytes = html.as_bytes();
    let boundary = |b: Option<&u8>| matches!(b, Some(b'"' | b'\'' | b' ' | b'\t' | b'\n' | b'\r'));
    let mut starts = Vec::new();
    for class in ITEM_CLASSES {
        for (at, _) in html.match_indices(class) {
            if !boundary(at.checked_sub(1).and_then(|i| bytes.get(i)))
                || !boundary(bytes.get(at + class.len()))
            {
                continue;
            }
            let Some(lt) = memchr::memrchr(b'<', &bytes[..at]) else {
                continue;
            };
            let tag = &html[lt..at];
            if bytes.get(lt + 1) == Some(&b'/') || tag.contains('>') || !tag.contains("class") {
                continue;
            }
            starts.push(lt);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// The page read a review at a time; `None` when it has fewer than two review elements
/// (a page from before 2017, a fragment), which is then read whole.
/// The warnings so far are taken over when it is.
pub(super) fn load(html: &str, label: &str, warnings: &mut Vec<Warning>) -> Option<Loaded> {
    let starts = item_starts(html);
    if starts.len() < 2 {
        return None;
    }
    let head = Html::parse_document(&html[..starts[0]]);
    // Runs of review elements, one per core, each read into a document of its own.
    let per_thread = starts.len().div_ceil(crate::tuning::threads());
    let starts = &starts;
    let parts: Vec<(Document, Vec<Warning>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .chunks(per_thread)
            .enumerate()
            .map(|(t, group)| {
                let first = t * per_thread;
                scope.spawn(move || {
                    let mut reader = Reader {
                        store: StoreBuilder::new(String::new()),
                        reviews: Vec::new(),
                        warnings: Vec::new(),
                    };
                    for (k, &start) in group.iter().enumerate() {
                        let end = starts.get(first + k + 1).copied().unwrap_or(html.len());
                        let piece = Html::parse_fragment(&html[start..end]);
                        // Each piece holds one review element: its number is its piece's.
                        for (item, layout) in review_items(piece.root_element()) {
                            reader.read_review(item, layout, first + k + 1);
                        }
                    }
                    let doc =
                        Document::new(Source::default(), reader.reviews, reader.store.finish());
                    (doc, reader.warnings)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    let warning = Warning {
                        line: None,
                        message: "a run of reviews could not be read; left out".into(),
                    };
                    (Document::default(), vec![warning])
                })
            })
            .collect()
    });
    let mut all_warnings = std::mem::take(warnings);
    let mut document = Document::default();
    document.sources.push(Source::default());
    for (part, mut part_warnings) in parts {
        document.extend_source(0, part);
        all_warnings.append(&mut part_warnings);
    }
    let mut source = read_source(&head, label, &mut all_warnings);
    old::review_count(&head, &mut source);
    document.sources[0] = source;
    Some(Loaded::new(document, all_warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 2024 sample with its reviews repeated: read a review at a time, it gives the
    /// reviews, film and warnings the whole page gives.
    #[test]
    fn a_page_read_in_pieces_reads_as_the_whole_page() {
        let page = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/imdb-2024-layout-worlds-end.html"
        ))
        .expect("the sample");
        let first = page.find("<article").expect("reviews");
        let last = page.rfind("</article>").expect("reviews") + "</article>".len();
        let page = format!(
            "{}{}{}",
            &page[..first],
            page[first..last].repeat(3),
            &page[last..]
        );
        let whole = super::super::load(StoreBuilder::new(page.clone()), "x");
        assert!(page.len() < PIECEWISE_FROM, "the whole page is read whole");
        let pieces = load(&page, "x", &mut Vec::new()).expect("in pieces");
        assert_eq!(pieces.document.reviews.len(), 36);
        let json = |loaded: &Loaded| {
            let all: Vec<usize> = (0..loaded.document.reviews.len()).collect();
            let mut out = Vec::new();
            crate::export::write(
                &mut out,
                &loaded.document,
                &all,
                crate::export::OutputFormat::Json,
            )
            .expect("writes");
            String::from_utf8(out).expect("UTF-8")
        };
        assert_eq!(json(&pieces), json(&whole));
        assert_eq!(pieces.warnings, whole.warnings);
    }
}
