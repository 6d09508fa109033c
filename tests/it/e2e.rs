//! End-to-end: the real binary in a pseudo-terminal, driven by keystrokes and signals, its
//! screen read back through a terminal emulator (vt100), the way a person sees it, and the
//! terminal's own settings (termios) checked after it exits.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::termios::LocalFlags;
use nix::unistd::Pid;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long to wait for something to appear. Generous: this is a deadline for a hang, not
/// a speed check.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running revue in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, to look for sequences the screen no longer shows.
    output: Arc<Mutex<Vec<u8>>>,
    master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts revue with `args` in a `cols`×`rows` terminal.
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Self {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
        cmd.args(args);
        Self::spawn_command(cmd, cols, rows)
    }

    /// Starts any command in a `cols`×`rows` terminal, in the crate's folder unless it names
    /// its own.
    pub fn spawn_command(mut cmd: CommandBuilder, cols: u16, rows: u16) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        if cmd.get_cwd().is_none() {
            cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        }
        if cmd.get_env("TERM").is_none() {
            cmd.env("TERM", "xterm-256color");
        }
        // Marks and labels made in a test never land in the user's own journals.
        if cmd.get_env("XDG_DATA_HOME").is_none() {
            cmd.env("XDG_DATA_HOME", crate::harness::test_data_home());
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn revue");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let output = Arc::new(Mutex::new(Vec::new()));
        let feed = Arc::clone(&parser);
        let log = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().expect("parser lock").process(&buf[..n]);
                log.lock().expect("log lock").extend_from_slice(&buf[..n]);
            }
        });
        Self {
            child,
            writer,
            parser,
            output,
            master: pair.master,
        }
    }

    /// Whether the program ever wrote `sequence`.
    pub fn ever_wrote(&self, sequence: &[u8]) -> bool {
        self.output
            .lock()
            .expect("log lock")
            .windows(sequence.len())
            .any(|w| w == sequence)
    }

    /// The program's process id.
    pub fn process_id(&self) -> u32 {
        self.child.process_id().expect("a running child has a pid")
    }

    /// Sends a signal to the program, as `kill` would.
    pub fn signal(&self, signal: Signal) {
        let pid = self.child.process_id().expect("a running child has a pid");
        kill(Pid::from_raw(i32::try_from(pid).expect("pid fits")), signal).expect("kill");
    }

    /// Whether the terminal's line discipline is in its normal (cooked) state: lines edited
    /// before they are sent, and typing echoed. Raw mode clears both.
    pub fn line_mode_restored(&self) -> bool {
        let termios = self.master.get_termios().expect("the pty's termios");
        termios
            .local_flags
            .contains(LocalFlags::ICANON | LocalFlags::ECHO)
    }

    /// Whether the screen is the alternate one (the app's) now.
    pub fn on_alternate_screen(&self) -> bool {
        self.parser
            .lock()
            .expect("parser lock")
            .screen()
            .alternate_screen()
    }

    /// The screen's text now.
    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    /// Waits until the screen shows `text`; panics with the screen if it never does.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("never saw {text:?}; the screen was:\n{}", self.screen());
    }

    /// Types keys (bytes as a terminal sends them).
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("type");
        self.writer.flush().expect("flush");
    }

    /// Resizes the terminal, as a user dragging the window does.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser
            .lock()
            .expect("parser lock")
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    /// Waits for the process to end and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Let the reader thread take in the last output.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("revue did not exit; the screen was:\n{}", self.screen());
    }

    /// Whether the terminal is back in its normal state: main screen, cursor shown, no mouse
    /// reporting.
    pub fn terminal_restored(&self) -> bool {
        let parser = self.parser.lock().expect("parser lock");
        let screen = parser.screen();
        !screen.alternate_screen()
            && !screen.hide_cursor()
            && screen.mouse_protocol_mode() == vt100::MouseProtocolMode::None
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a terminal has a size")
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn readme_tour_in_a_real_terminal() {
    let mut pty = Pty::spawn(&[], 120, 40);
    pty.wait_for("25 reviews");
    pty.wait_for("Nicolas Winding Refn's Pusher 1-3");
    pty.send("jjjj");
    pty.wait_for("This review contains spoilers");
    assert!(pty.screen().contains("kristianbk"));
    assert!(!pty.screen().contains("Movies that describe"));
    pty.send("x");
    pty.wait_for("Movies that describe");
    pty.send("0");
    pty.wait_for("3 of 25 reviews");
    pty.send("c");
    pty.wait_for("filters cleared");
    pty.send("H");
    pty.wait_for("23 of 25 reviews");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored(), "terminal left in app state");
}

#[test]
fn search_help_resize_and_ctrl_c() {
    let mut pty = Pty::spawn(&["tests/data/pusher-ii-reviews.txt"], 100, 30);
    pty.wait_for("25 reviews");
    pty.send("/baseball");
    pty.wait_for("2 matches");
    pty.send("\r");
    pty.wait_for("search \"baseball\"");
    pty.send("?");
    pty.wait_for("Keys (Esc or ? closes");
    pty.send("?");
    // Narrower than 100 columns: the list goes above the detail.
    pty.resize(70, 30);
    pty.wait_for("└────────────────────────────────────────────────────────────────────┘\n┌");
    pty.resize(12, 4);
    pty.wait_for("revue needs");
    pty.resize(100, 30);
    pty.wait_for("search \"baseball\"");
    pty.send("\x03"); // Ctrl-c
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

#[test]
fn a_bad_file_gets_a_plain_error_and_no_app() {
    let mut pty = Pty::spawn(&["tests/data/no-such-file.txt"], 80, 24);
    assert_eq!(pty.wait_exit(), 1);
    let screen = pty.screen();
    assert!(
        screen.contains("revue: error: tests/data/no-such-file.txt: no such file"),
        "{screen}"
    );
    assert!(pty.terminal_restored());
}

/// Each signal that ends revue puts the terminal back: main screen, cursor shown, no mouse
/// reporting, and the line discipline out of raw mode; revue exits with 128 + the signal.
#[test]
fn every_terminating_signal_restores_the_terminal() {
    for signal in [
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGINT,
        Signal::SIGQUIT,
    ] {
        let mut pty = Pty::spawn(&["tests/data/pusher-ii-reviews.txt"], 100, 30);
        pty.wait_for("25 reviews");
        // The app is really up: raw mode, alternate screen, mouse reporting on.
        assert!(!pty.line_mode_restored(), "{signal}: not in raw mode");
        assert!(!pty.terminal_restored(), "{signal}: app screen not up");
        pty.signal(signal);
        let code = pty.wait_exit();
        assert_eq!(code, 128 + signal as u32, "{signal}: exit status");
        assert!(
            pty.terminal_restored(),
            "{signal}: screen left in app state:\n{}",
            pty.screen()
        );
        assert!(pty.line_mode_restored(), "{signal}: left in raw mode");
    }
}

/// revue on the sample, started from an interactive bash (for job control: `fg`, "Stopped"),
/// its first screen up; `None` without bash.
fn revue_under_bash() -> Option<Pty> {
    if !std::path::Path::new("/bin/bash").exists() {
        return None;
    }
    let mut cmd = CommandBuilder::new("/bin/bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.env("PS1", "shell$ ");
    let mut pty = Pty::spawn_command(cmd, 100, 30);
    pty.wait_for("shell$ ");
    pty.send(&format!(
        "{} tests/data/pusher-ii-reviews.txt\r",
        env!("CARGO_BIN_EXE_revue")
    ));
    pty.wait_for("25 reviews");
    Some(pty)
}

/// Ctrl-z suspends revue with the terminal put back, the shell's `fg` resumes it, and it
/// draws its screen again. revue runs under an interactive shell for job control.
#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let Some(mut pty) = revue_under_bash() else {
        eprintln!("skipped: no /bin/bash for job control");
        return;
    };
    assert!(!pty.screen().contains("Dedicated to Hubert Selby"));
    pty.send("j");
    pty.wait_for("Dedicated to Hubert Selby");
    pty.send("\x1a"); // Ctrl-z
    pty.wait_for("Stopped");
    assert!(pty.terminal_restored(), "suspended with the app screen up");
    assert!(!pty.on_alternate_screen());
    pty.send("fg\r");
    pty.wait_for("25 reviews");
    assert!(pty.on_alternate_screen(), "fg did not bring the app back");
    // The state survived the suspension: the second review is still selected.
    pty.wait_for("Dedicated to Hubert Selby");
    pty.send("q");
    pty.wait_for("shell$ ");
    assert!(pty.terminal_restored());
    pty.send("exit\r");
    assert_eq!(pty.wait_exit(), 0);
}

/// A bad input is reported before any screen is drawn: the one error line on the plain
/// terminal, exit status 1, and no alternate screen, not even for a moment.
#[test]
fn bad_inputs_never_draw_a_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let binary = dir.path().join("image.png");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    let words = dir.path().join("words.txt");
    std::fs::write(&words, b"no reviews here\n").expect("write");
    let path = |p: &std::path::Path| p.to_str().expect("UTF-8 temp path").to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["tests/data/missing.txt".into()], "no such file"),
        (vec![path(dir.path())], "no file holds reviews"),
        (vec![path(&empty)], "the file is empty"),
        (vec![path(&binary)], "binary data"),
        (vec![path(&words)], "no reviews found"),
        (vec!["/dev/zero".into()], "binary data"),
        (
            vec![
                "tests/data/pusher-ii-reviews.txt".into(),
                "--max-size".into(),
                "1K".into(),
            ],
            "larger than the 1 KiB limit",
        ),
    ];
    for (args, cause) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut pty = Pty::spawn(&args, 100, 30);
        assert_eq!(pty.wait_exit(), 1, "{args:?}");
        let screen = pty.screen();
        assert!(
            screen.starts_with("revue: error: ") && screen.contains(cause),
            "{args:?}: {screen}"
        );
        assert_eq!(screen.trim_end().lines().count(), 1, "{args:?}: {screen}");
        assert!(
            !pty.ever_wrote(b"\x1b[?1049h"),
            "{args:?}: entered the alternate screen"
        );
        assert!(
            pty.terminal_restored() && pty.line_mode_restored(),
            "{args:?}"
        );
    }
}

/// The real binary, through crossterm, into a terminal: hostile file names and hostile
/// review text show as placeholders, and none of their sequences reaches the terminal.
#[test]
fn hostile_names_and_text_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let votes = "found this helpful. Was this review helpful? Sign in to vote.";
    let mut files = Vec::new();
    for (n, name) in [
        "ev\u{1b}]0;pwned\u{7}il\u{202e}.txt",
        "cl\u{1b}]52;c;aGk=\u{7}ip\u{9b}.txt",
    ]
    .iter()
    .enumerate()
    {
        let page = format!(
            "8/10\nTitle {n} \u{1b}]0;pwned title\u{7} \u{202e}desrever\nuser{n}\u{1b}[2J11 March 2006\n\
             Body \u{1b}]52;c;cm0gLXJm\u{7} \u{9b}31m \u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\\n\
             3 out of 4 {votes}\nPermalink\n"
        );
        let path = dir.path().join(name);
        std::fs::write(&path, page).expect("write");
        files.push(path.to_str().expect("UTF-8 temp path").to_string());
    }
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let mut pty = Pty::spawn(&args, 160, 30);
    pty.wait_for("2 films");
    pty.wait_for("\u{241b}]0;pwned");
    pty.wait_for("\u{241b}]52;c;cm0gLXJm\u{2407}");
    let screen = pty.screen();
    assert!(
        screen.contains("<U+202E>") && screen.contains("›"),
        "{screen}"
    );
    for sequence in [
        &b"\x1b]0;pwned"[..],
        b"\x1b]52",
        b"\x1b]8;;https://evil",
        b"\x1b[2J11",
        "\u{202e}".as_bytes(),
        "\u{9b}".as_bytes(),
    ] {
        assert!(
            !pty.ever_wrote(sequence),
            "{:?} reached the terminal",
            String::from_utf8_lossy(sequence)
        );
    }
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

/// A burst of input (a held key, a paste) is read to its end: the `q` after 3,000 keys quits
/// without another key to wake the reader.
#[test]
fn a_burst_of_keys_is_read_to_its_end() {
    let mut pty = Pty::spawn(&["tests/data/pusher-ii-reviews.txt"], 100, 30);
    pty.wait_for("25 reviews");
    let mut burst = "jk".repeat(1500);
    burst.push('q');
    pty.send(&burst);
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

/// A long paste into the search prompt arrives as one bracketed paste and is taken whole,
/// without freezing the app (each key used to compile every word again).
#[test]
fn a_long_paste_into_the_search_is_taken_whole() {
    let mut pty = Pty::spawn(&["tests/data/pusher-ii-reviews.txt"], 100, 30);
    pty.wait_for("25 reviews");
    pty.send("/");
    pty.wait_for("25 matches");
    let words = (0..600).fold(String::new(), |mut text, i| {
        let _ = write!(text, "zq{i} ");
        text
    });
    pty.send(&format!("\x1b[200~{words}\x1b[201~"));
    pty.wait_for("0 matches");
    pty.send("\r");
    pty.wait_for("search \"zq0 zq1");
    pty.send("c");
    pty.wait_for("25 reviews");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

/// The pid of a child process of `parent` (revue, started by the shell in the pty).
fn child_of(parent: u32) -> Option<i32> {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Ok(line) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...: the name may hold spaces, so read after the ')'.
            let Some(rest) = line.rsplit_once(')').map(|(_, rest)| rest) else {
                continue;
            };
            let ppid = rest
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(parent) {
                return entry.file_name().to_str()?.parse().ok();
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// A SIGTSTP from outside (`kill -TSTP`) is handled like Ctrl-z: the terminal is put back
/// before the process stops, and `fg` brings the app back in raw mode, redrawn.
#[test]
fn an_outside_sigtstp_suspends_like_ctrl_z() {
    let Some(mut pty) = revue_under_bash() else {
        eprintln!("skipped: no /bin/bash for job control");
        return;
    };
    let shell = pty.child.process_id().expect("the shell's pid");
    let revue = child_of(shell).expect("revue's pid");
    kill(Pid::from_raw(revue), Signal::SIGTSTP).expect("kill -TSTP");
    pty.wait_for("Stopped");
    // (Not the line mode: bash's line editor takes the terminal in its own raw mode.)
    assert!(pty.terminal_restored(), "stopped with the app screen up");
    pty.send("fg\r");
    pty.wait_for("25 reviews");
    assert!(pty.on_alternate_screen(), "fg did not bring the app back");
    assert!(!pty.line_mode_restored(), "keys would echo after fg");
    // Keys work again, and are not echoed.
    pty.send("j");
    pty.wait_for("Dedicated to Hubert Selby");
    pty.send("q");
    pty.wait_for("shell$ ");
    assert!(pty.terminal_restored());
    pty.send("exit\r");
    assert_eq!(pty.wait_exit(), 0);
}

/// A SIGTERM at any moment of the start, even the first milliseconds, leaves the terminal
/// as it was.
#[test]
fn a_signal_during_startup_leaves_the_terminal_clean() {
    for delay in 0..40u64 {
        let mut pty = Pty::spawn(&["tests/data/pusher-ii-reviews.txt"], 100, 30);
        std::thread::sleep(Duration::from_micros(delay * 500));
        pty.signal(Signal::SIGTERM);
        pty.wait_exit();
        assert!(
            pty.terminal_restored(),
            "{delay}: screen left in app state:\n{}",
            pty.screen()
        );
        assert!(pty.line_mode_restored(), "{delay}: left in raw mode");
    }
}

/// A pipe that stays open: the app shows at once, says it waits, and `q` quits while the
/// pipe is still open (keys come from the terminal, not from the pipe).
#[test]
fn a_slow_pipe_shows_the_app_and_q_quits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let writer_path = fifo.clone();
    // Holds the pipe open, with nothing written, until the test ends.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let pipe = std::fs::OpenOptions::new()
            .write(true)
            .open(&writer_path)
            .expect("open the fifo");
        let _ = done_rx.recv_timeout(PATIENCE);
        drop(pipe);
    });
    let mut cmd = CommandBuilder::new("/bin/sh");
    cmd.args([
        "-c",
        &format!(
            "exec {} < {}",
            env!("CARGO_BIN_EXE_revue"),
            fifo.to_str().expect("utf-8 path")
        ),
    ]);
    let mut pty = Pty::spawn_command(cmd, 100, 30);
    pty.wait_for("Waiting for the first reviews");
    assert!(pty.on_alternate_screen());
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
    assert!(pty.line_mode_restored());
    let _ = done_tx.send(());
    holder.join().expect("holder");
}

/// A terminal that cannot move the cursor gets a plain refusal, not a screen of codes.
#[test]
fn term_dumb_is_refused_plainly() {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
    cmd.arg("tests/data/pusher-ii-reviews.txt");
    cmd.env("TERM", "dumb");
    let mut pty = Pty::spawn_command(cmd, 100, 30);
    assert_eq!(pty.wait_exit(), 2);
    assert!(pty.screen().contains("TERM=dumb"), "{}", pty.screen());
    assert!(
        !pty.ever_wrote(b"\x1b[?1049h"),
        "entered the alternate screen"
    );
    assert!(!pty.ever_wrote(b"\x1b[?1000h"), "turned mouse reporting on");
}

/// `revue -` typed at a terminal is an error, not a wait on the keyboard for a document.
#[test]
fn dash_on_a_terminal_is_an_error() {
    let mut pty = Pty::spawn(&["-", "--stats"], 100, 30);
    assert_eq!(pty.wait_exit(), 1);
    assert!(pty.screen().contains("is a terminal"), "{}", pty.screen());
}

/// `o` opens the selected review's link the way xdg-utils reads `$BROWSER`: commands
/// separated by `:` tried in turn, arguments kept, `%s` for the link; a link in capitals or
/// with a space is opened (the space encoded); when nothing starts, the status bar says
/// what failed for each.
#[test]
fn o_opens_links_as_xdg_utils_reads_browser() {
    let dir = tempfile::tempdir().expect("dir");
    let doc = dir.path().join("links.jsonl");
    std::fs::write(
        &doc,
        "{\"title\":\"One\",\"body\":\"b\",\"permalink\":\"HTTPS://www.imdb.com/review/rw1/ x\"}\n",
    )
    .expect("write");
    let got = dir.path().join("got");
    let script = dir.path().join("record.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > {}\n", got.display()),
    )
    .expect("write");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
    cmd.arg(&doc);
    cmd.env(
        "BROWSER",
        format!("no-such-browser-here:{} --new-tab %s", script.display()),
    );
    let mut pty = Pty::spawn_command(cmd, 100, 30);
    pty.wait_for("1 review");
    pty.send("o");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !got.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let args = std::fs::read_to_string(&got).expect("the browser ran");
    assert_eq!(args, "--new-tab\nHTTPS://www.imdb.com/review/rw1/%20x\n");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);

    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_revue"));
    cmd.arg(&doc);
    cmd.env("BROWSER", "no-such-a:no-such-b --flag");
    let mut pty = Pty::spawn_command(cmd, 120, 30);
    pty.wait_for("1 review");
    pty.send("o");
    pty.wait_for("could not open the link (no-such-a: not found; no-such-b: not found)");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}
