//! Crash safety: a child process appends reviews until SIGKILL; every review it acknowledged
//! must be in the log and the store must open. Its own test binary, because the children are
//! forked from this process and a fork briefly shares every open lock with the child.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use deckhand::schedule::{Grade, Now, Timestamp};
use deckhand::store::{LOG_FILE, Source, Store};

fn at(ms: i64) -> Now {
    Now {
        at: Timestamp(1_795_435_200_000 + ms),
        utc_offset_secs: 0,
    }
}

const CRASH_DIR_ENV: &str = "DECKHAND_TEST_CRASH_DIR";

/// Run only as the child of `acknowledged_reviews_survive_sigkill`: appends until killed,
/// printing each acknowledged id.
#[test]
#[ignore = "child process of acknowledged_reviews_survive_sigkill"]
fn crash_child_appends_until_killed() {
    let dir = std::env::var_os(CRASH_DIR_ENV).expect("run by the crash test");
    let mut store = Store::open(Path::new(&dir), at(0)).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let card = format!("card-{}", i % 50);
        let id = store
            .record_review(&card, Grade::Good, at(i * 1_000), 10, Source::Study)
            .unwrap();
        writeln!(out, "ack {id}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn acknowledged_reviews_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut acknowledged = Vec::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _round in 0..25 {
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "crash_child_appends_until_killed",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CRASH_DIR_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ack ").map(str::to_owned))
                .filter(|id| id.len() == 32)
                .collect::<Vec<_>>()
        });
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(30 + seed % 120));
        child.kill().unwrap();
        child.wait().unwrap();
        acknowledged.extend(reader.join().unwrap());
        // The store opens after every crash (a torn record, if any, is only warned about).
        drop(Store::open(dir.path(), at(0)).unwrap());
    }
    assert!(
        acknowledged.len() > 25,
        "the child barely ran: {}",
        acknowledged.len()
    );
    let log = std::fs::read_to_string(dir.path().join(LOG_FILE)).unwrap();
    for id in &acknowledged {
        assert!(
            log.contains(&format!("\t{id}\t")),
            "acknowledged {id} is missing"
        );
    }
}
