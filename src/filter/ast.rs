//! The filter and path syntax trees of RFC 7644 §3.4.2.2 and §3.5.2.

use serde_json::Number;

/// An attribute reference: `[URN ":"] name ["." subAttr]` (RFC 7644 §3.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// The schema URN when the name is qualified, as written.
    pub uri: Option<String>,
    /// The attribute name, as written.
    pub name: String,
    /// The sub-attribute name, as written.
    pub sub_attr: Option<String>,
}

/// A comparison operator (RFC 7644 §3.4.2.2, table 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: contains.
    Co,
    /// `sw`: starts with.
    Sw,
    /// `ew`: ends with.
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal.
    Le,
}

/// A literal on the right of a comparison (RFC 7644 §3.4.2.2 `compValue`).
#[derive(Debug, Clone, PartialEq)]
pub enum CompValue {
    /// A JSON string, unescaped.
    String(String),
    /// A JSON number.
    Number(Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A filter expression (RFC 7644 §3.4.2.2 `FILTER`).
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attrPath pr`.
    Present(AttrPath),
    /// `attrPath compareOp compValue`.
    Compare(AttrPath, CompareOp, CompValue),
    /// `attrPath "[" valFilter "]"`: some value of a multi-valued complex
    /// attribute matches the inner filter, whose paths are sub-attributes.
    ValuePath(AttrPath, Box<Filter>),
    /// `FILTER and FILTER`.
    And(Box<Filter>, Box<Filter>),
    /// `FILTER or FILTER`.
    Or(Box<Filter>, Box<Filter>),
    /// `not "(" FILTER ")"`.
    Not(Box<Filter>),
}

/// A PATCH `path` (RFC 7644 §3.5.2): `attrPath` or `valuePath ["." subAttr]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    /// The schema URN when qualified, as written.
    pub uri: Option<String>,
    /// The attribute name, as written.
    pub name: String,
    /// The value filter of `name[...]`.
    pub filter: Option<Filter>,
    /// The sub-attribute, after `.` (with or without a value filter).
    pub sub_attr: Option<String>,
}
