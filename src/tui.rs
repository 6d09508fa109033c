//! The terminal front end: sets the terminal up, runs the event loop, and puts the terminal
//! back as it was on every way out (quit, error, panic, signals, suspend).

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, MouseButton, MouseEventKind,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};

use crate::app::{App, Outgoing};
use crate::collect::{Collector, LoadEvent};
use crate::export::clipboard;
use crate::keymap::{self, Action};
use crate::ui::{self, Theme};

/// The terminal, written through a buffer that ratatui flushes once per frame: one write
/// per frame instead of one per kilobyte (standard output's own buffer), which the terminal
/// would otherwise take in and draw in parts.
type Screen = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Something the event loop reacts to.
enum Input {
    Terminal(Event),
    Signal(i32),
    /// An event of the load numbered so (see [`Loads`]); boxed, as most inputs are keys.
    Load(u64, Box<LoadEvent>),
}

/// Starts reading every input again, from the start: the collector and events of the new
/// load, or why it cannot be done (standard input is not read twice).
pub type Reload<'a> = &'a dyn Fn() -> Result<(Collector, Receiver<LoadEvent>), String>;

/// The loads the event loop has started, numbered: events of a load that was replaced by a
/// reload are dropped, however many are still queued.
struct Loads<'a> {
    current: Arc<AtomicU64>,
    tx: mpsc::Sender<Input>,
    reload: Option<Reload<'a>>,
}

impl Loads<'_> {
    /// Hands the events of `events` to the loop as those of the current load.
    fn forward(&self, events: Receiver<LoadEvent>) {
        let number = self.current.load(Ordering::SeqCst);
        let (tx, current) = (self.tx.clone(), Arc::clone(&self.current));
        thread::spawn(move || {
            for event in events {
                // Dropping the receiver stops the replaced load at its next piece.
                if current.load(Ordering::SeqCst) != number
                    || tx.send(Input::Load(number, Box::new(event))).is_err()
                {
                    return;
                }
            }
        });
    }

    /// Whether an event of load `number` is still wanted.
    fn wanted(&self, number: u64) -> bool {
        self.current.load(Ordering::SeqCst) == number
    }

    /// Starts the load again, when the app asks, keeping its view of it.
    fn restart_if_asked(&self, app: &mut App) {
        let Some(reason) = app.take_reload_request() else {
            return;
        };
        match self.reload.map(|reload| reload()) {
            Some(Ok((collector, events))) => {
                self.current.fetch_add(1, Ordering::SeqCst);
                self.forward(events);
                app.restart(collector, reason);
            }
            Some(Err(why)) => app.say(why),
            None => app.say("nothing to read again".into()),
        }
    }
}

/// Whether the event loop has put the terminal back for good.
static LEFT: AtomicBool = AtomicBool::new(false);

/// The signal sent to the event loop that neither it nor the signal's thread has acted on
/// yet (0: none). Whichever takes it first acts; the other leaves it.
static PENDING: AtomicI32 = AtomicI32::new(0);

/// Set when the signal's thread suspended and resumed the process while the event loop was
/// busy: the next frame is drawn whole, on a cleared screen.
static REPAINT: AtomicBool = AtomicBool::new(false);

/// How long the event loop has to act on a terminating signal before the signal's own
/// thread puts the terminal back and ends the process.
const SIGNAL_GRACE: Duration = Duration::from_millis(50);

/// The longest text copied through OSC 52 (before base64).
const MAX_CLIPBOARD: usize = 100 * 1024;

/// How often at most a view with a sort or filter is recomputed while reviews pour in.
const REFRESH_WHILE_LOADING: Duration = Duration::from_millis(250);

/// How often background work is looked in on (and its progress drawn) while it runs.
const JOB_POLL: Duration = Duration::from_millis(100);

/// How often at most the view is redone for reviews a followed file brought.
const REFRESH_WHILE_FOLLOWING: Duration = Duration::from_millis(80);

/// How often at most new reviews alone (no key, no end of loading) are drawn.
const DRAW_WHILE_LOADING: Duration = Duration::from_millis(50);

/// Runs the app until the user quits or a signal ends it. Returns the exit status: 0, or
/// 128 + the signal's number.
///
/// # Errors
/// When the terminal cannot be set up or drawn to.
pub fn run(
    app: &mut App,
    theme: Theme,
    loading: Option<Receiver<LoadEvent>>,
    reload: Option<Reload<'_>>,
) -> io::Result<u8> {
    install_panic_hook();
    // crossterm leaves colours out under NO_COLOR on its own; `--color always` overrides it.
    ratatui::crossterm::style::force_color_output(theme.is_colored());
    // The handlers come first: a signal in the first milliseconds must not find the terminal
    // in raw mode and the alternate screen with nothing to put it back.
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP])?;
    let signal_handle = signals.handle();
    let (tx, rx) = mpsc::channel::<Input>();
    let signal_tx = tx.clone();
    thread::spawn(move || {
        for signal in signals.forever() {
            PENDING.store(signal, Ordering::SeqCst);
            if signal_tx.send(Input::Signal(signal)).is_err() {
                return;
            }
            // The event loop answers between two inputs. If it is in the middle of long
            // work (a search, laying out a huge review), the signal is acted on from here,
            // so that it never waits on the work.
            thread::sleep(SIGNAL_GRACE);
            if PENDING
                .compare_exchange(signal, 0, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                continue;
            }
            // Holding standard output keeps the event loop from writing more of a frame
            // around the sequences that put the terminal back (or, while suspended, from
            // drawing at all); and if the loop has put it back itself meanwhile, it is not
            // done twice.
            let _stdout = io::stdout().lock();
            if signal == SIGTSTP {
                if LEFT.load(Ordering::SeqCst) {
                    continue;
                }
                leave();
                let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
                if take_terminal().is_ok() {
                    REPAINT.store(true, Ordering::SeqCst);
                }
                continue;
            }
            if !LEFT.load(Ordering::SeqCst) {
                leave();
            }
            // An export being written when the signal came leaves no temporary file.
            crate::export::file::remove_temporaries();
            std::process::exit(128 + signal);
        }
    });
    let mut terminal = enter()?;

    let keys = tx.clone();
    thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if keys.send(Input::Terminal(ev)).is_err() {
                break;
            }
        }
    });
    let loads = Loads {
        current: Arc::new(AtomicU64::new(0)),
        tx,
        reload,
    };
    if let Some(events) = loading {
        loads.forward(events);
    }

    let result = event_loop(app, theme, &mut terminal, &rx, &loads);
    signal_handle.close();
    leave();
    LEFT.store(true, Ordering::SeqCst);
    result
}

fn event_loop(
    app: &mut App,
    theme: Theme,
    terminal: &mut Screen,
    rx: &mpsc::Receiver<Input>,
    loads: &Loads<'_>,
) -> io::Result<u8> {
    app.defer_searches();
    draw(app, theme, terminal)?;
    let mut last_refresh = Instant::now();
    // How long redoing the view took last time: it is redone at most a fifth of the time,
    // so that re-sorting ten million reviews (a second) while they load does not take the
    // core the load needs.
    let mut refresh_took = Duration::ZERO;
    let mut last_draw = Instant::now();
    // Reviews arrived that are not drawn yet (see DRAW_WHILE_LOADING).
    let mut undrawn = false;
    // Inputs that arrived while a search ran, to handle first.
    let mut waiting: Vec<Input> = Vec::new();
    loop {
        if waiting.is_empty() {
            let wait = next_wait(app, undrawn, last_draw, last_refresh, refresh_took);
            let first = if let Some(wait) = wait {
                match rx.recv_timeout(wait) {
                    Ok(first) => Some(first),
                    Err(mpsc::RecvTimeoutError::Timeout) => None,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(0),
                }
            } else {
                let Ok(first) = rx.recv() else { return Ok(0) };
                Some(first)
            };
            waiting.extend(first);
        }
        // Handle everything already waiting before drawing, so held-down keys never queue
        // up frames.
        waiting.extend(rx.try_iter());
        // Only more reviews arrived: the screen shows them at a steady pace, not once per
        // piece, which would spend on drawing the time the load needs.
        // Woken only to look in on background work: drawn only if that work changed.
        let nothing_came = waiting.is_empty();
        let only_reviews = only_reviews(&waiting);
        for input in waiting.drain(..) {
            if let Some(code) = handle_input(app, terminal, loads, input)? {
                return Ok(code);
            }
        }
        let jobs_changed = app.poll_jobs();
        let mut refreshed = false;
        if app.is_stale() && last_refresh.elapsed() >= refresh_every(app, refresh_took) {
            let start = Instant::now();
            app.refresh_if_stale();
            refresh_took = start.elapsed();
            last_refresh = Instant::now();
            refreshed = true;
        }
        if nothing_came && !jobs_changed && !refreshed && !undrawn && !app.layout_pending() {
            continue;
        }
        if only_reviews
            && !jobs_changed
            && !app.layout_pending()
            && last_draw.elapsed() < DRAW_WHILE_LOADING
        {
            undrawn = true;
            continue;
        }
        // The typed key is on screen before the search it starts runs.
        draw(app, theme, terminal)?;
        last_draw = Instant::now();
        undrawn = false;
        if app.search_pending() {
            let interrupted = run_search(app, rx, &mut waiting);
            if !interrupted {
                draw(app, theme, terminal)?;
            }
        }
    }
}

/// How often at most the view is redone for reviews that arrived: while a load pours them
/// in, a few times a second; those a followed file brings come a few at a time, and are
/// shown in the sort and filters in force within a tenth of a second. Never more than a
/// fifth of the time: a view that `took` long to redo waits four times that.
fn refresh_every(app: &App, took: Duration) -> Duration {
    let every = if app.progress().is_some() {
        REFRESH_WHILE_LOADING
    } else {
        REFRESH_WHILE_FOLLOWING
    };
    every.max(took * 4)
}

/// How long the loop may wait for input before it has something to do: at once while a
/// long review is still being laid out (a slice per frame, keys handled between slices),
/// until the next paced frame while reviews arrive undrawn, until the view is due to be
/// redone, and a while at most when background work (duplicates, keywords) is to be looked
/// in on. `None`: until input comes.
fn next_wait(
    app: &App,
    undrawn: bool,
    last_draw: Instant,
    last_refresh: Instant,
    refresh_took: Duration,
) -> Option<Duration> {
    let wait = if app.layout_pending() {
        Some(Duration::ZERO)
    } else if undrawn {
        Some(DRAW_WHILE_LOADING.saturating_sub(last_draw.elapsed()))
    } else if app.is_stale() {
        // Reviews arrived that the view leaves out until it is redone.
        Some(refresh_every(app, refresh_took).saturating_sub(last_refresh.elapsed()))
    } else {
        None
    };
    if app.busy() {
        Some(wait.map_or(JOB_POLL, |w| w.min(JOB_POLL)))
    } else {
        wait
    }
}

/// Whether the inputs are only more of the load (pieces, progress): the screen shows them
/// at a steady pace, not once per piece.
fn only_reviews(waiting: &[Input]) -> bool {
    waiting.iter().all(|input| match input {
        Input::Load(_, event) => matches!(
            **event,
            LoadEvent::Piece { .. } | LoadEvent::Started { .. } | LoadEvent::Alive
        ),
        _ => false,
    })
}

/// Handles one input; `Some(code)` when revue is to end with that exit status.
fn handle_input(
    app: &mut App,
    terminal: &mut Screen,
    loads: &Loads<'_>,
    input: Input,
) -> io::Result<Option<u8>> {
    match input {
        Input::Signal(signal) => {
            // Taken already by the signal's thread, while this loop was busy.
            if PENDING
                .compare_exchange(signal, 0, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                return Ok(None);
            }
            if signal == SIGTSTP {
                suspend(terminal)?;
            } else {
                return Ok(Some(128 + u8::try_from(signal).unwrap_or(0)));
            }
        }
        Input::Terminal(ev) => handle_event(app, &ev),
        Input::Load(number, event) => {
            if loads.wanted(number) {
                app.absorb(*event);
            }
        }
    }
    if app.should_quit() {
        return Ok(Some(0));
    }
    if app.take_suspend_request() {
        suspend(terminal)?;
    }
    if let Some(outgoing) = app.take_outgoing() {
        send_out(app, terminal, outgoing)?;
    }
    loads.restart_if_asked(app);
    Ok(None)
}

/// Runs the pending search while watching for input: a key or signal cancels it (the next
/// key changes the search anyway) and is kept in `waiting`; reviews still loading are kept
/// too but let the search go on. Returns whether it was interrupted.
fn run_search(app: &mut App, rx: &mpsc::Receiver<Input>, waiting: &mut Vec<Input>) -> bool {
    let cancel = AtomicBool::new(false);
    thread::scope(|scope| {
        let worker = scope.spawn(|| app.run_pending_search(&cancel));
        while !worker.is_finished() {
            match rx.recv_timeout(Duration::from_millis(2)) {
                Ok(input) => {
                    let interrupts = !matches!(input, Input::Load(..));
                    waiting.push(input);
                    if interrupts {
                        cancel.store(true, Ordering::Relaxed);
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        !worker.join().unwrap_or(false)
    })
}

fn draw(app: &mut App, theme: Theme, terminal: &mut Screen) -> io::Result<()> {
    if REPAINT.swap(false, Ordering::SeqCst) {
        *terminal = new_screen()?;
    }
    terminal.draw(|frame| {
        app.prepare(frame.area());
        ui::draw(frame, app, theme);
    })?;
    Ok(())
}

fn handle_event(app: &mut App, ev: &Event) {
    // A paste arrives whole (bracketed paste): in the search prompt it is typed, line breaks
    // as spaces; elsewhere it is not a string of commands.
    if let Event::Paste(text) = ev {
        if matches!(
            app.context(),
            keymap::Context::Search | keymap::Context::Export
        ) {
            for c in text.chars() {
                let c = if c.is_control() { ' ' } else { c };
                app.update(Action::SearchInput(c));
            }
        }
        return;
    }
    if let Some(action) = action_for(app, ev) {
        app.update(action);
    }
}

/// The action a terminal event asks for: keys through the key table, the mouse by where it
/// is. A resize needs none: the next draw lays the screen out for the new size.
fn action_for(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(key) => keymap::action_for(app.context(), *key),
        Event::Mouse(mouse) => {
            let (column, row) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::ScrollDown => Some(Action::Scroll {
                    column,
                    row,
                    down: true,
                }),
                MouseEventKind::ScrollUp => Some(Action::Scroll {
                    column,
                    row,
                    down: false,
                }),
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Sends out what the app asked for: text to the clipboard through OSC 52, between frames,
/// or a link to the browser, started on its own with no hold on the terminal.
fn send_out(app: &mut App, terminal: &mut Screen, outgoing: Outgoing) -> io::Result<()> {
    match outgoing {
        // Terminals and tmux refuse long OSC 52 payloads without a word: better said here.
        Outgoing::Clipboard(text) if text.len() > MAX_CLIPBOARD => {
            app.say(format!(
                "too long to copy ({} KB; terminals take about {} KB)",
                text.len() / 1024,
                MAX_CLIPBOARD / 1024
            ));
            Ok(())
        }
        Outgoing::Clipboard(text) => {
            let backend = terminal.backend_mut();
            backend.write_all(clipboard::osc52(&text).as_bytes())?;
            backend.flush()
        }
        Outgoing::Export { path, format } => {
            // What is written is what the query says, not a view still being worked out.
            if app.search_pending() || app.is_stale() {
                app.refresh_view();
            }
            // The same writers as `--format`, and the same write as `--output`: whole or
            // not at all, and never over a document being read.
            let indices = app.view().to_vec();
            let written =
                crate::export::file::write_atomically(&path, app.inputs(), false, |out| {
                    crate::export::write(out, app.document(), &indices, format)
                });
            app.say(match written {
                Ok(()) => format!(
                    "wrote {} review{} to {}",
                    indices.len(),
                    if indices.len() == 1 { "" } else { "s" },
                    path.display()
                ),
                Err(err) => err.to_string(),
            });
            Ok(())
        }
        Outgoing::Open(url) => {
            let browser = std::env::var_os("BROWSER");
            let commands = clipboard::openers(browser.as_deref(), &url);
            let mut failed = Vec::new();
            for command in &commands {
                let Some((program, args)) = command.split_first() else {
                    continue;
                };
                let started = std::process::Command::new(program)
                    .args(args)
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn();
                match started {
                    // Waited for on its own thread, so that it leaves no zombie behind.
                    Ok(mut child) => {
                        thread::spawn(move || child.wait());
                        return Ok(());
                    }
                    Err(err) => failed.push(format!("{program}: {}", describe_spawn_error(&err))),
                }
            }
            app.say(if failed.is_empty() {
                "no browser to open the link with; set $BROWSER".into()
            } else {
                format!("could not open the link ({})", failed.join("; "))
            });
            Ok(())
        }
    }
}

/// Why a browser could not be started, in a user's words.
fn describe_spawn_error(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "not found".into(),
        std::io::ErrorKind::ArgumentListTooLong => "the link is too long to pass to it".into(),
        _ => err.to_string(),
    }
}

/// Puts the terminal back, stops the process until `fg`, then takes the terminal again and
/// redraws everything (the shell has drawn over the screen meanwhile).
fn suspend(terminal: &mut Screen) -> io::Result<()> {
    leave();
    // SIGTSTP has a handler (an outside `kill -TSTP` is handled like Ctrl-Z), so raising
    // it would only come back here: the process stops the way the default action would.
    signal_hook::low_level::emulate_default_handler(SIGTSTP)?;
    take_terminal()?;
    *terminal = new_screen()?;
    Ok(())
}

fn enter() -> io::Result<Screen> {
    take_terminal()?;
    new_screen()
}

/// Raw mode, the alternate screen, the mouse and bracketed paste, on a cleared screen.
fn take_terminal() -> io::Result<()> {
    enable_raw_mode()?;
    // Clearing matters after a suspend: the shell has drawn over the screen, and a new
    // `Terminal` repaints only the cells it thinks changed from blank. (Not
    // `terminal.clear()`: it asks the terminal for the cursor position, and the thread
    // blocked reading keys holds crossterm's reader, so the answer would never come.)
    if let Err(err) = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide,
        ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
    ) {
        leave();
        return Err(err);
    }
    Ok(())
}

/// A ratatui terminal that knows nothing of what is on screen, so its first frame is whole.
fn new_screen() -> io::Result<Screen> {
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        256 * 1024,
        io::stdout(),
    )))
}

/// Undoes everything [`enter`] did. Safe to call more than once and when nothing was set up.
pub fn leave() {
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// A panic puts the terminal back before the message is printed, so the message is readable
/// and the shell usable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A panic a loader catches (a corrupt Parquet file) is a load error, not an end.
        if crate::stderr::panic_is_caught() {
            return;
        }
        leave();
        previous(info);
    }));
}
