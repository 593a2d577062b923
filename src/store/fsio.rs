//! The two ways the store writes: atomic replacement (temp file, fsync, rename, fsync the
//! directory) and the single-instance lock. Kept apart so every writer uses the same steps.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::error::StoreError;

/// Replaces `path` with `bytes` so that a crash leaves either the old file or the new one, never
/// a mix: the new content goes to a temp file in the same directory, is fsync'd, renamed over the
/// target, and the directory is fsync'd so the rename itself survives a power cut.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&temp).map_err(|e| StoreError::io("create", &temp, e))?;
        file.write_all(bytes)
            .map_err(|e| StoreError::io("write", &temp, e))?;
        file.sync_all()
            .map_err(|e| StoreError::io("flush to disk", &temp, e))?;
        fs::rename(&temp, path).map_err(|e| StoreError::io("rename into place", path, e))?;
        sync_dir(&dir)
    })();
    if result.is_err() {
        // The temp file is ours and holds nothing the user needs; a failed cleanup changes nothing.
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Makes a rename or a file creation in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io("flush to disk", dir, e))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        fs::write(&path, "old content that is longer").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
