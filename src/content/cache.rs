//! A cache of the user's parsed content files, so that large decks of their own load without a
//! RON parse at every start.
//!
//! Derived data, never progress: one file in the cache directory holding, for each user file that
//! parsed whole, its path, size and modification time and its items in postcard form. An entry is
//! used only while the file's size and time are unchanged; the cache is written atomically (temp
//! file, fsync, rename) and checked by a checksum and by the build's format stamp, so a damaged or
//! foreign cache is ignored and rebuilt, never trusted.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::error::ContentError;
use super::load::{
    ParsedFile, Problem, SourceFile, in_parallel, list_content_dir, parse_source, read_file,
};
use super::locate::Position;
use super::parse::Items;
use crate::hash::checksum;

const CACHE_FILE: &str = "content-cache.bin";

/// What the cache file starts with, before the checksum and the entries.
const MAGIC: &[u8; 8] = b"deckhnd1";

/// Size and modification time (seconds, nanoseconds): a file whose stamp is unchanged is taken
/// to be unchanged.
type Stamp = (u64, u64, u32);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((meta.len(), modified.as_secs(), modified.subsec_nanos()))
}

/// One cached file. Its items are encoded on their own, so that entries decode in parallel.
#[derive(Serialize, Deserialize)]
struct Entry<P, B> {
    path: P,
    stamp: Stamp,
    items: B,
}

/// A user file to load: from its cache entry, or from its text.
enum Job<'c> {
    Decode(SourceFile, &'c [u8]),
    Parse(SourceFile),
}

/// The files of `dirs` in load order, from the cache in `cache_dir` where it is current and parsed
/// from their text otherwise; the cache is then brought up to date. A file taken from the cache
/// comes without its text: should anything fail to validate, load everything again from the text.
pub(crate) fn user_files(
    dirs: &[PathBuf],
    cache_dir: &Path,
    errors: &mut Vec<ContentError>,
) -> Vec<ParsedFile> {
    let cache_path = cache_dir.join(CACHE_FILE);
    let bytes = fs::read(&cache_path).unwrap_or_default();
    let mut cached = cache_entries(&bytes);
    let listed: Vec<_> = dirs
        .iter()
        .flat_map(|dir| list_content_dir(dir, errors))
        .collect();
    let mut jobs = Vec::with_capacity(listed.len());
    let mut stamps = Vec::with_capacity(listed.len());
    let mut hits = 0;
    for (path, kind) in listed {
        let file_stamp = stamp(&path);
        let hit = cached
            .iter_mut()
            .find(|e| e.path == path && Some(e.stamp) == file_stamp)
            .and_then(|entry| entry.items.take());
        if let Some(items) = hit {
            hits += 1;
            let source = SourceFile {
                shown: path,
                kind,
                text: "".into(),
            };
            jobs.push(Job::Decode(source, items));
        } else {
            let mut read = Vec::new();
            read_file(&path, kind, &mut read, errors);
            let Some(source) = read.pop() else {
                continue;
            };
            jobs.push(Job::Parse(source));
        }
        stamps.push(file_stamp);
    }
    let size = |job: &Job| match job {
        Job::Decode(_, items) => items.len(),
        Job::Parse(source) => source.text.len(),
    };
    let files = in_parallel(jobs, size, |job| match job {
        Job::Decode(source, items) => decode(source, items),
        Job::Parse(source) => parse_source(source),
    });
    let clean = files.iter().all(|f| f.problems.is_empty());
    if hits < files.len() || hits < cached.len() || !clean {
        write_cache(cache_dir, &cache_path, &files, &stamps);
    }
    files
}

/// A file's items from its cache entry. The checksum makes a bad entry all but impossible; if
/// one is found anyway, it is a problem, so the course is loaded again from the text.
fn decode(source: SourceFile, items: &[u8]) -> ParsedFile {
    match postcard::from_bytes::<Items>(items) {
        Ok(items) => ParsedFile {
            source,
            items,
            problems: Vec::new(),
        },
        Err(_) => ParsedFile {
            source,
            items: Items::Cards(Vec::new()),
            problems: vec![Problem {
                at: Position::START,
                id: None,
                message: "the content cache is damaged; it is rebuilt".to_string(),
            }],
        },
    }
}

/// The header: magic, the build's format stamp, the checksum of the rest.
const HEADER: usize = 24;

/// The entries of a cache file's bytes (each with its items still encoded), or none if the
/// cache is missing, damaged or from another build.
fn cache_entries(bytes: &[u8]) -> Vec<Entry<PathBuf, Option<&[u8]>>> {
    let Some((found, body)) = bytes.split_at_checked(HEADER) else {
        return Vec::new();
    };
    if found != header(body) {
        return Vec::new();
    }
    postcard::from_bytes::<Vec<Entry<PathBuf, &[u8]>>>(body)
        .map(|entries| {
            entries
                .into_iter()
                .map(|e| Entry {
                    path: e.path,
                    stamp: e.stamp,
                    items: Some(e.items),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The header for a cache body: magic, the build's format stamp, the checksum of the body.
fn header(body: &[u8]) -> [u8; HEADER] {
    let mut header = [0u8; HEADER];
    header[..8].copy_from_slice(MAGIC);
    header[8..16].copy_from_slice(&super::bundled::FORMAT.to_le_bytes());
    // The crate's checksum: enough to notice a damaged file (not a defence against tampering).
    header[16..].copy_from_slice(&u64::from(checksum(body)).to_le_bytes());
    header
}

/// Replaces the cache with the files that parsed whole. Failing to write it only costs the next
/// start a parse, so failures are ignored.
fn write_cache(
    cache_dir: &Path,
    cache_path: &Path,
    files: &[ParsedFile],
    stamps: &[Option<Stamp>],
) {
    let encoded: Vec<(&ParsedFile, Stamp, Vec<u8>)> = files
        .iter()
        .zip(stamps)
        .filter(|(file, _)| file.problems.is_empty())
        .filter_map(|(file, stamp)| {
            let items = postcard::to_allocvec(&file.items).ok()?;
            Some((file, (*stamp)?, items))
        })
        .collect();
    let entries: Vec<Entry<&Path, &[u8]>> = encoded
        .iter()
        .map(|(file, stamp, items)| Entry {
            path: file.source.shown.as_path(),
            stamp: *stamp,
            items: items.as_slice(),
        })
        .collect();
    let Ok(body) = postcard::to_allocvec(&entries) else {
        return;
    };
    let mut bytes = header(&body).to_vec();
    bytes.extend_from_slice(&body);
    // A cache that cannot be written only costs the next start its speed.
    if fs::create_dir_all(cache_dir).is_ok() {
        let _ = crate::fsio::write_atomic(cache_path, &bytes);
    }
}
