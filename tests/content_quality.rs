//! The course as a learner meets it: checks on the real bundled content that the loader's
//! structural validation does not make — counts, duplicate prompts, answers given away — and that
//! content/COVERAGE.md ties every seed fact to items that exist.

use std::collections::{HashMap, HashSet};

use deckhand::content::{CardBody, CardKind, ClozeSegment, Content, Question, load_course};

fn course() -> Content {
    match load_course(&[]) {
        Ok(content) => content,
        Err(errors) => panic!("the bundled course does not load:\n{errors}"),
    }
}

/// Lowercase, letters and digits only, single spaces: two prompts that differ only in case,
/// punctuation or spacing count as the same prompt.
fn normalize(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the learner sees before answering, and the answer.
fn prompt_and_answer(body: &CardBody) -> (String, Vec<String>) {
    match body {
        CardBody::Basic { front, back } => (front.clone(), vec![back.clone()]),
        CardBody::Cloze(cloze) => {
            let mut shown = String::new();
            let mut hidden = Vec::new();
            for segment in &cloze.segments {
                match segment {
                    ClozeSegment::Text(text) => shown.push_str(text),
                    ClozeSegment::Hidden { answer, hint } => {
                        shown.push_str(hint.as_deref().unwrap_or("[...]"));
                        hidden.push(answer.clone());
                    }
                }
            }
            (shown, hidden)
        }
        CardBody::Choice(question) => (question.stem.clone(), correct_texts(question)),
    }
}

fn correct_texts(question: &Question) -> Vec<String> {
    question
        .options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.text.clone())
        .collect()
}

fn every_option_has_a_why(question: &Question) -> bool {
    question.options.iter().all(|o| !o.why.trim().is_empty())
}

#[test]
fn the_course_has_the_promised_volume() {
    let content = course();
    let count = |kinds: &[CardKind]| {
        content
            .cards
            .iter()
            .filter(|c| kinds.contains(&c.kind()))
            .count()
    };
    let cards = count(&[CardKind::Basic, CardKind::Cloze]);
    let questions = count(&[CardKind::MultipleChoice, CardKind::MultipleResponse]);
    assert!(
        cards >= 220,
        "{cards} basic and cloze cards, want at least 220"
    );
    assert!(
        questions >= 140,
        "{questions} exam-style questions, want at least 140"
    );
    assert!(
        content.scenarios.len() >= 10,
        "{} scenarios, want at least 10",
        content.scenarios.len()
    );
    let with_note: HashSet<&str> = content.notes.iter().map(|n| n.topic.as_str()).collect();
    let without: Vec<&str> = content
        .topics
        .iter()
        .map(|t| t.id.as_str())
        .filter(|t| !with_note.contains(t))
        .collect();
    assert!(without.is_empty(), "topics without a note: {without:?}");
}

#[test]
fn every_item_has_topics_and_every_option_a_why() {
    let content = course();
    let mut problems = Vec::new();
    for card in &content.cards {
        if card.topics.is_empty() {
            problems.push(format!("{}: no topics", card.id));
        }
        if let CardBody::Choice(question) = &card.body
            && !every_option_has_a_why(question)
        {
            problems.push(format!("{}: an option without a why", card.id));
        }
    }
    for scenario in &content.scenarios {
        if scenario.topics.is_empty() {
            problems.push(format!("{}: no topics", scenario.id));
        }
        for (n, step) in scenario.steps.iter().enumerate() {
            if !every_option_has_a_why(&step.question) {
                problems.push(format!(
                    "{} step {}: an option without a why",
                    scenario.id,
                    n + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_two_items_share_a_prompt() {
    let content = course();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut problems = Vec::new();
    let prompts = content
        .cards
        .iter()
        .map(|c| (c.id.clone(), prompt_and_answer(&c.body).0))
        .chain(content.scenarios.iter().flat_map(|s| {
            s.steps.iter().enumerate().map(|(n, step)| {
                (
                    format!("{} step {}", s.id, n + 1),
                    step.question.stem.clone(),
                )
            })
        }));
    for (id, prompt) in prompts {
        if let Some(first) = seen.insert(normalize(&prompt), id.clone()) {
            problems.push(format!("{id} asks the same as {first}: {prompt:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_front_gives_its_answer_away() {
    let content = course();
    let mut problems = Vec::new();
    for card in &content.cards {
        let (prompt, answers) = prompt_and_answer(&card.body);
        let prompt = normalize(&prompt);
        for answer in answers {
            let answer = normalize(&answer);
            // Short answers ("ALB", "20 GiB") may fairly appear in a question's wording.
            if answer.split(' ').count() >= 3 && prompt.contains(&answer) {
                problems.push(format!(
                    "{}: the front contains its answer {answer:?}",
                    card.id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn coverage_ties_every_seed_fact_to_existing_items() {
    let content = course();
    let ids: HashSet<&str> = content
        .cards
        .iter()
        .map(|c| c.id.as_str())
        .chain(content.notes.iter().map(|n| n.id.as_str()))
        .chain(content.scenarios.iter().map(|s| s.id.as_str()))
        .collect();
    let coverage = match std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/COVERAGE.md"
    )) {
        Ok(text) => text,
        Err(err) => panic!("content/COVERAGE.md: {err}"),
    };
    let seeds_covered = coverage.lines().filter(|l| l.starts_with("## ")).count();
    assert!(
        seeds_covered >= 5,
        "COVERAGE.md has {seeds_covered} seed sections, want all 5"
    );
    let mut facts = 0;
    let mut problems = Vec::new();
    for (n, line) in coverage.lines().enumerate() {
        let Some(fact) = line.strip_prefix("- ") else {
            continue;
        };
        facts += 1;
        let Some((_, cited)) = fact.rsplit_once(" — ") else {
            problems.push(format!("COVERAGE.md:{}: a fact without ids: {line}", n + 1));
            continue;
        };
        let cited: Vec<&str> = cited
            .split(',')
            .map(|id| id.trim().trim_matches('`'))
            .filter(|id| !id.is_empty())
            .collect();
        if cited.is_empty() {
            problems.push(format!("COVERAGE.md:{}: a fact without ids: {line}", n + 1));
        }
        for id in cited {
            if !ids.contains(id) {
                problems.push(format!("COVERAGE.md:{}: no item has the id {id:?}", n + 1));
            }
        }
    }
    assert!(
        facts >= 100,
        "COVERAGE.md lists {facts} facts; the five seeds hold far more"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
