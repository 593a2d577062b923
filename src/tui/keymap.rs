//! Keys and what they do: one table of (key, action, description) per screen context.
//!
//! The same table dispatches keys, fills the footer and the `?` overlay, so the three can never
//! disagree. Key overrides from the config are applied to the table, not to the handlers.

use std::fmt;

use thiserror::Error;

/// A key press, independent of the terminal library (the event module translates into this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
}

impl Key {
    /// Parses the spelling used in `config.ron` key overrides: `q`, `space`, `enter`, `esc`,
    /// `ctrl-c`, `up`, `pgdn`, `f`, `?`.
    pub fn parse(text: &str) -> Option<Key> {
        let lower = text.trim().to_ascii_lowercase();
        if let Some(rest) = lower
            .strip_prefix("ctrl-")
            .or_else(|| lower.strip_prefix("ctrl+"))
        {
            let mut chars = rest.chars();
            return match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphanumeric() => Some(Key::Ctrl(c)),
                _ => None,
            };
        }
        let key = match lower.as_str() {
            "space" => Key::Char(' '),
            "enter" | "return" => Key::Enter,
            "esc" | "escape" => Key::Esc,
            "tab" => Key::Tab,
            "backtab" | "shift-tab" => Key::BackTab,
            "backspace" => Key::Backspace,
            "up" => Key::Up,
            "down" => Key::Down,
            "left" => Key::Left,
            "right" => Key::Right,
            "pgup" | "pageup" => Key::PageUp,
            "pgdn" | "pagedown" => Key::PageDown,
            "home" => Key::Home,
            "end" => Key::End,
            _ => {
                // A single character keeps its case: `G` and `g` are different keys.
                let mut chars = text.trim().chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => Key::Char(c),
                    _ => return None,
                }
            }
        };
        Some(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Char(' ') => f.write_str("Space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::Ctrl(c) => write!(f, "Ctrl-{}", c.to_ascii_uppercase()),
            Key::Enter => f.write_str("Enter"),
            Key::Esc => f.write_str("Esc"),
            Key::Tab => f.write_str("Tab"),
            Key::BackTab => f.write_str("S-Tab"),
            Key::Backspace => f.write_str("Bksp"),
            Key::Up => f.write_str("↑"),
            Key::Down => f.write_str("↓"),
            Key::Left => f.write_str("←"),
            Key::Right => f.write_str("→"),
            Key::PageUp => f.write_str("PgUp"),
            Key::PageDown => f.write_str("PgDn"),
            Key::Home => f.write_str("Home"),
            Key::End => f.write_str("End"),
        }
    }
}

/// Everything a key can ask for. Screens turn these into outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Back,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    FocusNext,
    Reveal,
    Grade(u8),
    /// Accept the grade suggested by a choice answer.
    AcceptGrade,
    /// Pick option `n` (0-based) of a choice question.
    Choose(u8),
    Confirm,
    Undo,
    Bury,
    Suspend,
    Flag,
}

impl Action {
    /// The name used in `config.ron` key overrides, e.g. `keys: {"reveal": "enter"}`.
    pub fn name(self) -> String {
        match self {
            Action::Quit => "quit".into(),
            Action::Back => "back".into(),
            Action::Help => "help".into(),
            Action::Up => "up".into(),
            Action::Down => "down".into(),
            Action::PageUp => "page_up".into(),
            Action::PageDown => "page_down".into(),
            Action::Top => "top".into(),
            Action::Bottom => "bottom".into(),
            Action::Open => "open".into(),
            Action::FocusNext => "focus_next".into(),
            Action::Reveal => "reveal".into(),
            Action::Grade(n) => format!("grade_{n}"),
            Action::AcceptGrade => "accept_grade".into(),
            Action::Choose(n) => format!("choose_{}", n + 1),
            Action::Confirm => "confirm".into(),
            Action::Undo => "undo".into(),
            Action::Bury => "bury".into(),
            Action::Suspend => "suspend".into(),
            Action::Flag => "flag".into(),
        }
    }
}

/// Where the learner is; each context has its own table, and `Global` applies under all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Home,
    StudyFront,
    StudyRevealed,
    StudyChoice,
    StudyMultiChoice,
    StudyAnswered,
    StudySummary,
    Notes,
    CardList,
    Help,
}

impl Context {
    pub const ALL: [Context; 11] = [
        Context::Global,
        Context::Home,
        Context::StudyFront,
        Context::StudyRevealed,
        Context::StudyChoice,
        Context::StudyMultiChoice,
        Context::StudyAnswered,
        Context::StudySummary,
        Context::Notes,
        Context::CardList,
        Context::Help,
    ];

    /// The heading of this context's section in the `?` overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Home => "Home",
            Context::StudyFront => "Study: question",
            Context::StudyRevealed => "Study: answer shown",
            Context::StudyChoice => "Study: multiple choice",
            Context::StudyMultiChoice => "Study: multiple response",
            Context::StudyAnswered => "Study: choice answered",
            Context::StudySummary => "Study: session summary",
            Context::Notes => "Notes",
            Context::CardList => "Cards of a topic",
            Context::Help => "This list",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub key: Key,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the footer; the `?` list shows every binding.
    pub in_footer: bool,
}

const fn bind(key: Key, action: Action, description: &'static str) -> Binding {
    Binding {
        key,
        action,
        description,
        in_footer: true,
    }
}

/// A binding the footer leaves out to make room (the `?` list still has it).
const fn bind_quietly(key: Key, action: Action, description: &'static str) -> Binding {
    Binding {
        in_footer: false,
        ..bind(key, action, description)
    }
}

const STUDY_CARD_TOOLS: [Binding; 4] = [
    bind(Key::Char('u'), Action::Undo, "undo"),
    bind(Key::Char('b'), Action::Bury, "bury"),
    bind(Key::Char('s'), Action::Suspend, "suspend"),
    bind(Key::Char('f'), Action::Flag, "flag"),
];

const GRADES: [Binding; 4] = [
    bind(Key::Char('1'), Action::Grade(1), "again"),
    bind(Key::Char('2'), Action::Grade(2), "hard"),
    bind(Key::Char('3'), Action::Grade(3), "good"),
    bind(Key::Char('4'), Action::Grade(4), "easy"),
];

const LIST_MOVES: [Binding; 4] = [
    bind(Key::Up, Action::Up, "move"),
    bind(Key::Down, Action::Down, "move"),
    bind(Key::Char('k'), Action::Up, "move"),
    bind(Key::Char('j'), Action::Down, "move"),
];

/// Scrolling a card that is longer than the screen (rare, and the card says "more" when it is).
const SCROLL: [Binding; 4] = [
    bind_quietly(Key::Up, Action::Up, "scroll"),
    bind_quietly(Key::Down, Action::Down, "scroll"),
    bind_quietly(Key::Char('k'), Action::Up, "scroll"),
    bind_quietly(Key::Char('j'), Action::Down, "scroll"),
];

fn choose_bindings(count: u8) -> impl Iterator<Item = Binding> {
    const DIGITS: [char; 9] = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    (0..count).map(|n| bind(Key::Char(DIGITS[n as usize]), Action::Choose(n), "choose"))
}

/// The default table of a context, before overrides.
fn defaults(context: Context) -> Vec<Binding> {
    let mut table = Vec::new();
    match context {
        Context::Global => table.extend([
            bind(Key::Char('?'), Action::Help, "keys"),
            bind(Key::Char('q'), Action::Back, "back"),
            bind(Key::Esc, Action::Back, "back"),
            bind(Key::Ctrl('c'), Action::Quit, "save and quit"),
        ]),
        Context::Home => {
            table.extend(LIST_MOVES);
            table.push(bind(Key::Enter, Action::Open, "open"));
            table.push(bind(Key::Char('q'), Action::Back, "quit"));
            table.push(bind(Key::Esc, Action::Back, "quit"));
        }
        Context::StudyFront => {
            table.push(bind(Key::Char(' '), Action::Reveal, "reveal"));
            table.push(bind(Key::Enter, Action::Reveal, "reveal"));
            table.extend(STUDY_CARD_TOOLS);
            table.extend(SCROLL);
        }
        Context::StudyRevealed => {
            table.extend(GRADES);
            table.extend(STUDY_CARD_TOOLS);
            table.extend(SCROLL);
        }
        Context::StudyChoice => {
            table.extend(choose_bindings(9));
            table.extend(STUDY_CARD_TOOLS);
            table.extend(SCROLL);
        }
        Context::StudyMultiChoice => {
            table.extend(choose_bindings(9));
            table.push(bind(Key::Char(' '), Action::Confirm, "submit"));
            table.push(bind(Key::Enter, Action::Confirm, "submit"));
            table.extend(STUDY_CARD_TOOLS);
            table.extend(SCROLL);
        }
        Context::StudyAnswered => {
            table.push(bind(Key::Char(' '), Action::AcceptGrade, "accept grade"));
            table.push(bind(Key::Enter, Action::AcceptGrade, "accept grade"));
            table.extend(GRADES);
            table.extend(STUDY_CARD_TOOLS);
            table.extend(SCROLL);
        }
        Context::StudySummary => {
            table.push(bind(Key::Char('u'), Action::Undo, "undo"));
            table.push(bind(Key::Enter, Action::Open, "next learning card now"));
        }
        Context::Notes => {
            table.extend(LIST_MOVES);
            table.extend([
                bind(Key::Tab, Action::FocusNext, "switch pane"),
                bind(Key::Left, Action::FocusNext, "switch pane"),
                bind(Key::Right, Action::FocusNext, "switch pane"),
                bind(Key::PageUp, Action::PageUp, "page up"),
                bind(Key::PageDown, Action::PageDown, "page down"),
                bind(Key::Home, Action::Top, "top"),
                bind(Key::End, Action::Bottom, "bottom"),
                bind(Key::Enter, Action::Open, "cards of topic"),
            ]);
        }
        Context::CardList => {
            table.extend(LIST_MOVES);
            table.extend([
                bind(Key::PageUp, Action::PageUp, "page up"),
                bind(Key::PageDown, Action::PageDown, "page down"),
            ]);
        }
        Context::Help => {
            // Scrolling is what this list is for: shown in the footer here.
            table.extend(SCROLL.map(|b| Binding {
                in_footer: true,
                ..b
            }));
            table.extend([
                bind(Key::PageUp, Action::PageUp, "page up"),
                bind(Key::PageDown, Action::PageDown, "page down"),
                bind(Key::Char('?'), Action::Help, "close"),
                bind(Key::Char('q'), Action::Back, "close"),
                bind(Key::Esc, Action::Back, "close"),
            ]);
        }
    }
    table
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum KeymapError {
    #[error("keys: unknown action {0:?} (known: {1})")]
    UnknownAction(String, String),
    #[error(
        "keys: {action:?}: cannot read key {key:?} (write e.g. \"x\", \"space\", \"enter\", \"ctrl-n\", \"pgdn\")"
    )]
    BadKey { action: String, key: String },
}

/// A footer hint: the keys (`j/k`, `1-9`) and what they do.
pub type Hint = (String, &'static str);

/// The bindings of every context, with the user's overrides applied.
#[derive(Debug, Clone)]
pub struct Keymap {
    tables: Vec<Vec<Binding>>,
    /// The footer hints of every context, built once from `tables`: the footer draws every frame.
    hints: Vec<Vec<Hint>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::from_tables(Context::ALL.iter().map(|&c| defaults(c)).collect())
    }
}

impl Keymap {
    /// The defaults with overrides `(action name, key)` applied: the key replaces every default key
    /// of that action, in every context where the action is bound.
    pub fn with_overrides<'a>(
        overrides: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Keymap, KeymapError> {
        let mut tables: Vec<Vec<Binding>> = Context::ALL.iter().map(|&c| defaults(c)).collect();
        for (name, key_text) in overrides {
            let key = Key::parse(key_text).ok_or_else(|| KeymapError::BadKey {
                action: name.to_string(),
                key: key_text.to_string(),
            })?;
            let mut known = false;
            for table in &mut tables {
                let Some(first) = table.iter().position(|b| b.action.name() == name) else {
                    continue;
                };
                known = true;
                let mut binding = table[first];
                binding.key = key;
                table.retain(|b| b.action.name() != name);
                // The new key wins over whatever else it meant in this context.
                table.retain(|b| b.key != key);
                table.insert(first.min(table.len()), binding);
            }
            if !known {
                return Err(KeymapError::UnknownAction(
                    name.to_string(),
                    action_names(&tables),
                ));
            }
        }
        Ok(Keymap::from_tables(tables))
    }

    fn from_tables(tables: Vec<Vec<Binding>>) -> Keymap {
        let hints = Context::ALL
            .iter()
            .map(|&context| footer_hints(&tables, context))
            .collect();
        Keymap { tables, hints }
    }

    pub fn bindings(&self, context: Context) -> &[Binding] {
        &self.tables[context.index()]
    }

    /// The action of `key` in `context`, then in `Global`.
    pub fn action(&self, context: Context, key: Key) -> Option<Action> {
        self.lookup(context, key)
            .or_else(|| self.lookup(Context::Global, key))
    }

    fn lookup(&self, context: Context, key: Key) -> Option<Action> {
        self.bindings(context)
            .iter()
            .find(|b| b.key == key)
            .map(|b| b.action)
    }

    /// The footer's hints for a context: one entry per distinct description, keys joined
    /// (`j/k`), runs of digits shortened (`1-9`). Global hints come last, without the keys the
    /// context gives another meaning; quiet bindings are left to the `?` list.
    pub fn hints(&self, context: Context) -> &[Hint] {
        &self.hints[context.index()]
    }
}

fn action_names(tables: &[Vec<Binding>]) -> String {
    let mut names: Vec<String> = tables.iter().flatten().map(|b| b.action.name()).collect();
    names.sort();
    names.dedup();
    names.join(", ")
}

fn footer_hints(tables: &[Vec<Binding>], context: Context) -> Vec<Hint> {
    let own = &tables[context.index()];
    let mut shown: Vec<Binding> = own.iter().filter(|b| b.in_footer).copied().collect();
    if context != Context::Global {
        shown.extend(
            tables[Context::Global.index()]
                .iter()
                .filter(|g| g.in_footer && !own.iter().any(|b| b.key == g.key)),
        );
    }
    group(&shown)
}

/// Groups bindings by description, keeping first-seen order.
pub fn group(bindings: &[Binding]) -> Vec<Hint> {
    let mut groups: Vec<(Vec<Key>, &'static str)> = Vec::new();
    for binding in bindings {
        match groups.iter_mut().find(|(_, d)| *d == binding.description) {
            Some((keys, _)) => keys.push(binding.key),
            None => groups.push((vec![binding.key], binding.description)),
        }
    }
    groups
        .into_iter()
        .map(|(keys, description)| (key_list(&keys), description))
        .collect()
}

fn key_list(keys: &[Key]) -> String {
    let digits: Vec<u32> = keys
        .iter()
        .filter_map(|k| match k {
            Key::Char(c) => c.to_digit(10),
            _ => None,
        })
        .collect();
    let is_run = digits.len() == keys.len()
        && digits.len() > 2
        && digits.windows(2).all(|w| w[1] == w[0] + 1);
    if is_run {
        return format!("{}-{}", digits[0], digits[digits.len() - 1]);
    }
    keys.iter()
        .map(Key::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_spellings() {
        assert_eq!(Key::parse("ctrl-c"), Some(Key::Ctrl('c')));
        assert_eq!(Key::parse("Space"), Some(Key::Char(' ')));
        assert_eq!(Key::parse("G"), Some(Key::Char('G')));
        assert_eq!(Key::parse("pgdn"), Some(Key::PageDown));
        assert_eq!(Key::parse("ctrl-"), None);
        assert_eq!(Key::parse("banana"), None);
    }

    #[test]
    fn context_table_wins_over_global() {
        let keymap = Keymap::default();
        assert_eq!(
            keymap.action(Context::StudyFront, Key::Char(' ')),
            Some(Action::Reveal)
        );
        assert_eq!(
            keymap.action(Context::StudyFront, Key::Char('q')),
            Some(Action::Back)
        );
        assert_eq!(
            keymap.action(Context::Home, Key::Ctrl('c')),
            Some(Action::Quit)
        );
        assert_eq!(keymap.action(Context::Home, Key::Char('x')), None);
    }

    #[test]
    fn override_replaces_the_key_everywhere_the_action_is_bound() {
        let keymap = Keymap::with_overrides([("undo", "z")]).unwrap();
        for context in [
            Context::StudyFront,
            Context::StudyRevealed,
            Context::StudySummary,
        ] {
            assert_eq!(keymap.action(context, Key::Char('z')), Some(Action::Undo));
            assert_eq!(keymap.action(context, Key::Char('u')), None);
        }
        assert!(
            keymap
                .hints(Context::StudyFront)
                .contains(&("z".to_string(), "undo"))
        );
    }

    #[test]
    fn override_errors_name_the_action_and_the_fix() {
        let err = Keymap::with_overrides([("teleport", "t")]).unwrap_err();
        assert!(err.to_string().contains("unknown action \"teleport\""));
        assert!(err.to_string().contains("reveal"));
        let err = Keymap::with_overrides([("reveal", "hyper-space")]).unwrap_err();
        assert!(err.to_string().contains("cannot read key \"hyper-space\""));
    }

    #[test]
    fn hints_group_keys_and_shorten_digit_runs() {
        let keymap = Keymap::default();
        let hints = keymap.hints(Context::StudyChoice);
        assert_eq!(hints[0], ("1-9".to_string(), "choose"));
        assert!(hints.contains(&("q/Esc".to_string(), "back")));
        let home = keymap.hints(Context::Home);
        assert_eq!(home[0], ("↑/↓/k/j".to_string(), "move"));
        // Home gives q/Esc its own meaning; the global "back" is not listed twice.
        assert!(home.contains(&("q/Esc".to_string(), "quit")));
        assert!(!home.iter().any(|(_, d)| *d == "back"));
    }
}
