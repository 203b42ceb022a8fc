//! Filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2): lexer, parser,
//! syntax tree, evaluation against a resource.

pub mod ast;

pub use ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
