//! The terminal front end: app loop, events and keymap, theme, screens and widgets.
//! The only module that draws or talks to the terminal.
