//! The app's state, without a terminal: the screen stack, the help overlay, the one-line message,
//! and what is injected (content, progress store, clock, keymap, theme). Tests drive it headless
//! with `press` and draw it into a `TestBackend`; the loop in `tui::run` does the same with a real
//! terminal.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::help::Help;
use super::keymap::{Action, Context, Key, Keymap};
use super::screens::Screen;
use super::screens::home::Home;
use super::screens::study::{Study, StudyOptions};
use super::theme::Theme;
use crate::clock::Clock;
use crate::content::Content;
use crate::schedule::Now;
use crate::store::Store;

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Everything a screen may read or change besides its own state.
pub struct Env {
    pub content: Content,
    pub index: ContentIndex,
    pub store: Store,
    pub clock: Box<dyn Clock>,
    pub keymap: Keymap,
    pub theme: Theme,
}

impl Env {
    pub fn now(&self) -> Now {
        self.clock.now()
    }
}

/// Lookups the screens need often, computed once at start: the cards and notes of each topic.
#[derive(Debug, Clone, Default)]
pub struct ContentIndex {
    /// Per topic (same order as `Content::topics`): indices into `Content::cards` of the cards
    /// tagged with the topic or one of its subtopics.
    pub topic_cards: Vec<Vec<usize>>,
    /// Per topic: indices into `Content::notes` of its notes (exact topic only).
    pub topic_notes: Vec<Vec<usize>>,
    /// Indices into `Content::cards` in study order: by the position of the card's first topic
    /// in the topic tree (the overview first, then Docker, then ECS and its subtopics...), and in
    /// file order within a topic. New cards are introduced in this order, so a new learner starts
    /// with the foundations instead of whichever deck sorts first by file name.
    pub study_order: Vec<usize>,
}

impl ContentIndex {
    pub fn new(content: &Content) -> ContentIndex {
        let position: HashMap<&str, usize> = content
            .topics
            .iter()
            .enumerate()
            .map(|(i, topic)| (topic.id.as_str(), i))
            .collect();
        let mut topic_cards: Vec<Vec<usize>> = vec![Vec::new(); content.topics.len()];
        for (i, card) in content.cards.iter().enumerate() {
            for topic in &card.topics {
                // The topic itself and each ancestor: `ecs/iam`, then `ecs`.
                let ancestors = std::iter::successors(Some(topic.as_str()), |t| {
                    t.rsplit_once('/').map(|(parent, _)| parent)
                });
                for id in ancestors {
                    if let Some(&t) = position.get(id)
                        && topic_cards[t].last() != Some(&i)
                    {
                        topic_cards[t].push(i);
                    }
                }
            }
        }
        let mut topic_notes: Vec<Vec<usize>> = vec![Vec::new(); content.topics.len()];
        for (i, note) in content.notes.iter().enumerate() {
            if let Some(&t) = position.get(note.topic.as_str()) {
                topic_notes[t].push(i);
            }
        }
        let mut study_order: Vec<usize> = (0..content.cards.len()).collect();
        study_order.sort_by_cached_key(|&i| {
            content.cards[i]
                .topics
                .first()
                .and_then(|id| position.get(id.as_str()).copied())
                .unwrap_or(usize::MAX)
        });
        ContentIndex {
            topic_cards,
            topic_notes,
            study_order,
        }
    }
}

/// What a screen asks the app to do after handling an action.
pub enum Outcome {
    /// Nothing beyond the screen's own change.
    Stay,
    Push(Screen),
    Pop,
    /// Save and leave the app.
    Quit,
    /// Show a one-line message until the next key.
    Message(String),
}

/// Where the app opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    Home,
    Study(StudyOptions),
}

pub struct App {
    env: Env,
    stack: Vec<Screen>,
    help: Option<Help>,
    message: Option<String>,
    quit: bool,
    /// A save that failed on the way out, for the caller to report once the terminal is restored.
    exit_error: Option<String>,
}

impl App {
    pub fn new(env: Env, start: Start) -> App {
        let home = Screen::Home(Home::new(&env));
        let mut stack = vec![home];
        if let Start::Study(options) = start {
            stack.push(Screen::Study(Box::new(Study::new(&env, options))));
        }
        // Problems the store got past on its own are shown once.
        let message = (!env.store.warnings().is_empty()).then(|| {
            env.store
                .warnings()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        });
        App {
            env,
            stack,
            help: None,
            message,
            quit: false,
            exit_error: None,
        }
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// The error of the final save, if it failed.
    pub fn exit_error(&self) -> Option<&str> {
        self.exit_error.as_deref()
    }

    pub fn screen(&self) -> &Screen {
        // The stack is never empty: popping the last screen quits instead.
        &self.stack[self.stack.len() - 1]
    }

    pub fn help_open(&self) -> bool {
        self.help.is_some()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The keymap context the next key is looked up in.
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            Context::Help
        } else {
            self.screen().context()
        }
    }

    /// Handles one key press.
    pub fn press(&mut self, key: Key) {
        self.message = None;
        let context = self.context();
        let Some(action) = self.env.keymap.action(context, key) else {
            return;
        };
        if let Some(help) = &mut self.help {
            match action {
                Action::Quit => self.save_and_quit(),
                Action::Back | Action::Help => self.help = None,
                _ => help.scroll(action),
            }
            return;
        }
        match action {
            Action::Quit => self.save_and_quit(),
            Action::Help => self.help = Some(Help::new(&self.env.keymap, context, &self.env.theme)),
            _ => {
                let outcome = {
                    let top = self.stack.len() - 1;
                    self.stack[top].handle(action, &mut self.env)
                };
                self.apply(outcome);
            }
        }
    }

    /// Lets time-driven screens look at the clock (a learning card coming due). Returns whether
    /// anything changed on screen.
    pub fn tick(&mut self) -> bool {
        let top = self.stack.len() - 1;
        self.stack[top].tick(&mut self.env)
    }

    fn apply(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Stay => {}
            Outcome::Push(screen) => self.stack.push(screen),
            Outcome::Pop => {
                if self.stack.len() == 1 {
                    self.save_and_quit();
                } else {
                    self.stack.pop();
                    let Self { stack, env, .. } = self;
                    if let Some(screen) = stack.last_mut() {
                        screen.resume(env);
                    }
                }
            }
            Outcome::Quit => self.save_and_quit(),
            Outcome::Message(text) => self.message = Some(text),
        }
    }

    /// Reviews are saved the moment they are graded; the snapshot makes the next start fast.
    fn save_and_quit(&mut self) {
        if let Err(err) = self.env.store.save_snapshot() {
            self.exit_error = Some(err.to_string());
        }
        self.quit = true;
    }

    /// Draws the whole screen: header, the top screen, the message line, the footer, and the help
    /// overlay when open. Below 80x24 only a plain message.
    pub fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(area, frame.buffer_mut());
            return;
        }
        let [header, body, message, footer] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ]));
        let context = self.context();
        let Self {
            env,
            stack,
            help,
            message: text,
            ..
        } = self;
        let theme = env.theme;
        let buf = frame.buffer_mut();
        draw_header(stack, header, buf, &theme);
        if let Some(screen) = stack.last_mut() {
            screen.draw(body, buf, env);
        }
        if let Some(text) = text {
            Line::styled(format!(" {text}"), theme.accent).render(message, buf);
        }
        draw_footer(&env.keymap, context, footer, buf, &theme);
        if let Some(help) = help {
            help.draw(body, buf, &theme);
        }
    }
}

/// The breadcrumb of the screen stack: `deckhand › Notes › Cards`.
fn draw_header(stack: &[Screen], area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut spans = vec![Span::styled(" deckhand", theme.title)];
    for screen in stack.iter().skip(1) {
        spans.push(Span::styled(" › ", theme.dim));
        spans.push(Span::raw(screen.title()));
    }
    Line::from(spans).render(area, buf);
}

/// The keys of the current context, as many as fit; "? keys" always shows.
fn draw_footer(keymap: &Keymap, context: Context, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let hints = keymap.hints(context);
    let width = usize::from(area.width);
    let help_hint = hints.iter().find(|(_, d)| *d == "keys");
    let reserved = help_hint.map_or(0, |(k, d)| k.len() + d.len() + 3);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (keys, description) in hints {
        if *description == "keys" {
            continue;
        }
        let needed = super::widgets::text::width(keys) + description.len() + 3;
        if used + needed + reserved > width {
            continue;
        }
        used += needed;
        spans.push(Span::styled(keys.clone(), theme.key));
        spans.push(Span::styled(format!(" {description}  "), theme.dim));
    }
    if let Some((keys, description)) = help_hint {
        spans.push(Span::styled(keys.clone(), theme.key));
        spans.push(Span::styled(format!(" {description}"), theme.dim));
    }
    Line::from(spans).render(area, buf);
}

fn too_small(area: Rect, buf: &mut Buffer) {
    let text = format!(
        "Terminal too small: need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
        area.width, area.height
    );
    let height = if area.width == 0 {
        0
    } else {
        (text.len() as u16).div_ceil(area.width)
    };
    let centred = area.centered_vertically(Constraint::Length(height.min(area.height)));
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .centered()
        .render(centred, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_cards_count_subtopics_once() {
        use crate::content::{Card, CardBody, Origin, Topic};
        let topic = |id: &str| Topic {
            id: id.into(),
            title: id.into(),
            description: String::new(),
        };
        let card = |topics: &[&str]| Card {
            id: topics.join("+"),
            deck: "d".into(),
            topics: topics.iter().map(|&t| t.into()).collect(),
            exams: Vec::new(),
            source: None,
            verified: None,
            extra: None,
            body: CardBody::Basic {
                front: "f".into(),
                back: "b".into(),
            },
            origin: Origin {
                path: "d.ron".into(),
                line: 1,
                column: 1,
            },
        };
        let content = Content {
            topics: vec![topic("ecs"), topic("ecs/iam"), topic("ecs-anywhere")],
            cards: vec![
                card(&["ecs-anywhere"]),
                card(&["ecs/iam", "ecs"]),
                card(&["ecs"]),
            ],
            ..Content::default()
        };
        let index = ContentIndex::new(&content);
        assert_eq!(index.topic_cards, [vec![1, 2], vec![1], vec![0]]);
        // Study order follows each card's first topic in the tree: ecs, ecs/iam, ecs-anywhere.
        assert_eq!(index.study_order, [2, 1, 0]);
    }
}
