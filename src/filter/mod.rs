//! Filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2): lexer, parser,
//! syntax tree, printing, evaluation against a resource.

pub mod ast;
mod display;
mod eval;
mod lexer;
mod parser;

pub use ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
pub use eval::{check, matches, matches_value};
pub use parser::{parse, parse_path, MAX_DEPTH, MAX_LENGTH};
