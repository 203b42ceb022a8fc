//! `xsd:dateTime` values (RFC 7643 §2.3.5, written as RFC 3339 §5.6 date-times)
//! turned into instants, so filters order them in time rather than as text.

/// An instant: seconds since 1970-01-01T00:00:00Z and nanoseconds within the second.
pub(crate) type Instant = (i64, u32);

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `T` and `Z` in either
/// case. A date-time without an offset, which `xsd:dateTime` allows, is read
/// as UTC. A leap second (`:60`) counts as the next second's start.
pub(crate) fn parse(text: &str) -> Option<Instant> {
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
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(b.get(at).copied().unwrap_or(b'0') - b'0');
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

    let offset = match b.get(at) {
        None => 0,
        Some(b'Z' | b'z') if at + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if at + 6 == b.len() && b.get(at + 3) == Some(&b':') => {
            let (h, m) = (digits(b, at + 1, 2)?, digits(b, at + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = i64::from(h * 60 + m);
            if sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };

    let days = days_from_civil(i64::from(year), month, day);
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset * 60;
    Some((seconds, nanos))
}

/// The number of `len` decimal digits at `at`.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u32> {
    let slice = b.get(at..at + len)?;
    slice.iter().try_fold(0u32, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the usual era-based
/// conversion: 400-year eras of 146,097 days, years starting in March).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse;

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
}
