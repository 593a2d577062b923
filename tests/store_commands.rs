//! `deckhand optimize` as a process: it declines without enough history, and with enough it
//! saves parameters that the next start schedules with.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use deckhand::schedule::Grade;
use deckhand::schedule::{Now, Timestamp};
use deckhand::store::{LOG_FILE, PARAMETERS_FILE, Source, Store, checksum};

fn deckhand(data_dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_deckhand"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A log in the documented format: `cards` cards reviewed on days 0, 1, 3, 7, 15 and 31.
fn write_history(dir: &Path, cards: u64) {
    let mut text = String::from("deckhand review log\tschema 1\n");
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    for (n, day) in [0i64, 1, 3, 7, 15, 31].into_iter().enumerate() {
        for card in 0..cards {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let grade = [1, 2, 3, 3, 3, 3, 3, 4][(rng % 8) as usize];
            let at = 1_700_000_000_000 + day * 86_400_000 + card as i64 * 1_000;
            let id = (u128::from(rng) << 16) | (n as u128 * 10_000 + u128::from(card));
            let line = format!("review\t{id:032x}\t{at}\t0\tcard-{card}\t{grade}\t3000\tstudy");
            let _ = writeln!(text, "{line}\t{:08x}", checksum(line.as_bytes()));
        }
    }
    fs::write(dir.join(LOG_FILE), text).unwrap();
}

#[test]
fn optimize_declines_without_enough_history() {
    let dir = tempfile::tempdir().unwrap();
    write_history(dir.path(), 20);
    let (ok, _, stderr) = deckhand(dir.path(), &["optimize"]);
    assert!(!ok);
    assert!(stderr.contains("not enough history"), "{stderr}");
    assert!(stderr.contains("100 reviews"), "{stderr}");
    assert!(!dir.path().join(PARAMETERS_FILE).exists());
}

#[test]
fn optimize_saves_parameters_the_next_start_uses() {
    let dir = tempfile::tempdir().unwrap();
    write_history(dir.path(), 150);
    let (ok, stdout, stderr) = deckhand(dir.path(), &["optimize"]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("Fitted FSRS-6 parameters to 750 reviews."),
        "{stdout}"
    );
    assert!(stdout.contains("Log loss on those reviews"), "{stdout}");
    // This history is deterministic and the fit beats the defaults on it.
    assert!(stdout.contains("Saved to"), "{stdout}");
    let text = fs::read_to_string(dir.path().join(PARAMETERS_FILE)).unwrap();
    assert!(text.contains("schema: 1"), "{text}");
    let now = Now {
        at: Timestamp(1_800_000_000_000),
        utc_offset_secs: 0,
    };
    let store = Store::open(dir.path(), now).unwrap();
    assert_ne!(
        store.scheduler().config().parameters,
        deckhand::schedule::SchedulerConfig::default().parameters
    );
}

#[test]
fn stats_reports_the_content_cards_as_json_and_text() {
    let data = tempfile::tempdir().unwrap();
    let content = tempfile::tempdir().unwrap();
    fs::create_dir(content.path().join("decks")).unwrap();
    let card = |id: &str| {
        format!("(id: \"{id}\", topics: [\"ecs\"], kind: Basic(front: \"Q {id}?\", back: \"A.\")),")
    };
    fs::write(
        content.path().join("decks/mine.ron"),
        format!(
            "(title: \"Mine\", cards: [{} {} {}])",
            card("one"),
            card("two"),
            card("three")
        ),
    )
    .unwrap();
    let now = deckhand_now();
    let mut store = Store::open(data.path(), now).unwrap();
    store
        .record_review("one", Grade::Good, now, 2_000, Source::Study)
        .unwrap();
    store.set_suspended("two", true, now).unwrap();
    drop(store);
    let before = fs::read(data.path().join(LOG_FILE)).unwrap();

    let content_arg = content.path().to_str().unwrap();
    let (ok, stdout, stderr) =
        deckhand(data.path(), &["--content", content_arg, "stats", "--json"]);
    assert!(ok, "{stderr}");
    // The bundled course is loaded too, so only our three cards' effects are asserted exactly.
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["learning"], 1, "{stdout}");
    assert_eq!(json["reviews_today"], 1);
    assert_eq!(json["by_state"]["learning"], 1);
    assert_eq!(json["by_state"]["suspended"], 1);
    assert!(json["by_state"]["new"].as_u64().unwrap() >= 1);
    assert!(json["new_available"].as_u64().unwrap() >= 1);
    assert_eq!(json["desired_retention"], 0.9);
    assert_eq!(json["streak_days"], 1);
    assert!(json["retention_30d"].is_null());
    let (ok, stdout, _) = deckhand(data.path(), &["--content", content_arg, "stats"]);
    assert!(ok);
    assert!(
        stdout.contains(" new, 1 learning, 0 review, 0 relearning, 1 suspended"),
        "{stdout}"
    );
    // Read-only: the log is as it was.
    assert_eq!(fs::read(data.path().join(LOG_FILE)).unwrap(), before);
}

/// The real clock and time zone, as the binary sees them, so "today" is the same day.
fn deckhand_now() -> Now {
    let now = jiff::Timestamp::now();
    Now {
        at: Timestamp(now.as_millisecond()),
        utc_offset_secs: jiff::tz::TimeZone::system().to_offset(now).seconds(),
    }
}

#[test]
fn a_second_process_is_turned_away_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write_history(dir.path(), 3);
    let held = Store::open(dir.path(), deckhand_now()).unwrap();
    let snapshot = |dir: &Path| {
        let mut files: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let bytes = fs::read(&path).unwrap();
                (path, bytes)
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(dir.path());
    let (ok, _, stderr) = deckhand(dir.path(), &["optimize"]);
    assert!(!ok);
    assert_eq!(
        stderr,
        format!(
            "deckhand: another deckhand is already using {} (pid {}); close it first\n",
            dir.path().display(),
            std::process::id()
        )
    );
    assert_eq!(snapshot(dir.path()), before);
    drop(held);
}
