//! The rating histogram above the list: a bar per rating of the scale for the reviews the
//! other filters keep, with their count, mean and median; the ratings in the rating filter
//! stand out (a click on a bar toggles it).

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::Theme;
use crate::app::App;
use crate::layout::histogram_column;

/// Block characters for the top of a bar, an eighth of a row more each.
const EIGHTHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// Rows of bars.
const BAR_ROWS: u16 = 2;

/// Draws the histogram into its area, if it has one.
pub fn render(app: &App, theme: Theme, buf: &mut Buffer) {
    let area = app.layout().histogram;
    let Some(ratings) = app.ratings().filter(|_| !area.is_empty()) else {
        return;
    };
    let scale = ratings.scale;
    let figures = match (ratings.mean, ratings.median) {
        (Some(mean), Some(median)) => format!(": mean {mean:.1}, median {median}"),
        _ => ": none rated".into(),
    };
    // IMDb shows its own weighted score beside the reviews; other data has no such thing.
    let whose = if app.is_imdb() {
        "Their ratings, not IMDb's score"
    } else {
        "Their ratings"
    };
    let title = format!(" {whose}{figures}");
    Line::styled(title, theme.dim()).render(area, buf);
    // A view with no rated review (a search that finds none) has no bars to draw.
    if ratings.mean.is_none() {
        return;
    }
    let column = histogram_column(area, scale);
    if column == 0 {
        return;
    }
    let filter = &app.query().ratings;
    let top = ratings.histogram[1..]
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let eighths_high = usize::from(BAR_ROWS) * 8;
    for rating in 1..=scale {
        let x = area.x + 1 + (u16::from(rating) - 1) * column;
        let n = ratings.histogram[usize::from(rating)];
        let chosen = filter.contains(rating);
        let style = if chosen {
            theme.selected()
        } else {
            theme.rating(crate::model::Rating::of_whole(rating, scale))
        };
        let bar_width = usize::from(column - 1);
        let count = crate::wrap::fit(&n.to_string(), bar_width, true);
        buf.set_string(x, area.y + 1, count, theme.dim());
        // Height in eighths of a row; a count above zero shows at least a sliver.
        let height = if n == 0 {
            0
        } else {
            (n * eighths_high).div_ceil(top).max(1)
        };
        for row in 0..BAR_ROWS {
            let y = area.y + 1 + BAR_ROWS - row;
            let filled = height.saturating_sub(usize::from(row) * 8).min(8);
            buf.set_string(x, y, EIGHTHS[filled].repeat(bar_width), style);
        }
        let label = crate::wrap::fit(&rating.to_string(), bar_width, true);
        let label_style = if chosen {
            theme.selected()
        } else {
            theme.dim()
        };
        Span::styled(label, label_style).render(
            ratatui::layout::Rect::new(x, area.y + 2 + BAR_ROWS, column - 1, 1),
            buf,
        );
    }
}
