//! Kaggle's "uncleaned" IMDb dumps: a CSV of one column whose cells each hold one review
//! copied from an IMDb page (FORMATS.md §1 and §4). The cells are read in one pass by the
//! copied-text reader, and its warnings are put back on the CSV's lines.

use super::text;
use super::{Loaded, Warning, parse_rating};
use crate::model::StoreBuilder;

/// Whether a cell reads as a review copied from an IMDb page: it has the votes line, or it
/// opens with a rating (`8/10`) on a line of its own.
pub(super) fn is_copied_review(cell: &str) -> bool {
    cell.contains(" found this helpful")
        || cell.contains("Permalink")
        || (cell.contains('\n') && cell.lines().next().and_then(parse_rating).is_some())
}

/// Reads the cells of the one column (the rows after the header, from `start`), each a
/// review, as one copied page.
pub(super) fn load(text: &str, start: usize, label: &str) -> Loaded {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&text.as_bytes()[start..]);
    let header_lines = text[..start].matches('\n').count();
    let mut page = String::new();
    // Where each cell starts: its first line in the page, and in the CSV.
    let mut cells: Vec<(usize, usize)> = Vec::new();
    let mut page_lines = 0;
    let mut record = ::csv::StringRecord::new();
    let mut warnings = Vec::new();
    loop {
        let line = header_lines + usize::try_from(reader.position().line()).unwrap_or(0);
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                warnings.push(Warning {
                    line: Some(line),
                    message: format!("unreadable row: {err}; skipped"),
                });
                continue;
            }
        }
        let cell = record.get(0).unwrap_or_default().trim();
        if cell.is_empty() {
            continue;
        }
        cells.push((page_lines, line));
        page.push_str(cell);
        let mut lines = cell.matches('\n').count() + 1;
        // Each cell is one whole review: it ends its block even when the copy lost the
        // `Permalink` line (IMDb's is `Permalink` alone, or with an arrow after it).
        let last = cell.lines().last().unwrap_or_default().trim();
        if !last.starts_with("Permalink") {
            page.push_str("\nPermalink");
            lines += 1;
        }
        page.push_str("\n\n");
        page_lines += lines + 1;
    }
    let mut loaded = text::load(StoreBuilder::new(page), label);
    for warning in &mut loaded.warnings {
        if let Some(line) = warning.line {
            // The page's line 1 is its first line; a cell's line is its row's.
            let at = cells
                .partition_point(|&(from, _)| from < line)
                .saturating_sub(1);
            if let Some(&(from, row)) = cells.get(at) {
                warning.line = Some(row + (line - 1 - from));
            }
        }
    }
    warnings.append(&mut loaded.warnings);
    loaded.warnings = warnings;
    loaded
}
