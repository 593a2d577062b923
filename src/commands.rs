//! One function per subcommand: what `main` calls after parsing the command line.
//! Each takes the parsed CLI and returns the process exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::Cli;
use crate::clock::{Clock, SystemClock};
use crate::content::{self, CardKind, Content};
use crate::store::{
    DataPaths, FittedParameters, PARAMETERS_SCHEMA, Stats, Store, fit_parameters, read_history,
};
use crate::tui::screens::study::StudyOptions;
use crate::tui::widgets::text::count;

/// Exit code for a command that this build does not provide yet.
const NOT_YET: u8 = 2;

/// Subcommands that later work provides: quiz, search, export, import.
pub fn not_yet(what: &str) -> ExitCode {
    eprintln!("deckhand: {what} is not yet available in this build");
    ExitCode::from(NOT_YET)
}

/// `deckhand` with no subcommand, and `deckhand study`: the terminal app. Everything that can
/// fail for a reason the user must fix (content, progress, config keys, an unknown topic) is
/// checked and reported on stderr before the terminal is taken over. `study` is `None` for the
/// home screen.
pub fn app(cli: &Cli, study: Option<StudyOptions>) -> ExitCode {
    use crate::tui::keymap::Keymap;
    use crate::tui::theme::Theme;
    use crate::tui::{App, ContentIndex, Env, Start};

    let topic = study.as_ref().and_then(|options| options.topic.as_deref());
    let clock = SystemClock;
    let paths = match DataPaths::resolve(cli.data_dir.as_deref()) {
        Ok(paths) => paths,
        Err(err) => return fail(err),
    };
    let content = match load_content(cli, &paths) {
        Ok(content) => content,
        Err(errors) => return fail(errors),
    };
    if let Some(topic) = topic
        && !content.topics.iter().any(|t| t.id == topic)
    {
        let known: Vec<&str> = content.topics.iter().map(|t| t.id.as_str()).collect();
        return fail(format!(
            "no topic {topic:?}; use one of: {}",
            known.join(", ")
        ));
    }
    let store = match Store::open_at(&paths, clock.now()) {
        Ok(store) => store,
        Err(err) => return fail(err),
    };
    let keys = store
        .config()
        .keys
        .iter()
        .map(|(a, k)| (a.as_str(), k.as_str()));
    let keymap = match Keymap::with_overrides(keys) {
        Ok(keymap) => keymap,
        Err(err) => return fail(format!("{}: {err}", paths.config_file.display())),
    };
    let theme = Theme::new(
        store.config().theme,
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    );
    let start = study.map_or(Start::Home, Start::Study);
    let index = ContentIndex::new(&content);
    let env = Env {
        content,
        index,
        store,
        clock: Box::new(clock),
        keymap,
        theme,
    };
    let mut app = App::new(env, start);
    if let Err(err) = crate::tui::run(&mut app) {
        return fail(format!("the terminal failed: {err}"));
    }
    match app.exit_error() {
        Some(err) => fail(format!("could not save on the way out: {err}")),
        None => ExitCode::SUCCESS,
    }
}

/// The extra content directories for this run: every `--content DIR`, then the data dir if it
/// holds decks/, notes/ or scenarios/.
pub fn extra_content_dirs(cli: &Cli, data_dir: Option<&Path>) -> Vec<PathBuf> {
    content::user_content_dirs(&cli.content, data_dir)
}

/// The course for the app and the read-only commands: user decks come from the parse cache while
/// unchanged. (`validate` reads every file's text on purpose.)
fn load_content(cli: &Cli, paths: &DataPaths) -> Result<Content, content::ContentErrors> {
    content::load_course_cached(
        &extra_content_dirs(cli, Some(&paths.data_dir)),
        &paths.cache_dir,
    )
}

/// `deckhand validate [DIR]`: DIR alone, or the bundled course with the user's own content.
pub fn validate(cli: &Cli, dir: Option<&Path>) -> ExitCode {
    let loaded = match dir {
        Some(dir) => content::load_dir(dir),
        None => {
            let paths = DataPaths::resolve(cli.data_dir.as_deref()).ok();
            let data_dir = paths.as_ref().map(|p| p.data_dir.as_path());
            content::load_course(&extra_content_dirs(cli, data_dir))
        }
    };
    match loaded {
        Ok(content) => {
            println!("ok: {}", content_summary(&content));
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

/// `21 topics, 240 cards (120 basic, ...), 21 notes, 12 scenarios`
fn content_summary(content: &Content) -> String {
    let of_kind = |kind: CardKind| content.cards.iter().filter(|c| c.kind() == kind).count();
    format!(
        "{}, {} ({} basic, {} cloze, {} multiple choice, {} multiple response), {}, {}",
        count(content.topics.len(), "topic"),
        count(content.cards.len(), "card"),
        of_kind(CardKind::Basic),
        of_kind(CardKind::Cloze),
        of_kind(CardKind::MultipleChoice),
        of_kind(CardKind::MultipleResponse),
        count(content.notes.len(), "note"),
        count(content.scenarios.len(), "scenario"),
    )
}

/// `deckhand stats [--json]`: reads progress without the lock (it never writes), so it works
/// while the app is open.
pub fn stats(cli: &Cli, json: bool) -> ExitCode {
    let now = SystemClock.now();
    let run = || -> Result<String, String> {
        let paths = DataPaths::resolve(cli.data_dir.as_deref()).map_err(|e| e.to_string())?;
        let store = Store::open_read_only(&paths, now).map_err(|e| e.to_string())?;
        for warning in store.warnings() {
            eprintln!("deckhand: warning: {warning}");
        }
        let content = load_content(cli, &paths).map_err(|e| e.to_string())?;
        let card_ids: Vec<&str> = content.cards.iter().map(|c| c.id.as_str()).collect();
        let stats = Stats::compute(&store, &card_ids, now);
        Ok(if json {
            format!("{}\n", stats.to_json())
        } else {
            stats.to_text()
        })
    };
    finish(run())
}

/// `deckhand optimize`: fits FSRS-6 parameters to the review log and keeps them only if they
/// predict the learner's reviews better than the defaults.
pub fn optimize(cli: &Cli) -> ExitCode {
    let run = || -> Result<String, String> {
        let paths = DataPaths::resolve(cli.data_dir.as_deref()).map_err(|e| e.to_string())?;
        let history = read_history(&paths).map_err(|e| e.to_string())?;
        let config = &history.config;
        let report = fit_parameters(
            &history.reviews,
            config.day_starts_at_hour,
            config.relearning_steps_mins.len(),
        )
        .map_err(|e| e.to_string())?;
        let mut out = format!(
            "Fitted FSRS-6 parameters to {} reviews.\nLog loss on those reviews (lower is \
             better): default parameters {:.4}, fitted {:.4}.\n",
            report.reviews_used, report.log_loss_default, report.log_loss_fitted
        );
        if report.log_loss_fitted >= report.log_loss_default {
            out.push_str(
                "The fit predicts your reviews no better than the defaults; nothing was saved.\n",
            );
            return Ok(out);
        }
        let fitted = FittedParameters {
            schema: PARAMETERS_SCHEMA,
            parameters: report.parameters,
            fitted_on_reviews: report.reviews_used as u64,
            log_loss_default: report.log_loss_default,
            log_loss_fitted: report.log_loss_fitted,
        };
        history
            .save_parameters(&fitted)
            .map_err(|e| e.to_string())?;
        out.push_str(&format!(
            "Saved to {}; deckhand schedules with them from now on.\n",
            paths.parameters().display()
        ));
        Ok(out)
    };
    finish(run())
}

/// Prints a command's report, or its error on stderr with a failing exit code.
fn finish(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => fail(message),
    }
}

/// Prints an error on stderr and gives the failing exit code.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("deckhand: {message}");
    ExitCode::FAILURE
}
