//! The IMDb review page as it was before 2017 (FORMATS.md §4, last row): no review element
//! of its own. Each review is a plain `<div>` holding `<small>X out of Y people found the
//! following review useful:</small>`, the title in `<h2>`, the rating as `<img alt="8/10">`,
//! `<b>Author:</b> <a href="/user/urN/">name</a>` and the date in a `<small>`; its body is
//! the `<p>` after that `<div>`, after a `<p>` saying the review may contain spoilers. The
//! page says `N reviews in total`.

use scraper::{ElementRef, Html, Node};

use super::fields::parse_page_date;
use super::{Flow, PageReview, Reader, Visit, collapse_spaces, is_inert, text_of, walk};
use crate::load::{parse_count, parse_rating};
use crate::model::Source;

/// One review of the old layout: its header `<div>`, the body `<p>` after it, and whether
/// a spoiler notice came between them.
pub(super) struct Item<'a> {
    header: ElementRef<'a>,
    body: Option<ElementRef<'a>>,
    spoiler: bool,
}

/// The reviews of an old-layout page, in order.
pub(super) fn items(root: ElementRef<'_>) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    walk(root, |visit| {
        let Visit::Open(el) = visit else { return true };
        if is_inert(el) {
            return false;
        }
        if el.value().name() == "div" && is_header(el) {
            items.push(item(el));
            return false;
        }
        true
    });
    items
}

/// Whether a `<div>` is a review's header: an `<h2>` and a `<b>Author:</b>` of its own.
fn is_header(div: ElementRef<'_>) -> bool {
    let children = || div.children().filter_map(ElementRef::wrap);
    children().any(|c| c.value().name() == "h2")
        && children().any(|c| c.value().name() == "b" && text_of(c, Flow::Line) == "Author:")
}

/// The review whose header is `div`: the paragraphs after it, up to the next rule or
/// review, are its spoiler notice and body.
fn item(header: ElementRef<'_>) -> Item<'_> {
    let mut spoiler = false;
    let mut body = None;
    for sibling in header.next_siblings() {
        let Some(el) = ElementRef::wrap(sibling) else {
            if matches!(sibling.value(), Node::Text(t) if !t.trim().is_empty()) {
                break;
            }
            continue;
        };
        match el.value().name() {
            "p" => {
                let text = text_of(el, Flow::Line);
                if text.contains("This review may contain spoilers") {
                    spoiler = true;
                } else {
                    body = Some(el);
                    break;
                }
            }
            _ => break,
        }
    }
    Item {
        header,
        body,
        spoiler,
    }
}

/// The votes in `54 out of 62 people found the following review useful:`.
fn votes(text: &str) -> Option<(u64, u64)> {
    let (helpful, rest) = text.trim().split_once(" out of ")?;
    let (total, rest) = rest.split_once(' ')?;
    if !rest.starts_with("people found the following review useful") {
        return None;
    }
    crate::load::votes::votes_from_counts(helpful, total)?.ok()
}

impl Reader {
    /// Reads one review of the old layout; a part that is missing leaves its field empty
    /// and is named in one warning (a review with no votes yet has no votes line, and the
    /// old pages gave reviews no permalink: neither is a problem). The caller adds it.
    pub(super) fn read_old(&mut self, item: &Item<'_>, n: usize) -> PageReview {
        let children: Vec<ElementRef<'_>> = item
            .header
            .children()
            .filter_map(ElementRef::wrap)
            .collect();
        let named = |name: &'static str| {
            children
                .iter()
                .copied()
                .filter(move |c| c.value().name() == name)
        };
        let mut problems = Vec::new();
        let rating = named("img")
            .filter_map(|img| img.value().attr("alt"))
            .find(|alt| alt.trim().ends_with("/10"))
            .and_then(|alt| {
                let rating = parse_rating(alt.trim());
                if rating.is_none() {
                    let alt = crate::sanitize::sanitize(alt);
                    problems.push(format!("rating {alt:?} is not from 1 to 10"));
                }
                rating
            });
        let title = named("h2").next().map(|h| text_of(h, Flow::Line));
        let author = named("a")
            .filter(|a| {
                a.value()
                    .attr("href")
                    .is_some_and(|h| h.contains("/user/ur"))
            })
            .map(|a| text_of(a, Flow::Line))
            .find(|t| !t.is_empty());
        let smalls: Vec<String> = named("small").map(|s| text_of(s, Flow::Line)).collect();
        let date = smalls.iter().find_map(|s| parse_page_date(s));
        let votes = smalls.iter().find_map(|s| votes(s));
        let body = item.body.map(|p| text_of(p, Flow::Body));
        let review = PageReview {
            rating,
            title,
            author,
            date,
            spoiler: item.spoiler,
            votes,
            body,
            permalink: None,
        };
        review.missing_text(&mut problems);
        if review.date.is_none() {
            problems.push("no date".into());
        }
        self.warn_problems(n, review.author.as_deref(), &problems);
        review
    }
}

/// The count in the old page's `44 reviews in total`, where the page says it.
pub(super) fn review_count(page: &Html, source: &mut Source) {
    if source.review_count.is_some() {
        return;
    }
    let text = page
        .root_element()
        .text()
        .find(|t| t.contains("reviews in total"))
        .map(collapse_spaces);
    let Some(text) = text else { return };
    let before = text.split("reviews in total").next().unwrap_or_default();
    let number = before.split_whitespace().last().unwrap_or_default();
    source.review_count = parse_count(number).and_then(|(n, overflow)| (!overflow).then_some(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_vote_lines() {
        assert_eq!(
            votes("54 out of 62 people found the following review useful:"),
            Some((54, 8))
        );
        assert_eq!(
            votes("1,204 out of 2,647 people found the following review useful:"),
            Some((1204, 1443))
        );
        assert_eq!(votes("from Denmark"), None);
        assert_eq!(
            votes("9 out of 3 people found the following review useful:"),
            None
        );
    }
}
