//! Bounded reading of request bodies: size, UTF-8, nesting depth and JSON
//! syntax are checked in that order, each with its own error.

use super::input::sealed::Input as _;
use super::node::Node;
use crate::{Result, ScimError};
use serde::Deserialize;
use serde_json::Value;

/// Limits on a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest body accepted, in bytes; a larger one is refused with 413.
    pub max_body_bytes: usize,
    /// The deepest nesting of arrays and objects accepted; the top-level
    /// object is depth 1, so `{"emails":[{}]}` has depth 3.
    pub max_depth: usize,
}

impl Default for Limits {
    /// 1 MiB and 32 levels: room for a group of several thousand members, and
    /// far more nesting than any SCIM schema has.
    fn default() -> Self {
        Self {
            max_body_bytes: 1 << 20,
            max_depth: 32,
        }
    }
}

/// Reads a request body as a JSON object (RFC 7644 §3.1: every SCIM request
/// body is one).
///
/// A body nested thousands deep is refused without deep recursion:
/// `serde_json` stops at 128 levels, and the error names the byte offset
/// where `limits.max_depth` is passed. A leading UTF-8 byte order mark is
/// skipped (RFC 8259 §8.1 lets parsers ignore it).
///
/// # Errors
/// [`ScimError::PayloadTooLarge`] over `limits.max_body_bytes`; `invalidSyntax`
/// for an empty body, invalid UTF-8 (with the byte offset), nesting deeper
/// than `limits.max_depth` (with the byte offset), malformed JSON (with line
/// and column) and a top level that is not an object.
pub fn parse_json(body: &[u8], limits: &Limits) -> Result<Value> {
    read(body, limits)
}

/// Reads a request body as [`parse_json`] does, with the same errors, into
/// a [`Node`] tree for validation.
pub(crate) fn parse_node<'a>(body: &'a [u8], limits: &Limits) -> Result<Node<'a>> {
    read(body, limits)
}

/// A JSON document as a tree: `serde_json::Value` or [`Node`].
trait Tree<'a>: Deserialize<'a> {
    fn deeper_than(&self, max: usize) -> bool;
    fn is_object(&self) -> bool;
    fn kind(&self) -> &'static str;
}

impl Tree<'_> for Value {
    fn deeper_than(&self, max: usize) -> bool {
        deeper_than(self, max)
    }

    fn is_object(&self) -> bool {
        Value::is_object(self)
    }

    fn kind(&self) -> &'static str {
        crate::error::json_kind(self)
    }
}

impl<'a> Tree<'a> for Node<'a> {
    fn deeper_than(&self, max: usize) -> bool {
        Node::deeper_than(self, max)
    }

    fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    fn kind(&self) -> &'static str {
        self.view().kind()
    }
}

fn read<'a, T: Tree<'a>>(body: &'a [u8], limits: &Limits) -> Result<T> {
    if body.len() > limits.max_body_bytes {
        return Err(ScimError::PayloadTooLarge(format!(
            "request body is {} bytes, more than the limit of {} bytes",
            body.len(),
            limits.max_body_bytes
        )));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        ScimError::invalid_syntax(format!(
            "request body is not valid UTF-8 at byte {}",
            e.valid_up_to()
        ))
    })?;
    let (text, skipped) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    if text
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        return Err(ScimError::invalid_syntax("request body is empty"));
    }

    // The depth check scans every byte, so it runs only when the parse fails
    // or the tree is too deep: it then finds the offset for the message, and
    // a too-deep body fails as too deep even where its syntax fails too.
    // `serde_json` stops by itself at 128 levels, so parsing first never
    // recurses without bound.
    let value: T = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            check_depth(text.as_bytes(), limits.max_depth, skipped)?;
            return Err(syntax_error(&err));
        }
    };
    if value.deeper_than(limits.max_depth) {
        check_depth(text.as_bytes(), limits.max_depth, skipped)?;
        return Err(ScimError::invalid_syntax(format!(
            "request body nests deeper than {} levels",
            limits.max_depth
        )));
    }
    if value.is_object() {
        Ok(value)
    } else {
        Err(ScimError::invalid_syntax(format!(
            "request body must be a JSON object, got {}",
            value.kind()
        )))
    }
}

/// Whether arrays and objects nest in `value` deeper than `max` levels, the
/// way [`check_depth`] counts them. Recursion is bounded by `serde_json`'s
/// own limit on what it parses.
fn deeper_than(value: &Value, max: usize) -> bool {
    match value {
        Value::Array(items) => max == 0 || items.iter().any(|v| deeper_than(v, max - 1)),
        Value::Object(map) => max == 0 || map.values().any(|v| deeper_than(v, max - 1)),
        _ => false,
    }
}

/// Refuses nesting deeper than `max`, scanning bytes without recursion.
/// Brackets inside strings do not count. `base` is added to reported offsets.
fn check_depth(bytes: &[u8], max: usize, base: usize) -> Result<()> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Err(ScimError::invalid_syntax(format!(
                        "request body nests deeper than {max} levels at byte {}",
                        base + i
                    )));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// `serde_json`'s message, with its position moved to the front.
fn syntax_error(err: &serde_json::Error) -> ScimError {
    let message = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match message.strip_suffix(&suffix) {
        Some(what) => ScimError::invalid_syntax(format!(
            "request body is not valid JSON at line {}, column {}: {what}",
            err.line(),
            err.column()
        )),
        None => ScimError::invalid_syntax(format!("request body is not valid JSON: {message}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_inside_strings_do_not_nest() {
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let body = br#"{"a": "[[[{{{\"[[", "b": ["x"]}"#;
        assert!(parse_json(body, &limits).is_ok());
    }

    /// An object holding arrays nested so that the body is `depth` deep.
    fn nested(depth: usize) -> String {
        let inner = depth - 1;
        format!("{{\"a\":{}1{}}}", "[".repeat(inner), "]".repeat(inner))
    }

    #[test]
    fn depth_is_counted_alike_before_and_after_parsing() {
        for max_depth in [1, 2, 5, 32, 200] {
            let limits = Limits {
                max_depth,
                ..Limits::default()
            };
            for depth in 1..=max_depth.min(120) + 1 {
                let body = nested(depth);
                let result = parse_json(body.as_bytes(), &limits);
                assert_eq!(
                    result.is_ok(),
                    depth <= max_depth,
                    "depth {depth}, limit {max_depth}: {result:?}"
                );
                let value: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(deeper_than(&value, max_depth), depth > max_depth);
                let node: Node<'_> = serde_json::from_str(&body).unwrap();
                assert_eq!(node.deeper_than(max_depth), depth > max_depth);
                assert_eq!(
                    parse_node(body.as_bytes(), &limits).map(|_| ()),
                    result.map(|_| ())
                );
            }
        }
    }

    #[test]
    fn too_deep_wins_over_bad_syntax_after_it() {
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let err = parse_json(br#"{"a":[[1]], "b": nope}"#, &limits).unwrap_err();
        assert_eq!(
            err.detail(),
            "request body nests deeper than 2 levels at byte 6"
        );
    }
}
