//! Loader for an IMDb "User Reviews" page saved as HTML, in its current (2024) and legacy
//! layouts (FORMATS.md §2) and the one before 2017 (`old.rs`), whole pages and fragments
//! copied from the browser's inspector.
//!
//! The page is parsed with `scraper` (html5ever). Review elements are found in one walk over
//! the tree; each field is then looked up inside its review by the page's stable hooks
//! (`data-testid` attributes, `ipc-*` classes, the legacy class names), never by the
//! generated `sc-…` class names, which change with every IMDb build.
//!
//! Text is gathered from text nodes only: comments (React leaves `<!-- -->` inside numbers),
//! `<svg>` icons, scripts, styles and templates never become review text. The tree holds its
//! own copy of the text, so the page's source is dropped once parsed and the document keeps
//! only the strings that reviews use.
//!
//! Every walk here is iterative and every lookup is a simple selector scoped to one review,
//! so the work is linear in the page's size. html5ever is not: each start tag walks its stack
//! of open elements, so 100,000 nested `<div>`s (a 1 MB file) take minutes. A quick scan of
//! the tags first finds where nesting passes [`MAX_DEPTH`], and only the page before that
//! point is parsed.

mod fields;
mod old;
mod parse;
mod pieces;
mod prescan;

use fields::{
    parse_page_date, read_current_votes, read_legacy_votes, read_permalink, read_rating,
    read_source,
};
use prescan::too_deep_at;
pub use prescan::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_FORMATTING};

use std::borrow::Cow;
use std::sync::LazyLock;

use scraper::{ElementRef, Node, Selector};

use super::{Loaded, Warning, normalize_body};
use crate::model::{Document, Rating, Review, StoreBuilder, TextRef};
use crate::sanitize::sanitize;

/// Where IMDb permalinks point; the pages hold site-relative links.
const SITE: &str = "https://www.imdb.com";

/// Parses a saved page. Never fails: a page with no review elements gives an empty
/// document, which the caller reports.
#[must_use]
pub fn load(store: StoreBuilder, label: &str) -> Loaded {
    let mut warnings = Vec::new();
    // The page is read out of memory of its own, which goes as it is parsed.
    let (mut html, _) = store.into_parts();
    if let Some(at) = too_deep_at(&html) {
        warnings.push(Warning {
            line: Some(html[..at].bytes().filter(|&b| b == b'\n').count() + 1),
            message: format!(
                "the page's markup goes past what revue reads here (more than {MAX_DEPTH} \
                 elements deep, {MAX_FORMATTING} formatting elements open, or \
                 {MAX_ATTRIBUTES} attributes on a tag); the rest of the page was not read"
            ),
        });
        html.truncate(at);
    }
    let html = if html.len() >= pieces::PIECEWISE_FROM {
        match pieces::load(html, label, &mut warnings) {
            Ok(loaded) => return loaded,
            Err(html) => html,
        }
    } else {
        html
    };
    let page = parse::document(&html);
    // The tree owns its text: free the source before reading the reviews out of it.
    drop(html);
    let mut reader = Reader {
        store: StoreBuilder::new(String::new()),
        reviews: Vec::new(),
        warnings,
    };
    let mut read = Vec::new();
    let items = review_items(page.root_element());
    for (n, &(item, layout)) in items.iter().enumerate() {
        read.extend(reader.read_review(item, layout, n + 1));
    }
    if items.is_empty() {
        // No review element of either layout: the page may be from before 2017.
        for (n, item) in old::items(page.root_element()).iter().enumerate() {
            read.push(reader.read_old(item, n + 1));
        }
    }
    let mut source = read_source(&page, label, &mut reader.warnings);
    old::review_count(&page, &mut source);
    // The reviews' text is copied into the store only once the tree (which holds the page's
    // text too) is gone: a page that is one long review peaks at twice its size, not four.
    drop(page);
    for review in &read {
        reader.add(review);
    }
    drop(read);
    Loaded::new(
        Document::new(source, reader.reviews, reader.store.finish()),
        reader.warnings,
    )
}

/// Whether text that does not start with a tag still holds a saved page: a doctype or
/// `<html>` near the top, or the review hooks of either layout anywhere.
pub(super) fn has_markup(text: &str) -> bool {
    let head = crate::model::truncate_to_boundary(text, 4096).to_ascii_lowercase();
    head.contains("<!doctype html")
        || head.contains("<html")
        || (text.contains('<')
            && (text.contains("user-review-item") || text.contains("\"review-container\"")))
}

impl PageReview {
    /// The problems of a review that lacks its title, author or body, one each.
    fn missing_text(&self, problems: &mut Vec<String>) {
        for (value, name) in [
            (&self.title, "title"),
            (&self.author, "author"),
            (&self.body, "body"),
        ] {
            if value.as_deref().is_none_or(str::is_empty) {
                problems.push(format!("no {name}"));
            }
        }
    }
}

/// What a saved page says of one review, in any layout.
struct PageReview {
    rating: Option<u8>,
    title: Option<String>,
    author: Option<String>,
    date: Option<crate::model::Date>,
    spoiler: bool,
    /// Helpful and not-helpful votes.
    votes: Option<(u64, u64)>,
    body: Option<String>,
    permalink: Option<String>,
}

/// The two page layouts; they mark the same fields with different hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// 2024 on: `article.user-review-item`, `data-testid` and `ipc-*` hooks.
    Current,
    /// About 2017–2023: `div.review-container` and plain class names.
    Legacy,
}

/// The selectors this loader relies on, each a single compound selector (or a list of them)
/// so that matching one element never walks its ancestors.
struct Hooks {
    current_item: Selector,
    current_card: Selector,
    legacy_item: Selector,
    current_rating: Selector,
    current_rating_value: Selector,
    current_title: Selector,
    heading: Selector,
    current_author: Selector,
    current_body: Selector,
    voting: Selector,
    votes_up: Selector,
    votes_down: Selector,
    legacy_rating: Selector,
    legacy_title: Selector,
    legacy_author: Selector,
    legacy_body: Selector,
    legacy_body_fallback: Selector,
    legacy_votes: Selector,
    date: Selector,
    spoiler: Selector,
    review_link: Selector,
    user_link: Selector,
    og_title: Selector,
    head_title: Selector,
    subtitle: Selector,
    legacy_heading: Selector,
    item_name: Selector,
    nobr: Selector,
    total_reviews: Selector,
    legacy_header: Selector,
    span: Selector,
}

static HOOKS: LazyLock<Hooks> = LazyLock::new(|| {
    let s = |css: &str| Selector::parse(css).expect("the selectors of this file are valid CSS");
    Hooks {
        current_item: s(".user-review-item"),
        current_card: s("[data-testid=\"review-card-parent\"]"),
        legacy_item: s(".review-container"),
        current_rating: s(".review-rating"),
        current_rating_value: s(".ipc-rating-star--rating"),
        current_title: s("[data-testid=\"review-summary\"]"),
        heading: s("h1, h2, h3, h4"),
        current_author: s("a[data-testid=\"author-link\"]"),
        current_body: s(".ipc-html-content-inner-div"),
        voting: s(".ipc-voting"),
        votes_up: s(".ipc-voting__label__count--up"),
        votes_down: s(".ipc-voting__label__count--down"),
        legacy_rating: s(".rating-other-user-rating"),
        legacy_title: s("a.title"),
        legacy_author: s(".display-name-link"),
        legacy_body: s(".text.show-more__control"),
        legacy_body_fallback: s(".content > .text"),
        legacy_votes: s(".actions"),
        date: s(".review-date"),
        spoiler: s(
            ".spoiler-warning, [data-testid=\"review-spoiler-content\"], \
             [data-testid=\"review-spoiler-button\"], .review-spoiler-button",
        ),
        review_link: s("a[href*=\"/review/rw\"]"),
        user_link: s("a[href*=\"/user/ur\"]"),
        og_title: s("meta[property=\"og:title\"]"),
        head_title: s("head > title"),
        subtitle: s("[data-testid=\"subtitle\"]"),
        legacy_heading: s(".subpage_title_block"),
        item_name: s("[itemprop=\"name\"]"),
        nobr: s(".nobr"),
        total_reviews: s("[data-testid=\"tturv-total-reviews\"]"),
        legacy_header: s(".header"),
        span: s("span"),
    }
});

/// Elements whose content is never page text.
fn is_inert(element: ElementRef<'_>) -> bool {
    matches!(
        element.value().name(),
        "script" | "style" | "template" | "noscript" | "svg" | "math" | "head" | "iframe"
    )
}

/// What [`walk`] meets, in document order.
#[derive(Debug, Clone, Copy)]
enum Visit<'a> {
    /// An element starts; the visitor answers whether to walk into it.
    Open(ElementRef<'a>),
    /// An element ends (every opened element ends, walked into or not).
    Close(ElementRef<'a>),
    Text(&'a str),
}

/// Walks the subtree of `root` (itself included) without recursion, so that no nesting
/// depth can overflow the stack. Comments and doctypes are not visited.
fn walk<'a>(root: ElementRef<'a>, mut visit: impl FnMut(Visit<'a>) -> bool) {
    let root_id = root.id();
    let mut node = *root;
    loop {
        let descend = match node.value() {
            Node::Element(_) => ElementRef::wrap(node).is_some_and(|el| visit(Visit::Open(el))),
            Node::Text(text) => {
                visit(Visit::Text(text));
                false
            }
            Node::Document | Node::Fragment => true,
            Node::Doctype(_) | Node::Comment(_) | Node::ProcessingInstruction(_) => false,
        };
        if descend && let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        // Leave this node, and every ancestor whose last child it was.
        loop {
            if let Some(el) = ElementRef::wrap(node) {
                visit(Visit::Close(el));
            }
            if node.id() == root_id {
                return;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                break;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => return,
            }
        }
    }
}

/// The review elements of the page in document order, each with its layout. The walk does
/// not go into a review, so a review element inside another is part of it, not a second
/// review; nor into inert content (templates, scripts), which holds none.
fn review_items(root: ElementRef<'_>) -> Vec<(ElementRef<'_>, Layout)> {
    let hooks = &*HOOKS;
    let find = |cards: bool| {
        let mut items = Vec::new();
        walk(root, |visit| {
            let Visit::Open(el) = visit else { return true };
            if is_inert(el) {
                return false;
            }
            let layout =
                if hooks.current_item.matches(&el) || (cards && hooks.current_card.matches(&el)) {
                    Layout::Current
                } else if hooks.legacy_item.matches(&el) {
                    Layout::Legacy
                } else {
                    return true;
                };
            items.push((el, layout));
            false
        });
        items
    };
    let items = find(false);
    // A fragment copied from inside the review articles has only the cards.
    if items.is_empty() { find(true) } else { items }
}

/// How the text of an element is gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// One line: every run of white space, line breaks included, becomes one space.
    Line,
    /// Paragraphs: `<br>` and literal newlines break lines, `<p>` and a blank line
    /// (two `<br>`) break paragraphs, other white space collapses as a browser shows it.
    Body,
}

/// The text nodes under `element`, sanitized and laid out for `flow`.
fn text_of(element: ElementRef<'_>, flow: Flow) -> String {
    let mut text = Gathered::new(flow);
    let line_break = if flow == Flow::Body { "\n" } else { " " };
    walk(element, |visit| {
        match visit {
            Visit::Open(el) if el.id() != element.id() && is_inert(el) => return false,
            Visit::Open(el) | Visit::Close(el) if el.id() != element.id() => {
                match el.value().name() {
                    "br" if matches!(visit, Visit::Open(_)) => text.push(line_break),
                    "p" => text.push(if flow == Flow::Body { "\n\n" } else { " " }),
                    "div" | "li" | "ul" | "ol" | "blockquote" | "h1" | "h2" | "h3" | "h4"
                    | "h5" | "h6" => text.push(line_break),
                    _ => {}
                }
            }
            Visit::Text(t) => text.push(t),
            Visit::Open(_) | Visit::Close(_) => {}
        }
        true
    });
    // White space collapses before sanitizing, because the sanitizer would turn a form
    // feed (HTML white space) into a visible control picture.
    match flow {
        Flow::Line => {
            let clean = sanitize(&collapse_spaces(&text.text)).into_owned();
            // The sanitizer turns U+2028 and U+2029 into line breaks: collapse those too.
            if clean.contains('\n') {
                collapse_spaces(&clean)
            } else {
                clean
            }
            .trim()
            .to_string()
        }
        Flow::Body => {
            // A body may be most of the page: each step keeps the text it was given when it
            // has nothing to change, and otherwise lets it go before the next.
            let clean = keep_or(text.text, sanitize);
            keep_or(clean, normalize_body)
        }
    }
}

/// Text gathered from a walk. A body's lines have their white space collapsed as they are
/// gathered, as [`collapse_spaces`] would collapse each line (`\n` and `\r` each end one),
/// so that the raw text is never held beside the collapsed text.
struct Gathered {
    flow: Flow,
    text: String,
    line_start: usize,
    in_space: bool,
}

impl Gathered {
    fn new(flow: Flow) -> Self {
        Self {
            flow,
            text: String::new(),
            line_start: 0,
            in_space: false,
        }
    }

    fn push(&mut self, part: &str) {
        if self.flow == Flow::Line {
            self.text.push_str(part);
            return;
        }
        for c in part.chars() {
            match c {
                '\n' | '\r' => {
                    self.text.push('\n');
                    self.line_start = self.text.len();
                    self.in_space = false;
                }
                c if c.is_ascii_whitespace() => self.in_space = true,
                c => {
                    if self.in_space && self.text.len() > self.line_start {
                        self.text.push(' ');
                    }
                    self.in_space = false;
                    self.text.push(c);
                }
            }
        }
    }
}

/// `step(&text)`, reusing `text`'s memory where the step returned it or a part of it.
fn keep_or(mut text: String, step: impl Fn(&str) -> Cow<'_, str>) -> String {
    let (start, len) = match step(&text) {
        Cow::Owned(changed) => return changed,
        Cow::Borrowed(part) => (part.as_ptr() as usize - text.as_ptr() as usize, part.len()),
    };
    text.truncate(start + len);
    text.drain(..start);
    text
}

/// `text` with every run of ASCII white space (HTML's white space) made one space.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            in_space = true;
            continue;
        }
        if in_space && !out.is_empty() {
            out.push(' ');
        }
        in_space = false;
        out.push(c);
    }
    out
}

/// The first element under `scope` matching `selector`.
fn first<'a>(scope: ElementRef<'a>, selector: &Selector) -> Option<ElementRef<'a>> {
    scope.select(selector).next()
}

/// Builds the reviews and warnings of one page.
struct Reader {
    store: StoreBuilder,
    reviews: Vec<Review>,
    warnings: Vec<Warning>,
}

impl Reader {
    /// Reads one review element; a part that is missing leaves its field empty and is named
    /// in one warning for the review. `None` for an element with nothing readable (warned);
    /// the caller adds the review once it has let go of the tree.
    fn read_review(
        &mut self,
        item: ElementRef<'_>,
        layout: Layout,
        n: usize,
    ) -> Option<PageReview> {
        let hooks = &*HOOKS;
        let mut problems: Vec<String> = Vec::new();

        let rating = read_rating(item, layout, &mut problems);

        let title_element = match layout {
            Layout::Current => first(item, &hooks.current_title)
                .map(|summary| first(summary, &hooks.heading).unwrap_or(summary)),
            Layout::Legacy => first(item, &hooks.legacy_title),
        };
        let title = title_element.map(|el| text_of(el, Flow::Line));

        let author_element = match layout {
            Layout::Current => first(item, &hooks.current_author),
            Layout::Legacy => first(item, &hooks.legacy_author),
        }
        .or_else(|| first(item, &hooks.user_link));
        let author = author_element.map(|el| text_of(el, Flow::Line));

        let date_text = first(item, &hooks.date).map(|el| text_of(el, Flow::Line));
        let date = date_text.as_deref().and_then(parse_page_date);
        match &date_text {
            None => problems.push("no date".into()),
            Some(text) if date.is_none() => problems.push(format!("date {text:?} not understood")),
            Some(_) => {}
        }

        let spoiler = first(item, &hooks.spoiler).is_some();

        let body_element = match layout {
            Layout::Current => first(item, &hooks.current_body),
            Layout::Legacy => {
                first(item, &hooks.legacy_body).or_else(|| first(item, &hooks.legacy_body_fallback))
            }
        };
        let body = body_element.map(|el| text_of(el, Flow::Body));

        let votes = match layout {
            Layout::Current => read_current_votes(item, &mut problems),
            Layout::Legacy => read_legacy_votes(item, &mut problems),
        };

        let permalink = read_permalink(item, layout);

        let found_anything = rating.is_some()
            || [&title, &author, &body, &date_text]
                .iter()
                .any(|t| t.as_deref().is_some_and(|t| !t.is_empty()))
            || votes.is_some()
            || permalink.is_some();
        if !found_anything {
            self.warn(format!(
                "review {n} holds nothing readable (the page may be cut off); skipped"
            ));
            return None;
        }

        let review = PageReview {
            rating,
            title,
            author,
            date,
            spoiler,
            votes,
            body,
            permalink,
        };
        review.missing_text(&mut problems);
        if review.votes.is_none() {
            problems.push("no votes".into());
        }
        if review.permalink.is_none() {
            problems.push("no permalink".into());
        }
        self.warn_problems(n, review.author.as_deref(), &problems);
        Some(review)
    }

    /// Adds a review read from the page.
    fn add(&mut self, review: &PageReview) {
        let (helpful, not_helpful) = review.votes.unwrap_or((0, 0));
        let review = Review {
            rating: review.rating.and_then(Rating::of_ten),
            spoiler: review.spoiler,
            down_votes_known: true,
            date: review.date,
            helpful,
            not_helpful,
            title: self.push(review.title.as_deref()),
            author: self.push(review.author.as_deref()),
            body: self.push(review.body.as_deref()),
            permalink: self.push(review.permalink.as_deref()),
            ..Review::default()
        };
        self.reviews.push(review);
    }

    /// The one warning for review `n` (by `author`, where known) naming what it lacks.
    fn warn_problems(&mut self, n: usize, author: Option<&str>, problems: &[String]) {
        if problems.is_empty() {
            return;
        }
        let by = author
            .filter(|a| !a.is_empty())
            .map(|a| format!(" by {a}"))
            .unwrap_or_default();
        self.warn(format!("review {n}{by}: {}", problems.join(", ")));
    }

    fn push(&mut self, text: Option<&str>) -> TextRef {
        text.map_or(TextRef::EMPTY, |t| self.store.push(t))
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(Warning {
            line: None,
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::fields::*;
    use super::*;
    use crate::model::Date;
    use rstest::rstest;

    #[test]
    fn hooks_are_valid_selectors() {
        LazyLock::force(&HOOKS);
    }

    #[rstest]
    #[case("41", Some(41))]
    #[case("2,647", Some(2647))]
    #[case("1.2K", Some(1200))]
    #[case("1.25k", Some(1250))]
    #[case("12K", Some(12_000))]
    #[case("3M", Some(3_000_000))]
    #[case("0", Some(0))]
    #[case("2.5", None)]
    #[case("1.2345K", None)]
    #[case("K", None)]
    #[case("", None)]
    #[case("-3", None)]
    #[case("99999999999999999999", None)]
    #[case("18446744073709551615K", None)]
    fn counts(#[case] text: &str, #[case] expected: Option<u64>) {
        assert_eq!(parse_abbreviated_count(text), expected);
    }

    #[rstest]
    #[case("Aug 24, 2013", Some((2013, 8, 24)))]
    #[case("Sep 5, 2013", Some((2013, 9, 5)))]
    #[case("Sept 5, 2013", Some((2013, 9, 5)))]
    #[case("31 August 2018", Some((2018, 8, 31)))]
    #[case("February 29, 2024", Some((2024, 2, 29)))]
    #[case("Feb 30, 2024", None)]
    #[case("Ma 3, 2024", None)]
    #[case("Aug 2013", None)]
    #[case("yesterday", None)]
    fn dates(#[case] text: &str, #[case] expected: Option<(u16, u8, u8)>) {
        let expected = expected.and_then(|(y, m, d)| Date::new(y, m, d));
        assert_eq!(parse_page_date(text), expected);
    }

    #[rstest]
    #[case("The World's End (2013) - User reviews - IMDb", Some(("The World's End", Some(2013))))]
    #[case("User reviews: Stree (2018) - IMDb", Some(("Stree", Some(2018))))]
    #[case("The World's End (2013) ⭐ 7.0 | Comedy", Some(("The World's End", Some(2013))))]
    #[case("Lost (TV Series 2004–2010) - IMDb", Some(("Lost", Some(2004))))]
    #[case("The World's End", Some(("The World's End", None)))]
    #[case("Film (director's cut)", Some(("Film (director's cut)", None)))]
    #[case("User reviews", None)]
    #[case("IMDb", None)]
    fn film_titles(#[case] text: &str, #[case] expected: Option<(&str, Option<u16>)>) {
        assert_eq!(parse_film_title(text), expected);
    }

    #[test]
    fn review_ids() {
        assert_eq!(review_id("/review/rw2858099/?ref_=tt"), Some("rw2858099"));
        assert_eq!(review_id("https://www.imdb.com/review/rw1/"), Some("rw1"));
        assert_eq!(review_id("/review/rw/"), None);
        assert_eq!(review_id("/user/ur1/"), None);
    }

    #[test]
    fn text_is_text_nodes_only() {
        let page = scraper::Html::parse_fragment(
            "<h3>Tom &amp; <!-- x -->Jerry<svg><text>icon</text></svg>\
             <script>alert(1)</script><style>p{}</style>  again</h3>\
             <div id=b>one<br>two<br><br>three\n four  five<p>six</p></div>",
        );
        let h3 = first(page.root_element(), &Selector::parse("h3").expect("css")).expect("h3");
        assert_eq!(text_of(h3, Flow::Line), "Tom & Jerry again");
        let div = first(page.root_element(), &Selector::parse("#b").expect("css")).expect("div");
        assert_eq!(
            text_of(div, Flow::Body),
            "one\ntwo\n\nthree\nfour five\n\nsix"
        );
    }

    #[test]
    fn nesting_depth_is_scanned_like_the_parser_sees_it() {
        let nest = |open: &str, n: usize| open.repeat(n);
        assert_eq!(too_deep_at(&nest("<div>", MAX_DEPTH)), None);
        assert_eq!(
            too_deep_at(&nest("<div>", MAX_DEPTH + 1)),
            Some(5 * MAX_DEPTH)
        );
        // `/>` does not close an HTML element, so these nest.
        assert!(too_deep_at(&nest("<DIV class=x/>", 2000)).is_some());
        assert_eq!(too_deep_at(&nest("<div></div>", 5000)), None);
        for flat in [
            "<p>",
            "<li>",
            "<br>",
            "<img src=x>",
            "<td>",
            "<!-- <div> -->",
            "<!x>",
            "a < b ",
        ] {
            assert_eq!(too_deep_at(&nest(flat, 5000)), None, "{flat}");
        }
        assert_eq!(
            too_deep_at(&format!("<svg>{}</svg>", nest("<path/>", 5000))),
            None
        );
        // SVG inside HTML inside SVG: `/>` closes the inner SVG's elements again.
        assert_eq!(
            too_deep_at(&format!(
                "<svg><foreignObject><div><svg>{}</svg></div></foreignObject></svg>",
                nest("<path/>", 5000)
            )),
            None
        );
        assert_eq!(
            too_deep_at(&format!("<script>{}</SCRIPT >", nest("<div>", 5000))),
            None
        );
        assert!(too_deep_at(&format!("<style></style>{}", nest("<b>", 5000))).is_some());
    }

    #[test]
    fn a_page_nested_too_deep_is_read_up_to_that_point_quickly() {
        let review = "<article class=\"user-review-item\"><div data-testid=\"review-summary\">\
                      <h3>kept</h3></div></article>";
        let page = format!(
            "{review}\n{}{}{}",
            "<div>".repeat(200_000),
            review.replace("kept", "lost"),
            "</div>".repeat(200_000)
        );
        let started = std::time::Instant::now();
        let loaded = load(StoreBuilder::new(page), "deep");
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        let doc = &loaded.document;
        assert_eq!(doc.reviews.len(), 1);
        assert_eq!(doc.title(&doc.reviews[0]), "kept");
        let warning = &loaded.warnings[0];
        assert_eq!(warning.line, Some(2));
        assert!(warning.message.contains("more than 1000 elements deep"));
    }

    /// Each way around the nesting cut that html5ever would have spent minutes or
    /// gigabytes on: the scan cuts the page, and what is before the cut loads.
    #[test]
    fn every_known_html5ever_blowup_is_cut_before_parsing() {
        use std::fmt::Write as _;
        let many = |piece: &str, n: usize| piece.repeat(n);
        let bold = (0..900).fold(String::new(), |mut text, i| {
            let _ = write!(text, "<b class=c{i}>");
            text
        });
        for (what, page) in [
            ("stray end tags", many("<div></b>", 100_000)),
            ("rt outside ruby", many("<rt>", 100_000)),
            (
                "svg style",
                format!("<svg><style>{}", many("<div>", 100_000)),
            ),
            ("attributes", format!("<div {}>", many("a=1 ", 300_000))),
            ("formatting", format!("{bold}{}", many("<p>x", 100_000))),
            (
                "formatting closed around",
                format!(
                    "{}{}",
                    (0..900).fold(String::new(), |mut t, i| {
                        let _ = write!(t, "<p><b class=c{i}></p>");
                        t
                    }),
                    many("<p>x", 100_000)
                ),
            ),
            ("span over div", many("<span><div></span>", 100_000)),
            (
                "short comments",
                format!("<!--><!---->{}", many("<div>", 100_000)),
            ),
            (
                "a quoted >",
                format!("<a title=\"><script>\">{}", many("<div>", 100_000)),
            ),
            ("bare attributes", format!("<div {}>", many("a ", 300_000))),
            (
                "/> in foreignObject",
                format!("<svg><foreignObject>{}", many("<div/>", 100_000)),
            ),
            (
                "/> in mtext",
                format!("<math><mtext>{}", many("<span/>", 100_000)),
            ),
            (
                "/> after a void element breaks out",
                format!("<svg><br>{}", many("<section/>", 100_000)),
            ),
            (
                "/> after font",
                format!("<svg><font color=red>{}", many("<section/>", 100_000)),
            ),
            (
                "/> after </p>",
                format!("<svg></p>{}", many("<section/>", 100_000)),
            ),
            (
                "/> in annotation-xml",
                format!(
                    "<math><annotation-xml encoding=\"text/html\">{}",
                    many("<section/>", 100_000)
                ),
            ),
        ] {
            assert!(too_deep_at(&page).is_some(), "{what}: not cut");
            let loaded = load(StoreBuilder::new(page), "x");
            assert!(
                loaded
                    .warnings
                    .iter()
                    .any(|w| w.message.contains("was not read")),
                "{what}"
            );
        }
        // Ordinary nesting is not cut: siblings, closed formatting, ruby, links left open
        // in list items, paragraphs over unclosed spans.
        let fine = format!(
            "{}{}<ruby>{}</ruby><ul>{}</ul>{}",
            many("<p>text<b>b</b><i>i</i>", 10_000),
            many("<li>x", 10_000),
            many("<rt>r", 10_000),
            many("<li><a href=x>item", 1_000),
            many("<p><span>text", 5_000)
        );
        assert_eq!(too_deep_at(&fine), None);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = MAX_DEPTH - 10;
        let page = format!(
            "{}<article class=\"user-review-item\"><div data-testid=\"review-summary\">\
             <h3>deep</h3></div></article>{}",
            "<span>".repeat(depth),
            "</span>".repeat(depth)
        );
        let loaded = load(StoreBuilder::new(page), "deep");
        let doc = &loaded.document;
        assert_eq!(doc.reviews.len(), 1);
        assert_eq!(doc.title(&doc.reviews[0]), "deep");
    }
}
