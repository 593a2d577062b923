//! The parse cache of user content: used while a file is unchanged, refreshed when it changes,
//! ignored when damaged, and never a reason for a different course or a different report.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use deckhand::content::{CardBody, Content, load_course, load_course_cached};

fn deck(back: &str) -> String {
    format!(
        "(cards: [(id: \"mine-one\", topics: [\"ecs\"], kind: Basic(front: \"F\", back: \"{back}\"))])"
    )
}

/// A user content dir with one deck, and a cache dir beside it.
fn setup(root: &Path, back: &str) -> (PathBuf, PathBuf, PathBuf) {
    let user = root.join("mine");
    fs::create_dir_all(user.join("decks")).unwrap();
    let deck_path = user.join("decks/mine.ron");
    fs::write(&deck_path, deck(back)).unwrap();
    (user, deck_path, root.join("cache"))
}

fn back_of_mine(content: &Content) -> String {
    content
        .cards
        .iter()
        .find(|c| c.id == "mine-one")
        .map(|c| match &c.body {
            CardBody::Basic { back, .. } => back.clone(),
            other => format!("{other:?}"),
        })
        .unwrap_or_default()
}

fn cached_back(user: &Path, cache: &Path) -> String {
    back_of_mine(&load_course_cached(&[user.to_path_buf()], cache).unwrap())
}

#[test]
fn unchanged_files_come_from_the_cache_and_changed_ones_are_parsed_again() {
    let root = tempfile::tempdir().unwrap();
    let (user, deck_path, cache) = setup(root.path(), "first");
    assert_eq!(cached_back(&user, &cache), "first");
    assert!(
        fs::read_dir(&cache).unwrap().count() > 0,
        "no cache written"
    );

    // Same size and time: the cache is trusted, so the old text is what loads.
    let modified = fs::metadata(&deck_path).unwrap().modified().unwrap();
    fs::write(&deck_path, deck("other")).unwrap();
    File::options()
        .write(true)
        .open(&deck_path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_eq!(cached_back(&user, &cache), "first");

    // A new size: parsed again.
    fs::write(&deck_path, deck("changed text")).unwrap();
    assert_eq!(cached_back(&user, &cache), "changed text");
    // A new time with the same size: parsed again.
    fs::write(&deck_path, deck("changed TEXT")).unwrap();
    let later = modified + std::time::Duration::from_secs(5);
    File::options()
        .write(true)
        .open(&deck_path)
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert_eq!(cached_back(&user, &cache), "changed TEXT");
}

/// Damage done to the bytes of a cache file.
type Damage = fn(&mut Vec<u8>);

#[test]
fn a_damaged_cache_is_ignored_and_rebuilt() {
    let root = tempfile::tempdir().unwrap();
    let (user, _, cache) = setup(root.path(), "kept");
    assert_eq!(cached_back(&user, &cache), "kept");
    let files: Vec<PathBuf> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let damages: [(&str, Damage); 3] = [
        // Without the checksum this would load "kepu": the text itself is damaged.
        ("a bit of the text", |bytes| {
            let at = bytes.windows(4).position(|w| w == b"kept").unwrap_or(0);
            bytes[at + 3] ^= 1;
        }),
        ("a bit of the header", |bytes| bytes[0] ^= 1),
        ("the end", |bytes| bytes.truncate(bytes.len() / 2)),
    ];
    for (what, damage) in damages {
        for file in &files {
            let mut bytes = fs::read(file).unwrap();
            damage(&mut bytes);
            fs::write(file, bytes).unwrap();
        }
        assert_eq!(cached_back(&user, &cache), "kept", "damaged {what}");
    }
}

#[test]
fn problems_are_reported_as_without_the_cache() {
    let root = tempfile::tempdir().unwrap();
    let (user, deck_path, cache) = setup(root.path(), "fine");
    assert_eq!(cached_back(&user, &cache), "fine");
    fs::write(&deck_path, deck("")).unwrap();
    let user = [user];
    let cached = load_course_cached(&user, &cache).err();
    assert!(cached.is_some(), "an empty back must be reported");
    assert_eq!(cached, load_course(&user).err());
}

fn assert_same_course(a: &Content, b: &Content) {
    assert_eq!(a.topics, b.topics);
    assert_eq!(a.cards, b.cards);
    assert_eq!(a.notes, b.notes);
    assert_eq!(a.scenarios, b.scenarios);
}

#[test]
fn the_cached_course_is_the_course() {
    let root = tempfile::tempdir().unwrap();
    let cache = root.path().join("cache");
    let user = [PathBuf::from("tests/fixtures/valid")];
    let from_text = load_course(&user).unwrap();
    assert!(from_text.cards.len() > 1 && !from_text.notes.is_empty());
    // The first load writes the cache, the second reads it.
    for _ in 0..2 {
        assert_same_course(&load_course_cached(&user, &cache).unwrap(), &from_text);
    }
}
