//! The whole-log replay on two threads. Events of different cards never meet, so each thread
//! replays, in log order, only the cards whose id hashes to it; the halves are then merged (card
//! maps joined, day counters summed, undo stacks interleaved by line). The result is exactly that
//! of the in-order replay in `replay`, which takes over whenever a line does not read cleanly, so
//! an error still names the first bad line.

use std::collections::{HashSet, VecDeque};

use super::log::{self, Event, EventId, EventKind};
use super::progress::{Progress, UNDO_DEPTH};
use crate::hash::{fmix64, fnv_words};
use crate::schedule::Scheduler;

/// What one thread built from its cards.
struct Shard {
    progress: Progress,
    /// The line index of each entry of `progress.undo`, to merge the stacks in log order.
    undo_lines: VecDeque<u64>,
}

/// What the sharded replay found in the log, beside the progress.
pub(crate) struct Replayed {
    pub progress: Progress,
    /// Complete lines after the header.
    pub lines: u64,
    pub last_event: Option<EventId>,
}

/// Replays `whole` (complete lines after the header, each ending in a newline; checksums are
/// checked elsewhere). `None` when any line does not parse: the in-order replay then reports it.
pub(crate) fn replay(whole: &[u8], scheduler: &Scheduler) -> Option<Replayed> {
    let undone = undone_reviews(whole)?;
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| replay_shard(whole, 1, &undone, scheduler));
        let first = replay_shard(whole, 0, &undone, scheduler);
        (first, second.join())
    });
    let (first, lines) = first?;
    let (second, _) = second.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let last_event = match whole.strip_suffix(b"\n") {
        Some(body) => {
            let start = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
            Some(log::parse_checked_line(&body[start..]).ok()?.id)
        }
        None => None,
    };
    Some(Replayed {
        progress: merge(first, second),
        lines,
        last_event,
    })
}

/// The reviews named by undo lines (which start with `undo\t`) of `whole` (complete lines),
/// found without reading the rest; `None` if an undo line does not parse.
pub(crate) fn undone_reviews(whole: &[u8]) -> Option<HashSet<EventId>> {
    let first = whole.starts_with(b"undo\t").then_some(0);
    let later = memchr::memmem::find_iter(whole, b"\nundo\t").map(|newline| newline + 1);
    let mut undone = HashSet::new();
    for start in first.into_iter().chain(later) {
        let rest = &whole[start..];
        let line = &rest[..memchr::memchr(b'\n', rest)?];
        if let EventKind::Undo { review } = log::parse_checked_line(line).ok()?.kind {
            undone.insert(review);
        }
    }
    Some(undone)
}

/// The card a line is about, read without parsing the line.
enum Subject<'a> {
    Card(&'a [u8]),
    Undo,
    /// Too few fields: not an event.
    Unreadable,
}

fn subject(line: &[u8]) -> Subject<'_> {
    // The card id is the fifth field of a review and the fourth of a bury, suspend or flag.
    let field = if line.starts_with(b"review\t") {
        4
    } else if line.starts_with(b"undo\t") {
        return Subject::Undo;
    } else {
        3
    };
    let mut tabs = memchr::memchr_iter(b'\t', line);
    let Some(start) = tabs.nth(field - 1).map(|tab| tab + 1) else {
        return Subject::Unreadable;
    };
    Subject::Card(&line[start..tabs.next().unwrap_or(line.len())])
}

/// Which thread replays the card.
fn shard_of(card_id: &[u8]) -> usize {
    (fmix64(fnv_words(0, card_id)) & 1) as usize
}

/// Replays the events of the cards of `shard`, skipping undone reviews (undo events themselves
/// need no replay: their reviews are left out). Also returns the number of lines.
fn replay_shard(
    whole: &[u8],
    shard: usize,
    undone: &HashSet<EventId>,
    scheduler: &Scheduler,
) -> Option<(Shard, u64)> {
    let mut built = Shard {
        progress: Progress::default(),
        undo_lines: VecDeque::with_capacity(UNDO_DEPTH + 1),
    };
    let mut batch = Vec::with_capacity(BATCH);
    let (lines, _) = log::complete_lines(whole);
    let mut count = 0u64;
    for (index, line) in lines.enumerate() {
        count += 1;
        let card_id = match subject(line) {
            Subject::Card(card_id) => card_id,
            Subject::Undo => continue,
            Subject::Unreadable => return None,
        };
        if shard_of(card_id) != shard {
            continue;
        }
        let event = log::parse_checked_line(line).ok()?;
        if event.kind.card_id().map(str::as_bytes) != Some(card_id) {
            return None;
        }
        if let EventKind::Review { .. } = event.kind
            && undone.contains(&event.id)
        {
            continue;
        }
        batch.push((index as u64, event));
        if batch.len() == BATCH {
            built.apply(&mut batch, scheduler)?;
        }
    }
    built.apply(&mut batch, scheduler)?;
    Some((built, count))
}

/// Events applied together: their cards are looked up first, one after another, so the CPU
/// waits for their entries (rarely in cache among 100,000 cards) at once instead of in turn.
const BATCH: usize = 16;

impl Shard {
    /// Applies and empties `batch` (events with their line index, in log order).
    fn apply(&mut self, batch: &mut Vec<(u64, Event<'_>)>, scheduler: &Scheduler) -> Option<()> {
        for (_, event) in batch.iter() {
            if let Some(card_id) = event.kind.card_id() {
                std::hint::black_box(self.progress.cards.contains_key(card_id));
            }
        }
        for (index, event) in batch.drain(..) {
            if let EventKind::Review { .. } = event.kind {
                self.undo_lines.push_back(index);
                if self.undo_lines.len() > UNDO_DEPTH {
                    self.undo_lines.pop_front();
                }
            }
            // Only an undo can fail, and undo events never get here.
            self.progress.apply(&event, scheduler).ok()?;
        }
        Some(())
    }
}

/// One progress from two built from disjoint sets of cards.
fn merge(first: Shard, second: Shard) -> Progress {
    let mut progress = first.progress;
    progress.cards.extend(second.progress.cards);
    for (day, activity) in &second.progress.days {
        progress.days.entry(*day).or_default().add(activity);
    }
    let mut undo: Vec<_> = first
        .undo_lines
        .into_iter()
        .zip(progress.undo.drain(..))
        .chain(second.undo_lines.into_iter().zip(second.progress.undo))
        .collect();
    undo.sort_by_key(|(line, _)| *line);
    let keep = undo.len().saturating_sub(UNDO_DEPTH);
    progress.undo = undo
        .into_iter()
        .skip(keep)
        .map(|(_, entry)| entry)
        .collect();
    progress
}
