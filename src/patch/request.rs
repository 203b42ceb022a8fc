//! The PATCH request body (RFC 7644 §3.5.2): a `PatchOp` message whose
//! `Operations` each name an `op`, an optional `path` and a `value`.

use super::QUOTE_LIMIT;
use crate::error::quote;
use crate::filter::{self, PatchPath};
use crate::schema::member;
use crate::{Result, ScimError};
use serde_json::{Map, Value};

/// The URN of a PATCH request message (RFC 7644 §3.5.2).
pub const PATCH_OP_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The most operations one PATCH request may carry.
///
/// RFC 7644 sets no limit. A request over it is refused with 413, as RFC 7644
/// §3.7.3 answers a bulk request over `maxOperations`; no identity provider
/// we serve sends more than a handful (group membership travels as one
/// operation with many values).
pub const MAX_OPERATIONS: usize = 1000;

/// What an operation does (RFC 7644 §3.5.2.1-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchOp {
    /// Adds values, or sets a single value (§3.5.2.1).
    Add,
    /// Removes the target (§3.5.2.2).
    Remove,
    /// Replaces the target (§3.5.2.3).
    Replace,
}

impl PatchOp {
    /// The operation's name as RFC 7644 spells it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Remove => "remove",
            Self::Replace => "replace",
        }
    }

    /// Parses an operation name in any case.
    ///
    /// RFC 7644 §3.5.2 spells them in lowercase; Entra ID sends `Add`,
    /// `Replace` and `Remove`, so case is ignored.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Add, Self::Remove, Self::Replace]
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(name))
    }
}

/// An operation's `path`: the text the client sent and its parse.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetPath {
    /// The path as sent, for error messages.
    pub text: String,
    /// The parsed path.
    pub parsed: PatchPath,
}

impl TargetPath {
    /// Parses a `path` (RFC 7644 §3.5.2, figure 7).
    ///
    /// # Errors
    /// `invalidPath` when `text` is not a valid path.
    pub fn parse(text: &str) -> Result<Self> {
        let parsed = filter::parse_path(text)?;
        Ok(Self {
            text: text.to_owned(),
            parsed,
        })
    }
}

/// One entry of `Operations`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    /// What to do.
    pub op: PatchOp,
    /// Where; `None` means the resource itself.
    pub path: Option<TargetPath>,
    /// The value; required for add and replace, and read by remove only as
    /// the Entra ID member filter described on [`crate::patch::apply()`].
    pub value: Option<Value>,
}

/// A parsed PATCH request: operations to apply in order, all or none.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchRequest {
    /// The operations, in the order the client sent them.
    pub operations: Vec<PatchOperation>,
}

impl PatchRequest {
    /// Reads a PATCH request body (RFC 7644 §3.5.2).
    ///
    /// Tolerated departures from the RFC, each needed by a client:
    /// - `schemas` may be absent (miniOrange sends none); when present it must
    ///   hold [`PATCH_OP_URN`].
    /// - The member names `Operations`, `op`, `path` and `value` and the
    ///   operation names are matched without regard to case (Entra ID sends
    ///   `"op": "Replace"`).
    /// - `"path": null` is the same as no `path`.
    ///
    /// # Errors
    /// - `invalidSyntax` when the body is not a `PatchOp` message, `Operations`
    ///   is missing or empty, an operation is not an object, has no known `op`,
    ///   or an add or replace has no `value` (or, without `path`, a `value`
    ///   that is not an object);
    /// - `invalidPath` when a `path` does not parse;
    /// - `noTarget` for a remove without `path` (RFC 7644 §3.5.2.2);
    /// - 413 [`ScimError::PayloadTooLarge`] over [`MAX_OPERATIONS`] operations.
    pub fn from_json(body: &Value) -> Result<Self> {
        let Value::Object(body) = body else {
            return Err(ScimError::invalid_syntax(
                "patch request must be a JSON object",
            ));
        };
        check_schemas(body)?;

        let operations = member(body, "Operations")
            .ok_or_else(|| ScimError::invalid_syntax("patch request has no \"Operations\""))?;
        let Value::Array(operations) = operations else {
            return Err(ScimError::invalid_syntax("\"Operations\" must be an array"));
        };
        if operations.is_empty() {
            return Err(ScimError::invalid_syntax(
                "\"Operations\" must not be empty",
            ));
        }
        if operations.len() > MAX_OPERATIONS {
            return Err(ScimError::PayloadTooLarge(format!(
                "patch request has {} operations; the limit is {MAX_OPERATIONS}",
                operations.len()
            )));
        }

        let operations = operations
            .iter()
            .enumerate()
            .map(|(index, op)| PatchOperation::from_json(index, op))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { operations })
    }
}

impl PatchOperation {
    /// Reads `Operations[index]`.
    fn from_json(index: usize, op: &Value) -> Result<Self> {
        let Value::Object(op) = op else {
            return Err(ScimError::invalid_syntax(format!(
                "Operations[{index}] must be an object"
            )));
        };

        let name = match member(op, "op") {
            Some(Value::String(name)) => name,
            Some(_) => {
                return Err(ScimError::invalid_syntax(format!(
                    "Operations[{index}].op must be a string"
                )))
            }
            None => {
                return Err(ScimError::invalid_syntax(format!(
                    "Operations[{index}] has no \"op\""
                )))
            }
        };
        let kind = PatchOp::parse(name).ok_or_else(|| {
            ScimError::invalid_syntax(format!(
                "Operations[{index}].op {} is not \"add\", \"remove\" or \"replace\"",
                quote(name, QUOTE_LIMIT)
            ))
        })?;

        let path = match member(op, "path") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(TargetPath::parse(text).map_err(|err| {
                ScimError::invalid_path(format!("Operations[{index}].path: {}", err.detail()))
            })?),
            Some(_) => {
                return Err(ScimError::invalid_syntax(format!(
                    "Operations[{index}].path must be a string"
                )))
            }
        };

        let value = member(op, "value").cloned();
        match (kind, &path, &value) {
            (PatchOp::Remove, None, _) => {
                return Err(ScimError::no_target(format!(
                    "Operations[{index}]: \"remove\" needs a \"path\""
                )))
            }
            (PatchOp::Add | PatchOp::Replace, _, None) => {
                return Err(ScimError::invalid_syntax(format!(
                    "Operations[{index}]: \"{}\" needs a \"value\"",
                    kind.as_str()
                )))
            }
            (PatchOp::Add | PatchOp::Replace, None, Some(v)) if !v.is_object() => {
                return Err(ScimError::invalid_syntax(format!(
                    "Operations[{index}].value must be an object when there is no \"path\""
                )))
            }
            _ => {}
        }
        Ok(Self {
            op: kind,
            path,
            value,
        })
    }
}

/// Requires [`PATCH_OP_URN`] in `schemas` when `schemas` is present.
fn check_schemas(body: &Map<String, Value>) -> Result<()> {
    let holds_urn = match member(body, "schemas") {
        // miniOrange sends PATCH requests without `schemas`.
        None => true,
        Some(Value::Array(uris)) => uris.iter().any(|uri| {
            uri.as_str()
                .is_some_and(|uri| uri.eq_ignore_ascii_case(PATCH_OP_URN))
        }),
        Some(Value::String(uri)) => uri.eq_ignore_ascii_case(PATCH_OP_URN),
        Some(_) => false,
    };
    if holds_urn {
        Ok(())
    } else {
        Err(ScimError::invalid_syntax(format!(
            "\"schemas\" must hold \"{PATCH_OP_URN}\""
        )))
    }
}
