//! The real `deckhand` binary in a pseudo-terminal, its screen read back through a vt100 parser:
//! the flows a learner walks (study, undo, quit, come back), resizing, Ctrl-C, a panic, and the
//! errors that must be printed before the terminal is taken over. Every wait is bounded.

#![cfg(unix)]

use std::io::{ErrorKind, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use deckhand::store::{LOG_FILE, SNAPSHOT_FILE};
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;

const BIN: &str = env!("CARGO_BIN_EXE_deckhand");
/// The longest any single wait may take before the test fails with the screen it saw.
const WAIT: Duration = Duration::from_secs(15);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn size(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

/// A process in a pseudo-terminal and what its screen shows.
struct Term {
    session: OsSession,
    parser: vt100::Parser,
    /// Everything the process wrote, for checks on escape sequences.
    output: Vec<u8>,
}

impl Term {
    fn spawn(command: Command) -> Term {
        let session = expectrl::Session::spawn(command).expect("spawn in a pseudo-terminal");
        Term {
            session,
            parser: vt100::Parser::new(size(24), size(80), 0),
            output: Vec::new(),
        }
    }

    /// `deckhand ARGS` on `data_dir`, with the test deck (topic `pty`) loaded beside the course.
    fn deckhand(data_dir: &Path, args: &[&str]) -> Term {
        Term::spawn(deckhand_command(data_dir, args))
    }

    /// `deckhand ARGS` between two `stty -g` on the same terminal, so a test can see whether
    /// deckhand handed the terminal back as it found it (`tty=same`), and its exit code.
    fn deckhand_then_stty(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Term {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(
                "before=$(stty -g); \"$0\" \"$@\"; status=$?; after=$(stty -g); \
                 if [ \"$before\" = \"$after\" ]; then echo tty=same; else echo tty=changed; fi; \
                 echo \"exit=$status\"",
            )
            .arg(BIN)
            .arg("--content")
            .arg(fixture("pty-course"))
            .args(args)
            .env("DECKHAND_DATA_DIR", data_dir)
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        Term::spawn(command)
    }

    /// Reads whatever the process wrote so far.
    fn pump(&mut self) {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    self.parser.process(&buf[..n]);
                    self.output.extend_from_slice(&buf[..n]);
                }
                Err(err) if err.kind() == ErrorKind::WouldBlock => break,
                // EIO once the process has gone and the terminal is closed.
                Err(_) => break,
            }
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Screen rows, for checks on where things are.
    fn rows(&self) -> Vec<String> {
        let (_, cols) = self.parser.screen().size();
        self.parser.screen().rows(0, cols.get()).collect()
    }

    fn wait_until(&mut self, what: &str, done: impl Fn(&Term) -> bool) {
        let start = Instant::now();
        loop {
            self.pump();
            if done(self) {
                return;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "waited {WAIT:?} for {what}; the screen shows:\n{}",
                    self.screen()
                );
            }
            sleep(Duration::from_millis(10));
        }
    }

    fn wait_for(&mut self, text: &str) {
        self.wait_until(&format!("{text:?}"), |t| t.screen().contains(text));
    }

    fn send(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.session
            .get_process_mut()
            .set_window_size(cols, rows)
            .unwrap();
        self.parser.set_size(size(rows), size(cols));
    }

    /// Waits for the process to end and returns its exit code.
    fn wait_exit(&mut self) -> i32 {
        let start = Instant::now();
        loop {
            self.pump();
            match self.session.get_process().status() {
                Ok(WaitStatus::Exited(_, code)) => {
                    self.pump();
                    return code;
                }
                Ok(WaitStatus::StillAlive) | Ok(_) => {}
                Err(err) => panic!("cannot wait for the process: {err}"),
            }
            if start.elapsed() > WAIT {
                panic!(
                    "the process did not exit; the screen shows:\n{}",
                    self.screen()
                );
            }
            sleep(Duration::from_millis(10));
        }
    }

    /// The study screen's progress: (done, total) from " 3/8 ███░░".
    fn progress(&self) -> Option<(u32, u32)> {
        let rows = self.rows();
        let row = rows.get(1)?;
        let (done, total) = row.split_whitespace().next()?.split_once('/')?;
        Some((done.parse().ok()?, total.parse().ok()?))
    }

    /// Home's "New X of Y": (queued today, new cards in all).
    fn home_new(&self) -> Option<(u32, u32)> {
        let screen = self.screen();
        let after = screen.split("New ").nth(1)?;
        let mut words = after.split_whitespace();
        let queued = words.next()?.parse().ok()?;
        let _of = words.next()?;
        Some((queued, words.next()?.parse().ok()?))
    }

    fn output_text(&self) -> String {
        String::from_utf8_lossy(&self.output).into_owned()
    }
}

fn deckhand_command(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--content")
        .arg(fixture("pty-course"))
        .args(args)
        .env("DECKHAND_DATA_DIR", data_dir)
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("DECKHAND_TEST_PANIC");
    command
}

const ENTER_ALT: &str = "\x1b[?1049h";
const LEAVE_ALT: &str = "\x1b[?1049l";

/// The terminal was handed back: the alternate screen left after it was last entered, and the
/// terminal settings (raw mode, echo) the same after deckhand as before it.
fn assert_terminal_restored(term: &Term) {
    let output = term.output_text();
    let entered = output
        .rfind(ENTER_ALT)
        .expect("the app entered the alternate screen");
    let left = output
        .rfind(LEAVE_ALT)
        .expect("the app left the alternate screen");
    assert!(
        left > entered,
        "the alternate screen was entered again and never left"
    );
    assert!(
        output[left..].contains("tty=same"),
        "terminal settings changed: {:?}",
        &output[left..]
    );
}

/// Answers the card on screen (all test cards are basic): reveal, then grade.
fn answer(term: &mut Term, grade: char) {
    let before = term.progress().expect("progress line").0;
    term.wait_for("Space show the answer");
    term.send(" ");
    term.wait_for("1 Again");
    term.send(&grade.to_string());
    term.wait_until("the grade to be counted", |t| {
        t.progress().is_some_and(|(done, _)| done == before + 1)
    });
}

#[test]
fn study_undo_quit_and_find_the_progress_next_time() {
    let dir = tempfile::tempdir().unwrap();

    let mut home = Term::deckhand(dir.path(), &[]);
    home.wait_for("Menu");
    let (_, new_before) = home.home_new().expect("Home shows the new cards");
    home.send("q");
    assert_eq!(home.wait_exit(), 0);

    let mut study = Term::deckhand(dir.path(), &["study", "--topic", "pty"]);
    study.wait_for("Space show the answer");
    assert_eq!(study.progress(), Some((0, 8)));
    for grade in ['1', '3', '4', '2', '3'] {
        answer(&mut study, grade);
    }
    assert_eq!(study.progress().map(|p| p.0), Some(5));
    study.send("u");
    study.wait_for("Undone.");
    assert_eq!(study.progress().map(|p| p.0), Some(4));
    // Back to Home, which has already counted the four reviews.
    study.send("q");
    study.wait_for("Menu");
    assert_eq!(study.home_new().map(|n| n.1), Some(new_before - 4));
    study.send("q");
    assert_eq!(study.wait_exit(), 0);

    let mut again = Term::deckhand(dir.path(), &[]);
    again.wait_for("Menu");
    assert_eq!(again.home_new().map(|n| n.1), Some(new_before - 4));
    assert!(again.screen().contains("Streak 1 day"));
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

#[test]
fn resizing_redraws_and_too_small_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::deckhand(dir.path(), &["study", "--topic", "pty"]);
    term.wait_for("Space show the answer");

    term.resize(120, 40);
    term.wait_until("the footer on the last row of 40", |t| {
        t.rows().get(39).is_some_and(|row| row.contains("? keys"))
    });

    term.resize(60, 20);
    term.wait_for("Terminal too small: need 80x24, have 60x20");

    term.resize(80, 24);
    term.wait_until("the card again at 80x24", |t| {
        t.screen().contains("Space show the answer")
            && t.rows().get(23).is_some_and(|row| row.contains("? keys"))
    });
    answer(&mut term, '3');
    term.send("\x03");
    assert_eq!(term.wait_exit(), 0);
}

#[test]
fn ctrl_c_mid_card_saves_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::deckhand_then_stty(dir.path(), &["study", "--topic", "pty"], &[]);
    term.wait_for("Space show the answer");
    answer(&mut term, '3');
    answer(&mut term, '1');
    term.send(" ");
    term.wait_for("1 Again");
    term.send("\x03");
    term.wait_for("exit=0");
    assert_terminal_restored(&term);

    // Both reviews were saved; the revealed card was not graded.
    let log = std::fs::read_to_string(dir.path().join(LOG_FILE)).unwrap();
    assert_eq!(
        log.lines().filter(|l| l.contains("pty-")).count(),
        2,
        "{log}"
    );
    assert!(dir.path().join(SNAPSHOT_FILE).exists());
}

#[test]
fn a_panic_leaves_the_terminal_usable() {
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::deckhand_then_stty(
        dir.path(),
        &["study", "--topic", "pty"],
        &[("DECKHAND_TEST_PANIC", "1")],
    );
    term.wait_for("Space show the answer");
    term.send("P");
    term.wait_for("exit=101");
    assert!(term.output_text().contains("panic injected"));
    assert_terminal_restored(&term);
}

#[test]
fn no_color_means_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let colour_codes = |term: &Term| {
        let output = term.output_text();
        output.contains("\x1b[38;") || output.contains("\x1b[48;")
    };
    let mut coloured = Term::deckhand(dir.path(), &[]);
    coloured.wait_for("Menu");
    coloured.send("q");
    coloured.wait_exit();
    assert!(colour_codes(&coloured), "the check can see colour");

    let mut command = deckhand_command(dir.path(), &[]);
    command.env("NO_COLOR", "1");
    let mut plain = Term::spawn(command);
    plain.wait_for("Menu");
    plain.send("q");
    plain.wait_exit();
    assert!(!colour_codes(&plain));
}

#[test]
fn content_errors_are_printed_before_the_terminal_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .arg("--content")
        .arg(fixture("broken-deck"))
        .env("DECKHAND_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.ron"), "{stderr}");
    assert!(stderr.contains("no-such-topic"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains(ENTER_ALT));
}

#[test]
fn a_second_deckhand_is_refused_and_the_first_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Term::deckhand(dir.path(), &[]);
    first.wait_for("Menu");
    let second = deckhand_command(dir.path(), &[]).output().unwrap();
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("already using"), "{stderr}");
    assert!(!String::from_utf8_lossy(&second.stdout).contains(ENTER_ALT));
    first.send("q");
    assert_eq!(first.wait_exit(), 0);
}

#[test]
fn a_damaged_log_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join(LOG_FILE);
    let damaged = "not a deckhand log\nstill not one\n";
    std::fs::write(&log, damaged).unwrap();
    let output = deckhand_command(dir.path(), &[]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("reviews.log"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), damaged);
}

#[test]
fn an_unknown_topic_is_refused_with_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let output = deckhand_command(dir.path(), &["study", "--topic", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no topic \"nope\""), "{stderr}");
    assert!(stderr.contains("pty"), "{stderr}");
}

#[test]
fn key_overrides_in_config_drive_the_keys_and_the_footer() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.ron"),
        "(keys: {\"reveal\": \"r\", \"undo\": \"z\"})\n",
    )
    .unwrap();
    let mut term = Term::deckhand(dir.path(), &["study", "--topic", "pty"]);
    term.wait_for("r reveal");
    assert!(term.screen().contains("z undo"));
    term.send(" ");
    term.send("r");
    term.wait_for("1 Again");
    term.send("\x03");
    assert_eq!(term.wait_exit(), 0);

    std::fs::write(
        dir.path().join("config.ron"),
        "(keys: {\"teleport\": \"t\"})\n",
    )
    .unwrap();
    let output = deckhand_command(dir.path(), &[]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("config.ron"), "{stderr}");
    assert!(stderr.contains("unknown action \"teleport\""), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains(ENTER_ALT));
}
