//! The `revue` binary: parse the command line, load the documents, then print the view or
//! start the app. Everything else lives in the library.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser as _;

use revue::app::{App, DocumentWarning};
use revue::cli::Args;
use revue::input::Input;
use revue::load::{self, Loaded};
use revue::model::Document;
use revue::stats::Stats;
use revue::theme::Theme;
use revue::{export, query, tui};

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => return usage_error(&err),
    };
    let Some((document, warnings)) = load_all(&args) else {
        return ExitCode::from(1);
    };
    let query = args.query();
    if args.format.is_some() || args.stats {
        let indices = query::apply(&document, &query);
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        let written = if args.stats {
            write!(out, "{}", Stats::new(&document, &indices))
        } else {
            args.format.map_or(Ok(()), |format| {
                export::write(&mut out, &document, &indices, format)
            })
        };
        return match written.and_then(|()| out.flush()) {
            Ok(()) => ExitCode::SUCCESS,
            // A closed pipe (`revue --format json | head`) is the reader's choice, not an error.
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("revue: error: writing output: {err}");
                ExitCode::from(1)
            }
        };
    }
    if !io::stdout().is_terminal() {
        eprintln!(
            "revue: error: standard output is not a terminal; use --format or --stats to print the reviews"
        );
        return ExitCode::from(2);
    }
    let mut app = App::new(document, query, warnings, Theme::from_env());
    match tui::run(&mut app) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("revue: error: terminal: {err}");
            ExitCode::from(1)
        }
    }
}

/// Prints `--help` and `--version` as clap formats them, and a usage error as one line
/// (`revue: error: ...`) with exit status 2.
fn usage_error(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    let text = err.render().to_string();
    let first = text.lines().next().unwrap_or("bad usage");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!("revue: error: {first} (see revue --help)");
    ExitCode::from(2)
}

/// Loads every input, reporting each failure and warning on stderr. `None` when nothing
/// loaded.
fn load_all(args: &Args) -> Option<(Document, Vec<DocumentWarning>)> {
    let mut document: Option<Document> = None;
    let mut all_warnings = Vec::new();
    for input in Input::from_args(&args.files) {
        let loaded = input.read().map_err(|e| e.to_string()).and_then(|bytes| {
            load::load_bytes(bytes, &input.label(), args.input_format).map_err(|e| e.to_string())
        });
        match loaded {
            Ok(Loaded {
                document: doc,
                warnings,
            }) => {
                for w in warnings {
                    match w.line {
                        Some(line) => eprintln!("revue: warning: {input}:{line}: {}", w.message),
                        None => eprintln!("revue: warning: {input}: {}", w.message),
                    }
                    all_warnings.push(DocumentWarning {
                        document: input.to_string(),
                        warning: w,
                    });
                }
                match &mut document {
                    Some(all) => all.append(doc),
                    None => document = Some(doc),
                }
            }
            Err(err) => eprintln!("revue: error: {input}: {err}"),
        }
    }
    document.map(|d| (d, all_warnings))
}
