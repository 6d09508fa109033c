//! Screen geometry: where each part of the screen goes for a given terminal size, and how
//! the help window lays out its rows. Both sides read it: the app for hit tests and scroll
//! limits, the renderer to draw.

use ratatui::layout::Rect;

/// Below this size the app shows a notice instead of a cramped, broken screen.
pub const MIN_WIDTH: u16 = 32;
pub const MIN_HEIGHT: u16 = 8;
/// From this width on, list and detail sit side by side; below it they are stacked.
pub const SIDE_BY_SIDE_WIDTH: u16 = 100;

/// The screen's regions. All are empty when the terminal is too small.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScreenLayout {
    pub area: Rect,
    pub too_small: bool,
    /// The list pane with its border.
    pub list: Rect,
    /// The rating histogram at the top of the list pane, when shown and there is room.
    pub histogram: Rect,
    /// The list's column header row.
    pub header: Rect,
    /// The list's review rows.
    pub rows: Rect,
    /// The detail pane with its border.
    pub detail: Rect,
    /// The text inside the detail pane.
    pub detail_text: Rect,
    pub status: Rect,
    pub hints: Rect,
    /// Where the help and warnings windows go.
    pub overlay: Rect,
}

/// Rows the rating histogram takes: its title, the counts, two rows of bars, the ratings.
pub const HISTOGRAM_HEIGHT: u16 = 5;

/// The width of each rating's column in a histogram `area` for a rating `scale`: at most 6
/// columns, and 0 when the bars do not fit (a scale of 100 in a narrow pane).
#[must_use]
pub fn histogram_column(area: Rect, scale: u8) -> u16 {
    let width = area.width.saturating_sub(1) / u16::from(scale.max(1));
    if width < 2 { 0 } else { width.min(6) }
}

/// The rating a click at column `x` of the histogram `area` falls on, if any.
#[must_use]
pub fn histogram_rating(area: Rect, scale: u8, x: u16) -> Option<u8> {
    let column = histogram_column(area, scale);
    if column == 0 || x <= area.x {
        return None;
    }
    let rating = (x - area.x - 1) / column + 1;
    u8::try_from(rating).ok().filter(|&r| r <= scale)
}

impl ScreenLayout {
    #[must_use]
    pub fn new(area: Rect) -> Self {
        Self::with_histogram(area, false)
    }

    /// The layout, with the rating histogram at the top of the list pane when `histogram`
    /// and the pane has room for it and a few rows.
    #[must_use]
    pub fn with_histogram(area: Rect, histogram: bool) -> Self {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return Self {
                area,
                too_small: true,
                ..Self::default()
            };
        }
        let main_height = area.height - 2;
        let main = Rect::new(area.x, area.y, area.width, main_height);
        let status = Rect::new(area.x, area.y + main_height, area.width, 1);
        let hints = Rect::new(area.x, area.y + main_height + 1, area.width, 1);
        let (list, detail) = if area.width >= SIDE_BY_SIDE_WIDTH {
            let list_width = main.width * 55 / 100;
            (
                Rect::new(main.x, main.y, list_width, main.height),
                Rect::new(
                    main.x + list_width,
                    main.y,
                    main.width - list_width,
                    main.height,
                ),
            )
        } else {
            let list_height = (main.height * 2 / 5).max(5).min(main.height - 3);
            (
                Rect::new(main.x, main.y, main.width, list_height),
                Rect::new(
                    main.x,
                    main.y + list_height,
                    main.width,
                    main.height - list_height,
                ),
            )
        };
        let mut list_inner = inner(list, 0);
        let histogram = if histogram && list_inner.height >= HISTOGRAM_HEIGHT + 5 {
            let hist = Rect {
                height: HISTOGRAM_HEIGHT,
                ..list_inner
            };
            list_inner.y += HISTOGRAM_HEIGHT;
            list_inner.height -= HISTOGRAM_HEIGHT;
            hist
        } else {
            Rect::default()
        };
        let header = Rect::new(
            list_inner.x,
            list_inner.y,
            list_inner.width,
            list_inner.height.min(1),
        );
        let rows = Rect::new(
            list_inner.x,
            list_inner.y + header.height,
            list_inner.width,
            list_inner.height - header.height,
        );
        let overlay_width = area.width.saturating_sub(4).min(120);
        let overlay_height = main_height.saturating_sub(2);
        let overlay = Rect::new(
            area.x + (area.width - overlay_width) / 2,
            area.y + 1,
            overlay_width,
            overlay_height,
        );
        Self {
            area,
            too_small: false,
            list,
            histogram,
            header,
            rows,
            detail,
            detail_text: inner(detail, 1),
            status,
            hints,
            overlay,
        }
    }
}

/// How the help window lays out its key rows in the overlay area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpLayout {
    /// Rows side by side in two columns (when one column would not fit and there is room).
    pub two_columns: bool,
    /// Width of the keys column.
    pub key_width: usize,
    /// Lines of text, its heading and the blank line after it included.
    pub lines: usize,
}

/// Lines the help window's heading takes: a title and a blank line.
pub const HELP_HEADING_LINES: usize = 2;

/// Lays out `rows` (keys, help) of the help window in `overlay`, the area of the window
/// with its border.
#[must_use]
pub fn help_layout(overlay: Rect, rows: &[(String, &str)]) -> HelpLayout {
    let key_width = crate::keymap::help_key_width(rows);
    let inner_height =
        usize::from(overlay.height.saturating_sub(2)).saturating_sub(HELP_HEADING_LINES);
    let inner_width = usize::from(overlay.width.saturating_sub(2));
    // Two columns only where every entry still fits whole: a cut help text helps no one.
    let text_width = rows
        .iter()
        .map(|(_, text)| crate::wrap::width(text))
        .max()
        .unwrap_or(0);
    let two_columns = rows.len() > inner_height && inner_width >= 2 * (key_width + 3 + text_width);
    let body = if two_columns {
        rows.len().div_ceil(2)
    } else {
        rows.len()
    };
    HelpLayout {
        two_columns,
        key_width,
        lines: HELP_HEADING_LINES + body,
    }
}

/// Inside a one-cell border, with `padding` more columns on each side.
fn inner(r: Rect, padding: u16) -> Rect {
    let x_cut = (1 + padding).min(r.width / 2);
    let y_cut = 1.min(r.height / 2);
    Rect::new(
        r.x + x_cut,
        r.y + y_cut,
        r.width - 2 * x_cut,
        r.height - 2 * y_cut,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_split_sideways_and_narrow_ones_stack() {
        let wide = ScreenLayout::new(Rect::new(0, 0, 120, 40));
        assert_eq!(wide.list.y, wide.detail.y);
        assert!(wide.list.right() <= wide.detail.x);
        let narrow = ScreenLayout::new(Rect::new(0, 0, 60, 20));
        assert_eq!(narrow.list.x, narrow.detail.x);
        assert!(narrow.list.bottom() <= narrow.detail.y);
        assert!(narrow.rows.height >= 2);
    }

    #[test]
    fn every_size_fits_inside_the_screen() {
        for w in 0..130 {
            for h in 0..45 {
                let area = Rect::new(0, 0, w, h);
                let l = ScreenLayout::new(area);
                for r in [
                    l.list,
                    l.header,
                    l.rows,
                    l.detail,
                    l.detail_text,
                    l.status,
                    l.hints,
                    l.overlay,
                ] {
                    assert!(
                        r.is_empty()
                            || area.contains(r.as_position())
                                && r.right() <= area.right()
                                && r.bottom() <= area.bottom(),
                        "{w}x{h}: {r:?}"
                    );
                }
            }
        }
    }
}
