//! Pagination (RFC 7644 §3.4.2.4): `startIndex` and `count`, and the
//! `ListResponse` message that carries one page (RFC 7644 §3.4.2).

use crate::{Result, ScimError};
use serde_json::{Map, Value};
use std::num::IntErrorKind;
use std::ops::Range;

/// The URN of a list response (RFC 7644 §3.4.2).
pub const LIST_RESPONSE_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// The largest page the server returns unless configured otherwise; also
/// announced as `filter.maxResults` in the service provider configuration.
pub const DEFAULT_MAX_PAGE_SIZE: usize = 200;

/// One page of a result set (RFC 7644 §3.4.2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The 1-based index of the first resource returned; at least 1.
    pub start_index: usize,
    /// How many resources at most; 0 asks for `totalResults` alone.
    pub count: usize,
}

impl Paging {
    /// A page from already clamped values (see [`parse_start_index`] and
    /// [`parse_count`]). Without `count` the page is `max_page_size` long;
    /// a larger `count` is lowered to `max_page_size`, as RFC 7644 §3.4.2.4
    /// lets a server return fewer results than asked for.
    #[must_use]
    pub fn new(start_index: usize, count: Option<usize>, max_page_size: usize) -> Self {
        Self {
            start_index: start_index.max(1),
            count: count.unwrap_or(max_page_size).min(max_page_size),
        }
    }

    /// Parses the query parameters `startIndex` and `count`. Absent or empty
    /// values take their defaults: 1, and `max_page_size`.
    ///
    /// # Errors
    ///
    /// `invalidValue` when a value is not an integer.
    pub fn parse(
        start_index: Option<&str>,
        count: Option<&str>,
        max_page_size: usize,
    ) -> Result<Self> {
        let start_index = match start_index.map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => parse_start_index(raw)?,
            None => 1,
        };
        let count = match count.map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => Some(parse_count(raw)?),
            None => None,
        };
        Ok(Self::new(start_index, count, max_page_size))
    }

    /// The positions, in a result set of `total` resources, of this page.
    #[must_use]
    pub fn window(&self, total: usize) -> Range<usize> {
        let start = self.start_index.saturating_sub(1).min(total);
        let end = start.saturating_add(self.count).min(total);
        start..end
    }
}

/// Parses `startIndex`: a value below 1 counts as 1 (RFC 7644 §3.4.2.4).
///
/// # Errors
///
/// `invalidValue` when `raw` is not an integer.
pub fn parse_start_index(raw: &str) -> Result<usize> {
    Ok(clamp_start_index(parse_integer("startIndex", raw)?))
}

/// Parses `count`: a negative value counts as 0 (RFC 7644 §3.4.2.4).
///
/// # Errors
///
/// `invalidValue` when `raw` is not an integer.
pub fn parse_count(raw: &str) -> Result<usize> {
    Ok(clamp_count(parse_integer("count", raw)?))
}

/// `startIndex` from an integer: at least 1.
#[must_use]
pub fn clamp_start_index(value: i64) -> usize {
    usize::try_from(value.max(1)).unwrap_or(usize::MAX)
}

/// `count` from an integer: at least 0.
#[must_use]
pub fn clamp_count(value: i64) -> usize {
    usize::try_from(value.max(0)).unwrap_or(usize::MAX)
}

/// An integer parameter. Digits beyond `i64`'s range saturate, since the
/// clamping that follows gives them the same meaning.
fn parse_integer(parameter: &str, raw: &str) -> Result<i64> {
    match raw.trim().parse::<i64>() {
        Ok(value) => Ok(value),
        Err(e) if *e.kind() == IntErrorKind::PosOverflow => Ok(i64::MAX),
        Err(e) if *e.kind() == IntErrorKind::NegOverflow => Ok(i64::MIN),
        Err(_) => Err(ScimError::invalid_value(format!(
            "{parameter} must be an integer, not \"{raw}\""
        ))),
    }
}

/// A `ListResponse` (RFC 7644 §3.4.2): one page of a result set.
#[derive(Debug, Clone, PartialEq)]
pub struct ListResponse {
    /// How many resources matched in all.
    pub total_results: usize,
    /// The 1-based index of the first resource of this page.
    pub start_index: usize,
    /// The resources of this page.
    pub resources: Vec<Value>,
}

impl ListResponse {
    /// A page starting at `start_index` of a result set of `total_results`.
    #[must_use]
    pub fn new(total_results: usize, start_index: usize, resources: Vec<Value>) -> Self {
        Self {
            total_results,
            start_index,
            resources,
        }
    }

    /// The message. `totalResults`, `itemsPerPage` and `startIndex` are
    /// always present and always JSON integers, which Okta requires;
    /// `Resources` is present even when empty, because Entra ID asks
    /// `filter=userName eq "..."` before each create and expects an empty
    /// list, never a 404, when nobody matches.
    #[must_use]
    pub fn to_json(self) -> Value {
        let mut message = Map::with_capacity(5);
        message.insert(
            "schemas".into(),
            Value::Array(vec![Value::from(LIST_RESPONSE_URN)]),
        );
        message.insert("totalResults".into(), Value::from(self.total_results));
        message.insert("itemsPerPage".into(), Value::from(self.resources.len()));
        message.insert("startIndex".into(), Value::from(self.start_index));
        message.insert("Resources".into(), Value::Array(self.resources));
        Value::Object(message)
    }
}
