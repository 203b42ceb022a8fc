//! What a store stamps on a resource: a fresh `id` (RFC 7643 §3.1) and the
//! `meta.created`/`meta.lastModified` instants, written as RFC 3339 UTC.

use std::collections::hash_map::RandomState;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// The operating system's random source, read 8 KiB at a time so that a bulk
/// load of 100,000 resources makes a few hundred reads, not 100,000.
static URANDOM: Mutex<Option<BufReader<File>>> = Mutex::new(None);

/// Distinguishes ids drawn from the fallback within one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A new random identifier: a version 4 UUID in lowercase hex (RFC 9562 §5.4).
///
/// The bytes come from `/dev/urandom`. Where that cannot be read (a host
/// without it), they come from std's `RandomState`, whose keys the standard
/// library draws from the operating system, hashing the time, the process id
/// and a counter: unpredictable enough for an identifier that is neither a
/// secret nor a credential, and unique because the store's `UNIQUE` index on
/// `id` would reject a repeat rather than overwrite.
#[must_use]
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    if !read_urandom(&mut bytes) {
        fallback_random(&mut bytes);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;

    let mut id = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        id.push(hex_digit(byte >> 4));
        id.push(hex_digit(byte & 0x0f));
    }
    id
}

fn hex_digit(nibble: u8) -> char {
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        b'a' + nibble - 10
    })
}

fn read_urandom(bytes: &mut [u8]) -> bool {
    let mut source = URANDOM
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if source.is_none() {
        *source = File::open("/dev/urandom")
            .ok()
            .map(|f| BufReader::with_capacity(8192, f));
    }
    let read = source
        .as_mut()
        .is_some_and(|reader| reader.read_exact(bytes).is_ok());
    if !read {
        *source = None;
    }
    read
}

fn fallback_random(bytes: &mut [u8; 16]) {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    for half in bytes.chunks_exact_mut(8) {
        let hash = RandomState::new().hash_one((nanos, count, std::process::id()));
        half.copy_from_slice(&hash.to_le_bytes());
    }
}

/// The current instant as `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339 §5.6, UTC, milliseconds).
///
/// One fixed width and zone, so that the text sorts as the instants do and
/// the store can compare and order `meta.created` and `meta.lastModified` as
/// strings.
#[must_use]
pub fn now() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    format_millis(millis)
}

/// Milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`; instants
/// outside the years 0000 to 9999 are clamped to them.
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

/// Reads an RFC 3339 §5.6 `date-time` (with `Z` or a numeric offset) as
/// milliseconds since the Unix epoch. `None` when the text is not one, or
/// when it carries a nonzero fraction finer than a millisecond, which the
/// store's millisecond columns could not compare exactly.
#[must_use]
pub fn parse_millis(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't'))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }

    let mut rest = b.get(19..)?;
    let mut millis = 0;
    if let Some((b'.', fraction)) = rest.split_first() {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        let (digits, tail) = fraction.split_at(len);
        if digits.is_empty() || digits.iter().skip(3).any(|&c| c != b'0') {
            return None;
        }
        for place in 0..3 {
            millis = millis * 10 + digits.get(place).map_or(0, |c| i64::from(c - b'0'));
        }
        rest = tail;
    }
    let offset_minutes = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2], 0, 2)?;
            let minutes = digits(&[*m1, *m2], 0, 2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };

    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

const MILLIS_PER_DAY: i64 = 86_400_000;
/// 0000-01-01T00:00:00.000Z.
const MIN_MILLIS: i64 = -62_167_219_200_000;
/// 9999-12-31T23:59:59.999Z.
const MAX_MILLIS: i64 = 253_402_300_799_999;

fn digits(b: &[u8], start: usize, len: usize) -> Option<i64> {
    b.get(start..start + len)?.iter().try_fold(0, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the "days from civil"
/// method: count in 400-year eras starting on March 1).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
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
    fn ids_are_version_4_uuids() {
        let id = new_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(new_id(), id);
        let mut bytes = [0u8; 16];
        fallback_random(&mut bytes);
        assert_ne!(bytes, [0u8; 16]);
    }

    #[test]
    fn formats_and_parses_instants() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_millis(i64::MAX), "9999-12-31T23:59:59.999Z");
        for text in [
            "1970-01-01T00:00:00.000Z",
            "2000-02-29T00:00:00.123Z",
            "2011-08-01T21:32:44.882Z",
        ] {
            assert_eq!(parse_millis(text).map(format_millis).as_deref(), Some(text));
        }
        assert_eq!(
            parse_millis("2011-08-01T18:29:49Z"),
            parse_millis("2011-08-01T18:29:49.000Z")
        );
        assert_eq!(
            parse_millis("2011-08-01T20:29:49+02:00"),
            parse_millis("2011-08-01T18:29:49Z")
        );
        assert_eq!(
            parse_millis("2011-08-01t18:29:49.5000z"),
            Some(1_312_223_389_500)
        );
        for bad in [
            "2011-08-01T18:29:49",
            "2011-02-29T00:00:00Z",
            "2011-08-01T24:00:00Z",
            "2011-08-01T18:29:49.1234Z",
            "2011-08-01T18:29:49.Z",
            "2011-08-01 18:29:49Z",
            "2011-08-01T18:29:49+2:00",
            "20110801T182949Z",
            "２０11-08-01T18:29:49Z",
        ] {
            assert_eq!(parse_millis(bad), None, "{bad}");
        }
    }
}
