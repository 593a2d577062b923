//! Budgets of PRODUCT.md for progress: start with 100,000 cards and 1,000,000 logged reviews
//! under 500 ms (from the snapshot, and replaying the whole log), a review's save under 5 ms.
//!
//! The log is generated in its documented line format: every card reviewed every ~104 days over
//! ~3 years, one review in ten graded Again.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use deckhand::schedule::{Grade, Now, Timestamp};
use deckhand::store::{DataPaths, LOG_FILE, SNAPSHOT_FILE, Source, Store, checksum};

const CARDS: u64 = 100_000;
const REVIEWS: u64 = 1_000_000;
const T0: i64 = 1_700_000_000_000;

fn main() {
    // Generate both directories before measuring, so no sample includes the set-up.
    big();
    big_no_snapshot();
    divan::main();
    // Statics are never dropped: remove the generated directories (~120 MB each) here.
    for dir in [BIG.get(), BIG_NO_SNAPSHOT.get()].into_iter().flatten() {
        let _ = fs::remove_dir_all(dir.path());
    }
}

fn now() -> Now {
    Now {
        at: Timestamp(T0 + REVIEWS as i64 * 90_000),
        utc_offset_secs: 0,
    }
}

fn write_log(dir: &Path) {
    let mut text = String::from("deckhand review log\tschema 1\n");
    let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
    let mut line = String::new();
    for i in 0..REVIEWS {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let grade = if rng.is_multiple_of(10) { 1 } else { 3 };
        let id = (u128::from(rng) << 64) | u128::from(i);
        let at = T0 + i as i64 * 90_000;
        line.clear();
        let _ = write!(
            line,
            "review\t{id:032x}\t{at}\t0\tcard-{:06}\t{grade}\t{}\tstudy",
            i % CARDS,
            3_000 + rng % 5_000
        );
        let sum = checksum(line.as_bytes());
        let _ = writeln!(text, "{line}\t{sum:08x}");
    }
    fs::write(dir.join(LOG_FILE), text).expect("write the generated log");
}

/// A data dir with the generated log and a snapshot covering all of it.
static BIG: OnceLock<tempfile::TempDir> = OnceLock::new();

fn big() -> &'static Path {
    BIG.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        write_log(dir.path());
        // A writable open replays everything and writes the snapshot.
        drop(Store::open(dir.path(), now()).expect("open the generated store"));
        assert!(dir.path().join(SNAPSHOT_FILE).exists());
        dir
    })
    .path()
}

/// Same log, no snapshot: start-up must replay all of it.
static BIG_NO_SNAPSHOT: OnceLock<tempfile::TempDir> = OnceLock::new();

fn big_no_snapshot() -> &'static Path {
    BIG_NO_SNAPSHOT
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            write_log(dir.path());
            dir
        })
        .path()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn start_100k_cards_1m_reviews_from_snapshot() {
    let store = Store::open(big(), now()).expect("open");
    assert_eq!(store.cards().count(), CARDS as usize);
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn start_100k_cards_1m_reviews_replaying_the_whole_log() {
    let paths = DataPaths::resolve(Some(big_no_snapshot())).expect("paths");
    let store = Store::open_read_only(&paths, now()).expect("open");
    assert_eq!(store.cards().count(), CARDS as usize);
}

#[divan::bench(sample_count = 200)]
fn save_one_review(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(dir.path(), now()).expect("open");
    let mut i = 0u32;
    bencher.bench_local(|| {
        i += 1;
        store
            .record_review(
                &format!("card-{}", i % 500),
                Grade::Good,
                now(),
                3_000,
                Source::Study,
            )
            .expect("save")
    });
}
