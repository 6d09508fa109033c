//! The user's configuration file (`$XDG_CONFIG_HOME/revue/config.toml`, or `--config PATH`):
//! the default order, the spoiler policy, the wrap width, the histogram, the colour choice,
//! the theme's colours and the key bindings. A bad file is an error naming the file and the
//! line; an unknown key or a binding that collides with another is a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde::Deserialize;
use toml::Spanned;

use crate::keymap::{self, Action, Binding, Key};
use crate::query::SortKey;

mod read;

/// Warnings bounded and summarized as the configuration's are (three of a kind, twenty in
/// all): for other files of the user's own, the labels journal.
pub use read::bounded as bounded_warnings;
use read::{Lines, quoted};

/// What the file says, before it is checked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct File {
    sort: Option<Spanned<String>>,
    reverse: Option<bool>,
    spoilers: Option<Spanned<String>>,
    wrap_width: Option<Spanned<u16>>,
    histogram: Option<bool>,
    color: Option<Spanned<String>>,
    theme: BTreeMap<String, Spanned<String>>,
    keys: BTreeMap<String, Spanned<Keys>>,
    labels: Option<BTreeMap<String, Spanned<String>>>,
}

/// One key or several.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

/// What the spoilers do at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spoilers {
    /// Marked reviews are listed, their bodies hidden until `x` (the default).
    #[default]
    Hidden,
    /// Every spoiler is revealed from the start.
    Revealed,
    /// Spoiler reviews are left out of the list (`--hide-spoilers`).
    Filtered,
}

/// The configuration, checked.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub sort: Option<SortKey>,
    pub reverse: bool,
    pub spoilers: Spoilers,
    /// The widest the detail pane wraps text, in columns.
    pub wrap_width: Option<u16>,
    pub histogram: Option<bool>,
    /// `Some(true)` always colour, `Some(false)` never, `None` as `NO_COLOR` says.
    pub color: Option<Option<bool>>,
    /// Colours of the theme's named styles.
    pub theme: Vec<(String, Color)>,
    /// The key table with the file's bindings, if it changes any.
    pub bindings: Option<Vec<Binding>>,
    /// The labels `L` sets, each by its key, as `[labels]` names them.
    pub labels: Option<Vec<(char, String)>>,
}

impl Config {
    /// The labels `L` sets, each by its key: `[labels]`'s, or [`DEFAULT_LABELS`].
    #[must_use]
    pub fn labels(&self) -> Vec<(char, String)> {
        self.labels.clone().unwrap_or_else(|| {
            DEFAULT_LABELS
                .iter()
                .map(|&(c, name)| (c, name.to_string()))
                .collect()
        })
    }
}

/// The labels there are when the configuration names none.
pub const DEFAULT_LABELS: [(char, &str); 5] = [
    ('1', "keep"),
    ('2', "spoiler"),
    ('3', "sarcasm"),
    ('4', "off-topic"),
    ('5', "spam"),
];

/// The most labels a configuration may name (a key each, `L` then the key).
const MAX_CONFIGURED_LABELS: usize = 36;

/// The labels of the `[labels]` table: a key of one character each, a name of a line;
/// warned about and left out otherwise.
fn labels_of(
    table: &BTreeMap<String, Spanned<String>>,
    at: &dyn Fn(std::ops::Range<usize>) -> String,
    warnings: &mut Vec<String>,
) -> Vec<(char, String)> {
    let mut labels: Vec<(char, String)> = Vec::new();
    for (key, name) in table {
        let mut chars = key.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            warnings.push(format!(
                "{}: a label's key is one character, not `{}`; ignored",
                at(name.span()),
                quoted(key)
            ));
            continue;
        };
        let text = crate::sanitize::sanitize_line(name.get_ref().trim()).into_owned();
        if text.is_empty() || text.chars().count() > 40 || c.is_control() || c == ' ' {
            warnings.push(format!(
                "{}: label `{}` needs a name of 1 to 40 characters and a printable key; ignored",
                at(name.span()),
                quoted(key)
            ));
            continue;
        }
        if labels.len() >= MAX_CONFIGURED_LABELS {
            warnings.push(format!(
                "{}: more than {MAX_CONFIGURED_LABELS} labels; the rest are ignored",
                at(name.span())
            ));
            break;
        }
        labels.push((c, text));
    }
    labels
}

/// The theme's styles a configuration may colour.
pub const THEME_STYLES: [&str; 8] = [
    "selected",
    "highlight",
    "current_match",
    "header",
    "border",
    "spoiler",
    "status",
    "key",
];

/// Each style's colour when the configuration gives none, in the order of
/// [`THEME_STYLES`]: what the app draws and `--print-config` prints.
pub const DEFAULT_COLOURS: [Color; 8] = [
    Color::Blue,
    Color::Yellow,
    Color::LightRed,
    Color::Cyan,
    Color::Cyan,
    Color::Magenta,
    Color::Indexed(236),
    Color::Cyan,
];

/// The default colour of style `name`.
#[must_use]
pub fn default_colour(name: &str) -> Option<Color> {
    let i = THEME_STYLES.iter().position(|s| *s == name)?;
    DEFAULT_COLOURS.get(i).copied()
}

/// A colour as the configuration writes it (`lightred`, `236`, `#rrggbb`), which reads back.
#[must_use]
pub fn colour_name(colour: Color) -> String {
    match colour {
        Color::Indexed(n) => n.to_string(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        other => format!("{other:?}").to_ascii_lowercase(),
    }
}

/// Every action a key may be bound to, by the name the configuration uses.
pub const ACTIONS: &[(&str, Action)] = &[
    ("next_review", Action::SelectNext),
    ("previous_review", Action::SelectPrevious),
    ("first_review", Action::SelectFirst),
    ("last_review", Action::SelectLast),
    ("page_down", Action::PageDown),
    ("page_up", Action::PageUp),
    ("switch_focus", Action::ToggleFocus),
    ("back_to_list", Action::FocusList),
    ("scroll_down", Action::ScrollDetailDown),
    ("scroll_up", Action::ScrollDetailUp),
    ("detail_page_down", Action::DetailPageDown),
    ("detail_page_up", Action::DetailPageUp),
    ("detail_top", Action::DetailTop),
    ("detail_end", Action::DetailBottom),
    ("next_sort", Action::NextSort),
    ("reverse_sort", Action::ReverseSort),
    ("raise_min_rating", Action::RaiseMinRating),
    ("lower_min_rating", Action::LowerMinRating),
    ("search", Action::StartSearch),
    ("next_match", Action::NextMatch),
    ("previous_match", Action::PreviousMatch),
    ("reveal", Action::ToggleReveal),
    ("reveal_all", Action::ToggleRevealAll),
    ("hide_spoilers", Action::ToggleHideSpoilers),
    ("next_film", Action::CycleFilm),
    ("next_verdict", Action::CycleVerdict),
    ("hide_duplicates", Action::ToggleDedupe),
    ("keywords", Action::ToggleKeywords),
    ("mark", Action::ToggleMark),
    ("mark_shown", Action::MarkShown),
    ("marked_only", Action::ToggleMarkedOnly),
    ("label", Action::StartLabel),
    ("next_label", Action::CycleLabelFilter),
    ("keywords_against_rest", Action::KeywordsAgainstRest),
    ("window_enter", Action::OverlayEnter),
    ("clear_filters", Action::ClearFilters),
    ("histogram", Action::ToggleHistogram),
    ("stats", Action::ToggleStats),
    ("export", Action::StartExport),
    ("copy", Action::CopyReview),
    ("copy_link", Action::CopyLink),
    ("open_link", Action::OpenLink),
    ("warnings", Action::ToggleWarnings),
    ("help", Action::ToggleHelp),
    ("quit", Action::Quit),
    ("suspend", Action::Suspend),
];

/// Where the configuration is read from when `--config` names no file.
#[must_use]
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(base.join("revue").join("config.toml"))
}

/// Reads the configuration: `path` (which must exist), or the default place (which may
/// not). Gives the configuration and its warnings.
///
/// # Errors
/// One line naming the file, the line and what is wrong.
pub fn load(path: Option<&Path>) -> Result<(Config, Vec<String>), String> {
    let (path, required) = match path {
        Some(path) => (path.to_path_buf(), true),
        None => match default_path() {
            Some(path) => (path, false),
            None => return Ok((Config::default(), Vec::new())),
        },
    };
    let name = crate::sanitize::sanitize_line(&path.to_string_lossy()).into_owned();
    match read::text(&path, &name)? {
        Some(text) => parse(&text, &name),
        None if !required => Ok((Config::default(), Vec::new())),
        None => Err(format!(
            "{name}: cannot read the configuration: {}",
            std::io::Error::from(std::io::ErrorKind::NotFound)
        )),
    }
}

/// Parses and checks a configuration; `name` names the file in messages.
///
/// # Errors
/// One line naming the file, the line and what is wrong.
pub fn parse(text: &str, name: &str) -> Result<(Config, Vec<String>), String> {
    let lines = Lines::new(text);
    let mut unknown = Vec::new();
    let deserializer = toml::Deserializer::parse(text).map_err(|err| {
        let line = err.span().map_or(1, |s| lines.of(s.start));
        format!("{name}:{line}: {}", first_line(err.message()))
    })?;
    let file: File = serde_ignored::deserialize(deserializer, |path| {
        unknown.push(path.to_string());
    })
    .map_err(|err| {
        let line = err.span().map_or(1, |s| lines.of(s.start));
        format!("{name}:{line}: {}", first_line(err.message()))
    })?;
    let mut warnings: Vec<String> = unknown
        .into_iter()
        .map(|key| format!("{name}: unknown setting `{}`; ignored", quoted(&key)))
        .collect();
    let at = |span: std::ops::Range<usize>| format!("{name}:{}", lines.of(span.start));
    let mut config = Config {
        reverse: file.reverse.unwrap_or(false),
        histogram: file.histogram,
        ..Config::default()
    };
    if let Some(sort) = &file.sort {
        config.sort = Some(
            SortKey::ALL
                .into_iter()
                .find(|k| k.name() == sort.get_ref().as_str())
                .ok_or_else(|| {
                    let names: Vec<&str> = SortKey::ALL.iter().map(|k| k.name()).collect();
                    format!(
                        "{}: sort `{}` is not one of {}",
                        at(sort.span()),
                        quoted(sort.get_ref()),
                        names.join(", ")
                    )
                })?,
        );
    }
    if let Some(spoilers) = &file.spoilers {
        config.spoilers = match spoilers.get_ref().as_str() {
            "hidden" => Spoilers::Hidden,
            "revealed" => Spoilers::Revealed,
            "filtered" => Spoilers::Filtered,
            other => {
                return Err(format!(
                    "{}: spoilers `{}` is not hidden, revealed or filtered",
                    at(spoilers.span()),
                    quoted(other)
                ));
            }
        };
    }
    if let Some(width) = &file.wrap_width {
        if *width.get_ref() < 20 {
            return Err(format!(
                "{}: wrap_width {} is narrower than 20 columns",
                at(width.span()),
                width.get_ref()
            ));
        }
        config.wrap_width = Some(*width.get_ref());
    }
    if let Some(color) = &file.color {
        config.color = Some(match color.get_ref().as_str() {
            "auto" => None,
            "always" => Some(true),
            "never" => Some(false),
            other => {
                return Err(format!(
                    "{}: color `{}` is not auto, always or never",
                    at(color.span()),
                    quoted(other)
                ));
            }
        });
    }
    for (style, colour) in &file.theme {
        if !THEME_STYLES.contains(&style.as_str()) {
            warnings.push(format!(
                "{}: the theme has no style `{}` (it has {}); ignored",
                at(colour.span()),
                quoted(style),
                THEME_STYLES.join(", ")
            ));
            continue;
        }
        let parsed: Color = colour.get_ref().parse().map_err(|_| {
            format!(
                "{}: `{}` is not a colour (a name like blue, a number 0-255, or #rrggbb)",
                at(colour.span()),
                quoted(colour.get_ref())
            )
        })?;
        config.theme.push((style.clone(), parsed));
    }
    config.labels = file
        .labels
        .as_ref()
        .map(|table| labels_of(table, &at, &mut warnings));
    if !file.keys.is_empty() {
        let table = bindings(&file.keys, &at, &mut warnings)?;
        warnings.extend(
            collisions(&table)
                .into_iter()
                .map(|c| format!("{name}: {c}")),
        );
        config.bindings = Some(table);
    }
    Ok((config, read::bounded(warnings)))
}

/// The key table with the `[keys]` section's bindings in place of the defaults; `at` gives
/// a span's place in the file, and names no action are warned about.
fn bindings(
    keys_section: &BTreeMap<String, Spanned<Keys>>,
    at: &dyn Fn(std::ops::Range<usize>) -> String,
    warnings: &mut Vec<String>,
) -> Result<Vec<Binding>, String> {
    let mut table = keymap::BINDINGS.to_vec();
    for (action_name, keys) in keys_section {
        let Some(&(_, action)) = ACTIONS.iter().find(|(n, _)| n == action_name) else {
            warnings.push(format!(
                "{}: no action `{}` to bind; ignored (see revue --print-config)",
                at(keys.span()),
                quoted(action_name)
            ));
            continue;
        };
        let names: Vec<&str> = match keys.get_ref() {
            Keys::One(one) => vec![one.as_str()],
            Keys::Many(many) => many.iter().map(String::as_str).collect(),
        };
        if names.len() > MAX_KEYS {
            return Err(format!(
                "{}: `{action_name}` is given {} keys; an action takes at most {MAX_KEYS}",
                at(keys.span()),
                names.len()
            ));
        }
        if names.is_empty() {
            return Err(format!(
                "{}: `{action_name}` is given no key (leave it out to keep its default)",
                at(keys.span())
            ));
        }
        let mut parsed = Vec::new();
        for key in names {
            parsed.push(Key::parse(key).ok_or_else(|| {
                format!(
                    "{}: `{}` is not a key (j, G, Ctrl-d, Down, PgDn, Enter, Esc, F5…)",
                    at(keys.span()),
                    quoted(key)
                )
            })?);
        }
        // The action's first row is the one its keys replace; keys in other places
        // (Ctrl-c everywhere, the arrows in a prompt) stay.
        if let Some(row) = table.iter_mut().find(|b| b.action == action) {
            row.keys = Box::leak(parsed.into_boxed_slice());
            row.label = None;
        }
    }
    Ok(table)
}

/// The most keys one action takes (the defaults give at most four).
const MAX_KEYS: usize = 16;

/// Keys bound to two actions where both apply: the first row wins, the other is unreachable.
fn collisions(table: &[Binding]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, a) in table.iter().enumerate() {
        for b in &table[i + 1..] {
            if a.action == b.action || !a.scope.overlaps(b.scope) {
                continue;
            }
            for key in a.keys.iter().filter(|k| b.keys.contains(k)) {
                found.push(format!(
                    "key {} is bound to both `{}` and `{}`; the first wins",
                    keymap::key_name(*key),
                    name_of(a.action),
                    name_of(b.action)
                ));
            }
        }
    }
    found
}

/// The configuration's name of an action, or its help text for the few without one.
fn name_of(action: Action) -> String {
    ACTIONS
        .iter()
        .find(|(_, a)| *a == action)
        .map_or_else(|| format!("{action:?}"), |(n, _)| (*n).to_string())
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

/// The default configuration as a commented file, for `revue --print-config`.
#[must_use]
pub fn defaults() -> String {
    use std::fmt::Write as _;
    let mut text = String::from(
        "# revue's configuration: $XDG_CONFIG_HOME/revue/config.toml (or --config PATH).\n\
         # Every setting is shown at its default; uncomment one to change it.\n\n\
         # Order of the list: featured, helpful, votes, date, rating, length.\n\
         # sort = \"featured\"\n\
         # reverse = false\n\n\
         # Spoilers at start: hidden (bodies hidden until x), revealed, or filtered (left out).\n\
         # spoilers = \"hidden\"\n\n\
         # The widest the review text is wrapped, in columns (the pane may be narrower).\n\
         # wrap_width = 100\n\n\
         # The rating histogram above the list.\n\
         # histogram = true\n\n\
         # Colour: auto (as NO_COLOR says), always, never.\n\
         # color = \"auto\"\n\n\
         # Colours of the theme's styles: a name (blue, lightred), a number 0-255, or #rrggbb.\n\
         [theme]\n",
    );
    for (style, colour) in THEME_STYLES.iter().zip(DEFAULT_COLOURS) {
        let name = colour_name(colour);
        let _ = writeln!(text, "# {style} = \"{name}\"");
    }
    text.push_str("\n# Labels L sets: L, then the label's key.\n[labels]\n");
    for (key, name) in DEFAULT_LABELS {
        let _ = writeln!(text, "{key:?} = {name:?}");
    }
    text.push_str("\n# Keys per action: one key or a list. Ctrl-x, Down, PgDn, Enter, Esc, Tab, F5…\n[keys]\n");
    for (name, action) in ACTIONS {
        if let Some(binding) = keymap::BINDINGS.iter().find(|b| b.action == *action) {
            let keys: Vec<String> = binding
                .keys
                .iter()
                .map(|&k| format!("{:?}", key_text(k)))
                .collect();
            let _ = writeln!(text, "# {name} = [{}]", keys.join(", "));
        }
    }
    text
}

/// A key as the configuration writes it (what [`Key::parse`] reads back).
fn key_text(key: Key) -> String {
    match keymap::key_name(key).as_str() {
        "↓" => "Down".into(),
        "↑" => "Up".into(),
        "←" => "Left".into(),
        "→" => "Right".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_parse_back_to_the_defaults() {
        let (config, warnings) = parse(&defaults(), "defaults").expect("parses");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(config.bindings.is_none() && config.sort.is_none() && config.theme.is_empty());
        // Uncommented, every default binding reads back as it is.
        let uncommented = defaults()
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.contains(" = "))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let (config, warnings) = parse(&uncommented, "defaults").expect("parses");
        assert!(warnings.is_empty(), "{warnings:?}");
        let table = config.bindings.expect("bindings");
        for (a, b) in table.iter().zip(keymap::BINDINGS) {
            assert_eq!(a.keys, b.keys, "{:?}", a.action);
        }
        // And every colour is the one the app draws without a configuration.
        let mut colours: Vec<(String, Color)> = THEME_STYLES
            .iter()
            .map(|s| (s.to_string(), default_colour(s).expect("a default")))
            .collect();
        colours.sort_by(|a, b| a.0.cmp(&b.0));
        let mut theme = config.theme;
        theme.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(theme, colours);
    }

    #[test]
    fn a_good_file() {
        let text = "sort = \"helpful\"\nspoilers = \"filtered\"\nwrap_width = 72\nhistogram = false\n\
                    [theme]\nselected = \"magenta\"\n[keys]\nnext_review = [\"n\", \"Down\"]\nquit = \"Ctrl-q\"\n";
        let (config, warnings) = parse(text, "c.toml").expect("parses");
        assert_eq!(config.sort, Some(SortKey::Helpful));
        assert_eq!(config.spoilers, Spoilers::Filtered);
        assert_eq!(config.wrap_width, Some(72));
        assert_eq!(config.histogram, Some(false));
        assert_eq!(config.theme, [("selected".to_string(), Color::Magenta)]);
        // n was next_match's: the collision is a warning.
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("key n is bound to both")),
            "{warnings:?}"
        );
    }

    #[test]
    fn bad_files_name_the_line() {
        for (text, line, what) in [
            (
                "sort = \"helpful\"\nspoilers = \"maybe\"\n",
                2,
                "spoilers `maybe`",
            ),
            ("wrap_width = \"wide\"\n", 1, "invalid type"),
            ("sort = \n", 1, ""),
            ("[keys]\nquit = \"Hyper-q\"\n", 2, "`Hyper-q` is not a key"),
            ("[keys]\n\nhelp = []\n", 3, "is given no key"),
            ("\n\n[theme]\nselected = \"blurple\"\n", 4, "not a colour"),
            ("sort = \"best\"\n", 1, "sort `best` is not one of"),
        ] {
            let err = parse(text, "c.toml").expect_err(text);
            assert!(
                err.starts_with(&format!("c.toml:{line}: ")),
                "{text:?}: {err}"
            );
            assert!(err.contains(what), "{text:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }

    #[test]
    fn keys_as_the_help_writes_them() {
        use ratatui::crossterm::event::KeyCode;
        for (text, code) in [
            ("↓", KeyCode::Down),
            ("Down", KeyCode::Down),
            ("PgDn", KeyCode::PageDown),
            ("F5", KeyCode::F(5)),
            ("Space", KeyCode::Char(' ')),
            ("G", KeyCode::Char('G')),
        ] {
            assert_eq!(Key::parse(text).map(|k| k.code), Some(code), "{text}");
        }
        assert_eq!(
            Key::parse("Ctrl-d").map(|k| k.modifiers),
            Some(ratatui::crossterm::event::KeyModifiers::CONTROL)
        );
        assert_eq!(Key::parse("F99"), None);
    }

    #[test]
    fn unknown_keys_are_warnings() {
        let (_, warnings) = parse(
            "colour = \"never\"\n[keys]\nfly = \"f\"\n[theme]\nsparkle = \"red\"\n",
            "c.toml",
        )
        .expect("parses");
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("unknown setting `colour`"));
        assert!(warnings.iter().any(|w| w.contains("no action `fly`")));
        assert!(warnings.iter().any(|w| w.contains("no style `sparkle`")));
    }
}
