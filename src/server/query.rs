//! Query strings: `application/x-www-form-urlencoded` pairs, percent-decoded
//! (RFC 3986 §2.1), as SCIM's list parameters arrive (RFC 7644 §3.4.2).

use crate::{Result, ScimError};

/// The longest query string read; longer ones are refused before decoding.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// Splits `query` (without the leading `?`) into decoded name/value pairs.
/// `+` stands for a space, as HTML forms and several SCIM clients send it.
///
/// # Errors
/// `invalidValue` for a malformed percent escape or a decoded value that is
/// not UTF-8, naming the parameter; `invalidFilter`-free: the filter text is
/// only parsed later. A query over [`MAX_QUERY_BYTES`] is `invalidValue` too.
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(ScimError::invalid_value(format!(
            "query string is longer than {MAX_QUERY_BYTES} bytes"
        )));
    }
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name).ok_or_else(|| bad_escape(name))?;
            let value = decode(value).ok_or_else(|| bad_escape(&name))?;
            Ok((name, value))
        })
        .collect()
}

fn bad_escape(name: &str) -> ScimError {
    ScimError::invalid_value(format!(
        "query parameter \"{name}\" is not properly percent-encoded"
    ))
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = hex(*bytes.get(i + 1)?)?;
                let lo = hex(*bytes.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_filters_as_clients_send_them() {
        let pairs =
            parse_query("filter=userName%20eq%20%22bjensen%22&startIndex=1&count=100").unwrap();
        assert_eq!(
            pairs[0],
            ("filter".into(), "userName eq \"bjensen\"".into())
        );
        assert_eq!(pairs[2], ("count".into(), "100".into()));
        let plus = parse_query("filter=userName+eq+%22a+b%22").unwrap();
        assert_eq!(plus[0].1, "userName eq \"a b\"");
    }

    #[test]
    fn rejects_broken_escapes() {
        let err = parse_query("filter=%zz").unwrap_err();
        assert_eq!(
            err.detail(),
            "query parameter \"filter\" is not properly percent-encoded"
        );
        assert!(parse_query("filter=%ff").is_err());
        assert!(parse_query("a=%2").is_err());
    }
}
