//! Study days and interval labels. A study day runs from `day_start_hour` local time to the same
//! hour the next day (4 am by default, so a late-night session still counts as "today"); review
//! intervals are counted in study days, like Anki.

use super::Timestamp;

/// Index of the study day containing `at`: days since 1970-01-01 at `day_start_hour` local time.
pub fn day_number(at: Timestamp, utc_offset_secs: i32, day_start_hour: u8) -> i64 {
    let local =
        at.0.saturating_add(i64::from(utc_offset_secs) * 1000)
            .saturating_sub(i64::from(day_start_hour) * Timestamp::HOUR);
    local.div_euclid(Timestamp::DAY)
}

/// The moment study day `day` begins, for a clock at `utc_offset_secs`.
pub fn start_of_day(day: i64, utc_offset_secs: i32, day_start_hour: u8) -> Timestamp {
    Timestamp(
        day.saturating_mul(Timestamp::DAY)
            .saturating_add(i64::from(day_start_hour) * Timestamp::HOUR)
            .saturating_sub(i64::from(utc_offset_secs) * 1000),
    )
}

/// When the study day after the one containing `at` begins (when buried cards come back).
pub fn start_of_next_day(at: Timestamp, utc_offset_secs: i32, day_start_hour: u8) -> Timestamp {
    let today = day_number(at, utc_offset_secs, day_start_hour);
    start_of_day(today + 1, utc_offset_secs, day_start_hour)
}

/// A compact label for a wait, for the grade buttons: "45s", "1m", "10m", "1h", "2.5h", "2d",
/// "11d", "3.2mo", "1.4y". Months are 30 days and years 365, as in Anki; negative waits read "0s".
pub fn format_interval(ms: i64) -> String {
    let secs = ms.max(0) as f64 / 1000.0;
    let minutes = secs / 60.0;
    let hours = minutes / 60.0;
    let days = hours / 24.0;
    // Each unit is used while its rounded value stays below the next unit, so 59.7 minutes
    // reads "1h", never "60m".
    if secs.round() < 60.0 {
        format!("{}s", secs.round())
    } else if minutes.round() < 60.0 {
        format!("{}m", minutes.round())
    } else if one_decimal(hours) < 24.0 {
        format!("{}h", trimmed(hours))
    } else if days.round() < 30.0 {
        format!("{}d", days.round())
    } else if one_decimal(days / 30.0) < 12.0 {
        format!("{}mo", trimmed(days / 30.0))
    } else {
        format!("{}y", trimmed(days / 365.0))
    }
}

fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// One decimal, without a trailing ".0" ("1h", "2.5h").
fn trimmed(value: f64) -> String {
    let rounded = one_decimal(value);
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = Timestamp::HOUR;

    #[test]
    fn the_study_day_turns_at_the_start_hour_local_time() {
        // 2022-11-29 03:59 and 04:00 UTC, offset 0: the day turns at 04:00.
        let midnight = Timestamp(1_669_680_000_000);
        let before = midnight.plus_millis(4 * H - 60_000);
        let at = midnight.plus_millis(4 * H);
        assert_eq!(day_number(at, 0, 4), day_number(before, 0, 4) + 1);
        // At UTC+2 the local 04:00 is 02:00 UTC.
        assert_eq!(
            day_number(midnight.plus_millis(2 * H), 7200, 4),
            day_number(midnight.plus_millis(2 * H - 1), 7200, 4) + 1
        );
        let day = day_number(at, 7200, 4);
        assert_eq!(day_number(start_of_day(day, 7200, 4), 7200, 4), day);
        assert_eq!(
            day_number(start_of_day(day, 7200, 4).plus_millis(-1), 7200, 4),
            day - 1
        );
    }

    #[test]
    fn days_before_1970_count_down() {
        assert_eq!(day_number(Timestamp(-1), 0, 0), -1);
        assert_eq!(start_of_day(-1, 0, 0), Timestamp(-Timestamp::DAY));
    }

    #[test]
    fn next_day_starts_after_now_and_within_a_day() {
        let at = Timestamp(1_669_725_000_000);
        let next = start_of_next_day(at, -18_000, 4);
        assert!(next > at && next.0 - at.0 <= Timestamp::DAY);
        assert_eq!(day_number(next, -18_000, 4), day_number(at, -18_000, 4) + 1);
    }

    #[test]
    fn labels_are_compact() {
        let m = Timestamp::MINUTE;
        let d = Timestamp::DAY;
        let cases = [
            (-5, "0s"),
            (45_000, "45s"),
            (m, "1m"),
            (90_000, "2m"),
            (10 * m, "10m"),
            (59 * m + 40_000, "1h"),
            (H, "1h"),
            (5 * H / 2, "2.5h"),
            (2 * d, "2d"),
            (11 * d, "11d"),
            (96 * d, "3.2mo"),
            (360 * d, "1y"),
            (511 * d, "1.4y"),
        ];
        for (ms, label) in cases {
            assert_eq!(format_interval(ms), label, "{ms} ms");
        }
    }
}
