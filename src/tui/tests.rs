//! Headless tests of the app: a small hand-built course, a real store in a temporary directory and
//! a clock that moves only when told. Keys are pressed through the same keymap the terminal uses;
//! screens are drawn into `TestBackend` and compared with reviewed insta snapshots.

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::app::{App, ContentIndex, Env, Start};
use super::keymap::{Key, Keymap};
use super::screens::Screen;
use super::screens::notes::Focus;
use super::screens::study::{StudyOptions, View};
use super::theme::{Palette, Theme};
use crate::clock::ManualClock;
use crate::content::{
    Block, Card, CardBody, ChoiceOption, Cloze, ClozeSegment, Content, Note, Origin, Question,
    Topic,
};
use crate::schedule::{Now, Phase, Timestamp};
use crate::store::Store;

/// 2026-11-23 10:00 UTC.
const NOW: Now = Now {
    at: Timestamp(1_795_428_000_000),
    utc_offset_secs: 0,
};

fn origin() -> Origin {
    Origin {
        path: PathBuf::from("content/decks/test.ron"),
        line: 1,
        column: 1,
    }
}

fn topic(id: &str, title: &str, description: &str) -> Topic {
    Topic {
        id: id.into(),
        title: title.into(),
        description: description.into(),
    }
}

fn card(id: &str, topics: &[&str], body: CardBody, extra: Option<&str>) -> Card {
    Card {
        id: id.into(),
        deck: "test".into(),
        topics: topics.iter().map(|&t| t.into()).collect(),
        exams: Vec::new(),
        source: None,
        verified: None,
        extra: extra.map(Into::into),
        body,
        origin: origin(),
    }
}

fn basic(front: &str, back: &str) -> CardBody {
    CardBody::Basic {
        front: front.into(),
        back: back.into(),
    }
}

fn option(text: &str, correct: bool, why: &str) -> ChoiceOption {
    ChoiceOption {
        text: text.into(),
        correct,
        why: why.into(),
    }
}

/// The course the tests study: cards of every kind, in file order = study order (cards sorted by
/// the position of their first topic in the tree).
fn course() -> Content {
    let cloze = Cloze {
        text:
            "With the EC2 launch type, each instance runs the {{ECS container agent::a process}}, \
               which registers it with the {{cluster}}."
                .into(),
        segments: vec![
            ClozeSegment::Text("With the EC2 launch type, each instance runs the ".into()),
            ClozeSegment::Hidden {
                answer: "ECS container agent".into(),
                hint: Some("a process".into()),
            },
            ClozeSegment::Text(", which registers it with the ".into()),
            ClozeSegment::Hidden {
                answer: "cluster".into(),
                hint: None,
            },
            ClozeSegment::Text(".".into()),
        ],
    };
    let single = Question {
        stem: "A container in an ECS task must read objects from an S3 bucket. Which approach \
               follows AWS best practice?"
            .into(),
        select: 1,
        options: vec![
            option(
                "Attach an S3 read policy to the task role",
                true,
                "The task role's credentials are delivered to the containers of that task only.",
            ),
            option(
                "Bake an access key into the image",
                false,
                "Long-lived keys in an image leak with the image and cannot be rotated safely.",
            ),
            option(
                "Attach the policy to the task execution role",
                false,
                "The execution role is used by ECS to start the task, not by your code.",
            ),
        ],
    };
    let multi = Question {
        stem: "Which two are needed for a Fargate task to pull a private ECR image? (Select two.)"
            .into(),
        select: 2,
        options: vec![
            option(
                "A task execution role allowed to pull from ECR",
                true,
                "ECS uses it to authenticate to ECR.",
            ),
            option(
                "An SSH key on the host",
                false,
                "Fargate has no host you can reach.",
            ),
            option(
                "A route to ECR (public IP, NAT or VPC endpoints)",
                true,
                "The pull goes over the network.",
            ),
        ],
    };
    Content {
        topics: vec![
            topic("ecs", "Amazon ECS", "AWS's own container orchestrator."),
            topic(
                "ecs/iam",
                "IAM roles for ECS",
                "Which role makes which call.",
            ),
            topic(
                "fargate",
                "AWS Fargate",
                "Serverless compute for containers.",
            ),
        ],
        cards: vec![
            card(
                "ecs-task-role-purpose",
                &["ecs", "ecs/iam"],
                basic(
                    "Which IAM role gives the code inside an ECS task its AWS permissions?",
                    "The task role, named in the task definition (`taskRoleArn`).",
                ),
                Some(
                    "The execution role is for ECS itself: pulling the image, writing logs, \
                     reading secrets.",
                ),
            ),
            card(
                "ecs-agent-registers-instances",
                &["ecs"],
                CardBody::Cloze(cloze),
                None,
            ),
            card(
                "ecs-cluster",
                &["ecs"],
                basic(
                    "What is an ECS cluster?",
                    "A logical group of tasks and services.",
                ),
                None,
            ),
            card(
                "q-ecs-role-for-s3",
                &["ecs/iam"],
                CardBody::Choice(single),
                None,
            ),
            card(
                "q-fargate-ecr-pull",
                &["fargate"],
                CardBody::Choice(multi),
                None,
            ),
            card(
                "fargate-no-ssh",
                &["fargate"],
                basic(
                    "Can you SSH into a Fargate host?",
                    "No: there is no host you manage.",
                ),
                None,
            ),
            card(
                "fargate-pricing",
                &["fargate"],
                basic(
                    "How is Fargate billed?",
                    "Per second for the vCPU and memory the task asks for.",
                ),
                None,
            ),
        ],
        notes: vec![Note {
            id: "note-ecs-iam".into(),
            topic: "ecs/iam".into(),
            title: "IAM roles for ECS".into(),
            blocks: vec![
                Block::Text(
                    "Three roles, three jobs. Know which principal makes which call.".into(),
                ),
                Block::Heading("The roles".into()),
                Block::Bullets(vec![
                    "**Container instance role** (EC2 launch type only): the ECS agent registers \
                     the instance and pulls images."
                        .into(),
                    "**Task execution role**: ECS pulls the image from ECR, sends logs, reads \
                     secrets for the task."
                        .into(),
                    "**Task role**: your code's permissions, per task definition.".into(),
                ]),
                Block::Table {
                    header: vec!["".into(), "Task execution role".into(), "Task role".into()],
                    rows: vec![
                        vec![
                            "Used by".into(),
                            "ECS and the agent, to start the task".into(),
                            "The application in the containers".into(),
                        ],
                        vec![
                            "Set in".into(),
                            "`executionRoleArn`".into(),
                            "`taskRoleArn`".into(),
                        ],
                    ],
                },
            ],
            origin: origin(),
        }],
        scenarios: Vec::new(),
    }
}

struct Harness {
    app: App,
    clock: ManualClock,
    dir: tempfile::TempDir,
}

fn env_in(dir: &Path, clock: &ManualClock) -> Env {
    let content = course();
    let index = ContentIndex::new(&content);
    let store = match Store::open(dir, NOW) {
        Ok(store) => store,
        Err(err) => panic!("test store: {err}"),
    };
    Env {
        content,
        index,
        store,
        clock: Box::new(clock.clone()),
        keymap: Keymap::default(),
        theme: Theme::new(Palette::Auto, false),
    }
}

fn harness(start: Start) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(NOW);
    let app = App::new(env_in(dir.path(), &clock), start);
    Harness { app, clock, dir }
}

fn study() -> Harness {
    harness(Start::Study(StudyOptions::default()))
}

impl Harness {
    /// Presses keys written like `"␣3"`: each char is a key, with `⏎` Enter, `⎋` Esc, `␣` Space.
    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            let key = match c {
                '⏎' => Key::Enter,
                '⎋' => Key::Esc,
                '␣' => Key::Char(' '),
                '⇥' => Key::Tab,
                c => Key::Char(c),
            };
            self.app.press(key);
        }
    }

    fn study(&self) -> &super::screens::study::Study {
        match self.app.screen() {
            Screen::Study(study) => study,
            _ => panic!("not on the study screen"),
        }
    }

    fn current_id(&self) -> Option<&str> {
        let index = self.study().current_card()?;
        Some(self.app.env().content.cards[index].id.as_str())
    }

    fn store(&self) -> &Store {
        &self.app.env().store
    }

    fn render(&mut self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| self.app.draw(frame)).unwrap();
        terminal.backend().to_string()
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snapshot_all(name: &str, harness: &mut Harness) {
    for (width, height) in SIZES {
        let screen = harness.render(width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
    }
}

// ---- key-driven state ------------------------------------------------------------------------

#[test]
fn grading_saves_at_once_and_moves_on() {
    let mut h = study();
    assert_eq!(h.current_id(), Some("ecs-task-role-purpose"));
    h.keys("3");
    // A grade before the answer is shown does nothing.
    assert_eq!(h.study().counts().done, 0);
    h.keys("␣3");
    assert_eq!(h.study().counts().done, 1);
    assert_eq!(h.current_id(), Some("ecs-agent-registers-instances"));
    let state = h.store().card_state("ecs-task-role-purpose").unwrap();
    assert_eq!(state.phase, Phase::Learning);
    // Saved on disk already: a second store over the same files is refused (locked), so check
    // the log file instead.
    let log = std::fs::read_to_string(h.dir.path().join(crate::store::LOG_FILE)).unwrap();
    assert!(log.contains("ecs-task-role-purpose"));
}

#[test]
fn undo_restores_the_card_and_the_session_counters() {
    let mut h = study();
    h.clock.advance_millis(5_000);
    h.keys("␣1");
    assert_eq!(h.study().counts().again, 1);
    assert!(h.study().counts().spent_ms >= 5_000);
    assert!(h.store().card_state("ecs-task-role-purpose").is_some());
    h.keys("u");
    assert_eq!(h.current_id(), Some("ecs-task-role-purpose"));
    assert_eq!(h.study().counts().done, 0);
    assert_eq!(h.study().counts().again, 0);
    assert_eq!(h.study().counts().spent_ms, 0);
    assert_eq!(h.store().card_state("ecs-task-role-purpose"), None);
    // The Again put the card among the waiting learning cards; undo took it out again.
    assert_eq!(h.study().remaining(), 6);
    h.keys("u");
    assert_eq!(h.app.message(), Some("Nothing to undo in this session."));
}

#[test]
fn bury_hides_the_card_until_tomorrow() {
    let mut h = study();
    let before = h.study().remaining();
    h.keys("b");
    assert_eq!(h.current_id(), Some("ecs-agent-registers-instances"));
    assert_eq!(h.study().remaining(), before - 1);
    assert!(h.store().queue_flags("ecs-task-role-purpose", NOW).buried);
    let tomorrow = Now {
        at: NOW.at.plus_millis(Timestamp::DAY),
        ..NOW
    };
    assert!(
        !h.store()
            .queue_flags("ecs-task-role-purpose", tomorrow)
            .buried
    );
}

#[test]
fn suspend_takes_the_card_out_and_undo_brings_it_back() {
    let mut h = study();
    h.keys("s");
    assert!(h.store().flags("ecs-task-role-purpose").suspended);
    assert_eq!(h.current_id(), Some("ecs-agent-registers-instances"));
    h.keys("u");
    assert!(!h.store().flags("ecs-task-role-purpose").suspended);
    assert_eq!(h.current_id(), Some("ecs-task-role-purpose"));
    // The card that was on screen is next again.
    h.keys("␣3");
    assert_eq!(h.current_id(), Some("ecs-agent-registers-instances"));
}

#[test]
fn flag_toggles_without_leaving_the_card() {
    let mut h = study();
    h.keys("f");
    assert!(h.store().flags("ecs-task-role-purpose").flagged);
    assert_eq!(h.current_id(), Some("ecs-task-role-purpose"));
    h.keys("f");
    assert!(!h.store().flags("ecs-task-role-purpose").flagged);
}

#[test]
fn a_wrong_choice_suggests_again_and_can_be_overridden() {
    let mut h = study();
    h.keys("␣3␣3␣3");
    assert_eq!(h.current_id(), Some("q-ecs-role-for-s3"));
    h.keys("2");
    assert!(matches!(
        h.study().view(),
        Some(View::Answered { correct: false, .. })
    ));
    h.keys("␣");
    assert_eq!(h.study().counts().again, 1);
    assert_eq!(h.current_id(), Some("q-fargate-ecr-pull"));
    // Override: answered, then graded Hard by hand.
    h.keys("u1");
    assert!(matches!(
        h.study().view(),
        Some(View::Answered { correct: true, .. })
    ));
    h.keys("2");
    assert_eq!(h.study().counts().again, 0);
    assert_eq!(h.study().counts().done, 4);
}

#[test]
fn multiple_response_needs_the_exact_set() {
    // Past two basic cards, the cloze and the single choice (answered right, Good accepted).
    let to_multi = "␣3␣3␣31␣";
    let mut h = study();
    h.keys(to_multi);
    assert_eq!(h.current_id(), Some("q-fargate-ecr-pull"));
    // Nothing picked: Enter asks for the picks.
    h.keys("⏎");
    assert!(
        h.app
            .message()
            .is_some_and(|m| m.contains("Pick 2 options"))
    );
    // One of two: not submitted, as in the exam.
    h.keys("1⏎");
    assert!(h.app.message().is_some_and(|m| m.contains("(1 picked)")));
    assert!(matches!(h.study().view(), Some(View::Choosing { .. })));
    h.keys("3⏎");
    assert!(matches!(
        h.study().view(),
        Some(View::Answered { correct: true, .. })
    ));

    let mut h = study();
    h.keys(to_multi);
    // Picking toggles: 3 on and off again, so only 1 and 2 stay picked.
    h.keys("1332⏎");
    assert!(matches!(
        h.study().view(),
        Some(View::Answered { correct: false, .. })
    ));
}

#[test]
fn learning_cards_come_back_when_due() {
    let mut h = study();
    h.keys("␣1");
    // The next six cards first; the Again card waits for its one-minute step, the others for
    // their ten-minute step.
    h.keys("␣3" /* cloze */);
    h.keys("␣3" /* basic */);
    h.keys("1␣" /* single choice */);
    h.keys("13⏎␣" /* multiple response */);
    h.keys("␣3␣3");
    assert_eq!(
        h.study().current_card(),
        None,
        "only the waiting card is left"
    );
    assert!(h.render(80, 24).contains("Next learning card in"));
    h.clock.advance_millis(Timestamp::MINUTE);
    assert!(h.app.tick());
    assert_eq!(h.current_id(), Some("ecs-task-role-purpose"));
}

#[test]
fn cram_logs_without_moving_the_schedule() {
    let mut h = harness(Start::Study(StudyOptions {
        topic: Some("fargate".into()),
        cram: true,
    }));
    let first = h.current_id().map(str::to_string);
    assert_eq!(first.as_deref(), Some("q-fargate-ecr-pull"));
    h.keys("12⏎␣");
    assert_eq!(h.study().counts().again, 1);
    assert_eq!(h.store().card_state("q-fargate-ecr-pull"), None);
    assert_eq!(h.store().today(NOW).cram_done, 1);
}

#[test]
fn topic_selects_the_topic_and_its_subtopics() {
    let h = harness(Start::Study(StudyOptions {
        topic: Some("ecs".into()),
        cram: false,
    }));
    // ecs and ecs/iam cards, not fargate's: 4 in all, one on screen.
    assert_eq!(h.study().remaining() + 1, 4);
}

#[test]
fn ctrl_c_saves_and_quits_from_anywhere() {
    let mut h = study();
    h.keys("?");
    assert!(h.app.help_open());
    h.app.press(Key::Ctrl('c'));
    assert!(h.app.should_quit());
    assert!(h.dir.path().join(crate::store::SNAPSHOT_FILE).exists());
}

#[test]
fn home_menu_opens_study_and_notes_and_says_what_is_not_there() {
    let mut h = harness(Start::Home);
    h.keys("j");
    h.keys("⏎");
    assert_eq!(
        h.app.message(),
        Some("Quiz is not available in this build yet.")
    );
    h.keys("jj⏎");
    assert!(matches!(h.app.screen(), Screen::Notes(_)));
    h.keys("q");
    assert!(matches!(h.app.screen(), Screen::Home(_)));
    h.keys("kkk⏎");
    assert!(matches!(h.app.screen(), Screen::Study(_)));
    h.keys("␣4q");
    // Home's numbers were recomputed on the way back.
    let Screen::Home(home) = h.app.screen() else {
        panic!("not home");
    };
    assert_eq!(home.stats().counts.new_available, 6);
    h.keys("q");
    assert!(h.app.should_quit());
}

#[test]
fn notes_move_between_topics_and_scroll() {
    let mut h = harness(Start::Home);
    h.keys("jjj⏎");
    let notes = |h: &Harness| match h.app.screen() {
        Screen::Notes(notes) => (notes.selected_topic(), notes.scroll()),
        _ => panic!("not notes"),
    };
    let focus = |h: &Harness| match h.app.screen() {
        Screen::Notes(notes) => notes.focus(),
        _ => panic!("not notes"),
    };
    // Opens on the first topic with a note.
    assert_eq!(notes(&h), (1, 0));
    h.render(80, 24);
    assert_eq!(focus(&h), Focus::Tree);
    h.keys("⇥jj");
    assert_eq!(focus(&h), Focus::Note);
    assert_eq!(notes(&h), (1, 2));
    h.keys("⇥j");
    assert_eq!(notes(&h), (2, 0));
    h.keys("⏎");
    let Screen::Cards(list) = h.app.screen() else {
        panic!("not the card list");
    };
    assert_eq!(list.card_count(), 3);
}

// ---- snapshots ---------------------------------------------------------------------------------

#[test]
fn snapshot_home() {
    let mut h = harness(Start::Home);
    snapshot_all("home", &mut h);
}

#[test]
fn snapshot_study_front_and_revealed() {
    let mut h = study();
    snapshot_all("study_front", &mut h);
    h.keys("␣");
    snapshot_all("study_revealed", &mut h);
}

#[test]
fn snapshot_study_cloze() {
    let mut h = study();
    h.keys("␣3");
    snapshot_all("study_cloze_front", &mut h);
    h.keys("␣");
    snapshot_all("study_cloze_revealed", &mut h);
}

#[test]
fn snapshot_study_choice_answered() {
    let mut h = study();
    h.keys("␣3␣3␣3");
    snapshot_all("study_choice", &mut h);
    h.keys("2");
    snapshot_all("study_choice_answered", &mut h);
}

#[test]
fn snapshot_session_summary() {
    let mut h = harness(Start::Study(StudyOptions {
        topic: Some("fargate".into()),
        cram: false,
    }));
    h.clock.advance_millis(12_000);
    h.keys("13⏎␣");
    h.keys("␣1");
    h.keys("␣4");
    snapshot_all("study_summary", &mut h);
}

#[test]
fn snapshot_notes_and_card_list() {
    let mut h = harness(Start::Home);
    h.keys("jjj⏎");
    snapshot_all("notes", &mut h);
    h.keys("⏎");
    snapshot_all("card_list", &mut h);
}

#[test]
fn snapshot_help_overlay() {
    let mut h = study();
    h.keys("?");
    snapshot_all("help", &mut h);
}

#[test]
fn snapshot_too_small() {
    let mut h = harness(Start::Home);
    for (width, height) in [(79, 24), (80, 23), (40, 10)] {
        let screen = h.render(width, height);
        assert!(screen.contains("Terminal too small"), "{screen}");
        insta::assert_snapshot!(format!("too_small_{width}x{height}"), screen);
    }
}
