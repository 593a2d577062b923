//! The screens of the stack. Each turns an action into an `Outcome` and draws itself into the body
//! area; caches (queues, gauges, wrapped notes) are rebuilt when something changes, not per frame.

pub mod cards;
pub mod home;
pub mod notes;
pub mod study;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::{Env, Outcome};
use super::keymap::{Action, Context};

pub enum Screen {
    Home(home::Home),
    Study(Box<study::Study>),
    Notes(notes::Notes),
    Cards(cards::CardList),
}

impl Screen {
    pub fn title(&self) -> &str {
        match self {
            Screen::Home(_) => "Home",
            Screen::Study(study) => study.title(),
            Screen::Notes(_) => "Notes",
            Screen::Cards(list) => list.title(),
        }
    }

    pub fn context(&self) -> Context {
        match self {
            Screen::Home(_) => Context::Home,
            Screen::Study(study) => study.context(),
            Screen::Notes(_) => Context::Notes,
            Screen::Cards(_) => Context::CardList,
        }
    }

    pub fn handle(&mut self, action: Action, env: &mut Env) -> Outcome {
        match self {
            Screen::Home(home) => home.handle(action, env),
            Screen::Study(study) => study.handle(action, env),
            Screen::Notes(notes) => notes.handle(action, env),
            Screen::Cards(list) => list.handle(action),
        }
    }

    /// The screen is on top again after the one above it closed: progress may have changed.
    pub fn resume(&mut self, env: &Env) {
        match self {
            Screen::Home(home) => home.refresh(env),
            // Nothing opens above a card list, so it is never resumed.
            Screen::Study(_) | Screen::Notes(_) | Screen::Cards(_) => {}
        }
    }

    /// Time passed with no key; returns whether the screen changed.
    pub fn tick(&mut self, env: &mut Env) -> bool {
        match self {
            Screen::Study(study) => study.tick(env),
            Screen::Home(_) | Screen::Notes(_) | Screen::Cards(_) => false,
        }
    }

    pub fn draw(&mut self, area: Rect, buf: &mut Buffer, env: &Env) {
        match self {
            Screen::Home(home) => home.draw(area, buf, env),
            Screen::Study(study) => study.draw(area, buf, env),
            Screen::Notes(notes) => notes.draw(area, buf, env),
            Screen::Cards(list) => list.draw(area, buf, env),
        }
    }
}
