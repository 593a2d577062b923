//! `deckhand validate` as a user runs it: the real binary, its output streams and exit code.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn validate_with_data_dir(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deckhand"))
        .arg("validate")
        .args(args)
        .env("DECKHAND_DATA_DIR", data_dir)
        .output()
        .unwrap()
}

fn validate(args: &[&str]) -> Output {
    validate_with_data_dir(tempfile::tempdir().unwrap().path(), args)
}

#[test]
fn reports_every_problem_of_every_file_in_one_run() {
    let output = validate(&["tests/fixtures/broken"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let root = "tests/fixtures/broken";
    let expected = [
        format!(
            "{root}/decks/mixed.ron:8:13: mixed-unknown-field: unknown field `exmas`; expected one of `id`, `topics`, `exams`, `source`, `verified`, `extra`, `kind`"
        ),
        format!("{root}/decks/mixed.ron:11:9: mixed-missing-kind: missing field `kind`"),
        format!(
            "{root}/decks/mixed.ron:17:22: mixed-unknown-topic: unknown topic `ecs/iam-roles`; topics are defined in topics.ron"
        ),
        format!(
            "{root}/decks/other.ron:5:17: mixed-fine: duplicate id, first used at {root}/decks/mixed.ron:20:9; ids must be unique across all cards, notes and scenarios"
        ),
        format!(
            "{root}/decks/other.ron:12:31: other-cloze: cloze text: unbalanced braces: `}}}}` at character 9 has no `{{{{` before it"
        ),
        format!("{root}/notes/bad-syntax.ron:4:5: note-bad-syntax: expected a comma before this"),
        format!(
            "{root}/scenarios/broken.ron:11:31: scn-broken: edge 1 ends at `sns`, which is not a node of the diagram"
        ),
        format!(
            "{root}/scenarios/broken.ron:15:9: scn-broken: step 1 has no question; add `question: (...)`"
        ),
        "8 problems in 4 files".to_string(),
    ];
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines, expected);
}

#[test]
fn valid_directory_prints_one_summary_line() {
    let output = validate(&["tests/fixtures/valid"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let topics = deckhand::content::load_course(&[]).map_or(0, |c| c.topics.len());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "ok: {topics} topics, 4 cards (1 basic, 1 cloze, 1 multiple choice, \
             1 multiple response), 1 note, 1 scenario\n"
        )
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn bundled_course_is_valid() {
    let output = validate(&[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ok: "));
}

#[test]
fn missing_content_dir_fails_clearly() {
    let output = validate(&["--content", "tests/fixtures/no-such-dir"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "tests/fixtures/no-such-dir:1:1: no such directory; a content directory holds \
         topics.ron, decks/, notes/ or scenarios/\n1 problem in 1 file\n"
    );
}

#[test]
fn without_dir_checks_the_decks_in_the_data_dir() {
    let data_dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(data_dir.path().join("decks")).unwrap();
    let deck = data_dir.path().join("decks/mine.ron");
    fs::write(
        &deck,
        "(cards: [(id: \"mine-one\", topics: [\"ecs\"], kind: Basic(front: \"F\", back: \"\"))])",
    )
    .unwrap();
    let output = validate_with_data_dir(data_dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "{}:1:74: mine-one: empty `back`; write the text\n1 problem in 1 file\n",
            deck.display()
        )
    );
}
