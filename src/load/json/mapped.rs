//! The reader of JSON and JSON Lines review data revue did not write (FORMATS.md §4):
//! records of any shape, each key looked up in a [`Mapping`], nested keys reached as dotted
//! paths (`author.steamid`), numbers with fractions, `[helpful, total]` pairs. It reads on
//! the same bytes as the fast reader of revue's own JSON, so strings stay where they are in
//! the file (unescaped in place where they have escapes) and a loaded file holds one copy
//! of its text.

use std::collections::HashSet;

use super::Sink;
use super::fast::{Fast, Str};
use crate::load::build::{Raw, RawReview};
use crate::load::map::{Mapping, Target, normalize};
use crate::model::Extra;
use crate::model::schema::{Field, Kind};

/// Deeper nesting than this is not review data; the reader gives up on it.
const MAX_DEPTH: usize = 64;

/// How many records the field names are sampled from.
pub(super) const SAMPLE_RECORDS: usize = 100;

/// One value of a record.
#[derive(Debug, Clone, Copy, Default)]
enum Val {
    #[default]
    Missing,
    Str(Str),
    Int(i64),
    Float(f64),
    Flag(bool),
    Pair(i64, i64),
}

/// One record's values by review field, each with the rank of the source field it came
/// from (the lower wins where it has a value), and the reply.
#[derive(Debug, Clone, Copy)]
struct Record {
    values: [Val; Field::COUNT],
    ranks: [u8; Field::COUNT],
    reply: Option<Str>,
}

impl Default for Record {
    fn default() -> Self {
        Self {
            values: [Val::Missing; Field::COUNT],
            ranks: [u8::MAX; Field::COUNT],
            reply: None,
        }
    }
}

/// Reads records through a mapping.
pub(super) struct Mapped<'m> {
    mapping: &'m Mapping,
    /// The dotted paths of the objects that hold mapped fields (`author` for
    /// `author.steamid`), which the reader goes into; it skips the others whole.
    parents: HashSet<String>,
    /// Fields met in later records that the mapping does not list, for the note.
    pub(super) unlisted: Vec<String>,
    listed: HashSet<String>,
    /// The top-level keys of the last record, by place, and what each is.
    seen: Vec<(String, Known)>,
}

impl<'m> Mapped<'m> {
    pub(super) fn new(mapping: &'m Mapping) -> Self {
        let mut parents = HashSet::new();
        for column in mapping.columns.iter().filter(|c| c.target.is_some()) {
            let path = normalize(&column.name);
            let mut at = 0;
            while let Some(dot) = path[at..].find('.') {
                parents.insert(path[..at + dot].to_string());
                at += dot + 1;
            }
        }
        let mut listed: HashSet<String> =
            mapping.columns.iter().map(|c| normalize(&c.name)).collect();
        // An object whose fields are listed is listed too.
        for column in &mapping.columns {
            let path = normalize(&column.name);
            let mut at = 0;
            while let Some(dot) = path[at..].find('.') {
                listed.insert(path[..at + dot].to_string());
                at += dot + 1;
            }
        }
        Self {
            mapping,
            parents,
            unlisted: Vec::new(),
            listed,
            seen: Vec::new(),
        }
    }

    /// Reads JSON Lines, one record per line, into `sink`; a line that is not a JSON object
    /// is a warning that says why.
    pub(super) fn lines(&mut self, fast: &mut Fast, sink: &mut Sink, extra: &mut Extra) {
        let mut start = 0;
        let mut number = 0;
        while start <= fast.text.len() {
            number += 1;
            let bytes = fast.text.as_bytes();
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            if super::is_blank(&bytes[start..end]) {
                start = end + 1;
                continue;
            }
            sink.line = Some(number);
            fast.scratch.clear();
            fast.pos = super::after_bom(bytes, start);
            fast.in_line = true;
            let mut record = Record::default();
            let read = self.object(fast, "", &mut record, 0).and_then(|()| {
                fast.space();
                matches!(fast.peek(), None | Some(b'\n')).then_some(())
            });
            if read.is_some() {
                settle(fast, &record);
                sink.add(extra, &raw(fast, &record));
            } else {
                let line = &fast.text.as_bytes()[start..end];
                sink.warn(format!("not a review: {}", why_not(line)));
            }
            start = end + 1;
        }
    }

    /// Reads a JSON document: an array of records, an object holding one (`reviews`, or
    /// the first member that is an array of objects), or one record alone. `None` when it
    /// is not JSON the reader reads, for serde_json to say what is wrong.
    pub(super) fn document(
        &mut self,
        fast: &mut Fast,
        sink: &mut Sink,
        extra: &mut Extra,
    ) -> Option<()> {
        fast.pos = 0;
        fast.in_line = false;
        fast.space();
        match fast.peek()? {
            b'[' => self.records(fast, sink, extra)?,
            b'{' => {
                let start = fast.pos;
                if records_member(fast)? {
                    self.records(fast, sink, extra)?;
                    // The rest of the envelope (a cursor, a summary) is not review data.
                    loop {
                        if !fast.next_member(b'}')? {
                            break;
                        }
                        fast.string()?;
                        fast.space();
                        fast.expect(b':')?;
                        fast.space();
                        skip(fast, 1)?;
                    }
                } else {
                    fast.pos = start;
                    fast.scratch.clear();
                    let mut record = Record::default();
                    self.object(fast, "", &mut record, 0)?;
                    settle(fast, &record);
                    sink.add(extra, &raw(fast, &record));
                }
            }
            _ => return None,
        }
        fast.space();
        (fast.pos == fast.text.len()).then_some(())
    }

    /// An array of records, each added to `sink` as it is read.
    fn records(&mut self, fast: &mut Fast, sink: &mut Sink, extra: &mut Extra) -> Option<()> {
        fast.expect(b'[')?;
        fast.space();
        if fast.peek()? == b']' {
            fast.pos += 1;
            return Some(());
        }
        loop {
            fast.scratch.clear();
            fast.space();
            let mut record = Record::default();
            if fast.peek()? == b'{' {
                self.object(fast, "", &mut record, 0)?;
                settle(fast, &record);
                sink.add(extra, &raw(fast, &record));
            } else {
                skip(fast, 1)?;
                sink.warn("not a review: not a JSON object".into());
            }
            fast.space();
            match fast.bump()? {
                b',' => {}
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    /// An object's members into `record`: mapped keys read, objects that hold mapped keys
    /// gone into, anything else skipped.
    fn object(
        &mut self,
        fast: &mut Fast,
        prefix: &str,
        record: &mut Record,
        depth: usize,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        fast.expect(b'{')?;
        fast.space();
        if fast.peek()? == b'}' {
            fast.pos += 1;
            return Some(());
        }
        let mut member = 0;
        loop {
            let key = fast.string()?;
            fast.space();
            fast.expect(b':')?;
            fast.space();
            let name = fast.get(key);
            // Records mostly repeat their keys in one order: the key at this place in the
            // last record is compared first, and normalizing and looking up is done only
            // for a key not seen there.
            let known = match self.seen.get(member) {
                Some((seen, known)) if depth == 0 && seen == name => *known,
                _ => {
                    let known = self.classify(prefix, name);
                    if depth == 0 {
                        let entry = (name.to_string(), known);
                        match self.seen.get_mut(member) {
                            Some(slot) => *slot = entry,
                            None => self.seen.push(entry),
                        }
                    }
                    known
                }
            };
            member += 1;
            match known {
                Known::Fills(target, rank) => {
                    let value = value(fast, target, depth)?;
                    record.set(target, value, rank, fast);
                }
                Known::Holds if fast.peek()? == b'{' => {
                    let path = Self::path(prefix, name);
                    self.object(fast, &path, record, depth + 1)?;
                }
                Known::Holds | Known::Other => skip(fast, depth + 1)?,
            }
            if !fast.next_member(b'}')? {
                return Some(());
            }
        }
    }

    /// The normalized dotted path of the key `name` inside the object at `prefix`.
    fn path(prefix: &str, name: &str) -> String {
        let mut path = String::with_capacity(prefix.len() + name.len() + 1);
        if !prefix.is_empty() {
            path.push_str(prefix);
            path.push('.');
        }
        if name.is_ascii() {
            path.extend(
                name.bytes()
                    .filter(|b| b.is_ascii_alphanumeric() || *b == b'.')
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
        } else {
            path.push_str(&normalize(name));
        }
        path
    }

    /// What the key `name` inside the object at `prefix` is to the mapping; a key it does
    /// not list is noted once, for the note about unused fields.
    fn classify(&mut self, prefix: &str, name: &str) -> Known {
        let path = Self::path(prefix, name);
        if let Some((target, rank)) = self.mapping.target(&path) {
            return Known::Fills(target, rank);
        }
        if self.parents.contains(&path) {
            return Known::Holds;
        }
        if !self.listed.contains(&path) && self.unlisted.len() < 20 {
            let shown = if prefix.is_empty() {
                crate::load::map::shown_name(name)
            } else {
                path.clone()
            };
            self.listed.insert(path);
            self.unlisted.push(shown);
        }
        Known::Other
    }
}

/// What a key is to the mapping.
#[derive(Debug, Clone, Copy)]
enum Known {
    /// It fills a target, with this rank.
    Fills(Target, u8),
    /// It holds an object with fields that fill targets.
    Holds,
    /// Nothing revue reads.
    Other,
}

impl Record {
    fn set(&mut self, target: Target, value: Val, rank: u8, fast: &Fast) {
        match target {
            Target::Reply => {
                if let Val::Str(s) = value {
                    self.reply = Some(s);
                }
            }
            Target::Field(field) => {
                let i = field as usize;
                let has_value = match value {
                    Val::Missing => false,
                    Val::Str(s) => !fast.get(s).trim().is_empty(),
                    _ => true,
                };
                if rank < self.ranks[i] && (has_value || matches!(self.values[i], Val::Missing)) {
                    self.values[i] = value;
                    if has_value {
                        self.ranks[i] = rank;
                    }
                }
            }
        }
    }
}

/// Whether the object at the reader holds an array of records: `reviews`, wherever it is
/// among the members, or else the first member whose value is an array of objects. If so the
/// reader is left at that array.
fn records_member(fast: &mut Fast) -> Option<bool> {
    fast.expect(b'{')?;
    fast.space();
    if fast.peek()? == b'}' {
        return Some(false);
    }
    let mut first_objects = None;
    loop {
        let key = fast.string()?;
        let is_reviews = fast.get(key).eq_ignore_ascii_case("reviews");
        fast.space();
        fast.expect(b':')?;
        fast.space();
        if fast.peek()? == b'[' {
            let at = fast.pos;
            if is_reviews {
                return Some(true);
            }
            fast.pos += 1;
            fast.space();
            let objects = fast.peek()? == b'{';
            fast.pos = at;
            if objects && first_objects.is_none() {
                first_objects = Some(at);
            }
        }
        skip(fast, 1)?;
        if !fast.next_member(b'}')? {
            break;
        }
    }
    match first_objects {
        Some(at) => {
            fast.pos = at;
            Some(true)
        }
        None => Some(false),
    }
}

/// The value of a mapped key: a string, a number, a flag, or a pair of whole numbers
/// (`[2, 3]`); anything else is skipped and read as missing.
fn value(fast: &mut Fast, target: Target, depth: usize) -> Option<Val> {
    let text_field = matches!(
        target,
        Target::Field(f) if matches!(f.kind(), Kind::Line | Kind::Body)
    );
    if not_a_number(fast) {
        return Some(Val::Missing);
    }
    Some(match fast.peek()? {
        // A number where text is wanted (a numeric user or product id) is its digits, as
        // they lie in the file.
        b'-' | b'0'..=b'9' if text_field => {
            let start = fast.pos;
            number(fast)?;
            Val::Str(Str::Text(start, fast.pos))
        }
        b'"' => Val::Str(fast.string()?),
        b'n' if fast.literal(b"null") => Val::Missing,
        b't' | b'f' => Val::Flag(fast.boolean()?),
        b'-' | b'0'..=b'9' => number(fast)?,
        b'[' if target == Target::Field(Field::Helpful) => {
            let at = fast.pos;
            if let Some(pair) = pair(fast) {
                pair
            } else {
                fast.pos = at;
                skip(fast, depth + 1)?;
                Val::Missing
            }
        }
        _ => {
            skip(fast, depth + 1)?;
            Val::Missing
        }
    })
}

/// `[a, b]` of two whole numbers.
fn pair(fast: &mut Fast) -> Option<Val> {
    fast.expect(b'[')?;
    fast.space();
    let Val::Int(a) = number(fast)? else {
        return None;
    };
    fast.space();
    fast.expect(b',')?;
    fast.space();
    let Val::Int(b) = number(fast)? else {
        return None;
    };
    fast.space();
    fast.expect(b']')?;
    Some(Val::Pair(a, b))
}

/// A JSON number: whole where it has no fraction or exponent and fits, else a float.
fn number(fast: &mut Fast) -> Option<Val> {
    let bytes = fast.text.as_bytes();
    let start = fast.pos;
    let mut end = start;
    while bytes
        .get(end)
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        end += 1;
    }
    let lexeme = fast.text.get(start..end)?;
    if lexeme.is_empty() {
        return None;
    }
    fast.pos = end;
    if let Ok(n) = lexeme.parse::<i64>() {
        return Some(Val::Int(n));
    }
    lexeme.parse::<f64>().ok().map(Val::Float)
}

/// Python's `json.dumps` writes `NaN`, `Infinity` and `-Infinity`, which are no JSON: read
/// as no value rather than as a broken record.
fn not_a_number(fast: &mut Fast) -> bool {
    fast.literal(b"NaN") || fast.literal(b"Infinity") || fast.literal(b"-Infinity")
}

/// Skips one value of any kind.
fn skip(fast: &mut Fast, depth: usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    if not_a_number(fast) {
        return Some(());
    }
    match fast.peek()? {
        b'"' => {
            fast.string()?;
        }
        b'{' | b'[' => {
            let close = if fast.bump()? == b'{' { b'}' } else { b']' };
            let object = close == b'}';
            fast.space();
            if fast.peek()? == close {
                fast.pos += 1;
                return Some(());
            }
            loop {
                if object {
                    fast.string()?;
                    fast.space();
                    fast.expect(b':')?;
                    fast.space();
                }
                skip(fast, depth + 1)?;
                if !fast.next_member(close)? {
                    break;
                }
            }
        }
        b't' | b'f' => {
            fast.boolean()?;
        }
        b'n' => {
            if !fast.literal(b"null") {
                return None;
            }
        }
        _ => {
            number(fast)?;
        }
    }
    Some(())
}

/// Notes that the escaped strings a record keeps are to be unescaped in place.
fn settle(fast: &mut Fast, record: &Record) {
    for field in Field::STORED_TEXT {
        if let Val::Str(Str::Scratch {
            raw: (from, to), ..
        }) = record.values[field as usize]
        {
            fast.escaped.push(from..to);
        }
    }
}

/// The raw review of a record.
fn raw<'f>(fast: &'f Fast, record: &Record) -> RawReview<'f> {
    let mut raw = RawReview::default();
    for field in Field::ALL {
        match record.values[field as usize] {
            Val::Missing => {}
            Val::Str(s) => raw.set_text(
                field,
                fast.get(s),
                Fast::place_of(s, field.is_stored_text()),
            ),
            Val::Int(n) => raw.set(field, Raw::Int(n)),
            Val::Float(x) => raw.set(field, Raw::Float(x)),
            Val::Flag(flag) => raw.set(field, Raw::Flag(flag)),
            Val::Pair(a, b) => raw.set(field, Raw::Pair(a, b)),
        }
    }
    if let Some(reply) = record.reply {
        raw.set_reply(fast.get(reply));
    }
    raw
}

/// Why a JSON Lines line is not a record, in serde_json's words.
fn why_not(line: &[u8]) -> String {
    match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
        Err(err) => super::error_text(&err),
        Ok(_) if line.trim_ascii_start().starts_with(b"{") => "nested too deeply".into(),
        Ok(_) => "not a JSON object".into(),
    }
}

/// The field names of the first records of `fast`'s text, nested keys as dotted paths, in
/// the order first met: what a [`Mapping`] is resolved from.
pub(super) fn sample_names(fast: &mut Fast, lines: bool) -> Vec<String> {
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    let saved = (fast.pos, fast.in_line);
    if lines {
        let mut start = 0;
        let mut read = 0;
        while start < fast.text.len() && read < SAMPLE_RECORDS {
            let bytes = fast.text.as_bytes();
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            if !super::is_blank(&bytes[start..end]) {
                fast.pos = super::after_bom(bytes, start);
                fast.in_line = true;
                fast.space();
                let _ = names_of(fast, "", &mut names, &mut seen, 0);
                read += 1;
            }
            start = end + 1;
        }
    } else {
        fast.pos = 0;
        fast.in_line = false;
        fast.space();
        let ok = match fast.peek() {
            Some(b'[') => Some(()),
            Some(b'{') => {
                let start = fast.pos;
                if records_member(fast) == Some(true) {
                    Some(())
                } else {
                    // One record alone.
                    fast.pos = start;
                    let _ = names_of(fast, "", &mut names, &mut seen, 0);
                    None
                }
            }
            _ => None,
        };
        if ok.is_some() && fast.expect(b'[').is_some() {
            for _ in 0..SAMPLE_RECORDS {
                fast.space();
                if fast.peek() == Some(b'{') {
                    if names_of(fast, "", &mut names, &mut seen, 0).is_none() {
                        break;
                    }
                } else if skip(fast, 1).is_none() {
                    break;
                }
                fast.space();
                if fast.bump() != Some(b',') {
                    break;
                }
            }
        }
    }
    fast.scratch.clear();
    (fast.pos, fast.in_line) = saved;
    names
}

/// The key paths of the object at the reader, leaves of nested objects two levels down.
fn names_of(
    fast: &mut Fast,
    prefix: &str,
    names: &mut Vec<String>,
    seen: &mut HashSet<String>,
    depth: usize,
) -> Option<()> {
    fast.expect(b'{')?;
    fast.space();
    if fast.peek()? == b'}' {
        fast.pos += 1;
        return Some(());
    }
    loop {
        let key = fast.string()?;
        let name = if prefix.is_empty() {
            fast.get(key).to_string()
        } else {
            format!("{prefix}.{}", fast.get(key))
        };
        fast.space();
        fast.expect(b':')?;
        fast.space();
        if fast.peek()? == b'{' && depth < 2 {
            names_of(fast, &name, names, seen, depth + 1)?;
        } else {
            if seen.insert(name.clone()) {
                names.push(name);
            }
            skip(fast, depth + 1)?;
        }
        if !fast.next_member(b'}')? {
            return Some(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::map::{MapSpec, Options};

    fn mapping() -> Mapping {
        let names: Vec<String> = ["text", "title", "score", "film", "user.name", "extra"]
            .iter()
            .map(ToString::to_string)
            .collect();
        let options = Options {
            map: MapSpec::parse("author=user.name").expect("parses"),
            rating_scale: Some(5),
            ..Options::default()
        };
        Mapping::resolve(&names, &options)
    }

    /// The text of each mapped field the reader reads from one line, or `None` when it does
    /// not read the line.
    fn read(mapping: &Mapping, line: &str) -> Option<Vec<(Field, String)>> {
        let mut reader = Mapped::new(mapping);
        let mut fast = Fast::new(line.to_string());
        fast.lenient = true;
        fast.in_line = true;
        fast.space();
        let mut record = Record::default();
        reader.object(&mut fast, "", &mut record, 0)?;
        fast.space();
        if !matches!(fast.peek(), None | Some(b'\n')) {
            return None;
        }
        let raw = raw(&fast, &record);
        Some(
            [Field::Body, Field::Title, Field::Film, Field::Author]
                .into_iter()
                .filter_map(|f| match raw.get(f) {
                    Raw::Text(t) => Some((f, t.to_string())),
                    _ => None,
                })
                .collect(),
        )
    }

    /// What serde_json makes of the same line: the string values of the mapped keys.
    fn reference(line: &str) -> Option<Vec<(Field, String)>> {
        let value: serde_json::Value = serde_json::from_str(line).ok()?;
        // Keys as the mapping compares them; a line where two keys become one is skipped.
        let normalized =
            |v: &serde_json::Value| -> Option<serde_json::Map<String, serde_json::Value>> {
                let object = v.as_object()?;
                let map: serde_json::Map<String, serde_json::Value> = object
                    .iter()
                    .map(|(k, v)| (normalize(k), v.clone()))
                    .collect();
                (map.len() == object.len()).then_some(map)
            };
        let object = normalized(&value)?;
        let text = |v: Option<&serde_json::Value>| match v? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let user = match object.get("user") {
            Some(user) if user.is_object() => Some(normalized(user)?),
            _ => None,
        };
        let author = user.and_then(|u| text(u.get("name")));
        Some(
            [
                (Field::Body, text(object.get("text"))),
                (Field::Title, text(object.get("title"))),
                (Field::Film, text(object.get("film"))),
                (Field::Author, author),
            ]
            .into_iter()
            .filter_map(|(f, t)| t.map(|t| (f, t)))
            .collect(),
        )
    }

    #[test]
    fn the_mapped_reader_reads_what_serde_json_reads() {
        let mapping = mapping();
        let line = r#"{"text":"a \"good\"\nfilm \u00e9 \ud83c\udfac","title":"T","score":4.5,"film":"B01","user":{"name":"ann","id":3},"extra":[1,{"x":null}],"n":NaN}"#;
        let read_line = read(&mapping, line).expect("reads");
        assert_eq!(
            read_line[0],
            (Field::Body, "a \"good\"\nfilm é 🎬".to_string())
        );
        assert_eq!(read_line[3], (Field::Author, "ann".to_string()));
        let pieces = [
            "\"", "\\", "\\u00", "\\ud800", "0", "1", "-", ".", "e", ",", ":", "{", "}", "[", "]",
            "null", " ", "\n", "é", "true", "a", "NaN",
        ];
        let valid = line.replace(",\"n\":NaN", "");
        let mut next = crate::load::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut compared = 0;
        for _ in 0..20_000 {
            let text = crate::load::mangle(&valid, &pieces, &mut next);
            // A key given twice is read differently on purpose (the first value wins here,
            // the last in serde_json); a line break ends a JSON Lines line.
            let twice = ["\"text\"", "\"title\"", "\"film\"", "\"user\"", "\"name\""]
                .iter()
                .any(|k| text.matches(k).count() > 1);
            if twice || text.contains('\n') {
                continue;
            }
            if let Some(expected) = reference(&text) {
                compared += 1;
                assert_eq!(read(&mapping, &text), Some(expected), "{text:?}");
            }
        }
        assert!(compared > 1000, "only {compared} lines compared");
    }
}
