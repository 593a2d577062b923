//! Fuzz: review intervals of 2.5 days or more are spread uniformly over [I - d, I + d] so cards
//! learnt on the same day do not stay due on the same days forever.
//!
//! The draw comes from our own SplitMix64 of the caller's seed, not from `rand`: the store derives
//! the seed from the review id and replays the log, so the mapping seed -> interval must never
//! change with a dependency upgrade (rand documents that its generators are not portable).

/// Intervals shorter than this many days are never fuzzed.
const FUZZ_FROM_DAYS: f64 = 2.5;

/// (from, to, factor): d grows by `factor` per day of the interval within each band.
const FUZZ_BANDS: [(f64, f64, f64); 3] =
    [(2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, f64::MAX, 0.05)];

/// Half-width d of the fuzz range for an interval of `interval_days`:
/// 1 + 0.15 per day within 2.5..7 + 0.10 per day within 7..20 + 0.05 per day above 20.
pub fn fuzz_delta(interval_days: f64) -> f64 {
    FUZZ_BANDS
        .iter()
        .map(|&(from, to, factor)| factor * (interval_days.min(to) - from).max(0.0))
        .sum::<f64>()
        + 1.0
}

/// The whole days inside [I - d, I + d], also kept within [2, maximum]; None when I is too short
/// to fuzz. The ends are rounded inwards, so every fuzzed interval lies inside the real range.
pub fn fuzz_range(interval_days: u32, maximum_days: u32) -> Option<(u32, u32)> {
    let interval = f64::from(interval_days);
    if interval < FUZZ_FROM_DAYS {
        return None;
    }
    let delta = fuzz_delta(interval);
    let high = ((interval + delta).floor() as u32).min(maximum_days);
    let low = ((interval - delta).ceil() as u32).max(2).min(high);
    Some((low, high))
}

/// `interval_days` fuzzed with the draw `seed` gives; unchanged when it is too short to fuzz.
pub fn fuzzed_interval(interval_days: u32, maximum_days: u32, seed: u64) -> u32 {
    match fuzz_range(interval_days, maximum_days) {
        Some((low, high)) => {
            let choices = u64::from(high - low) + 1;
            // Multiply-shift maps the 64-bit draw onto 0..choices without modulo bias worth noting.
            let pick = ((u128::from(splitmix64(seed)) * u128::from(choices)) >> 64) as u32;
            low + pick
        }
        None => interval_days,
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): one well-mixed 64-bit value per seed.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn delta_follows_the_bands() {
        assert_eq!(fuzz_delta(2.0), 1.0);
        assert!((fuzz_delta(7.0) - (1.0 + 0.15 * 4.5)).abs() < 1e-9);
        assert!((fuzz_delta(100.0) - (1.0 + 0.15 * 4.5 + 0.10 * 13.0 + 0.05 * 80.0)).abs() < 1e-9);
    }

    #[test]
    fn short_intervals_are_not_fuzzed() {
        assert_eq!(fuzz_range(2, 36_500), None);
        for seed in 0..100 {
            assert_eq!(fuzzed_interval(1, 36_500, seed), 1);
            assert_eq!(fuzzed_interval(2, 36_500, seed), 2);
        }
        // 3 days: d = 1.075, so 2..=4.
        assert_eq!(fuzz_range(3, 36_500), Some((2, 4)));
    }

    #[test]
    fn the_draw_covers_the_range_and_is_fixed_per_seed() {
        let (low, high) = fuzz_range(30, 36_500).unwrap();
        let drawn: std::collections::BTreeSet<u32> = (0..2000)
            .map(|seed| fuzzed_interval(30, 36_500, seed))
            .collect();
        assert_eq!(drawn.first(), Some(&low));
        assert_eq!(drawn.last(), Some(&high));
        assert_eq!(drawn.len() as u32, high - low + 1);
        // Pinned: a change here would change every replayed schedule.
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn fuzzed_intervals_stay_within_i_plus_minus_d(
            interval in 1u32..40_000,
            maximum in 1u32..40_000,
            seed: u64,
        ) {
            let interval = interval.min(maximum);
            let fuzzed = fuzzed_interval(interval, maximum, seed);
            prop_assert!(fuzzed <= maximum);
            if f64::from(interval) < FUZZ_FROM_DAYS {
                prop_assert_eq!(fuzzed, interval);
            } else {
                let delta = fuzz_delta(f64::from(interval));
                prop_assert!(f64::from(fuzzed) >= f64::from(interval) - delta);
                prop_assert!(f64::from(fuzzed) <= f64::from(interval) + delta);
            }
        }

        /// The scheduler relies on this to keep Hard <= Good <= Easy after fuzz.
        #[test]
        fn with_one_seed_a_longer_interval_never_fuzzes_shorter(
            shorter in 1u32..40_000,
            longer in 1u32..40_000,
            maximum in 1u32..40_000,
            seed: u64,
        ) {
            let (shorter, longer) = (shorter.min(longer).min(maximum), longer.max(shorter).min(maximum));
            prop_assert!(fuzzed_interval(shorter, maximum, seed) <= fuzzed_interval(longer, maximum, seed));
        }
    }
}
