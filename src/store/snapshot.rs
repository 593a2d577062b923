//! `snapshot.json`: derived progress plus the place in the log it covers, so start-up replays only
//! the tail. Derived data: when it is stale or unreadable the log rebuilds it; a garbled one is
//! moved aside, never overwritten. JSON because it reads 100,000 card states several times faster
//! than RON (see reference/crates-and-measurements.md).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::fsio::write_atomic;
use super::progress::Progress;

/// The snapshot schema this build reads and writes. Any other version is simply rebuilt.
pub const SNAPSHOT_SCHEMA: u32 = 1;

/// Where a snapshot stops in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LogPosition {
    /// Bytes of complete lines covered, header included.
    pub offset: u64,
    /// Complete lines covered, header included (for line numbers in messages).
    pub lines: u64,
    /// The id of the last covered event, in hex: proves the log before `offset` is the same log.
    pub last_event: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub schema: u32,
    /// What the states depend on besides the log (scheduler settings, parameters, day start).
    pub fingerprint: String,
    pub position: LogPosition,
    pub progress: Progress,
}

#[derive(Deserialize)]
struct SchemaOnly {
    schema: u32,
}

/// What was found on disk.
pub(crate) enum Loaded {
    Missing,
    /// Readable, this schema.
    Current(Box<Snapshot>),
    /// Readable, another schema: rebuilt from the log, then replaced.
    OtherSchema,
    /// Not a snapshot at all: the parse error, for the warning.
    Garbled(String),
}

pub(crate) fn load(path: &Path) -> Result<Loaded, StoreError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Loaded::Missing),
        Err(e) => return Err(StoreError::io("read", path, e)),
    };
    match serde_json::from_slice::<Snapshot>(&bytes) {
        Ok(snapshot) if snapshot.schema == SNAPSHOT_SCHEMA => {
            Ok(Loaded::Current(Box::new(snapshot)))
        }
        Ok(_) => Ok(Loaded::OtherSchema),
        Err(e) => match serde_json::from_slice::<SchemaOnly>(&bytes) {
            Ok(only) if only.schema != SNAPSHOT_SCHEMA => Ok(Loaded::OtherSchema),
            _ => Ok(Loaded::Garbled(e.to_string())),
        },
    }
}

/// The same fields as [`Snapshot`], borrowed, so saving copies nothing.
#[derive(Serialize)]
pub(crate) struct SnapshotRef<'a> {
    pub schema: u32,
    pub fingerprint: &'a str,
    pub position: &'a LogPosition,
    pub progress: &'a Progress,
}

pub(crate) fn save(path: &Path, snapshot: &SnapshotRef<'_>) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(snapshot)
        .map_err(|e| StoreError::io("write", path, io::Error::other(e)))?;
    write_atomic(path, &bytes)
}

/// Renames a garbled snapshot to `snapshot.corrupt-<time>` beside it, content untouched, and
/// returns the new path.
pub(crate) fn move_aside(path: &Path, stamp: &str) -> Result<PathBuf, StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut target = dir.join(format!("snapshot.corrupt-{stamp}"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = dir.join(format!("snapshot.corrupt-{stamp}-{n}"));
    }
    fs::rename(path, &target).map_err(|e| StoreError::io("move aside", path, e))?;
    super::fsio::sync_dir(dir)?;
    Ok(target)
}
