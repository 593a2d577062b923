//! `parameters.ron`: the FSRS-6 weights fitted by `deckhand optimize`. Absent means the crate's
//! defaults; present, they replace them for every review from then on (and for replays).

use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use crate::fsio::write_atomic;

/// The parameters schema this build reads and writes.
pub const PARAMETERS_SCHEMA: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FittedParameters {
    pub schema: u32,
    /// w0..w20.
    pub parameters: Vec<f32>,
    /// How many reviews the fit used, for the record.
    pub fitted_on_reviews: u64,
    /// Log loss of the default and of these parameters on those reviews.
    pub log_loss_default: f32,
    pub log_loss_fitted: f32,
}

impl FittedParameters {
    /// Reads `path`; `None` when there is no such file.
    pub fn load(path: &Path) -> Result<Option<FittedParameters>, StoreError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io("read", path, e)),
        };
        let bad = |message: String| StoreError::Parameters {
            path: path.to_path_buf(),
            message: format!(
                "{message}\n  delete the file to go back to the default parameters (run \
                 `deckhand optimize` to fit them again); deckhand changed no file"
            ),
        };
        let fitted: FittedParameters = ron::from_str(&text).map_err(|e| {
            bad(format!(
                "{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            ))
        })?;
        if fitted.schema > PARAMETERS_SCHEMA {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: fitted.schema,
                supported: PARAMETERS_SCHEMA,
            });
        }
        if fitted.schema == 0 {
            return Err(bad("schema 0 does not exist".into()));
        }
        if fitted.parameters.len() != crate::schedule::DEFAULT_PARAMETERS.len()
            || fitted.parameters.iter().any(|w| !w.is_finite())
        {
            return Err(bad(format!(
                "expected {} finite parameters, found {}",
                crate::schedule::DEFAULT_PARAMETERS.len(),
                fitted.parameters.len()
            )));
        }
        Ok(Some(fitted))
    }

    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| StoreError::io("write", path, io::Error::other(e)))?;
        Ok(write_atomic(path, format!("{text}\n").as_bytes())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fitted() -> FittedParameters {
        FittedParameters {
            schema: PARAMETERS_SCHEMA,
            parameters: crate::schedule::DEFAULT_PARAMETERS
                .iter()
                .map(|w| w * 1.0001)
                .collect(),
            fitted_on_reviews: 1234,
            log_loss_default: 0.35,
            log_loss_fitted: 0.3123456,
        }
    }

    #[test]
    fn saved_parameters_read_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parameters.ron");
        assert_eq!(FittedParameters::load(&path).unwrap(), None);
        fitted().save(&path).unwrap();
        assert_eq!(FittedParameters::load(&path).unwrap(), Some(fitted()));
    }

    #[test]
    fn newer_schema_is_refused_and_current_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parameters.ron");
        let mut newer = fitted();
        newer.schema = PARAMETERS_SCHEMA + 1;
        newer.save(&path).unwrap();
        let before = fs::read(&path).unwrap();
        let err = FittedParameters::load(&path).unwrap_err().to_string();
        assert!(err.contains("newer deckhand (schema 2"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_wrong_count_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parameters.ron");
        let mut short = fitted();
        short.parameters.truncate(19);
        short.save(&path).unwrap();
        let err = FittedParameters::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("expected 21 finite parameters, found 19"),
            "{err}"
        );
        assert!(err.contains("delete the file"), "{err}");
    }
}
