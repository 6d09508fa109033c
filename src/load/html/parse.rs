//! html5ever fed a step at a time. Given a whole page at once (as `Html::parse_document`
//! does), it copies the page into its input queue, beside the source and the tree: a page
//! that is one long review would be held three times before a field is read.

use html5ever::tendril::TendrilSink;
use html5ever::{QualName, local_name, ns};
use scraper::{Html, HtmlTreeSink};

/// How much of the page html5ever is given at a time.
const STEP: usize = 1 << 20;

/// The tree of a whole page.
pub(super) fn document(html: &str) -> Html {
    let parser = html5ever::driver::parse_document(
        HtmlTreeSink::new(Html::new_document()),
        html5ever::ParseOpts::default(),
    );
    feed(parser, html)
}

/// The tree of a piece of a page, read as the content of a `<body>` (as
/// `Html::parse_fragment` reads it).
pub(super) fn fragment(html: &str) -> Html {
    let parser = html5ever::driver::parse_fragment(
        HtmlTreeSink::new(Html::new_fragment()),
        html5ever::ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    );
    feed(parser, html)
}

fn feed(mut parser: html5ever::driver::Parser<HtmlTreeSink>, html: &str) -> Html {
    let mut rest = html;
    while !rest.is_empty() {
        let mut end = STEP.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        parser.process(rest[..end].into());
        rest = &rest[end..];
    }
    parser.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page cut into steps inside a tag, an entity, a CR LF and a character parses as the
    /// page given whole.
    #[test]
    fn a_page_fed_in_steps_is_the_page_given_whole() {
        let mut page = String::from("<html><body>");
        for n in 0..STEP / 40 {
            page.push_str("<p class=\"x\">caf\u{e9} &amp; \r\n&eacute;t\u{e9} ");
            page.push_str(&n.to_string());
            page.push_str("</p>");
        }
        page.push_str("</body></html>");
        for offset in 0..8 {
            let page = format!("{}{page}", " ".repeat(offset));
            assert_eq!(document(&page).html(), Html::parse_document(&page).html());
            assert_eq!(fragment(&page).html(), Html::parse_fragment(&page).html());
        }
    }
}
