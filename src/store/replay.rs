//! Reading the log at start-up: the header check, deciding whether the snapshot can be trusted,
//! and replaying events into progress — only the tail after a good snapshot, or everything.
//! Nothing here writes, except moving a garbled snapshot aside and creating a missing log.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::SNAPSHOT_EVERY;
use super::error::{StoreError, StoreWarning};
use super::log::{self, Event, EventId, EventKind, LOG_SCHEMA, LineProblem};
use super::progress::Progress;
use super::sharded;
use super::snapshot::{self, Loaded, LogPosition, Snapshot};
use crate::fsio::write_atomic;
use crate::schedule::{Now, Scheduler};

/// Where a replay ended.
#[derive(Debug)]
pub(crate) struct ReplayEnd {
    pub position: LogPosition,
    /// Bytes after the last complete line: a record torn by a crash.
    pub torn_bytes: u64,
    pub events_replayed: u32,
    /// The snapshot on disk (if any) no longer matches: write a new one.
    pub snapshot_outdated: bool,
}

const LINE_FIX: &str = "Restore reviews.log from a backup; or copy it somewhere safe, delete that \
                        one line (its event is lost) and start deckhand again.";

fn damaged(path: &Path, line: u64, problem: &LineProblem) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        line: line as usize,
        problem: problem.to_string(),
        fix: LINE_FIX,
    }
}

/// Opens the log (for appending too when `writable`); `None` when there is none yet.
pub(crate) fn open_log(path: &Path, writable: bool) -> Result<Option<File>, StoreError> {
    match OpenOptions::new().read(true).append(writable).open(path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io("open", path, e)),
    }
}

/// Creates an empty log (just the header) atomically and opens it for appending.
pub(crate) fn create_log(path: &Path) -> Result<File, StoreError> {
    write_atomic(path, log::header_line().as_bytes())?;
    OpenOptions::new()
        .read(true)
        .append(true)
        .open(path)
        .map_err(|e| StoreError::io("open", path, e))
}

pub(crate) fn empty_position() -> LogPosition {
    LogPosition {
        offset: log::header_line().len() as u64,
        lines: 1,
        last_event: None,
    }
}

/// Checks the first line and returns its length with the newline. This build knows only schema
/// 1, so there is no older version to migrate yet; a future schema 2 adds its `migrate` step
/// here, keyed by the version found.
pub(crate) fn check_header(file: &mut File, path: &Path) -> Result<u64, StoreError> {
    let mut start = Vec::with_capacity(64);
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.by_ref().take(256).read_to_end(&mut start))
        .map_err(|e| StoreError::io("read", path, e))?;
    let garbled = || StoreError::Damaged {
        path: path.to_path_buf(),
        line: 1,
        problem: "the first line is not a deckhand review-log header \
                  (\"deckhand review log<TAB>schema N\")"
            .into(),
        fix: "If this file is not deckhand's, move it out of the data dir; otherwise restore it \
              from a backup.",
    };
    let end = start.iter().position(|&b| b == b'\n').ok_or_else(garbled)?;
    match log::parse_header(&start[..end]) {
        Some(LOG_SCHEMA) => Ok(end as u64 + 1),
        Some(found) if found > LOG_SCHEMA => Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: LOG_SCHEMA,
        }),
        _ => Err(garbled()),
    }
}

/// The whole file. A large one is read as two halves at once (through a second handle): on two
/// cores that halves the 90 ms a 90 MB log took, most of it the kernel filling fresh pages.
pub(crate) fn read_all(file: &mut File, path: &Path) -> Result<Vec<u8>, StoreError> {
    const READ_IN_HALVES_FROM: u64 = 4 << 20;
    let read_err = |e| StoreError::io("read", path, e);
    let len = file.metadata().map_err(read_err)?.len();
    let mut bytes = Vec::new();
    if len >= READ_IN_HALVES_FROM
        && let Ok(len) = usize::try_from(len)
        && let Ok(mut second) = File::open(path)
    {
        bytes = vec![0; len];
        let (front, back) = bytes.split_at_mut(len / 2);
        let front_len = front.len() as u64;
        let halves = std::thread::scope(|scope| {
            let back_read = scope.spawn(move || {
                second.seek(SeekFrom::Start(front_len))?;
                second.read_exact(back)
            });
            let front_read = file
                .seek(SeekFrom::Start(0))
                .and_then(|_| file.read_exact(front));
            front_read.and(
                back_read
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            )
        });
        // The file may have been cut since (a read-only open beside a writer): read it plainly.
        if halves.is_err() {
            bytes.clear();
        }
    }
    // Whatever is there beyond (or, when not read in halves, everything).
    file.seek(SeekFrom::Start(bytes.len() as u64))
        .and_then(|_| file.read_to_end(&mut bytes))
        .map_err(read_err)?;
    Ok(bytes)
}

/// What start-up makes of the snapshot on disk.
pub(crate) enum SnapshotUse {
    /// Trusted: replay only the log after it.
    Use(Box<Snapshot>),
    /// Missing, of another schema, made with other settings or for another log: rebuild.
    Rebuild,
    /// Not a snapshot (why): rebuild, and move the file aside once the log has replayed.
    Garbled(String),
}

/// The snapshot, if it can be trusted: this schema, made with the same settings, and the log up
/// to its position is still the log it was made from.
pub(crate) fn judge_snapshot(loaded: Loaded, fingerprint: &str, log: &[u8]) -> SnapshotUse {
    match loaded {
        Loaded::Missing | Loaded::OtherSchema => SnapshotUse::Rebuild,
        Loaded::Garbled(why) => SnapshotUse::Garbled(why),
        Loaded::Current(snapshot)
            if snapshot.fingerprint == fingerprint && anchor_holds(log, &snapshot.position) =>
        {
            SnapshotUse::Use(snapshot)
        }
        Loaded::Current(_) => SnapshotUse::Rebuild,
    }
}

/// Deals with a garbled snapshot after the log replayed without error: moved aside (when
/// `writable`, content untouched), with a warning either way.
pub(crate) fn set_aside_garbled(
    path: &Path,
    why: &str,
    writable: bool,
    now: Now,
) -> Result<StoreWarning, StoreError> {
    let what = if writable {
        let moved = snapshot::move_aside(path, &corrupt_stamp(now))?;
        format!("moved it to {}", moved.display())
    } else {
        "left it in place".to_owned()
    };
    Ok(StoreWarning(format!(
        "{} could not be read ({why}); {what} and rebuilt your progress from the review log",
        path.display()
    )))
}

/// Whether the log still holds, just before `position.offset`, the event the snapshot saw last.
fn anchor_holds(log: &[u8], position: &LogPosition) -> bool {
    let Ok(offset) = usize::try_from(position.offset) else {
        return false;
    };
    let Some(last_event) = &position.last_event else {
        return position.offset == empty_position().offset && log.len() >= offset;
    };
    let Some(body) = log.get(..offset).and_then(|b| b.strip_suffix(b"\n")) else {
        return false;
    };
    let line = match body.iter().rposition(|&b| b == b'\n') {
        Some(i) => &body[i + 1..],
        None => return false,
    };
    log::parse_line(line).is_ok_and(|event| event.id == *last_event)
}

/// Checks the checksum of every complete line, so damage anywhere in the log is caught at
/// start-up even when the snapshot means only the tail is replayed.
pub(crate) fn verify_all(log: &[u8], header_len: u64, path: &Path) -> Result<(), StoreError> {
    let body = log.get(header_len as usize..).unwrap_or_default();
    let (lines, _) = log::complete_lines(body);
    for (i, line) in lines.enumerate() {
        log::verify_checksum(line).map_err(|p| damaged(path, i as u64 + 2, &p))?;
    }
    Ok(())
}

/// `snapshot.corrupt-<UTC time>`'s time part, e.g. `20261123T161400Z`.
fn corrupt_stamp(now: Now) -> String {
    jiff::Timestamp::from_millisecond(now.at.0)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|_| now.at.0.to_string())
}

/// Replays the lines after a snapshot (their checksums already checked by [`verify_all`]).
/// `Ok(None)` when an undo in them cannot be applied on top of the snapshot (merged or edited
/// log): the caller replays everything instead.
pub(crate) fn apply_tail(
    tail: &[u8],
    path: &Path,
    start: LogPosition,
    progress: &mut Progress,
    scheduler: &Scheduler,
) -> Result<Option<ReplayEnd>, StoreError> {
    let (lines, torn) = log::complete_lines(tail);
    let mut position = start;
    let mut events_replayed = 0u32;
    for line in lines {
        let event =
            log::parse_checked_line(line).map_err(|p| damaged(path, position.lines + 1, &p))?;
        if progress.apply(&event, scheduler).is_err() {
            return Ok(None);
        }
        position.offset += line.len() as u64 + 1;
        position.lines += 1;
        position.last_event = Some(event.id);
        events_replayed = events_replayed.saturating_add(1);
    }
    Ok(Some(ReplayEnd {
        position,
        torn_bytes: torn.len() as u64,
        events_replayed,
        snapshot_outdated: events_replayed >= SNAPSHOT_EVERY,
    }))
}

/// Replays the whole log (`all` is the file, header included): on two threads (see
/// [`sharded`]) unless a line does not read, then in order, which names the first bad line.
pub(crate) fn full(
    all: &[u8],
    header_len: u64,
    path: &Path,
    scheduler: &Scheduler,
) -> Result<(Progress, ReplayEnd), StoreError> {
    let body = all.get(header_len as usize..).unwrap_or_default();
    let (whole, torn) = body.split_at(memchr::memrchr(b'\n', body).map_or(0, |i| i + 1));
    match sharded::replay(whole, scheduler) {
        Some(replayed) => Ok((
            replayed.progress,
            ReplayEnd {
                position: LogPosition {
                    offset: header_len + whole.len() as u64,
                    lines: 1 + replayed.lines,
                    last_event: replayed.last_event,
                },
                torn_bytes: torn.len() as u64,
                events_replayed: u32::try_from(replayed.lines).unwrap_or(u32::MAX),
                snapshot_outdated: true,
            },
        )),
        None => full_in_order(all, header_len, path, scheduler),
    }
}

/// The straightforward whole-log replay: every event that counts, applied in log order.
pub(crate) fn full_in_order(
    all: &[u8],
    header_len: u64,
    path: &Path,
    scheduler: &Scheduler,
) -> Result<(Progress, ReplayEnd), StoreError> {
    let mut progress = Progress::default();
    let mut end = walk_effective(all, header_len, path, |event| {
        // Undone reviews and undo events are already filtered out, so nothing can fail here.
        let _ = progress.apply(event, scheduler);
    })?;
    end.snapshot_outdated = true;
    Ok((progress, end))
}

/// Calls `each` on every event of the log that still counts, in log order: undo events and the
/// reviews they undid are left out, which gives the same progress as applying them one by one.
/// The caller has checked every line's checksum ([`verify_all`]); on an error, whatever `each`
/// built is to be thrown away.
pub(crate) fn walk_effective(
    all: &[u8],
    header_len: u64,
    path: &Path,
    mut each: impl FnMut(&Event<'_>),
) -> Result<ReplayEnd, StoreError> {
    let body = all.get(header_len as usize..).unwrap_or_default();
    let (lines, torn) = log::complete_lines(body);
    // First the (few) undo lines, so the reviews they undo can be skipped. If one does not
    // parse, the walk below stops at the first bad line and names it.
    let undone = sharded::undone_reviews(&body[..body.len() - torn.len()]).unwrap_or_default();
    let mut last_event: Option<EventId> = None;
    let mut count = 0u64;
    for (i, line) in lines.enumerate() {
        let event = log::parse_checked_line(line).map_err(|p| damaged(path, i as u64 + 2, &p))?;
        last_event = Some(event.id);
        count += 1;
        let skip = match event.kind {
            EventKind::Undo { .. } => true,
            EventKind::Review { .. } => !undone.is_empty() && undone.contains(&event.id),
            _ => false,
        };
        if !skip {
            each(&event);
        }
    }
    let consumed = (body.len() - torn.len()) as u64;
    Ok(ReplayEnd {
        position: LogPosition {
            offset: header_len + consumed,
            lines: 1 + count,
            last_event,
        },
        torn_bytes: torn.len() as u64,
        events_replayed: u32::try_from(count).unwrap_or(u32::MAX),
        snapshot_outdated: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Grade, SchedulerConfig, Timestamp};
    use crate::store::log::Source;
    use proptest::prelude::*;

    const T0: i64 = 1_795_435_200_000;

    /// One generated event: what it is, its card, how long after the previous one, and the
    /// review an undo takes back (counted back from the newest review).
    #[derive(Debug, Clone)]
    enum Step {
        Review(Grade, Source),
        Undo(usize),
        Bury,
        Suspend(bool),
        Flag(bool),
    }

    fn step() -> impl Strategy<Value = Step> {
        let grade = prop::sample::select(Grade::ALL.to_vec());
        let source = prop::sample::select(vec![
            Source::Study,
            Source::Study,
            Source::Quiz,
            Source::Scenario,
            Source::Cram,
        ]);
        prop_oneof![
            12 => (grade, source).prop_map(|(g, s)| Step::Review(g, s)),
            2 => (0usize..3).prop_map(Step::Undo),
            1 => Just(Step::Bury),
            1 => any::<bool>().prop_map(Step::Suspend),
            1 => any::<bool>().prop_map(Step::Flag),
        ]
    }

    /// A log of `steps` (header included), its lines written as the store writes them.
    fn log_of(steps: &[(Step, u8, i64, i32)]) -> Vec<u8> {
        let mut text = log::header_line();
        let mut reviews = Vec::new();
        let mut at = T0;
        for (n, (step, card, gap, offset)) in steps.iter().enumerate() {
            at += gap;
            let card_id = format!("card-{card}");
            let card_id = card_id.as_str();
            let id =
                EventId((n as u128 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
            let kind = match *step {
                Step::Review(grade, source) => {
                    reviews.push(id);
                    EventKind::Review {
                        card_id,
                        utc_offset_secs: *offset,
                        grade,
                        duration_ms: 2_000 + n as u32,
                        source,
                    }
                }
                Step::Undo(back) => match reviews.len().checked_sub(back + 1) {
                    Some(i) => EventKind::Undo { review: reviews[i] },
                    None => EventKind::Flag { card_id },
                },
                Step::Bury => EventKind::Bury {
                    card_id,
                    until_day: at / Timestamp::DAY + 1,
                },
                Step::Suspend(true) => EventKind::Suspend { card_id },
                Step::Suspend(false) => EventKind::Unsuspend { card_id },
                Step::Flag(true) => EventKind::Flag { card_id },
                Step::Flag(false) => EventKind::Unflag { card_id },
            };
            text.push_str(
                &Event {
                    id,
                    at: Timestamp(at),
                    kind,
                }
                .to_line(),
            );
        }
        text.into_bytes()
    }

    #[test]
    fn a_large_file_reads_whole_in_halves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(super::super::LOG_FILE);
        let bytes: Vec<u8> = (0..(5u32 << 20) + 7)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(&path, &bytes).unwrap();
        let mut file = File::open(&path).unwrap();
        assert_eq!(read_all(&mut file, &path).unwrap(), bytes);
        std::fs::write(&path, &bytes[..1000]).unwrap();
        let mut file = File::open(&path).unwrap();
        assert_eq!(read_all(&mut file, &path).unwrap(), &bytes[..1000]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The two-thread replay gives exactly the progress (undo stack and day counters
        /// included) and the end of the in-order one, on logs longer than the undo stack with
        /// undos, cram, marks and reviews hours or days apart in different time zones.
        #[test]
        fn the_sharded_replay_equals_the_in_order_one(
            steps in prop::collection::vec(
                (step(), 0u8..24, 0i64..2 * Timestamp::DAY, prop_oneof![Just(0), Just(-18_000), Just(34_200)]),
                0..320,
            ),
            torn in prop::option::of("[a-z\t]{1,20}"),
        ) {
            let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
            let mut log = log_of(&steps);
            if let Some(torn) = torn {
                log.extend_from_slice(torn.as_bytes());
            }
            let header_len = log::header_line().len() as u64;
            let path = Path::new("reviews.log");
            let (fast, fast_end) = full(&log, header_len, path, &scheduler).unwrap();
            let (slow, slow_end) = full_in_order(&log, header_len, path, &scheduler).unwrap();
            let whole = log.len() - slow_end.torn_bytes as usize;
            let sharded = sharded::replay(&log[header_len as usize..whole], &scheduler);
            prop_assert!(sharded.is_some(), "the sharded replay refused a good log");
            prop_assert_eq!(&fast, &slow);
            prop_assert_eq!(fast_end.position, slow_end.position);
            prop_assert_eq!(fast_end.torn_bytes, slow_end.torn_bytes);
            prop_assert_eq!(fast_end.events_replayed, slow_end.events_replayed);
        }
    }
}
