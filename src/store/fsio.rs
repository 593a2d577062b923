//! The two ways the store writes: atomic replacement (the crate's `fsio`, with store errors) and
//! the single-instance lock. Kept apart so every writer uses the same steps.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::error::StoreError;

/// The crate's atomic writes report their failed step as a `StoreError` through `?`.
impl From<crate::fsio::WriteError> for StoreError {
    fn from(e: crate::fsio::WriteError) -> Self {
        StoreError::io(e.action, e.path, e.source)
    }
}

/// The lock file name inside the data dir.
pub const LOCK_FILE: &str = "deckhand.lock";

/// Holds the data dir for this process until dropped (the OS releases the lock with the file).
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

/// Takes the data dir's lock, or says which process holds it. The lock file only ever holds the
/// pid of the holder; a process that fails to take the lock changes nothing.
pub(crate) fn lock_dir(dir: &Path) -> Result<DirLock, StoreError> {
    let path = dir.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| StoreError::io("open", &path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            // The pid is only for the message; an unreadable one leaves it out.
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let pid = if holder.is_empty() {
                String::new()
            } else {
                format!(" (pid {holder})")
            };
            return Err(StoreError::Locked {
                dir: dir.to_path_buf(),
                pid,
            });
        }
        Err(TryLockError::Error(e)) => return Err(StoreError::io("lock", &path, e)),
    }
    let pid = std::process::id().to_string();
    let mut current = String::new();
    let _ = file.read_to_string(&mut current);
    if current != pid {
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(pid.as_bytes()))
            .map_err(|e| StoreError::io("write", &path, e))?;
    }
    Ok(DirLock { _file: file })
}
