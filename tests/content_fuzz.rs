//! The loader on hostile input: arbitrary bytes and damaged valid files must give content or
//! located errors, never a panic.

use std::fs;
use std::path::Path;

use deckhand::content::load_dir;
use proptest::prelude::*;

/// Where each kind of file goes in a content directory, and a valid example of it.
const SOURCES: [(&str, &str); 4] = [
    ("decks/fuzz.ron", "tests/fixtures/valid/decks/ecs-iam.ron"),
    ("notes/fuzz.ron", "tests/fixtures/valid/notes/ecs-iam.ron"),
    (
        "scenarios/fuzz.ron",
        "tests/fixtures/valid/scenarios/stopped-task-alerts.ron",
    ),
    ("topics.ron", "content/topics.ron"),
];

#[derive(Debug, Clone)]
enum Damage {
    FlipByte(usize, u8),
    Insert(usize, u8),
    Truncate(usize),
    DeleteLine(usize),
    DuplicateLine(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    // Bytes that mean something to RON or to the position finder, plus any byte at all.
    let significant = prop::sample::select(b"(){}[],:\"'/*#r\\!\n\xc3\xff".to_vec());
    let byte = prop_oneof![significant, any::<u8>()];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(at, b)| Damage::FlipByte(at, b)),
        (any::<usize>(), byte).prop_map(|(at, b)| Damage::Insert(at, b)),
        any::<usize>().prop_map(Damage::Truncate),
        any::<usize>().prop_map(Damage::DeleteLine),
        any::<usize>().prop_map(Damage::DuplicateLine),
    ]
}

fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    let len = bytes.len().max(1);
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    match *damage {
        Damage::FlipByte(at, b) if !bytes.is_empty() => bytes[at % len] = b,
        Damage::FlipByte(..) => {}
        Damage::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
        Damage::Truncate(at) => bytes.truncate(at % len),
        Damage::DeleteLine(line) => {
            lines.remove(line % lines.len());
            *bytes = lines.join(&b'\n');
        }
        Damage::DuplicateLine(line) => {
            let line = line % lines.len();
            lines.insert(line, lines[line].clone());
            *bytes = lines.join(&b'\n');
        }
    }
}

/// Loads `bytes` as the file at `place` of a fresh content directory and checks the outcome.
fn load_checked(place: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let path = dir.path().join(place);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
    fs::write(&path, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    if let Err(errors) = load_dir(dir.path()) {
        prop_assert!(!errors.0.is_empty());
        for error in &errors.0 {
            prop_assert!(error.line >= 1 && error.column >= 1, "{error}");
            prop_assert_eq!(&error.path, &path);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn damaged_valid_files_never_panic(
        which in 0..SOURCES.len(),
        damages in prop::collection::vec(damage(), 1..5),
    ) {
        let (place, source) = SOURCES[which];
        let mut bytes = fs::read(Path::new(source)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for damage in &damages {
            apply(&mut bytes, damage);
        }
        load_checked(place, &bytes)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        which in 0..SOURCES.len(),
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        load_checked(SOURCES[which].0, &bytes)?;
    }
}
