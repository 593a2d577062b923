//! Parses one whole content file into its raw items, each with where it starts in the text.
//!
//! build.rs includes this file too and runs it on the bundled course at build time, so the
//! binary carries the result (see `load.rs`) and the same code decides both paths.

use serde::{Deserialize, Serialize};

use super::locate::{LineCounter, Position, list_item_starts, root_start};
use super::raw::{DeckFile, NoteFile, RawCard, RawTopic, ScenarioFile, TopicsFile};

/// What a content file holds, from where it sits in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Topics,
    Deck,
    Note,
    Scenario,
}

/// The folders of a content directory, with the kind of file each holds.
pub const FOLDERS: [(&str, FileKind); 3] = [
    ("decks", FileKind::Deck),
    ("notes", FileKind::Note),
    ("scenarios", FileKind::Scenario),
];

/// The kind of a file from its path relative to a content directory (`decks/ecs.ron`), or None
/// for a file outside topics.ron, decks/, notes/ and scenarios/.
pub fn kind_of(relative: &str) -> Option<FileKind> {
    if relative == "topics.ron" {
        return Some(FileKind::Topics);
    }
    let (folder, _) = relative.split_once('/')?;
    FOLDERS
        .iter()
        .find(|(name, _)| *name == folder)
        .map(|&(_, kind)| kind)
}

/// A file's items as validation reads them. Each list item keeps its index in the file's list:
/// after a parse failure only the items that parsed on their own are there, and messages still
/// name them by their place (`cards[7]`). A note or scenario that failed to parse is `None`.
#[derive(Debug, Serialize, Deserialize)]
pub enum Items {
    Topics(Vec<(usize, RawTopic)>),
    Cards(Vec<(usize, Position, RawCard)>),
    Note(Option<(Position, NoteFile)>),
    Scenario(Option<(Position, ScenarioFile)>),
}

pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Parses a whole file of `kind`; the error is ron's, for the first problem in it.
pub fn parse_whole(kind: FileKind, src: &str) -> Result<Items, ron::error::SpannedError> {
    let options = ron_options();
    Ok(match kind {
        FileKind::Topics => {
            let file: TopicsFile = options.from_str(src)?;
            Items::Topics(file.topics.into_iter().enumerate().collect())
        }
        FileKind::Deck => {
            let deck: DeckFile = options.from_str(src)?;
            Items::Cards(place_cards(src, deck.cards.into_iter().enumerate()))
        }
        FileKind::Note => Items::Note(Some((root_start(src), options.from_str(src)?))),
        FileKind::Scenario => Items::Scenario(Some((root_start(src), options.from_str(src)?))),
    })
}

/// Adds where each card (given with its index in the deck's list) starts in the deck's text.
pub fn place_cards(
    src: &str,
    cards: impl Iterator<Item = (usize, RawCard)>,
) -> Vec<(usize, Position, RawCard)> {
    let starts = list_item_starts(src, "cards");
    let mut lines = LineCounter::new(src);
    cards
        .map(|(index, card)| {
            let start = starts
                .get(index)
                .map_or(Position::START, |&offset| lines.position(offset));
            (index, start, card)
        })
        .collect()
}
