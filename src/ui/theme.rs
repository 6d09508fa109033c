//! Named styles for every part of the screen; honours `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

use crate::model::{Rating, Verdict};

/// The styles the app draws with. Without colour, emphasis falls back to bold, underline and
/// reverse video so that nothing relies on colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Colours the configuration gives the named styles, in [`crate::config::THEME_STYLES`]
    /// order.
    colours: [Option<Color>; 8],
    color: bool,
}

impl Theme {
    /// Colour unless the `NO_COLOR` convention (<https://no-color.org>) asks otherwise.
    #[must_use]
    pub fn from_env() -> Self {
        Self {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            colours: [None; 8],
        }
    }

    /// The theme `--color` asks for: `None` (auto) follows `NO_COLOR`, `Some(on)` decides.
    #[must_use]
    pub fn for_choice(color: Option<bool>) -> Self {
        color.map_or_else(Self::from_env, |color| Self {
            color,
            colours: [None; 8],
        })
    }

    /// The theme with the configuration's colours for its named styles (ignored without
    /// colour).
    #[must_use]
    pub fn with_colours(mut self, colours: &[(String, Color)]) -> Self {
        for (style, colour) in colours {
            if let Some(i) = crate::config::THEME_STYLES.iter().position(|s| s == style) {
                self.colours[i] = Some(*colour);
            }
        }
        self
    }

    /// The configured colour of style `name`, in a colour theme.
    fn colour(self, name: &str) -> Option<Color> {
        let i = crate::config::THEME_STYLES
            .iter()
            .position(|s| *s == name)?;
        self.colours[i].filter(|_| self.color)
    }

    /// The colour of style `name`: the configured one, else its default.
    fn colour_or_default(self, name: &str) -> Color {
        self.colour(name)
            .or_else(|| crate::config::default_colour(name))
            .unwrap_or(Color::Reset)
    }

    /// Whether this theme uses colour.
    #[must_use]
    pub fn is_colored(self) -> bool {
        self.color
    }

    /// The colour theme, whatever the environment says (for tests).
    #[must_use]
    pub fn colored() -> Self {
        Self {
            color: true,
            colours: [None; 8],
        }
    }

    /// The monochrome theme.
    #[must_use]
    pub fn monochrome() -> Self {
        Self {
            color: false,
            colours: [None; 8],
        }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// A rating, coloured from red (low) to green (high).
    #[must_use]
    pub fn rating(self, rating: Option<Rating>) -> Style {
        match rating.map(Rating::out_of_ten) {
            None => self.dim(),
            Some(1..=3) => self.fg(Color::Red),
            Some(4..=5) => self.fg(Color::LightRed),
            Some(6) => self.fg(Color::Yellow),
            Some(7..=8) => self.fg(Color::Green),
            Some(_) => self.fg(Color::LightGreen).add_modifier(Modifier::BOLD),
        }
    }

    /// How a verdict is shown: a thumb in colour, a sign without (a thumb's colour would be
    /// its only difference from the other thumb on some terminals' fonts).
    #[must_use]
    pub fn verdict(self, verdict: Verdict) -> (&'static str, Style) {
        match (verdict, self.color) {
            (Verdict::Positive, true) => ("👍", self.fg(Color::Green)),
            (Verdict::Negative, true) => ("👎", self.fg(Color::Red)),
            (Verdict::Positive, false) => ("+", Style::new().add_modifier(Modifier::BOLD)),
            (Verdict::Negative, false) => ("−", Style::new().add_modifier(Modifier::BOLD)),
        }
    }

    #[must_use]
    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(self.colour_or_default("selected"))
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// The selected row while the detail pane has the focus.
    #[must_use]
    pub fn selected_unfocused(self) -> Style {
        if self.color {
            Style::new().bg(Color::DarkGray).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    #[must_use]
    pub fn spoiler_mark(self) -> Style {
        self.fg(self.colour_or_default("spoiler"))
            .add_modifier(Modifier::BOLD)
    }

    /// The notice that stands in for a hidden spoiler.
    #[must_use]
    pub fn spoiler_notice(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(self.colour_or_default("spoiler"))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    #[must_use]
    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    #[must_use]
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::Gray)
        } else {
            Style::new()
        }
    }

    #[must_use]
    pub fn header(self) -> Style {
        self.fg(self.colour_or_default("header"))
            .add_modifier(Modifier::BOLD)
    }

    /// A pane's border; without colour the focused one is bold, so focus still shows.
    #[must_use]
    pub fn border(self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => self.fg(self.colour_or_default("border")),
            (false, true) => self.fg(Color::DarkGray),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, false) => Style::new(),
        }
    }

    /// A search match.
    #[must_use]
    pub fn highlight(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(self.colour_or_default("highlight"))
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        }
    }

    /// The search match `n`/`N` moved to.
    #[must_use]
    pub fn current_match(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(self.colour_or_default("current_match"))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        }
    }

    #[must_use]
    pub fn status(self) -> Style {
        if self.color {
            Style::new()
                .bg(self.colour_or_default("status"))
                .fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    #[must_use]
    pub fn warning(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    #[must_use]
    pub fn key(self) -> Style {
        self.fg(self.colour_or_default("key"))
            .add_modifier(Modifier::BOLD)
    }
}
