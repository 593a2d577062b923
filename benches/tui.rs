//! Budgets of PRODUCT.md for the terminal app, on the bundled course: start to first frame under
//! 5 ms (load the course, open the progress, build Home, draw it), and a frame at 200x60 under
//! 1 ms (Home, a revealed study card, a note) once the screen's caches are warm, as they are
//! between two key presses.

use std::path::Path;

use deckhand::clock::ManualClock;
use deckhand::content::Content;
use deckhand::schedule::{Now, Timestamp};
use deckhand::store::Store;
use deckhand::tui::keymap::{Key, Keymap};
use deckhand::tui::screens::study::StudyOptions;
use deckhand::tui::theme::{Palette, Theme};
use deckhand::tui::{App, ContentIndex, Env, Start};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// 2026-11-23 10:00 UTC.
const NOW: Now = Now {
    at: Timestamp(1_795_428_000_000),
    utc_offset_secs: 0,
};

fn main() {
    divan::main();
}

fn course() -> Content {
    match deckhand::content::load_course(&[]) {
        Ok(content) => content,
        Err(errors) => panic!("bundled course: {errors}"),
    }
}

fn store(dir: &Path) -> Store {
    match Store::open(dir, NOW) {
        Ok(store) => store,
        Err(err) => panic!("store: {err}"),
    }
}

fn app(dir: &Path, start: Start) -> App {
    app_with(course(), store(dir), start)
}

fn app_with(content: Content, store: Store, start: Start) -> App {
    let index = ContentIndex::new(&content);
    let env = Env {
        content,
        index,
        store,
        clock: Box::new(ManualClock::new(NOW)),
        keymap: Keymap::default(),
        theme: Theme::new(Palette::Auto, false),
    };
    App::new(env, start)
}

#[divan::bench]
fn start_to_first_frame(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    bencher.bench_local(|| {
        let mut app = app(dir.path(), Start::Home);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| app.draw(frame)).unwrap();
        // Drop the store (and its lock) inside the measurement, as the app would on exit.
        drop(app);
    });
}

/// The parts of the start, to see where the time goes.
mod start_parts {
    use super::*;

    #[divan::bench]
    fn load_course() -> Content {
        course()
    }

    #[divan::bench]
    fn open_store(bencher: Bencher) {
        let dir = tempfile::tempdir().unwrap();
        bencher.bench_local(|| drop(store(dir.path())));
    }

    /// Reading the clock with the local offset (jiff looks up the system time zone).
    #[divan::bench]
    fn system_clock() -> Now {
        deckhand::clock::Clock::now(&deckhand::clock::SystemClock)
    }

    #[divan::bench]
    fn build_home(bencher: Bencher) {
        let dir = tempfile::tempdir().unwrap();
        bencher
            .with_inputs(|| (course(), store(dir.path())))
            .bench_local_values(|(content, store)| app_with(content, store, Start::Home));
    }
}

fn bench_frame(bencher: Bencher, start: Start, keys: &[Key]) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), start);
    for &key in keys {
        app.press(key);
    }
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    bencher.bench_local(|| {
        // A full redraw each time: clear the previous frame so the diff cannot skip the work.
        terminal.clear().unwrap();
        terminal.draw(|frame| app.draw(frame)).unwrap();
    });
}

/// The floor: what ratatui and the test backend cost for a 200x60 frame with nothing drawn.
#[divan::bench]
fn frame_200x60_empty(bencher: Bencher) {
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    bencher.bench_local(|| {
        terminal.clear().unwrap();
        terminal.draw(|_| {}).unwrap();
    });
}

#[divan::bench]
fn frame_200x60_home(bencher: Bencher) {
    bench_frame(bencher, Start::Home, &[]);
}

#[divan::bench]
fn frame_200x60_study_revealed(bencher: Bencher) {
    bench_frame(
        bencher,
        Start::Study(StudyOptions::default()),
        &[Key::Char(' ')],
    );
}

#[divan::bench]
fn frame_200x60_notes(bencher: Bencher) {
    bench_frame(
        bencher,
        Start::Home,
        &[Key::Down, Key::Down, Key::Down, Key::Enter],
    );
}
