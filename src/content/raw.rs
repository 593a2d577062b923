//! Mirrors of the RON files under `content/`, exactly as authors write them.
//!
//! These structs are what serde reads; they say nothing about meaning. The loader turns them into
//! the validated model of `model.rs`, collecting every problem with its location. Unknown fields are
//! refused so that a typo (`exmas:`) is an error, not a silently ignored line. `Serialize` is for
//! build.rs and the parse cache, which store these in postcard form (see `parse.rs`): postcard does
//! not describe itself, so every field is always written (no `skip_serializing_if` here).

use serde::{Deserialize, Serialize};

/// `content/topics.ron`
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicsFile {
    pub topics: Vec<RawTopic>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// `content/decks/*.ron`: a titled list of cards.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeckFile {
    #[serde(default)]
    pub title: String,
    pub cards: Vec<RawCard>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCard {
    pub id: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub exams: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub verified: Option<String>,
    /// Shown after the answer: context, a mnemonic, the trap the exam sets.
    #[serde(default)]
    pub extra: Option<String>,
    pub kind: RawCardKind,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawCardKind {
    Basic {
        front: String,
        back: String,
    },
    /// `text` holds one or more `{{hidden spans}}`, optionally `{{answer::hint}}`.
    Cloze {
        text: String,
    },
    /// Multiple choice when `select` is 1 (the default), multiple response ("select two") above.
    Choice(RawQuestion),
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub stem: String,
    #[serde(default = "one")]
    pub select: usize,
    pub options: Vec<RawOption>,
}

fn one() -> usize {
    1
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    #[serde(default)]
    pub why: String,
}

/// `content/notes/*.ron`: one topic note per file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteFile {
    pub id: String,
    pub topic: String,
    pub title: String,
    pub blocks: Vec<RawBlock>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawBlock {
    Heading(String),
    Text(String),
    Bullets(Vec<String>),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// `content/scenarios/*.ron`: one architecture scenario per file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub exams: Vec<String>,
    #[serde(default)]
    pub summary: String,
    pub diagram: RawDiagram,
    pub steps: Vec<RawStep>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiagram {
    pub nodes: Vec<RawNode>,
    #[serde(default)]
    pub edges: Vec<RawEdge>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEdge {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub narrative: String,
    /// Node ids this step is about; edges between two highlighted nodes are highlighted too.
    #[serde(default)]
    pub highlight: Vec<String>,
    /// Optional here so that a missing question is reported by validation with its step number.
    #[serde(default)]
    pub question: Option<RawQuestion>,
}
