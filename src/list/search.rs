//! Query requests (RFC 7644 §3.4.2) and search requests (RFC 7644 §3.4.3):
//! the parameters of `GET /Users?...` and of a `POST /.search` body, read
//! into one shape.

use super::paging::{clamp_count, clamp_start_index, parse_count, parse_start_index};
use super::sort::SortOrder;
use crate::{Result, ScimError};
use serde_json::{Map, Value};

/// The URN of a search request (RFC 7644 §3.4.3).
pub const SEARCH_REQUEST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// The parameters of a query or search request, checked for form but not yet
/// resolved against a resource type (see [`super::Query::from_request`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// `attributes`: the names to return; empty when absent.
    pub attributes: Vec<String>,
    /// `excludedAttributes`: the names not to return; empty when absent.
    pub excluded_attributes: Vec<String>,
    /// `filter`, unparsed; `None` when absent or empty.
    pub filter: Option<String>,
    /// `sortBy`; `None` when absent or empty.
    pub sort_by: Option<String>,
    /// `sortOrder`; ascending when absent.
    pub sort_order: SortOrder,
    /// `startIndex`, at least 1 (RFC 7644 §3.4.2.4); 1 when absent.
    pub start_index: usize,
    /// `count`, at least 0; `None` when absent, leaving the page size to the server.
    pub count: Option<usize>,
}

/// The parameters a request may carry, in RFC 7644's spelling.
const PARAMETERS: [&str; 7] = [
    "attributes",
    "excludedAttributes",
    "filter",
    "sortBy",
    "sortOrder",
    "startIndex",
    "count",
];

impl SearchRequest {
    /// Reads the query parameters of `GET /{endpoint}` (RFC 7644 §3.4.2),
    /// given as decoded name and value pairs. Other parameters are ignored.
    ///
    /// Parameter names are matched without regard to case, as SCIM matches
    /// attribute names (RFC 7643 §2.1). `attributes` and
    /// `excludedAttributes` may repeat, their lists joining; the others may
    /// appear once. Empty values count as absent.
    ///
    /// # Errors
    ///
    /// `invalidValue` when a parameter repeats, `startIndex` or `count` is
    /// not an integer, or `sortOrder` is neither `ascending` nor `descending`.
    pub fn from_query(params: &[(String, String)]) -> Result<Self> {
        let mut request = Self {
            start_index: 1,
            ..Self::default()
        };
        let mut seen = [false; PARAMETERS.len()];
        let mut sort_order = None;

        for (name, value) in params {
            let Some(index) = PARAMETERS.iter().position(|p| p.eq_ignore_ascii_case(name)) else {
                continue;
            };
            let value = value.trim();
            if index >= 2 {
                if std::mem::replace(&mut seen[index], true) {
                    return Err(ScimError::invalid_value(format!(
                        "query parameter \"{}\" is given more than once",
                        PARAMETERS[index]
                    )));
                }
                if value.is_empty() {
                    continue;
                }
            }
            match index {
                0 => push_names(&mut request.attributes, value),
                1 => push_names(&mut request.excluded_attributes, value),
                2 => request.filter = Some(value.to_owned()),
                3 => request.sort_by = Some(value.to_owned()),
                4 => sort_order = Some(value),
                5 => request.start_index = parse_start_index(value)?,
                _ => request.count = Some(parse_count(value)?),
            }
        }
        request.sort_order = SortOrder::parse(sort_order)?;
        Ok(request)
    }

    /// Reads the body of `POST /.search` (RFC 7644 §3.4.3). Member names are
    /// matched without regard to case; unknown members and `null` values
    /// are ignored.
    ///
    /// A missing `schemas` member is tolerated, as miniOrange leaves it out
    /// of its PATCH bodies and clients of the same make may do so here; when
    /// present it must list the search request URN.
    ///
    /// # Errors
    ///
    /// `invalidSyntax` when the body is not an object or `schemas` does not
    /// list [`SEARCH_REQUEST_URN`]; `invalidValue` when a member has the
    /// wrong type or `sortOrder` is neither `ascending` nor `descending`.
    pub fn from_json(body: &Value) -> Result<Self> {
        let Value::Object(body) = body else {
            return Err(ScimError::invalid_syntax(
                "search request must be a JSON object",
            ));
        };
        check_schemas(body)?;

        let mut request = Self {
            start_index: 1,
            ..Self::default()
        };
        let mut sort_order = None;
        for (key, value) in body {
            let Some(index) = PARAMETERS.iter().position(|p| p.eq_ignore_ascii_case(key)) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            let name = PARAMETERS[index];
            match index {
                0 => request.attributes = string_list(name, value)?,
                1 => request.excluded_attributes = string_list(name, value)?,
                2 => request.filter = non_empty(string(name, value)?),
                3 => request.sort_by = non_empty(string(name, value)?),
                4 => sort_order = Some(string(name, value)?),
                5 => request.start_index = clamp_start_index(integer(name, value)?),
                _ => request.count = Some(clamp_count(integer(name, value)?)),
            }
        }
        request.sort_order = SortOrder::parse(sort_order)?;
        Ok(request)
    }
}

/// Appends the comma-separated names of `list`, skipping empty items.
fn push_names(names: &mut Vec<String>, list: &str) {
    names.extend(
        list.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
    );
}

/// Checks `schemas`, when present: an array listing the search request URN.
fn check_schemas(body: &Map<String, Value>) -> Result<()> {
    let Some((_, schemas)) = body.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas")) else {
        return Ok(());
    };
    let listed = schemas.as_array().is_some_and(|urns| {
        urns.iter().any(|u| {
            u.as_str()
                .is_some_and(|u| u.eq_ignore_ascii_case(SEARCH_REQUEST_URN))
        })
    });
    if listed {
        Ok(())
    } else {
        Err(ScimError::invalid_syntax(format!(
            "search request schemas must be [\"{SEARCH_REQUEST_URN}\"], not {schemas}"
        )))
    }
}

fn string<'v>(name: &str, value: &'v Value) -> Result<&'v str> {
    value
        .as_str()
        .ok_or_else(|| ScimError::invalid_value(format!("{name} must be a string, not {value}")))
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn string_list(name: &str, value: &Value) -> Result<Vec<String>> {
    let wrong =
        || ScimError::invalid_value(format!("{name} must be an array of strings, not {value}"));
    let items = value.as_array().ok_or_else(wrong)?;
    let mut names = Vec::with_capacity(items.len());
    for item in items {
        let item = item.as_str().ok_or_else(wrong)?.trim();
        if !item.is_empty() {
            names.push(item.to_owned());
        }
    }
    Ok(names)
}

/// An integer member. Integers beyond `i64` saturate, as clamping follows.
fn integer(name: &str, value: &Value) -> Result<i64> {
    match value {
        Value::Number(n) if n.is_i64() => Ok(n.as_i64().unwrap_or(0)),
        Value::Number(n) if n.is_u64() => Ok(i64::MAX),
        _ => Err(ScimError::invalid_value(format!(
            "{name} must be an integer, not {value}"
        ))),
    }
}
