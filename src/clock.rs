//! Where "now" comes from. Nothing in deckhand reads the system clock itself: it asks a
//! `Clock`, so tests and benchmarks move time by hand.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::schedule::{Now, Timestamp};

pub trait Clock {
    fn now(&self) -> Now;
}

/// The real clock: UTC from the system, the local offset from the system time zone (jiff reads
/// the tz database; an unknown zone falls back to UTC).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Now {
        let at = jiff::Timestamp::now();
        let offset = jiff::tz::TimeZone::system().to_offset(at);
        Now {
            at: Timestamp(at.as_millisecond()),
            utc_offset_secs: offset.seconds(),
        }
    }
}

/// A clock that stands still until told to move. Clones share the same time, so a test keeps one
/// clone and hands the other to the app.
#[derive(Debug, Clone)]
pub struct ManualClock {
    millis: Arc<AtomicI64>,
    utc_offset_secs: i32,
}

impl ManualClock {
    pub fn new(now: Now) -> ManualClock {
        ManualClock {
            millis: Arc::new(AtomicI64::new(now.at.0)),
            utc_offset_secs: now.utc_offset_secs,
        }
    }

    pub fn advance_millis(&self, ms: i64) {
        self.millis.fetch_add(ms, Ordering::Relaxed);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Now {
        Now {
            at: Timestamp(self.millis.load(Ordering::Relaxed)),
            utc_offset_secs: self.utc_offset_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_clones_share_time() {
        let clock = ManualClock::new(Now {
            at: Timestamp(1_000),
            utc_offset_secs: 3600,
        });
        let handle = clock.clone();
        handle.advance_millis(Timestamp::MINUTE);
        assert_eq!(clock.now().at, Timestamp(61_000));
        assert_eq!(clock.now().utc_offset_secs, 3600);
    }
}
