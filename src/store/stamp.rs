//! What a store stamps on a resource: a fresh `id` (RFC 7643 §3.1) and the
//! `meta.created`/`meta.lastModified` instants, written as RFC 3339 UTC.

use crate::datetime::{self, format_millis, DateTime};
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

/// Reads an RFC 3339 §5.6 `date-time` (see [`datetime::read`]) as
/// milliseconds since the Unix epoch, for comparison with the store's
/// `meta.created`/`meta.lastModified` columns. `None` when the text is not
/// one, gives no offset, or carries a nonzero fraction finer than a
/// millisecond, which those millisecond columns could not compare exactly.
#[must_use]
pub fn parse_millis(text: &str) -> Option<i64> {
    let DateTime {
        instant: (seconds, nanos),
        zoned,
    } = datetime::read(text)?;
    if !zoned || nanos % 1_000_000 != 0 {
        return None;
    }
    Some(seconds * 1000 + i64::from(nanos / 1_000_000))
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
