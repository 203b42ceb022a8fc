//! SCIM errors: every failure the core reports, mapped onto RFC 7644 §3.12
//! (`status` and `scimType`) and rendered as an error document.

use serde_json::{json, Value};
use std::fmt::{self, Write};

/// The URN of an error document (RFC 7644 §3.12).
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The `scimType` keywords of RFC 7644 §3.12, table 9.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    /// The filter syntax is invalid or names an unsupported attribute.
    InvalidFilter,
    /// The filter would return more results than the server will process.
    TooMany,
    /// One or more unique attribute values are already in use.
    Uniqueness,
    /// The change is incompatible with an attribute's mutability.
    Mutability,
    /// The request body is not parsable or violates the schema.
    InvalidSyntax,
    /// The `path` attribute is invalid or malformed.
    InvalidPath,
    /// The path filter matched no attribute or value.
    NoTarget,
    /// A value is not compatible with the attribute's type or rules.
    InvalidValue,
    /// The protocol version is not supported.
    InvalidVers,
    /// The request cannot be completed because it holds sensitive data.
    Sensitive,
}

impl ScimType {
    /// Every keyword, in the order of RFC 7644 §3.12's table.
    pub const ALL: [ScimType; 10] = [
        Self::InvalidFilter,
        Self::TooMany,
        Self::Uniqueness,
        Self::Mutability,
        Self::InvalidSyntax,
        Self::InvalidPath,
        Self::NoTarget,
        Self::InvalidValue,
        Self::InvalidVers,
        Self::Sensitive,
    ];

    /// The keyword spelled `name` exactly as an error document spells it.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The keyword as it appears in an error document.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
        }
    }

    /// The HTTP status RFC 7644 §3.12 gives this keyword.
    #[must_use]
    pub fn status(self) -> u16 {
        match self {
            Self::Uniqueness => 409,
            _ => 400,
        }
    }
}

/// A failure, as the SCIM protocol reports it.
///
/// Variants carrying a [`ScimType`] are the keyword errors of RFC 7644 §3.12;
/// the others are plain HTTP failures with no `scimType`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScimError {
    /// A keyword error: the status follows from the keyword (400, or 409 for uniqueness).
    Keyword(ScimType, String),
    /// 400 without a keyword: a request the server cannot read for another reason.
    BadRequest(String),
    /// 401: no valid credentials.
    Unauthorized(String),
    /// 403: the credentials do not allow this operation.
    Forbidden(String),
    /// 404: the resource or endpoint does not exist.
    NotFound(String),
    /// 405: the endpoint does not take this method.
    MethodNotAllowed(String),
    /// 409 without a keyword: a conflicting state other than uniqueness.
    Conflict(String),
    /// 412: an `If-Match` precondition failed (RFC 7644 §3.14).
    PreconditionFailed(String),
    /// 413: the body is larger than the server accepts.
    PayloadTooLarge(String),
    /// 415: the body is not JSON.
    UnsupportedMediaType(String),
    /// 500: the server failed; the detail never holds internals a client should not see.
    Internal(String),
    /// 501: the operation is not supported by this server.
    NotImplemented(String),
}

impl ScimError {
    /// A keyword error.
    pub fn keyword(kind: ScimType, detail: impl Into<String>) -> Self {
        Self::Keyword(kind, detail.into())
    }

    /// `invalidFilter`.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::keyword(ScimType::InvalidFilter, detail)
    }

    /// `invalidSyntax`.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::keyword(ScimType::InvalidSyntax, detail)
    }

    /// `invalidPath`.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::keyword(ScimType::InvalidPath, detail)
    }

    /// `invalidValue`.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::keyword(ScimType::InvalidValue, detail)
    }

    /// `mutability`.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::keyword(ScimType::Mutability, detail)
    }

    /// `noTarget`.
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::keyword(ScimType::NoTarget, detail)
    }

    /// `uniqueness` (409).
    pub fn uniqueness(detail: impl Into<String>) -> Self {
        Self::keyword(ScimType::Uniqueness, detail)
    }

    /// `tooMany`.
    pub fn too_many(detail: impl Into<String>) -> Self {
        Self::keyword(ScimType::TooMany, detail)
    }

    /// The same error (variant and keyword) with another detail.
    #[must_use]
    pub fn with_detail(&self, detail: String) -> Self {
        match self {
            Self::Keyword(kind, _) => Self::Keyword(*kind, detail),
            Self::BadRequest(_) => Self::BadRequest(detail),
            Self::Unauthorized(_) => Self::Unauthorized(detail),
            Self::Forbidden(_) => Self::Forbidden(detail),
            Self::NotFound(_) => Self::NotFound(detail),
            Self::MethodNotAllowed(_) => Self::MethodNotAllowed(detail),
            Self::Conflict(_) => Self::Conflict(detail),
            Self::PreconditionFailed(_) => Self::PreconditionFailed(detail),
            Self::PayloadTooLarge(_) => Self::PayloadTooLarge(detail),
            Self::UnsupportedMediaType(_) => Self::UnsupportedMediaType(detail),
            Self::Internal(_) => Self::Internal(detail),
            Self::NotImplemented(_) => Self::NotImplemented(detail),
        }
    }

    /// The HTTP status of this error.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            Self::Keyword(kind, _) => kind.status(),
            Self::BadRequest(_) => 400,
            Self::Unauthorized(_) => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound(_) => 404,
            Self::MethodNotAllowed(_) => 405,
            Self::Conflict(_) => 409,
            Self::PreconditionFailed(_) => 412,
            Self::PayloadTooLarge(_) => 413,
            Self::UnsupportedMediaType(_) => 415,
            Self::Internal(_) => 500,
            Self::NotImplemented(_) => 501,
        }
    }

    /// The `scimType` keyword, where the error has one.
    #[must_use]
    pub fn scim_type(&self) -> Option<ScimType> {
        match self {
            Self::Keyword(kind, _) => Some(*kind),
            _ => None,
        }
    }

    /// The human-readable detail.
    #[must_use]
    pub fn detail(&self) -> &str {
        match self {
            Self::Keyword(_, detail)
            | Self::BadRequest(detail)
            | Self::Unauthorized(detail)
            | Self::Forbidden(detail)
            | Self::NotFound(detail)
            | Self::MethodNotAllowed(detail)
            | Self::Conflict(detail)
            | Self::PreconditionFailed(detail)
            | Self::PayloadTooLarge(detail)
            | Self::UnsupportedMediaType(detail)
            | Self::Internal(detail)
            | Self::NotImplemented(detail) => detail,
        }
    }

    /// The error document of RFC 7644 §3.12. `status` is a string there, as
    /// the RFC's examples show it.
    #[must_use]
    pub fn to_document(&self) -> Value {
        let mut doc = json!({
            "schemas": [ERROR_URN],
            "status": self.status().to_string(),
        });
        if let Some(kind) = self.scim_type() {
            doc["scimType"] = Value::from(kind.as_str());
        }
        doc["detail"] = Value::from(self.detail());
        doc
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scim_type() {
            Some(kind) => write!(f, "{} {}: {}", self.status(), kind.as_str(), self.detail()),
            None => write!(f, "{}: {}", self.status(), self.detail()),
        }
    }
}

impl std::error::Error for ScimError {}

/// The result of every fallible core operation.
pub type Result<T, E = ScimError> = std::result::Result<T, E>;

/// The kind of a JSON value, as an error message names what it got.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `text` in double quotes, as an error message names an offending token:
/// `"` and `\` escaped with a backslash, control characters as `\uHHHH`,
/// cut after `limit` characters with `...` inside the quotes.
pub(crate) fn quote(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit) + 5);
    out.push('"');
    for (count, ch) in text.chars().enumerate() {
        if count == limit {
            out.push_str("...");
            break;
        }
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniqueness_is_a_conflict() {
        let err = ScimError::uniqueness("userName \"bjensen\" is already in use");
        assert_eq!(err.status(), 409);
        assert_eq!(
            err.to_document(),
            json!({
                "schemas": [ERROR_URN],
                "status": "409",
                "scimType": "uniqueness",
                "detail": "userName \"bjensen\" is already in use",
            })
        );
    }

    #[test]
    fn quotes_escape_and_cut() {
        assert_eq!(quote("a\"b\\c", 8), r#""a\"b\\c""#);
        assert_eq!(quote("line\nfeed\u{7f}", 16), r#""line\u000afeed\u007f""#);
        assert_eq!(quote("abcdef", 4), r#""abcd...""#);
        assert_eq!(quote("abcd", 4), r#""abcd""#);
        assert_eq!(quote("ééé", 2), "\"éé...\"");
    }

    #[test]
    fn keywords_read_back_as_written() {
        for kind in ScimType::ALL {
            assert_eq!(ScimType::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ScimType::parse("InvalidFilter"), None);
    }

    #[test]
    fn plain_errors_carry_no_keyword() {
        let doc = ScimError::NotFound("resource 2819c223 not found".into()).to_document();
        assert_eq!(doc["status"], "404");
        assert!(doc.get("scimType").is_none());
    }
}
