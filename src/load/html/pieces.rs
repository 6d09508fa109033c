//! Large saved pages, read a review at a time: html5ever's tree of a whole page takes five
//! times the page's size and its building slows as the tree grows, while each review
//! element holds all of its fields. The page's head (before the first review) is parsed for
//! what the page says of its film; each review element, from its start tag to the next
//! one's, is parsed on its own.

use super::{Reader, old, parse, read_source, review_items};
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

/// The page read a review at a time; given back when it has fewer than two review
/// elements (a page from before 2017, a fragment), to be read whole. The warnings so far
/// are taken over when it is not.
pub(super) fn load(
    html: String,
    label: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Loaded, String> {
    let starts = item_starts(&html);
    if starts.len() < 2 {
        return Err(html);
    }
    let head = parse::document(&html[..starts[0]]);
    let pieces = cut(html, &starts);
    // Runs of review elements, one per core, each read into a document of its own.
    let per_thread = pieces.len().div_ceil(crate::tuning::threads());
    let mut runs = Vec::new();
    let mut pieces = pieces.into_iter();
    loop {
        let run: Vec<String> = pieces.by_ref().take(per_thread).collect();
        if run.is_empty() {
            break;
        }
        runs.push(run);
    }
    let parts: Vec<(Document, Vec<Warning>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .enumerate()
            .map(|(t, run)| scope.spawn(move || read_run(run, t * per_thread)))
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
    Ok(Loaded::new(document, all_warnings))
}

/// The review elements of `html`, from each start to the next, each in memory of its own:
/// cut from the end, the page's memory shrinking as they are, so the page is never held
/// twice. The head before the first start goes.
fn cut(mut html: String, starts: &[usize]) -> Vec<String> {
    let mut pieces: Vec<String> = starts
        .iter()
        .rev()
        .map(|&start| {
            let piece = html[start..].to_owned();
            html.truncate(start);
            // Memory is given back a mebibyte or more at a time, not once per review.
            if html.capacity() - html.len() >= 1 << 20 {
                html.shrink_to_fit();
            }
            piece
        })
        .collect();
    pieces.reverse();
    pieces
}

/// Reads a run of pieces whose first is review `first + 1`, each piece let go once parsed
/// and each tree before its reviews' text is copied into the run's store.
fn read_run(run: Vec<String>, first: usize) -> (Document, Vec<Warning>) {
    let mut reader = Reader {
        store: StoreBuilder::new(String::new()),
        reviews: Vec::new(),
        warnings: Vec::new(),
    };
    for (k, piece) in run.into_iter().enumerate() {
        let tree = parse::fragment(&piece);
        drop(piece);
        // Each piece holds one review element: its number is its piece's.
        let read: Vec<_> = review_items(tree.root_element())
            .into_iter()
            .filter_map(|(item, layout)| reader.read_review(item, layout, first + k + 1))
            .collect();
        drop(tree);
        for review in &read {
            reader.add(review);
        }
    }
    let document = Document::new(Source::default(), reader.reviews, reader.store.finish());
    (document, reader.warnings)
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
        let pieces = load(page.clone(), "x", &mut Vec::new()).expect("in pieces");
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
