//! The review log `reviews.log`: the source of truth, append-only, one event per line.
//!
//! Format (schema 1), chosen so a million lines parse in tens of milliseconds:
//! ```text
//! deckhand review log\tschema 1
//! review\t<id>\t<at_ms>\t<utc_offset_secs>\t<card_id>\t<grade 1-4>\t<duration_ms>\t<source>\t<sum>
//! undo\t<id>\t<at_ms>\t<review id>\t<sum>
//! bury\t<id>\t<at_ms>\t<card_id>\t<until study day>\t<sum>
//! suspend|unsuspend|flag|unflag\t<id>\t<at_ms>\t<card_id>\t<sum>
//! ```
//! `<id>` is a random 128-bit number in 32 lowercase hex digits, so logs from two machines can be
//! merged as a union of lines; `<sum>` is [`checksum`](crate::hash::checksum) of everything before the last tab, in 8 hex
//! digits. A final line without a newline is a record torn by a crash: it was never acknowledged.

use std::fmt::{self, Write as _};

use crate::hash::{checksum, parse_checksum};
use crate::schedule::{Grade, Timestamp};

/// The log schema this build reads and writes.
pub const LOG_SCHEMA: u32 = 1;
pub(crate) const HEADER_PREFIX: &str = "deckhand review log\tschema ";

/// The first line of a new log.
pub(crate) fn header_line() -> String {
    format!("{HEADER_PREFIX}{LOG_SCHEMA}\n")
}

/// The unique id of a log event (and so of a review).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(pub u128);

/// The id of a recorded review, returned when it is acknowledged.
pub type ReviewId = EventId;

impl EventId {
    pub fn random() -> EventId {
        EventId(rand::random())
    }

    pub(crate) fn parse(hex: &str) -> Option<EventId> {
        if hex.len() != 32 {
            return None;
        }
        u128::from_str_radix(hex, 16).ok().map(EventId)
    }

    /// A seed for the scheduler's fuzz: derived from the id, so replaying gives the same interval.
    pub fn fuzz_seed(self) -> u64 {
        (self.0 as u64) ^ ((self.0 >> 64) as u64)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// Where a review happened. Cram reviews are logged but never change the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Source {
    Study,
    Quiz,
    Scenario,
    Cram,
}

impl Source {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Source::Study => "study",
            Source::Quiz => "quiz",
            Source::Scenario => "scenario",
            Source::Cram => "cram",
        }
    }

    pub(crate) fn from_word(word: &str) -> Option<Source> {
        Some(match word {
            "study" => Source::Study,
            "quiz" => Source::Quiz,
            "scenario" => Source::Scenario,
            "cram" => Source::Cram,
            _ => return None,
        })
    }
}

/// One line of the log, borrowing the card id from the line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event<'a> {
    pub id: EventId,
    pub at: Timestamp,
    pub kind: EventKind<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventKind<'a> {
    Review {
        card_id: &'a str,
        /// The learner's UTC offset when reviewing, so the review's study day never moves.
        utc_offset_secs: i32,
        grade: Grade,
        duration_ms: u32,
        source: Source,
    },
    Undo {
        review: EventId,
    },
    Bury {
        card_id: &'a str,
        until_day: i64,
    },
    Suspend {
        card_id: &'a str,
    },
    Unsuspend {
        card_id: &'a str,
    },
    Flag {
        card_id: &'a str,
    },
    Unflag {
        card_id: &'a str,
    },
}

impl<'a> EventKind<'a> {
    /// The card the event is about; `None` for an undo, which names a review instead.
    pub fn card_id(&self) -> Option<&'a str> {
        match *self {
            EventKind::Review { card_id, .. }
            | EventKind::Bury { card_id, .. }
            | EventKind::Suspend { card_id }
            | EventKind::Unsuspend { card_id }
            | EventKind::Flag { card_id }
            | EventKind::Unflag { card_id } => Some(card_id),
            EventKind::Undo { .. } => None,
        }
    }
}

/// Whether `card_id` can be written into a line unchanged.
pub(crate) fn card_id_is_loggable(card_id: &str) -> bool {
    !card_id.is_empty() && !card_id.contains(['\t', '\n', '\r'])
}

impl Event<'_> {
    /// The full line, newline included.
    pub(crate) fn to_line(self) -> String {
        let mut line = String::with_capacity(120);
        let (id, at) = (self.id, self.at.0);
        // Writing to a String cannot fail.
        let _ = match self.kind {
            EventKind::Review {
                card_id,
                utc_offset_secs,
                grade,
                duration_ms,
                source,
            } => write!(
                line,
                "review\t{id}\t{at}\t{utc_offset_secs}\t{card_id}\t{}\t{duration_ms}\t{}",
                grade.number(),
                source.word()
            ),
            EventKind::Undo { review } => write!(line, "undo\t{id}\t{at}\t{review}"),
            EventKind::Bury { card_id, until_day } => {
                write!(line, "bury\t{id}\t{at}\t{card_id}\t{until_day}")
            }
            EventKind::Suspend { card_id } => write!(line, "suspend\t{id}\t{at}\t{card_id}"),
            EventKind::Unsuspend { card_id } => write!(line, "unsuspend\t{id}\t{at}\t{card_id}"),
            EventKind::Flag { card_id } => write!(line, "flag\t{id}\t{at}\t{card_id}"),
            EventKind::Unflag { card_id } => write!(line, "unflag\t{id}\t{at}\t{card_id}"),
        };
        let sum = checksum(line.as_bytes());
        let _ = writeln!(line, "\t{sum:08x}");
        line
    }
}

/// What is wrong with a complete line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LineProblem {
    Checksum,
    Malformed(&'static str),
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::Checksum => {
                f.write_str("the checksum does not match, so the line was changed or damaged")
            }
            LineProblem::Malformed(what) => write!(f, "the line is not a valid event ({what})"),
        }
    }
}

/// Checks a complete line's checksum and returns the part it covers.
pub(crate) fn verify_checksum(line: &[u8]) -> Result<&[u8], LineProblem> {
    let tab = line
        .iter()
        .rposition(|&b| b == b'\t')
        .ok_or(LineProblem::Malformed("no checksum"))?;
    let (body, sum) = (&line[..tab], &line[tab + 1..]);
    let sum = parse_checksum(sum).ok_or(LineProblem::Malformed("bad checksum"))?;
    if sum != checksum(body) {
        return Err(LineProblem::Checksum);
    }
    Ok(body)
}

/// Parses one complete line (without its newline).
pub(crate) fn parse_line(line: &[u8]) -> Result<Event<'_>, LineProblem> {
    parse_body(verify_checksum(line)?)
}

/// Parses a line whose checksum [`verify_checksum`] has already accepted.
pub(crate) fn parse_checked_line(line: &[u8]) -> Result<Event<'_>, LineProblem> {
    let tab = line.iter().rposition(|&b| b == b'\t').unwrap_or(0);
    parse_body(&line[..tab])
}

/// Parses the fields before the checksum.
fn parse_body(body: &[u8]) -> Result<Event<'_>, LineProblem> {
    match parse_canonical(body) {
        Some(event) => Ok(event),
        None => parse_body_general(body),
    }
}

/// Reads a line in exactly the form [`Event::to_line`] writes (plain decimal digits, lowercase
/// hex); `None` for anything else, which [`parse_body_general`] then reads or explains. Whatever
/// this accepts, that reads the same. A replay spent a quarter of its time in the general
/// parser's UTF-8 check of the whole line, `str::split` and `str::parse`.
fn parse_canonical(body: &[u8]) -> Option<Event<'_>> {
    let mut fields = Tabbed(Some(body));
    let kind_word = fields.next()?;
    let id = hex_id(fields.next()?)?;
    let at = Timestamp(decimal(fields.next()?)?);
    // Every other field is checked ASCII, so the line is UTF-8 exactly when the card id is.
    let kind = match kind_word {
        b"review" => EventKind::Review {
            utc_offset_secs: i32::try_from(decimal(fields.next()?)?).ok()?,
            card_id: std::str::from_utf8(fields.next()?).ok()?,
            grade: match fields.next()? {
                &[digit @ b'1'..=b'4'] => Grade::from_number(digit - b'0')?,
                _ => return None,
            },
            duration_ms: u32::try_from(digits(fields.next()?)?).ok()?,
            source: Source::from_word(std::str::from_utf8(fields.next()?).ok()?)?,
        },
        b"undo" => EventKind::Undo {
            review: hex_id(fields.next()?)?,
        },
        b"bury" => EventKind::Bury {
            card_id: std::str::from_utf8(fields.next()?).ok()?,
            until_day: decimal(fields.next()?)?,
        },
        b"suspend" => EventKind::Suspend {
            card_id: std::str::from_utf8(fields.next()?).ok()?,
        },
        b"unsuspend" => EventKind::Unsuspend {
            card_id: std::str::from_utf8(fields.next()?).ok()?,
        },
        b"flag" => EventKind::Flag {
            card_id: std::str::from_utf8(fields.next()?).ok()?,
        },
        b"unflag" => EventKind::Unflag {
            card_id: std::str::from_utf8(fields.next()?).ok()?,
        },
        _ => return None,
    };
    if fields.next().is_some() {
        return None;
    }
    Some(Event { id, at, kind })
}

/// The tab-separated fields of a line, found with memchr.
struct Tabbed<'a>(Option<&'a [u8]>);

impl<'a> Iterator for Tabbed<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.0?;
        match memchr::memchr(b'\t', rest) {
            Some(tab) => {
                self.0 = Some(&rest[tab + 1..]);
                Some(&rest[..tab])
            }
            None => self.0.take(),
        }
    }
}

/// 32 lowercase hex digits, read as two independent halves (the id is a tenth of a replay).
fn hex_id(field: &[u8]) -> Option<EventId> {
    /// Each byte's digit value; 0x80 marks a byte that is not a lowercase hex digit.
    const VALUE: [u8; 256] = {
        let mut table = [0x80u8; 256];
        let mut i = 0;
        while i < 16 {
            table[b"0123456789abcdef"[i] as usize] = i as u8;
            i += 1;
        }
        table
    };
    let field: &[u8; 32] = field.try_into().ok()?;
    let mut seen = 0u8;
    let mut halves = [0u64; 2];
    for (half, digits) in halves.iter_mut().zip(field.chunks_exact(16)) {
        for &b in digits {
            let value = VALUE[usize::from(b)];
            seen |= value;
            *half = *half << 4 | u64::from(value);
        }
    }
    (seen & 0x80 == 0).then(|| EventId(u128::from(halves[0]) << 64 | u128::from(halves[1])))
}

/// An optional `-` and [`digits`].
fn decimal(field: &[u8]) -> Option<i64> {
    match field {
        [b'-', rest @ ..] => digits(rest).map(|n| -n),
        _ => digits(field),
    }
}

/// 1 to 18 decimal digits, so never more than an `i64` holds.
fn digits(field: &[u8]) -> Option<i64> {
    if field.is_empty() || field.len() > 18 {
        return None;
    }
    field.iter().try_fold(0i64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
    })
}

/// Reads a line's fields in any form the std parsers accept (`+7`, upper-case hex), naming what is
/// wrong when they do not.
fn parse_body_general(body: &[u8]) -> Result<Event<'_>, LineProblem> {
    let body = std::str::from_utf8(body).map_err(|_| LineProblem::Malformed("not UTF-8"))?;
    let mut fields = body.split('\t');
    let mut next = |what: &'static str| fields.next().ok_or(LineProblem::Malformed(what));
    let kind_word = next("no kind")?;
    let id = EventId::parse(next("no id")?).ok_or(LineProblem::Malformed("bad id"))?;
    let at = Timestamp(
        next("no time")?
            .parse()
            .map_err(|_| LineProblem::Malformed("bad time"))?,
    );
    let kind = match kind_word {
        "review" => {
            let utc_offset_secs = next("no utc offset")?
                .parse()
                .map_err(|_| LineProblem::Malformed("bad utc offset"))?;
            let card_id = next("no card id")?;
            let grade = next("no grade")?
                .parse::<u8>()
                .ok()
                .and_then(Grade::from_number)
                .ok_or(LineProblem::Malformed("bad grade"))?;
            let duration_ms = next("no duration")?
                .parse()
                .map_err(|_| LineProblem::Malformed("bad duration"))?;
            let source = Source::from_word(next("no source")?)
                .ok_or(LineProblem::Malformed("bad source"))?;
            EventKind::Review {
                card_id,
                utc_offset_secs,
                grade,
                duration_ms,
                source,
            }
        }
        "undo" => EventKind::Undo {
            review: EventId::parse(next("no review id")?)
                .ok_or(LineProblem::Malformed("bad review id"))?,
        },
        "bury" => {
            let card_id = next("no card id")?;
            let until_day = next("no day")?
                .parse()
                .map_err(|_| LineProblem::Malformed("bad day"))?;
            EventKind::Bury { card_id, until_day }
        }
        "suspend" => EventKind::Suspend {
            card_id: next("no card id")?,
        },
        "unsuspend" => EventKind::Unsuspend {
            card_id: next("no card id")?,
        },
        "flag" => EventKind::Flag {
            card_id: next("no card id")?,
        },
        "unflag" => EventKind::Unflag {
            card_id: next("no card id")?,
        },
        _ => return Err(LineProblem::Malformed("unknown kind")),
    };
    if fields.next().is_some() {
        return Err(LineProblem::Malformed("too many fields"));
    }
    Ok(Event { id, at, kind })
}

/// The header's problem, if any: `Ok(version)` for a well-formed header.
pub(crate) fn parse_header(line: &[u8]) -> Option<u32> {
    std::str::from_utf8(line)
        .ok()?
        .strip_prefix(HEADER_PREFIX)?
        .parse()
        .ok()
}

/// Splits a log's bytes into (1-based line number, complete line without newline), plus any torn
/// final bytes that have no newline.
pub(crate) fn complete_lines(bytes: &[u8]) -> (impl Iterator<Item = &[u8]>, &[u8]) {
    let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let (whole, torn) = bytes.split_at(end);
    // memchr finds line ends a vector at a time: splitting byte by byte cost an eighth of a
    // full replay.
    let lines = memchr::memchr_iter(b'\n', whole).scan(0, move |start, newline| {
        let line = &whole[*start..newline];
        *start = newline + 1;
        Some(line)
    });
    (lines, torn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn review(card_id: &str) -> Event<'_> {
        Event {
            id: EventId(0x0123_4567_89ab_cdef_0011_2233_4455_6677),
            at: Timestamp(1_700_000_000_000),
            kind: EventKind::Review {
                card_id,
                utc_offset_secs: -18_000,
                grade: Grade::Hard,
                duration_ms: 5_400,
                source: Source::Quiz,
            },
        }
    }

    /// Found by the single-byte-change property: `A` for `a` in the checksum parsed as the same
    /// number, so that change went unnoticed.
    #[test]
    fn a_checksum_in_capitals_is_a_changed_line() {
        let line = review("j").to_line();
        let line = line.trim_end();
        let (body, sum) = line.rsplit_once('\t').unwrap();
        assert!(parse_line(line.as_bytes()).is_ok());
        let shouted = format!("{body}\t{}", sum.to_ascii_uppercase());
        assert_ne!(
            shouted, line,
            "the test needs a checksum with a letter in it"
        );
        assert!(parse_line(shouted.as_bytes()).is_err());
    }

    #[test]
    fn a_review_line_reads_as_documented() {
        let line = review("ecs-task-role").to_line();
        let (body, _) = line.trim_end().rsplit_once('\t').unwrap();
        assert_eq!(
            body,
            "review\t0123456789abcdef0011223344556677\t1700000000000\t-18000\tecs-task-role\t2\t5400\tquiz"
        );
        assert!(line.ends_with('\n'));
    }

    #[test]
    fn every_kind_round_trips() {
        let id = EventId(7);
        let at = Timestamp(42);
        let kinds = [
            review("a").kind,
            EventKind::Undo {
                review: EventId(u128::MAX),
            },
            EventKind::Bury {
                card_id: "b",
                until_day: -3,
            },
            EventKind::Suspend { card_id: "c" },
            EventKind::Unsuspend { card_id: "c" },
            EventKind::Flag { card_id: "d" },
            EventKind::Unflag { card_id: "d" },
        ];
        for kind in kinds {
            let event = Event { id, at, kind };
            let line = event.to_line();
            assert_eq!(parse_line(line.trim_end().as_bytes()), Ok(event));
        }
    }

    #[test]
    fn a_changed_byte_fails_the_checksum() {
        let line = review("ecs-task-role").to_line();
        let changed = line.trim_end().replacen("\t2\t", "\t4\t", 1);
        assert_eq!(parse_line(changed.as_bytes()), Err(LineProblem::Checksum));
    }

    #[test]
    fn torn_tail_is_separated_from_complete_lines() {
        let (lines, torn) = complete_lines(b"h\na\nbc");
        assert_eq!(lines.collect::<Vec<_>>(), vec![&b"h"[..], b"a"]);
        assert_eq!(torn, b"bc");
        let (lines, torn) = complete_lines(b"h\n");
        assert_eq!(lines.count(), 1);
        assert!(torn.is_empty());
        let (lines, torn) = complete_lines(b"");
        assert_eq!(lines.count(), 0);
        assert!(torn.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn any_single_byte_change_is_caught(card in "[a-z][a-z0-9-]{0,30}", pos in 0usize..200, delta in 1u8..=255) {
            let line = review(&card).to_line();
            let mut bytes = line.trim_end().as_bytes().to_vec();
            let i = pos % bytes.len();
            bytes[i] = bytes[i].wrapping_add(delta);
            prop_assert!(parse_line(&bytes).is_err());
        }

        #[test]
        fn the_fast_reader_reads_what_the_writer_writes(
            card in "[a-z][a-z0-9-]{0,30}", id in any::<u128>(), at in any::<i64>(),
            offset in any::<i32>(), duration in any::<u32>(), day in any::<i64>(), kind in 0usize..7,
        ) {
            let kinds = [
                EventKind::Review { card_id: &card, utc_offset_secs: offset, grade: Grade::Easy, duration_ms: duration, source: Source::Scenario },
                EventKind::Undo { review: EventId(id.rotate_left(7)) },
                EventKind::Bury { card_id: &card, until_day: day },
                EventKind::Suspend { card_id: &card },
                EventKind::Unsuspend { card_id: &card },
                EventKind::Flag { card_id: &card },
                EventKind::Unflag { card_id: &card },
            ];
            let event = Event { id: EventId(id), at: Timestamp(at), kind: kinds[kind] };
            let line = event.to_line();
            let body = line.trim_end().rsplit_once('\t').unwrap().0;
            // Extreme numbers (19 digits) are left to the general reader; the rest read fast.
            let fits = at.unsigned_abs() < 10u64.pow(18) && (kind != 2 || day.unsigned_abs() < 10u64.pow(18));
            prop_assert_eq!(parse_canonical(body.as_bytes()).is_some(), fits);
            prop_assert_eq!(parse_body(body.as_bytes()), Ok(event));
        }

        /// Whatever a line holds behind a valid checksum, reading it never panics.
        #[test]
        fn any_checked_line_reads_without_panic(
            line in "(review|undo|bury|flag|x)(\t(-?[0-9]{1,25}|[0-9a-f]{32}|[a-z-]{1,8})){0,9}"
        ) {
            let line = format!("{line}\t{:08x}", checksum(line.as_bytes()));
            let _ = parse_checked_line(line.as_bytes());
            prop_assert_eq!(parse_line(line.as_bytes()).is_ok(), parse_checked_line(line.as_bytes()).is_ok());
        }
    }

    proptest! {
        // Cheap cases, and a rare field form must turn up often enough.
        #![proptest_config(ProptestConfig::with_cases(2048))]
        /// The byte-level reader reads every line as the general one does: lines of each kind
        /// with fields mostly well-formed, sometimes in a form only std's parsers take or none.
        #[test]
        fn the_fast_reader_agrees_with_the_general_one(
            kind in prop_oneof![3 => Just(0usize), 1 => 1usize..7],
            id in prop_oneof![4 => "[0-9a-f]{32}", 1 => "[0-9a-fA-F+]{31,33}"],
            numbers in prop::collection::vec(prop_oneof![4 => "-?[0-9]{1,18}", 1 => "(\\+|-|-0|0)?[0-9]{0,20}", 1 => "[-+]0{1,3}"], 3),
            card in prop_oneof![4 => "[a-z0-9-]{0,12}", 1 => "[a-zé\t]{0,3}"],
            grade in prop_oneof![4 => "[1-4]", 1 => "[0-9+]{0,3}"],
            source in prop_oneof![4 => "study|quiz|scenario|cram", 1 => "[a-zA-Z]{0,6}"],
            extra in prop::option::weighted(0.1, "[a-z0-9]{0,3}"),
        ) {
            let [at, first, second] = [&numbers[0], &numbers[1], &numbers[2]];
            let mut line = match kind {
                0 => format!("review\t{id}\t{at}\t{first}\t{card}\t{grade}\t{second}\t{source}"),
                1 => format!("undo\t{id}\t{at}\t{card}"),
                2 => format!("bury\t{id}\t{at}\t{card}\t{first}"),
                3 => format!("suspend\t{id}\t{at}\t{card}"),
                4 => format!("unflag\t{id}\t{at}\t{card}"),
                5 => format!("undo\t{id}\t{at}\t{id}"),
                _ => format!("{source}\t{id}\t{at}\t{card}"),
            };
            if let Some(extra) = extra {
                line = format!("{line}\t{extra}");
            }
            prop_assert_eq!(parse_body(line.as_bytes()), parse_body_general(line.as_bytes()));
        }
    }
}
