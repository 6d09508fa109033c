//! Every user action, and the one table of keys that triggers them. The same table drives the
//! input decoding, the help overlay and the key-hint line, so they can never disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Something the user asked for. Keys (through [`BINDINGS`]) and mouse events become
/// actions; [`crate::app::App::update`] carries them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Select the next review in the list.
    SelectNext,
    /// Select the previous review in the list.
    SelectPrevious,
    /// Select the first review.
    SelectFirst,
    /// Select the last review.
    SelectLast,
    /// Move the selection one screen down.
    PageDown,
    /// Move the selection one screen up.
    PageUp,
    /// Move the keyboard focus between the list and the detail pane.
    ToggleFocus,
    /// Give the focus back to the list.
    FocusList,
    /// Scroll the detail pane one line down.
    ScrollDetailDown,
    /// Scroll the detail pane one line up.
    ScrollDetailUp,
    /// Scroll the detail pane one screen down.
    DetailPageDown,
    /// Scroll the detail pane one screen up.
    DetailPageUp,
    /// Scroll the detail pane to its top.
    DetailTop,
    /// Scroll the detail pane to its end.
    DetailBottom,
    /// Sort by the next order.
    NextSort,
    /// Reverse the sort direction.
    ReverseSort,
    /// Add or remove one rating (1–10) in the rating filter.
    ToggleRating(u8),
    /// Raise the lowest rating shown.
    RaiseMinRating,
    /// Lower the lowest rating shown.
    LowerMinRating,
    /// Open the search prompt.
    StartSearch,
    /// Jump to the next search match in the detail pane.
    NextMatch,
    /// Jump to the previous search match in the detail pane.
    PreviousMatch,
    /// Reveal or hide the selected spoiler review.
    ToggleReveal,
    /// Reveal every spoiler review, or hide them all again.
    ToggleRevealAll,
    /// Leave spoiler reviews out of the list, or bring them back.
    ToggleHideSpoilers,
    /// Show the next document's reviews only (then all again).
    CycleFilm,
    /// Keep positive reviews only, then negative, then those without a verdict, then all.
    CycleVerdict,
    /// Hide all but the first of each set of duplicate reviews, or show them again.
    ToggleDedupe,
    /// Show or hide the keywords window.
    ToggleKeywords,
    /// Mark the selected review, or take its mark away.
    ToggleMark,
    /// Mark every review shown (or take the marks away when all are marked).
    MarkShown,
    /// Keep only the marked reviews, or all again.
    ToggleMarkedOnly,
    /// Wait for a label's key, to set or clear that label on the selected review.
    StartLabel,
    /// The key of a label, after `StartLabel`.
    LabelKey(char),
    /// Keep the reviews of the next label in use, then all again.
    CycleLabelFilter,
    /// In the keywords window, this view against the rest (or high against low again).
    KeywordsAgainstRest,
    /// Enter in a window: the keywords window searches the selected term; others close.
    OverlayEnter,
    /// Clear every filter and the search.
    ClearFilters,
    /// Copy the selected review as text to the clipboard.
    CopyReview,
    /// Copy the selected review's permalink to the clipboard.
    CopyLink,
    /// Open the selected review's permalink in the browser.
    OpenLink,
    /// Show or hide the stats view.
    ToggleStats,
    /// Show or hide the rating histogram above the list.
    ToggleHistogram,
    /// Export the view to a file the user names.
    StartExport,
    /// Complete the path typed in the export prompt.
    PromptComplete,
    /// From the stats view, read the longest review.
    JumpLongest,
    /// From the stats view, read the most helpful review.
    JumpMostHelpful,
    /// Show or hide the help overlay.
    ToggleHelp,
    /// Show or hide the list of load warnings.
    ToggleWarnings,
    /// Close the overlay on top.
    CloseOverlay,
    /// Scroll the overlay down.
    OverlayDown,
    /// Scroll the overlay up.
    OverlayUp,
    /// Type a character into the search prompt.
    SearchInput(char),
    /// Delete the last character of the search.
    SearchBackspace,
    /// Empty the search prompt.
    SearchClear,
    /// Keep the search and leave the prompt.
    SearchAccept,
    /// Drop the search and leave the prompt.
    SearchCancel,
    /// A mouse click at a screen cell: selects the list row there, or focuses the pane.
    Click { column: u16, row: u16 },
    /// The mouse wheel at a screen cell: scrolls the pane under it, `down` or up.
    Scroll { column: u16, row: u16, down: bool },
    /// Follow the files as they grow, or stop.
    ToggleFollow,
    /// Read every file again from the start.
    Reload,
    /// Suspend to the shell (`fg` brings revue back).
    Suspend,
    /// Leave revue.
    Quit,
}

/// Where a key binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Browsing, whichever pane has the focus.
    Browse,
    /// Browsing with the focus on the list.
    List,
    /// Browsing with the focus on the detail pane.
    Detail,
    /// Typing a search.
    Search,
    /// Typing a file name to export to.
    Export,
    /// Typing in either prompt, a search or a file name.
    Prompt,
    /// The help or warnings overlay is open.
    Overlay,
    /// Waiting for a label's key (after `L`).
    Label,
    /// Everywhere.
    Global,
}

/// One key: a code and the modifiers that must be held (Shift is implied by the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    /// A key as the configuration writes it: a character (`j`, `G`, `?`), `Ctrl-x`, or a
    /// name as the help shows it (`Down`, `PgDn`, `Enter`, `Esc`, `Tab`, `Space`, `F5`...).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        if let Some(rest) = text
            .strip_prefix("Ctrl-")
            .or_else(|| text.strip_prefix("ctrl-"))
        {
            let mut chars = rest.chars();
            let c = chars.next()?;
            return chars
                .next()
                .is_none()
                .then_some(ctrl(c.to_ascii_lowercase()));
        }
        let named = match text {
            "↓" => Some(KeyCode::Down),
            "↑" => Some(KeyCode::Up),
            "←" => Some(KeyCode::Left),
            "→" => Some(KeyCode::Right),
            _ => None,
        };
        if let Some(code) = named {
            return Some(key(code));
        }
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Some(ch(c));
        }
        let code = match text.to_ascii_lowercase().as_str() {
            "down" | "↓" => KeyCode::Down,
            "up" | "↑" => KeyCode::Up,
            "left" | "←" => KeyCode::Left,
            "right" | "→" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "pgup" | "pageup" => KeyCode::PageUp,
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "shift-tab" | "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "space" => KeyCode::Char(' '),
            other => KeyCode::F(
                other
                    .strip_prefix('f')?
                    .parse()
                    .ok()
                    .filter(|n| (1..=24).contains(n))?,
            ),
        };
        Some(key(code))
    }
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

/// A row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub action: Action,
    /// What the help overlay says; empty for bindings the previous row already explains.
    pub help: &'static str,
    /// How the help overlay writes the keys, where listing them one by one would not read
    /// well (the digits).
    pub label: Option<&'static str>,
    /// Short word for the key-hint line, for the few bindings it shows.
    pub hint: Option<&'static str>,
}

const fn bind(scope: Scope, keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding {
        scope,
        keys,
        action,
        help,
        label: None,
        hint: None,
    }
}

const fn hinted(binding: Binding, hint: &'static str) -> Binding {
    Binding {
        hint: Some(hint),
        ..binding
    }
}

/// The binding of a digit key to one rating; the `1` row explains them all in the help.
macro_rules! rating {
    ($c:literal, $n:literal) => {
        bind(Scope::Browse, &[ch($c)], Action::ToggleRating($n), "")
    };
}

use Action as A;
use KeyCode as K;
use Scope as S;

/// The key table in force: [`BINDINGS`] with the configuration's changes, set once at start.
static ACTIVE: std::sync::OnceLock<Vec<Binding>> = std::sync::OnceLock::new();

/// The bindings in force: the defaults, or those the configuration set.
#[must_use]
pub fn table() -> &'static [Binding] {
    ACTIVE.get().map_or(BINDINGS, Vec::as_slice)
}

/// The first key bound to `action`, as messages name it (`R`), made safe to show; `None`
/// when no key is.
#[must_use]
pub fn key_for(action: Action) -> Option<String> {
    table()
        .iter()
        .find(|b| b.action == action)
        .and_then(|b| b.keys.first())
        .map(|&k| crate::sanitize::sanitize_line(&key_name(k)).into_owned())
}

/// Puts `bindings` in force for the rest of the run (the configuration's key bindings).
/// Only the first call counts.
pub fn set_table(bindings: Vec<Binding>) {
    let _ = ACTIVE.set(bindings);
}

/// The key table, one row per binding: scope, keys, action, help text. Order matters twice:
/// the first matching row wins, and rows appear in the help overlay in this order.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    hinted(bind(S::List,    &[ch('j'), key(K::Down)],                   A::SelectNext,         "next review"), "move"),
    bind(S::List,           &[ch('k'), key(K::Up)],                     A::SelectPrevious,     "previous review"),
    bind(S::List,           &[ch('g'), key(K::Home)],                   A::SelectFirst,        "first review"),
    bind(S::List,           &[ch('G'), key(K::End)],                    A::SelectLast,         "last review"),
    bind(S::List,           &[key(K::PageDown), ctrl('d'), ch(' ')],    A::PageDown,           "page down"),
    bind(S::List,           &[key(K::PageUp), ctrl('u')],               A::PageUp,             "page up"),
    bind(S::List,           &[key(K::Enter)],                           A::ToggleFocus,        "read the review (focus the detail)"),
    hinted(bind(S::Browse,  &[key(K::Tab), key(K::BackTab)],            A::ToggleFocus,        "switch focus between list and detail"), "focus"),
    hinted(bind(S::Detail,  &[ch('j'), key(K::Down)],                   A::ScrollDetailDown,   "detail: scroll down"), "scroll"),
    bind(S::Detail,         &[ch('k'), key(K::Up)],                     A::ScrollDetailUp,     "detail: scroll up"),
    hinted(bind(S::Detail,  &[ch(' '), key(K::PageDown), ctrl('d')],    A::DetailPageDown,     "detail: page down"), "page"),
    bind(S::Detail,         &[ch('b'), key(K::PageUp), ctrl('u')],      A::DetailPageUp,       "detail: page up"),
    bind(S::Detail,         &[ch('g'), key(K::Home)],                   A::DetailTop,          "detail: top"),
    hinted(bind(S::Detail,  &[ch('G'), key(K::End)],                    A::DetailBottom,       "detail: end"), "end"),
    hinted(bind(S::Detail,  &[key(K::Esc), key(K::Enter)],              A::FocusList,          "back to the list"), "list"),
    bind(S::Browse,         &[ch('J')],                                 A::ScrollDetailDown,   "scroll the detail down from the list"),
    bind(S::Browse,         &[ch('K')],                                 A::ScrollDetailUp,     "scroll the detail up from the list"),
    hinted(bind(S::Browse,  &[ch('s')],                                 A::NextSort,           "next sort order"), "sort"),
    bind(S::Browse,         &[ch('S')],                                 A::ReverseSort,        "reverse the sort direction"),
    Binding { label: Some("1…9 0"), hint: Some("rating"),
        ..bind(S::Browse,   &[ch('1')],                                 A::ToggleRating(1),    "show/hide that rating (0 is 10)") },
    rating!('2', 2),
    rating!('3', 3),
    rating!('4', 4),
    rating!('5', 5),
    rating!('6', 6),
    rating!('7', 7),
    rating!('8', 8),
    rating!('9', 9),
    rating!('0', 10),
    bind(S::Browse,         &[ch('+'), ch('=')],                        A::RaiseMinRating,     "raise the minimum rating"),
    bind(S::Browse,         &[ch('-')],                                 A::LowerMinRating,     "lower the minimum rating"),
    hinted(bind(S::Browse,  &[ch('/')],                                 A::StartSearch,        "search title, author and text"), "search"),
    bind(S::Browse,         &[ch('n')],                                 A::NextMatch,          "next match, on into the next review"),
    bind(S::Browse,         &[ch('N')],                                 A::PreviousMatch,      "previous match, back into the review before"),
    hinted(bind(S::Browse,  &[ch('x')],                                 A::ToggleReveal,       "reveal/hide this spoiler"), "spoiler"),
    bind(S::Browse,         &[ch('X')],                                 A::ToggleRevealAll,    "reveal all spoilers / hide them all"),
    bind(S::Browse,         &[ch('H')],                                 A::ToggleHideSpoilers, "hide spoiler reviews from the list"),
    bind(S::Browse,         &[ch('f')],                                 A::CycleFilm,          "next film or subject, when several"),
    bind(S::Browse,         &[ch('v')],                                 A::CycleVerdict,       "verdict: positive, negative, none, all"),
    bind(S::Browse,         &[ch('m')],                                 A::ToggleMark,         "mark the review (or unmark)"),
    bind(S::Browse,         &[ch('M')],                                 A::MarkShown,          "mark every review shown (or unmark)"),
    bind(S::Browse,         &[ch('\'')],                                A::ToggleMarkedOnly,   "marked reviews only, or all"),
    bind(S::Browse,         &[ch('L')],                                 A::StartLabel,         "label the review: L, then the label's key"),
    bind(S::Browse,         &[ch('"')],                                 A::CycleLabelFilter,   "reviews of one label, the next, then all"),
    hinted(bind(S::Label,   &[key(K::Esc)],                             A::CloseOverlay,       "labels: cancel"), "cancel"),
    bind(S::Browse,         &[ch('D')],                                 A::ToggleDedupe,       "hide duplicates (keep the first)"),
    hinted(bind(S::Browse,  &[ch('c')],                                 A::ClearFilters,       "clear every filter and the search"), "clear"),
    bind(S::Browse,         &[ch('y')],                                 A::CopyReview,         "copy the review as text"),
    bind(S::Browse,         &[ch('Y')],                                 A::CopyLink,           "copy the review's link"),
    bind(S::Browse,         &[ch('o')],                                 A::OpenLink,           "open the review's link in a browser"),
    bind(S::Browse,         &[ch('i')],                                 A::ToggleStats,        "stats of the reviews shown"),
    bind(S::Browse,         &[ch('W')],                                 A::ToggleKeywords,     "keywords: the words that split opinion"),
    bind(S::Browse,         &[ch('r')],                                 A::ToggleHistogram,    "rating histogram: show/hide (click a bar)"),
    bind(S::Browse,         &[ch('e')],                                 A::StartExport,        "export the reviews shown to a file"),
    bind(S::Browse,         &[ch('w')],                                 A::ToggleWarnings,     "how the files were read, and warnings"),
    bind(S::Browse,         &[ch('F')],                                 A::ToggleFollow,       "follow the file as it grows, or stop"),
    bind(S::Browse,         &[ch('R')],                                 A::Reload,             "read the files again from the start"),
    hinted(bind(S::Browse,  &[ch('?')],                                 A::ToggleHelp,         "this help"), "help"),
    hinted(bind(S::Browse,  &[ch('q')],                                 A::Quit,               "quit"), "quit"),
    hinted(bind(S::Search,  &[key(K::Enter)],                           A::SearchAccept,       "search: keep it"), "keep"),
    hinted(bind(S::Export,  &[key(K::Enter)],                           A::SearchAccept,       "export: write the file"), "write"),
    hinted(bind(S::Prompt,  &[key(K::Esc)],                             A::SearchCancel,       "search or export: cancel"), "cancel"),
    bind(S::Prompt,         &[key(K::Backspace)],                       A::SearchBackspace,    "search or export: delete a character"),
    hinted(bind(S::Prompt,  &[ctrl('u'), ctrl('w')],                    A::SearchClear,        "search or export: clear"), "clear"),
    hinted(bind(S::Export,  &[key(K::Tab)],                             A::PromptComplete,     "export: complete the path"), "complete"),
    bind(S::Search,         &[key(K::Down)],                            A::SelectNext,         "search: next review"),
    bind(S::Search,         &[key(K::Up)],                              A::SelectPrevious,     "search: previous review"),
    hinted(bind(S::Overlay, &[key(K::Esc), ch('q'), ch('?'), ch('w'), ch('i'), ch('W')], A::CloseOverlay, "close this window"), "close"),
    bind(S::Overlay,        &[key(K::Enter)],                           A::OverlayEnter,       "keywords: search the word (or close)"),
    bind(S::Overlay,        &[ch('a')],                                 A::KeywordsAgainstRest, "keywords: the view against the rest"),
    bind(S::Overlay,        &[ch('l')],                                 A::JumpLongest,        "stats: read the longest review"),
    bind(S::Overlay,        &[ch('h')],                                 A::JumpMostHelpful,    "stats: read the most helpful review"),
    hinted(bind(S::Overlay, &[ch('j'), key(K::Down), ch(' '), key(K::PageDown)],     A::OverlayDown,  "scroll it down"), "scroll"),
    bind(S::Overlay,        &[ch('k'), key(K::Up), ch('b'), key(K::PageUp)],         A::OverlayUp,    "scroll it up"),
    bind(S::Global,         &[ctrl('c')],                               A::Quit,               "quit"),
    bind(S::Global,         &[ctrl('z')],                               A::Suspend,            "suspend (fg to return)"),
];

/// What the app is doing, as far as keys are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing with the focus on the list (`true`) or on the detail pane.
    Browse {
        list_focused: bool,
    },
    Search,
    /// Typing the name of the file to export to.
    Export,
    Overlay,
    /// Waiting for a label's key (after `L`).
    Label,
}

impl Scope {
    /// Whether a key could be read in both scopes at once.
    #[must_use]
    pub fn overlaps(self, other: Self) -> bool {
        let contexts = [
            Context::Browse { list_focused: true },
            Context::Browse {
                list_focused: false,
            },
            Context::Search,
            Context::Export,
            Context::Overlay,
        ];
        contexts
            .into_iter()
            .any(|c| self.applies(c) && other.applies(c))
    }

    fn applies(self, context: Context) -> bool {
        matches!(
            (self, context),
            (S::Global, _)
                | (S::Browse, Context::Browse { .. })
                | (S::List, Context::Browse { list_focused: true })
                | (
                    S::Detail,
                    Context::Browse {
                        list_focused: false
                    }
                )
                | (S::Search, Context::Search)
                | (S::Export, Context::Export)
                | (S::Prompt, Context::Search | Context::Export)
                | (S::Overlay, Context::Overlay)
                | (S::Label, Context::Label)
        )
    }
}

/// The action a key press asks for in this context, if any.
#[must_use]
pub fn action_for(context: Context, event: KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let mut modifiers = event.modifiers;
    if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
        // The character already says whether Shift was held.
        modifiers.remove(KeyModifiers::SHIFT);
    }
    let pressed = Key {
        code: event.code,
        modifiers,
    };
    let bound = table()
        .iter()
        .find(|b| b.scope.applies(context) && b.keys.contains(&pressed))
        .map(|b| b.action);
    match (bound, context, pressed.code) {
        (Some(action), _, _) => Some(action),
        // The key that opens a window closes it, whatever it is bound to (`F1` for help).
        (None, Context::Overlay, _)
            if table().iter().any(|b| {
                matches!(
                    b.action,
                    Action::ToggleHelp
                        | Action::ToggleStats
                        | Action::ToggleWarnings
                        | Action::ToggleKeywords
                ) && b.keys.contains(&pressed)
            }) =>
        {
            Some(Action::CloseOverlay)
        }
        (None, Context::Search | Context::Export, KeyCode::Char(c))
            if !modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::SearchInput(c))
        }
        (None, Context::Label, KeyCode::Char(c))
            if !modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::LabelKey(c))
        }
        _ => None,
    }
}

/// How a key is written on screen. A character key passes the sanitizer like all text
/// revue draws: the configuration can bind any character, a bidi control among them.
#[must_use]
pub fn key_name(key: Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => crate::sanitize::sanitize_line(c.encode_utf8(&mut [0; 4])).into_owned(),
        KeyCode::Down => "↓".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Delete".into(),
        KeyCode::Insert => "Insert".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

impl Binding {
    /// The keys as the help overlay shows them.
    #[must_use]
    pub fn keys_label(&self) -> String {
        self.label.map_or_else(
            || {
                self.keys
                    .iter()
                    .map(|&k| key_name(k))
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            str::to_string,
        )
    }
}

/// The sections of the help overlay, in order.
pub const SECTIONS: [&str; 6] = [
    "Moving",
    "Filtering",
    "Reading",
    "Marks and labels",
    "Taking out",
    "The app",
];

/// The section of the help an action is listed in.
#[must_use]
pub fn section(action: Action) -> &'static str {
    use Action as A;
    match action {
        A::SelectNext
        | A::SelectPrevious
        | A::SelectFirst
        | A::SelectLast
        | A::PageDown
        | A::PageUp
        | A::ToggleFocus
        | A::FocusList
        | A::ScrollDetailDown
        | A::ScrollDetailUp
        | A::DetailPageDown
        | A::DetailPageUp
        | A::DetailTop
        | A::DetailBottom
        | A::Scroll { .. }
        | A::Click { .. } => SECTIONS[0],
        A::NextSort
        | A::ReverseSort
        | A::ToggleRating(_)
        | A::RaiseMinRating
        | A::LowerMinRating
        | A::StartSearch
        | A::SearchInput(_)
        | A::SearchBackspace
        | A::SearchClear
        | A::SearchAccept
        | A::SearchCancel
        | A::ToggleHideSpoilers
        | A::CycleFilm
        | A::CycleVerdict
        | A::ToggleDedupe
        | A::ClearFilters
        | A::ToggleHistogram => SECTIONS[1],
        A::NextMatch
        | A::PreviousMatch
        | A::ToggleReveal
        | A::ToggleRevealAll
        | A::ToggleStats
        | A::ToggleKeywords
        | A::KeywordsAgainstRest
        | A::OverlayEnter
        | A::JumpLongest
        | A::JumpMostHelpful => SECTIONS[2],
        A::ToggleMark
        | A::MarkShown
        | A::ToggleMarkedOnly
        | A::StartLabel
        | A::LabelKey(_)
        | A::CycleLabelFilter => SECTIONS[3],
        A::CopyReview | A::CopyLink | A::OpenLink | A::StartExport | A::PromptComplete => {
            SECTIONS[4]
        }
        A::ToggleHelp
        | A::ToggleWarnings
        | A::ToggleFollow
        | A::Reload
        | A::CloseOverlay
        | A::OverlayDown
        | A::OverlayUp
        | A::Suspend
        | A::Quit => SECTIONS[5],
    }
}

/// The rows the help overlay lists: keys and what they do, in sections, each section's
/// title a row with no keys.
pub fn help_rows() -> impl Iterator<Item = (String, &'static str)> {
    SECTIONS.iter().flat_map(|&title| {
        std::iter::once((String::new(), title)).chain(
            table()
                .iter()
                .filter(move |b| !b.help.is_empty() && section(b.action) == title)
                .map(|b| (b.keys_label(), b.help)),
        )
    })
}

/// The widest key label of the help overlay, at most 24 columns (longer ones are cut).
#[must_use]
pub fn help_key_width(rows: &[(String, &str)]) -> usize {
    rows.iter()
        .map(|(k, _)| crate::wrap::width(k))
        .max()
        .unwrap_or(0)
        .min(24)
}

/// The key-hint line for where the keys go now: the first key of each hinted binding that
/// applies in `context`, and its word (the detail pane's scroll keys when it has the focus,
/// a prompt's keys while one is open).
pub fn hints(context: Context) -> impl Iterator<Item = (String, &'static str)> {
    table().iter().filter_map(move |b| {
        if !b.scope.applies(context) {
            return None;
        }
        let hint = b.hint?;
        let keys = match b.label {
            Some(label) => label.to_string(),
            None => key_name(*b.keys.first()?),
        };
        Some((keys, hint))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_drawn_sanitized() {
        for c in ['\u{202e}', '\u{2066}', '\u{1b}', '\u{7}', '\u{9b}'] {
            let name = key_name(ch(c));
            assert!(
                !name.contains(c) && name.chars().all(|c| !c.is_control()),
                "{c:?} drawn as {name:?}"
            );
            assert!(!key_name(ctrl(c)).contains(c));
        }
        assert_eq!(key_name(ch('é')), "é");
    }

    fn press(context: Context, code: KeyCode, modifiers: KeyModifiers) -> Option<Action> {
        action_for(context, KeyEvent::new(code, modifiers))
    }

    const LIST: Context = Context::Browse { list_focused: true };
    const DETAIL: Context = Context::Browse {
        list_focused: false,
    };

    #[test]
    fn keys_depend_on_focus() {
        let j = KeyCode::Char('j');
        assert_eq!(press(LIST, j, KeyModifiers::NONE), Some(A::SelectNext));
        assert_eq!(
            press(DETAIL, j, KeyModifiers::NONE),
            Some(A::ScrollDetailDown)
        );
        assert_eq!(
            press(Context::Search, j, KeyModifiers::NONE),
            Some(A::SearchInput('j'))
        );
    }

    #[test]
    fn shifted_characters_match_their_binding() {
        assert_eq!(
            press(LIST, KeyCode::Char('G'), KeyModifiers::SHIFT),
            Some(A::SelectLast)
        );
        assert_eq!(
            press(LIST, KeyCode::Char('X'), KeyModifiers::SHIFT),
            Some(A::ToggleRevealAll)
        );
        assert_eq!(
            press(LIST, KeyCode::Char('?'), KeyModifiers::SHIFT),
            Some(A::ToggleHelp)
        );
    }

    #[test]
    fn digits_toggle_ratings_and_zero_is_ten() {
        assert_eq!(
            press(LIST, KeyCode::Char('8'), KeyModifiers::NONE),
            Some(A::ToggleRating(8))
        );
        assert_eq!(
            press(LIST, KeyCode::Char('0'), KeyModifiers::NONE),
            Some(A::ToggleRating(10))
        );
        assert_eq!(
            press(Context::Search, KeyCode::Char('8'), KeyModifiers::NONE),
            Some(A::SearchInput('8'))
        );
    }

    #[test]
    fn control_keys_work_everywhere() {
        for context in [LIST, DETAIL, Context::Search, Context::Overlay] {
            assert_eq!(
                press(context, KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(A::Quit)
            );
        }
        assert_eq!(
            press(Context::Search, KeyCode::Char('x'), KeyModifiers::ALT),
            None
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope == b.scope {
                    for k in a.keys {
                        assert!(
                            !b.keys.contains(k),
                            "{k:?} bound to {:?} and {:?}",
                            a.action,
                            b.action
                        );
                    }
                }
            }
        }
    }

    const CONTEXTS: [Context; 6] = [
        LIST,
        DETAIL,
        Context::Search,
        Context::Export,
        Context::Overlay,
        Context::Label,
    ];

    #[test]
    fn no_key_is_bound_twice_where_scopes_overlap() {
        // Browse overlaps List and Detail, Global overlaps everything: a key bound in two
        // scopes that apply at once would silently lose one of its actions.
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let overlap = CONTEXTS
                    .iter()
                    .any(|&c| a.scope.applies(c) && b.scope.applies(c));
                if overlap {
                    for k in a.keys {
                        assert!(
                            !b.keys.contains(k),
                            "{} is bound to {:?} ({:?}) and {:?} ({:?})",
                            key_name(*k),
                            a.action,
                            a.scope,
                            b.action,
                            b.scope
                        );
                    }
                }
            }
        }
    }

    /// Whether an action must have a key. The match names every variant, so a new action
    /// cannot be added without deciding.
    fn needs_key(action: Action) -> bool {
        match action {
            // Typed text and the mouse carry their own data.
            A::SearchInput(_) | A::LabelKey(_) | A::Click { .. } | A::Scroll { .. } => false,
            A::SelectNext
            | A::SelectPrevious
            | A::SelectFirst
            | A::SelectLast
            | A::PageDown
            | A::PageUp
            | A::ToggleFocus
            | A::FocusList
            | A::ScrollDetailDown
            | A::ScrollDetailUp
            | A::DetailPageDown
            | A::DetailPageUp
            | A::DetailTop
            | A::ToggleFollow
            | A::Reload
            | A::DetailBottom
            | A::NextSort
            | A::ReverseSort
            | A::ToggleRating(_)
            | A::RaiseMinRating
            | A::LowerMinRating
            | A::StartSearch
            | A::NextMatch
            | A::PreviousMatch
            | A::ToggleReveal
            | A::ToggleRevealAll
            | A::ToggleHideSpoilers
            | A::CycleFilm
            | A::CycleVerdict
            | A::ToggleDedupe
            | A::ToggleMark
            | A::MarkShown
            | A::ToggleMarkedOnly
            | A::StartLabel
            | A::CycleLabelFilter
            | A::ClearFilters
            | A::ToggleStats
            | A::ToggleKeywords
            | A::KeywordsAgainstRest
            | A::OverlayEnter
            | A::ToggleHistogram
            | A::StartExport
            | A::PromptComplete
            | A::JumpLongest
            | A::JumpMostHelpful
            | A::CopyReview
            | A::CopyLink
            | A::OpenLink
            | A::ToggleHelp
            | A::ToggleWarnings
            | A::CloseOverlay
            | A::OverlayDown
            | A::OverlayUp
            | A::SearchBackspace
            | A::SearchClear
            | A::SearchAccept
            | A::SearchCancel
            | A::Suspend
            | A::Quit => true,
        }
    }

    #[test]
    fn every_action_has_a_key() {
        let every = [
            A::SelectNext,
            A::SelectPrevious,
            A::SelectFirst,
            A::SelectLast,
            A::PageDown,
            A::PageUp,
            A::ToggleFocus,
            A::FocusList,
            A::ScrollDetailDown,
            A::ScrollDetailUp,
            A::DetailPageDown,
            A::DetailPageUp,
            A::DetailTop,
            A::DetailBottom,
            A::NextSort,
            A::ReverseSort,
            A::RaiseMinRating,
            A::LowerMinRating,
            A::StartSearch,
            A::NextMatch,
            A::PreviousMatch,
            A::ToggleReveal,
            A::ToggleRevealAll,
            A::ToggleHideSpoilers,
            A::CycleFilm,
            A::CycleVerdict,
            A::ToggleDedupe,
            A::ToggleMark,
            A::MarkShown,
            A::ToggleMarkedOnly,
            A::StartLabel,
            A::CycleLabelFilter,
            A::ClearFilters,
            A::StartExport,
            A::PromptComplete,
            A::ToggleHistogram,
            A::ToggleStats,
            A::ToggleKeywords,
            A::KeywordsAgainstRest,
            A::OverlayEnter,
            A::JumpLongest,
            A::JumpMostHelpful,
            A::CopyReview,
            A::CopyLink,
            A::OpenLink,
            A::ToggleHelp,
            A::ToggleWarnings,
            A::CloseOverlay,
            A::OverlayDown,
            A::OverlayUp,
            A::SearchBackspace,
            A::SearchClear,
            A::SearchAccept,
            A::SearchCancel,
            A::Suspend,
            A::Quit,
            A::SearchInput('a'),
            A::Click { column: 0, row: 0 },
            A::Scroll {
                column: 0,
                row: 0,
                down: true,
            },
        ]
        .into_iter()
        .chain((1..=10).map(A::ToggleRating));
        for action in every.filter(|&a| needs_key(a)) {
            assert!(
                BINDINGS
                    .iter()
                    .any(|b| b.action == action && !b.keys.is_empty()),
                "{action:?} has no key"
            );
        }
        // And the other way round: every binding's key reaches its action somewhere.
        for binding in BINDINGS {
            for &k in binding.keys {
                let reached = CONTEXTS.iter().any(|&c| {
                    binding.scope.applies(c)
                        && action_for(c, KeyEvent::new(k.code, k.modifiers)) == Some(binding.action)
                });
                assert!(
                    reached,
                    "{} never reaches {:?}",
                    key_name(k),
                    binding.action
                );
            }
        }
    }

    #[test]
    fn help_lists_every_action_key() {
        let rows: Vec<_> = help_rows().collect();
        assert!(rows.iter().any(|(k, h)| k == "j ↓" && *h == "next review"));
        assert!(rows.iter().any(|(k, _)| k == "1…9 0"));
        assert!(rows.iter().any(|(k, _)| k == "Ctrl-c"));
        let hints: Vec<_> = hints(LIST).map(|(k, _)| k).collect();
        assert_eq!(hints.first().map(String::as_str), Some("j"));
    }

    #[test]
    fn hints_follow_the_focus_and_the_mode() {
        let words = |context| hints(context).map(|(_, w)| w).collect::<Vec<_>>();
        assert!(words(LIST).contains(&"move"));
        assert!(!words(LIST).contains(&"scroll"));
        assert!(words(DETAIL).contains(&"scroll") && words(DETAIL).contains(&"list"));
        assert!(!words(DETAIL).contains(&"move"));
        assert_eq!(words(Context::Search)[..2], ["keep", "cancel"]);
        // The export prompt says what Enter does there, not what it does in a search.
        assert_eq!(words(Context::Export)[..2], ["write", "cancel"]);
        assert!(words(Context::Export).contains(&"complete"));
        assert!(!words(Context::Export).contains(&"keep"));
        assert!(words(Context::Overlay).contains(&"close"));
        // Every context hints at its way out.
        assert!(words(LIST).contains(&"quit") && words(DETAIL).contains(&"quit"));
    }
}
