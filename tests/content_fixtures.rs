//! The loader against fixture directories: each invalid fixture holds one mistake and must produce
//! exactly the expected message at the expected place; the valid fixture must load into the model.

use std::fs;
use std::path::{Path, PathBuf};

use deckhand::content::{
    Block, CardBody, ChoiceOption, ClozeSegment, ContentErrors, DiagramEdge, Exam, Origin,
    load_course, load_dir,
};

/// Cargo runs integration tests from the package root, so fixture paths (and the paths in the
/// messages) are relative to it.
const INVALID: &str = "tests/fixtures/invalid";

fn messages(errors: &ContentErrors) -> Vec<String> {
    errors.0.iter().map(ToString::to_string).collect()
}

fn check_invalid(name: &str, expected: &[&str]) {
    let dir = Path::new(INVALID).join(name);
    let errors = match load_dir(&dir) {
        Ok(_) => panic!("{name}: loaded without errors"),
        Err(errors) => errors,
    };
    let expected: Vec<String> = expected
        .iter()
        .map(|line| format!("{INVALID}/{name}/{line}"))
        .collect();
    assert_eq!(messages(&errors), expected, "fixture {name}");
}

#[test]
fn syntax_error() {
    check_invalid(
        "syntax-error",
        &["decks/syntax-error.ron:7:46: syntax-error: expected a comma before this"],
    );
}

#[test]
fn unknown_field() {
    check_invalid(
        "unknown-field",
        &[
            "decks/unknown-field.ron:7:13: unknown-field: unknown field `exmas`; expected one of \
           `id`, `topics`, `exams`, `source`, `verified`, `extra`, `kind`",
        ],
    );
}

#[test]
fn missing_field_points_at_the_card() {
    check_invalid(
        "missing-field",
        &["decks/missing-field.ron:4:9: missing-field: missing field `kind`"],
    );
}

#[test]
fn wrong_type() {
    check_invalid(
        "wrong-type",
        &["decks/wrong-type.ron:7:32: wrong-type: expected a string in double quotes"],
    );
}

#[test]
fn duplicate_id_across_files_names_the_first() {
    check_invalid(
        "duplicate-id",
        &[
            "decks/b-second.ron:5:17: duplicate-id: duplicate id, first used at \
           tests/fixtures/invalid/duplicate-id/decks/a-first.ron:4:9; ids must be unique across \
           all cards, notes and scenarios",
        ],
    );
}

#[test]
fn id_not_kebab_case() {
    check_invalid(
        "bad-id",
        &[
            "decks/bad-id.ron:5:17: ECS_Task_Role: id `ECS_Task_Role` is not kebab-case: use \
           lowercase letters, digits and single hyphens, like `ecs-task-role`",
        ],
    );
}

#[test]
fn unknown_topic() {
    check_invalid(
        "unknown-topic",
        &[
            "decks/unknown-topic.ron:6:22: unknown-topic: unknown topic `ecs/iam-roles`; topics \
           are defined in topics.ron",
        ],
    );
}

#[test]
fn unknown_exam() {
    check_invalid(
        "unknown-exam",
        &[
            "decks/unknown-exam.ron:7:32: unknown-exam: unknown exam `SAA-C02`; expected one of \
           SAA-C03, DVA-C02, SOA-C03, CLF-C02",
        ],
    );
}

#[test]
fn correct_count_differs_from_select() {
    check_invalid(
        "correct-count",
        &[
            "decks/correct-count.ron:10:26: correct-count: 1 option is marked `correct: true` but \
           select is 2; mark exactly 2",
        ],
    );
}

#[test]
fn too_few_options() {
    check_invalid(
        "too-few-options",
        &[
            "decks/too-few-options.ron:9:26: too-few-options: a question with select: 1 needs at \
           least 2 options, found 1",
        ],
    );
}

#[test]
fn option_without_why_points_at_the_option() {
    check_invalid(
        "missing-why",
        &[
            "decks/missing-why.ron:11:21: missing-why: option 2 has no `why`; say why it is right \
           or wrong",
        ],
    );
}

#[test]
fn empty_front() {
    check_invalid(
        "empty-front",
        &["decks/empty-front.ron:7:32: empty-front: empty `front`; write the text"],
    );
}

#[test]
fn cloze_without_span() {
    check_invalid(
        "cloze-no-span",
        &[
            "decks/cloze-no-span.ron:7:31: cloze-no-span: cloze text: no hidden span; mark each \
           answer as {{answer}}",
        ],
    );
}

#[test]
fn cloze_unbalanced() {
    check_invalid(
        "cloze-unbalanced",
        &[
            "decks/cloze-unbalanced.ron:7:31: cloze-unbalanced: cloze text: unbalanced braces: \
           `{{` at character 5 is never closed with `}}`",
        ],
    );
}

#[test]
fn verified_not_a_date() {
    check_invalid(
        "bad-date",
        &[
            "decks/bad-date.ron:7:23: bad-date: verified `2026-11-31` is not a date written \
           YYYY-MM-DD, like 2026-11-23",
        ],
    );
}

#[test]
fn empty_note_title() {
    check_invalid(
        "empty-note-title",
        &["notes/empty-note-title.ron:4:12: empty-note-title: empty `title`; write the text"],
    );
}

#[test]
fn table_row_length() {
    check_invalid(
        "table-row",
        &["notes/table-row.ron:10:17: table-row: block 1: row 2 has 2 cells but the header has 3"],
    );
}

#[test]
fn topic_parent_comes_later() {
    check_invalid(
        "topic-parent-later",
        &["topics.ron:3:14: ecs/iam: parent topic `ecs` comes later; move it before its subtopics"],
    );
}

#[test]
fn edge_to_missing_node() {
    check_invalid(
        "edge-missing-node",
        &[
            "scenarios/edge-missing-node.ron:11:31: edge-missing-node: edge 1 ends at `sns`, which \
           is not a node of the diagram",
        ],
    );
}

#[test]
fn highlight_of_missing_node() {
    check_invalid(
        "highlight-missing-node",
        &[
            "scenarios/highlight-missing-node.ron:17:32: highlight-missing-node: step 1 highlights \
           `sns`, which is not a node of the diagram",
        ],
    );
}

#[test]
fn duplicate_node_id() {
    check_invalid(
        "duplicate-node",
        &[
            "scenarios/duplicate-node.ron:9:18: duplicate-node: duplicate node id `eb`; node 2 \
           already uses it",
        ],
    );
}

#[test]
fn step_without_question() {
    check_invalid(
        "step-without-question",
        &[
            "scenarios/step-without-question.ron:15:9: step-without-question: step 1 has no \
           question; add `question: (...)`",
        ],
    );
}

#[test]
fn not_utf8() {
    check_invalid(
        "not-utf8",
        &["decks/not-utf8.ron:7:63: not valid UTF-8 text; save the file as UTF-8"],
    );
}

#[test]
fn every_invalid_fixture_is_checked() {
    let tested = [
        "bad-date",
        "bad-id",
        "cloze-no-span",
        "cloze-unbalanced",
        "correct-count",
        "duplicate-id",
        "duplicate-node",
        "edge-missing-node",
        "empty-front",
        "empty-note-title",
        "highlight-missing-node",
        "missing-field",
        "missing-why",
        "not-utf8",
        "step-without-question",
        "syntax-error",
        "table-row",
        "too-few-options",
        "topic-parent-later",
        "unknown-exam",
        "unknown-field",
        "unknown-topic",
        "wrong-type",
    ];
    let mut found: Vec<String> = fs::read_dir(INVALID)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    assert_eq!(found, tested);
}

#[test]
fn unreadable_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where a deck file should be cannot be read, even by root.
    fs::create_dir_all(dir.path().join("decks/cards.ron")).unwrap();
    let errors = load_dir(dir.path())
        .err()
        .unwrap_or_else(|| ContentErrors(Vec::new()));
    assert_eq!(errors.0.len(), 1);
    let error = &errors.0[0];
    assert_eq!(error.path, dir.path().join("decks/cards.ron"));
    assert_eq!(
        (error.line, error.column, error.id.as_deref()),
        (1, 1, None)
    );
    assert!(
        error.message.starts_with("cannot read the file: "),
        "{}",
        error.message
    );
}

#[test]
fn missing_content_dir_is_an_error() {
    let errors = load_course(&[PathBuf::from("tests/fixtures/no-such-dir")])
        .err()
        .map(|e| messages(&e))
        .unwrap_or_default();
    assert_eq!(
        errors,
        [
            "tests/fixtures/no-such-dir:1:1: no such directory; a content directory holds \
          topics.ron, decks/, notes/ or scenarios/"
        ]
    );
}

#[test]
fn one_broken_card_does_not_hide_the_others() {
    let errors = load_dir(Path::new("tests/fixtures/broken"))
        .err()
        .map(|e| messages(&e))
        .unwrap_or_default();
    let mixed: Vec<&String> = errors
        .iter()
        .filter(|e| e.starts_with("tests/fixtures/broken/decks/mixed.ron"))
        .collect();
    assert_eq!(
        mixed,
        [
            "tests/fixtures/broken/decks/mixed.ron:8:13: mixed-unknown-field: unknown field \
             `exmas`; expected one of `id`, `topics`, `exams`, `source`, `verified`, `extra`, `kind`",
            "tests/fixtures/broken/decks/mixed.ron:11:9: mixed-missing-kind: missing field `kind`",
            "tests/fixtures/broken/decks/mixed.ron:17:22: mixed-unknown-topic: unknown topic \
             `ecs/iam-roles`; topics are defined in topics.ron",
        ]
    );
}

fn origin(path: &str, line: usize) -> Origin {
    Origin {
        path: PathBuf::from(path),
        line,
        column: if path.contains("decks") { 9 } else { 1 },
    }
}

fn option(text: &str, correct: bool, why: &str) -> ChoiceOption {
    ChoiceOption {
        text: text.to_string(),
        correct,
        why: why.to_string(),
    }
}

#[test]
fn valid_fixture_loads_into_the_model() {
    let content = match load_dir(Path::new("tests/fixtures/valid")) {
        Ok(content) => content,
        Err(errors) => panic!("{errors}"),
    };
    // Without a topics.ron of its own, the directory uses the bundled topics.
    let bundled = load_course(&[]).map(|c| c.topics).unwrap_or_default();
    assert!(!bundled.is_empty());
    assert_eq!(content.topics, bundled);

    let deck = "tests/fixtures/valid/decks/ecs-iam.ron";
    let ids: Vec<&str> = content.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ecs-task-role-purpose",
            "ecs-agent-registers-instances",
            "q-ecs-role-for-s3-access",
            "q-fargate-storage-options"
        ]
    );
    let basic = &content.cards[0];
    assert_eq!(basic.deck, "ecs-iam");
    assert_eq!(basic.topics, ["ecs/iam"]);
    assert_eq!(basic.exams, [Exam::SaaC03, Exam::DvaC02]);
    assert_eq!(
        basic.source.as_deref(),
        Some("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html")
    );
    assert_eq!(basic.verified.as_deref(), Some("2026-11-23"));
    assert!(
        basic
            .extra
            .as_deref()
            .is_some_and(|e| e.starts_with("The execution role"))
    );
    assert_eq!(
        basic.body,
        CardBody::Basic {
            front: "Which IAM role gives the code inside an ECS task its AWS permissions?"
                .to_string(),
            back: "The task role, named in the task definition (`taskRoleArn`).".to_string(),
        }
    );
    assert_eq!(basic.origin, origin(deck, 5));

    let CardBody::Cloze(cloze) = &content.cards[1].body else {
        panic!("second card is not a cloze: {:?}", content.cards[1].body);
    };
    assert_eq!(
        cloze.segments,
        [
            ClozeSegment::Text("With the EC2 launch type, each instance runs the ".to_string()),
            ClozeSegment::Hidden {
                answer: "ECS container agent".to_string(),
                hint: Some("a process".to_string())
            },
            ClozeSegment::Text(", which registers it with the ".to_string()),
            ClozeSegment::Hidden {
                answer: "cluster".to_string(),
                hint: None
            },
            ClozeSegment::Text(".".to_string()),
        ]
    );
    assert_eq!(content.cards[1].origin, origin(deck, 18));

    let CardBody::Choice(question) = &content.cards[2].body else {
        panic!("third card is not a question");
    };
    assert_eq!(question.select, 1);
    assert_eq!(question.correct_indices(), [0]);
    assert_eq!(
        question.options[2],
        option(
            "Attach the policy to the task execution role",
            false,
            "The execution role is used by ECS to start the task, not by your code."
        )
    );
    let CardBody::Choice(question) = &content.cards[3].body else {
        panic!("fourth card is not a question");
    };
    assert_eq!(
        (question.select, question.correct_indices()),
        (2, vec![0, 1])
    );

    let note = &content.notes[0];
    assert_eq!(
        (note.id.as_str(), note.topic.as_str()),
        ("note-ecs-iam", "ecs/iam")
    );
    assert_eq!(
        note.origin,
        origin("tests/fixtures/valid/notes/ecs-iam.ron", 1)
    );
    assert_eq!(note.blocks.len(), 4);
    assert_eq!(note.blocks[1], Block::Heading("The roles".to_string()));
    assert!(matches!(&note.blocks[2], Block::Bullets(items) if items.len() == 3));
    let Block::Table { header, rows } = &note.blocks[3] else {
        panic!("last block is not a table");
    };
    assert_eq!(header, &["", "Task execution role", "Task role"]);
    assert_eq!(rows[1], ["Set in", "`executionRoleArn`", "`taskRoleArn`"]);

    let scenario = &content.scenarios[0];
    assert_eq!(scenario.id, "scn-stopped-task-alerts");
    assert_eq!(scenario.topics, ["event-driven", "ecs"]);
    assert_eq!(scenario.exams, [Exam::SaaC03, Exam::SoaC03]);
    let nodes: Vec<&str> = scenario
        .diagram
        .nodes
        .iter()
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(nodes, ["ecs", "eb", "sns", "ops"]);
    assert_eq!(
        scenario.diagram.edges[1],
        DiagramEdge {
            from: 1,
            to: 2,
            label: "lastStatus = STOPPED".to_string()
        }
    );
    assert_eq!(scenario.steps.len(), 1);
    assert_eq!(scenario.steps[0].highlight, [0, 1]);
    assert_eq!(scenario.steps[0].question.correct_indices(), [0]);
    assert_eq!(scenario.steps[0].question.options.len(), 3);
}

#[test]
fn extra_dirs_load_beside_the_bundled_course() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("decks")).unwrap();
    fs::write(
        dir.path().join("topics.ron"),
        r#"(topics: [(id: "lambda", title: "AWS Lambda")])"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("decks/mine.ron"),
        r#"(cards: [(id: "extra-dir-own-card", topics: ["lambda", "ecs"], kind: Basic(front: "F", back: "B"))])"#,
    )
    .unwrap();
    let bundled = load_course(&[]).unwrap_or_default();
    let content = match load_course(&[dir.path().to_path_buf()]) {
        Ok(content) => content,
        Err(errors) => panic!("{errors}"),
    };
    // An extra topics.ron adds to the bundled tree.
    assert_eq!(content.topics.len(), bundled.topics.len() + 1);
    assert_eq!(content.cards.len(), bundled.cards.len() + 1);
    let card = content.cards.iter().find(|c| c.id == "extra-dir-own-card");
    assert_eq!(card.map(|c| c.deck.as_str()), Some("mine"));
    assert_eq!(
        card.map(|c| c.origin.path.clone()),
        Some(dir.path().join("decks/mine.ron"))
    );
}

#[test]
fn topic_tree_rules() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("topics.ron"),
        r#"(topics: [
    (id: "ecs", title: "ECS"),
    (id: "ecs", title: "ECS again"),
    (id: "eks/storage", title: "No parent"),
    (id: "ECS/Roles", title: "Not kebab-case"),
    (id: "ecr", title: " "),
])"#,
    )
    .unwrap();
    let shown = dir.path().join("topics.ron").display().to_string();
    let errors = load_dir(dir.path())
        .err()
        .map(|e| messages(&e))
        .unwrap_or_default();
    assert_eq!(
        errors,
        [
            format!("{shown}:3:10: ecs: duplicate topic id"),
            format!(
                "{shown}:4:10: eks/storage: parent topic `eks` does not exist; define it first"
            ),
            format!(
                "{shown}:5:10: ECS/Roles: topic id `ECS/Roles` is not kebab-case names joined by \
                 `/`, like `ecs/iam`"
            ),
            format!("{shown}:6:24: ecr: empty `title`; write the text"),
        ]
    );
}

/// A deck of `count` basic cards with ids `{prefix}-0`, `{prefix}-1`, ...
fn generated_deck(prefix: &str, count: usize) -> String {
    let cards: Vec<String> = (0..count)
        .map(|i| {
            format!(
                "    (id: \"{prefix}-{i}\", topics: [\"ecs\"], kind: Basic(front: \"Front {i}\", \
                 back: \"Back {i}\")),\n"
            )
        })
        .collect();
    format!("(\n cards: [\n{}])\n", cards.concat())
}

/// Enough cards that decks are parsed and checked on several threads: the course keeps file
/// order, and a repeated id is reported against its first use.
#[test]
fn large_directories_keep_order_and_first_use() {
    let root = tempfile::tempdir().unwrap();
    let decks = root.path().join("decks");
    fs::create_dir_all(&decks).unwrap();
    for name in ["a", "b", "c"] {
        fs::write(
            decks.join(format!("{name}.ron")),
            generated_deck(name, 1500),
        )
        .unwrap();
    }
    let content = load_dir(root.path()).unwrap();
    let ids: Vec<&str> = content.cards.iter().map(|c| c.id.as_str()).collect();
    let expected: Vec<String> = ["a", "b", "c"]
        .iter()
        .flat_map(|name| (0..1500).map(move |i| format!("{name}-{i}")))
        .collect();
    assert_eq!(ids, expected);

    // The last deck repeats an id of the first.
    let mut last = generated_deck("c", 1500);
    last = last.replace("\"c-1499\"", "\"a-7\"");
    fs::write(decks.join("c.ron"), last).unwrap();
    let errors = load_dir(root.path())
        .err()
        .map(|e| messages(&e))
        .unwrap_or_default();
    let first = decks.join("a.ron");
    assert_eq!(
        errors,
        [format!(
            "{}:1502:10: a-7: duplicate id, first used at {}:10:5; ids must be unique across all \
             cards, notes and scenarios",
            decks.join("c.ron").display(),
            first.display()
        )]
    );
}
