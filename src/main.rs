//! The `revue` binary: parse the command line, load the documents, then print the view or
//! start the app. Everything else lives in the library.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser as _;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// How long the app waits for the first reviews before it shows itself without them.
const STARTUP_WAIT: Duration = Duration::from_millis(300);

use revue::app::App;
use revue::cli::Args;
use revue::collect::{self, Change, Collector, DocumentWarning, LoadEvent};
use revue::export::{self, file};
use revue::model::Document;
use revue::query::{self, stats::Stats};
use revue::read::Input;
use revue::stderr;
use revue::tui;
use revue::ui::Theme;

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => return usage_error(&err),
    };
    if args.completions.is_some() || args.man {
        return print_generated(&args);
    }
    if args.print_config {
        let _ = io::stdout()
            .lock()
            .write_all(revue::config::defaults().as_bytes());
        return ExitCode::SUCCESS;
    }
    if let Some(scale) = args.rating_scale
        && ![5, 10, 100].contains(&scale)
    {
        stderr::warning(format_args!(
            "--rating-scale {scale}: ratings are read out of {scale}, an unusual scale (5, 10 \
             and 100 are the usual ones)"
        ));
    }
    // Several `--map`s together must not say two things either (one alone is checked as
    // it is parsed).
    if let Some(contradiction) = args.load_options().map.contradiction() {
        stderr::error(format_args!("--map: {contradiction}"));
        return ExitCode::from(2);
    }
    let printing = args.format.is_some() || args.stats || args.explain || args.keywords.is_some();
    let Some(config) = configuration(&args, printing) else {
        return ExitCode::from(2);
    };
    if let Some(bindings) = config.bindings.clone() {
        revue::keymap::set_table(bindings);
    }
    let query = if printing {
        args.query(&revue::config::Config::default())
    } else {
        args.query(&config)
    };
    if let Some(refusal) = refusal(&args, printing) {
        stderr::error(refusal);
        return ExitCode::from(2);
    }
    // The app starts as soon as the first reviews are in; printing waits for them all.
    let Some(mut loading) = start_loading(&args, !printing) else {
        return ExitCode::from(1);
    };
    if args.explain {
        print!("{}", explain(&loading.collector, &loading.warnings));
        return ExitCode::SUCCESS;
    }
    if printing {
        // Duplicates are found once the reviews are in, where the view or the figures use
        // them (the app finds them in the background).
        if query.dedupe || args.stats {
            loading.document.count_duplicates();
        }
        if (query.marked || query.label.is_some()) && reads_stdin(&args) {
            stderr::warning(
                "standard input has no journal of marks and labels: only those a revue export \
                 carries are read",
            );
        }
        // Marks and labels made in the app are carried by the exports and filter scripts.
        if args.labels.is_some() || has_journal(&args) {
            match open_journal(&args) {
                Ok((_, entries, warnings)) => {
                    for warning in warnings {
                        stderr::warning(warning);
                    }
                    revue::journal::apply(&mut loading.document, &entries);
                }
                Err(err) if args.labels.is_some() => {
                    stderr::error(err);
                    return ExitCode::from(1);
                }
                Err(_) => {}
            }
        }
        if let Some(name) = &query.label
            && loading.document.labels().find(name).is_none()
        {
            stderr::warning(format_args!(
                "no review has the label {}",
                revue::sanitize::sanitize_line(name)
            ));
        }
        return print_view(&args, &loading, &query);
    }
    run_app(&args, loading, query, &config)
}

/// Prints the completion script or the manual page, both from the same clap definitions
/// as the parsing, so they never drift from it.
fn print_generated(args: &Args) -> ExitCode {
    let mut command = <Args as clap::CommandFactory>::command();
    let mut text = Vec::new();
    if let Some(shell) = args.completions {
        clap_complete::generate(shell, &mut command, "revue", &mut text);
    } else {
        let _ = clap_mangen::Man::new(command).render(&mut text);
        text.extend_from_slice(revue::manual::sections().as_bytes());
    }
    match io::stdout().lock().write_all(&text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            stderr::error(format_args!("writing output: {err}"));
            ExitCode::from(1)
        }
    }
}

/// The configuration, its warnings said; `None` (with the error said) when it is bad. The
/// configuration is the app's: a script's output does not change with it, nor fail for
/// it, unless --config names one to check.
fn configuration(args: &Args, printing: bool) -> Option<revue::config::Config> {
    let config = if printing && args.config.is_none() {
        Ok((revue::config::Config::default(), Vec::new()))
    } else {
        revue::config::load(args.config.as_deref())
    };
    match config {
        Ok((config, warnings)) => {
            for warning in warnings {
                stderr::warning(warning);
            }
            Some(config)
        }
        Err(err) => {
            stderr::error(err);
            None
        }
    }
}

/// Why these arguments cannot run here, if they cannot.
fn refusal(args: &Args, printing: bool) -> Option<&'static str> {
    if args.stats && args.format.is_some_and(|f| f != export::OutputFormat::Json) {
        return Some("--stats prints text, or JSON with --format json (see revue --help)");
    }
    if printing && args.follow {
        return Some(
            "--follow is for the app: --format, --stats and --explain read the files once",
        );
    }
    if !printing && !io::stdout().is_terminal() {
        return Some(
            "standard output is not a terminal; use --format or --stats to print the reviews",
        );
    }
    // A terminal without cursor movement cannot show the app; a half-drawn screen of escape
    // codes would be worse than a plain refusal.
    if !printing && std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return Some(
            "this terminal (TERM=dumb) cannot show the app; use --format or --stats to print the reviews",
        );
    }
    None
}

/// Prints the view (`--format`, `--stats`) to standard output or `--output`.
fn print_view(args: &Args, loading: &Loading, query: &revue::query::Query) -> ExitCode {
    let Loading {
        document,
        collector,
        ..
    } = loading;
    // An input cut off part way (a stream past --max-size) would print a part of its
    // reviews as if they were all: its error is said, and nothing is printed.
    if collector.partial {
        return ExitCode::from(1);
    }
    let indices = query::apply(document, query);
    if let Some(against) = args.keywords {
        return print_keywords(args, document, &indices, against);
    }
    let write_view = |out: &mut dyn Write| match args.format {
        Some(format) if !args.stats => export::write(out, document, &indices, format),
        Some(_) => {
            let stats = Stats::new(document, &indices).to_json(document);
            serde_json::to_writer_pretty(&mut *out, &stats)?;
            writeln!(out)
        }
        None => write!(out, "{}", Stats::new(document, &indices)),
    };
    write_output(args, write_view)
}

/// Writes what `write` writes to `--output` or standard output.
fn write_output(args: &Args, write: impl Fn(&mut dyn Write) -> io::Result<()>) -> ExitCode {
    // A file is written whole or not at all, and never over an input (see export/file.rs).
    // `-o -` is standard output, as for most tools.
    if let Some(path) = args.output.as_ref().filter(|p| p.as_os_str() != "-") {
        remove_temporaries_on_signals();
        return file::report(file::write_atomically(path, &args.files, args.force, write));
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`revue --format json | head`) is the reader's choice, not an error.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            stderr::error(format_args!("writing output: {err}"));
            ExitCode::from(1)
        }
    }
}

/// Prints `--keywords` for the reviews at `indices`; spoiler bodies are left out unless
/// the configuration shows spoilers, as the app leaves out those it hides.
fn print_keywords(
    args: &Args,
    document: &revue::model::Document,
    indices: &[usize],
    against: revue::cli::KeywordsAgainst,
) -> ExitCode {
    use revue::query::keywords;
    let rest = against == revue::cli::KeywordsAgainst::Rest;
    let hidden = |i: usize| document.reviews[i].spoiler;
    let Some(sides) = keywords::sides(document, indices, rest, hidden) else {
        stderr::error(if rest {
            "--keywords rest: the view holds every review (or none); filter or search first"
        } else {
            "--keywords: no ratings or verdicts split the view into high and low reviews \
             (--keywords rest compares it with the other reviews)"
        });
        return ExitCode::from(1);
    };
    let names = match sides.split {
        Some(keywords::Split::Rating) => ["high".to_string(), "low".to_string()],
        Some(keywords::Split::Verdict) => ["positive".to_string(), "negative".to_string()],
        _ => ["view".to_string(), "rest".to_string()],
    };
    let never = std::sync::atomic::AtomicBool::new(false);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let Some(found) = keywords::keywords(document.store(), &sides, names, &never, &done) else {
        return ExitCode::from(1);
    };
    write_output(args, |out: &mut dyn Write| {
        export::keywords::write(out, &found, args.format)
    })
}

/// Whether the inputs have a journal in the default place (scripts read none otherwise,
/// and hash no review for nothing).
fn has_journal(args: &Args) -> bool {
    !reads_stdin(args)
        && revue::journal::identity(&args.files, revue::read::SAMPLE.as_bytes())
            .and_then(|id| revue::journal::default_path(&id))
            .is_some_and(|path| path.is_file())
}

/// Whether `path` lies in a folder given as an input, whose files revue reads as parts.
fn inside_an_input_folder(path: &std::path::Path, inputs: &[std::path::PathBuf]) -> bool {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let Ok(parent) = parent.canonicalize() else {
        return false;
    };
    inputs
        .iter()
        .filter(|i| i.is_dir())
        .filter_map(|i| i.canonicalize().ok())
        .any(|dir| parent.starts_with(dir))
}

/// Whether an input is standard input, which has no identity to find its labels by (with
/// no file named, the built-in sample is read only when nothing is piped in).
fn reads_stdin(args: &Args) -> bool {
    Input::from_args(&args.files).contains(&Input::Stdin)
}

/// The journal marks and labels are kept in (`--labels`, or the one of the inputs'
/// identity), what it holds and its warnings. `Err` says why changes cannot be kept.
fn open_journal(args: &Args) -> Result<revue::journal::Opened, String> {
    use revue::journal::{self, Journal};
    let path = if let Some(path) = &args.labels {
        // The user's input is never written to, whatever it is called.
        if export::file::is_input(path, &args.files) || inside_an_input_folder(path, &args.files) {
            return Err(format!(
                "--labels {}: that is an input (or in an input folder); labels are never \
                 written into one",
                path.display()
            ));
        }
        path.clone()
    } else {
        if reads_stdin(args) {
            return Err("standard input cannot be found again to bring them back".into());
        }
        let identity = journal::identity(&args.files, revue::read::SAMPLE.as_bytes())
            .ok_or("standard input cannot be found again to bring them back")?;
        journal::default_path(&identity).ok_or("no $XDG_DATA_HOME or $HOME to keep them in")?
    };
    let mut journal = Journal::new(path);
    let (entries, warnings) = journal.read_compacted()?;
    Ok((journal, entries, warnings))
}

/// Makes a terminating signal during `--output` remove the temporary file being written
/// before it ends revue as it would have (its default action).
fn remove_temporaries_on_signals() {
    use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
    else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            file::remove_temporaries();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

/// Runs the app on what has loaded, the rest arriving as it does.
fn run_app(
    args: &Args,
    loading: Loading,
    query: revue::query::Query,
    config: &revue::config::Config,
) -> ExitCode {
    let Loading {
        document,
        warnings,
        collector,
        events,
        follow,
    } = loading;
    let follow = follow.unwrap_or_default();
    let printed_failures = collector.failures.len();
    let mut app = App::new(document, query, warnings)
        .with_labels(config.labels())
        .with_loading(collector)
        .with_following(Arc::clone(&follow))
        .with_inputs(args.files.clone())
        .with_histogram(config.histogram.unwrap_or(true))
        .with_wrap_width(config.wrap_width)
        .with_spoilers_revealed(config.spoilers == revue::config::Spoilers::Revealed)
        .with_journal(open_journal(args));
    let color = match args.color {
        Some(choice) => choice.decided(),
        None => config.color.flatten(),
    };
    let theme = Theme::for_choice(color).with_colours(&config.theme);
    // `R`, or a followed file truncated or replaced: every input read again.
    let reload = || {
        let inputs = Input::from_args(&args.files);
        if inputs.contains(&Input::Stdin) {
            return Err("standard input cannot be read again".to_string());
        }
        let names = inputs.iter().map(ToString::to_string).collect();
        let events = collect::spawn(
            inputs,
            args.input_format,
            args.load_options(),
            args.size_limit(),
            Some(Arc::clone(&follow)),
        );
        Ok((Collector::new(names), events))
    };
    match tui::run(&mut app, theme, Some(events), Some(&reload)) {
        // Started before anything loaded, and nothing did: the errors the app showed in
        // passing are said where they last.
        Ok(0) if app.document().reviews.is_empty() && app.progress().is_none() => {
            // Those met before the app started are on stderr already.
            for failed in app.failures().iter().skip(printed_failures) {
                stderr::error(format_args!(
                    "{}: {}",
                    failed.document, failed.warning.message
                ));
            }
            ExitCode::from(1)
        }
        Ok(code) => {
            // Said where it lasts: the app's own message went with its screen.
            if app.unkept_notes() {
                stderr::warning(
                    "the marks and labels made were not kept (standard input has no journal): \
                     export the reviews (e) to keep them",
                );
            }
            ExitCode::from(code)
        }
        Err(err) => {
            stderr::error(format_args!("terminal: {err}"));
            ExitCode::from(1)
        }
    }
}

/// What `--explain` prints: for each input that loaded, how it was read and what came of it.
fn explain(collector: &Collector, warnings: &[DocumentWarning]) -> String {
    let mut out = String::new();
    for (i, (name, explained)) in collector.explained.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let document = collector.names().iter().position(|n| n == name);
        let reviews = document
            .and_then(|at| collector.reviews.get(at))
            .copied()
            .unwrap_or(0);
        let warned = warnings.iter().filter(|w| w.document == *name).count();
        // What is said of an archive or a folder as a whole: its notes, and its own
        // warnings where it has some; its reviews are its members'.
        // A file of a folder: how it was read; its reviews are the folder's.
        if document.is_none() && !explained.format.is_empty() {
            let _ = write!(out, "{name}\n{explained}");
            continue;
        }
        if explained.format.is_empty() {
            let _ = write!(out, "{name}\n{explained}");
            if reviews > 0 {
                let _ = writeln!(out, "reviews:  {reviews}");
            }
            if warned > 0 {
                let _ = writeln!(out, "warnings: {warned}");
            }
            continue;
        }
        let _ = write!(
            out,
            "{name}\n{explained}reviews:  {reviews}\nwarnings: {warned}\n"
        );
    }
    out
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
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut first = lines.next().unwrap_or("bad usage").to_string();
    // "the following required arguments were not provided:" names them on the next lines.
    if first.ends_with(':') {
        let named: Vec<&str> = lines.take_while(|l| !l.starts_with("Usage:")).collect();
        first = format!("{first} {}", named.join(", "));
    }
    let first = first.strip_prefix("error: ").unwrap_or(&first);
    // A value not among the ones an option takes: say which it takes.
    let valid: Vec<String> = match err.get(clap::error::ContextKind::ValidValue) {
        Some(clap::error::ContextValue::Strings(values)) => values.clone(),
        _ => Vec::new(),
    };
    if valid.is_empty() {
        stderr::error(format_args!("{first} (see revue --help)"));
    } else {
        stderr::error(format_args!(
            "{first}; it takes {} (see revue --help)",
            valid.join(", ")
        ));
    }
    ExitCode::from(2)
}

/// Documents loaded so far, and the rest of the load still under way.
struct Loading {
    document: Document,
    warnings: Vec<DocumentWarning>,
    collector: Collector,
    events: Receiver<LoadEvent>,
    /// Following the files as they grow, in the app (shared with the loading thread).
    follow: Option<Arc<AtomicBool>>,
}

/// Starts loading every input in the background and waits until the app has something to
/// show (`first_reviews`: the first reviews) or until everything is loaded. Failures and
/// warnings met meanwhile are printed on stderr, before any screen is drawn. `None` when
/// nothing loaded.
fn start_loading(args: &Args, first_reviews: bool) -> Option<Loading> {
    let inputs = Input::from_args(&args.files);
    let names = inputs.iter().map(ToString::to_string).collect();
    // The app can follow the files (`F`), from the start with --follow.
    let follow = first_reviews.then(|| Arc::new(AtomicBool::new(args.follow)));
    let events = collect::spawn(
        inputs,
        args.input_format,
        args.load_options(),
        args.size_limit(),
        follow.clone(),
    );
    let mut collector = Collector::new(names);
    let mut document = Document::default();
    let mut warnings: Vec<DocumentWarning> = Vec::new();
    // The app shows itself after a moment even when nothing has loaded yet (a slow pipe), with
    // the progress and keys working; a bad file fails well within it, with no screen drawn.
    let deadline = std::time::Instant::now() + STARTUP_WAIT;
    loop {
        let event = if first_reviews {
            match events.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
            {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match events.recv() {
                Ok(event) => event,
                Err(_) => break,
            }
        };
        let change = collector.apply(&mut document, &mut warnings, event);
        match change {
            Change::Failed(message) => stderr::error(message),
            Change::Finished => break,
            Change::Reviews if first_reviews && !document.reviews.is_empty() => break,
            Change::Reviews | Change::Nothing | Change::Restart(_) => {}
        }
    }
    // Printed once loading is done (or the app is about to start), so that ten thousand
    // copies of one warning print as one line.
    for w in collect::summarize(&warnings) {
        match w.warning.line {
            Some(line) => {
                stderr::warning(format_args!("{}:{line}: {}", w.document, w.warning.message));
            }
            None => stderr::warning(format_args!("{}: {}", w.document, w.warning.message)),
        }
    }
    let started = first_reviews && !collector.progress.finished;
    (!document.reviews.is_empty() || started).then_some(Loading {
        document,
        warnings,
        collector,
        events,
        follow,
    })
}
