//! Gathers content files (the bundled course, extra directories) and parses them with ron into
//! the raw mirrors, turning every read and parse failure into a located [`ContentError`].
//!
//! The bundled course is parsed once, by build.rs, and decoded from its binary form at start;
//! other files are parsed here, on every core when there is much text.
//!
//! serde stops at the first problem in a file, so when a file fails, its list of items (a deck's
//! cards, the topics) is parsed again item by item: one broken card does not hide the others'
//! problems, and the good cards still get checked. That second pass runs only on failure.

use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::{fs, mem, panic, thread};

use serde::de::DeserializeOwned;

use super::cache;
use super::error::{ContentError, ContentErrors};
use super::locate::{Document, Position, position_of};
use super::model::Content;
use super::parse::{FOLDERS, FileKind, Items, kind_of, parse_whole, place_cards, ron_options};
use super::raw::{RawBlock, RawCard, RawStep, RawTopic};
use super::validate;

/// One content file's text, before parsing.
#[derive(Clone)]
pub(crate) struct SourceFile {
    /// As shown in messages: `content/decks/ecs.ron` when bundled, the real path otherwise.
    pub shown: PathBuf,
    pub kind: FileKind,
    pub text: Cow<'static, str>,
}

/// A content file with its items and the problems found while parsing it. The text stays with
/// the items: validation finds the place of any problem in it.
pub(crate) struct ParsedFile {
    pub source: SourceFile,
    pub items: Items,
    pub problems: Vec<Problem>,
}

/// The bundled course plus each directory of `extra_dirs` (decks/, notes/, scenarios/ and an
/// optional topics.ron whose topics are added to the bundled tree). Every directory given must
/// exist: pass the data dir's folders only when [`user_content_dirs`] says they are there.
///
/// The bundled course comes as build.rs parsed it, which skips the RON parse at start. Should
/// anything fail to validate, everything is loaded again from the text, so the report is the one
/// the text itself gives, with ron's view of every file.
pub fn load_course(extra_dirs: &[PathBuf]) -> Result<Content, ContentErrors> {
    load_bundled_and(extra_dirs, None)
}

/// [`load_course`], keeping the parsed files of `extra_dirs` in a cache in `cache_dir` (the
/// store gives it: [`DataPaths::cache_dir`](crate::store::DataPaths::cache_dir)), so that large
/// decks load without a RON parse while unchanged. Problems are reported exactly as by
/// [`load_course`], which this falls back to.
pub fn load_course_cached(
    extra_dirs: &[PathBuf],
    cache_dir: &Path,
) -> Result<Content, ContentErrors> {
    load_bundled_and(extra_dirs, Some(cache_dir))
}

/// The bundled course (from build.rs's encoding) and `extra_dirs`, through the cache in
/// `cache_dir` if given.
fn load_bundled_and(
    extra_dirs: &[PathBuf],
    cache_dir: Option<&Path>,
) -> Result<Content, ContentErrors> {
    let mut errors = Vec::new();
    let bundled = bundled_files(&mut errors);
    load_prepared(
        bundled,
        errors,
        super::bundled::PREPARED,
        extra_dirs,
        cache_dir,
    )
}

/// The course of `bundled` (read with `errors`) and `extra_dirs`, taking the bundled items from
/// `prepared` (build.rs's encoding of them) and the others from the cache in `cache_dir`, if
/// given, when they are there and all is valid; else everything from the text.
fn load_prepared(
    bundled: Vec<SourceFile>,
    errors: Vec<ContentError>,
    prepared: &[u8],
    extra_dirs: &[PathBuf],
    cache_dir: Option<&Path>,
) -> Result<Content, ContentErrors> {
    // `None` inside when build.rs could not parse a file: the text path below says why.
    if errors.is_empty()
        && let Ok(Some(items)) = postcard::from_bytes::<Option<Vec<Items>>>(prepared)
        && items.len() == bundled.len()
    {
        let mut files: Vec<ParsedFile> = bundled
            .iter()
            .cloned()
            .zip(items)
            .map(|(source, items)| ParsedFile {
                source,
                items,
                problems: Vec::new(),
            })
            .collect();
        let mut errors = Vec::new();
        match cache_dir {
            Some(cache_dir) => files.extend(cache::user_files(extra_dirs, cache_dir, &mut errors)),
            None => files.extend(parse_all(read_content_dirs(extra_dirs, &mut errors))),
        }
        if let Ok(content) = validate::build(files, errors) {
            return Ok(content);
        }
    }
    let mut errors = errors;
    let mut files = parse_all(bundled);
    files.extend(parse_all(read_content_dirs(extra_dirs, &mut errors)));
    validate::build(files, errors)
}

fn read_content_dirs(dirs: &[PathBuf], errors: &mut Vec<ContentError>) -> Vec<SourceFile> {
    let mut files = Vec::new();
    for dir in dirs {
        read_content_dir(dir, &mut files, errors);
    }
    files
}

/// One content directory alone, for `deckhand validate DIR`. Without a topics.ron of its own it
/// is checked against the bundled topics.
pub fn load_dir(dir: &Path) -> Result<Content, ContentErrors> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    read_content_dir(dir, &mut files, &mut errors);
    if !files.iter().any(|f| f.kind == FileKind::Topics) {
        // Only the bundled topics are borrowed: problems elsewhere in the bundle are not DIR's.
        let bundled = bundled_files(&mut Vec::new());
        files.extend(bundled.into_iter().filter(|f| f.kind == FileKind::Topics));
    }
    validate::build(parse_all(files), errors)
}

/// The extra directories the app loads beside the bundled course: every `--content` directory,
/// then the data directory if it holds any of decks/, notes/ or scenarios/.
pub fn user_content_dirs(content: &[PathBuf], data_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = content.to_vec();
    if let Some(data_dir) = data_dir
        && FOLDERS.iter().any(|(name, _)| data_dir.join(name).is_dir())
    {
        dirs.push(data_dir.to_path_buf());
    }
    dirs
}

/// The files compiled into the binary. A `.ron` file outside topics.ron, decks/, notes/ and
/// scenarios/ would otherwise be silently ignored, so it is reported.
fn bundled_files(errors: &mut Vec<ContentError>) -> Vec<SourceFile> {
    let mut files = Vec::with_capacity(super::bundled::BUNDLED.len());
    for &(relative, text) in super::bundled::BUNDLED {
        let shown = Path::new("content").join(relative);
        match kind_of(relative) {
            Some(kind) => files.push(SourceFile {
                shown,
                kind,
                text: Cow::Borrowed(text),
            }),
            None => errors.push(file_error(
                &shown,
                "not part of the course: move it to decks/, notes/ or scenarios/".to_string(),
            )),
        }
    }
    files
}

/// Below this much text, starting threads costs more than parsing on one core.
const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// Parses every file, on every core when there is enough text, keeping the files' order (it
/// decides which of two duplicate ids is reported as the first).
pub(crate) fn parse_all(files: Vec<SourceFile>) -> Vec<ParsedFile> {
    in_parallel(files, |file| file.text.len(), parse_source)
}

/// Runs `work` on every input, on every core when the inputs are large enough together (by
/// `size`, in bytes), and returns the results in the inputs' order.
pub(crate) fn in_parallel<T: Send, U: Send>(
    inputs: Vec<T>,
    size: impl Fn(&T) -> usize,
    work: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    let total: usize = inputs.iter().map(&size).sum();
    let threads = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(inputs.len());
    if threads < 2 || total < PARALLEL_MIN_BYTES {
        return inputs.into_iter().map(work).collect();
    }
    // Consecutive runs of about equal size: one per thread, results in order.
    let share = total.div_ceil(threads);
    let mut runs = Vec::with_capacity(threads);
    let mut run = Vec::new();
    let mut run_bytes = 0;
    for input in inputs {
        run_bytes += size(&input);
        run.push(input);
        if run_bytes >= share {
            runs.push(mem::take(&mut run));
            run_bytes = 0;
        }
    }
    runs.push(run);
    let work = &work;
    let do_run = move |run: Vec<T>| -> Vec<U> { run.into_iter().map(work).collect() };
    let mut runs = runs.into_iter();
    let first = runs.next().unwrap_or_default();
    thread::scope(|scope| {
        let others: Vec<_> = runs.map(|run| scope.spawn(move || do_run(run))).collect();
        let mut done = do_run(first);
        for other in others {
            // A panic in `work` is a bug; it carries on in this thread as if it were here.
            done.extend(
                other
                    .join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload)),
            );
        }
        done
    })
}

/// Parses one file; on failure, parses the items of its list one by one, so every broken item
/// is reported and the good ones still get checked.
pub(crate) fn parse_source(source: SourceFile) -> ParsedFile {
    let src: &str = &source.text;
    let (items, problems) = match parse_whole(source.kind, src) {
        Ok(items) => (items, Vec::new()),
        Err(whole_error) => match source.kind {
            FileKind::Topics => {
                let (topics, problems) = parse_items::<RawTopic>(src, "topics", &whole_error);
                (Items::Topics(topics), problems)
            }
            FileKind::Deck => {
                let (cards, problems) = parse_items::<RawCard>(src, "cards", &whole_error);
                (Items::Cards(place_cards(src, cards.into_iter())), problems)
            }
            // A note or scenario is one item: its problems are reported, nothing is checked.
            FileKind::Note => {
                let (_, problems) = parse_items::<RawBlock>(src, "blocks", &whole_error);
                (Items::Note(None), problems)
            }
            FileKind::Scenario => {
                let (_, problems) = parse_items::<RawStep>(src, "steps", &whole_error);
                (Items::Scenario(None), problems)
            }
        },
    };
    ParsedFile {
        source,
        items,
        problems,
    }
}

fn file_error(path: &Path, message: String) -> ContentError {
    ContentError {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        id: None,
        message,
    }
}

/// Reads topics.ron and the `.ron` files of decks/, notes/ and scenarios/ (sorted by name).
fn read_content_dir(dir: &Path, files: &mut Vec<SourceFile>, errors: &mut Vec<ContentError>) {
    for (path, kind) in list_content_dir(dir, errors) {
        read_file(&path, kind, files, errors);
    }
}

/// The content files of `dir` in the order they are loaded: topics.ron, then the `.ron` files of
/// decks/, notes/ and scenarios/, each folder sorted by name.
pub(crate) fn list_content_dir(
    dir: &Path,
    errors: &mut Vec<ContentError>,
) -> Vec<(PathBuf, FileKind)> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        let problem = if dir.exists() {
            "not a directory"
        } else {
            "no such directory"
        };
        errors.push(file_error(
            dir,
            format!(
                "{problem}; a content directory holds topics.ron, decks/, notes/ or scenarios/"
            ),
        ));
        return files;
    }
    let topics = dir.join("topics.ron");
    let has_topics = topics.exists();
    if has_topics {
        files.push((topics, FileKind::Topics));
    }
    let mut found_folder = false;
    for (name, kind) in FOLDERS {
        let folder = dir.join(name);
        if !folder.is_dir() {
            continue;
        }
        found_folder = true;
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(err) => {
                errors.push(file_error(
                    &folder,
                    format!("cannot read the folder: {err}"),
                ));
                continue;
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
            .collect();
        paths.sort();
        files.extend(paths.into_iter().map(|path| (path, kind)));
    }
    if !has_topics && !found_folder {
        errors.push(file_error(
            dir,
            "holds no content: expected topics.ron, decks/, notes/ or scenarios/".to_string(),
        ));
    }
    files
}

pub(crate) fn read_file(
    path: &Path,
    kind: FileKind,
    files: &mut Vec<SourceFile>,
    errors: &mut Vec<ContentError>,
) {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            errors.push(file_error(path, format!("cannot read the file: {err}")));
            return;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => files.push(SourceFile {
            shown: path.to_path_buf(),
            kind,
            text: Cow::Owned(text),
        }),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let at = position_of(before, valid);
            errors.push(ContentError {
                path: path.to_path_buf(),
                line: at.line,
                column: at.column,
                id: None,
                message: "not valid UTF-8 text; save the file as UTF-8".to_string(),
            });
        }
    }
}

/// A problem found while parsing, before it is tied to a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub at: Position,
    pub id: Option<String>,
    pub message: String,
}

/// After `whole_error`, the items of the file's list field `list` that parse on their own as `I`
/// (with their index in the list), and every problem found.
fn parse_items<I: DeserializeOwned>(
    src: &str,
    list: &str,
    whole_error: &ron::error::SpannedError,
) -> (Vec<(usize, I)>, Vec<Problem>) {
    let doc = Document::new(src);
    // A note or scenario has its id at the top; problems inside it are about that item.
    let file_id = doc.plain_string("id").map(str::to_string);
    let mut whole = ron_problem(&doc, 0, whole_error);
    whole.id.clone_from(&file_id);
    let Some(spans) = doc.item_spans(list) else {
        return (Vec::new(), vec![whole]);
    };
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for (index, &(start, end)) in spans.iter().enumerate() {
        match ron_options().from_str::<I>(src.get(start..end).unwrap_or_default()) {
            Ok(item) => items.push((index, item)),
            Err(err) => {
                let mut problem = ron_problem(&doc, start, &err);
                problem.id = doc
                    .plain_string(&format!("{list}[{index}].id"))
                    .map(str::to_string)
                    .or_else(|| file_id.clone());
                problems.push(problem);
            }
        }
    }
    // The whole-file error is the first problem in the file; keep it unless an item said it.
    if !problems.iter().any(|p| p.at == whole.at) {
        problems.push(whole);
    }
    (items, problems)
}

/// Turns ron's error for the text starting at byte `offset` of the document into a located
/// problem.
fn ron_problem(doc: &Document, offset: usize, err: &ron::error::SpannedError) -> Problem {
    let base = doc.position(offset);
    let inner = err.span.start;
    let mut at = Position {
        line: base.line + inner.line.max(1) - 1,
        column: if inner.line <= 1 {
            base.column + inner.col.max(1) - 1
        } else {
            inner.col.max(1)
        },
    };
    if matches!(err.code, ron::Error::MissingStructField { .. }) {
        // ron notices a missing field at the end of the struct; authors look for its start.
        at = doc.enclosing_start(at).unwrap_or(at);
    } else {
        // ron's span can start at the whitespace before the offending value.
        at = doc.next_token_start(at);
    }
    Problem {
        at,
        id: None,
        message: ron_message(&err.code),
    }
}

fn one_of(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        _ => format!("one of {}", names.join(", ")),
    }
}

/// ron's messages name our Rust types; these name what authors write.
fn ron_message(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::NoSuchStructField {
            expected, found, ..
        } => format!("unknown field `{found}`; expected {}", one_of(expected)),
        E::MissingStructField { field, .. } => format!("missing field `{field}`"),
        E::DuplicateStructField { field, .. } => format!("field `{field}` is given twice"),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => format!("unknown variant `{found}`; expected {}", one_of(expected)),
        E::InvalidValueForType { expected, found } => {
            format!("expected {}, found {found}", plain_expected(expected))
        }
        E::ExpectedDifferentLength { expected, found } => {
            format!(
                "expected {}, found {found} elements",
                plain_expected(expected)
            )
        }
        E::SuggestRawIdentifier(found) | E::InvalidIdentifier(found) => {
            format!("expected a variant name, like `Name(...)`, found `{found}`")
        }
        E::Eof => "unexpected end of file; a bracket or a quote is not closed".to_string(),
        E::ExpectedComma => "expected a comma before this".to_string(),
        E::ExpectedString => "expected a string in double quotes".to_string(),
        E::ExpectedBoolean => "expected `true` or `false`".to_string(),
        E::ExpectedInteger => "expected a whole number".to_string(),
        E::TrailingCharacters => {
            "unexpected text after the end; a bracket is closed too early".to_string()
        }
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

/// serde describes a struct as `struct RawCard`; authors know it as a `(...)` value.
fn plain_expected(expected: &str) -> String {
    if expected.starts_with("struct ") {
        "a `(...)` value with named fields".to_string()
    } else if expected.starts_with("enum ") {
        "a variant such as `Basic(...)`".to_string()
    } else {
        expected.to_string()
    }
}

/// Ties parse problems to the file they were found in.
pub(crate) fn to_errors(path: &Path, problems: Vec<Problem>, errors: &mut Vec<ContentError>) {
    errors.extend(problems.into_iter().map(|p| ContentError {
        path: path.to_path_buf(),
        line: p.at.line,
        column: p.at.column,
        id: p.id,
        message: p.message,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_course(a: &Content, b: &Content) -> bool {
        a.topics == b.topics
            && a.cards == b.cards
            && a.notes == b.notes
            && a.scenarios == b.scenarios
    }

    #[test]
    fn prepared_bundle_gives_the_course_the_text_gives() {
        let mut errors = Vec::new();
        let bundled = bundled_files(&mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let prepared = postcard::from_bytes::<Option<Vec<Items>>>(super::super::bundled::PREPARED);
        assert!(
            matches!(&prepared, Ok(Some(items)) if items.len() == bundled.len()),
            "build.rs did not prepare every bundled file"
        );
        let from_text = validate::build(parse_all(bundled.clone()), Vec::new());
        let prepared = load_prepared(
            bundled,
            Vec::new(),
            super::super::bundled::PREPARED,
            &[],
            None,
        );
        match (prepared, from_text) {
            (Ok(prepared), Ok(from_text)) => {
                assert!(same_course(&prepared, &from_text));
                assert_eq!(prepared.cards.len(), from_text.cards.len());
            }
            (prepared, from_text) => panic!("{:?} / {:?}", prepared.err(), from_text.err()),
        }
    }

    /// A content directory with the bundled topics, read as if it were the bundled course.
    fn bundle_like(dir: &str) -> Vec<SourceFile> {
        let mut files = bundled_files(&mut Vec::new());
        files.retain(|f| f.kind == FileKind::Topics);
        let mut errors = Vec::new();
        read_content_dir(Path::new(dir), &mut files, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        files
    }

    /// What build.rs embeds for these files.
    fn prepare(files: &[SourceFile]) -> Vec<u8> {
        let items: Option<Vec<Items>> = files
            .iter()
            .map(|f| parse_whole(f.kind, &f.text).ok())
            .collect();
        postcard::to_allocvec(&items).unwrap_or_default()
    }

    #[test]
    fn broken_bundles_are_reported_from_the_text_with_places() {
        let fixtures = [
            // Files that do not parse: build.rs prepares nothing.
            (
                "tests/fixtures/broken",
                "decks/mixed.ron:8:13: mixed-unknown-field",
            ),
            // Files that parse but do not validate.
            (
                "tests/fixtures/invalid/duplicate-id",
                "decks/b-second.ron:5:17: duplicate-id: duplicate id",
            ),
            (
                "tests/fixtures/invalid/unknown-topic",
                "decks/unknown-topic.ron:6:22: unknown-topic: unknown topic",
            ),
        ];
        for (dir, expected) in fixtures {
            let files = bundle_like(dir);
            let prepared = prepare(&files);
            let from_text = validate::build(parse_all(files.clone()), Vec::new());
            let loaded = load_prepared(files, Vec::new(), &prepared, &[], None);
            let Err(errors) = loaded else {
                panic!("{dir}: loaded without errors");
            };
            assert_eq!(Err(errors.clone()), from_text.map(|_| ()), "{dir}");
            let expected = format!("{dir}/{expected}");
            assert!(
                errors
                    .0
                    .iter()
                    .any(|e| e.to_string().starts_with(&expected)),
                "{dir}: {errors}"
            );
        }
    }
}
