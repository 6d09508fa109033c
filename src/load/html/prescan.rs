//! The scan of a page's tags before html5ever parses it: where its nesting, open formatting
//! elements or attributes would cost html5ever minutes or gigabytes, so the page is cut there.

/// The deepest element nesting parsed. Saved review pages nest a few dozen levels; html5ever's
/// cost per tag grows with the depth, so a page is cut where it goes deeper than this.
pub const MAX_DEPTH: usize = 1000;

/// The most formatting elements (`<b>`, `<i>`, `<font>`…) left open at once. html5ever opens
/// every one of them again in each new paragraph, so 900 distinct open `<b>`s and 100,000
/// `<p>`s made 90 million elements (15 GB); saved pages leave a handful open.
pub const MAX_FORMATTING: usize = 64;

/// The most attributes on one tag: html5ever checks each new one against those before it.
pub const MAX_ATTRIBUTES: usize = 1000;

// The element names the pre-scan knows, as html5ever treats them.

const VOID: [&str; 18] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];
const SELF_CLOSING: [&str; 13] = [
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup",
];
const RUBY: [&str; 4] = ["rb", "rt", "rp", "rtc"];
const RAW_TEXT: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];
const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];
// Elements an end tag of an ordinary element does not close through (html5ever ignores
// `</span>` with a `<div>` above the span), and that bound an implied close.
const SPECIAL: [&str; 40] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "button",
    "caption",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "select",
    "table",
    "td",
    "th",
    "tr",
    "ul",
    "template",
];
// Where SVG and MathML hold HTML again.
const INTEGRATION_POINTS: [&str; 9] = [
    "foreignobject",
    "annotation-xml",
    "desc",
    "title",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
];
// HTML elements that end foreign content where they appear in it.
const BREAKS_OUT: [&str; 44] = [
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];
const BOUNDARY: [&str; 14] = [
    "table", "td", "th", "caption", "button", "object", "marquee", "applet", "template", "ul",
    "ol", "dl", "select", "html",
];

/// Inside SVG or MathML, elements are foreign too, except in an integration point
/// (`<foreignObject>`, `<mtext>`...), whose content is HTML again. A foreign element may
/// close itself with `/>`; an HTML one never does.
fn in_foreign(open: &[(String, bool)]) -> bool {
    open.last()
        .is_some_and(|(n, f)| *f && !INTEGRATION_POINTS.contains(&n.as_str()))
}

/// Closes the SVG or MathML elements open above the nearest HTML one.
fn leave_foreign(open: &mut Vec<(String, bool)>) {
    while in_foreign(open) {
        open.pop();
    }
}

/// The end tag of `name`: the nearest open element of that name closes, with those above
/// it, unless an element above it stops the close (then the end tag is ignored).
fn close(name: &str, open: &mut Vec<(String, bool)>, formatting: &mut Vec<String>) {
    // `</br>` and `</p>` in SVG or MathML end it, as their start tags would.
    if matches!(name, "br" | "p") {
        leave_foreign(open);
    }
    if let Some(k) = formatting.iter().rposition(|n| n == name) {
        formatting.remove(k);
    }
    if let Some(k) = open.iter().rposition(|(n, _)| n == name) {
        let stops: &[&str] = if SPECIAL.contains(&name) {
            &BOUNDARY
        } else {
            &SPECIAL
        };
        if !open[k + 1..]
            .iter()
            .any(|(n, _)| stops.contains(&n.as_str()))
        {
            open.truncate(k);
        }
    }
}

/// Where `html` stops being safe to hand to html5ever, by a linear scan of its tags that
/// follows html5ever's tree building closely enough for the purpose, and never counts less
/// work than it does: where the nesting goes deeper than [`MAX_DEPTH`], more than
/// [`MAX_FORMATTING`] formatting elements are open, or a tag has more than
/// [`MAX_ATTRIBUTES`] attributes.
///
/// The scan keeps a stack of open elements: an end tag closes the nearest open element of
/// its name and those above it, and is ignored when none is open (`<div></b>` nests on);
/// comments, doctypes and the content of raw-text elements (`<script>`, `<style>`, ...)
/// hold no tags, except inside `<svg>` or `<math>`, where `<style>` is an ordinary element
/// and `/>` closes one; void elements (`<br>`) add no depth; an element that closes an open
/// one of its kind (`<p>`, `<li>`, `<td>`, ...) replaces it when it is the one on top, and
/// `<rt>` and its kin do so only inside `<ruby>`.
pub(super) fn too_deep_at(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    // Each open element, and whether it is an SVG or MathML one (foreign content).
    let mut open: Vec<(String, bool)> = Vec::new();
    // The list of active formatting elements: they stay in it when a paragraph closes
    // around them, and html5ever opens them all again in the next one.
    let mut formatting: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + found;
        let rest = &html[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            // `<!-->` and `<!--->` are whole comments; `--!>` ends one as `-->` does.
            i = if comment.starts_with('>') || comment.starts_with("->") {
                at + 4 + comment.find('>').unwrap_or(0) + 1
            } else {
                let end = [
                    comment.find("-->").map(|e| e + 3),
                    comment.find("--!>").map(|e| e + 4),
                ]
                .into_iter()
                .flatten()
                .min();
                at + 4 + end.unwrap_or(comment.len())
            };
            continue;
        }
        let tag_end = tag_end(bytes, at);
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = tag_end;
            continue;
        }
        let closing = rest.as_bytes().get(1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'))
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = at + 1; // a `<` in text
            continue;
        }
        // Attributes, with or without values: each follows white space.
        let attributes = bytes[at..tag_end]
            .windows(2)
            .filter(|w| w[0].is_ascii_whitespace() && !w[1].is_ascii_whitespace())
            .count();
        if attributes > MAX_ATTRIBUTES {
            return Some(at);
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        i = tag_end;
        if closing {
            close(&name, &mut open, &mut formatting);
            continue;
        }
        let name = name.as_str();
        // An HTML element such as `<div>` (or a void one, `<br>`) breaks out of SVG or
        // MathML content, closing it; `<font>` does with some attributes, and is taken to
        // always (cutting too early is the safe side).
        if BREAKS_OUT.contains(&name) || name == "font" {
            leave_foreign(&mut open);
        }
        if VOID.contains(&name) {
            continue;
        }
        let foreign = matches!(name, "svg" | "math") || in_foreign(&open);
        if foreign && html[..tag_end].ends_with("/>") {
            continue;
        }
        if !foreign && RAW_TEXT.contains(&name) {
            i = find_end_tag(html, tag_end, name).unwrap_or(html.len());
            continue;
        }
        let sibling = SELF_CLOSING.contains(&name)
            || (RUBY.contains(&name) && open.iter().any(|(n, _)| n == "ruby"));
        if sibling
            && let Some(k) = open.iter().rposition(|(n, _)| n == name)
            && !open[k + 1..]
                .iter()
                .any(|(n, _)| BOUNDARY.contains(&n.as_str()))
        {
            // It closes the open one of its kind and takes its place.
            open.truncate(k);
        }
        if FORMATTING.contains(&name) {
            // A new `<a>` ends the one still active.
            if name == "a"
                && let Some(k) = formatting.iter().rposition(|n| n == "a")
            {
                formatting.remove(k);
            }
            formatting.push(name.to_string());
        }
        open.push((name.to_string(), foreign));
        if open.len() > MAX_DEPTH || formatting.len() > MAX_FORMATTING {
            return Some(at);
        }
    }
    None
}

/// Where the tag starting at `bytes[at]` ends (just after its `>`), skipping quoted attribute
/// values, which may hold a `>`; the end of the text for a tag never closed.
fn tag_end(bytes: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    let mut after_equals = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return i + 1,
            b'=' => after_equals = true,
            b'"' | b'\'' if after_equals => {
                i = memchr::memchr(b, &bytes[i + 1..]).map_or(bytes.len(), |end| i + 1 + end);
                after_equals = false;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    bytes.len()
}

/// Where the end tag `</name` (any case) starts at or after `from`.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let mut i = from;
    while let Some(found) = html[i..].find("</") {
        let at = i + found;
        let candidate = html.as_bytes().get(at + 2..at + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(at);
        }
        i = at + 2;
    }
    None
}
#[cfg(test)]
mod foreign_object {
    /// `/>` around and inside `<foreignObject>` in the shapes it takes (attributes, capitals,
    /// a line break in the tag, itself self-closed, nested in another): each is cut.
    #[test]
    fn self_closing_tags_around_foreign_object_are_cut() {
        let many = |s: &str, n: usize| s.repeat(n);
        for (what, page) in [
            (
                "self-closed",
                format!("<svg><foreignObject/>{}", many("<div>", 100_000)),
            ),
            (
                "nested",
                format!(
                    "<svg><foreignObject><svg><foreignObject>{}",
                    many("<div/>", 100_000)
                ),
            ),
            (
                "capitals",
                format!("<svg><FOREIGNOBJECT>{}", many("<div/>", 100_000)),
            ),
            (
                "attribute",
                format!(
                    "<svg><foreignObject width=\"10\">{}",
                    many("<div/>", 100_000)
                ),
            ),
            (
                "spaced",
                format!(
                    "<svg><foreignObject requiredExtensions=\"x\" >{}",
                    many("<div/>", 100_000)
                ),
            ),
            (
                "slash after a value",
                format!("<svg><foreignObject x=1/>{}", many("<div/>", 100_000)),
            ),
            (
                "line break",
                format!("<svg><foreignObject\n>{}", many("<div/>", 100_000)),
            ),
            (
                "svg inside",
                format!("<svg><foreignObject>{}", many("<svg/><div/>", 100_000)),
            ),
            (
                "formatting",
                format!("<svg><foreignObject>{}", many("<b/>", 100_000)),
            ),
        ] {
            assert!(super::too_deep_at(&page).is_some(), "{what}: not cut");
        }
    }
}
