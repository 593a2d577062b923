//! Problems found while loading content, each tied to a file, a line, a column and (when known)
//! the id of the card, note or scenario it is about, so authors can jump straight to it.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one content file.
///
/// Displays as `path:line:column: id: message`, or `path:line:column: message` without an id,
/// the form editors and terminals recognise as a jump target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: {}{message}", path.display(), IdPrefix(id.as_deref()))]
pub struct ContentError {
    /// As shown to the user: `content/decks/ecs.ron` for bundled files, the real path otherwise.
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The id of the card, note, scenario or topic the problem belongs to, when known.
    pub id: Option<String>,
    pub message: String,
}

struct IdPrefix<'a>(Option<&'a str>);

impl fmt::Display for IdPrefix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, "{id}: "),
            None => Ok(()),
        }
    }
}

/// Every problem found in one load, sorted by path, line and column. Never empty when returned
/// as an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ContentErrors(pub Vec<ContentError>);

impl ContentErrors {
    /// Sorts the problems by place; the loader returns them this way.
    pub(crate) fn sorted(mut errors: Vec<ContentError>) -> ContentErrors {
        errors.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
        });
        errors.dedup();
        ContentErrors(errors)
    }

    /// How many different files have at least one problem.
    pub fn file_count(&self) -> usize {
        self.0
            .iter()
            .map(|e| e.path.as_path())
            .collect::<BTreeSet<&Path>>()
            .len()
    }

    /// The summary line: `3 problems in 2 files`.
    pub fn summary(&self) -> String {
        let problems = self.0.len();
        let files = self.file_count();
        format!(
            "{problems} problem{} in {files} file{}",
            if problems == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        )
    }
}

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.0 {
            writeln!(f, "{error}")?;
        }
        write!(f, "{}", self.summary())
    }
}
