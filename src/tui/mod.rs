//! The terminal front end: app loop, events and keymap, theme, screens and widgets.
//! The only module that draws or talks to the terminal.
//!
//! `App` holds all state and is driven headless by tests; `run` puts it in a real terminal:
//! raw mode and the alternate screen on the way in (`ratatui::try_init`, which also installs a
//! panic hook that restores the terminal), and a restore on every way out, errors included.

pub mod app;
pub mod event;
pub mod help;
pub mod keymap;
pub mod screens;
pub mod theme;
pub mod widgets;

use std::io;
use std::time::Duration;

pub use app::{App, ContentIndex, Env, Start};
use event::Input;

/// How long to wait for a key before looking at the clock (a learning card coming due).
const TICK: Duration = Duration::from_secs(1);

/// Runs the app in the terminal until it quits. The terminal is restored however this ends.
pub fn run(app: &mut App) -> io::Result<()> {
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(err) => {
            // Raw mode may be on even though the alternate screen failed.
            ratatui::restore();
            return Err(err);
        }
    };
    let result = run_loop(&mut terminal, app);
    ratatui::restore();
    result
}

fn run_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> io::Result<()> {
    event::start()?;
    let mut dirty = true;
    // The size the last frame was drawn at.
    let mut size = terminal.size()?;
    while !app.should_quit() {
        if dirty {
            size = terminal.draw(|frame| app.draw(frame))?.area.as_size();
        }
        dirty = match event::next(TICK)? {
            Input::Key(key) => {
                panic_if_asked(key);
                app.press(key);
                true
            }
            // `draw` notices the new size, clears and redraws everything.
            Input::Resize => true,
            // A size change whose signal went astray is caught here, within a tick.
            Input::Tick => app.tick() || terminal.size()? != size,
        };
    }
    Ok(())
}

/// Test builds only: with `DECKHAND_TEST_PANIC` set, the key `P` panics inside the loop, so the
/// pseudo-terminal tests can check that a panic leaves the terminal usable.
#[cfg(debug_assertions)]
fn panic_if_asked(key: keymap::Key) {
    if key == keymap::Key::Char('P') && std::env::var_os("DECKHAND_TEST_PANIC").is_some() {
        panic!("panic injected by DECKHAND_TEST_PANIC");
    }
}

#[cfg(not(debug_assertions))]
fn panic_if_asked(_key: keymap::Key) {}

#[cfg(test)]
mod tests;
