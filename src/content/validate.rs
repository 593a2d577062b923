//! Turns parsed content files into the validated model, checking every rule of content/README.md
//! and collecting every problem in every file before giving up.
//!
//! Ids live in one HashMap shared by cards, notes and scenarios, so checks stay linear in the size
//! of the course. Positions for messages come from the position finder, which only runs for a
//! file that has something to report.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::path::Path;

use super::error::{ContentError, ContentErrors};
use super::load::{ParsedFile, Problem, SourceFile, in_parallel, to_errors};
use super::locate::{Document, Position};
use super::model::*;
use super::parse::{FileKind, Items};
use super::raw::*;
use crate::hash::{IdHasher, IdMap};

/// Checks and converts every file; `errors` already holds the problems found while reading.
pub(crate) fn build(
    mut files: Vec<ParsedFile>,
    errors: Vec<ContentError>,
) -> Result<Content, ContentErrors> {
    // Topics first, then cards, notes and scenarios: references resolve against a finished tree.
    files.sort_by_key(|f| f.source.kind as u8);
    let (sources, parsed): (Vec<SourceFile>, Vec<(Items, Vec<Problem>)>) = files
        .into_iter()
        .map(|f| (f.source, (f.items, f.problems)))
        .unzip();
    let mut checker = Checker {
        errors,
        ids: IdTable::default(),
        topic_index: Cow::Owned(IdMap::default()),
        topics_complete: true,
        content: Content::default(),
    };
    let mut files: Vec<(Places, Items)> = Vec::with_capacity(sources.len());
    for (source, (items, problems)) in sources.iter().zip(parsed) {
        if !problems.is_empty() && source.kind == FileKind::Topics {
            checker.topics_complete = false;
        }
        to_errors(&source.shown, problems, &mut checker.errors);
        files.push((Places::new(source), items));
    }
    let topic_lists = files
        .iter_mut()
        .filter_map(|(at, items)| match items {
            Items::Topics(topics) => Some((&*at, std::mem::take(topics))),
            _ => None,
        })
        .collect();
    checker.topics(topic_lists);
    // Sized up front: growing them card by card copied every card several times.
    let cards: usize = files
        .iter()
        .map(|(_, items)| match items {
            Items::Cards(cards) => cards.len(),
            _ => 0,
        })
        .sum();
    checker.content.cards.reserve(cards);
    checker.ids.reserve(cards + files.len());
    // Card ids in file order first, so the first use of an id is the first in the course. The
    // rest of a deck's checks only read the topic tree: decks are checked on every core.
    let mut decks = Vec::new();
    let mut single_items = Vec::new();
    for (at, items) in files {
        match items {
            Items::Cards(cards) => {
                let claimed = checker.claim_card_ids(&at, &cards);
                decks.push((at, cards, claimed));
            }
            other => single_items.push((at, other)),
        }
    }
    // Taken out so the decks, and then the checker itself, borrow it instead of copying it.
    let topic_index = std::mem::take(&mut checker.topic_index);
    let topics_complete = checker.topics_complete;
    let checked = in_parallel(
        decks,
        |(_, cards, _)| cards.len() * CARD_WEIGHT,
        |(at, cards, claimed)| {
            let mut deck_checker = Checker {
                errors: Vec::new(),
                ids: IdTable::default(),
                topic_index: Cow::Borrowed(&topic_index),
                topics_complete,
                content: Content::default(),
            };
            deck_checker.deck(&at, cards, &claimed);
            (deck_checker.content.cards, deck_checker.errors)
        },
    );
    for (cards, errors) in checked {
        checker.content.cards.extend(cards);
        checker.errors.extend(errors);
    }
    checker.topic_index = Cow::Borrowed(&topic_index);
    for (at, items) in single_items {
        match items {
            Items::Note(Some((start, note))) => checker.note(&at, start, note),
            Items::Scenario(Some((start, scenario))) => checker.scenario(&at, start, scenario),
            // Topics are checked above, all together; a note or scenario that did not parse has
            // its problems reported and nothing to check.
            Items::Topics(_) | Items::Cards(_) | Items::Note(None) | Items::Scenario(None) => {}
        }
    }
    if checker.errors.is_empty() {
        Ok(checker.content)
    } else {
        Err(ContentErrors::sorted(checker.errors))
    }
}

/// How many bytes of work one card's checks weigh, for [`in_parallel`]: the bundled course's few
/// hundred cards are checked on one core, thousands on all of them.
const CARD_WEIGHT: usize = 512;

/// A set of ids, each with what is known of its first use. The ids are copied into one buffer and
/// found by their hash: no allocation per id, where a table of Strings cost two per card (one to
/// make, one to drop).
struct IdTable<V> {
    text: String,
    /// By hash: where the id is in `text`, and its value.
    by_hash: IdMap<u64, (usize, usize, V)>,
    /// Ids whose hash an earlier, different id already has.
    collided: IdMap<String, V>,
}

impl<V> Default for IdTable<V> {
    fn default() -> Self {
        IdTable {
            text: String::new(),
            by_hash: IdMap::default(),
            collided: IdMap::default(),
        }
    }
}

impl<V: Copy> IdTable<V> {
    fn reserve(&mut self, ids: usize) {
        self.by_hash.reserve(ids);
        self.text.reserve(ids * 24);
    }

    /// Registers `id` with `value`; if it was already there, its first value instead.
    fn claim(&mut self, id: &str, value: V) -> Option<V> {
        let hash = BuildHasherDefault::<IdHasher>::default().hash_one(id);
        match self.by_hash.get(&hash) {
            Some(&(start, end, first)) if self.text.get(start..end) == Some(id) => Some(first),
            Some(_) => match self.collided.get(id) {
                Some(&first) => Some(first),
                None => {
                    self.collided.insert(id.to_string(), value);
                    None
                }
            },
            None => {
                let start = self.text.len();
                self.text.push_str(id);
                self.by_hash.insert(hash, (start, self.text.len(), value));
                None
            }
        }
    }
}

/// A file being checked, with its position finder built on first use.
struct Places<'a> {
    file: &'a SourceFile,
    doc: OnceCell<Document<'a>>,
}

impl<'a> Places<'a> {
    fn new(file: &'a SourceFile) -> Self {
        Places {
            file,
            doc: OnceCell::new(),
        }
    }

    fn path(&self) -> &'a Path {
        &self.file.shown
    }

    fn locate(&self, path: &str) -> Position {
        self.doc
            .get_or_init(|| Document::new(&self.file.text))
            .locate(path)
    }

    fn origin(&self, at: Position) -> Origin {
        Origin {
            path: self.file.shown.clone(),
            line: at.line,
            column: at.column,
        }
    }
}

struct Checker<'f> {
    errors: Vec<ContentError>,
    /// Card, note and scenario ids: one space, so progress and links never mix two items up.
    ids: IdTable<(&'f Path, Position)>,
    /// Built by the topics pass; the deck checkers, one per deck, borrow it.
    topic_index: Cow<'f, IdMap<String, usize>>,
    /// False when a topics file failed to parse: unknown-topic checks would only add noise.
    topics_complete: bool,
    content: Content,
}

/// The item a check is about: where its value lives (a path like `cards[3]`) and its id.
#[derive(Clone, Copy)]
struct Item<'s> {
    base: Base<'s>,
    id: Option<&'s str>,
}

/// The path of an item's value, formatted only when a problem is reported: a deck's cards are
/// checked by the thousand, and most have none.
#[derive(Clone, Copy)]
enum Base<'s> {
    Path(&'s str),
    /// `cards[i]`
    Card(usize),
    /// `cards[i].kind`
    CardKind(usize),
}

impl fmt::Display for Base<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base::Path(path) => f.write_str(path),
            Base::Card(index) => write!(f, "cards[{index}]"),
            Base::CardKind(index) => write!(f, "cards[{index}].kind"),
        }
    }
}

fn is_kebab_case(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
        && !bytes.windows(2).any(|pair| pair == b"--")
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// `YYYY-MM-DD`, and a real day of the calendar.
fn is_iso_date(text: &str) -> bool {
    let digits_and_dashes = text.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    // The shape check comes first: jiff also accepts other ISO 8601 forms.
    text.len() == 10 && digits_and_dashes && text.parse::<jiff::civil::Date>().is_ok()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Where `pair` (two ASCII bytes, like `{{`) first occurs in `text`: a byte search for its first
/// byte, which on a sentence is cheaper than setting up `str::find`'s substring search.
fn find_pair(text: &str, pair: [u8; 2]) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + text.get(from..)?.find(char::from(pair[0]))?;
        if text.as_bytes().get(at + 1) == Some(&pair[1]) {
            return Some(at);
        }
        from = at + 1;
    }
}

/// Splits cloze text into plain text and `{{hidden}}` / `{{answer::hint}}` spans. The error
/// says what is wrong and at which character (1-based) of the text.
pub fn parse_cloze(text: &str) -> Result<Vec<ClozeSegment>, String> {
    let mut segments = Vec::new();
    let mut rest = text;
    let char_at = |rest: &str| text[..text.len() - rest.len()].chars().count() + 1;
    loop {
        let close = find_pair(rest, *b"}}");
        let Some(open) = find_pair(rest, *b"{{").filter(|&open| close.is_none_or(|c| open < c))
        else {
            if let Some(close) = close {
                return Err(format!(
                    "unbalanced braces: `}}}}` at character {} has no `{{{{` before it",
                    char_at(&rest[close..])
                ));
            }
            if !rest.is_empty() {
                segments.push(ClozeSegment::Text(rest.to_string()));
            }
            break;
        };
        if open > 0 {
            segments.push(ClozeSegment::Text(rest[..open].to_string()));
        }
        let inner_start = &rest[open + 2..];
        let Some(end) = find_pair(inner_start, *b"}}") else {
            return Err(format!(
                "unbalanced braces: `{{{{` at character {} is never closed with `}}}}`",
                char_at(&rest[open..])
            ));
        };
        let inner = &inner_start[..end];
        if let Some(nested) = find_pair(inner, *b"{{") {
            return Err(format!(
                "unbalanced braces: `{{{{` at character {} opens inside another hidden span",
                char_at(&inner_start[nested..])
            ));
        }
        let (answer, hint) = match inner.split_once("::") {
            Some((answer, hint)) => (answer, Some(hint.trim())),
            None => (inner, None),
        };
        if is_blank(answer) {
            return Err(format!(
                "empty hidden span at character {}; put the answer between the braces",
                char_at(&rest[open..])
            ));
        }
        segments.push(ClozeSegment::Hidden {
            answer: answer.trim().to_string(),
            hint: hint.filter(|h| !h.is_empty()).map(str::to_string),
        });
        rest = &inner_start[end + 2..];
    }
    if !segments
        .iter()
        .any(|s| matches!(s, ClozeSegment::Hidden { .. }))
    {
        return Err("no hidden span; mark each answer as {{answer}}".to_string());
    }
    Ok(segments)
}

impl<'f> Checker<'f> {
    fn report(&mut self, at: &Places<'f>, path: &str, id: Option<&str>, message: String) {
        let position = at.locate(path);
        self.errors.push(ContentError {
            path: at.path().to_path_buf(),
            line: position.line,
            column: position.column,
            id: id.map(str::to_string),
            message,
        });
    }

    /// Reports `what` as empty if `text` is blank.
    fn require_text(&mut self, at: &Places<'f>, item: Item, field: &str, text: &str, what: &str) {
        if is_blank(text) {
            let path = format!("{}.{field}", item.base);
            self.report(at, &path, item.id, format!("empty {what}; write the text"));
        }
    }

    fn optional_text(&mut self, at: &Places<'f>, item: Item, field: &str, text: Option<&str>) {
        if text.is_some_and(is_blank) {
            let path = format!("{}.{field}", item.base);
            let message = format!("empty `{field}`; write it or leave the field out");
            self.report(at, &path, item.id, message);
        }
    }

    /// Checks the id's form and registers it, with where it starts; false if it is malformed or
    /// already taken.
    fn claim_id(&mut self, at: &Places<'f>, item: Item, id: &str, start: Position) -> bool {
        let path = || format!("{}.id", item.base);
        if !is_kebab_case(id) {
            let message = format!(
                "id `{id}` is not kebab-case: use lowercase letters, digits and single hyphens, \
                 like `ecs-task-role`"
            );
            self.report(at, &path(), Some(id), message);
            return false;
        }
        let Some((first_path, first)) = self.ids.claim(id, (at.path(), start)) else {
            return true;
        };
        let message = format!(
            "duplicate id, first used at {}:{}:{}; ids must be unique across all cards, notes \
             and scenarios",
            first_path.display(),
            first.line,
            first.column
        );
        self.report(at, &path(), Some(id), message);
        false
    }

    fn check_topics(&mut self, at: &Places<'f>, item: Item, field: &str, topics: &[String]) {
        if topics.is_empty() {
            let path = format!("{}.{field}", item.base);
            let message =
                format!("no topics; name at least one topic from topics.ron in `{field}`");
            self.report(at, &path, item.id, message);
        }
        if !self.topics_complete {
            return;
        }
        for (i, topic) in topics.iter().enumerate() {
            if !self.topic_index.contains_key(topic.as_str()) {
                let path = format!("{}.{field}[{i}]", item.base);
                let message = format!("unknown topic `{topic}`; topics are defined in topics.ron");
                self.report(at, &path, item.id, message);
            }
        }
    }

    fn exams(&mut self, at: &Places<'f>, item: Item, codes: &[String]) -> Vec<Exam> {
        let mut exams = Vec::with_capacity(codes.len());
        for (i, code) in codes.iter().enumerate() {
            match Exam::from_code(code) {
                Some(exam) => exams.push(exam),
                None => {
                    let known: Vec<&str> = Exam::ALL.iter().map(|e| e.code()).collect();
                    let message = format!(
                        "unknown exam `{code}`; expected one of {}",
                        known.join(", ")
                    );
                    self.report(at, &format!("{}.exams[{i}]", item.base), item.id, message);
                }
            }
        }
        exams
    }

    fn topics(&mut self, parsed: Vec<(&Places<'f>, Vec<(usize, RawTopic)>)>) {
        // Every id first, so a parent defined too late is told apart from a missing one.
        let all: HashSet<&str> = parsed
            .iter()
            .flat_map(|(_, topics)| topics.iter().map(|(_, t)| t.id.as_str()))
            .collect();
        for (at, topics) in &parsed {
            let at = *at;
            for (index, raw) in topics {
                let base = format!("topics[{index}]");
                let item = Item {
                    base: Base::Path(&base),
                    id: Some(&raw.id),
                };
                let mut problem = None;
                if !raw.id.split('/').all(is_kebab_case) {
                    problem = Some(format!(
                        "topic id `{}` is not kebab-case names joined by `/`, like `ecs/iam`",
                        raw.id
                    ));
                } else if self.topic_index.contains_key(&raw.id) {
                    problem = Some("duplicate topic id".to_string());
                } else if let Some((parent, _)) = raw.id.rsplit_once('/')
                    && !self.topic_index.contains_key(parent)
                {
                    problem = Some(if all.contains(parent) {
                        format!("parent topic `{parent}` comes later; move it before its subtopics")
                    } else {
                        format!("parent topic `{parent}` does not exist; define it first")
                    });
                }
                if let Some(message) = problem {
                    self.report(at, &format!("{base}.id"), item.id, message);
                    continue;
                }
                self.require_text(at, item, "title", &raw.title, "`title`");
                self.topic_index
                    .to_mut()
                    .insert(raw.id.clone(), self.content.topics.len());
                self.content.topics.push(Topic {
                    id: raw.id.clone(),
                    title: raw.title.clone(),
                    description: raw.description.clone(),
                });
            }
        }
    }

    /// Claims the ids of a deck's cards, in order; for each card, whether its id is its own.
    fn claim_card_ids(
        &mut self,
        at: &Places<'f>,
        cards: &[(usize, Position, RawCard)],
    ) -> Vec<bool> {
        cards
            .iter()
            .map(|(index, start, raw)| {
                let item = Item {
                    base: Base::Card(*index),
                    id: Some(&raw.id),
                };
                self.claim_id(at, item, &raw.id, *start)
            })
            .collect()
    }

    /// Checks a deck's cards, whose ids were claimed (`claimed[i]` true when card i's id is its
    /// own): only the topic tree is read, so decks can be checked at the same time.
    fn deck(&mut self, at: &Places<'f>, cards: Vec<(usize, Position, RawCard)>, claimed: &[bool]) {
        let deck = at
            .path()
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        for ((index, start, raw), &claimed) in cards.into_iter().zip(claimed) {
            if let Some(card) = self.card(at, index, &deck, raw, start, claimed) {
                self.content.cards.push(card);
            }
        }
    }

    fn card(
        &mut self,
        at: &Places<'f>,
        index: usize,
        deck: &str,
        raw: RawCard,
        start: Position,
        claimed: bool,
    ) -> Option<Card> {
        let errors_before = self.errors.len();
        let item = Item {
            base: Base::Card(index),
            id: Some(&raw.id),
        };
        self.check_topics(at, item, "topics", &raw.topics);
        let exams = self.exams(at, item, &raw.exams);
        self.optional_text(at, item, "source", raw.source.as_deref());
        self.optional_text(at, item, "extra", raw.extra.as_deref());
        if let Some(verified) = &raw.verified
            && !is_iso_date(verified)
        {
            let message =
                format!("verified `{verified}` is not a date written YYYY-MM-DD, like 2026-11-23");
            self.report(at, &format!("{}.verified", item.base), item.id, message);
        }
        let kind_item = Item {
            base: Base::CardKind(index),
            id: item.id,
        };
        let body = match raw.kind {
            RawCardKind::Basic { front, back } => {
                self.require_text(at, kind_item, "front", &front, "`front`");
                self.require_text(at, kind_item, "back", &back, "`back`");
                Some(CardBody::Basic { front, back })
            }
            RawCardKind::Cloze { text } => match parse_cloze(&text) {
                Ok(segments) => Some(CardBody::Cloze(Cloze { text, segments })),
                Err(message) => {
                    let message = format!("cloze text: {message}");
                    let path = format!("{}.text", kind_item.base);
                    self.report(at, &path, item.id, message);
                    None
                }
            },
            RawCardKind::Choice(question) => {
                self.question(at, kind_item, question).map(CardBody::Choice)
            }
        };
        let body = body.filter(|_| claimed && self.errors.len() == errors_before)?;
        Some(Card {
            id: raw.id,
            deck: deck.to_string(),
            topics: raw.topics,
            exams,
            source: raw.source,
            verified: raw.verified,
            extra: raw.extra,
            body,
            origin: at.origin(start),
        })
    }

    fn question(&mut self, at: &Places<'f>, item: Item, raw: RawQuestion) -> Option<Question> {
        let errors_before = self.errors.len();
        let base = item.base;
        self.require_text(at, item, "stem", &raw.stem, "`stem`");
        let options = raw.options.len();
        let correct = raw.options.iter().filter(|o| o.correct).count();
        if raw.select == 0 {
            let message = "`select` is 0; a question needs at least one correct option".to_string();
            self.report(at, &format!("{base}.select"), item.id, message);
        } else if options < raw.select + 1 {
            let message = format!(
                "a question with select: {} needs at least {} options, found {options}",
                raw.select,
                raw.select + 1
            );
            self.report(at, &format!("{base}.options"), item.id, message);
        }
        if raw.select > 0 && correct != raw.select {
            let message = format!(
                "{} marked `correct: true` but select is {}; mark exactly {}",
                plural(correct, "option is", "options are"),
                raw.select,
                raw.select
            );
            self.report(at, &format!("{base}.options"), item.id, message);
        }
        // Paths and messages are formatted only on failure: this loop runs for every option.
        for (i, option) in raw.options.iter().enumerate() {
            let number = i + 1;
            if is_blank(&option.text) {
                let message = format!("empty option {number} text; write the text");
                self.report(at, &format!("{base}.options[{i}].text"), item.id, message);
            }
            if is_blank(&option.why) {
                let message = format!("option {number} has no `why`; say why it is right or wrong");
                self.report(at, &format!("{base}.options[{i}].why"), item.id, message);
            }
        }
        (self.errors.len() == errors_before).then(|| Question {
            stem: raw.stem,
            select: raw.select,
            options: raw
                .options
                .into_iter()
                .map(|o| ChoiceOption {
                    text: o.text,
                    correct: o.correct,
                    why: o.why,
                })
                .collect(),
        })
    }

    /// What every note and scenario starts with: its id, placed at the file's first value
    /// (`start`), and its title.
    fn claim_file<'i>(
        &mut self,
        at: &Places<'f>,
        id: &'i str,
        title: &str,
        start: Position,
    ) -> Item<'i> {
        let item = Item {
            base: Base::Path(""),
            id: Some(id),
        };
        self.claim_id(at, item, id, start);
        self.require_text(at, item, "title", title, "`title`");
        item
    }

    fn note(&mut self, at: &Places<'f>, start: Position, raw: NoteFile) {
        let errors_before = self.errors.len();
        let item = self.claim_file(at, &raw.id, &raw.title, start);
        self.check_topics(at, item, "topic", std::slice::from_ref(&raw.topic));
        if raw.blocks.is_empty() {
            self.report(
                at,
                "blocks",
                item.id,
                "no blocks; a note needs some text".to_string(),
            );
        }
        for (i, block) in raw.blocks.iter().enumerate() {
            let path = format!("blocks[{i}]");
            match block {
                RawBlock::Heading(text) | RawBlock::Text(text) if is_blank(text) => {
                    let message =
                        format!("block {}: empty text; write it or remove the block", i + 1);
                    self.report(at, &path, item.id, message);
                }
                RawBlock::Heading(_) | RawBlock::Text(_) => {}
                RawBlock::Bullets(bullets) => {
                    if bullets.is_empty() {
                        let message = format!("block {}: a bullet list with no bullets", i + 1);
                        self.report(at, &path, item.id, message);
                    }
                    for (b, bullet) in bullets.iter().enumerate() {
                        if is_blank(bullet) {
                            let message = format!("block {}: bullet {} is empty", i + 1, b + 1);
                            self.report(at, &format!("{path}[{b}]"), item.id, message);
                        }
                    }
                }
                RawBlock::Table { header, rows } => {
                    if header.is_empty() {
                        let message = format!("block {}: a table needs a header row", i + 1);
                        self.report(at, &format!("{path}.header"), item.id, message);
                    }
                    for (r, row) in rows.iter().enumerate() {
                        if row.len() != header.len() {
                            let message = format!(
                                "block {}: row {} has {} but the header has {}",
                                i + 1,
                                r + 1,
                                plural(row.len(), "cell", "cells"),
                                header.len()
                            );
                            self.report(at, &format!("{path}.rows[{r}]"), item.id, message);
                        }
                    }
                }
            }
        }
        if self.errors.len() == errors_before {
            self.content.notes.push(Note {
                id: raw.id,
                topic: raw.topic,
                title: raw.title,
                blocks: raw
                    .blocks
                    .into_iter()
                    .map(|block| match block {
                        RawBlock::Heading(text) => Block::Heading(text),
                        RawBlock::Text(text) => Block::Text(text),
                        RawBlock::Bullets(items) => Block::Bullets(items),
                        RawBlock::Table { header, rows } => Block::Table { header, rows },
                    })
                    .collect(),
                origin: at.origin(start),
            });
        }
    }

    fn scenario(&mut self, at: &Places<'f>, start: Position, raw: ScenarioFile) {
        let errors_before = self.errors.len();
        let item = self.claim_file(at, &raw.id, &raw.title, start);
        self.check_topics(at, item, "topics", &raw.topics);
        let exams = self.exams(at, item, &raw.exams);

        let mut node_index: HashMap<&str, usize> = HashMap::new();
        if raw.diagram.nodes.is_empty() {
            let message = "the diagram has no nodes".to_string();
            self.report(at, "diagram.nodes", item.id, message);
        }
        for (i, node) in raw.diagram.nodes.iter().enumerate() {
            let path = format!("diagram.nodes[{i}]");
            let node_item = Item {
                base: Base::Path(&path),
                id: item.id,
            };
            self.require_text(at, node_item, "id", &node.id, "node id");
            self.require_text(at, node_item, "label", &node.label, "node label");
            if let Some(first) = node_index.insert(&node.id, i) {
                node_index.insert(&node.id, first);
                let message = format!(
                    "duplicate node id `{}`; node {} already uses it",
                    node.id,
                    first + 1
                );
                self.report(at, &format!("{path}.id"), item.id, message);
            }
        }
        let node = |checker: &mut Checker<'f>, path: String, name: &str, what: &str| {
            let found = node_index.get(name).copied();
            if found.is_none() {
                let message = format!("{what} `{name}`, which is not a node of the diagram");
                checker.report(at, &path, item.id, message);
            }
            found
        };
        let mut edges = Vec::with_capacity(raw.diagram.edges.len());
        for (i, edge) in raw.diagram.edges.iter().enumerate() {
            let path = format!("diagram.edges[{i}]");
            let what = format!("edge {}", i + 1);
            let from = node(
                self,
                format!("{path}.from"),
                &edge.from,
                &format!("{what} starts at"),
            );
            let to = node(
                self,
                format!("{path}.to"),
                &edge.to,
                &format!("{what} ends at"),
            );
            if let (Some(from), Some(to)) = (from, to) {
                edges.push(DiagramEdge {
                    from,
                    to,
                    label: edge.label.clone(),
                });
            }
        }
        if raw.steps.is_empty() {
            let message = "no steps; a scenario needs at least one".to_string();
            self.report(at, "steps", item.id, message);
        }
        let mut steps = Vec::with_capacity(raw.steps.len());
        for (s, step) in raw.steps.into_iter().enumerate() {
            let path = format!("steps[{s}]");
            let step_item = Item {
                base: Base::Path(&path),
                id: item.id,
            };
            self.require_text(
                at,
                step_item,
                "narrative",
                &step.narrative,
                &format!("step {} narrative", s + 1),
            );
            let highlight: Vec<usize> = step
                .highlight
                .iter()
                .enumerate()
                .filter_map(|(h, name)| {
                    node(
                        self,
                        format!("{path}.highlight[{h}]"),
                        name,
                        &format!("step {} highlights", s + 1),
                    )
                })
                .collect();
            let question = match step.question {
                Some(question) => {
                    let question_path = format!("{path}.question");
                    let question_item = Item {
                        base: Base::Path(&question_path),
                        id: item.id,
                    };
                    self.question(at, question_item, question)
                }
                None => {
                    let message = format!("step {} has no question; add `question: (...)`", s + 1);
                    self.report(at, &path, item.id, message);
                    None
                }
            };
            if let Some(question) = question {
                steps.push(Step {
                    narrative: step.narrative,
                    highlight,
                    question,
                });
            }
        }
        if self.errors.len() == errors_before {
            self.content.scenarios.push(Scenario {
                id: raw.id,
                title: raw.title,
                topics: raw.topics,
                exams,
                summary: raw.summary,
                diagram: Diagram {
                    nodes: raw
                        .diagram
                        .nodes
                        .into_iter()
                        .map(|n| DiagramNode {
                            id: n.id,
                            label: n.label,
                        })
                        .collect(),
                    edges,
                },
                steps,
                origin: at.origin(start),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(answer: &str, hint: Option<&str>) -> ClozeSegment {
        ClozeSegment::Hidden {
            answer: answer.to_string(),
            hint: hint.map(str::to_string),
        }
    }

    #[test]
    fn splits_cloze_text() {
        assert_eq!(
            parse_cloze("Runs the {{ECS agent::a process}}, which joins the {{cluster}}."),
            Ok(vec![
                ClozeSegment::Text("Runs the ".to_string()),
                hidden("ECS agent", Some("a process")),
                ClozeSegment::Text(", which joins the ".to_string()),
                hidden("cluster", None),
                ClozeSegment::Text(".".to_string()),
            ])
        );
    }

    #[test]
    fn rejects_bad_cloze_text() {
        let error = |text: &str| parse_cloze(text).err().unwrap_or_default();
        assert_eq!(
            error("no span"),
            "no hidden span; mark each answer as {{answer}}"
        );
        assert_eq!(
            error("é {{ }} x"),
            "empty hidden span at character 3; put the answer between the braces"
        );
        assert_eq!(
            error("a {{b"),
            "unbalanced braces: `{{` at character 3 is never closed with `}}`"
        );
        assert_eq!(
            error("a }} {{b}}"),
            "unbalanced braces: `}}` at character 3 has no `{{` before it"
        );
        assert_eq!(
            error("{{a {{b}} c}}"),
            "unbalanced braces: `{{` at character 5 opens inside another hidden span"
        );
    }

    #[test]
    fn id_table_finds_repeats_even_when_hashes_collide() {
        let mut ids = IdTable::default();
        assert_eq!(ids.claim("ecs-one", 1), None);
        assert_eq!(ids.claim("ecs-two", 2), None);
        assert_eq!(ids.claim("ecs-one", 3), Some(1));
        // Make "ecs-three" collide with the id stored first.
        let hash = BuildHasherDefault::<IdHasher>::default().hash_one("ecs-three");
        ids.by_hash.insert(hash, (0, "ecs-one".len(), 4));
        assert_eq!(ids.claim("ecs-three", 5), None);
        assert_eq!(ids.claim("ecs-three", 6), Some(5));
        assert_eq!(ids.claim("ecs-one", 7), Some(1));
    }

    #[test]
    fn checks_ids_and_dates() {
        assert!(is_kebab_case("ecs-task-role-2"));
        for bad in [
            "",
            "Ecs",
            "ecs--role",
            "-ecs",
            "ecs-",
            "ecs_role",
            "ecs role",
        ] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
        assert!(is_iso_date("2024-02-29"));
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-11-23",
            "2026/11/23",
            "2026-11-2x",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
