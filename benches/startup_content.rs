//! The content part of the start-up budget (PRODUCT.md "Budgets"): loading the bundled course, and
//! the bundled course plus a generated directory of 20,000 user cards of realistic length.
//!
//! The user cards are written to a temporary directory on each run; nothing generated is kept.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use deckhand::content::{Content, ContentErrors, load_course, load_course_cached};

fn main() {
    divan::main();
}

const USER_CARDS: usize = 20_000;
const CARDS_PER_DECK: usize = 500;

/// Words for card text, so fronts and backs read like sentences of a realistic length.
const WORDS: [&str; 16] = [
    "task",
    "service",
    "cluster",
    "Fargate",
    "role",
    "image",
    "registry",
    "scaling",
    "target",
    "group",
    "subnet",
    "volume",
    "container",
    "policy",
    "capacity",
    "provider",
];

fn sentence(seed: usize, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[(seed * 7 + i * 13) % WORDS.len()]);
    }
    text.push('.');
    text
}

/// One deck file of basic and cloze cards, front and back about 250 characters together.
fn deck(number: usize) -> String {
    let mut out = format!("(\n    title: \"Generated deck {number}\",\n    cards: [\n");
    for i in 0..CARDS_PER_DECK {
        let card = number * CARDS_PER_DECK + i;
        let topics = r#"topics: ["ecs", "ecs/iam"],"#;
        let kind = if card.is_multiple_of(4) {
            format!(
                "Cloze(text: \"{} {{{{{}}}}} {}\")",
                sentence(card, 12),
                WORDS[card % WORDS.len()],
                sentence(card + 1, 20)
            )
        } else {
            format!(
                "Basic(\n                front: \"{}\",\n                back: \"{}\",\n            )",
                sentence(card, 10),
                sentence(card + 3, 25)
            )
        };
        let _ = write!(
            out,
            "        (\n            id: \"user-card-{card}\",\n            {topics}\n            \
             exams: [\"SAA-C03\"],\n            kind: {kind},\n        ),\n"
        );
    }
    out.push_str("    ],\n)\n");
    out
}

fn user_dir(root: &Path) -> PathBuf {
    let decks = root.join("decks");
    fs::create_dir_all(&decks).unwrap();
    for number in 0..USER_CARDS / CARDS_PER_DECK {
        fs::write(decks.join(format!("deck-{number:03}.ron")), deck(number)).unwrap();
    }
    root.to_path_buf()
}

// Each bench returns the loaded course: divan drops it outside the timing, as the app keeps it.

#[divan::bench]
fn bundled_course() -> Result<Content, ContentErrors> {
    load_course(&[])
}

#[divan::bench(sample_count = 30)]
fn bundled_and_20000_user_cards(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let user = [user_dir(dir.path())];
    let loaded = load_course(&user).map(|c| c.cards.len());
    assert!(
        matches!(loaded, Ok(n) if n >= USER_CARDS),
        "the generated cards must load: {loaded:?}"
    );
    bencher.bench(|| load_course(&user));
}

/// The same with the parse cache, already written by an earlier start.
#[divan::bench(sample_count = 30)]
fn bundled_and_20000_user_cards_cached(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let user = [user_dir(&dir.path().join("content"))];
    let cache = dir.path().join("cache");
    let loaded = load_course_cached(&user, &cache).map(|c| c.cards.len());
    assert!(
        matches!(loaded, Ok(n) if n >= USER_CARDS),
        "the generated cards must load: {loaded:?}"
    );
    bencher.bench(|| load_course_cached(&user, &cache));
}
