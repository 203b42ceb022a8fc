//! Resource versions (RFC 7644 §3.14): weak entity tags, from a version
//! counter or a content hash, and the `If-Match` / `If-None-Match`
//! preconditions checked against them (RFC 7232 §3).

use crate::{Result, ScimError};
use serde_json::Value;
use std::fmt::{self, Write as _};

/// A resource version: the opaque part of a weak entity tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    token: String,
}

impl Version {
    /// The version of a resource whose store counts its changes.
    #[must_use]
    pub fn from_counter(counter: u64) -> Self {
        Self {
            token: counter.to_string(),
        }
    }

    /// The version of `resource` by its content: a 64-bit FNV-1a hash of
    /// the resource without its `meta`, object members taken in name order
    /// so member order does not matter. The hash is the same on every run
    /// and every platform.
    #[must_use]
    pub fn of(resource: &Value) -> Self {
        let mut hasher = Fnv1a::new();
        hash_value(&mut hasher, resource, true);
        Self {
            token: format!("{:016x}", hasher.0),
        }
    }

    /// The opaque token, without `W/` and quotes.
    #[must_use]
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The weak entity tag, `W/"<token>"`, as `meta.version` and the `ETag`
    /// header carry it.
    #[must_use]
    pub fn etag(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "W/\"{}\"", self.token)
    }
}

/// The weak entity tag of `resource` by its content (see [`Version::of`]).
#[must_use]
pub fn etag_for(resource: &Value) -> String {
    Version::of(resource).etag()
}

/// What a request should do after its preconditions were checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// Carry on.
    Proceed,
    /// `If-None-Match` matched: a GET or HEAD answers 304 Not Modified
    /// without a body; any other method must fail with 412 instead (RFC
    /// 7232 §3.2), which [`Precondition::for_write`] does.
    NotModified,
}

impl Precondition {
    /// The outcome for a method that changes the resource: `NotModified`
    /// becomes a failed precondition.
    ///
    /// # Errors
    ///
    /// `PreconditionFailed` (412) for `NotModified`.
    pub fn for_write(self) -> Result<()> {
        match self {
            Self::Proceed => Ok(()),
            Self::NotModified => Err(ScimError::PreconditionFailed(
                "the current version matches If-None-Match".into(),
            )),
        }
    }
}

/// Checks `If-Match` and `If-None-Match` (RFC 7232 §3.1, §3.2, evaluated in
/// the order of §6) against `current`, the resource's entity tag (`W/"x"`,
/// `"x"` or the bare token). Headers may hold `*` or a comma-separated list
/// of tags; absent or empty headers impose nothing.
///
/// Tags compare weakly, ignoring `W/`, for `If-Match` too: RFC 7644 §3.14
/// has SCIM versions be weak tags and shows them in `If-Match`, where RFC
/// 7232 alone would demand the strong comparison no weak tag passes.
///
/// # Errors
///
/// `PreconditionFailed` (412) when `If-Match` names no tag equal to `current`.
pub fn check_preconditions(
    if_match: Option<&str>,
    if_none_match: Option<&str>,
    current: &str,
) -> Result<Precondition> {
    let current_opaque = opaque(current);
    if let Some(header) = if_match.map(str::trim).filter(|h| !h.is_empty()) {
        if !list_matches(header, current_opaque) {
            return Err(ScimError::PreconditionFailed(format!(
                "resource version W/\"{current_opaque}\" does not match If-Match {header}"
            )));
        }
    }
    if let Some(header) = if_none_match.map(str::trim).filter(|h| !h.is_empty()) {
        if list_matches(header, current_opaque) {
            return Ok(Precondition::NotModified);
        }
    }
    Ok(Precondition::Proceed)
}

/// The opaque part of an entity tag: without `W/` and the quotes.
fn opaque(tag: &str) -> &str {
    let tag = tag.trim();
    let tag = tag
        .strip_prefix("W/")
        .or_else(|| tag.strip_prefix("w/"))
        .unwrap_or(tag);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(tag)
}

/// Whether `header` (`*` or a list of entity tags) names `current`, compared
/// weakly. Unquoted tags are read up to the next comma.
fn list_matches(header: &str, current: &str) -> bool {
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return false;
        }
        rest = rest
            .strip_prefix("W/")
            .or_else(|| rest.strip_prefix("w/"))
            .unwrap_or(rest);
        let tag = if let Some(quoted) = rest.strip_prefix('"') {
            let (tag, after) = quoted.split_once('"').unwrap_or((quoted, ""));
            rest = after;
            tag
        } else {
            let (tag, after) = rest.split_once(',').unwrap_or((rest, ""));
            rest = after;
            let tag = tag.trim();
            if tag == "*" {
                return true;
            }
            tag
        };
        if tag == current {
            return true;
        }
    }
}

/// FNV-1a, 64-bit: small, fast, and fixed across runs, unlike std's
/// randomly keyed hasher.
struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;

    fn new() -> Self {
        Self(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// A length prefix, so adjacent strings cannot run into each other.
    fn len(&mut self, len: usize) {
        self.bytes(&(len as u64).to_le_bytes());
    }
}

impl fmt::Write for Fnv1a {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

/// Feeds `value` to the hasher, each JSON type with its own tag byte;
/// `top` skips the resource's own `meta`.
fn hash_value(hasher: &mut Fnv1a, value: &Value, top: bool) {
    match value {
        Value::Null => hasher.bytes(b"n"),
        Value::Bool(true) => hasher.bytes(b"t"),
        Value::Bool(false) => hasher.bytes(b"f"),
        Value::Number(n) => {
            hasher.bytes(b"#");
            let _ = write!(hasher, "{n}");
            hasher.bytes(b";");
        }
        Value::String(s) => {
            hasher.bytes(b"\"");
            hasher.len(s.len());
            hasher.bytes(s.as_bytes());
        }
        Value::Array(items) => {
            hasher.bytes(b"[");
            hasher.len(items.len());
            for item in items {
                hash_value(hasher, item, false);
            }
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members
                .iter()
                .filter(|(key, _)| !(top && key.eq_ignore_ascii_case("meta")))
                .collect();
            sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
            hasher.bytes(b"{");
            hasher.len(sorted.len());
            for (key, value) in sorted {
                hasher.len(key.len());
                hasher.bytes(key.as_bytes());
                hash_value(hasher, value, false);
            }
        }
    }
}
