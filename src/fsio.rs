//! Durable file replacement shared by every module that writes a file: temp file in the same
//! directory, fsync, rename, fsync of the directory. One place, so no writer skips a step.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A failed step of a durable write: what was being done, to which path, and why it failed.
#[derive(Debug)]
pub struct WriteError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl WriteError {
    fn new(action: &'static str, path: &Path, source: io::Error) -> Self {
        WriteError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Replaces `path` with `bytes` so that a crash leaves either the old file or the new one, never
/// a mix: the new content goes to a temp file in the same directory, is fsync'd, renamed over the
/// target, and the directory is fsync'd so the rename itself survives a power cut.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&temp).map_err(|e| WriteError::new("create", &temp, e))?;
        file.write_all(bytes)
            .map_err(|e| WriteError::new("write", &temp, e))?;
        file.sync_all()
            .map_err(|e| WriteError::new("flush to disk", &temp, e))?;
        fs::rename(&temp, path).map_err(|e| WriteError::new("rename into place", path, e))?;
        sync_dir(&dir)
    })();
    if result.is_err() {
        // The temp file is ours and holds nothing the user needs; a failed cleanup changes nothing.
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Makes a rename or a file creation in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| WriteError::new("flush to disk", dir, e))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
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
