//! Comparing attribute values by their type: the one order and equality that
//! filtering (RFC 7644 §3.4.2.2), sorting (§3.4.2.3) and the immutability
//! check use, with strings following `caseExact` (RFC 7643 §2.2, §2.3).

use crate::datetime;
use crate::schema::AttrType;
use serde_json::{Number, Value};
use std::cmp::Ordering;

/// Orders two values of an attribute of type `attr_type`: strings by
/// [`order_strings`], numbers by [`order_numbers`], booleans false first;
/// `dateTime` strings as instants, those that do not parse after those that
/// do and among themselves as strings. Values of different JSON kinds order
/// by kind: booleans, numbers, strings, arrays, objects, null; arrays and
/// objects are not ordered further.
///
/// The order is total, whatever the input, as sorting requires. The
/// filter's ordering operators use its parts, except that a `dateTime` and a
/// text that is not one compare as text there (see [`order_date_times`]).
#[must_use]
pub fn order(a: &Value, b: &Value, attr_type: AttrType, case_exact: bool) -> Ordering {
    match (a, b) {
        (Value::String(x), Value::String(y)) if attr_type == AttrType::DateTime => {
            match (datetime::parse(x), datetime::parse(y)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => order_strings(x, y, case_exact),
            }
        }
        (Value::String(x), Value::String(y)) => order_strings(x, y, case_exact),
        (Value::Number(x), Value::Number(y)) => order_numbers(x, y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => kind_rank(a).cmp(&kind_rank(b)),
    }
}

/// Whether two values of an attribute of type `attr_type` are equal: for
/// strings, numbers and booleans exactly when [`order`] finds them equal
/// (so `1` equals `1.0`, and `2011-05-13T04:42:34Z` equals
/// `2011-05-13T06:42:34+02:00`); arrays, objects and null as JSON.
#[must_use]
pub fn equal(a: &Value, b: &Value, attr_type: AttrType, case_exact: bool) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) if attr_type == AttrType::DateTime => {
            match (datetime::parse(x), datetime::parse(y)) {
                (Some(x), Some(y)) => x == y,
                (None, None) => strings_equal(x, y, case_exact),
                _ => false,
            }
        }
        (Value::String(x), Value::String(y)) => strings_equal(x, y, case_exact),
        (Value::Number(x), Value::Number(y)) => order_numbers(x, y).is_eq(),
        _ => a == b,
    }
}

/// Orders two `dateTime` texts as instants; `None` unless both parse
/// ([`datetime::parse`]). The filter then compares them as text, so that a
/// partial literal such as `meta.lastModified gt "2011-05-13"` still means
/// what it reads as.
#[must_use]
pub fn order_date_times(a: &str, b: &str) -> Option<Ordering> {
    Some(datetime::parse(a)?.cmp(&datetime::parse(b)?))
}

/// Orders strings by code point; unless `case_exact`, after folding both
/// with `str::to_lowercase` (the `SQLite` store's lowercase columns hold
/// the same folding).
#[must_use]
pub fn order_strings(a: &str, b: &str, case_exact: bool) -> Ordering {
    if case_exact {
        a.cmp(b)
    } else if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

/// Whether [`order_strings`] finds `a` and `b` equal.
#[must_use]
pub fn strings_equal(a: &str, b: &str, case_exact: bool) -> bool {
    if case_exact {
        a == b
    } else if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// Orders JSON numbers by value, exactly: integers as integers, an integer
/// and a decimal without rounding the integer to a float.
#[must_use]
pub fn order_numbers(a: &Number, b: &Number) -> Ordering {
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(x), None) => order_int_float(x, b.as_f64().unwrap_or(0.0)),
        (None, Some(y)) => order_int_float(y, a.as_f64().unwrap_or(0.0)).reverse(),
        (None, None) => a
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&b.as_f64().unwrap_or(0.0)),
    }
}

/// Orders an integer and a float, exactly.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
fn order_int_float(int: i128, float: f64) -> Ordering {
    // 2^100 is exact in both types and beyond every JSON integer.
    const LIMIT: f64 = 1_267_650_600_228_229_401_496_703_205_376.0;
    if float.is_nan() {
        return Ordering::Less;
    }
    if float >= LIMIT {
        return Ordering::Less;
    }
    if float <= -LIMIT {
        return Ordering::Greater;
    }
    let whole = float.trunc();
    // `whole` is an integer within ±2^100, so the cast is exact.
    match int.cmp(&(whole as i128)) {
        Ordering::Equal => 0.0_f64
            .partial_cmp(&(float - whole))
            .unwrap_or(Ordering::Equal),
        unequal => unequal,
    }
}

fn kind_rank(value: &Value) -> u8 {
    match value {
        Value::Bool(_) => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        Value::Array(_) => 3,
        Value::Object(_) => 4,
        Value::Null => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn case_folds_the_whole_string() {
        // `str::to_lowercase` lowers a word-final capital sigma to `ς`.
        assert!(strings_equal("ΟΔΟΣ", "οδος", false));
        assert!(!strings_equal("ΟΔΟΣ", "οδοσ", false));
        assert_eq!(order_strings("Straße", "STRASSE", false), Ordering::Greater);
        assert_eq!(order_strings("ÉCOLE", "école", false), Ordering::Equal);
        assert_eq!(order_strings("ÉCOLE", "école", true), Ordering::Less);
        assert_eq!(order_strings("abc", "ABD", false), Ordering::Less);
    }

    #[test]
    fn numbers_compare_exactly() {
        let n = |v: Value| v.as_number().cloned().unwrap();
        assert_eq!(
            order_numbers(
                &n(json!(9_007_199_254_740_993_i64)),
                &n(json!(9_007_199_254_740_992.0))
            ),
            Ordering::Greater
        );
        assert_eq!(
            order_numbers(&n(json!(0)), &n(json!(-0.0))),
            Ordering::Equal
        );
        assert_eq!(
            order_numbers(&n(json!(-1)), &n(json!(u64::MAX))),
            Ordering::Less
        );
        assert_eq!(
            order_numbers(&n(json!(2.5)), &n(json!(2))),
            Ordering::Greater
        );
    }

    #[test]
    fn equality_agrees_with_the_order() {
        let cases = [
            (
                json!("2011-05-13T04:42:34Z"),
                json!("2011-05-13T06:42:34+02:00"),
                AttrType::DateTime,
            ),
            (
                json!("2011-05-13T04:42:34Z"),
                json!("2011-05-13"),
                AttrType::DateTime,
            ),
            (json!("junk"), json!("JUNK"), AttrType::DateTime),
            (json!("Abc"), json!("aBC"), AttrType::String),
            (json!(1), json!(1.0), AttrType::Decimal),
            (json!(true), json!(1), AttrType::Boolean),
            (json!(null), json!(false), AttrType::Boolean),
        ];
        for (a, b, attr_type) in cases {
            for case_exact in [false, true] {
                assert_eq!(
                    equal(&a, &b, attr_type, case_exact),
                    order(&a, &b, attr_type, case_exact).is_eq(),
                    "{a} vs {b} as {attr_type:?}, caseExact {case_exact}"
                );
            }
        }
    }
}
