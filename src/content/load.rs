//! Gathers content files (the bundled course, extra directories) and parses them with ron into
//! the raw mirrors, turning every read and parse failure into a located [`ContentError`].
//!
//! serde stops at the first problem in a file, so when a file fails, its list of items (a deck's
//! cards, the topics) is parsed again item by item: one broken card does not hide the others'
//! problems, and the good cards still get checked. That second pass runs only on failure.

use std::borrow::Cow;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::error::{ContentError, ContentErrors};
use super::locate::{Document, Position, position_of};
use super::model::Content;
use super::validate;

/// What a content file holds, from where it sits in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Topics,
    Deck,
    Note,
    Scenario,
}

/// One content file's text, before parsing.
pub(crate) struct SourceFile {
    /// As shown in messages: `content/decks/ecs.ron` when bundled, the real path otherwise.
    pub shown: PathBuf,
    pub kind: FileKind,
    pub text: Cow<'static, str>,
}

/// The folders of a content directory, with the kind of file each holds.
const FOLDERS: [(&str, FileKind); 3] = [
    ("decks", FileKind::Deck),
    ("notes", FileKind::Note),
    ("scenarios", FileKind::Scenario),
];

/// The bundled course plus each directory of `extra_dirs` (decks/, notes/, scenarios/ and an
/// optional topics.ron whose topics are added to the bundled tree). Every directory given must
/// exist: pass the data dir's folders only when [`user_content_dirs`] says they are there.
pub fn load_course(extra_dirs: &[PathBuf]) -> Result<Content, ContentErrors> {
    let mut errors = Vec::new();
    let mut files = bundled_files(&mut errors);
    for dir in extra_dirs {
        read_content_dir(dir, &mut files, &mut errors);
    }
    validate::build(files, errors)
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
    validate::build(files, errors)
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
        let kind = if relative == "topics.ron" {
            Some(FileKind::Topics)
        } else {
            relative.split_once('/').and_then(|(folder, _)| {
                FOLDERS
                    .iter()
                    .find(|(name, _)| *name == folder)
                    .map(|&(_, kind)| kind)
            })
        };
        match kind {
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
        return;
    }
    let topics = dir.join("topics.ron");
    let has_topics = topics.exists();
    if has_topics {
        read_file(&topics, FileKind::Topics, files, errors);
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
        for path in paths {
            read_file(&path, kind, files, errors);
        }
    }
    if !has_topics && !found_folder {
        errors.push(file_error(
            dir,
            "holds no content: expected topics.ron, decks/, notes/ or scenarios/".to_string(),
        ));
    }
}

fn read_file(
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

/// A file parsed whole, or, after a failure, those of its items that parse on their own (with
/// their index in the list) and every problem found.
pub(crate) enum Parsed<F, I> {
    Whole(F),
    Items(Vec<(usize, I)>, Vec<Problem>),
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Parses a file of type `F`; on failure, parses the items of its list field `list` as `I`.
pub(crate) fn parse_file<F: DeserializeOwned, I: DeserializeOwned>(
    src: &str,
    list: &str,
) -> Parsed<F, I> {
    let whole_error = match ron_options().from_str::<F>(src) {
        Ok(file) => return Parsed::Whole(file),
        Err(err) => err,
    };
    let doc = Document::new(src);
    // A note or scenario has its id at the top; problems inside it are about that item.
    let file_id = doc.plain_string("id").map(str::to_string);
    let mut whole = ron_problem(&doc, 0, &whole_error);
    whole.id.clone_from(&file_id);
    let Some(spans) = doc.item_spans(list) else {
        return Parsed::Items(Vec::new(), vec![whole]);
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
    Parsed::Items(items, problems)
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
