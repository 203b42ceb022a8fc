//! SCIM resources as they arrive: request bodies read within limits, then
//! checked against their resource type's schemas and put in canonical form
//! (RFC 7643 §2, §3; RFC 7644 §3.3, §3.5).
//!
//! Error keywords (RFC 7644 §3.12), used the same way throughout:
//! - `invalidSyntax`: the body is not readable JSON, or its shape does not fit
//!   the schema: an unknown attribute, an array for a single-valued attribute,
//!   an array inside a multi-valued one, an attribute given twice, a malformed
//!   `schemas`.
//! - `invalidValue`: a value of the wrong type or format for its attribute
//!   (`"active": 3`, a bad dateTime, bad base64), a required attribute
//!   missing, more than one `primary` value.
//! - `mutability`: a change to an immutable attribute that already has a value.
//! - 413 without a keyword: a body over [`Limits::max_body_bytes`].

mod compare;
mod format;
mod input;
mod json;
mod node;
mod path;
mod validate;

pub use compare::values_equal;
pub use input::Input;
pub(crate) use json::parse_node;
pub use json::{parse_json, Limits};
#[cfg(feature = "php")]
pub(crate) use node::Node;
pub use validate::{validate, validate_json, validate_with, Mode, Options};
