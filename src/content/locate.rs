//! Finds where a value sits in a RON source, so problems that serde cannot see (a duplicate id,
//! an unknown topic) still point at a line and column.
//!
//! A minimal scanner of RON structure: strings with escapes, raw strings, char literals, nested
//! comments, brackets and field names. It never fails: on text it does not understand it simply
//! finds less, and callers fall back to the enclosing item. It runs only when there is something
//! to place, except [`list_item_starts`], a single streaming pass used for every item's origin.

use serde::{Deserialize, Serialize};

/// A 1-based line and column (in characters), as ron reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open(u8),
    Close(u8),
    Comma,
    Colon,
    Ident,
    Str,
    /// Numbers, punctuation and anything else the scanner has no need to understand.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// Splits a RON source into tokens, skipping whitespace and comments.
struct Tokens<'a> {
    src: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Tokens<'a> {
    fn new(src: &'a str) -> Self {
        Tokens {
            src,
            bytes: src.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.at + offset).copied()
    }

    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(b), _) if b.is_ascii_whitespace() => {
                    let rest = self.bytes.get(self.at..).unwrap_or_default();
                    self.at += rest
                        .iter()
                        .position(|b| !b.is_ascii_whitespace())
                        .unwrap_or(rest.len());
                }
                (Some(b'/'), Some(b'/')) => {
                    while self.peek(0).is_some_and(|b| b != b'\n') {
                        self.at += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    // RON block comments nest.
                    self.at += 2;
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.peek(0), self.peek(1)) {
                            (None, _) => return,
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                self.at += 2;
                            }
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                self.at += 2;
                            }
                            _ => self.at += 1,
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// Skips a quoted string or char literal whose opening quote is at `self.at`.
    fn skip_quoted(&mut self, quote: u8) {
        let mut from = self.at + 1;
        // `str::find` with one ASCII char is a memchr: much faster than stepping through escapes.
        // A quote is escaped when an odd number of backslashes comes right before it.
        while let Some(found) = self
            .src
            .get(from..)
            .and_then(|rest| rest.find(char::from(quote)))
        {
            let quote_at = from + found;
            let backslashes = self.bytes[self.at + 1..quote_at]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            if backslashes % 2 == 0 {
                self.at = quote_at + 1;
                return;
            }
            from = quote_at + 1;
        }
        self.at = self.bytes.len();
    }

    /// Skips `r#*"..."#*` if one starts at `self.at + prefix` (after `r` or `br`); true if it did.
    fn skip_raw_string(&mut self, prefix: usize) -> bool {
        let mut hashes = 0;
        while self.peek(prefix + hashes) == Some(b'#') {
            hashes += 1;
        }
        if self.peek(prefix + hashes) != Some(b'"') {
            return false;
        }
        self.at += prefix + hashes + 1;
        while let Some(b) = self.peek(0) {
            self.at += 1;
            if b == b'"' && (0..hashes).all(|i| self.peek(i) == Some(b'#')) {
                self.at += hashes;
                return true;
            }
        }
        self.at = self.bytes.len();
        true
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b"()[]{},:\"'/".contains(&b)
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        self.skip_trivia();
        let start = self.at;
        let first = self.peek(0)?;
        let kind = match first {
            b'(' | b'[' | b'{' => {
                self.at += 1;
                Kind::Open(first)
            }
            b')' | b']' | b'}' => {
                self.at += 1;
                Kind::Close(first)
            }
            b',' => {
                self.at += 1;
                Kind::Comma
            }
            b':' => {
                self.at += 1;
                Kind::Colon
            }
            b'"' | b'\'' => {
                self.skip_quoted(first);
                Kind::Str
            }
            b'r' if self.skip_raw_string(1) => Kind::Str,
            b'b' if self.peek(1) == Some(b'"') => {
                self.at += 1;
                self.skip_quoted(b'"');
                Kind::Str
            }
            b'b' if self.peek(1) == Some(b'r') && self.skip_raw_string(2) => Kind::Str,
            b if b.is_ascii_alphabetic() || b == b'_' => {
                if first == b'r' && self.peek(1) == Some(b'#') {
                    self.at += 2;
                }
                while self.peek(0).is_some_and(is_ident_byte) {
                    self.at += 1;
                }
                Kind::Ident
            }
            _ => {
                self.at += 1;
                while self.peek(0).is_some_and(|b| !is_delimiter(b)) {
                    self.at += 1;
                }
                Kind::Other
            }
        };
        Some(Token {
            kind,
            start,
            end: self.at,
        })
    }
}

/// Turns ascending byte offsets into positions in one pass over the source.
pub struct LineCounter<'a> {
    src: &'a str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(src: &'a str) -> Self {
        LineCounter {
            src,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// The position of byte `offset`; offsets must not decrease between calls (a smaller one
    /// restarts the count from the top).
    pub fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.src.len());
        if offset < self.offset {
            *self = LineCounter::new(self.src);
        }
        let skipped = &self.src.as_bytes()[self.offset..offset];
        // Counting and then finding the last newline vectorises; tracking both per byte does not.
        self.line += skipped.iter().filter(|&&b| b == b'\n').count();
        if let Some(last) = skipped.iter().rposition(|&b| b == b'\n') {
            self.line_start = self.offset + last + 1;
        }
        self.offset = offset;
        let column = 1 + self
            .src
            .get(self.line_start..offset)
            .map_or(offset - self.line_start, |s| s.chars().count());
        Position {
            line: self.line,
            column,
        }
    }
}

/// The position of byte `offset` in `src`.
pub fn position_of(src: &str, offset: usize) -> Position {
    LineCounter::new(src).position(offset)
}

/// Where the top-level value starts: a note's or scenario's origin. Reads only the first token,
/// unless the file starts with `#![enable(...)]` attributes.
pub fn root_start(src: &str) -> Position {
    match Tokens::new(src).next() {
        Some(token) if src.as_bytes()[token.start] == b'#' => Document::new(src).locate(""),
        Some(token) => position_of(src, token.start),
        None => Position::START,
    }
}

/// The byte offset of every item of the list field `field` of the top-level struct, in one
/// streaming pass: where each card of a deck starts. Empty if there is no such list.
pub fn list_item_starts(src: &str, field: &str) -> Vec<usize> {
    #[derive(PartialEq)]
    enum State {
        Seek,
        SawName,
        SawColon,
        InList { expect_item: bool },
    }
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut state = State::Seek;
    for token in Tokens::new(src) {
        state = match (state, token.kind) {
            (State::InList { .. }, Kind::Close(_)) if depth == 2 => return starts,
            (State::InList { .. }, Kind::Comma) if depth == 2 => {
                State::InList { expect_item: true }
            }
            (State::InList { expect_item: true }, _) if depth == 2 => {
                starts.push(token.start);
                State::InList { expect_item: false }
            }
            (state @ State::InList { .. }, _) => state,
            (State::Seek, Kind::Ident) if depth == 1 && &src[token.start..token.end] == field => {
                State::SawName
            }
            (State::SawName, Kind::Colon) => State::SawColon,
            (State::SawColon, Kind::Open(b'[')) => State::InList { expect_item: true },
            _ => State::Seek,
        };
        match token.kind {
            Kind::Open(_) => depth += 1,
            Kind::Close(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    starts
}

/// One step of a path like `cards[3].kind.options[2].why`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'p> {
    Field(&'p str),
    Index(usize),
}

fn parse_path(path: &str) -> Option<Vec<Segment<'_>>> {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !name.is_empty() {
            segments.push(Segment::Field(name));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner.find(']')?;
            segments.push(Segment::Index(inner[..close].parse().ok()?));
            rest = &inner[close + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(segments)
}

/// A RON source split into tokens with matching brackets, for navigating by path.
pub struct Document<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    /// For each opening token, the index of its closing token (or `tokens.len()` if unclosed).
    closes: Vec<usize>,
    /// Byte offset of the start of each line, so placing many errors stays cheap.
    line_starts: Vec<usize>,
}

impl<'a> Document<'a> {
    pub fn new(src: &'a str) -> Self {
        let tokens: Vec<Token> = Tokens::new(src).collect();
        let mut closes = vec![tokens.len(); tokens.len()];
        let mut open = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            match token.kind {
                Kind::Open(_) => open.push(i),
                Kind::Close(_) => {
                    if let Some(o) = open.pop() {
                        closes[o] = i;
                    }
                }
                _ => {}
            }
        }
        let line_starts = std::iter::once(0)
            .chain(
                src.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Document {
            src,
            tokens,
            closes,
            line_starts,
        }
    }

    /// The byte offset of a position (the end of its line, or of the source, if beyond).
    fn offset(&self, at: Position) -> usize {
        let Some(&line_start) = self.line_starts.get(at.line.saturating_sub(1)) else {
            return self.src.len();
        };
        let line = self.src.get(line_start..).unwrap_or_default();
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        line.char_indices()
            .nth(at.column.saturating_sub(1))
            .map_or(line_start + line.len(), |(i, _)| line_start + i)
    }

    /// The position of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.src.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line.saturating_sub(1)];
        let column = 1 + self
            .src
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count());
        Position {
            line: line.max(1),
            column,
        }
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    fn text(&self, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .and_then(|t| self.src.get(t.start..t.end))
            .unwrap_or("")
    }

    /// The index just past the value starting at token `i`.
    fn value_end(&self, i: usize) -> usize {
        match self.kind(i) {
            Some(Kind::Open(_)) => self.closes[i] + 1,
            Some(Kind::Ident) if matches!(self.kind(i + 1), Some(Kind::Open(_))) => {
                self.closes[i + 1] + 1
            }
            Some(_) => i + 1,
            None => i,
        }
    }

    /// The first token of the top-level value, after any `#![enable(...)]` attributes.
    fn root(&self) -> usize {
        let mut i = 0;
        loop {
            let open = match (self.text(i), self.text(i + 1)) {
                ("#!", _) => i + 1,
                ("#", "!") => i + 2,
                _ => return i,
            };
            match self.kind(open) {
                Some(Kind::Open(b'[')) => i = self.closes[open] + 1,
                _ => return i,
            }
        }
    }

    /// Steps into the parentheses or brackets of the value at `i`, through a variant name and
    /// through newtype wrappers like `Choice((...))` or `Bullets([...])`, until the contents are
    /// fields (when `want_fields`) or items. Returns the index of the opening token.
    fn enter(&self, mut i: usize, want_fields: bool) -> Option<usize> {
        loop {
            if self.kind(i) == Some(Kind::Ident) {
                i += 1;
            }
            let Some(Kind::Open(bracket)) = self.kind(i) else {
                return None;
            };
            let first = i + 1;
            let has_fields =
                self.kind(first) == Some(Kind::Ident) && self.kind(first + 1) == Some(Kind::Colon);
            if want_fields && has_fields {
                return Some(i);
            }
            if !want_fields && bracket == b'[' {
                return Some(i);
            }
            let mut after = self.value_end(first);
            if self.kind(after) == Some(Kind::Comma) {
                after += 1;
            }
            let newtype =
                bracket == b'(' && !has_fields && after == self.closes[i] && after > first;
            match (newtype, want_fields) {
                (true, _) => i = first,
                (false, true) => return None,
                (false, false) => return Some(i),
            }
        }
    }

    fn field(&self, value: usize, name: &str) -> Option<usize> {
        let open = self.enter(value, true)?;
        let close = self.closes[open];
        let mut i = open + 1;
        while i < close {
            if self.kind(i) != Some(Kind::Ident) || self.kind(i + 1) != Some(Kind::Colon) {
                return None;
            }
            let field = self.text(i);
            if field.strip_prefix("r#").unwrap_or(field) == name {
                return Some(i + 2);
            }
            i = self.value_end(i + 2);
            if self.kind(i) == Some(Kind::Comma) {
                i += 1;
            }
        }
        None
    }

    fn item(&self, value: usize, index: usize) -> Option<usize> {
        let open = self.enter(value, false)?;
        let close = self.closes[open];
        let mut i = open + 1;
        for _ in 0..index {
            i = self.value_end(i);
            if self.kind(i) != Some(Kind::Comma) {
                return None;
            }
            i += 1;
        }
        (i < close).then_some(i)
    }

    /// The token index where the value at `path` starts.
    fn find(&self, path: &str) -> Option<usize> {
        let mut at = self.root();
        for segment in parse_path(path)? {
            at = match segment {
                Segment::Field(name) => self.field(at, name)?,
                Segment::Index(index) => self.item(at, index)?,
            };
        }
        self.tokens.get(at).is_some().then_some(at)
    }

    /// Where the value at `path` (`cards[3].kind.options[2].why`) starts. If it is not there
    /// (a missing field, say), the nearest enclosing value that is; the start of the file if none.
    pub fn locate(&self, path: &str) -> Position {
        let mut path = path;
        loop {
            if let Some(i) = self.find(path) {
                return self.position(self.tokens[i].start);
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None if !path.is_empty() => path = "",
                None => return Position::START,
            }
        }
    }

    /// Like [`Document::locate`], but a field found by name is placed at its name
    /// (`retention: 0.5` at `retention`), which is where a reader looks for it.
    pub fn locate_name(&self, path: &str) -> Position {
        match self.find(path) {
            Some(i) if i >= 2 && self.kind(i - 1) == Some(Kind::Colon) => {
                self.position(self.tokens[i - 2].start)
            }
            _ => self.locate(path),
        }
    }

    /// The byte ranges of the items of the list at `path`, or None if there is no such list.
    pub fn item_spans(&self, path: &str) -> Option<Vec<(usize, usize)>> {
        let open = self.enter(self.find(path)?, false)?;
        let close = self.closes[open];
        let mut spans = Vec::new();
        let mut i = open + 1;
        while i < close {
            let end = self.value_end(i).min(close);
            if end <= i {
                return None;
            }
            spans.push((self.tokens[i].start, self.tokens[end - 1].end));
            i = end;
            match self.kind(i) {
                Some(Kind::Comma) => i += 1,
                _ if i >= close => {}
                _ => return None,
            }
        }
        Some(spans)
    }

    /// Where the innermost `(...)`, `[...]` or `Name(...)` holding `at` starts.
    pub fn enclosing_start(&self, at: Position) -> Option<Position> {
        let offset = self.offset(at);
        let mut best = None;
        for (i, token) in self.tokens.iter().enumerate() {
            if token.start >= offset {
                break;
            }
            let closes_after = self
                .tokens
                .get(self.closes[i])
                .is_none_or(|close| close.start >= offset);
            if matches!(token.kind, Kind::Open(_)) && closes_after {
                best = Some(i);
            }
        }
        let open = best?;
        let start = match open.checked_sub(1) {
            Some(name) if self.kind(name) == Some(Kind::Ident) => name,
            _ => open,
        };
        Some(self.position(self.tokens[start].start))
    }

    /// The start of the first token at or after `at` (`at` itself if there is none).
    pub fn next_token_start(&self, at: Position) -> Position {
        let offset = self.offset(at);
        let index = self.tokens.partition_point(|t| t.end <= offset);
        match self.tokens.get(index) {
            Some(token) if token.start > offset => self.position(token.start),
            _ => at,
        }
    }

    /// The text of a plain string literal at `path` (no escapes), to name an item in a message.
    pub fn plain_string(&self, path: &str) -> Option<&'a str> {
        let i = self.find(path)?;
        let text = self.text(i);
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.contains('\\')).then_some(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DECK: &str = r##"// A deck.
(
    title: "Roles /* not a comment */",
    cards: [
        (
            id: "basic-one", /* a (block) comment
               /* nested */ ] still comment */
            kind: Basic(front: "A \"quoted\" (paren", back: r#"raw "string" ]"#),
        ),
        (
            id: "choice-two",
            kind: Choice((
                stem: "Pick",
                options: [
                    (text: "a", correct: true, why: "because"),
                    (text: 'x', why: "no"),
                    (text: "é c", why: "ü"),
                ],
            )),
        ),
    ],
)
"##;

    fn at(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn finds_fields_and_items() {
        let doc = Document::new(DECK);
        assert_eq!(doc.locate("title"), at(3, 12));
        assert_eq!(doc.locate("cards"), at(4, 12));
        assert_eq!(doc.locate("cards[0]"), at(5, 9));
        assert_eq!(doc.locate("cards[0].kind"), at(8, 19));
        assert_eq!(doc.locate("cards[0].kind.back"), at(8, 61));
        assert_eq!(doc.locate("cards[1].id"), at(11, 17));
        assert_eq!(doc.locate("cards[1].kind.stem"), at(13, 23));
        assert_eq!(doc.locate("cards[1].kind.options[1]"), at(16, 21));
        assert_eq!(doc.locate("cards[1].kind.options[1].why"), at(16, 38));
        assert_eq!(doc.locate("cards[1].kind.options[2].why"), at(17, 40));
    }

    #[test]
    fn missing_values_point_at_the_enclosing_item() {
        let doc = Document::new(DECK);
        assert_eq!(doc.locate("cards[1].kind.options[1].correct"), at(16, 21));
        assert_eq!(doc.locate("cards[0].topics"), at(5, 9));
        assert_eq!(doc.locate("cards[7].id"), at(4, 12));
        assert_eq!(doc.locate("nothing"), at(2, 1));
        assert_eq!(Document::new("").locate("cards[0]"), Position::START);
    }

    #[test]
    fn lists_items_and_strings() {
        let doc = Document::new(DECK);
        let spans = doc.item_spans("cards").unwrap_or_default();
        assert_eq!(spans.len(), 2);
        assert!(DECK[spans[0].0..spans[0].1].starts_with("(\n            id: \"basic-one\""));
        assert!(DECK[spans[1].0..spans[1].1].ends_with(")),\n        )"));
        assert_eq!(doc.plain_string("cards[1].id"), Some("choice-two"));
        assert_eq!(doc.plain_string("cards[0].kind.front"), None);
        assert_eq!(
            list_item_starts(DECK, "cards"),
            vec![spans[0].0, spans[1].0]
        );
    }

    #[test]
    fn steps_through_newtype_variants() {
        let src = "(blocks: [Heading(\"h\"), Bullets([\"a\", \"b\"]), Table(header: [\"x\"], rows: [[\"1\"], [\"2\", \"3\"]])])";
        let doc = Document::new(src);
        assert_eq!(doc.locate("blocks[1][1]"), at(1, 39));
        assert_eq!(doc.locate("blocks[2].rows[1]"), at(1, 81));
        assert_eq!(doc.locate("blocks[2].rows[1][1]"), at(1, 87));
        let starts: Vec<usize> = doc
            .item_spans("blocks")
            .unwrap_or_default()
            .iter()
            .map(|s| s.0)
            .collect();
        assert_eq!(starts, [10, 24, 45]);
        assert_eq!(list_item_starts(src, "blocks"), starts);
    }

    #[test]
    fn skips_attributes_and_survives_unclosed_text() {
        let doc = Document::new("#![enable(implicit_some)]\n(id: \"x\")");
        assert_eq!(doc.locate("id"), at(2, 6));
        assert_eq!(
            root_start("#![enable(implicit_some)]\n(id: \"x\")"),
            at(2, 1)
        );
        assert_eq!(root_start("// note\n  (id: \"x\")"), at(2, 3));
        for src in [
            "(id: \"unclosed",
            "(a: /* open",
            "(a: r##\"x\"#",
            "]]))((",
            "(a: b'",
        ] {
            let doc = Document::new(src);
            let _ = doc.locate("a.b[3].c");
            assert_eq!(item_starts(&doc, "a"), list_item_starts(src, "a"), "{src}");
        }
    }

    /// The starts of the items `item_spans` finds: [`list_item_starts`] must find the same.
    fn item_starts(doc: &Document<'_>, field: &str) -> Vec<usize> {
        let spans = doc.item_spans(field).unwrap_or_default();
        spans.iter().map(|&(start, _)| start).collect()
    }

    /// One item of a list, in the forms decks use: strings with escapes and brackets inside,
    /// raw strings, nested structs and lists, variants, newtypes and comments.
    fn ron_value() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("\"a, ]\\\"b\"".to_string()),
            Just("r#\"x]\"#".to_string()),
            Just("'['".to_string()),
            Just("-1.5e3".to_string()),
            Just("None".to_string()),
            "[a-z]{1,6}",
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(", "))),
                prop::collection::vec(inner.clone(), 0..3).prop_map(|v| {
                    let fields: Vec<String> = v
                        .iter()
                        .enumerate()
                        .map(|(i, x)| format!("f{i}: {x}"))
                        .collect();
                    format!("Kind({})", fields.join(",\n /* c */ "))
                }),
                inner.prop_map(|x| format!("Some({x})")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// The streaming pass and the document agree on where every item starts.
        #[test]
        fn list_item_starts_agrees_with_item_spans(
            items in prop::collection::vec(ron_value(), 0..6),
            trailing_comma in any::<bool>(),
            before in prop::collection::vec(ron_value(), 0..2),
        ) {
            let mut list = items.join(",\n  // item\n  ");
            if trailing_comma && !items.is_empty() {
                list.push(',');
            }
            let other: Vec<String> =
                before.iter().enumerate().map(|(i, x)| format!("cards{i}: {x}")).collect();
            let src = format!("#![enable(implicit_some)]\n(\n  {}\n  cards: [{list}],\n)", other.iter().map(|o| format!("{o},")).collect::<String>());
            let doc = Document::new(&src);
            let streamed = list_item_starts(&src, "cards");
            prop_assert_eq!(streamed.len(), items.len());
            prop_assert_eq!(item_starts(&doc, "cards"), streamed);
        }
    }

    #[test]
    fn document_positions_match_the_line_counter() {
        let src = "é\nab€d\n\nx";
        let doc = Document::new(src);
        for (offset, _) in src.char_indices() {
            let at = position_of(src, offset);
            assert_eq!(doc.position(offset), at);
            assert_eq!(doc.offset(at), offset);
        }
    }

    #[test]
    fn counts_columns_in_characters() {
        let mut lines = LineCounter::new("é\nab€d");
        assert_eq!(lines.position(0), at(1, 1));
        assert_eq!(lines.position(2), at(1, 2));
        assert_eq!(lines.position(8), at(2, 4));
        assert_eq!(lines.position(3), at(2, 1));
    }
}
