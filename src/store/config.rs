//! `config.ron`: the learner's settings, read strictly. A missing file means the defaults of
//! PRODUCT.md; a bad one stops with its line, column and the fix, because silently falling back
//! would schedule with settings the learner did not choose.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use serde::Deserialize;

use super::error::StoreError;
use crate::content::Document;
use crate::schedule::{
    DailyLimits, RETENTION_RANGE, SchedulerConfig, day_start_hour_allowed, retention_allowed,
    step_allowed,
};

/// The config schema this build reads and writes.
pub const CONFIG_SCHEMA: u32 = 1;

const MAX_STEP_MINS: u32 = 30 * 24 * 60;
const MAX_STEPS: usize = 10;
const MAX_NEW_PER_DAY: u32 = 9_999;
const MAX_REVIEWS_PER_DAY: u32 = 99_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Dark,
    Light,
}

/// The validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub desired_retention: f32,
    pub new_per_day: u32,
    pub max_reviews_per_day: u32,
    /// Learning steps in minutes, in order ("1h" = 60).
    pub learning_steps_mins: Vec<u32>,
    pub relearning_steps_mins: Vec<u32>,
    /// Local hour (0-23) at which a new study day begins.
    pub day_starts_at_hour: u8,
    pub theme: Theme,
    /// Action name -> key, as written by the user; the TUI interprets and validates them.
    pub keys: BTreeMap<String, String>,
}

/// The product defaults, taken from the scheduler's own so they are written once.
impl Default for Config {
    fn default() -> Self {
        let schedule = SchedulerConfig::default();
        let limits = DailyLimits::default();
        Config {
            desired_retention: schedule.desired_retention,
            new_per_day: limits.new_per_day,
            max_reviews_per_day: limits.max_reviews_per_day,
            learning_steps_mins: schedule.learning_steps,
            relearning_steps_mins: schedule.relearning_steps,
            day_starts_at_hour: schedule.day_start_hour,
            theme: Theme::Auto,
            keys: BTreeMap::new(),
        }
    }
}

/// The file as written; every field optional so a config can name only what it changes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default, rename = "config")]
struct RawConfig {
    schema: Option<u32>,
    desired_retention: Option<f32>,
    new_per_day: Option<u32>,
    max_reviews_per_day: Option<u32>,
    learning_steps: Option<Vec<String>>,
    relearning_steps: Option<Vec<String>>,
    day_starts_at_hour: Option<u8>,
    theme: Option<String>,
    keys: Option<BTreeMap<String, String>>,
}

impl Config {
    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Config, StoreError> {
        match fs::read_to_string(path) {
            Ok(text) => Config::parse(path, &text),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(StoreError::io("read", path, e)),
        }
    }

    /// Parses and validates the text of a config file; `path` is only for messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, StoreError> {
        // Implicit `Some` so the file reads `new_per_day: 5`, not `new_per_day: Some(5)`.
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let raw: RawConfig = options.from_str(text).map_err(|e| StoreError::Config {
            path: path.to_path_buf(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })?;
        // Parsed again only when a value is refused; the locator reads RON structure, so
        // `learning_steps` is never mistaken for the tail of `relearning_steps`.
        let bad = |field: &str, message: String| {
            let at = Document::new(text).locate_name(field);
            StoreError::Config {
                path: path.to_path_buf(),
                line: at.line,
                column: at.column,
                message,
            }
        };
        let schema = raw.schema.unwrap_or(CONFIG_SCHEMA);
        if schema > CONFIG_SCHEMA {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: schema,
                supported: CONFIG_SCHEMA,
            });
        }
        if schema == 0 {
            return Err(bad(
                "schema",
                "schema 0 does not exist; write `schema: 1`".into(),
            ));
        }
        let defaults = Config::default();
        let desired_retention = raw.desired_retention.unwrap_or(defaults.desired_retention);
        if !retention_allowed(desired_retention) {
            let (lo, hi) = RETENTION_RANGE;
            return Err(bad(
                "desired_retention",
                format!(
                    "desired_retention {desired_retention} is outside {lo}..{hi}; 0.90 is a good start"
                ),
            ));
        }
        let new_per_day = raw.new_per_day.unwrap_or(defaults.new_per_day);
        if new_per_day > MAX_NEW_PER_DAY {
            return Err(bad(
                "new_per_day",
                format!("new_per_day {new_per_day} is more than {MAX_NEW_PER_DAY}"),
            ));
        }
        let max_reviews_per_day = raw
            .max_reviews_per_day
            .unwrap_or(defaults.max_reviews_per_day);
        if max_reviews_per_day > MAX_REVIEWS_PER_DAY {
            return Err(bad(
                "max_reviews_per_day",
                format!(
                    "max_reviews_per_day {max_reviews_per_day} is more than {MAX_REVIEWS_PER_DAY}"
                ),
            ));
        }
        let steps = |field: &str, raw: Option<Vec<String>>, default: Vec<u32>| match raw {
            None => Ok(default),
            Some(list) => {
                if list.len() > MAX_STEPS {
                    return Err(bad(
                        field,
                        format!("{field} has more than {MAX_STEPS} steps"),
                    ));
                }
                list.iter()
                    .map(|s| parse_step(s).map_err(|m| bad(field, format!("{field}: {m}"))))
                    .collect()
            }
        };
        let learning_steps_mins = steps(
            "learning_steps",
            raw.learning_steps,
            defaults.learning_steps_mins,
        )?;
        let relearning_steps_mins = steps(
            "relearning_steps",
            raw.relearning_steps,
            defaults.relearning_steps_mins,
        )?;
        let day_starts_at_hour = raw
            .day_starts_at_hour
            .unwrap_or(defaults.day_starts_at_hour);
        if !day_start_hour_allowed(day_starts_at_hour) {
            return Err(bad(
                "day_starts_at_hour",
                format!("day_starts_at_hour {day_starts_at_hour} is not an hour of the day (0-23)"),
            ));
        }
        let theme = match raw.theme.as_deref() {
            None | Some("auto") => Theme::Auto,
            Some("dark") => Theme::Dark,
            Some("light") => Theme::Light,
            Some(other) => {
                return Err(bad(
                    "theme",
                    format!("theme {other:?} is not one of \"auto\", \"dark\", \"light\""),
                ));
            }
        };
        Ok(Config {
            desired_retention,
            new_per_day,
            max_reviews_per_day,
            learning_steps_mins,
            relearning_steps_mins,
            day_starts_at_hour,
            theme,
            keys: raw.keys.unwrap_or_default(),
        })
    }
}

/// "1m", "10m", "2h", "1d" -> minutes (the scheduler's unit).
fn parse_step(step: &str) -> Result<u32, String> {
    let fix = "write steps like \"1m\", \"10m\", \"1h\" or \"1d\" (whole minutes at least)";
    let split = step.len().saturating_sub(1);
    let (number, unit) = (
        step.get(..split).unwrap_or(""),
        step.get(split..).unwrap_or(""),
    );
    let scale = match unit {
        "m" => 1,
        "h" => 60,
        "d" => 1440,
        _ => return Err(format!("step {step:?} has no unit; {fix}")),
    };
    let n: u32 = number
        .parse()
        .map_err(|_| format!("step {step:?} is not a whole number with a unit; {fix}"))?;
    let mins = n.saturating_mul(scale);
    if !step_allowed(mins) || mins > MAX_STEP_MINS {
        return Err(format!("step {step:?} must be between 1m and 30d"));
    }
    Ok(mins)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("/d/config.ron"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn missing_file_gives_the_product_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::load(&dir.path().join("config.ron")).unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.desired_retention, 0.90);
        assert_eq!(config.learning_steps_mins, vec![1, 10]);
        assert_eq!(config.day_starts_at_hour, 4);
    }

    #[test]
    fn a_full_config_is_read() {
        let config = parse(
            r#"(
                schema: 1,
                desired_retention: 0.85,
                new_per_day: 5,
                max_reviews_per_day: 50,
                learning_steps: ["5m", "1h", "2d"],
                relearning_steps: [],
                day_starts_at_hour: 0,
                theme: "dark",
                keys: {"undo": "z"},
            )"#,
        )
        .unwrap();
        assert_eq!(config.desired_retention, 0.85);
        assert_eq!(config.learning_steps_mins, vec![5, 60, 2880]);
        assert!(config.relearning_steps_mins.is_empty());
        assert_eq!(config.theme, Theme::Dark);
        assert_eq!(config.keys.get("undo").map(String::as_str), Some("z"));
    }

    #[test]
    fn unknown_fields_are_refused_with_their_position() {
        let err = parse("(\n  desired_retention: 0.9,\n  new_per_dya: 3,\n)").unwrap_err();
        assert!(err.starts_with("/d/config.ron:3:"), "{err}");
        assert!(err.contains("new_per_dya"), "{err}");
        assert!(err.contains("fix the file"), "{err}");
    }

    #[test]
    fn out_of_range_values_are_refused_with_their_position() {
        let err = parse("(\n  desired_retention: 0.5,\n)").unwrap_err();
        assert_eq!(
            err,
            "/d/config.ron:2:3: desired_retention 0.5 is outside 0.7..0.99; 0.90 is a good start\n  \
             fix the file (or delete it to go back to the defaults); deckhand changed no file"
        );
        assert!(
            parse("(day_starts_at_hour: 24)")
                .unwrap_err()
                .contains("0-23")
        );
        assert!(
            parse("(learning_steps: [\"10\"])")
                .unwrap_err()
                .contains("no unit")
        );
        assert!(
            parse("(learning_steps: [\"0m\"])")
                .unwrap_err()
                .contains("between")
        );
        assert!(parse("(theme: \"pink\")").unwrap_err().contains("\"auto\""));
    }

    #[test]
    fn a_bad_field_is_placed_at_its_own_name_not_a_longer_one_ending_in_it() {
        let err =
            parse("(\n  relearning_steps: [\"10m\"],\n  learning_steps: [\"0m\"],\n)").unwrap_err();
        assert!(err.starts_with("/d/config.ron:3:3: "), "{err}");
    }

    #[test]
    fn schema_versions_current_is_accepted_newer_refused() {
        assert!(parse("(schema: 1)").is_ok());
        let err = parse("(schema: 2)").unwrap_err();
        assert!(err.contains("newer deckhand (schema 2"), "{err}");
    }

    #[test]
    fn garbled_ron_reports_line_and_column() {
        let err = parse("(\n  desired_retention: 0.9\n  new_per_day: 3,\n)").unwrap_err();
        assert!(err.starts_with("/d/config.ron:3:"), "{err}");
    }
}
