//! The store through its public API: round trips, undo, flags, damage of every kind (each
//! asserting its message and that no file changed), two stores on one dir, and replay
//! determinism. The crash test lives in `store_crash.rs`, its own process.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use deckhand::schedule::{CardState, Grade, Now, Phase, Timestamp};
use deckhand::store::{
    CardFlags, DataPaths, DayActivity, LOG_FILE, SNAPSHOT_FILE, Source, Store, StoreError, checksum,
};
use proptest::prelude::*;

/// 2026-11-23 12:00 UTC.
const T0: i64 = 1_795_435_200_000;

fn at(ms: i64) -> Now {
    Now {
        at: Timestamp(T0 + ms),
        utc_offset_secs: 0,
    }
}

fn open(dir: &Path) -> Store {
    Store::open(dir, at(0)).unwrap()
}

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.insert(path.clone(), b"<dir>".to_vec());
            out.extend(files(&path));
        } else {
            out.insert(path.clone(), fs::read(&path).unwrap());
        }
    }
    out
}

type Picture = (
    Vec<(String, CardState, CardFlags)>,
    BTreeMap<i64, DayActivity>,
);

/// Everything the store derives, in a comparable form.
fn picture(store: &Store) -> Picture {
    let mut cards: Vec<_> = store
        .cards()
        .map(|(id, state, flags)| (id.to_owned(), state.clone(), flags))
        .collect();
    cards.sort_by(|a, b| a.0.cmp(&b.0));
    (cards, store.reviews_per_day().clone())
}

fn study(store: &mut Store, card: &str, grade: Grade, ms: i64) {
    store
        .record_review(card, grade, at(ms), 4_000, Source::Study)
        .unwrap();
}

fn open_err(dir: &Path) -> String {
    Store::open(dir, at(0)).unwrap_err().to_string()
}

/// Opens a store, records a little history, closes it with a snapshot.
fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    study(&mut store, "ecs-task-role", Grade::Good, 0);
    study(&mut store, "ecr-lifecycle", Grade::Again, 1_000);
    study(&mut store, "ecs-task-role", Grade::Good, 700_000);
    store.save_snapshot().unwrap();
    dir
}

#[test]
fn reviews_survive_reopening_with_and_without_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    assert_eq!(store.card_state("ecs-task-role"), None);
    let id = store
        .record_review("ecs-task-role", Grade::Good, at(0), 3_000, Source::Study)
        .unwrap();
    study(&mut store, "ecs-task-role", Grade::Good, 11 * 60_000);
    study(&mut store, "fargate-efs", Grade::Hard, 20_000);
    store.set_flagged("fargate-efs", true, at(30_000)).unwrap();
    let state = store.card_state("ecs-task-role").unwrap().clone();
    assert_eq!(state.phase, Phase::Review);
    assert_eq!(state.reps, 2);
    let before = picture(&store);
    drop(store);

    let log = fs::read_to_string(dir.path().join(LOG_FILE)).unwrap();
    assert!(log.starts_with("deckhand review log\tschema 1\n"));
    assert!(log.contains(&id.to_string()));

    // No snapshot yet: a full replay, which writes one.
    assert!(!dir.path().join(SNAPSHOT_FILE).exists());
    let store = open(dir.path());
    assert_eq!(picture(&store), before);
    assert!(store.warnings().is_empty());
    drop(store);
    assert!(dir.path().join(SNAPSHOT_FILE).exists());

    // From the snapshot, with a tail recorded after it.
    let mut store = open(dir.path());
    assert_eq!(picture(&store), before);
    study(&mut store, "fargate-efs", Grade::Easy, 2 * 86_400_000);
    let after = picture(&store);
    drop(store);
    assert_eq!(picture(&open(dir.path())), after);
}

#[test]
fn undo_restores_the_whole_previous_state_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    study(&mut store, "a", Grade::Good, 0);
    let before = store.card_state("a").unwrap().clone();
    let today_before = store.today(at(0));
    let id = store
        .record_review("a", Grade::Again, at(60_000), 9_000, Source::Study)
        .unwrap();
    assert_ne!(store.card_state("a"), Some(&before));

    let undone = store.undo_last_review(at(61_000)).unwrap().unwrap();
    assert_eq!(undone.id, id);
    assert_eq!(undone.card_id, "a");
    assert_eq!(undone.grade, Grade::Again);
    assert_eq!(undone.previous, before);
    assert_eq!(store.card_state("a"), Some(&before));
    assert_eq!(store.today(at(0)), today_before);

    // Undo the first review too: the card is new again.
    store.undo_last_review(at(62_000)).unwrap().unwrap();
    assert_eq!(store.card_state("a"), None);
    assert_eq!(store.undo_last_review(at(63_000)).unwrap(), None);
    let after = picture(&store);
    drop(store);

    let store = open(dir.path());
    assert_eq!(picture(&store), after);
    assert_eq!(store.card_state("a"), None);
    assert_eq!(store.today(at(0)), DayActivity::default());
}

#[test]
fn bury_suspend_and_flag_persist() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    store.set_buried("b", at(0)).unwrap();
    store.set_suspended("s", true, at(0)).unwrap();
    store.set_flagged("f", true, at(0)).unwrap();
    store.set_flagged("g", true, at(0)).unwrap();
    store.set_flagged("g", false, at(0)).unwrap();
    drop(store);

    let store = open(dir.path());
    let today = store.day_of(at(0));
    assert_eq!(store.flags("b").buried_until_day, Some(today + 1));
    assert!(store.queue_flags("b", at(0)).buried);
    assert!(!store.queue_flags("b", at(86_400_000)).buried);
    assert!(store.flags("s").suspended);
    assert!(store.flags("f").flagged);
    assert_eq!(store.flags("g"), CardFlags::default());
    assert_eq!(store.flags("never-touched"), CardFlags::default());
}

#[test]
fn cram_is_logged_and_counted_but_leaves_the_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    study(&mut store, "a", Grade::Good, 0);
    let state = store.card_state("a").cloned();
    store
        .record_review("a", Grade::Again, at(1_000), 2_000, Source::Cram)
        .unwrap();
    store
        .record_review("new", Grade::Good, at(2_000), 2_000, Source::Cram)
        .unwrap();
    assert_eq!(store.card_state("a").cloned(), state);
    assert_eq!(store.card_state("new"), None);
    let today = store.today(at(0));
    assert_eq!((today.reviews_done, today.cram_done), (1, 2));
    assert_eq!((today.new_introduced, today.again_count), (1, 0));
    assert_eq!(today.time_spent_ms, 8_000);
}

#[test]
fn today_streak_and_retention_count_study_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let day = 86_400_000;
    for d in 0..3 {
        study(&mut store, "a", Grade::Good, d * day);
    }
    assert_eq!(store.streak(at(2 * day)), 3);
    // The next day, before any review, the streak still stands; a day later it is gone.
    assert_eq!(store.streak(at(3 * day)), 3);
    assert_eq!(store.streak(at(4 * day)), 0);
    let today = store.today(at(2 * day));
    assert_eq!((today.reviews_done, today.new_introduced), (1, 0));
    // Day 2's review was of a card in Review and passed.
    assert_eq!(store.true_retention(at(2 * day), 30), Some(1.0));
    let per_day: Vec<u32> = store
        .reviews_per_day()
        .values()
        .map(DayActivity::all_reviews)
        .collect();
    assert_eq!(per_day, vec![1, 1, 1]);
}

#[test]
fn a_torn_final_record_is_ignored_then_cut_before_the_next_append() {
    let dir = seeded();
    let log = dir.path().join(LOG_FILE);
    let complete = fs::read(&log).unwrap();
    let before = picture(&open(dir.path()));
    fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .unwrap()
        .write_all(b"review\t0123")
        .unwrap();
    let torn = fs::read(&log).unwrap();

    let mut store = open(dir.path());
    assert_eq!(picture(&store), before);
    let warning = store.warnings()[0].to_string();
    assert!(warning.contains("incomplete record (11 bytes"), "{warning}");
    assert_eq!(fs::read(&log).unwrap(), torn, "opening must not cut it yet");

    let id = store
        .record_review("x", Grade::Good, at(5_000), 1, Source::Study)
        .unwrap();
    let now = fs::read(&log).unwrap();
    assert!(now.starts_with(&complete));
    let tail = String::from_utf8(now[complete.len()..].to_vec()).unwrap();
    assert!(tail.starts_with(&format!("review\t{id}\t")), "{tail}");
    assert_eq!(tail.matches('\n').count(), 1);
    drop(store);
    assert!(open(dir.path()).warnings().is_empty());
}

/// Damages the log with `damage`, then asserts that opening stops with `expected` and that no
/// file changed.
fn assert_refused(damage: impl FnOnce(&Path), expected: &[&str]) {
    let dir = seeded();
    damage(dir.path());
    let before = files(dir.path());
    let err = open_err(dir.path());
    for part in expected {
        assert!(err.contains(part), "{err:?} lacks {part:?}");
    }
    assert_eq!(files(dir.path()), before);
    // Read-only opening refuses the same way.
    let read_only = Store::open_read_only(&DataPaths::resolve(Some(dir.path())).unwrap(), at(0));
    assert!(read_only.is_err());
    assert_eq!(files(dir.path()), before);
}

fn edit_log(dir: &Path, edit: impl FnOnce(String) -> String) {
    let path = dir.join(LOG_FILE);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, edit(text)).unwrap();
}

#[test]
fn a_bad_checksum_stops_with_file_and_line_and_changes_nothing() {
    assert_refused(
        |dir| {
            edit_log(dir, |t| {
                t.replacen("\tecr-lifecycle\t1\t", "\tecr-lifecycle\t4\t", 1)
            })
        },
        &[
            &format!("{LOG_FILE}:3: the checksum does not match"),
            "deckhand changed no file",
            "Restore reviews.log from a backup",
        ],
    );
}

#[test]
fn a_garbled_line_stops_with_file_and_line() {
    assert_refused(
        |dir| edit_log(dir, |t| format!("{t}hello\n")),
        &[&format!("{LOG_FILE}:5: the line is not a valid event")],
    );
}

#[test]
fn a_garbled_header_stops_and_changes_nothing() {
    assert_refused(
        |dir| {
            edit_log(dir, |t| {
                t.replacen("deckhand review log", "deckhand reviews", 1)
            })
        },
        &[
            &format!("{LOG_FILE}:1: the first line is not a deckhand review-log header"),
            "deckhand changed no file",
        ],
    );
}

#[test]
fn a_newer_log_schema_is_refused_and_the_current_accepted() {
    assert_refused(
        |dir| edit_log(dir, |t| t.replacen("schema 1\n", "schema 2\n", 1)),
        &[
            "was written by a newer deckhand (schema 2; this one reads up to 1)",
            "no file was changed",
        ],
    );
    // The current version opens (what every other test relies on, stated once).
    let dir = seeded();
    assert!(Store::open(dir.path(), at(0)).is_ok());
}

#[test]
fn a_data_dir_that_is_a_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    fs::write(&file, "hello").unwrap();
    let err = open_err(&file);
    assert!(err.contains("is not a directory"), "{err}");
    assert!(err.contains("--data-dir"), "{err}");
    assert_eq!(fs::read(&file).unwrap(), b"hello");
    assert_eq!(files(dir.path()).len(), 1);
}

#[test]
fn a_log_that_cannot_be_read_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(LOG_FILE)).unwrap();
    fs::write(dir.path().join(LOG_FILE).join("keep"), "x").unwrap();
    // A first open creates the lock file; compare from there on.
    let _ = Store::open(dir.path(), at(0));
    let before = files(dir.path());
    let err = open_err(dir.path());
    assert!(err.starts_with("cannot open "), "{err}");
    assert!(err.contains(LOG_FILE), "{err}");
    assert!(err.contains("changed no file"), "{err}");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn a_missing_log_beside_a_snapshot_is_refused() {
    let dir = seeded();
    fs::remove_file(dir.path().join(LOG_FILE)).unwrap();
    let before = files(dir.path());
    let err = open_err(dir.path());
    assert!(err.contains("is missing but"), "{err}");
    assert!(err.contains("restore"), "{err}");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn a_bad_config_is_refused_with_its_place_and_changes_nothing() {
    let dir = seeded();
    fs::write(
        dir.path().join("config.ron"),
        "(\n  desired_retention: 0.95,\n  new_per_day: -3,\n)\n",
    )
    .unwrap();
    let before = files(dir.path());
    let err = open_err(dir.path());
    assert!(err.contains("config.ron:3:"), "{err}");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn a_garbled_snapshot_is_moved_aside_and_rebuilt() {
    let dir = seeded();
    let expected = picture(&open(dir.path()));
    let snapshot = dir.path().join(SNAPSHOT_FILE);
    fs::write(&snapshot, b"{\"schema\":1,\"garbage").unwrap();
    let log_before = fs::read(dir.path().join(LOG_FILE)).unwrap();

    let store = open(dir.path());
    assert_eq!(picture(&store), expected);
    let warning = store.warnings()[0].to_string();
    assert!(warning.contains("could not be read"), "{warning}");
    assert!(
        warning.contains("snapshot.corrupt-20261123T120000Z"),
        "{warning}"
    );
    let moved = dir.path().join("snapshot.corrupt-20261123T120000Z");
    assert_eq!(fs::read(&moved).unwrap(), b"{\"schema\":1,\"garbage");
    assert_eq!(fs::read(dir.path().join(LOG_FILE)).unwrap(), log_before);
    // A fresh snapshot replaced it, not in place of the garbled bytes.
    assert!(fs::read(&snapshot).unwrap().starts_with(
        b"deckhand snapshot	schema 1
"
    ));
}

#[test]
fn a_garbled_snapshot_beside_a_damaged_log_stays_where_it_is() {
    // A line with a valid checksum but no valid event: only the replay finds it.
    let line = "review\tnot-an-id\t0";
    let line = format!("{line}\t{:08x}\n", checksum(line.as_bytes()));
    assert_refused(
        |dir| {
            fs::write(dir.join(SNAPSHOT_FILE), "garbage").unwrap();
            edit_log(dir, |t| t + &line);
        },
        &[&format!(
            "{LOG_FILE}:5: the line is not a valid event (bad id)"
        )],
    );
}

#[test]
fn a_snapshot_of_another_schema_is_rebuilt_without_fuss() {
    let dir = seeded();
    let expected = picture(&open(dir.path()));
    let snapshot = dir.path().join(SNAPSHOT_FILE);
    let text = fs::read_to_string(&snapshot).unwrap();
    fs::write(&snapshot, text.replacen("schema 1\n", "schema 2\n", 1)).unwrap();
    let store = open(dir.path());
    assert_eq!(picture(&store), expected);
    assert!(store.warnings().is_empty());
    drop(store);
    // Replaced by a snapshot of this schema.
    assert!(
        fs::read_to_string(&snapshot)
            .unwrap()
            .starts_with("deckhand snapshot\tschema 1\n")
    );
}

#[test]
fn a_snapshot_from_other_settings_or_another_log_is_not_trusted() {
    let dir = seeded();
    let old = picture(&open(dir.path()));
    fs::write(dir.path().join("config.ron"), "(desired_retention: 0.80)").unwrap();
    let changed = picture(&open(dir.path()));
    assert_ne!(changed, old, "retention 0.80 gives other intervals");
    fs::remove_file(dir.path().join(SNAPSHOT_FILE)).unwrap();
    assert_eq!(picture(&open(dir.path())), changed);

    // A snapshot paired with another log of the same shape (same settings) is ignored.
    let (mine, theirs) = (seeded(), seeded());
    fs::copy(
        mine.path().join(SNAPSHOT_FILE),
        theirs.path().join(SNAPSHOT_FILE),
    )
    .unwrap();
    let from_their_log = picture(&open(theirs.path()));
    fs::remove_file(theirs.path().join(SNAPSHOT_FILE)).unwrap();
    assert_eq!(from_their_log, picture(&open(theirs.path())));
    assert_ne!(
        fs::read(mine.path().join(SNAPSHOT_FILE)).unwrap(),
        fs::read(theirs.path().join(SNAPSHOT_FILE)).unwrap()
    );
}

#[test]
fn a_second_store_on_the_same_dir_is_refused_untouched() {
    let dir = seeded();
    let _first = open(dir.path());
    let before = files(dir.path());
    let err = open_err(dir.path());
    assert_eq!(
        err,
        format!(
            "another deckhand is already using {} (pid {}); close it first",
            dir.path().display(),
            std::process::id()
        )
    );
    assert_eq!(files(dir.path()), before);
    // Reading without the lock still works.
    let paths = DataPaths::resolve(Some(dir.path())).unwrap();
    let reader = Store::open_read_only(&paths, at(0)).unwrap();
    assert!(reader.card_state("ecs-task-role").is_some());
    assert_eq!(files(dir.path()), before);
}

#[test]
fn a_card_id_that_cannot_be_logged_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let err = store
        .record_review("a\tb", Grade::Good, at(0), 1, Source::Study)
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidCardId { .. }));
}

#[derive(Debug, Clone)]
enum Op {
    Review(u8, Grade, Source),
    Undo,
    Bury(u8),
    Suspend(u8, bool),
    Flag(u8, bool),
    Snapshot,
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    let grade = prop_oneof![
        Just(Grade::Again),
        Just(Grade::Hard),
        Just(Grade::Good),
        Just(Grade::Easy)
    ];
    let source = prop_oneof![
        6 => Just(Source::Study),
        1 => Just(Source::Quiz),
        1 => Just(Source::Cram)
    ];
    prop_oneof![
        8 => (0u8..4, grade, source).prop_map(|(c, g, s)| Op::Review(c, g, s)),
        2 => Just(Op::Undo),
        1 => (0u8..4).prop_map(Op::Bury),
        1 => (0u8..4, any::<bool>()).prop_map(|(c, b)| Op::Suspend(c, b)),
        1 => (0u8..4, any::<bool>()).prop_map(|(c, b)| Op::Flag(c, b)),
        1 => Just(Op::Snapshot),
        1 => Just(Op::Reopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever happened, the progress in memory, the progress reopened from the snapshot and
    /// tail, and the progress replayed from the log alone are the same.
    #[test]
    fn replaying_the_log_always_gives_the_same_progress(
        ops in prop::collection::vec((op(), 0i64..3 * 86_400_000), 1..24)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(dir.path());
        let mut t = 0;
        for (op, gap) in ops {
            t += gap;
            let card = |c: u8| format!("card-{c}");
            match op {
                Op::Review(c, g, s) => { store.record_review(&card(c), g, at(t), 1_000, s).unwrap(); }
                Op::Undo => { store.undo_last_review(at(t)).unwrap(); }
                Op::Bury(c) => store.set_buried(&card(c), at(t)).unwrap(),
                Op::Suspend(c, b) => store.set_suspended(&card(c), b, at(t)).unwrap(),
                Op::Flag(c, b) => store.set_flagged(&card(c), b, at(t)).unwrap(),
                Op::Snapshot => store.save_snapshot().unwrap(),
                Op::Reopen => {
                    let expected = picture(&store);
                    drop(store);
                    store = open(dir.path());
                    prop_assert_eq!(picture(&store), expected);
                }
            }
        }
        let expected = picture(&store);
        drop(store);
        prop_assert_eq!(picture(&open(dir.path())), expected.clone());
        let _ = fs::remove_file(dir.path().join(SNAPSHOT_FILE));
        prop_assert_eq!(picture(&open(dir.path())), expected);
    }
}
