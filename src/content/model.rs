//! The validated course: what every other module reads.
//!
//! Everything here has passed validation: ids are unique, topics exist, choice questions have the
//! number of correct options they claim, every option has a why. Code that reads the model does not
//! re-check any of that.

use std::path::PathBuf;

/// Where an item was defined, for messages and for "open the source file" features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path as shown to the user: `content/decks/ecs.ron` for bundled files, the real path otherwise.
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// The AWS certification exams an item is tagged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Exam {
    SaaC03,
    DvaC02,
    SoaC03,
    ClfC02,
}

impl Exam {
    pub const ALL: [Exam; 4] = [Exam::SaaC03, Exam::DvaC02, Exam::SoaC03, Exam::ClfC02];

    /// The exam code as AWS writes it, which is also how content files spell it.
    pub fn code(self) -> &'static str {
        match self {
            Exam::SaaC03 => "SAA-C03",
            Exam::DvaC02 => "DVA-C02",
            Exam::SoaC03 => "SOA-C03",
            Exam::ClfC02 => "CLF-C02",
        }
    }

    pub fn from_code(code: &str) -> Option<Exam> {
        Exam::ALL
            .into_iter()
            .find(|e| e.code().eq_ignore_ascii_case(code))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// Slash-separated path: `ecs/iam`; its parent (`ecs`) exists.
    pub id: String,
    pub title: String,
    pub description: String,
}

impl Topic {
    /// The parent topic's id, if this is a subtopic.
    pub fn parent(&self) -> Option<&str> {
        self.id.rsplit_once('/').map(|(parent, _)| parent)
    }

    /// Nesting depth: 0 for `ecs`, 1 for `ecs/iam`.
    pub fn depth(&self) -> usize {
        self.id.matches('/').count()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Stable kebab-case id; progress is keyed by it.
    pub id: String,
    /// The deck (file stem) the card came from.
    pub deck: String,
    pub topics: Vec<String>,
    pub exams: Vec<Exam>,
    pub source: Option<String>,
    /// ISO date (YYYY-MM-DD) the card was last checked against the AWS documentation.
    pub verified: Option<String>,
    pub extra: Option<String>,
    pub body: CardBody,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CardBody {
    Basic { front: String, back: String },
    Cloze(Cloze),
    Choice(Question),
}

/// What kind of card, for counts and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardKind {
    Basic,
    Cloze,
    MultipleChoice,
    MultipleResponse,
}

impl Card {
    pub fn kind(&self) -> CardKind {
        match &self.body {
            CardBody::Basic { .. } => CardKind::Basic,
            CardBody::Cloze(_) => CardKind::Cloze,
            CardBody::Choice(q) if q.select > 1 => CardKind::MultipleResponse,
            CardBody::Choice(_) => CardKind::MultipleChoice,
        }
    }
}

/// A cloze sentence split into plain text and hidden spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cloze {
    /// The source text, with its `{{...}}` markers.
    pub text: String,
    pub segments: Vec<ClozeSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClozeSegment {
    Text(String),
    Hidden {
        answer: String,
        hint: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub stem: String,
    /// How many options are correct: 1 for multiple choice, 2+ for "select two/three".
    pub select: usize,
    pub options: Vec<ChoiceOption>,
}

impl Question {
    /// Indices of the correct options, ascending.
    pub fn correct_indices(&self) -> Vec<usize> {
        (0..self.options.len())
            .filter(|&i| self.options[i].correct)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    pub text: String,
    pub correct: bool,
    /// Why this option is right or wrong; never empty.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub topic: String,
    pub title: String,
    pub blocks: Vec<Block>,
    pub origin: Origin,
}

/// A note's building blocks. Text may use `` `code` `` and `**bold**` inline; nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Text(String),
    Bullets(Vec<String>),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub topics: Vec<String>,
    pub exams: Vec<Exam>,
    pub summary: String,
    pub diagram: Diagram,
    pub steps: Vec<Step>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    pub nodes: Vec<DiagramNode>,
    pub edges: Vec<DiagramEdge>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramNode {
    pub id: String,
    pub label: String,
}

/// An arrow between two nodes; `from` and `to` are indices into `Diagram::nodes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagramEdge {
    pub from: usize,
    pub to: usize,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub narrative: String,
    /// Indices into `Diagram::nodes`.
    pub highlight: Vec<usize>,
    pub question: Question,
}

/// The whole validated course.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// In file order, so a parent always comes before its children.
    pub topics: Vec<Topic>,
    pub cards: Vec<Card>,
    pub notes: Vec<Note>,
    pub scenarios: Vec<Scenario>,
}
