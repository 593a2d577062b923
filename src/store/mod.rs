//! User progress on disk: the append-only review log (the source of truth), the snapshot derived
//! from it, `config.ron` and `parameters.ron`. The only module that writes user data: appends are
//! fsync'd before they are acknowledged, every other write is atomic, and a file deckhand cannot
//! read is reported and left exactly as it was.
//!
//! Files in the data dir: `reviews.log`, `snapshot.tsv`, `parameters.ron`, `deckhand.lock`, and
//! `config.ron` when the data dir was given explicitly (otherwise it lives in the platform's config
//! dir), so a throwaway data dir is hermetic.

mod config;
mod error;
mod fsio;
mod history;
mod log;
mod params;
mod progress;
mod replay;
mod sharded;
mod snapshot;
mod stats;

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::hash::checksum;
pub use crate::schedule::{FitError, FitReport, LoggedReview, MIN_REVIEWS_TO_FIT, fit_parameters};
pub use config::{CONFIG_SCHEMA, Config, Theme};
pub use error::{StoreError, StoreWarning};
pub use history::{LockedHistory, read_history};
pub use log::{EventId, LOG_SCHEMA, ReviewId, Source};
pub use params::{FittedParameters, PARAMETERS_SCHEMA};
pub use progress::{CardFlags, DayActivity, TodayCounts, UNDO_DEPTH, UndoneReview};
pub use snapshot::SNAPSHOT_SCHEMA;
pub use stats::{ByState, Stats};

use crate::schedule::{
    self, CardState, DailyLimits, DailyQueue, DoneToday, Grade, Now, Phase, QueueCard, Scheduler,
    SchedulerConfig, day_number,
};
use fsio::DirLock;
use log::{Event, EventKind};
use progress::Progress;
use snapshot::LogPosition;

pub const LOG_FILE: &str = "reviews.log";
pub const SNAPSHOT_FILE: &str = "snapshot.tsv";
pub const CONFIG_FILE: &str = "config.ron";
pub const PARAMETERS_FILE: &str = "parameters.ron";
pub use fsio::LOCK_FILE;

/// A snapshot is written after this many logged events, so a crash replays at most this many.
pub const SNAPSHOT_EVERY: u32 = 1000;

/// Where progress and settings live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataPaths {
    pub data_dir: PathBuf,
    pub config_file: PathBuf,
    /// Derived data that may be deleted at any time (the content parse cache).
    pub cache_dir: PathBuf,
}

impl DataPaths {
    /// `--data-dir`/`DECKHAND_DATA_DIR` if given (config then read from `<dir>/config.ron`, the
    /// cache kept in `<dir>/cache`), otherwise the platform's data, config and cache dirs.
    pub fn resolve(data_dir_override: Option<&Path>) -> Result<DataPaths, StoreError> {
        match data_dir_override {
            Some(dir) => Ok(DataPaths::hermetic(dir)),
            None => {
                let dirs = platform_dirs().ok_or(StoreError::NoHome)?;
                Ok(DataPaths {
                    data_dir: dirs.data_dir().to_path_buf(),
                    config_file: dirs.config_dir().join(CONFIG_FILE),
                    cache_dir: dirs.cache_dir().to_path_buf(),
                })
            }
        }
    }

    /// The paths for `data_dir`: the platform's config file when it is the platform's data dir,
    /// `<data_dir>/config.ron` for any other.
    pub fn for_data_dir(data_dir: &Path) -> DataPaths {
        match platform_dirs() {
            Some(dirs) if dirs.data_dir() == data_dir => DataPaths {
                data_dir: data_dir.to_path_buf(),
                config_file: dirs.config_dir().join(CONFIG_FILE),
                cache_dir: dirs.cache_dir().to_path_buf(),
            },
            _ => DataPaths::hermetic(data_dir),
        }
    }

    fn hermetic(dir: &Path) -> DataPaths {
        DataPaths {
            data_dir: dir.to_path_buf(),
            config_file: dir.join(CONFIG_FILE),
            cache_dir: dir.join("cache"),
        }
    }

    pub fn log(&self) -> PathBuf {
        self.data_dir.join(LOG_FILE)
    }

    pub fn snapshot(&self) -> PathBuf {
        self.data_dir.join(SNAPSHOT_FILE)
    }

    pub fn parameters(&self) -> PathBuf {
        self.data_dir.join(PARAMETERS_FILE)
    }
}

fn platform_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "deckhand")
}

/// The log, open for appending.
#[derive(Debug)]
struct LogWriter {
    file: File,
    /// Bytes after the last complete line (a torn record, or a failed append): cut before the
    /// next append.
    torn: bool,
}

/// The learner's progress, open for reading and (unless opened read-only) recording.
#[derive(Debug)]
pub struct Store {
    paths: DataPaths,
    config: Config,
    scheduler: Scheduler,
    fingerprint: String,
    progress: Progress,
    position: LogPosition,
    writer: Option<LogWriter>,
    _lock: Option<DirLock>,
    warnings: Vec<StoreWarning>,
    events_since_snapshot: u32,
}

impl Store {
    /// Opens the progress in `data_dir` for study: takes the lock, reads the config (see
    /// [`DataPaths::for_data_dir`]), the parameters, the snapshot and the log's tail.
    pub fn open(data_dir: &Path, now: Now) -> Result<Store, StoreError> {
        Store::open_at(&DataPaths::for_data_dir(data_dir), now)
    }

    /// Like [`Store::open`] with explicit paths.
    pub fn open_at(paths: &DataPaths, now: Now) -> Result<Store, StoreError> {
        Store::open_inner(paths, now, true)
    }

    /// Opens without the lock and without ever writing (for `stats` while the app runs). A torn
    /// record or a garbled snapshot is skipped with a warning but left on disk for the next
    /// writable open to handle; recording anything returns [`StoreError::ReadOnly`].
    pub fn open_read_only(paths: &DataPaths, now: Now) -> Result<Store, StoreError> {
        Store::open_inner(paths, now, false)
    }

    fn open_inner(paths: &DataPaths, now: Now, writable: bool) -> Result<Store, StoreError> {
        let dir = &paths.data_dir;
        let dir_exists = match fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => true,
            Ok(_) => return Err(StoreError::NotADirectory { path: dir.clone() }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(StoreError::io("read", dir, e)),
        };
        // Settings first: a bad one stops before the data dir or its lock file is created.
        let config = Config::load(&paths.config_file)?;
        let fitted = FittedParameters::load(&paths.parameters())?;
        let scheduler_config = scheduler_config(&config, fitted.as_ref());
        let scheduler = Scheduler::new(scheduler_config.clone()).map_err(|e| {
            let path = match fitted {
                Some(_) => paths.parameters(),
                None => paths.config_file.clone(),
            };
            StoreError::Scheduler {
                path,
                message: e.to_string(),
            }
        })?;
        let fingerprint = format!("{scheduler_config:?}");
        if writable && !dir_exists {
            fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, e))?;
        }
        // Everything read from here on is read under the lock, so no other deckhand appends
        // between reading and writing.
        let lock = if writable {
            Some(fsio::lock_dir(dir)?)
        } else {
            None
        };
        let mut warnings = Vec::new();

        let log_path = paths.log();
        let opened = replay::open_log(&log_path, writable)?;
        let Some(mut log_file) = opened else {
            if paths.snapshot().exists() {
                return Err(StoreError::LogMissing {
                    log: log_path,
                    snapshot: paths.snapshot(),
                });
            }
            let writer = if writable {
                Some(LogWriter {
                    file: replay::create_log(&log_path)?,
                    torn: false,
                })
            } else {
                None
            };
            return Ok(Store {
                paths: paths.clone(),
                config,
                scheduler,
                fingerprint,
                progress: Progress::default(),
                position: replay::empty_position(),
                writer,
                _lock: lock,
                warnings,
                events_since_snapshot: 0,
            });
        };

        let header_len = replay::check_header(&mut log_file, &log_path)?;
        // The log is read beside the snapshot. Then one thread checks every line's checksum while
        // the others rebuild the progress, which is kept only if every line holds: on two cores
        // start-up costs the longer of the two, not their sum.
        let snapshot_path = paths.snapshot();
        let (file, log) = (&mut log_file, log_path.as_path());
        let (verified, rebuilt) = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel(1);
            let reader = scope.spawn(move || -> Result<(), StoreError> {
                let bytes = Arc::new(replay::read_all(file, log)?);
                let _ = send.send(Arc::clone(&bytes));
                replay::verify_all(&bytes, header_len, log)
            });
            let loaded = snapshot::load(&snapshot_path);
            let rebuilt = receive.recv().ok().map(|log_bytes| {
                rebuild(
                    loaded?,
                    &log_bytes,
                    header_len,
                    log,
                    &fingerprint,
                    &scheduler,
                )
            });
            (reader.join(), rebuilt)
        });
        verified.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let Some(rebuilt) = rebuilt else {
            unreachable!("the reader sends the log before it can succeed")
        };
        let (progress, end, garbled) = rebuilt?;
        // Only now, with the log known good, is anything on disk touched.
        if let Some(why) = garbled {
            warnings.push(replay::set_aside_garbled(
                &snapshot_path,
                &why,
                writable,
                now,
            )?);
        }
        if end.torn_bytes > 0 {
            warnings.push(StoreWarning(format!(
                "{} ended with an incomplete record ({} bytes, cut off by a crash before it was \
                 saved); it was never acknowledged and is ignored",
                log_path.display(),
                end.torn_bytes
            )));
        }
        let writer = if writable {
            Some(LogWriter {
                file: log_file,
                torn: end.torn_bytes > 0,
            })
        } else {
            None
        };
        let mut store = Store {
            paths: paths.clone(),
            config,
            scheduler,
            fingerprint,
            progress,
            position: end.position,
            writer,
            _lock: lock,
            warnings,
            events_since_snapshot: end.events_replayed,
        };
        if writable && end.snapshot_outdated {
            store.save_snapshot_or_warn();
        }
        Ok(store)
    }

    pub fn paths(&self) -> &DataPaths {
        &self.paths
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Problems the store got past while opening or saving, for the app to show.
    pub fn warnings(&self) -> &[StoreWarning] {
        &self.warnings
    }

    /// The card's state, or `None` while it is new (never reviewed, or every review undone).
    pub fn card_state(&self, card_id: &str) -> Option<&CardState> {
        self.progress
            .cards
            .get(card_id)
            .map(|c| &c.state)
            .filter(|s| s.phase != Phase::New)
    }

    pub fn flags(&self, card_id: &str) -> CardFlags {
        self.progress
            .cards
            .get(card_id)
            .map(|c| c.flags)
            .unwrap_or_default()
    }

    /// The flags as the daily queue wants them: buried only until the day it was buried for.
    pub fn queue_flags(&self, card_id: &str, now: Now) -> schedule::CardFlags {
        let flags = self.flags(card_id);
        schedule::CardFlags {
            suspended: flags.suspended,
            buried: flags
                .buried_until_day
                .is_some_and(|until| self.day_of(now) < until),
            flagged: flags.flagged,
        }
    }

    /// A card as the scheduler's queue builders take it; `id` is what the queue hands back.
    pub fn queue_card<Id>(&self, id: Id, card_id: &str, now: Now) -> QueueCard<'_, Id> {
        static NEW_CARD: CardState = CardState::new();
        QueueCard {
            id,
            state: self.card_state(card_id).unwrap_or(&NEW_CARD),
            flags: self.queue_flags(card_id, now),
        }
    }

    /// Today's queue of `cards` (built by `queue_card`) under the config's daily limits, counting
    /// what today already holds.
    pub fn daily_queue<Id: Clone>(&self, cards: &[QueueCard<'_, Id>], now: Now) -> DailyQueue<Id> {
        let limits = DailyLimits {
            new_per_day: self.config.new_per_day,
            max_reviews_per_day: self.config.max_reviews_per_day,
        };
        self.scheduler
            .daily_queue(cards, now, limits, self.done_today(now))
    }

    /// Every card with recorded progress (including cards no longer in the content), with its
    /// state (`CardState::new()` if new) and flags.
    pub fn cards(&self) -> impl Iterator<Item = (&str, &CardState, CardFlags)> {
        // A card whose every review was undone and whose flags are clear has nothing to report.
        self.progress
            .cards
            .iter()
            .filter(|(_, c)| c.state.phase != Phase::New || c.flags != CardFlags::default())
            .map(|(id, c)| (id.as_str(), &c.state, c.flags))
    }

    /// The study day `now` falls in.
    pub fn day_of(&self, now: Now) -> i64 {
        day_number(now.at, now.utc_offset_secs, self.config.day_starts_at_hour)
    }

    /// Records a review: appended and fsync'd before this returns, then applied to the progress.
    /// A cram review is logged and counted but leaves the card's state alone.
    pub fn record_review(
        &mut self,
        card_id: &str,
        grade: Grade,
        now: Now,
        duration_ms: u32,
        source: Source,
    ) -> Result<ReviewId, StoreError> {
        let event = Event {
            id: EventId::random(),
            at: now.at,
            kind: EventKind::Review {
                card_id,
                utc_offset_secs: now.utc_offset_secs,
                grade,
                duration_ms,
                source,
            },
        };
        self.record(&event)?;
        Ok(event.id)
    }

    /// Takes back the newest review still undoable (up to [`UNDO_DEPTH`] back): the card gets its
    /// whole previous state and the day's counters drop it. `None` when there is nothing to undo.
    pub fn undo_last_review(&mut self, now: Now) -> Result<Option<UndoneReview>, StoreError> {
        let Some(review) = self.progress.undo.back().map(|e| e.id) else {
            return Ok(None);
        };
        let event = Event {
            id: EventId::random(),
            at: now.at,
            kind: EventKind::Undo { review },
        };
        self.append(&event)?;
        Ok(self.progress.undo_newest(self.config.day_starts_at_hour))
    }

    /// Hides the card until the next study day.
    pub fn set_buried(&mut self, card_id: &str, now: Now) -> Result<(), StoreError> {
        let until_day = self.day_of(now) + 1;
        let changes = self.flags(card_id).buried_until_day != Some(until_day);
        self.record_mark(now, changes, EventKind::Bury { card_id, until_day })
    }

    pub fn set_suspended(
        &mut self,
        card_id: &str,
        suspended: bool,
        now: Now,
    ) -> Result<(), StoreError> {
        let kind = if suspended {
            EventKind::Suspend { card_id }
        } else {
            EventKind::Unsuspend { card_id }
        };
        let changes = self.flags(card_id).suspended != suspended;
        self.record_mark(now, changes, kind)
    }

    pub fn set_flagged(
        &mut self,
        card_id: &str,
        flagged: bool,
        now: Now,
    ) -> Result<(), StoreError> {
        let kind = if flagged {
            EventKind::Flag { card_id }
        } else {
            EventKind::Unflag { card_id }
        };
        let changes = self.flags(card_id).flagged != flagged;
        self.record_mark(now, changes, kind)
    }

    /// Records a bury, suspend or flag event, unless it would change nothing.
    fn record_mark(
        &mut self,
        now: Now,
        changes: bool,
        kind: EventKind<'_>,
    ) -> Result<(), StoreError> {
        if !changes {
            return Ok(());
        }
        self.record(&Event {
            id: EventId::random(),
            at: now.at,
            kind,
        })
    }

    /// Appends `event` and applies it; `event` is never an undo (those go through `append`).
    fn record(&mut self, event: &Event<'_>) -> Result<(), StoreError> {
        if let Some(card_id) = event.kind.card_id()
            && !log::card_id_is_loggable(card_id)
        {
            return Err(StoreError::InvalidCardId {
                card_id: card_id.to_owned(),
            });
        }
        self.append(event)?;
        // Only an undo can ask for a full replay, and undos never come through here.
        let _ = self.progress.apply(event, &self.scheduler);
        Ok(())
    }

    /// Writes one line and fsyncs it; the store's position moves only once the line is durable.
    fn append(&mut self, event: &Event<'_>) -> Result<(), StoreError> {
        let log_path = self.paths.log();
        let writer = self.writer.as_mut().ok_or_else(|| StoreError::ReadOnly {
            dir: self.paths.data_dir.clone(),
        })?;
        if writer.torn {
            writer
                .file
                .set_len(self.position.offset)
                .map_err(|e| StoreError::io("cut the incomplete last record of", &log_path, e))?;
            writer.torn = false;
        }
        let line = event.to_line();
        let written = writer
            .file
            .write_all(line.as_bytes())
            .and_then(|()| writer.file.sync_data());
        if let Err(e) = written {
            writer.torn = true;
            return Err(StoreError::io("save to", &log_path, e));
        }
        self.position.offset += line.len() as u64;
        self.position.lines += 1;
        self.position.last_event = Some(event.id);
        self.events_since_snapshot += 1;
        if self.events_since_snapshot >= SNAPSHOT_EVERY {
            self.save_snapshot_or_warn();
        }
        Ok(())
    }

    fn save_snapshot_or_warn(&mut self) {
        if let Err(e) = self.save_snapshot() {
            self.warnings.push(StoreWarning(format!(
                "could not save the snapshot (your reviews are safe in the log; start-up may be \
                 slower): {e}"
            )));
        }
    }

    /// Writes the snapshot (atomically) so the next start replays only what follows. Call on
    /// clean exit; the store also does it every [`SNAPSHOT_EVERY`] events.
    pub fn save_snapshot(&mut self) -> Result<(), StoreError> {
        if self.writer.is_none() {
            return Err(StoreError::ReadOnly {
                dir: self.paths.data_dir.clone(),
            });
        }
        snapshot::save(
            &self.paths.snapshot(),
            &self.fingerprint,
            &self.position,
            &self.progress,
        )?;
        self.events_since_snapshot = 0;
        Ok(())
    }

    /// Counters of the study day `now` falls in.
    pub fn today(&self, now: Now) -> TodayCounts {
        self.progress
            .days
            .get(&self.day_of(now))
            .copied()
            .unwrap_or_default()
    }

    /// What the daily queue needs to know about today.
    pub fn done_today(&self, now: Now) -> DoneToday {
        let today = self.today(now);
        DoneToday {
            new_introduced: today.new_introduced,
            reviews_done: today.recall_tests,
        }
    }

    /// Consecutive study days with at least one review, ending today (or yesterday, while today
    /// has none yet).
    pub fn streak(&self, now: Now) -> u32 {
        let active = |day: i64| {
            self.progress
                .days
                .get(&day)
                .is_some_and(|d| d.all_reviews() > 0)
        };
        let mut day = self.day_of(now);
        if !active(day) {
            day -= 1;
        }
        let mut streak = 0;
        while active(day) {
            streak += 1;
            day -= 1;
        }
        streak
    }

    /// Activity per study day (day number -> counters), oldest first, for the heatmap.
    pub fn reviews_per_day(&self) -> &std::collections::BTreeMap<i64, DayActivity> {
        &self.progress.days
    }

    /// True retention over the `days` study days ending today: the share of reviews of cards in
    /// Review that were not graded Again. `None` without such reviews.
    pub fn true_retention(&self, now: Now, days: i64) -> Option<f64> {
        let today = self.day_of(now);
        let (tests, passed) = self.progress.days.range(today - days + 1..=today).fold(
            (0u64, 0u64),
            |(t, p), (_, d)| {
                (
                    t + u64::from(d.recall_tests),
                    p + u64::from(d.recall_passed),
                )
            },
        );
        (tests > 0).then(|| passed as f64 / tests as f64)
    }
}

/// The progress from a trusted snapshot and the log after it, or else from the whole log; with
/// why the snapshot is garbled, if it is.
fn rebuild(
    loaded: snapshot::Loaded,
    log_bytes: &[u8],
    header_len: u64,
    log_path: &Path,
    fingerprint: &str,
    scheduler: &Scheduler,
) -> Result<(Progress, replay::ReplayEnd, Option<String>), StoreError> {
    let (trusted, garbled) = match replay::judge_snapshot(loaded, fingerprint, log_bytes) {
        replay::SnapshotUse::Use(snapshot) => (Some(snapshot), None),
        replay::SnapshotUse::Rebuild => (None, None),
        replay::SnapshotUse::Garbled(why) => (None, Some(why)),
    };
    if let Some(snapshot) = trusted {
        let snapshot::Snapshot {
            position,
            mut progress,
            ..
        } = *snapshot;
        let tail = log_bytes
            .get(position.offset as usize..)
            .unwrap_or_default();
        if let Some(end) = replay::apply_tail(tail, log_path, position, &mut progress, scheduler)? {
            return Ok((progress, end, garbled));
        }
    }
    let (progress, end) = replay::full(log_bytes, header_len, log_path, scheduler)?;
    Ok((progress, end, garbled))
}

/// The scheduler's settings from the config and the fitted parameters, if any.
fn scheduler_config(config: &Config, fitted: Option<&FittedParameters>) -> SchedulerConfig {
    let defaults = SchedulerConfig::default();
    SchedulerConfig {
        desired_retention: config.desired_retention,
        learning_steps: config.learning_steps_mins.clone(),
        relearning_steps: config.relearning_steps_mins.clone(),
        day_start_hour: config.day_starts_at_hour,
        parameters: fitted.map_or(defaults.parameters.clone(), |f| f.parameters.clone()),
        ..defaults
    }
}
