//! Equality of whole attribute values, complex and multi-valued ones
//! included; single values compare by `crate::compare::equal`, where
//! `caseExact` governs string comparison (RFC 7643 §2.2).

use crate::compare;
use crate::schema::{AttrType, Attribute, Mutability};
use serde_json::Value;

/// Whether `a` and `b` are the same value of `attr`.
///
/// Single values compare by [`compare::equal`]: strings without regard to
/// case unless the attribute is `caseExact`, numbers by value (`1` equals
/// `1.0`), dateTimes as instants. Complex values compare sub-attribute by
/// sub-attribute, absent equal to null, readOnly sub-attributes left out
/// (the server sets them); multi-valued values compare as multisets, order
/// ignored (RFC 7643 §2.4 gives arrays no order).
#[must_use]
pub fn values_equal(attr: &Attribute, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if attr.multi_valued => {
            if x.len() != y.len() {
                return false;
            }
            let mut used = vec![false; y.len()];
            x.iter().all(|e| {
                let found = y
                    .iter()
                    .zip(used.iter_mut())
                    .find(|(f, used)| !**used && one_equal(attr, e, f));
                found.map(|(_, used)| *used = true).is_some()
            })
        }
        _ => one_equal(attr, a, b),
    }
}

/// Equality of single values (one element of a multi-valued attribute).
fn one_equal(attr: &Attribute, left: &Value, right: &Value) -> bool {
    match (attr.attr_type, left, right) {
        (AttrType::Complex, Value::Object(left), Value::Object(right)) => attr
            .sub_attributes
            .iter()
            .filter(|sub| sub.mutability != Mutability::ReadOnly)
            .all(|sub| {
                match (
                    assigned(left.get(&sub.name)),
                    assigned(right.get(&sub.name)),
                ) {
                    (None, None) => true,
                    (Some(l), Some(r)) => values_equal(sub, l, r),
                    _ => false,
                }
            }),
        _ => compare::equal(left, right, attr.attr_type, attr.case_exact),
    }
}

/// A value that is there: not absent, not null.
fn assigned(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn case_exact_decides_string_equality() {
        let loose = Attribute::new("a", AttrType::String, "");
        let exact = Attribute::new("a", AttrType::String, "").case_exact();
        assert!(!values_equal(&loose, &json!("Straße"), &json!("STRASSE")));
        assert!(values_equal(&loose, &json!("ÉCOLE"), &json!("école")));
        assert!(!values_equal(&exact, &json!("Abc"), &json!("abc")));
    }

    #[test]
    fn multi_valued_ignores_order() {
        let attr = Attribute::new("a", AttrType::Integer, "").multi();
        assert!(values_equal(&attr, &json!([1, 2, 2]), &json!([2, 1, 2.0])));
        assert!(!values_equal(&attr, &json!([1, 1, 2]), &json!([1, 2, 2])));
    }
}
