//! Lexical checks of attribute values (RFC 7643 §2.3): dateTime and base64,
//! hand-written so validation needs no regular expressions, and the words
//! error messages use for JSON kinds and SCIM types.

use crate::schema::AttrType;
use serde_json::Value;

/// The kind of a JSON value, as an error message names what it got.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What a value of `attr_type` is, as an error message names what it wanted.
pub(crate) fn expected(attr_type: AttrType) -> &'static str {
    match attr_type {
        AttrType::String => "a string",
        AttrType::Boolean => "a boolean",
        AttrType::Decimal => "a decimal",
        AttrType::Integer => "an integer",
        AttrType::DateTime => "a dateTime",
        AttrType::Binary => "a base64 string",
        AttrType::Reference => "a reference",
        AttrType::Complex => "an object",
    }
}

/// `s` in quotes for an error message, cut to 40 characters.
pub(crate) fn snippet(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((end, _)) => format!("{:?}...", s.get(..end).unwrap_or_default()),
        None => format!("{s:?}"),
    }
}

/// Whether `s` is a dateTime (RFC 7643 §2.3.5): `xsd:dateTime` in the form
/// RFC 3339 §5.6 gives it, `2008-01-23T04:56:22Z`, with optional fractional
/// seconds. The offset may be left out, as `xsd:dateTime` allows; `t` and `z`
/// may be lowercase, as RFC 3339 allows. Field ranges are checked, leap days
/// and a leap second included.
pub(crate) fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let at = |i: usize, c: u8| b.get(i).is_some_and(|&x| x.eq_ignore_ascii_case(&c));

    let (Some(year), Some(month), Some(day)) = (digits(0, 4), digits(5, 2), digits(8, 2)) else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (digits(11, 2), digits(14, 2), digits(17, 2))
    else {
        return false;
    };
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return false;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return false;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }

    let mut i = 19;
    if at(i, b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        None => true,
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let (Some(oh), Some(om)) = (digits(i + 1, 2), digits(i + 4, 2)) else {
                return false;
            };
            at(i + 3, b':') && i + 6 == b.len() && oh <= 23 && om <= 59
        }
        Some(_) => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Why a string is not base64.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Base64Error {
    /// A character outside the alphabet, or padding in the middle, at this byte.
    Character(usize),
    /// The length leaves an incomplete final group.
    Length,
}

/// Checks base64 in the standard alphabet of RFC 4648 §4 (RFC 7643 §2.3.6).
/// Padding is optional, but where present it must complete the final group.
pub(crate) fn check_base64(s: &str) -> Result<(), Base64Error> {
    let b = s.as_bytes();
    let data = b
        .iter()
        .rposition(|&c| c != b'=')
        .map_or(0, |last| last + 1);
    let padding = b.len() - data;
    if let Some(i) = b
        .iter()
        .take(data)
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'+' || c == b'/'))
    {
        return Err(Base64Error::Character(i));
    }
    if padding > 2 {
        return Err(Base64Error::Character(data + 2));
    }
    let complete = if padding == 0 {
        data % 4 != 1
    } else {
        b.len() % 4 == 0
    };
    if complete {
        Ok(())
    } else {
        Err(Base64Error::Length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert!(is_date_time(ok), "{ok}");
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
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn base64() {
        assert_eq!(check_base64("TWFu"), Ok(()));
        assert_eq!(check_base64("TWE="), Ok(()));
        assert_eq!(check_base64("TWE"), Ok(()));
        assert_eq!(check_base64("TQ=="), Ok(()));
        assert_eq!(check_base64(""), Ok(()));
        assert_eq!(check_base64("TWFuT"), Err(Base64Error::Length));
        assert_eq!(check_base64("TWE=="), Err(Base64Error::Length));
        assert_eq!(check_base64("TW=u"), Err(Base64Error::Character(2)));
        assert_eq!(check_base64("TW u"), Err(Base64Error::Character(2)));
        assert_eq!(check_base64("T==="), Err(Base64Error::Character(3)));
    }
}
