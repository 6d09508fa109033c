//! `--keywords`: the words that set two sides of the view apart, printed as a table, as
//! JSON (`--format json`, `jsonl`: one object a term) or as CSV (`--format csv`).

use std::io::{self, Write};

use super::OutputFormat;
use crate::query::keywords::Keywords;

/// `text` padded to `width` terminal columns.
fn pad(text: &str, width: usize) -> String {
    let shown = crate::wrap::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// Writes `k` in `format` (a plain table when `None` or Markdown).
///
/// # Errors
/// When `out` cannot be written.
pub fn write(out: &mut dyn Write, k: &Keywords, format: Option<OutputFormat>) -> io::Result<()> {
    let rows = || {
        (0..2).flat_map(move |side| {
            k.terms[side]
                .iter()
                .map(move |t| (k.names[side].as_str(), t))
        })
    };
    match format {
        Some(OutputFormat::Json) => {
            let side = |s: usize| {
                serde_json::json!({
                    "name": k.names[s],
                    "reviews": k.reviews[s],
                    "terms": k.terms[s].iter().map(|t| serde_json::json!({
                        "term": t.term, "z": t.z, "count": t.counts[s], "count_other": t.counts[1 - s],
                    })).collect::<Vec<_>>(),
                })
            };
            let doc = serde_json::json!({
                "min_count": k.min_count,
                "hidden_spoilers_left_out": k.hidden_left_out,
                "sides": [side(0), side(1)],
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        }
        Some(OutputFormat::Jsonl) => {
            for (name, t) in rows() {
                let line = serde_json::json!({
                    "side": name, "term": t.term, "z": t.z,
                    "count_first": t.counts[0], "count_second": t.counts[1],
                });
                writeln!(out, "{line}")?;
            }
            Ok(())
        }
        Some(OutputFormat::Csv) => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(["side", "term", "z", &k.names[0], &k.names[1]])?;
            for (name, t) in rows() {
                csv.write_record([
                    name,
                    &t.term,
                    &format!("{:.3}", t.z),
                    &t.counts[0].to_string(),
                    &t.counts[1].to_string(),
                ])?;
            }
            csv.flush()
        }
        Some(OutputFormat::Markdown) | None => {
            for side in 0..2 {
                writeln!(out, "{} ({} reviews)", k.names[side], k.reviews[side])?;
                writeln!(
                    out,
                    "  {:<28} {:>7} {:>9} {:>9}",
                    "term", "z", &k.names[0], &k.names[1]
                )?;
                for t in &k.terms[side] {
                    writeln!(
                        out,
                        "  {}{:>+7.2} {:>9} {:>9}",
                        pad(&t.term, 29),
                        t.z,
                        t.counts[0],
                        t.counts[1]
                    )?;
                }
                writeln!(out)?;
            }
            if k.hidden_left_out > 0 {
                writeln!(out, "({} spoiler bodies left out)", k.hidden_left_out)?;
            }
            writeln!(out, "terms met {} times or more", k.min_count)
        }
    }
}
