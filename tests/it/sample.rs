//! The sample page, `tests/data/pusher-ii-reviews.txt`, checked field by field against a
//! careful reading of it, and round trips through revue's JSON and JSON Lines.

use revue::export::{self, OutputFormat};
use revue::load::{Format, Loaded, load_bytes};
use revue::model::{Document, Rating};

/// What a careful reader of the page finds in one review.
struct Expected {
    rating: Option<u8>,
    title: &'static str,
    author: &'static str,
    date: &'static str,
    spoiler: bool,
    helpful: u64,
    not_helpful: u64,
    /// First and last line of the body in the page, 1-based, inclusive.
    lines: (usize, usize),
    paragraphs: usize,
    starts: &'static str,
    ends: &'static str,
}

/// The 25 reviews in page order. Votes: "X out of Y" gives X helpful and Y − X not.
const EXPECTED: [Expected; 25] = [
    Expected {
        rating: Some(8),
        title: "Nicolas Winding Refn's Pusher 2 is even better than the first one",
        author: "UlrikSander",
        date: "2006-03-11",
        spoiler: false,
        helpful: 54,
        not_helpful: 8,
        lines: (14, 24),
        paragraphs: 6,
        starts: "Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy",
        ends: "an artistic film that actually works for all audiences! 9/10",
    },
    Expected {
        rating: Some(8),
        title: "Gritty, bleak and unforgettable",
        author: "PAolo-10",
        date: "2009-02-08",
        spoiler: false,
        helpful: 23,
        not_helpful: 3,
        lines: (30, 34),
        paragraphs: 3,
        starts: "Dedicated to Hubert Selby Jr., Pusher II moves",
        ends: "just because is a little bit of Tonny in all of us.",
    },
    Expected {
        rating: Some(8),
        title: "Refn and Mikkelsen are in top form.",
        author: "nesfilmreviews",
        date: "2014-11-09",
        spoiler: false,
        helpful: 14,
        not_helpful: 1,
        lines: (40, 44),
        paragraphs: 3,
        starts: "After Refn made an unsuccessful English-language debut",
        ends: "all over his face - or at least the back of his head.",
    },
    Expected {
        rating: Some(7),
        title: "Quiet with the smell of salt water and concrete",
        author: "johanevander",
        date: "2006-03-17",
        spoiler: false,
        helpful: 15,
        not_helpful: 4,
        lines: (50, 54),
        paragraphs: 3,
        starts: "Just like Pusher, Pusher 2 presents you with a world of rain",
        ends: "hands you a bitter and sad father and son situation.",
    },
    Expected {
        rating: Some(10),
        title: "Tonni is out of jail again, and the world he is returning to is not friendly. \
                Family, friends and girlfriend are still the same. Not to be trusted!",
        author: "kristianbk",
        date: "2005-01-06",
        spoiler: true,
        helpful: 31,
        not_helpful: 8,
        lines: (61, 61),
        paragraphs: 1,
        starts: "Movies that describe and draws a picture of the bottom",
        ends: "but you will definitely be impressed.",
    },
    Expected {
        rating: Some(7),
        title: "Mads Mikkelsen Strikes Again",
        author: "slake09",
        date: "2008-07-12",
        spoiler: false,
        helpful: 17,
        not_helpful: 5,
        lines: (67, 73),
        paragraphs: 4,
        starts: "Our protagonist, Tonny, is an ex-con and general screwup",
        ends: "featuring some madcap fun and general foolishness.",
    },
    Expected {
        rating: Some(10),
        title: "As powerful as \"once were warriors\"",
        author: "gotchast",
        date: "2005-07-19",
        spoiler: false,
        helpful: 43,
        not_helpful: 14,
        lines: (79, 79),
        paragraphs: 1,
        starts: "I've seen Pusher II during the Thriller and Film Noir Film festival",
        ends: "a movie which marks your spirit like hot steel.",
    },
    Expected {
        rating: Some(7),
        title: "Worth viewing",
        author: "Martinjnl",
        date: "2005-03-19",
        spoiler: false,
        helpful: 12,
        not_helpful: 7,
        lines: (85, 87),
        paragraphs: 2,
        starts: "This movie - like Pusher - has a really unique atmosphere.",
        ends: "for so long.\n\nI gave it 7/10 stars.",
    },
    Expected {
        rating: Some(9),
        title: "A brutal masterpiece about the modern underworld",
        author: "leon-smoothy",
        date: "2018-03-24",
        spoiler: false,
        helpful: 10,
        not_helpful: 1,
        lines: (93, 95),
        paragraphs: 2,
        starts: "As a fan of all of Winding Refn's movies, this is up there",
        ends: "gruesome and stressful life - look no further.",
    },
    Expected {
        rating: Some(7),
        title: "The Duke of hazard.",
        author: "Pjtaylor-96-138044",
        date: "2022-04-26",
        spoiler: false,
        helpful: 2,
        not_helpful: 0,
        lines: (101, 101),
        paragraphs: 1,
        starts: "'Pusher II (2004)' follows Mads Mikkelsen as Tonny",
        ends: "care about its protagonist despite his sometimes brutish nature.",
    },
    Expected {
        rating: Some(9),
        title: "Outstanding movie",
        author: "yoshi-33",
        date: "2005-08-15",
        spoiler: false,
        helpful: 22,
        not_helpful: 6,
        lines: (107, 113),
        paragraphs: 4,
        starts: "Pusher II follows Tony after he is released from prison.",
        ends: "you'll like Pusher II. Pusher 3 is also coming shortly....",
    },
    Expected {
        rating: Some(7),
        title: "Great acting but weaker plot!",
        author: "robo8",
        date: "2006-07-29",
        spoiler: false,
        helpful: 8,
        not_helpful: 14,
        lines: (119, 123),
        paragraphs: 3,
        starts: "Pusher II keeps the great acting and very good direction",
        ends: "as for acting and direction, this is as good as it gets.",
    },
    Expected {
        rating: Some(5),
        title: "Disappointing",
        author: "peterroeder34",
        date: "2014-10-08",
        spoiler: false,
        helpful: 8,
        not_helpful: 11,
        lines: (129, 129),
        paragraphs: 1,
        starts: "Mads Mikkelsen is awesome, almost superhuman, in his acting",
        ends: "(and all of Refn's movies) is still worth seeing.",
    },
    Expected {
        rating: Some(7),
        title: "Mads Mikkelsen can't get no respect in PUSHER II",
        author: "brchthethird",
        date: "2015-04-04",
        spoiler: false,
        helpful: 1,
        not_helpful: 1,
        lines: (135, 135),
        paragraphs: 1,
        starts: "PUSHER II: WITH BLOOD ON MY HANDS is a sequel",
        ends: "I would still highly recommend seeing this sequel.",
    },
    Expected {
        rating: Some(9),
        title: "This is a great movie!!",
        author: "methodman-70252",
        date: "2020-04-27",
        spoiler: false,
        helpful: 5,
        not_helpful: 0,
        lines: (141, 141),
        paragraphs: 1,
        starts: "I really liked PUSHER, but PUSHER 2, is even better.",
        ends: "And the music!! The music is just amazing.",
    },
    Expected {
        rating: Some(6),
        title: "Yeah! Come one! Come on! Come on! Almost got this sucker!",
        author: "lastliberal",
        date: "2010-07-17",
        spoiler: true,
        helpful: 3,
        not_helpful: 11,
        lines: (148, 152),
        paragraphs: 3,
        starts: "I first saw Mads Mikkelsen in Flame and Citron",
        ends: "but Mikkelson did turn in a good, if slow performance.",
    },
    Expected {
        rating: Some(10),
        title: "The Pusher Trilogy.",
        author: "ocosis",
        date: "2019-12-16",
        spoiler: false,
        helpful: 5,
        not_helpful: 0,
        lines: (158, 160),
        paragraphs: 2,
        starts: "Pusher II (With Blood On My Hands) is the second instalment",
        ends: "that sets Tonny on a course of defiance.\n\nLove.",
    },
    Expected {
        rating: None,
        title: "Amazing film..",
        author: "Jack_Coen",
        date: "2011-10-10",
        spoiler: false,
        helpful: 1,
        not_helpful: 3,
        lines: (165, 167),
        paragraphs: 2,
        starts: "Tony is released from prison - again.",
        ends: "They are (as usual) very professional and passionate actors.",
    },
    Expected {
        rating: Some(6),
        title: "BETTER THAN THE 1ST ENTRY BUT NOT BY MUCH...!",
        author: "masonfisk",
        date: "2023-06-23",
        spoiler: false,
        helpful: 0,
        not_helpful: 0,
        lines: (173, 173),
        paragraphs: 1,
        starts: "The 2004 Danish sequel to the 1996 original.",
        ends: "which makes the future just a smidge brighter.",
    },
    Expected {
        rating: Some(8),
        title: "PusherII is a fascinating and frightening story of Tonny the lowlife and his \
                slow climb towards a meaningful life.",
        author: "alke-2",
        date: "2005-01-03",
        spoiler: false,
        helpful: 30,
        not_helpful: 12,
        lines: (179, 179),
        paragraphs: 1,
        starts: "I have learned that people criticize PusherII",
        ends: "meaningful life. PusherII equals the first Pusher.",
    },
    Expected {
        rating: Some(7),
        title: "Improves upon its predecessor, if only by a little",
        author: "r96sk",
        date: "2023-09-24",
        spoiler: false,
        helpful: 0,
        not_helpful: 1,
        lines: (185, 191),
        paragraphs: 4,
        starts: "'Pusher II' improves upon its predecessor, if only by a little.\n\n",
        ends: "makes it a hat-trick of appearances at least.",
    },
    Expected {
        rating: Some(9),
        title: "Great film, enjoyed every moment of it",
        author: "ivansv",
        date: "2004-12-16",
        spoiler: false,
        helpful: 25,
        not_helpful: 16,
        lines: (197, 201),
        paragraphs: 3,
        starts: "Great film. It's been a long time since the first",
        ends: "like a dog thats been beat too much. Go see it!",
    },
    Expected {
        rating: Some(4),
        title: "Not Nearly as Good as the First Film",
        author: "Uriah43",
        date: "2024-03-30",
        spoiler: false,
        helpful: 1,
        not_helpful: 0,
        lines: (207, 207),
        paragraphs: 1,
        starts: "This film essentially begins about a year after its predecessor",
        ends: "and I have rated it accordingly. Slightly below average.",
    },
    Expected {
        rating: Some(8),
        title: "Equal To The First",
        author: "theshanecarr",
        date: "2021-05-25",
        spoiler: false,
        helpful: 4,
        not_helpful: 1,
        lines: (213, 227),
        paragraphs: 8,
        starts: "It would have been so natural for \"Pusher II: With Blood On My Hands\"",
        ends: "Refn opened up swathes of new terrain to explore.",
    },
    Expected {
        rating: Some(8),
        title: "An impossibly great sequel",
        author: "evileyereviews",
        date: "2010-08-11",
        spoiler: false,
        helpful: 9,
        not_helpful: 6,
        lines: (233, 235),
        paragraphs: 2,
        starts: "While this sequel to the groundbreaking Pusher lacks",
        ends: "an impossibly terrific followup of the original.\n\nEvil Eye Reviews",
    },
];

fn load_sample() -> Loaded {
    load_bytes(
        crate::harness::sample_text().into_bytes(),
        "pusher-ii-reviews.txt",
        None,
    )
    .expect("the sample loads")
}

/// `doc` written in `format`, every review in document order.
fn export(doc: &Document, format: OutputFormat) -> String {
    let mut out = Vec::new();
    let all: Vec<usize> = (0..doc.reviews.len()).collect();
    export::write(&mut out, doc, &all, format).expect("writes to memory");
    String::from_utf8(out).expect("exports are UTF-8")
}

#[test]
fn sample_names_its_film_and_loads_without_warnings() {
    let loaded = load_sample();
    assert_eq!(loaded.warnings, []);
    let doc = &loaded.document;
    assert_eq!(doc.reviews.len(), 25);
    assert_eq!(doc.sources.len(), 1);
    let source = &doc.sources[0];
    assert_eq!(source.title.as_deref(), Some("Pusher II"));
    assert_eq!(source.label, "Pusher II");
    assert_eq!(source.year, Some(2004));
    assert_eq!(source.review_count, Some(44));
}

#[test]
fn sample_is_detected_as_copied_text() {
    assert_eq!(
        revue::load::detect(&crate::harness::sample_text()),
        Format::Text
    );
}

#[test]
fn every_field_of_every_review_matches_the_page() {
    let loaded = load_sample();
    let doc = &loaded.document;
    assert_eq!(doc.reviews.len(), EXPECTED.len());
    for (n, (r, e)) in doc.reviews.iter().zip(&EXPECTED).enumerate() {
        let which = format!("review {} ({})", n + 1, e.author);
        assert_eq!(r.rating.map(Rating::whole), e.rating, "{which}: rating");
        assert!(r.rating.is_none_or(|r| r.scale() == 10), "{which}: scale");
        assert_eq!(doc.title(r), e.title, "{which}: title");
        assert_eq!(doc.author(r), e.author, "{which}: author");
        assert_eq!(
            r.date.map(|d| d.to_string()).as_deref(),
            Some(e.date),
            "{which}: date"
        );
        assert_eq!(r.spoiler, e.spoiler, "{which}: spoiler");
        assert_eq!(r.helpful, e.helpful, "{which}: helpful");
        assert_eq!(r.not_helpful, e.not_helpful, "{which}: not helpful");
        let body = doc.body(r);
        assert_eq!(
            body.split("\n\n").count(),
            e.paragraphs,
            "{which}: paragraphs"
        );
        assert!(body.starts_with(e.starts), "{which}: body starts {body:?}");
        assert!(body.ends_with(e.ends), "{which}: body ends {body:?}");
        assert_eq!(
            doc.permalink(r),
            None,
            "{which}: copied text has no permalink"
        );
    }
}

#[test]
fn every_body_is_exactly_its_lines_of_the_page() {
    let text = crate::harness::sample_text();
    let page: Vec<&str> = text.lines().collect();
    let loaded = load_sample();
    let doc = &loaded.document;
    for (n, (r, e)) in doc.reviews.iter().zip(&EXPECTED).enumerate() {
        let (first, last) = e.lines;
        let expected = page[first - 1..last].join("\n");
        assert_eq!(doc.body(r), expected, "review {}", n + 1);
        // Paragraphs are separated by exactly one blank line; no line has outer space.
        assert!(!doc.body(r).contains("\n\n\n"));
        assert_eq!(doc.body(r).trim(), doc.body(r));
    }
}

#[test]
fn examples_named_by_the_issue() {
    let loaded = load_sample();
    let doc = &loaded.document;
    let by_author = |name: &str| {
        let found: Vec<_> = doc
            .reviews
            .iter()
            .filter(|r| doc.author(r) == name)
            .collect();
        assert_eq!(found.len(), 1, "{name}");
        found[0]
    };
    let date = |name: &str| by_author(name).date.map(|d| d.to_string());
    assert_eq!(date("PAolo-10").as_deref(), Some("2009-02-08"));
    assert_eq!(date("alke-2").as_deref(), Some("2005-01-03"));
    assert_eq!(date("Uriah43").as_deref(), Some("2024-03-30"));
    assert_eq!(date("peterroeder34").as_deref(), Some("2014-10-08"));
    assert_eq!(date("UlrikSander").as_deref(), Some("2006-03-11"));
    assert_eq!(date("Pjtaylor-96-138044").as_deref(), Some("2022-04-26"));

    let unrated: Vec<String> = doc
        .reviews
        .iter()
        .filter(|r| r.rating.is_none())
        .map(|r| doc.title(r).into_owned())
        .collect();
    assert_eq!(unrated, ["Amazing film.."]);

    let spoilers: Vec<String> = doc
        .reviews
        .iter()
        .filter(|r| r.spoiler)
        .map(|r| doc.author(r).into_owned())
        .collect();
    assert_eq!(spoilers, ["kristianbk", "lastliberal"]);
    // The marker line is not part of the body.
    assert!(
        doc.reviews
            .iter()
            .all(|r| !doc.body(r).contains("Warning: Spoilers"))
    );
}

#[test]
fn nothing_of_the_page_chrome_becomes_review_text() {
    let loaded = load_sample();
    let doc = &loaded.document;
    for r in &doc.reviews {
        for text in [doc.title(r), doc.author(r), doc.body(r)] {
            for chrome in [
                "Permalink",
                "found this helpful",
                "An error has occured",
                "See also",
                "Recently Viewed",
                "Sort by:",
                "44 Reviews",
            ] {
                assert!(!text.contains(chrome), "{chrome:?} in {text:?}");
            }
        }
    }
}

#[test]
fn built_in_sample_is_the_same_page() {
    assert_eq!(revue::read::SAMPLE, crate::harness::sample_text());
}

#[test]
fn json_round_trip_is_byte_identical() {
    let sample = load_sample();
    let first = export(&sample.document, OutputFormat::Json);
    let loaded = load_bytes(first.clone().into_bytes(), "pusher.json", None).expect("loads");
    assert_eq!(loaded.warnings, []);
    assert_eq!(
        loaded.document.sources[0].title.as_deref(),
        Some("Pusher II")
    );
    assert_eq!(loaded.document.sources[0].year, Some(2004));
    assert_eq!(loaded.document.sources[0].review_count, Some(44));
    let second = export(&loaded.document, OutputFormat::Json);
    assert_eq!(first, second);
    // And the reviews are the ones read from the page.
    assert_eq!(loaded.document.reviews.len(), 25);
    for (a, b) in sample.document.reviews.iter().zip(&loaded.document.reviews) {
        assert_eq!(
            (a.rating, a.date, a.spoiler, a.helpful, a.not_helpful),
            (b.rating, b.date, b.spoiler, b.helpful, b.not_helpful)
        );
        assert_eq!(sample.document.body(a), loaded.document.body(b));
    }
}

#[test]
fn json_lines_round_trip_is_byte_identical() {
    let sample = load_sample();
    let first = export(&sample.document, OutputFormat::Jsonl);
    assert_eq!(first.lines().count(), 25);
    let loaded = load_bytes(first.clone().into_bytes(), "pusher.jsonl", None).expect("loads");
    assert_eq!(loaded.warnings, []);
    assert_eq!(export(&loaded.document, OutputFormat::Jsonl), first);
    // JSON Lines has no envelope, but each line names the film, its year and the page's
    // count: the JSON made from it is the JSON made from the page.
    let json = export(&loaded.document, OutputFormat::Json);
    assert_eq!(json, export(&sample.document, OutputFormat::Json));
}

#[test]
fn round_trip_keeps_nulls_permalinks_and_odd_text() {
    let json = r#"{
  "title": "A \"quoted\" film",
  "year": null,
  "review_count": 3,
  "reviews": [
    {
      "rating": null,
      "title": "Tabs\tand \u001b escapes \u202e",
      "author": "",
      "date": null,
      "spoiler": true,
      "helpful": 18446744073709551615,
      "not_helpful": 0,
      "body": "line one\nline two\n\n  indented paragraph\n\n9/10",
      "permalink": "https://www.imdb.com/review/rw1234567/"
    },
    {
      "rating": 10,
      "title": "Ünïcödé 👩‍💻 ❤️",
      "author": "someone",
      "date": "2000-02-29",
      "spoiler": false,
      "helpful": 0,
      "not_helpful": 0,
      "body": "",
      "permalink": null
    }
  ]
}
"#;
    let loaded = load_bytes(json.as_bytes().to_vec(), "odd.json", None).expect("loads");
    assert_eq!(loaded.warnings, []);
    let first = export(&loaded.document, OutputFormat::Json);
    // Sanitized on the way in: the control and bidi characters are visible now.
    assert!(first.contains("\"Tabs and ␛ escapes <U+202E>\""), "{first}");
    assert!(first.contains("\"permalink\": \"https://www.imdb.com/review/rw1234567/\""));
    assert!(first.contains("\"helpful\": 18446744073709551615"));
    let again = load_bytes(first.clone().into_bytes(), "odd.json", None).expect("loads");
    assert_eq!(export(&again.document, OutputFormat::Json), first);
    let lines = export(&again.document, OutputFormat::Jsonl);
    let from_lines = load_bytes(lines.clone().into_bytes(), "odd.jsonl", None).expect("loads");
    assert_eq!(export(&from_lines.document, OutputFormat::Jsonl), lines);
}
