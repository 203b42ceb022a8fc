//! Lexical checks of attribute values (RFC 7643 §2.3): base64, hand-written
//! so validation needs no regular expressions (dateTime is `crate::datetime`),
//! and the words error messages use for SCIM types.

use crate::schema::AttrType;

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
        b.len().is_multiple_of(4)
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
