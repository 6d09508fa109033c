//! Which field of a source fills which review field: the mapping the CSV, JSON and JSON
//! Lines readers use for review data revue did not write (FORMATS.md §4). A mapping comes
//! from a preset recognised by the source's field names, or else from matching names
//! loosely against the words data uses for each review field, and `--map` overrides or
//! completes either. It also says what it did, for `--explain` and the info overlay.

mod presets;

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use super::LoadError;
use super::build::Reading;
use crate::model::schema::Field;

pub use presets::{PRESETS, Preset};

/// What a source field fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Field(Field),
    /// A reply to the review (an app developer's), shown under its body.
    Reply,
}

impl Target {
    /// The name `--map` and `--explain` use.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Field(field) => field.name(),
            Self::Reply => "reply",
        }
    }

    /// The target `--map` names: a review field (`body`, `not_helpful`), `reply`, or
    /// `subject` for `film`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let name = normalize(name);
        if name == "reply" {
            return Some(Self::Reply);
        }
        if name == "subject" || name == "product" || name == "game" || name == "app" {
            return Some(Self::Field(Field::Film));
        }
        if name == "scale" {
            return Some(Self::Field(Field::RatingScale));
        }
        Field::ALL
            .into_iter()
            .find(|f| normalize(f.name()) == name)
            .map(Self::Field)
    }
}

/// A source field name as it is compared: lower case, letters, digits and the `.` of a
/// dotted path only, so `Review Title`, `review_title`, `reviewTitle` and `review-title`
/// are one name.
#[must_use]
pub fn normalize(name: &str) -> String {
    name.trim()
        .trim_matches('"')
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `--map FIELD=SOURCE[,…]`: review fields named to be filled from source fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapSpec(pub Vec<(Target, String)>);

impl MapSpec {
    /// Parses `body=comment_text,rating=stars,film=hotel`.
    ///
    /// # Errors
    /// A message naming the part that is not `FIELD=SOURCE` with a known field.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut spec = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, source)) = part.split_once('=') else {
                return Err(format!("`{part}` is not FIELD=SOURCE"));
            };
            let Some(target) = Target::from_name(field) else {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                return Err(format!(
                    "`{}` is not a review field (the fields are {}, reply)",
                    field.trim(),
                    names.join(", ")
                ));
            };
            let source = source.trim();
            if source.is_empty() {
                return Err(format!("`{part}` names no source field"));
            }
            spec.push((target, source.to_string()));
        }
        if spec.is_empty() {
            return Err("expected FIELD=SOURCE, for example body=comment_text".into());
        }
        let spec = Self(spec);
        match spec.contradiction() {
            Some(message) => Err(message),
            None => Ok(spec),
        }
    }

    /// Adds the pairs of another `--map`.
    pub fn extend(&mut self, other: Self) {
        self.0.extend(other.0);
    }

    /// What the pairs say against each other, if anything: a review field given two
    /// sources, or a source given to two fields (a field of the data fills one review
    /// field). Either way one pair would be dropped without a word.
    #[must_use]
    pub fn contradiction(&self) -> Option<String> {
        for (i, (target, source)) in self.0.iter().enumerate() {
            for (other_target, other_source) in &self.0[..i] {
                if other_target == target && normalize(other_source) != normalize(source) {
                    return Some(format!(
                        "{} is given two sources, {} and {}; name one",
                        target.name(),
                        shown_name(other_source),
                        shown_name(source)
                    ));
                }
                if other_target != target && normalize(other_source) == normalize(source) {
                    return Some(format!(
                        "{} is given to both {} and {}; a field of the data fills one review field",
                        shown_name(source),
                        other_target.name(),
                        target.name()
                    ));
                }
            }
        }
        None
    }
}

/// How a document is read, as the user asked: `--map`, `--rating-scale` and `--encoding`;
/// and where its text is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub map: MapSpec,
    pub rating_scale: Option<u8>,
    /// The encoding of text that is not UTF-8, when detection is not to decide.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub keep: Keep,
    /// The files are followed as they grow from the start (`--follow`): a last record
    /// still being written is left until it is whole.
    pub follow: bool,
}

/// Where the text of a document is kept once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keep {
    /// Text read in pieces is left in its file, and text that came through a pipe or out
    /// of a container in a spill file made in this folder; `None` keeps it all in memory.
    pub spill_dir: Option<std::path::PathBuf>,
    /// The most bytes of a document read whole (the formats not read in pieces) held in
    /// memory: the default `--max-size`.
    pub memory_cap: u64,
}

impl Default for Keep {
    fn default() -> Self {
        Self {
            spill_dir: None,
            memory_cap: crate::read::DEFAULT_MAX_SIZE,
        }
    }
}

impl Options {
    /// Whether the fields are to be read as revue finds them (no `--map`, no
    /// `--rating-scale`).
    #[must_use]
    pub fn maps_nothing(&self) -> bool {
        self.map == MapSpec::default() && self.rating_scale.is_none()
    }
}

/// One source field and what it fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The name as the source spells it (a dotted path for a nested key).
    pub name: String,
    pub target: Option<Target>,
    /// Among several fields that fill one target, the lower rank wins where it has a value
    /// (Amazon's `reviewerName`, else `reviewerID`).
    pub rank: u8,
}

/// Where the rating scale came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleFrom {
    /// `--rating-scale`.
    Option,
    /// The preset's source.
    Preset,
    /// A `rating_scale` field of the data.
    Data,
    /// revue's own data without a `rating_scale` field: out of 10, as FORMATS.md §3 says.
    Own,
    /// The ratings themselves: the smallest usual scale (5, 10, 100) that holds them all.
    Guess,
}

/// How the fields of one document map onto review fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The preset recognised, if one was.
    pub preset: Option<&'static Preset>,
    /// Every source field seen, in order, and what it fills.
    pub columns: Vec<Column>,
    /// The scale of ratings that do not say theirs.
    pub scale: u8,
    pub scale_from: ScaleFrom,
    /// revue's own fields, read as revue writes them.
    pub own: bool,
    /// What `--map` named that this source lacks, one message each.
    pub missing: Vec<String>,
    by_name: HashMap<String, (Target, u8)>,
}

impl Mapping {
    /// The mapping for a source whose fields are `names` (a CSV header, or the keys of the
    /// first records with nested keys as dotted paths). A `--map` source field that is not
    /// among `names` is kept in [`Mapping::missing`].
    #[must_use]
    pub fn resolve(names: &[String], options: &Options) -> Self {
        let normal: Vec<String> = names.iter().map(|n| normalize(n)).collect();
        let has = |name: &str| normal.iter().any(|n| n == name);
        let preset = PRESETS
            .iter()
            .find(|p| p.required.iter().all(|name| has(name)));
        let mut targets: Vec<Option<(Target, u8)>> = vec![None; names.len()];
        let candidates: &[(Target, &[&str])] = match preset {
            Some(preset) => preset.fields,
            None => presets::GENERIC,
        };
        for &(target, words) in candidates {
            // A field fills one target; a target takes its fields in the order of its
            // words, the first with a value winning in each record.
            for (rank, word) in (0u8..).zip(words.iter()) {
                if let Some(i) = normal
                    .iter()
                    .position(|n| n == word)
                    .filter(|&i| targets[i].is_none())
                {
                    targets[i] = Some((target, rank));
                    if preset.is_none() {
                        // Name matching takes the best word only.
                        break;
                    }
                }
            }
        }
        let mut missing = Vec::new();
        for (target, source) in &options.map.0 {
            let wanted = normalize(source);
            let Some(i) = normal.iter().position(|n| *n == wanted) else {
                // With several files open, `--map` names the fields of one of them: the
                // others say so and read on.
                let shown: Vec<String> = names.iter().map(|n| shown_name(n)).collect();
                missing.push(format!(
                    "--map {}={}: this file has no field {:?} (its fields: {}); not used here",
                    target.name(),
                    shown_name(source),
                    shown_name(source),
                    list_names(&shown)
                ));
                continue;
            };
            for slot in &mut targets {
                if slot.is_some_and(|(t, _)| t == *target) {
                    *slot = None;
                }
            }
            targets[i] = Some((*target, 0));
        }
        let mut by_name = HashMap::new();
        let columns = names
            .iter()
            .zip(&normal)
            .zip(&targets)
            .map(|((name, normal), target)| {
                if let Some(t) = target {
                    by_name.insert(normal.clone(), *t);
                }
                Column {
                    name: shown_name(name),
                    target: target.map(|(t, _)| t),
                    rank: target.map_or(0, |(_, r)| r),
                }
            })
            .collect();
        // A field the first records lack may come later (Amazon's `reviewerName`, a
        // title some records have): what would fill a target nothing fills yet is looked
        // for in every record. A name the sample had is never given a new meaning.
        for &(target, words) in candidates {
            let filled = targets.iter().flatten().any(|(t, _)| *t == target);
            let mapped = options.map.0.iter().any(|(t, _)| *t == target);
            // A preset knows its source's fields, so its later ones join those found; name
            // matching only looks further for a target it found nothing for.
            if mapped || (filled && preset.is_none()) {
                continue;
            }
            for (rank, word) in (0u8..).zip(words.iter()) {
                if !normal.iter().any(|n| n == word) {
                    by_name.entry((*word).to_string()).or_insert((target, rank));
                }
            }
        }
        let maps = |field: Field| {
            targets
                .iter()
                .flatten()
                .any(|(t, _)| *t == Target::Field(field))
        };
        let (scale, scale_from) = match (options.rating_scale, preset.and_then(|p| p.scale)) {
            (Some(scale), _) => (scale, ScaleFrom::Option),
            (None, Some(scale)) => (scale, ScaleFrom::Preset),
            (None, None) if maps(Field::RatingScale) => (10, ScaleFrom::Data),
            (None, None) => (10, ScaleFrom::Guess),
        };
        Self {
            preset,
            columns,
            scale,
            scale_from,
            own: false,
            missing,
            by_name,
        }
    }

    /// The mapping of revue's own fields (its JSON keys, its CSV header, in any case): each
    /// fills the field of its name, the first of two of one name wins, and the rest are
    /// unused.
    #[must_use]
    pub fn own(names: &[String]) -> Self {
        let mut by_name = HashMap::new();
        let mut taken = Vec::new();
        let columns = names
            .iter()
            .map(|name| {
                let target = Field::from_header(name)
                    .filter(|f| !taken.contains(f))
                    .map(|f| {
                        taken.push(f);
                        by_name.insert(normalize(name), (Target::Field(f), 0));
                        Target::Field(f)
                    });
                Column {
                    name: shown_name(name),
                    target,
                    rank: 0,
                }
            })
            .collect();
        let scale_from = if taken.contains(&Field::RatingScale) {
            ScaleFrom::Data
        } else {
            ScaleFrom::Own
        };
        Self {
            preset: None,
            columns,
            scale: 10,
            scale_from,
            own: true,
            missing: Vec::new(),
            by_name,
        }
    }

    /// Whether fields of these names are revue's own: all of them revue's names, or at least
    /// three and the body among them, more than half the fields (a spreadsheet of an export
    /// with a column added).
    #[must_use]
    pub fn is_own(names: &[String]) -> bool {
        let present: Vec<&String> = names.iter().filter(|n| !n.trim().is_empty()).collect();
        let known: Vec<Field> = present
            .iter()
            .filter_map(|n| Field::from_header(n))
            .collect();
        !known.is_empty()
            && (known.len() == present.len()
                || (known.len() >= 3
                    && known.contains(&Field::Body)
                    && known.len() * 2 > present.len()))
    }

    /// What the field of that (normalized) name fills, and its rank.
    #[must_use]
    pub fn target(&self, normalized: &str) -> Option<(Target, u8)> {
        self.by_name.get(normalized).copied()
    }

    /// Whether any field fills `field`.
    #[must_use]
    pub fn fills(&self, field: Field) -> bool {
        self.columns
            .iter()
            .any(|c| c.target == Some(Target::Field(field)))
    }

    /// Whether the mapping fills anything that makes a review: a body, a title, a rating
    /// or a verdict.
    #[must_use]
    pub fn reads_reviews(&self) -> bool {
        [Field::Body, Field::Title, Field::Rating, Field::Verdict]
            .into_iter()
            .any(|f| self.fills(f))
    }

    /// The source fields that fill nothing. In revue's own data the user's marks and
    /// labels (FORMATS.md §6) are read apart from the review fields, and are not unused.
    pub fn unused(&self) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .filter(|c| c.target.is_none())
            .map(|c| c.name.as_str())
            .filter(|name| !(self.own && crate::export::NOTES_COLUMNS.contains(name)))
    }

    /// The notes to give at load: the `--map` pairs this source lacks, and the fields it
    /// has that fill nothing.
    #[must_use]
    pub fn notes(&self) -> Vec<String> {
        // Fields the data has and the mapping leaves unused are no problem: `--explain`
        // and `w` list them, and they are not counted among the warnings.
        self.missing.clone()
    }

    /// The one-line note about the unused fields, if any.
    #[must_use]
    pub fn unused_note(&self) -> Option<String> {
        let unused: Vec<&str> = self.unused().collect();
        (!unused.is_empty()).then(|| {
            format!(
                "{} field{} not used: {} (use --map FIELD=SOURCE to read one)",
                unused.len(),
                if unused.len() == 1 { "" } else { "s" },
                list_names(&unused)
            )
        })
    }

    /// What the reviews are about when it is not a film: the preset's subject, or for
    /// fields matched by name `subject` unless the field that names it says film or movie.
    #[must_use]
    pub fn subject(&self) -> Option<&'static str> {
        if let Some(preset) = self.preset {
            return preset.subject;
        }
        let column = self
            .columns
            .iter()
            .find(|c| c.target == Some(Target::Field(Field::Film)))?;
        let name = normalize(&column.name);
        (!(self.own || name.contains("film") || name.contains("movie"))).then_some("subject")
    }

    /// The reading in a few words: the preset, or name matching.
    #[must_use]
    pub fn reading_name(&self) -> String {
        match self.preset {
            Some(preset) => preset.name.to_string(),
            None if self.own => "revue's own fields".to_string(),
            None => "fields matched by name".to_string(),
        }
    }
}

/// The mapping and the reading for a document of field-shaped data whose fields are
/// `names`: revue's own unless `options` ask otherwise or the names are not revue's.
///
/// # Errors
/// A `--map` that names a field the data lacks, or data with nothing to read as a review.
pub fn choose(
    names: &[String],
    options: &Options,
    format: &str,
) -> Result<(Mapping, Reading), LoadError> {
    // No fields at all (an empty array of records) is revue's own shape holding nothing.
    if options.maps_nothing() && (names.is_empty() || Mapping::is_own(names)) {
        return Ok((Mapping::own(names), Reading::default()));
    }
    let mapping = Mapping::resolve(names, options);
    // Yelp's `business.json`, a products table: things with a count of their reviews and
    // no review text are what reviews are about, not reviews.
    if !mapping.fills(Field::Body)
        && options.map == MapSpec::default()
        && names.iter().any(|n| normalize(n) == "reviewcount")
    {
        return Err(LoadError::Map(format!(
            "this {format} is a table of what is reviewed (it has review_count and no review \
             text), not reviews; name a text field with --map body=FIELD to read it anyway"
        )));
    }
    if !mapping.reads_reviews() {
        return Err(LoadError::Map(match mapping.missing.first() {
            Some(missing) => missing.replace("; not used here", ""),
            None => nothing_to_read(format, names),
        }));
    }
    let reading = Reading {
        foreign: true,
        scale: mapping.scale,
        guess: mapping.scale_from == ScaleFrom::Guess,
        subject: mapping.subject(),
        floor: 0,
    };
    Ok((mapping, reading))
}

/// [`choose`] for columns read through the mapped reader even when they are revue's own
/// (a Parquet file's, whose values come in the types of its columns, not revue's).
///
/// # Errors
/// As [`choose`].
pub fn choose_mapped(
    names: &[String],
    options: &Options,
    format: &str,
) -> Result<(Mapping, Reading), LoadError> {
    let (mapping, reading) = choose(names, options, format)?;
    if !mapping.own {
        return Ok((mapping, reading));
    }
    let mut mapping = Mapping::resolve(names, options);
    mapping.own = false;
    if !mapping.reads_reviews() {
        return Err(LoadError::Map(nothing_to_read(format, names)));
    }
    let reading = Reading {
        foreign: false,
        scale: mapping.scale,
        guess: mapping.scale_from == ScaleFrom::Guess,
        subject: mapping.subject(),
        floor: 0,
    };
    Ok((mapping, reading))
}

/// A source field's name as revue shows it: sanitized (it is the data's text), trimmed,
/// cut to [`MAX_NAME_SHOWN`] characters (a 70 KB column name is a broken file, not a
/// name to print whole), and an empty one (a spreadsheet's index column) named by what it
/// is.
pub(crate) fn shown_name(name: &str) -> String {
    let name = crate::sanitize::sanitize_line(name.trim());
    if name.is_empty() {
        return "(unnamed)".into();
    }
    match name.char_indices().nth(MAX_NAME_SHOWN) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name.into_owned(),
    }
}

/// The most characters of a field's name shown.
const MAX_NAME_SHOWN: usize = 60;

/// The most field names one message lists; the rest are counted.
const MAX_NAMES_LISTED: usize = 20;

/// Names for a message: the first [`MAX_NAMES_LISTED`], then how many more.
pub(crate) fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    let mut listed: Vec<&str> = names
        .iter()
        .take(MAX_NAMES_LISTED)
        .map(AsRef::as_ref)
        .collect();
    let more = names.len().saturating_sub(MAX_NAMES_LISTED);
    let more = (more > 0).then(|| format!("and {more} more"));
    listed.extend(more.as_deref());
    listed.join(", ")
}

/// The error for data whose fields name nothing revue reads as a review.
#[must_use]
pub fn nothing_to_read(format: &str, names: &[String]) -> String {
    let shown: Vec<String> = names.iter().map(|n| shown_name(n)).collect();
    let first = shown
        .iter()
        .find(|n| n.len() <= 40 && !n.contains(' '))
        .map_or("COLUMN", String::as_str);
    format!(
        "this {format} has no field revue reads as review text, title, rating or verdict \
         (its fields: {}); name them with --map, for example --map body={first}",
        list_names(&shown)
    )
}

/// What was read, for `--explain` and the info overlay.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Explained {
    /// The containers the document was found in, outermost first (`gzip`,
    /// `zip member IMDB Dataset.csv`).
    pub containers: Vec<String>,
    /// The format, and the preset or reading within it.
    pub format: String,
    pub mapping: Option<Mapping>,
    /// The scale the ratings were read on, where they were.
    pub scale: Option<u8>,
    /// The text's encoding where it was not UTF-8, and how that was known.
    pub encoding: Option<String>,
    /// How many C1 controls were shown as the Windows-1252 punctuation they stand for.
    pub repaired: usize,
    /// What else is worth knowing about how it was read, but is no problem (a member of
    /// an archive that holds no reviews, characters repaired, fields not used).
    pub notes: Vec<String>,
}

impl Explained {
    /// How a document of `format` with no fields to map was read: its ratings out of 10.
    #[must_use]
    pub fn plain(format: impl Into<String>) -> Box<Self> {
        Box::new(Self {
            format: format.into(),
            scale: Some(crate::model::DEFAULT_SCALE),
            ..Self::default()
        })
    }

    /// What is said about an input as a whole (an archive), before or without a format.
    #[must_use]
    pub fn about(format: String) -> Self {
        Self {
            format,
            ..Self::default()
        }
    }

    /// The whole chain, `zip member IMDB Dataset.csv → CSV file → Stanford IMDB`.
    #[must_use]
    pub fn chain(&self) -> String {
        let mut parts: Vec<&str> = self.containers.iter().map(String::as_str).collect();
        if !self.format.is_empty() {
            parts.push(&self.format);
        }
        let reading = self.mapping.as_ref().map(Mapping::reading_name);
        if let Some(reading) = &reading {
            parts.push(reading);
        }
        parts.join(" \u{2192} ")
    }
}

impl fmt::Display for Explained {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.containers.is_empty() {
            writeln!(f, "read as:  {}", self.chain())?;
        }
        if !self.format.is_empty() {
            writeln!(f, "format:   {}", self.format)?;
        }
        if let Some(encoding) = &self.encoding {
            writeln!(f, "encoding: {encoding}")?;
        }
        if let Some(mapping) = &self.mapping {
            writeln!(f, "reading:  {}", mapping.reading_name())?;
            let width = mapping
                .columns
                .iter()
                .map(|c| c.name.chars().count())
                .max()
                .unwrap_or(0);
            writeln!(f, "fields:")?;
            for column in &mapping.columns {
                let mut line = format!("  {:<width$}  ", column.name);
                match column.target {
                    Some(target) => {
                        let _ = write!(line, "→ {}", target.name());
                        let before: Vec<&str> = mapping
                            .columns
                            .iter()
                            .filter(|c| c.target == column.target && c.rank < column.rank)
                            .map(|c| c.name.as_str())
                            .collect();
                        if !before.is_empty() {
                            let _ = write!(line, " (where {} is empty)", before.join(" and "));
                        }
                    }
                    None => line.push_str("  (not used)"),
                }
                writeln!(f, "{}", line.trim_end())?;
            }
            let unused: Vec<&str> = mapping.unused().collect();
            if unused.is_empty() {
                writeln!(f, "unused:   none")?;
            } else {
                writeln!(f, "unused:   {}", unused.join(", "))?;
            }
            let from = match mapping.scale_from {
                ScaleFrom::Option => "--rating-scale",
                ScaleFrom::Preset => "the source",
                ScaleFrom::Data => "the data's rating_scale field",
                ScaleFrom::Own => "revue's own format, where no rating_scale field says otherwise",
                ScaleFrom::Guess => "guessed from the ratings; set --rating-scale to change",
            };
            match self.scale {
                Some(scale) if mapping.fills(Field::Rating) => {
                    writeln!(f, "scale:    ratings out of {scale} ({from})")?;
                }
                _ => writeln!(f, "scale:    no ratings")?,
            }
        }
        if self.repaired > 0 {
            writeln!(
                f,
                "note:     {} C1 control characters repaired (Windows-1252 punctuation decoded \
                 as Latin-1 upstream, or text encoded as UTF-8 twice): shown and written as \
                 the characters typed (\u{2013} \u{2014} \u{2026} \u{201c}\u{201d}, or the text undone)",
                self.repaired
            )?;
        }
        for note in &self.notes {
            writeln!(f, "note:     {note}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &str) -> Vec<String> {
        list.split(',').map(str::to_string).collect()
    }

    fn targets(mapping: &Mapping) -> Vec<(&str, &str)> {
        mapping
            .columns
            .iter()
            .filter_map(|c| c.target.map(|t| (c.name.as_str(), t.name())))
            .collect()
    }

    #[test]
    fn names_match_whatever_their_case_and_separators() {
        for name in [
            "Review Title",
            "review_title",
            "reviewTitle",
            "review-title",
        ] {
            assert_eq!(normalize(name), "reviewtitle");
        }
        assert_eq!(normalize("author.steamid"), "author.steamid");
    }

    #[test]
    fn presets_are_recognised_from_their_fields() {
        let amazon = names(
            "reviewerID,asin,reviewerName,helpful,reviewText,overall,summary,unixReviewTime,reviewTime,verified",
        );
        let mapping = Mapping::resolve(&amazon, &Options::default());
        assert_eq!(
            mapping.preset.map(|p| p.name),
            Some("Amazon reviews 2014/2018")
        );
        assert_eq!(mapping.scale, 5);
        let t = targets(&mapping);
        assert!(t.contains(&("reviewText", "body")), "{t:?}");
        assert!(t.contains(&("asin", "film")), "{t:?}");
        assert!(t.contains(&("reviewerName", "author")), "{t:?}");
        assert!(t.contains(&("reviewerID", "author")), "{t:?}");
        assert!(t.contains(&("unixReviewTime", "date")), "{t:?}");
        assert_eq!(mapping.unused().collect::<Vec<_>>(), ["verified"]);
    }

    #[test]
    fn unknown_shapes_match_by_name_and_map_completes_them() {
        let hotel = names("comment_text,stars,hotel,guest");
        let plain = Mapping::resolve(&hotel, &Options::default());
        assert!(plain.preset.is_none());
        let options = Options {
            map: MapSpec::parse("body=comment_text,rating=stars,film=hotel,author=guest")
                .expect("parses"),
            rating_scale: Some(5),
            ..Options::default()
        };
        let mapped = Mapping::resolve(&hotel, &options);
        assert_eq!(
            targets(&mapped),
            [
                ("comment_text", "body"),
                ("stars", "rating"),
                ("hotel", "film"),
                ("guest", "author")
            ]
        );
        assert_eq!((mapped.scale, mapped.scale_from), (5, ScaleFrom::Option));
        let typo = Mapping::resolve(
            &hotel,
            &Options {
                map: MapSpec::parse("body=nope").expect("parses"),
                rating_scale: None,
                ..Options::default()
            },
        );
        assert!(
            typo.missing[0].contains("no field \"nope\""),
            "{:?}",
            typo.missing
        );
        assert!(typo.reads_reviews(), "comment_text is still the body");
        let scrape = names("Rating,Review Title,review_text,Author,date,Helpful");
        let mapping = Mapping::resolve(&scrape, &Options::default());
        assert_eq!(
            targets(&mapping),
            [
                ("Rating", "rating"),
                ("Review Title", "title"),
                ("review_text", "body"),
                ("Author", "author"),
                ("date", "date"),
                ("Helpful", "helpful")
            ]
        );
        assert_eq!(mapping.scale_from, ScaleFrom::Guess);
    }

    #[test]
    fn map_specs_parse_and_say_what_is_wrong() {
        assert_eq!(
            MapSpec::parse("body=comment_text, subject = hotel").expect("parses"),
            MapSpec(vec![
                (Target::Field(Field::Body), "comment_text".into()),
                (Target::Field(Field::Film), "hotel".into())
            ])
        );
        assert!(MapSpec::parse("body").is_err());
        assert!(
            MapSpec::parse("stars=rating")
                .expect_err("no field")
                .contains("not a review field")
        );
        assert!(MapSpec::parse("body=").is_err());
    }
}
