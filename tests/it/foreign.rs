//! Review data from elsewhere (FORMATS.md §4): each public shape in `tests/data/foreign/`
//! opens with every field right, says how it was read, round-trips through revue's own
//! formats, and a shape revue does not know gets an error that names its fields.

use std::fmt::Write as _;

use revue::export::{self, OutputFormat};
use revue::load::{LoadError, Loaded, MapSpec, Options, load_with};
use revue::model::Document;

use crate::harness::{data_arg, read_data, revue, revue_output};

fn load(name: &str) -> Loaded {
    load_opts(name, &Options::default())
}

fn load_opts(name: &str, options: &Options) -> Loaded {
    let path = format!("foreign/{name}");
    load_with(read_data(&path), name, None, options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One review as a line: rating/scale, verdict, title, author, date, spoiler, helpful,
/// not helpful (`-` when unknown), film, permalink, and the start of the body.
fn rows(doc: &Document) -> Vec<String> {
    doc.reviews
        .iter()
        .map(|r| {
            let rating = r
                .rating
                .map_or("-".to_string(), |r| format!("{r}/{}", r.scale()));
            let verdict = r.verdict.map_or("-", |v| v.name());
            let film = doc
                .source_of(r)
                .filter(|_| doc.sources.len() > 1 || doc.sources[0].subject.is_some())
                .map_or("-".to_string(), |s| s.label.clone());
            let body: String = doc.body(r).chars().take(40).collect();
            format!(
                "{rating}|{verdict}|{}|{}|{}|{}|{}|{}|{film}|{}|{body:?}",
                doc.title(r),
                doc.author(r),
                r.date.map_or("-".to_string(), |d| d.to_string()),
                r.spoiler,
                r.helpful,
                r.not_helpful().map_or("-".to_string(), |n| n.to_string()),
                doc.permalink(r).as_deref().unwrap_or("-"),
            )
        })
        .collect()
}

/// What `--explain` says the reading was.
fn reading(loaded: &Loaded) -> String {
    loaded
        .explained
        .as_ref()
        .and_then(|e| e.mapping.as_ref())
        .map_or("-".to_string(), revue::load::Mapping::reading_name)
}

#[test]
fn stanford_imdb_dataset_reads_sentiment_and_html_breaks() {
    let loaded = load("imdb-dataset.csv");
    assert_eq!(reading(&loaded), "Stanford/Kaggle IMDB Dataset");
    let doc = &loaded.document;
    assert_eq!(
        rows(doc),
        [
            r#"-|positive|||-|false|0|-|-|-|"I went in expecting another \"gritty rebo""#,
            r#"-|negative|||-|false|0|-|-|-|"Ninety minutes of people walking down co""#,
            r#"-|positive|||-|false|0|-|-|-|"My brother said it was \"the best thing s""#,
            r#"-|negative|||-|false|0|-|-|-|"Where do I start.\nThe sound mix buries h""#,
            r#"-|positive|||-|false|0|-|-|-|"A gentle little film about a lighthouse ""#,
            r#"-|negative|||-|false|0|-|-|-|"Dull, dull, dull. I gave it forty minute""#,
        ]
    );
    // `<br /><br />` is a paragraph break, `&amp;` an ampersand, CRLF a line break.
    assert!(
        doc.body(&doc.reviews[0])
            .contains("feel.\n\nYes, the last act")
    );
    assert!(doc.body(&doc.reviews[1]).contains("corridors & whispering"));
    assert!(!doc.body(&doc.reviews[3]).contains('\r'));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn kaggles_tab_separated_imdb_files_unescape_their_quotes() {
    let loaded = load("kaggle-labeled-train.tsv");
    assert_eq!(reading(&loaded), "Stanford/Kaggle IMDB Dataset");
    assert_eq!(
        loaded.explained.as_ref().map(|e| e.format.as_str()),
        Some("CSV file, tab-separated")
    );
    let doc = &loaded.document;
    assert_eq!(doc.reviews.len(), 3);
    assert!(
        doc.body(&doc.reviews[0]).contains(
            "his music. \"Moonwalker\" is part biography, part feature film.\n\nThe actual"
        ),
        "{}",
        doc.body(&doc.reviews[0])
    );
    assert!(
        doc.body(&doc.reviews[1])
            .starts_with("\"The Classic War of the Worlds\" by")
    );
    let verdicts: Vec<&str> = doc
        .reviews
        .iter()
        .map(|r| r.verdict.map_or("-", |v| v.name()))
        .collect();
    assert_eq!(verdicts, ["positive", "positive", "negative"]);
}

#[test]
fn tensorflow_dumps_decode_python_bytes_literals() {
    let loaded = load("tfds-imdb.csv");
    assert_eq!(
        reading(&loaded),
        "text and label (TensorFlow Datasets and Hugging Face, as imdb_reviews)"
    );
    let doc = &loaded.document;
    let bodies: Vec<String> = doc
        .reviews
        .iter()
        .map(|r| doc.body(r).into_owned())
        .collect();
    assert_eq!(
        bodies[1],
        "It's the kind of sequel nobody asked for and nobody will remember."
    );
    assert!(bodies[2].starts_with("Don't listen to the critics who call it \"slow\""));
    assert!(
        bodies[3].contains("C:\\Users\\editor\\final_v2"),
        "{}",
        bodies[3]
    );
    assert!(bodies[3].starts_with("Line one of my complaint.\nLine two"));
    assert_eq!(
        bodies[4],
        "The director\u{2019}s best work since his debut. Café scenes alone are worth it."
    );
    let verdicts: Vec<&str> = doc
        .reviews
        .iter()
        .map(|r| r.verdict.map_or("-", |v| v.name()))
        .collect();
    assert_eq!(
        verdicts,
        [
            "positive", "negative", "positive", "negative", "positive", "negative"
        ]
    );
}

#[test]
fn uncleaned_dumps_are_read_cell_by_cell_as_copied_pages() {
    let loaded = load("imdb-uncleaned.csv");
    assert_eq!(
        rows(&loaded.document),
        [
            r#"8/10|-|A slow burn that pays off|kinoman22|2019-05-15|false|54|8|-|-|"The first hour is all mood: rain, neon, ""#,
            r#"3/10|-|"Cold" is the word|PAolo-10|2009-02-08|true|1234|266|-|-|"The brother dies in the first ten minute""#,
            r#"-|-|Amazing film..|the_projectionist|2021-10-03|false|12|2|-|-|"I gave it 7/10 stars in my head while wa""#,
            r#"10/10|-|Best thing I have seen this year!!|Uriah43|2024-03-30|false|3|0|-|-|"Every frame could hang in a gallery.\n9/1""#,
            r#"6/10|-|Fine for a rainy Sunday|alke-2|2005-01-03|false|0|3|-|-|"Nothing new, nothing bad. The kids liked""#,
        ]
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn ad_hoc_scrapes_match_by_name_and_guess_the_scale() {
    let loaded = load("imdb-scrape.csv");
    assert_eq!(reading(&loaded), "fields matched by name");
    assert_eq!(
        loaded.explained.as_ref().and_then(|e| e.scale),
        Some(10),
        "ratings up to 10 are out of 10"
    );
    assert_eq!(
        rows(&loaded.document),
        [
            r#"8/10|-|Worth the wait|grainyframes|2019-03-12|false|1234|-|-|-|"Tight script, great sound design, and a ""#,
            r#"-|-|No rating from me, just a warning|MarthaK-77|2020-01-01|false|0|-|-|-|"The trailer shows every good scene. Save""#,
            r#"-|-|Unrated but recommended|quietviewer|2016-02-29|false|0|-|-|-|"I never rate films I walked out of for a""#,
            r#"10/10|-|A masterpiece, plain and simple|Dr. Strangelove Fan|2023-08-07|false|56|-|-|-|"I have seen it four times.\nIt gets bette""#,
            r#"2/10|-|Why, though?|o'brien_reviews|2018-11-30|false|12|-|-|-|"Remakes should add something. This one o""#,
        ]
    );
    // `N/A` is no rating, not a bad one.
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn imdb_spoiler_dataset_keeps_spoilers_and_films() {
    let loaded = load("imdb-spoiler.jsonl");
    assert_eq!(reading(&loaded), "IMDB Spoiler Dataset (Kaggle)");
    let doc = &loaded.document;
    assert_eq!(doc.sources.len(), 2);
    assert_eq!(
        rows(doc)[..2],
        [
            r#"10/10|-|Hope is a good thing|ur48219077|2017-02-03|true|0|-|tt0111161|-|"When Andy crawls through five hundred ya""#,
            r#"9/10|-|Patience rewarded|ur1898687|2006-02-10|false|0|-|tt0111161|-|"A prison film that is really about frien""#,
        ]
    );
    assert_eq!(doc.reviews.iter().filter(|r| r.spoiler).count(), 2);
}

#[test]
fn amazon_2014_reads_helpful_pairs_and_falls_back_to_the_reviewer_id() {
    let loaded = load("amazon-2014.jsonl");
    assert_eq!(reading(&loaded), "Amazon reviews 2014/2018");
    let doc = &loaded.document;
    assert_eq!(
        rows(doc),
        [
            r#"5/5|-|Just as he remembered it|Gloria Vance|2014-02-28|false|2|1|0783225911|-|"Bought this for my dad, who saw it in th""#,
            r#"2/5|-|Damaged disc|Amazon Customer "filmfan"|2013-06-02|false|0|0|0783225911|-|"Disc arrived scratched and skips in chap""#,
            r#"3/5|-|Not the cut you think|A2XOJXOT0AFXHE|2012-02-02|false|1|3|0783225911|-|"It's fine. Not the director's cut, which""#,
            r#"4/5|-|Better the second time|Adam|2012-12-16|false|15|2|B00005JNOG|-|"A quiet, odd little comedy that rewards ""#,
            r#"1/5|-|One Star|Dan B.|2014-07-21|false|0|2|B00005JNOG|-|"Fake! This is a region 2 disc in a US ca""#,
        ]
    );
    assert_eq!(doc.sources[0].subject, Some("product"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn amazon_2018_reads_votes_with_separators_and_lists_the_unused_fields_without_a_warning() {
    let loaded = load("amazon-2018.jsonl");
    let rows = rows(&loaded.document);
    assert!(
        rows[0].starts_with("3/5|-|Ok companion book|JJSS|2006-11-03|false|1234|-|1423600150|")
    );
    assert!(rows[2].starts_with("1/5|-|Broken on arrival|Michelle W|2018-01-01|false|7|-|"));
    assert!(rows[4].starts_with("2/5|-|Two Stars|A2ZFFXGLJUHD76|2014-07-21|false|0|-|"));
    // Fields left unused are no problem: no warning, and --explain lists them.
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let explained = loaded.explained.as_ref().expect("explained").to_string();
    let unused = explained
        .lines()
        .find(|l| l.starts_with("unused:"))
        .expect("an unused line");
    assert!(
        unused.contains("verified") && unused.contains("image"),
        "{explained}"
    );
}

#[test]
fn amazon_2023_reads_millisecond_times_in_utc_and_breaks() {
    let loaded = load("amazon-2023.jsonl");
    assert_eq!(reading(&loaded), "Amazon reviews 2023");
    let rows = rows(&loaded.document);
    assert!(rows[1].starts_with("5/5|-|Finally in 4K|"), "{}", rows[1]);
    assert!(rows[1].contains(r#""Waited years for this.\n\nColors are natur""#));
    // 1609459199999 ms is the last millisecond of 2020 in UTC.
    assert!(rows[3].contains("|2020-12-31|"), "{}", rows[3]);
    assert!(
        rows[2].contains("|B09KQ3T5ZW|"),
        "the parent asin is the product"
    );
}

#[test]
fn yelp_reads_businesses_and_keeps_a_rated_review_without_text() {
    let loaded = load("yelp.jsonl");
    let doc = &loaded.document;
    assert_eq!(doc.reviews.len(), 5);
    assert_eq!(doc.sources.len(), 2);
    assert_eq!(doc.sources[0].subject, Some("business"));
    let rows = rows(doc);
    assert!(
        rows[0].starts_with("4/5|-||mh_-eMZ6K5RLWhZyISBhwA|2018-07-07|false|3|-|XQfwVwDr"),
        "{}",
        rows[0]
    );
    assert!(
        rows[3].ends_with(r#"|"""#),
        "the empty text stays empty: {}",
        rows[3]
    );
}

#[test]
fn google_play_in_csv_and_json_read_the_same_with_the_reply_under_the_body() {
    let csv = load("google-play.csv");
    let json = load("google-play.json");
    assert_eq!(reading(&csv), "Google Play (google-play-scraper)");
    assert_eq!(rows(&csv.document), rows(&json.document));
    let doc = &csv.document;
    let tom = &doc.reviews[1];
    assert_eq!(doc.author(tom), "Tom Becker");
    assert_eq!(tom.rating.map(|r| (r.whole(), r.scale())), Some((1, 5)));
    assert_eq!(tom.helpful, 87);
    // The developer's reply is its own field, never the user's words (FORMATS.md §4).
    let (reply, _) = doc.reply(tom).expect("a reply");
    assert_eq!(
        reply,
        "Hi Tom, sorry about this! Version 5.13.2 fixes the trailer crash, please update and let us know."
    );
    assert!(!doc.body(tom).contains("Hi Tom"), "{}", doc.body(tom));
    assert_eq!(
        doc.reply(tom),
        json.document.reply(&json.document.reviews[1])
    );
    assert!(
        json.document
            .body(&json.document.reviews[3])
            .starts_with("Love it 😍")
    );
    // Python's json writes an emoji as a surrogate pair: it is one character, in place.
    let escaped =
        r#"[{"reviewId":"a","content":"Love it \ud83d\ude0d","score":5,"thumbsUpCount":1}]"#;
    let loaded = load_with(escaped.into(), "x", None, &Options::default()).expect("loads");
    let doc = &loaded.document;
    assert_eq!(doc.body(&doc.reviews[0]), "Love it 😍");
}

#[test]
fn app_store_reads_the_reply_out_of_its_dict() {
    let loaded = load("app-store.csv");
    let doc = &loaded.document;
    let r = &doc.reviews[2];
    assert_eq!(doc.title(r), "Almost there");
    let (reply, _) = doc.reply(r).expect("a reply");
    assert_eq!(
        reply,
        "Thanks for the feedback! We've added a true-black theme in 4.2."
    );
    assert!(!doc.body(r).contains("Thanks for the feedback"));
    assert_eq!(
        rows(doc)[0],
        r#"5/5|-|Simple and fast|cinephile_88|2022-03-04|false|0|-|-|-|"Does exactly what I need: log a film, ra""#
    );
}

#[test]
fn steam_api_and_dump_read_verdicts_games_and_nested_authors() {
    let api = load("steam-api.json");
    assert_eq!(reading(&api), "Steam (store API)");
    assert_eq!(
        rows(&api.document)[1],
        r#"-|negative||76561198057304213|2019-09-02|false|13|-|-|-|"is not compatible with windows 10. crash""#
    );
    let dump = load("steam.csv");
    assert_eq!(reading(&dump), "Steam (review dump)");
    let doc = &dump.document;
    assert_eq!(doc.sources.len(), 2);
    assert_eq!(doc.sources[1].label, "Papers, Please");
    assert_eq!(doc.sources[1].subject, Some("game"));
    assert_eq!(
        rows(doc)[3],
        r#"-|positive||76561198012345678|2019-09-02|false|2047|-|Papers, Please|-|"Glory to Arstotzka. A tiny game about pa""#
    );
}

#[test]
fn letterboxd_keeps_half_stars_and_tells_remakes_apart() {
    let loaded = load("letterboxd-reviews.csv");
    assert_eq!(reading(&loaded), "Letterboxd export");
    let doc = &loaded.document;
    assert_eq!(
        rows(doc)
            .iter()
            .map(|r| r.split('|').next().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["5/5", "2/5", "3.5/5", "0.5/5", "-"]
    );
    let labels: Vec<&str> = doc.sources.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels[..2], ["The Thing (1982)", "The Thing (2011)"]);
    assert_eq!(doc.sources[0].title.as_deref(), Some("The Thing"));
    assert_eq!(doc.sources[0].year, Some(1982));
    assert_eq!(
        doc.permalink(&doc.reviews[0]).as_deref(),
        Some("https://boxd.it/4YkP2d")
    );
    assert_eq!(doc.sources[0].subject, None, "Letterboxd reviews films");
}

#[test]
fn map_completes_a_shape_no_preset_knows() {
    let options = Options {
        map: MapSpec::parse("body=comment_text,rating=stars,film=hotel,author=guest")
            .expect("parses"),
        rating_scale: Some(5),
        ..Options::default()
    };
    let loaded = load_opts("hotel-comments.csv", &options);
    assert_eq!(
        rows(&loaded.document)[1],
        r#"2/5|-||R. Okafor|-|false|0|-|Harbour View Inn|-|"Thin walls, loud ice machine, breakfast ""#
    );
    assert!(
        loaded.warnings.is_empty(),
        "every field used: {:?}",
        loaded.warnings
    );
    // The command line says the same.
    let csv = revue_output(
        &[
            &data_arg("foreign/hotel-comments.csv"),
            "--map",
            "body=comment_text,rating=stars",
            "--map",
            "film=hotel,author=guest",
            "--rating-scale",
            "5",
            "--format",
            "csv",
        ],
        None,
    );
    let csv = String::from_utf8(csv).expect("UTF-8");
    assert!(
        csv.starts_with("rating,rating_scale,title,author,"),
        "{csv}"
    );
    assert!(csv.contains("\n2,5,,R. Okafor,"), "{csv}");
}

#[test]
fn an_unknown_shape_names_its_columns_and_suggests_map() {
    let err = load_with(
        read_data("foreign/unknown-shape.csv"),
        "x",
        None,
        &Options::default(),
    )
    .expect_err("nothing to read");
    let LoadError::Map(message) = &err else {
        panic!("{err}");
    };
    assert!(
        message.contains("its fields: id, foo, bar, score_x"),
        "{message}"
    );
    assert!(message.contains("--map body="), "{message}");
    let bad_map = Options {
        map: MapSpec::parse("body=comments").expect("parses"),
        rating_scale: None,
        ..Options::default()
    };
    let err = load_with(read_data("foreign/unknown-shape.csv"), "x", None, &bad_map)
        .expect_err("no such field");
    assert!(err.to_string().contains("no field \"comments\""), "{err}");
}

#[test]
fn explain_prints_the_reading_and_exits() {
    let out = revue()
        .args([&data_arg("foreign/amazon-2014.jsonl"), "--explain"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for line in [
        "format:   JSON Lines",
        "reading:  Amazon reviews 2014/2018",
        "reviewText      → body",
        "asin            → film",
        "unused:   none",
        "scale:    ratings out of 5 (the source)",
        "reviews:  5",
        "warnings: 0",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
}

#[test]
fn foreign_data_round_trips_through_revues_own_formats() {
    for name in [
        "letterboxd-reviews.csv",
        "steam.csv",
        "amazon-2014.jsonl",
        "yelp.jsonl",
        "imdb-dataset.csv",
    ] {
        let loaded = load(name);
        let doc = &loaded.document;
        let all: Vec<usize> = (0..doc.reviews.len()).collect();
        for format in [OutputFormat::Json, OutputFormat::Jsonl, OutputFormat::Csv] {
            let mut out = Vec::new();
            export::write(&mut out, doc, &all, format).expect("writes");
            let back = load_with(out.clone(), "back", None, &Options::default())
                .unwrap_or_else(|e| panic!("{name} {format:?}: {e}"));
            let mut again = Vec::new();
            export::write(&mut again, &back.document, &all, format).expect("writes");
            assert_eq!(
                String::from_utf8_lossy(&again),
                String::from_utf8_lossy(&out),
                "{name} {format:?}"
            );
            for (a, b) in doc.reviews.iter().zip(&back.document.reviews) {
                assert_eq!(a.rating, b.rating, "{name} {format:?}");
                assert_eq!(a.verdict, b.verdict, "{name} {format:?}");
                assert_eq!(a.not_helpful(), b.not_helpful(), "{name} {format:?}");
            }
        }
    }
}

#[test]
fn ten_thousand_copies_of_a_warning_are_one_line() {
    let mut text = String::from("review,rating\n");
    for i in 0..10_000 {
        let _ = writeln!(text, "text {i},great");
    }
    let loaded = load_with(text.into_bytes(), "x", None, &Options::default()).expect("loads");
    // Kept as one line with their count while loading, not ten thousand copies.
    assert_eq!(loaded.warnings.len(), 1);
    let shown = revue::load::summarize(loaded.warnings);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(
        shown[0].to_string(),
        "2: rating \"great\" is not a rating; left empty [10000 times (lines 2, 3, 4, …)]"
    );
}

#[test]
fn numeric_ids_are_text_and_python_floats_are_no_value() {
    let text = "{\"text\":\"fine\",\"stars\":NaN,\"user_id\":12345,\"business_id\":-7}\n\
                {\"text\":\"good \\ud800 lone\",\"stars\":4,\"user_id\":99,\"business_id\":8.5}\n";
    let loaded =
        load_with(text.as_bytes().to_vec(), "x", None, &Options::default()).expect("loads");
    let doc = &loaded.document;
    assert_eq!(doc.reviews.len(), 2, "{:?}", loaded.warnings);
    assert_eq!(doc.author(&doc.reviews[0]), "12345");
    assert_eq!(doc.reviews[0].rating, None);
    assert_eq!(
        doc.source_of(&doc.reviews[1]).map(|s| s.label.as_str()),
        Some("8.5")
    );
    assert_eq!(doc.body(&doc.reviews[1]), "good \u{fffd} lone");
}

#[test]
fn records_with_nothing_of_a_review_are_each_placed_and_counted_as_one_kind() {
    let text = "{\"text\":\"good\",\"stars\":4}\n{\"id\":1}\n{\"text\":\"\"}\n{\"text\":\"ok\"}\n";
    let loaded =
        load_with(text.as_bytes().to_vec(), "x", None, &Options::default()).expect("loads");
    assert_eq!(loaded.document.reviews.len(), 2);
    let messages: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "2: no text, title, rating or verdict: not a review; skipped",
            "3: no text, title, rating or verdict: not a review; skipped"
        ],
    );
    // Past three, one line says how many and where the first are.
    let many = format!("{text}{}", "{\"id\":2}\n".repeat(5));
    let loaded = load_with(many.into_bytes(), "x", None, &Options::default()).expect("loads");
    let messages: Vec<String> = revue::load::summarize(loaded.warnings)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        [
            "2: no text, title, rating or verdict: not a review; skipped [7 times (lines 2, 3, 5, …)]"
        ],
    );
}

#[test]
fn when_nothing_loads_the_error_names_the_format_and_the_first_reason() {
    let text = "{\"reviewText\":null,\"overall\":9,\"asin\":\"a\",\"reviewerID\":\"r\"}\n\
                {\"reviewText\":true,\"overall\":7,\"asin\":\"a\",\"reviewerID\":\"r\"}\n";
    let err = load_with(text.as_bytes().to_vec(), "x", None, &Options::default())
        .expect_err("nothing loads");
    let message = err.to_string();
    assert!(message.contains("in this JSON Lines"), "{message}");
    assert!(
        message.contains("line 1: rating 9 is not from 0.5 to 5"),
        "{message}"
    );
}

#[test]
fn fields_that_first_appear_after_the_sampled_records_are_still_read() {
    let mut text = String::new();
    for _ in 0..150 {
        text.push_str(r#"{"reviewerID":"A1","asin":"B1","overall":4.0,"reviewText":"ok"}"#);
        text.push('\n');
    }
    text.push_str(
        r#"{"reviewerID":"A2","asin":"B1","overall":5.0,"reviewText":"late","reviewerName":"Zed","summary":"Late"}"#,
    );
    let loaded = load_with(text.into_bytes(), "x", None, &Options::default()).expect("loads");
    let doc = &loaded.document;
    let last = doc.reviews.last().expect("reviews");
    assert_eq!((&*doc.author(last), &*doc.title(last)), ("Zed", "Late"));
    assert_eq!(doc.author(&doc.reviews[0]), "A1");
}

/// Silent misreadings, each class read by one rule now: a number in a date field as its
/// digits read as text; a byte-order mark at the start of a JSON Lines file or of each of
/// its lines; stars out of five among ratings out of 100; a CSV whose header and first row
/// pass the bytes sniffed; `--map` saying two things at once.
#[test]
fn values_are_read_by_one_rule_whatever_their_shape() {
    let dates = "{\"text\":\"a\",\"date\":20170203}\n{\"text\":\"b\",\"date\":2019}\n\
                 {\"text\":\"c\",\"date\":1561809600}\n{\"text\":\"d\",\"date\":\"20170203\"}\n";
    let loaded =
        load_with(dates.as_bytes().to_vec(), "d", None, &Options::default()).expect("loads");
    let doc = &loaded.document;
    let got: Vec<String> = doc
        .reviews
        .iter()
        .map(|r| r.date.map_or_else(|| "-".into(), |d| d.to_string()))
        .collect();
    assert_eq!(got, ["2017-02-03", "-", "2019-06-29", "2017-02-03"]);
    let said: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(
        said.iter()
            .any(|w| w.starts_with("2: date 2019 is not a date")),
        "{said:?}"
    );

    for text in [
        "\u{feff}{\"text\":\"a\",\"stars\":4}\n{\"text\":\"b\",\"stars\":5}\n",
        "\u{feff}{\"text\":\"a\",\"stars\":4}\n\u{feff}{\"text\":\"b\",\"stars\":5}\n",
    ] {
        let loaded =
            load_with(text.as_bytes().to_vec(), "b", None, &Options::default()).expect("loads");
        assert_eq!(loaded.document.reviews.len(), 2, "{text:?}");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    }

    let stars = "name,text,score\nA,a,80\nB,b,★★★½\nC,c,55\n";
    let loaded =
        load_with(stars.as_bytes().to_vec(), "s", None, &Options::default()).expect("loads");
    let ratings: Vec<String> = loaded
        .document
        .reviews
        .iter()
        .map(|r| {
            r.rating
                .map_or_else(|| "-".into(), |r| format!("{}/{}", r.value(), r.scale()))
        })
        .collect();
    assert_eq!(ratings, ["80/100", "3.5/5", "55/100"]);

    let mut wide = (0..9000).fold(String::new(), |mut out, i| {
        let _ = write!(out, "col{i},");
        out
    });
    wide.push_str("review,rating\n");
    wide.push_str(&"x,".repeat(9000));
    wide.push_str("\"Great, truly\",8\n");
    let (_dir, path) = crate::harness::temp_file("wide.csv", wide.as_bytes());
    let out = revue()
        .arg(&path)
        .args(["--format", "jsonl"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"body\":\"Great, truly\""));

    for map in [
        &["--map", "body=text,title=text"][..],
        &["--map", "body=a", "--map", "body=b"],
    ] {
        let out = revue()
            .arg(&path)
            .args(["--format", "jsonl"])
            .args(map)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{map:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("--map"), "{err}");
    }
}
