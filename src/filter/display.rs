//! Printing filters and paths back as text that parses to the same tree
//! (RFC 7644 §3.4.2.2, §3.5.2): parentheses only where precedence needs them.

use super::ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
use std::fmt::{self, Display, Formatter, Write};

impl Display for AttrPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(uri) = &self.uri {
            write!(f, "{uri}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub_attr {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

impl CompareOp {
    /// The operator as RFC 7644 §3.4.2.2 spells it, in lower case.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

impl Display for CompareOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Display for CompValue {
    /// JSON text: strings quoted and escaped (RFC 8259 §7).
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(s) => write_json_string(f, s),
            Self::Number(n) => write!(f, "{n}"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Null => f.write_str("null"),
        }
    }
}

fn write_json_string(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut run = 0;
    for (i, ch) in s.char_indices() {
        let escape = match ch {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if u32::from(c) < 0x20 => "",
            _ => continue,
        };
        f.write_str(s.get(run..i).unwrap_or_default())?;
        if escape.is_empty() {
            write!(f, "\\u{:04x}", u32::from(ch))?;
        } else {
            f.write_str(escape)?;
        }
        run = i + ch.len_utf8();
    }
    f.write_str(s.get(run..).unwrap_or_default())?;
    f.write_char('"')
}

impl Display for Filter {
    /// `and` and `or` associate to the left, so a right operand of the same
    /// operator, and any `or` under an `and`, is put in parentheses.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Self::Present(path) => write!(f, "{path} pr"),
            Self::Compare(path, op, value) => write!(f, "{path} {op} {value}"),
            Self::ValuePath(path, inner) => write!(f, "{path}[{inner}]"),
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::And(left, right) => {
                write_operand(f, left, matches!(**left, Self::Or(..)))?;
                f.write_str(" and ")?;
                write_operand(f, right, matches!(**right, Self::Or(..) | Self::And(..)))
            }
            Self::Or(left, right) => {
                write!(f, "{left} or ")?;
                write_operand(f, right, matches!(**right, Self::Or(..)))
            }
        }
    }
}

fn write_operand(f: &mut Formatter<'_>, operand: &Filter, parenthesize: bool) -> fmt::Result {
    if parenthesize {
        write!(f, "({operand})")
    } else {
        write!(f, "{operand}")
    }
}

impl Display for PatchPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(uri) = &self.uri {
            write!(f, "{uri}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(filter) = &self.filter {
            write!(f, "[{filter}]")?;
        }
        if let Some(sub) = &self.sub_attr {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}
