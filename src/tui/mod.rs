//! The terminal front end: app loop, events and keymap, theme, screens and widgets.
//! The only module that draws or talks to the terminal.

pub mod clock;
pub mod event;
pub mod keymap;
pub mod theme;
pub mod widgets;
