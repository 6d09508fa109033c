//! The public shapes of review data (FORMATS.md §4), each recognised by field names only it
//! has, and the words review data uses for each review field, for any other shape. Names are
//! written normalized (see [`super::normalize`]); a target lists its source fields best
//! first, and a later one fills it only where the ones before are empty.

use super::Target;
use crate::model::schema::Field;

/// A known source of review data.
#[derive(Debug, PartialEq, Eq)]
pub struct Preset {
    /// What `--explain` calls it.
    pub name: &'static str,
    /// The fields that all together identify it.
    pub required: &'static [&'static str],
    /// What fills each target, best first.
    pub fields: &'static [(Target, &'static [&'static str])],
    /// The scale its ratings are on.
    pub scale: Option<u8>,
    /// What its reviews are about, when not a film.
    pub subject: Option<&'static str>,
}

const fn f(field: Field) -> Target {
    Target::Field(field)
}

/// The presets, most specific first: the first whose required fields are all there wins.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "IMDB Spoiler Dataset (Kaggle)",
        required: &["reviewdate", "movieid", "isspoiler", "reviewtext"],
        fields: &[
            (f(Field::Rating), &["rating"]),
            (f(Field::Title), &["reviewsummary"]),
            (f(Field::Author), &["userid"]),
            (f(Field::Date), &["reviewdate"]),
            (f(Field::Spoiler), &["isspoiler"]),
            (f(Field::Body), &["reviewtext"]),
            (f(Field::Film), &["movieid"]),
        ],
        scale: Some(10),
        subject: None,
    },
    Preset {
        name: "Amazon reviews 2023",
        required: &["rating", "text", "parentasin", "timestamp"],
        fields: &[
            (f(Field::Rating), &["rating"]),
            (f(Field::Title), &["title"]),
            (f(Field::Author), &["userid"]),
            (f(Field::Date), &["timestamp"]),
            (f(Field::Helpful), &["helpfulvote"]),
            (f(Field::Body), &["text"]),
            (f(Field::Film), &["parentasin", "asin"]),
        ],
        scale: Some(5),
        subject: Some("product"),
    },
    Preset {
        name: "Amazon reviews 2014/2018",
        required: &["reviewerid", "asin", "overall"],
        fields: &[
            (f(Field::Rating), &["overall"]),
            (f(Field::Title), &["summary"]),
            (f(Field::Author), &["reviewername", "reviewerid"]),
            (f(Field::Date), &["unixreviewtime", "reviewtime"]),
            (f(Field::Helpful), &["helpful", "vote"]),
            (f(Field::Body), &["reviewtext"]),
            (f(Field::Film), &["asin"]),
        ],
        scale: Some(5),
        subject: Some("product"),
    },
    Preset {
        name: "Yelp Open Dataset",
        required: &["reviewid", "businessid", "stars", "text"],
        fields: &[
            (f(Field::Rating), &["stars"]),
            (f(Field::Author), &["userid"]),
            (f(Field::Date), &["date"]),
            (f(Field::Helpful), &["useful"]),
            (f(Field::Body), &["text"]),
            (f(Field::Film), &["businessid"]),
        ],
        scale: Some(5),
        subject: Some("business"),
    },
    Preset {
        name: "Google Play (google-play-scraper)",
        required: &["reviewid", "content", "score", "thumbsupcount"],
        fields: &[
            (f(Field::Rating), &["score"]),
            (f(Field::Author), &["username"]),
            (f(Field::Date), &["at"]),
            (f(Field::Helpful), &["thumbsupcount"]),
            (f(Field::Body), &["content"]),
            (f(Field::Film), &["appid", "app", "appname"]),
            (Target::Reply, &["replycontent"]),
            (f(Field::ReplyDate), &["repliedat"]),
        ],
        scale: Some(5),
        subject: Some("app"),
    },
    Preset {
        name: "App Store (app-store-scraper)",
        required: &["review", "rating", "isedited", "username"],
        fields: &[
            (f(Field::Rating), &["rating"]),
            (f(Field::Title), &["title"]),
            (f(Field::Author), &["username"]),
            (f(Field::Date), &["date"]),
            (f(Field::Body), &["review"]),
            (f(Field::Film), &["appid", "app", "appname"]),
            (
                Target::Reply,
                &["developerresponse", "developerresponse.body"],
            ),
        ],
        scale: Some(5),
        subject: Some("app"),
    },
    Preset {
        name: "Steam (store API)",
        required: &["review", "votedup"],
        fields: &[
            (f(Field::Verdict), &["votedup"]),
            (f(Field::Author), &["author.steamid", "authorsteamid"]),
            (f(Field::Date), &["timestampcreated"]),
            (f(Field::Helpful), &["votesup", "voteshelpful"]),
            (f(Field::Body), &["review"]),
            (
                f(Field::Film),
                &["appname", "game", "gametitle", "gamename"],
            ),
        ],
        scale: None,
        subject: Some("game"),
    },
    Preset {
        name: "Steam (review dump)",
        required: &["review", "recommended"],
        fields: &[
            (f(Field::Verdict), &["recommended"]),
            (f(Field::Author), &["author.steamid", "authorsteamid"]),
            (f(Field::Date), &["timestampcreated"]),
            (f(Field::Helpful), &["voteshelpful", "votesup"]),
            (f(Field::Body), &["review"]),
            (
                f(Field::Film),
                &["appname", "game", "gametitle", "gamename", "title"],
            ),
        ],
        scale: None,
        subject: Some("game"),
    },
    Preset {
        name: "Letterboxd export",
        required: &["letterboxduri", "name", "year"],
        fields: &[
            (f(Field::Rating), &["rating"]),
            (f(Field::Date), &["date", "watcheddate"]),
            (f(Field::Body), &["review"]),
            (f(Field::Permalink), &["letterboxduri"]),
            (f(Field::Film), &["name"]),
            (f(Field::FilmYear), &["year"]),
        ],
        scale: Some(5),
        subject: None,
    },
    Preset {
        // `comments.csv` of the same export: `Content` is the address of what was
        // commented on, `Comment` the words.
        name: "Letterboxd export (comments)",
        required: &["date", "content", "comment"],
        fields: &[
            (f(Field::Date), &["date"]),
            (f(Field::Body), &["comment"]),
            (f(Field::Permalink), &["content"]),
        ],
        scale: None,
        subject: None,
    },
    Preset {
        name: "Stanford/Kaggle IMDB Dataset",
        required: &["review", "sentiment"],
        fields: &[
            (f(Field::Body), &["review"]),
            (f(Field::Verdict), &["sentiment"]),
        ],
        scale: None,
        subject: None,
    },
    Preset {
        name: "text and label (TensorFlow Datasets and Hugging Face, as imdb_reviews)",
        required: &["text", "label"],
        fields: &[(f(Field::Body), &["text"]), (f(Field::Verdict), &["label"])],
        scale: None,
        subject: None,
    },
];

/// The words data uses for each review field, best first, for shapes no preset knows.
pub static GENERIC: &[(Target, &[&str])] = &[
    (
        f(Field::Body),
        &[
            "body",
            "review",
            "reviewtext",
            "reviewbody",
            "reviewcontent",
            "text",
            "content",
            "comment",
            "comments",
            "commenttext",
            "reviews",
            "message",
            "opinion",
            "feedback",
            "description",
        ],
    ),
    (
        f(Field::Title),
        &[
            "title",
            "reviewtitle",
            "summary",
            "headline",
            "reviewsummary",
            "reviewheadline",
        ],
    ),
    (
        f(Field::Rating),
        &[
            "rating",
            "reviewrating",
            "userrating",
            "stars",
            "starrating",
            "score",
            "reviewscore",
            "overall",
            "rate",
            "grade",
            "ratingvalue",
        ],
    ),
    (
        f(Field::RatingScale),
        &["ratingscale", "scale", "maxrating", "bestrating", "outof"],
    ),
    (
        f(Field::Verdict),
        &[
            "verdict",
            "sentiment",
            "recommended",
            "votedup",
            "recommend",
            "isrecommended",
            "recommendation",
            "polarity",
            "reviewtype",
            "freshness",
            "label",
        ],
    ),
    (
        f(Field::Author),
        &[
            "author",
            "authorname",
            "user",
            "username",
            "reviewer",
            "reviewername",
            "by",
            "critic",
            "criticname",
            "author.steamid",
            "userid",
            "reviewerid",
            "authorid",
        ],
    ),
    (
        f(Field::Date),
        &[
            "date",
            "reviewdate",
            "datetime",
            "createdat",
            "created",
            "time",
            "timestamp",
            "timestampcreated",
            "tstampcreated",
            "reviewtime",
            "unixreviewtime",
            "published",
            "publisheddate",
            "posted",
            "at",
        ],
    ),
    (
        f(Field::Helpful),
        &[
            "helpful",
            "helpfulvotes",
            "helpfulvote",
            "helpfulcount",
            "votes",
            "vote",
            "votesup",
            "voteshelpful",
            "upvotes",
            "useful",
            "thumbsupcount",
            "likes",
        ],
    ),
    (
        f(Field::NotHelpful),
        &[
            "nothelpful",
            "downvotes",
            "votesdown",
            "thumbsdowncount",
            "unhelpful",
        ],
    ),
    (
        f(Field::Spoiler),
        &[
            "spoiler",
            "isspoiler",
            "spoilers",
            "containsspoiler",
            "containsspoilers",
            "hasspoiler",
        ],
    ),
    (
        f(Field::Film),
        &[
            "film",
            "movie",
            "filmtitle",
            "movietitle",
            "moviename",
            "filmname",
            "subject",
            "product",
            "productname",
            "productid",
            "asin",
            "game",
            "gametitle",
            "gamename",
            "appname",
            "app",
            "business",
            "businessname",
            "businessid",
            "hotel",
            "restaurant",
            "item",
            "itemname",
            "book",
            "booktitle",
            "movieid",
            "filmid",
        ],
    ),
    (
        f(Field::FilmYear),
        &["filmyear", "year", "releaseyear", "movieyear"],
    ),
    (f(Field::FilmReviewCount), &["filmreviewcount"]),
    (
        f(Field::Permalink),
        &["permalink", "url", "link", "uri", "reviewurl", "reviewlink"],
    ),
    (
        f(Field::ReplyDate),
        &[
            "replydate",
            "repliedat",
            "responsedate",
            "developerresponsedate",
        ],
    ),
    (
        Target::Reply,
        &[
            "reply",
            "replycontent",
            "developerresponse",
            "developerresponse.body",
            "response",
        ],
    ),
];
