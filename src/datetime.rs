//! Date-times: SCIM's `dateTime` (RFC 7643 §2.3.5, an `xsd:dateTime` written
//! as an RFC 3339 §5.6 `date-time`) read into an instant, and written back.

/// An instant: seconds since 1970-01-01T00:00:00Z and nanoseconds within the
/// second. Tuples order as the instants do.
pub type Instant = (i64, u32);

/// A date-time as read by [`read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// The instant, its offset applied.
    pub instant: Instant,
    /// Whether the text gave its offset (`Z` or `±HH:MM`); one without is
    /// read as UTC.
    pub zoned: bool,
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]`, the `date-time` of
/// RFC 3339 §5.6, into an instant.
///
/// - `T` and `Z` may be lowercase (RFC 3339 §5.6, note).
/// - Fields are range-checked, leap days included; a leap second (`:60`,
///   RFC 3339 §5.7) counts as the start of the next second.
/// - The fraction has at least one digit; digits beyond nanoseconds are
///   dropped.
/// - The offset may be left out, as `xsd:dateTime` allows (XML Schema 1.1
///   Part 2 §3.3.7); the time is then read as UTC. A given offset must lie
///   within ±14:00, the range `xsd:dateTime` allows.
///
/// `None` when `text` is anything else, including years outside 0000–9999
/// and `24:00:00`.
#[must_use]
pub fn read(text: &str) -> Option<DateTime> {
    let b = text.as_bytes();
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, sep)| b.get(at) != Some(&sep))
        || !matches!(b.get(10), Some(b'T' | b't'))
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }

    let mut at = 19;
    let mut nanos: u32 = 0;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while let Some(&d) = b.get(at).filter(|d| d.is_ascii_digit()) {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(d - b'0');
            }
            at += 1;
        }
        if at == start {
            return None;
        }
        for _ in (at - start)..9 {
            nanos *= 10;
        }
    }

    let offset_minutes = match b.get(at) {
        None => None,
        Some(b'Z' | b'z') if at + 1 == b.len() => Some(0),
        Some(&sign @ (b'+' | b'-')) if at + 6 == b.len() && b.get(at + 3) == Some(&b':') => {
            let (h, m) = (digits(b, at + 1, 2)?, digits(b, at + 4, 2)?);
            let minutes = i64::from(h * 60 + m);
            if m > 59 || minutes > MAX_OFFSET_MINUTES {
                return None;
            }
            Some(if sign == b'+' { minutes } else { -minutes })
        }
        _ => return None,
    };

    let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day));
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second)
        - offset_minutes.unwrap_or(0) * 60;
    Some(DateTime {
        instant: (seconds, nanos),
        zoned: offset_minutes.is_some(),
    })
}

/// The instant `text` names, by the rules of [`read`].
#[must_use]
pub fn parse(text: &str) -> Option<Instant> {
    read(text).map(|d| d.instant)
}

/// Whether `text` is a `dateTime` (RFC 7643 §2.3.5), by the rules of [`read`].
#[must_use]
pub fn is_valid(text: &str) -> bool {
    read(text).is_some()
}

/// Milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339
/// §5.6, UTC, milliseconds); instants outside the years 0000 to 9999 are
/// clamped to them.
///
/// One width and one zone, so that the texts sort as the instants do.
#[must_use]
pub fn format_millis(millis: i64) -> String {
    let millis = millis.clamp(MIN_MILLIS, MAX_MILLIS);
    let days = millis.div_euclid(MILLIS_PER_DAY);
    let in_day = millis.rem_euclid(MILLIS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// The largest offset from UTC `xsd:dateTime` allows, 14:00, in minutes.
const MAX_OFFSET_MINUTES: i64 = 14 * 60;
const MILLIS_PER_DAY: i64 = 86_400_000;
/// 0000-01-01T00:00:00.000Z.
const MIN_MILLIS: i64 = -62_167_219_200_000;
/// 9999-12-31T23:59:59.999Z.
const MAX_MILLIS: i64 = 253_402_300_799_999;

/// The number written by the `len` ASCII digits at `at`.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u32> {
    b.get(at..at + len)?.iter().try_fold(0u32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the usual era-based
/// conversion: 400-year eras of 146,097 days, years starting in March).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utc_offsets_and_fractions() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(parse("2011-05-13T04:42:34Z"), Some((1_305_261_754, 0)));
        assert_eq!(
            parse("2011-05-13T06:42:34.5+02:00"),
            Some((1_305_261_754, 500_000_000))
        );
        assert_eq!(parse("2000-02-29t00:00:00z"), Some((951_782_400, 0)));
        assert_eq!(parse("1969-12-31T23:59:59Z"), Some((-1, 0)));
    }

    #[test]
    fn rejects_what_is_not_a_date_time() {
        for text in [
            "",
            "2011-05-13",
            "2011-13-01T00:00:00Z",
            "2011-02-29T00:00:00Z",
            "2011-05-13T24:00:00Z",
            "2011-05-13T04:42:34.Z",
            "2011-05-13T04:42:34+0200",
            "2011-05-13T04:42:34Zjunk",
            "２011-05-13T04:42:34Z",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn date_times() {
        for ok in [
            "2008-01-23T04:56:22Z",
            "2008-01-23t04:56:22z",
            "2011-05-13T04:42:34.123456Z",
            "2011-05-13T04:42:34+02:00",
            "2011-05-13T04:42:34-07:30",
            "2011-05-13T04:42:34",
            "2024-02-29T00:00:00Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "2008-01-23",
            "2008-01-23 04:56:22Z",
            "2008-13-23T04:56:22Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2008-01-23T24:00:00Z",
            "2008-01-23T04:56:22.Z",
            "2008-01-23T04:56:22+0200",
            "2008-01-23T04:56:22Zjunk",
            "2008-01-23T04:56:22+02:00x",
            "２008-01-23T04:56:22Z",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn offsets_reach_fourteen_hours_and_no_further() {
        assert_eq!(
            parse("2011-05-14T18:42:34+14:00"),
            parse("2011-05-14T04:42:34Z")
        );
        assert_eq!(
            parse("2011-05-13T16:42:34-12:00"),
            parse("2011-05-14T04:42:34Z")
        );
        for bad in [
            "2011-05-13T04:42:34+14:01",
            "2011-05-13T04:42:34-15:00",
            "2011-05-13T04:42:34+23:59",
            "2011-05-13T04:42:34+01:60",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn tells_whether_the_offset_was_given() {
        assert_eq!(read("2011-05-13T04:42:34").map(|d| d.zoned), Some(false));
        assert_eq!(read("2011-05-13T04:42:34Z").map(|d| d.zoned), Some(true));
        assert_eq!(
            read("2011-05-13T04:42:34-00:00").map(|d| d.zoned),
            Some(true)
        );
    }

    #[test]
    fn a_leap_second_is_the_next_second() {
        assert_eq!(
            parse("2016-12-31T23:59:60.5Z"),
            Some((1_483_228_800, 500_000_000))
        );
        assert_eq!(parse("2017-01-01T00:00:00Z"), Some((1_483_228_800, 0)));
    }

    #[test]
    fn formats_milliseconds_in_utc() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_millis(i64::MIN), "0000-01-01T00:00:00.000Z");
        assert_eq!(
            parse(&format_millis(1_305_261_754_321)),
            Some((1_305_261_754, 321_000_000))
        );
    }
}
