//! The terminal's side of input: the only code that calls crossterm. It turns terminal events
//! into `Input`s (key presses only, never releases or repeats; resizes; a tick when nothing came).

use std::io;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keymap::Key;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    /// The terminal changed size; the next frame is drawn at the new size.
    Resize,
    /// Nothing happened within the wait: time to look at the clock.
    Tick,
}

/// Starts listening before the first frame is drawn: crossterm installs its resize (SIGWINCH)
/// handler on the first poll, and a resize between the first frame and that poll would be lost.
pub fn start() -> io::Result<()> {
    event::poll(Duration::ZERO).map(drop)
}

/// Waits up to `timeout` for the next input that matters.
pub fn next(timeout: Duration) -> io::Result<Input> {
    if !event::poll(timeout)? {
        return Ok(Input::Tick);
    }
    Ok(match event::read()? {
        Event::Key(key) => translate(key).map_or(Input::Tick, Input::Key),
        Event::Resize(..) => Input::Resize,
        _ => Input::Tick,
    })
}

/// A key press as our `Key`, or None for releases, repeats and keys the app does not use.
fn translate(event: KeyEvent) -> Option<Key> {
    if event.kind != KeyEventKind::Press {
        return None;
    }
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    Some(match event.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventState;

    fn key(code: KeyCode, modifiers: KeyModifiers, kind: KeyEventKind) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn only_presses_count() {
        let press = key(KeyCode::Char('a'), KeyModifiers::NONE, KeyEventKind::Press);
        let release = key(
            KeyCode::Char('a'),
            KeyModifiers::NONE,
            KeyEventKind::Release,
        );
        let repeat = key(KeyCode::Char('a'), KeyModifiers::NONE, KeyEventKind::Repeat);
        assert_eq!(translate(press), Some(Key::Char('a')));
        assert_eq!(translate(release), None);
        assert_eq!(translate(repeat), None);
    }

    #[test]
    fn control_letters_become_ctrl_keys() {
        let ctrl_c = key(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
            KeyEventKind::Press,
        );
        assert_eq!(translate(ctrl_c), Some(Key::Ctrl('c')));
        let shifted = key(KeyCode::Char('G'), KeyModifiers::SHIFT, KeyEventKind::Press);
        assert_eq!(translate(shifted), Some(Key::Char('G')));
    }
}
