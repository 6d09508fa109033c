//! The HTML loader on the two real saved IMDb pages, field by field, and on the damaged and
//! hostile pages it must survive.

use revue::load::{Format, LoadError, Loaded, load_bytes};
use revue::model::{Date, Document, Rating, Review};

use crate::harness::read_data as data;

fn load_html(html: &str) -> Result<Loaded, LoadError> {
    load_bytes(html.as_bytes().to_vec(), "page.html", None)
}

fn load_ok(html: &str) -> Loaded {
    load_html(html).expect("the page loads")
}

/// A review's date as the model holds it.
fn date(y: u16, m: u8, d: u8) -> Option<Date> {
    Date::new(y, m, d)
}

/// What the 2024 sample says about one review, read off the saved page by hand.
struct Expected {
    author: &'static str,
    rating: Option<u8>,
    title: &'static str,
    date: (u16, u8, u8),
    spoiler: bool,
    helpful: u64,
    not_helpful: u64,
    id: &'static str,
    paragraphs: usize,
    lines: usize,
    chars: usize,
    starts: &'static str,
    ends: &'static str,
}

const WORLDS_END: [Expected; 12] = [
    Expected {
        author: "ikiru71-220-566499",
        rating: Some(8),
        title: "Another funny, clever, and wild one from Simon Pegg and Edgar Wright",
        date: (2013, 8, 24),
        spoiler: false,
        helpful: 41,
        not_helpful: 16,
        id: "rw2858099",
        paragraphs: 1,
        lines: 1,
        chars: 1020,
        starts: "If you seen the other two movies in the ",
        ends: " is funny, clever, and a hell of a ride.",
    },
    Expected {
        author: "Duveteux",
        rating: Some(8),
        title: "Blanking good",
        date: (2013, 8, 15),
        spoiler: false,
        helpful: 17,
        not_helpful: 13,
        id: "rw2851832",
        paragraphs: 4,
        lines: 7,
        chars: 1011,
        starts: "If Hot Fuzz is a 10, Shaun of the Dead a",
        ends: " think any other fan will feel the same.",
    },
    Expected {
        author: "jan_kalina",
        rating: Some(10),
        title: "\"There's only one Gary King!\"",
        date: (2013, 9, 5),
        spoiler: false,
        helpful: 13,
        not_helpful: 10,
        id: "rw2864469",
        paragraphs: 7,
        lines: 13,
        chars: 4899,
        starts: "There is only one Edgar Wright , only on",
        ends: "ack just as usual with Edgar Wright film",
    },
    Expected {
        author: "Quinoa1984",
        rating: Some(10),
        title: "Whole lotta WTF",
        date: (2014, 11, 7),
        spoiler: false,
        helpful: 11,
        not_helpful: 10,
        id: "rw3119869",
        paragraphs: 3,
        lines: 5,
        chars: 1834, // its U+0085 is one ellipsis
        starts: "The World's End is a film about the end ",
        ends: "t of this madness, and how he evolves...",
    },
    Expected {
        author: "R-P-McMurphy",
        rating: Some(10),
        title: "A cool Sci-fi Comedy about being stuck in the past.",
        date: (2013, 9, 10),
        spoiler: false,
        helpful: 10,
        not_helpful: 9,
        id: "rw2867494",
        paragraphs: 8,
        lines: 15,
        chars: 2501,
        starts: "Energetic and very fun to watch, but a l",
        ends: "ck the Block\" and/or \"Django Unchained\".",
    },
    Expected {
        author: "Hellmant",
        rating: Some(10),
        title: "'THE WORLD'S END' is a movie that actually celebrates drinking obsessively and \
                taking pride in it!",
        date: (2013, 8, 27),
        spoiler: false,
        helpful: 8,
        not_helpful: 7,
        id: "rw2866546",
        paragraphs: 5,
        lines: 9,
        chars: 3269,
        starts: "'THE WORLD'S END': Five Stars (Out of Fi",
        ends: "ps://www.youtube.com/watch?v=jJalgBjCCrg",
    },
    Expected {
        author: "stillworkingfortheknife",
        rating: None,
        title: "Fully entertaining, yet full with flaws",
        date: (2014, 4, 25),
        spoiler: false,
        helpful: 3,
        not_helpful: 3,
        id: "rw3005054",
        paragraphs: 3,
        lines: 5,
        chars: 2802,
        starts: "Simon Pegg and Nick Frost are truly pass",
        ends: "End), but not more than mediocre itself.",
    },
    Expected {
        author: "FantasticFearOfMisterBobo",
        rating: Some(8),
        title: "Cheers to the cornetto trilogy for it's humour and heart",
        date: (2013, 7, 19),
        spoiler: false,
        helpful: 7,
        not_helpful: 8,
        id: "rw2835258",
        paragraphs: 1,
        lines: 1,
        chars: 1621,
        starts: "I love the movie, it was still very funn",
        ends: " even if not an instant classic. 8.6/10.",
    },
    Expected {
        author: "Alex_Hodgkinson",
        rating: Some(9),
        title: "Favourite Cornetto Film!",
        date: (2013, 8, 17),
        spoiler: false,
        helpful: 5,
        not_helpful: 5,
        id: "rw2853256",
        paragraphs: 3,
        lines: 5,
        chars: 1283,
        starts: "Easily the best Cornetto film in my opin",
        ends: "azing Three Flavours Cornetto trilogy...",
    },
    Expected {
        author: "MaxKnowsFilms",
        rating: Some(8),
        title: "Brilliant!",
        date: (2013, 7, 24),
        spoiler: false,
        helpful: 5,
        not_helpful: 5,
        id: "rw2838591",
        paragraphs: 6,
        lines: 11,
        chars: 1872,
        starts: "This film is directed by Edgar Wright an",
        ends: "uff! - https://twitter.com/MaxKnowsFilms",
    },
    Expected {
        author: "zardoz-13",
        rating: Some(10),
        title: "The Best Edgar Wright & Simon Pegg Outing!!!",
        date: (2016, 7, 23),
        spoiler: true,
        helpful: 4,
        not_helpful: 4,
        id: "rw3511217",
        paragraphs: 1,
        lines: 1,
        chars: 3276,
        starts: "\"Shaun of the Dead\" writer & director Ed",
        ends: "snappy. The ending scene is outstanding.",
    },
    Expected {
        author: "fedor8",
        rating: None,
        title: "No Backstreet Boys in this one.",
        date: (2014, 12, 10),
        spoiler: true,
        helpful: 3,
        not_helpful: 6,
        id: "rw3139698",
        paragraphs: 6,
        lines: 11,
        chars: 2328,
        starts: "I was curious to see the two end-of-the-",
        ends: "– that imbecile from \"Friends\"? Exactly.",
    },
];

fn worlds_end() -> Loaded {
    load_bytes(
        data("imdb-2024-layout-worlds-end.html"),
        "imdb-2024-layout-worlds-end.html",
        None,
    )
    .expect("the 2024 sample loads")
}

#[test]
fn current_layout_sample_is_detected_as_html() {
    let text = String::from_utf8(data("imdb-2024-layout-worlds-end.html")).expect("utf-8");
    assert_eq!(revue::load::detect(&text), Format::Html);
}

#[test]
fn current_layout_sample_every_field_of_every_review() {
    let Loaded {
        document, warnings, ..
    } = worlds_end();
    assert_eq!(warnings, [], "a complete page loads without warnings");
    assert_eq!(document.reviews.len(), 12);
    for (review, want) in document.reviews.iter().zip(&WORLDS_END) {
        let who = want.author;
        assert_eq!(document.author(review), want.author);
        assert_eq!(review.rating.map(Rating::whole), want.rating, "{who}");
        assert_eq!(document.title(review), want.title, "{who}");
        let (y, m, d) = want.date;
        assert_eq!(review.date, date(y, m, d), "{who}");
        assert_eq!(review.spoiler, want.spoiler, "{who}");
        assert_eq!(review.helpful, want.helpful, "{who}");
        assert_eq!(review.not_helpful, want.not_helpful, "{who}");
        let link = format!("https://www.imdb.com/review/{}/", want.id);
        assert_eq!(
            document.permalink(review).as_deref(),
            Some(link.as_str()),
            "{who}"
        );
        let body = document.body(review);
        assert_eq!(body.split("\n\n").count(), want.paragraphs, "{who}");
        assert_eq!(body.lines().count(), want.lines, "{who}");
        assert_eq!(body.chars().count(), want.chars, "{who}");
        assert!(body.starts_with(want.starts), "{who}: {body:.60}");
        assert!(body.ends_with(want.ends), "{who}");
        // No markup, no white space at a line's ends, no run of blank lines.
        assert!(!body.contains('<'), "{who}");
        assert!(body.lines().all(|l| l == l.trim()), "{who}");
        assert!(!body.contains("\n\n\n"), "{who}");
    }
}

#[test]
fn current_layout_sample_facts_from_the_issue() {
    let Loaded { document, .. } = worlds_end();
    let by = |author: &str| -> &Review {
        document
            .reviews
            .iter()
            .find(|r| document.author(r) == author)
            .unwrap_or_else(|| panic!("no review by {author}"))
    };
    let unrated: Vec<String> = document
        .reviews
        .iter()
        .filter(|r| r.rating.is_none())
        .map(|r| document.author(r).into_owned())
        .collect();
    assert_eq!(unrated, ["stillworkingfortheknife", "fedor8"]);
    let spoilers: Vec<String> = document
        .reviews
        .iter()
        .filter(|r| r.spoiler)
        .map(|r| document.author(r).into_owned())
        .collect();
    assert_eq!(spoilers, ["zardoz-13", "fedor8"]);
    let ikiru = by("ikiru71-220-566499");
    assert_eq!((ikiru.helpful, ikiru.not_helpful), (41, 16));
    assert_eq!(ikiru.date, date(2013, 8, 24));
    // `&amp;` in the title is decoded, and the inline <svg> adds nothing.
    assert_eq!(
        document.title(by("zardoz-13")),
        "The Best Edgar Wright & Simon Pegg Outing!!!"
    );
    assert_eq!(
        document.permalink(ikiru).as_deref(),
        Some("https://www.imdb.com/review/rw2858099/")
    );
    // `<br><br>` is a paragraph break; the text on either side is kept whole.
    let fedor = document.body(by("fedor8"));
    assert!(fedor.starts_with(
        "I was curious to see the two end-of-the-world comedies from 2013, and wondered which \
         one would have the upper edge; Rogen's or Simon's."
    ));
    assert!(fedor.contains(
        "without outside help. This is the main reason why the ending is such a hoot.\n\n\
         As long as Pegg keeps teaming up"
    ));
    // The page holds a literal U+0085 (a Windows-1252 ellipsis decoded as Latin-1 upstream):
    // it is shown as the ellipsis the author typed, and never passed to the terminal.
    assert!(
        document
            .body(by("Quinoa1984"))
            .contains("hardcore drinking… so that")
    );

    let source = &document.sources[0];
    assert_eq!(source.review_count, Some(572));
    // The fragment holds no film title, so the file name labels it.
    assert_eq!(source.title, None);
    assert_eq!(source.year, None);
    assert_eq!(source.label, "imdb-2024-layout-worlds-end.html");
}

#[test]
fn legacy_layout_sample_every_field() {
    let Loaded {
        document, warnings, ..
    } = load_bytes(
        data("imdb-legacy-layout-review.html"),
        "imdb-legacy-layout-review.html",
        None,
    )
    .expect("the legacy sample loads");
    assert_eq!(warnings, []);
    assert_eq!(document.reviews.len(), 1);
    let r = &document.reviews[0];
    assert_eq!(document.author(r), "magow-01");
    assert_eq!(r.rating.map(Rating::whole), Some(10));
    assert_eq!(document.title(r), "Review Stree Movie");
    assert_eq!(r.date, date(2018, 8, 31));
    assert!(r.spoiler);
    assert_eq!((r.helpful, r.not_helpful), (9, 4));
    assert_eq!(
        document.permalink(r).as_deref(),
        Some("https://www.imdb.com/review/rw4314054/")
    );
    // Literal newlines in the saved body are its line breaks.
    let body = document.body(r);
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("The quaint town of Chanderi is haunted by a unique legend."));
    assert!(lines[0].ends_with("Abhishek Banerjee as the friends offer good comedic punches too."));
    assert_eq!(
        lines[1],
        "Shraddha Kapoor's character is a bit of an enigma. Even though the role is \
         problematic, the actress does a fine job of maintaining an air of mystery."
    );
    assert_eq!(
        lines[2],
        "Stree does fairly well with the comedy, but even with several laugh-out-loud \
         moments. The music of the film is a definite highight."
    );
    assert_eq!(body.chars().count(), 1399);
    let source = &document.sources[0];
    assert_eq!(source.label, "imdb-legacy-layout-review.html");
    assert_eq!(source.review_count, None);
}

#[test]
fn a_page_without_reviews_is_an_error_naming_what_was_expected() {
    let err = load_html(
        "<!DOCTYPE html><html><head><title>IMDb</title></head><body><p>Sign in</p></body></html>",
    )
    .expect_err("no reviews");
    assert_eq!(
        err,
        LoadError::NoReviews {
            format: Format::Html,
            reason: None
        }
    );
    let message = err.to_string();
    assert!(message.contains("HTML page"), "{message}");
    assert!(
        message.contains("expected an IMDb user-reviews page"),
        "{message}"
    );
}

#[test]
fn a_page_cut_anywhere_never_panics_and_keeps_every_review_it_reached() {
    let page = String::from_utf8(data("imdb-2024-layout-worlds-end.html")).expect("utf-8");
    let starts: Vec<usize> = page.match_indices("<article").map(|(i, _)| i).collect();
    let mut cut = 0;
    while cut < page.len() {
        cut = (cut + 701).min(page.len());
        while !page.is_char_boundary(cut) {
            cut += 1;
        }
        let reached = starts.iter().filter(|&&s| s < cut).count();
        match load_html(&page[..cut]) {
            Ok(Loaded { document, .. }) => {
                // A review cut before its title holds nothing yet; every other one stays.
                assert!(
                    document.reviews.len() + 1 >= reached && document.reviews.len() <= reached,
                    "cut at {cut}: {} reviews, {reached} reached",
                    document.reviews.len()
                );
            }
            Err(err) => assert!(
                matches!(
                    err,
                    LoadError::NoReviews {
                        format: Format::Html,
                        ..
                    }
                ),
                "{err}"
            ),
        }
    }
}

#[test]
fn a_review_cut_mid_body_keeps_what_it_has_and_warns() {
    let page = String::from_utf8(data("imdb-2024-layout-worlds-end.html")).expect("utf-8");
    let cut = page
        .find("Follow me on Twitter")
        .expect("MaxKnowsFilms' last line");
    let Loaded {
        document, warnings, ..
    } = load_html(&page[..cut]).expect("loads");
    assert_eq!(document.reviews.len(), 10);
    let last = &document.reviews[9];
    assert_eq!(document.title(last), "Brilliant!");
    assert_eq!(last.rating.map(Rating::whole), Some(8));
    assert!(
        document.body(last).ends_with("I give the film 8/10."),
        "{}",
        document.body(last)
    );
    assert_eq!(document.author(last), "");
    assert_eq!(last.date, None);
    assert_eq!((last.helpful, last.not_helpful), (0, 0));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let message = &warnings[0].message;
    assert!(message.starts_with("review 10:"), "{message}");
    for part in ["no author", "no date", "no votes"] {
        assert!(message.contains(part), "{message}");
    }
}

/// A current-layout review with the parts given, for the crafted pages below.
fn review(title: &str, body: &str, extra: &str) -> String {
    format!(
        "<article class=\"sc-1 user-review-item\">\
         <div data-testid=\"review-summary\"><a href=\"/review/rw123/?ref_=x\"><h3>{title}</h3></a></div>\
         {extra}\
         <div class=\"ipc-html-content-inner-div\">{body}</div>\
         <span class=\"ipc-voting__label__count ipc-voting__label__count--up\">1</span>\
         <span class=\"ipc-voting__label__count ipc-voting__label__count--down\">2</span>\
         <ul><li><a data-testid=\"author-link\" href=\"/user/ur1/\">someone</a></li>\
         <li class=\"review-date\">Jan 2, 2020</li></ul></article>"
    )
}

#[test]
fn scripts_styles_templates_and_comments_are_never_review_text() {
    let page = format!(
        "<html><head><style>.user-review-item::before {{ content: 'Great film 10/10'; }}</style>\
         <script>document.write('<article class=\"user-review-item\"><h3>Fake</h3></article>')</script>\
         </head><body>\
         <template><article class=\"user-review-item\"><div data-testid=\"review-summary\">\
         <h3>Inert</h3></div></article></template>\
         <noscript><article class=\"user-review-item\"><h3>Hidden</h3></article></noscript>\
         {}</body></html>",
        review(
            "Real<!-- not this -->ly good<script>var t = 'Fake title';</script>",
            "First<style>p {{ color: red }}</style> line<br>second <!-- comment --> line\
             <script>alert('Fake body')</script>",
            ""
        )
    );
    let Loaded {
        document, warnings, ..
    } = load_ok(&page);
    assert_eq!(warnings, []);
    assert_eq!(document.reviews.len(), 1);
    let r = &document.reviews[0];
    assert_eq!(document.title(r), "Really good");
    assert_eq!(document.body(r), "First line\nsecond line");
    assert_eq!((r.helpful, r.not_helpful), (1, 2));
}

#[test]
fn entities_that_decode_to_control_characters_are_neutralised() {
    let page = review(
        "&#27;[31mRed&#x1b;[0m &#x202E;desrever",
        "osc &#x1b;]52;c;aGk=&#7;<br>nul &#0; del &#127; c1 &#x9b;31m",
        "",
    );
    let Loaded { document, .. } = load_ok(&page);
    let r = &document.reviews[0];
    assert_eq!(
        document.title(r),
        "\u{241b}[31mRed\u{241b}[0m <U+202E>desrever"
    );
    // HTML itself maps &#0; to U+FFFD and &#x9b; to the Windows-1252 character `›`.
    assert_eq!(
        document.body(r),
        "osc \u{241b}]52;c;aGk=\u{2407}\nnul \u{fffd} del \u{2421} c1 \u{203a}31m"
    );
    for text in [document.title(r), document.body(r), document.author(r)] {
        assert!(revue::sanitize::is_clean(&text), "{text:?}");
    }
}

#[test]
fn counts_with_separators_and_abbreviations_parse() {
    let page = review("t", "b", "")
        .replace(">1</span>", ">2,647</span>")
        .replace(">2</span>", "><!-- -->1.2K</span>");
    let Loaded { document, .. } = load_ok(&page);
    let r = &document.reviews[0];
    assert_eq!((r.helpful, r.not_helpful), (2647, 1200));
}

#[test]
fn film_title_and_year_come_from_the_page_where_it_names_them() {
    let page = format!(
        "<!DOCTYPE html><html><head><title>The World's End (2013) - User reviews - IMDb</title>\
         </head><body><div data-testid=\"tturv-total-reviews\">1,234 reviews</div>{}</body></html>",
        review("t", "b", "")
    );
    let Loaded { document, .. } = load_ok(&page);
    let source = &document.sources[0];
    assert_eq!(source.title.as_deref(), Some("The World's End"));
    assert_eq!(source.year, Some(2013));
    assert_eq!(source.label, "The World's End");
    assert_eq!(source.review_count, Some(1234));

    let og = format!(
        "<meta property=\"og:title\" content=\"Stree (2018) ⭐ 7.5 | Comedy, Horror\">{}",
        review("t", "b", "")
    );
    let source = &load_ok(&og).document.sources[0];
    assert_eq!(
        (source.title.as_deref(), source.year),
        (Some("Stree"), Some(2018))
    );
}

#[test]
fn a_collapsed_spoiler_is_a_spoiler_with_its_body_missing() {
    let page = review(
        "t",
        "b",
        "<button class=\"ipc-btn review-spoiler-button\">Spoiler</button>",
    )
    .replace("<div class=\"ipc-html-content-inner-div\">b</div>", "");
    let Loaded {
        document, warnings, ..
    } = load_ok(&page);
    let r = &document.reviews[0];
    assert!(r.spoiler);
    assert_eq!(document.body(r), "");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].message, "review 1 by someone: no body");
}

#[test]
fn missing_parts_leave_fields_empty_with_one_warning_per_review() {
    let page = "<div class=\"review-container\"><a class=\"title\">  Only a title\n</a></div>\
                <div class=\"review-container\"><span class=\"review-date\">someday</span>\
                <div class=\"text show-more__control\">Body only</div></div>";
    let Loaded {
        document, warnings, ..
    } = load_ok(page);
    assert_eq!(document.reviews.len(), 2);
    let [a, b] = [&document.reviews[0], &document.reviews[1]];
    assert_eq!(document.title(a), "Only a title");
    assert_eq!(document.permalink(a), None);
    assert_eq!(document.body(b), "Body only");
    assert_eq!(b.date, None);
    assert_eq!(warnings.len(), 2);
    assert_eq!(
        warnings[0].message,
        "review 1: no date, no author, no body, no votes, no permalink"
    );
    assert_eq!(
        warnings[1].message,
        "review 2: date \"someday\" not understood, no title, no author, no votes, no permalink"
    );
}

#[test]
fn legacy_details_rating_bar_votes_and_review_id() {
    let page = "<div class=\"lister-item imdb-user-review\" data-review-id=\"rw42\">\
        <div class=\"review-container\"><div class=\"lister-item-content\">\
        <div class=\"ipl-ratings-bar\"><span class=\"rating-other-user-rating\"><svg><text>9</text></svg>\
        <span>7</span><span class=\"point-scale\">/10</span></span></div>\
        <a class=\"title\"> Two lines </a><div class=\"display-name-date\">\
        <span class=\"display-name-link\"><a href=\"/user/ur1/\">someone</a></span>\
        <span class=\"review-date\">2 March 2009</span></div>\
        <div class=\"content\"><div class=\"text show-more__control\">one<br>two<br><br>three</div>\
        <div class=\"actions text-muted\">\n   1,413 out of 1,597 found this helpful.\n \
        <span>Was this review helpful? <a href=\"/registration/signin\">Sign in</a> to vote.</span>\
        </div></div></div></div></div>";
    let Loaded {
        document, warnings, ..
    } = load_ok(page);
    assert_eq!(warnings, []);
    let r = &document.reviews[0];
    assert_eq!(r.rating.map(Rating::whole), Some(7));
    assert!(!r.spoiler);
    assert_eq!(document.title(r), "Two lines");
    assert_eq!(document.author(r), "someone");
    assert_eq!(r.date, date(2009, 3, 2));
    assert_eq!(document.body(r), "one\ntwo\n\nthree");
    assert_eq!((r.helpful, r.not_helpful), (1413, 184));
    assert_eq!(
        document.permalink(r).as_deref(),
        Some("https://www.imdb.com/review/rw42/")
    );
}

#[test]
fn the_loaded_document_keeps_only_review_text_not_the_page() {
    let Loaded { document, .. } = worlds_end();
    let text: usize = document
        .reviews
        .iter()
        .map(|r| {
            [r.title, r.author, r.body, r.permalink]
                .iter()
                .map(|t| t.len())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(document.text_bytes(), text);
    assert!(document.text_bytes() < data("imdb-2024-layout-worlds-end.html").len() / 3);
}

/// Every review of `doc`, for comparing two loads.
fn fields(doc: &Document) -> Vec<String> {
    doc.reviews
        .iter()
        .map(|r| {
            format!(
                "{r:?}|{}|{}|{}|{:?}",
                doc.title(r),
                doc.author(r),
                doc.body(r),
                doc.permalink(r)
            )
        })
        .collect()
}

#[test]
fn input_format_html_overrides_detection_and_gives_the_same_reviews() {
    let bytes = data("imdb-legacy-layout-review.html");
    let detected = load_bytes(bytes.clone(), "x", None).expect("loads");
    let forced = load_bytes(bytes, "x", Some(Format::Html)).expect("loads");
    assert_eq!(fields(&detected.document), fields(&forced.document));
}

#[test]
fn pages_from_before_2017_load_as_the_other_layouts_do() {
    let loaded =
        load_bytes(data("imdb-2009-layout-pusher-ii.html"), "old.html", None).expect("loads");
    let doc = &loaded.document;
    assert_eq!(
        loaded.warnings,
        [],
        "a complete old page loads without warnings"
    );
    let source = &doc.sources[0];
    assert_eq!(source.title.as_deref(), Some("Pusher II"));
    assert_eq!((source.year, source.review_count), (Some(2004), Some(44)));
    let texts: Vec<_> = doc
        .reviews
        .iter()
        .map(|r| (doc.title(r).into_owned(), doc.author(r).into_owned()))
        .collect();
    let rows: Vec<_> = doc
        .reviews
        .iter()
        .zip(&texts)
        .map(|(r, (title, author))| {
            (
                r.rating.map(Rating::whole),
                title.as_str(),
                author.as_str(),
                r.date.map(|d| d.to_string()),
                r.spoiler,
                (r.helpful, r.not_helpful),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                Some(8),
                "Nicolas Winding Refn's Pusher 2 is even better than the first one",
                "UlrikSander",
                Some("2006-03-11".to_string()),
                false,
                (54, 8)
            ),
            (
                Some(10),
                "Tonni is outstanding",
                "kristianbk",
                Some("2005-01-06".to_string()),
                true,
                (31, 8)
            ),
            (
                None,
                "Bleak, but worth it",
                "Martinjnl",
                Some("2005-03-19".to_string()),
                false,
                (0, 0)
            ),
            (
                Some(7),
                "Worth viewing",
                "gotchast",
                Some("2005-07-19".to_string()),
                false,
                (1204, 1443)
            ),
        ]
    );
    // The body is the paragraph after the header; the spoiler notice and the vote form
    // around it are not review text.
    assert_eq!(
        doc.body(&doc.reviews[0]),
        "Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy of danish film history.\n\n\
         The story-line: Tonny is released from prison & tries to get his life together."
    );
    assert!(
        doc.body(&doc.reviews[1])
            .starts_with("Mads Mikkelsen gives")
    );
    assert!(!doc.body(&doc.reviews[1]).contains("may contain spoilers"));
}
