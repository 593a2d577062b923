//! The card's life against the published test vectors of fsrs.md and the step conventions, plus
//! properties over random review histories.

use proptest::prelude::*;

use super::*;

/// 2022-11-29 12:30 UTC.
const START: Timestamp = Timestamp(1_669_725_000_000);
const MIN: i64 = Timestamp::MINUTE;
const DAY: i64 = Timestamp::DAY;

fn scheduler(change: impl FnOnce(&mut SchedulerConfig)) -> Scheduler {
    let mut config = SchedulerConfig {
        fuzz: false,
        ..SchedulerConfig::default()
    };
    change(&mut config);
    Scheduler::new(config).unwrap()
}

fn utc(at: Timestamp) -> Now {
    Now {
        at,
        utc_offset_secs: 0,
    }
}

fn study_day(at: Timestamp) -> i64 {
    day_number(at, 0, 4)
}

fn close(actual: f32, expected: f32, tolerance: f32) -> bool {
    (actual - expected).abs() <= tolerance
}

#[test]
fn vector_1_intervals_reviewing_at_each_due_date() {
    use Grade::*;
    let scheduler = scheduler(|_| {});
    let grades = [
        Good, Good, Good, Good, Good, Good, Again, Again, Good, Good, Good, Good, Good,
    ];
    let mut card = CardState::new();
    let mut at = START;
    let mut intervals = Vec::new();
    for grade in grades {
        card = scheduler.review(&card, grade, utc(at), 0);
        // Intervals in study days: a Review card is due at the start of its day.
        intervals.push(study_day(card.due) - study_day(at));
        if card.phase == Phase::Review {
            assert_eq!(card.due, start_of_day(study_day(card.due), 0, 4));
            assert_eq!(
                i64::from(card.scheduled_days),
                study_day(card.due) - study_day(at)
            );
        }
        at = card.due;
    }
    assert_eq!(intervals, [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]);
    assert_eq!((card.reps, card.lapses), (13, 1));
}

#[test]
fn vector_2_memory_after_same_day_and_spaced_reviews() {
    use Grade::*;
    let scheduler = scheduler(|_| {});
    let mut card = CardState::new();
    let mut day = 0;
    for (grade, gap) in [
        (Again, 0),
        (Good, 0),
        (Good, 1),
        (Good, 3),
        (Good, 8),
        (Good, 21),
    ] {
        day += gap;
        card = scheduler.review(&card, grade, utc(START.plus_millis(day * DAY)), 0);
    }
    let memory = card.memory.unwrap();
    assert!(close(memory.stability, 53.62691, 1e-4), "{memory:?}");
    assert!(close(memory.difficulty, 6.3574867, 1e-4), "{memory:?}");
}

#[test]
fn vector_3_ten_easy_answers_in_one_second_reach_difficulty_one() {
    let scheduler = scheduler(|_| {});
    let mut card = CardState::new();
    for i in 0..10 {
        card = scheduler.review(&card, Grade::Easy, utc(START.plus_millis(i * 100)), 0);
    }
    assert_eq!(card.memory.unwrap().difficulty, 1.0);
}

#[test]
fn vector_4_retrievability_on_the_forgetting_curve() {
    let scheduler = scheduler(|_| {});
    let cases = [
        (0, 1.0, 1.0),
        (1, 2.0, 0.9403443),
        (2, 3.0, 0.9253786),
        (3, 4.0, 0.9185229),
        (4, 4.0, 0.9),
        (5, 2.0, 0.8261359),
    ];
    for (days, stability, expected) in cases {
        let card = CardState {
            phase: Phase::Review,
            memory: Some(Memory {
                stability,
                difficulty: 5.0,
            }),
            last_review: Some(START),
            ..CardState::new()
        };
        let recall = scheduler.retrievability(&card, START.plus_millis(days * DAY));
        assert!(
            close(recall.unwrap(), expected, 1e-6),
            "R({days}, {stability}) = {recall:?}"
        );
    }
    assert_eq!(scheduler.retrievability(&CardState::new(), START), None);
}

#[test]
fn learning_steps_follow_the_reference_conventions() {
    let scheduler = scheduler(|_| {});
    let now = utc(START);
    let first = scheduler.preview(&CardState::new(), now, 0);
    let waits = Grade::ALL.map(|grade| first.for_grade(grade).due.0 - START.0);
    assert_eq!(waits[..3], [MIN, 11 * MIN / 2, 10 * MIN]);
    assert_eq!(first.again.phase, Phase::Learning);
    assert_eq!((first.good.phase, first.good.step), (Phase::Learning, 1));
    assert_eq!(first.easy.phase, Phase::Review);
    assert_eq!(first.easy.scheduled_days, 8);

    // On the second step: Hard repeats it, Again goes back, Good graduates.
    let second = scheduler.preview(&first.good, utc(START.plus_millis(10 * MIN)), 0);
    assert_eq!(second.hard.due.0 - START.0, 20 * MIN);
    assert_eq!(
        (second.again.step, second.again.due.0 - START.0),
        (0, 11 * MIN)
    );
    assert_eq!(second.good.phase, Phase::Review);

    // A single step: Hard waits 1.5 times it.
    let one_step = scheduler_with_steps(vec![10]);
    let hard = one_step.review(&CardState::new(), Grade::Hard, now, 0);
    assert_eq!(hard.due.0 - START.0, 15 * MIN);
    // No steps: every first answer graduates.
    let no_steps = scheduler_with_steps(vec![]);
    let again = no_steps.review(&CardState::new(), Grade::Again, now, 0);
    assert_eq!((again.phase, again.scheduled_days), (Phase::Review, 1));
}

fn scheduler_with_steps(steps: Vec<u32>) -> Scheduler {
    scheduler(|config| config.learning_steps = steps)
}

#[test]
fn a_lapse_relearns_then_returns_to_review() {
    let scheduler = scheduler(|_| {});
    let review = scheduler.review(&CardState::new(), Grade::Easy, utc(START), 0);
    let later = review.due.plus_millis(3 * MIN);
    let lapsed = scheduler.review(&review, Grade::Again, utc(later), 0);
    assert_eq!(
        (lapsed.phase, lapsed.lapses, lapsed.step),
        (Phase::Relearning, 1, 0)
    );
    assert_eq!(lapsed.due.0 - later.0, 10 * MIN);
    assert!(lapsed.memory.unwrap().stability < review.memory.unwrap().stability);
    let hard = scheduler.review(&lapsed, Grade::Hard, utc(lapsed.due), 0);
    assert_eq!(
        (hard.phase, hard.due.0 - lapsed.due.0),
        (Phase::Relearning, 15 * MIN)
    );
    let back = scheduler.review(&lapsed, Grade::Good, utc(lapsed.due), 0);
    assert_eq!((back.phase, back.lapses), (Phase::Review, 1));

    // Without relearning steps a lapse goes straight back to Review.
    let no_relearning = scheduler_no_relearning();
    let lapsed = no_relearning.review(&review, Grade::Again, utc(later), 0);
    assert_eq!((lapsed.phase, lapsed.lapses), (Phase::Review, 1));
    assert!(lapsed.scheduled_days >= 1);
}

fn scheduler_no_relearning() -> Scheduler {
    scheduler(|config| config.relearning_steps.clear())
}

#[test]
fn same_day_hard_never_lowers_stability_as_in_fsrs_rs() {
    let scheduler = scheduler(|_| {});
    let review = scheduler.review(&CardState::new(), Grade::Easy, utc(START), 0);
    let before = review.memory.unwrap().stability;
    let hard = scheduler.review(&review, Grade::Hard, utc(START.plus_millis(MIN)), 0);
    assert!(hard.memory.unwrap().stability >= before);
}

#[test]
fn the_day_turns_at_the_start_hour_in_local_time() {
    let scheduler = scheduler(|_| {});
    // 23:30 local at UTC-5 on 29 Nov (04:30 UTC on the 30th): Easy gives 8 days, due at 04:00
    // local on 7 Dec, i.e. 09:00 UTC.
    let now = Now {
        at: Timestamp(1_669_782_600_000),
        utc_offset_secs: -5 * 3600,
    };
    let card = scheduler.review(&CardState::new(), Grade::Easy, now, 0);
    assert_eq!(card.due, Timestamp(1_670_403_600_000));
    // Shortly after midnight local it is still the same study day: t = 0 for a second review.
    let after_midnight = Now {
        at: now.at.plus_millis(90 * MIN),
        ..now
    };
    let same_day = scheduler.review(&card, Grade::Good, after_midnight, 0);
    let next_day = scheduler.review(
        &card,
        Grade::Good,
        Now {
            at: now.at.plus_millis(5 * 60 * MIN),
            ..now
        },
        0,
    );
    assert!(same_day.memory.unwrap().stability < next_day.memory.unwrap().stability);
}

#[test]
fn fuzz_spreads_long_intervals_by_seed_and_keeps_grades_ordered() {
    let plain = scheduler(|_| {});
    let fuzzed = scheduler(|config| config.fuzz = true);
    let mut card = CardState::new();
    for _ in 0..3 {
        card = plain.review(&card, Grade::Good, utc(card.due.max(START)), 0);
    }
    let now = utc(card.due);
    let base = plain.preview(&card, now, 0).good.scheduled_days;
    assert!(base > 20, "{base}");
    let (low, high) = fuzz_range(base, 36_500).unwrap();
    let drawn: std::collections::BTreeSet<u32> = (0..200)
        .map(|seed| fuzzed.review(&card, Grade::Good, now, seed).scheduled_days)
        .collect();
    assert!(drawn.len() > 3, "{drawn:?}");
    assert!(drawn.iter().all(|days| (low..=high).contains(days)));
    for seed in 0..50 {
        let preview = fuzzed.preview(&card, now, seed);
        assert!(preview.hard.scheduled_days <= preview.good.scheduled_days);
        assert!(preview.good.scheduled_days <= preview.easy.scheduled_days);
        assert_eq!(fuzzed.review(&card, Grade::Good, now, seed), preview.good);
    }
}

#[test]
fn intervals_for_display_read_like_the_buttons() {
    let scheduler = scheduler(|_| {});
    let preview = scheduler.preview(&CardState::new(), utc(START), 0);
    let labels = Grade::ALL
        .map(|grade| format_interval(preview.for_grade(grade).interval_for_display_ms(START)));
    assert_eq!(labels, ["1m", "6m", "10m", "8d"]);
}

#[test]
fn a_damaged_memory_restarts_instead_of_panicking() {
    let scheduler = scheduler(|_| {});
    let broken = CardState {
        phase: Phase::Review,
        memory: Some(Memory {
            stability: f32::NAN,
            difficulty: 5.0,
        }),
        last_review: Some(START),
        ..CardState::new()
    };
    let next = scheduler.review(&broken, Grade::Good, utc(START.plus_millis(DAY)), 0);
    assert!(next.memory.unwrap().stability.is_finite());
}

#[test]
fn card_state_round_trips_through_ron() {
    let scheduler = scheduler(|_| {});
    let card = scheduler.review(&CardState::new(), Grade::Good, utc(START), 0);
    let text = ron::to_string(&card).unwrap();
    assert_eq!(ron::from_str::<CardState>(&text).unwrap(), card);
}

fn grade() -> impl Strategy<Value = Grade> {
    (1u8..=4).prop_map(|n| Grade::from_number(n).unwrap())
}

/// A review history: (grade, minutes after the previous review, UTC offset in hours, fuzz seed).
fn history() -> impl Strategy<Value = Vec<(Grade, i64, i32, u64)>> {
    prop::collection::vec(
        (grade(), 0i64..90 * 24 * 60, -11i32..=14, any::<u64>()),
        0..14,
    )
}

fn replay(scheduler: &Scheduler, history: &[(Grade, i64, i32, u64)]) -> Vec<CardState> {
    let mut card = CardState::new();
    let mut at = START;
    let mut states = Vec::new();
    for &(grade, gap, offset_hours, seed) in history {
        at = at.plus_millis(gap * MIN);
        let now = Now {
            at,
            utc_offset_secs: offset_hours * 3600,
        };
        card = scheduler.review(&card, grade, now, seed);
        states.push(card.clone());
    }
    states
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn better_grades_never_wait_less(history in history(), gap in 0i64..400 * 24 * 60, seed: u64, fuzz: bool) {
        let scheduler = scheduler(|config| config.fuzz = fuzz);
        let card = replay(&scheduler, &history).pop().unwrap_or_default();
        let now = utc(card.last_review.unwrap_or(START).plus_millis(gap * MIN));
        let preview = scheduler.preview(&card, now, seed);
        let outcomes = [&preview.hard, &preview.good, &preview.easy];
        for pair in outcomes.windows(2) {
            let (worse, better) = (pair[0], pair[1]);
            prop_assert!(study_day(worse.due) <= study_day(better.due));
            if worse.phase == better.phase {
                prop_assert!(worse.due <= better.due);
                prop_assert!(worse.scheduled_days <= better.scheduled_days);
            }
        }
    }

    #[test]
    fn a_card_is_never_due_before_its_last_review(history in history(), fuzz: bool) {
        let scheduler = scheduler(|config| config.fuzz = fuzz);
        for state in replay(&scheduler, &history) {
            let last = state.last_review.unwrap();
            prop_assert!(state.due > last);
            let memory = state.memory.unwrap();
            prop_assert!(memory.stability > 0.0 && (1.0..=10.0).contains(&memory.difficulty));
            prop_assert!(state.scheduled_days <= 36_500);
        }
    }

    #[test]
    fn review_gives_what_preview_showed(history in history(), gap in 0i64..400 * 24 * 60, seed: u64) {
        let scheduler = scheduler(|config| config.fuzz = true);
        let card = replay(&scheduler, &history).pop().unwrap_or_default();
        let now = utc(card.last_review.unwrap_or(START).plus_millis(gap * MIN));
        let preview = scheduler.preview(&card, now, seed);
        for grade in Grade::ALL {
            prop_assert_eq!(preview.for_grade(grade), &scheduler.review(&card, grade, now, seed));
        }
    }

    #[test]
    fn the_same_history_always_gives_the_same_states(history in history()) {
        let scheduler = scheduler(|config| config.fuzz = true);
        prop_assert_eq!(replay(&scheduler, &history), replay(&scheduler, &history));
    }
}
