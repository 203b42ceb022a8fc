//! Sorting (RFC 7644 §3.4.2.3): `sortBy` and `sortOrder`, and the
//! type-aware comparison of attribute values they rest on.

use super::{member, resolve, Target};
use crate::datetime;
use crate::schema::{AttrType, Registry, ResourceType};
use crate::{Result, ScimError};
use serde_json::{Number, Value};
use std::cmp::Ordering;

/// The direction of a sort (RFC 7644 §3.4.2.3 `sortOrder`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Smallest first; the default.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

impl SortOrder {
    /// Parses `sortOrder`, without regard to case; absent or empty means
    /// ascending (RFC 7644 §3.4.2.3).
    ///
    /// # Errors
    ///
    /// `invalidValue` for anything but `ascending` or `descending`.
    pub fn parse(raw: Option<&str>) -> Result<Self> {
        match raw.map(str::trim) {
            None | Some("") => Ok(Self::Ascending),
            Some(s) if s.eq_ignore_ascii_case("ascending") => Ok(Self::Ascending),
            Some(s) if s.eq_ignore_ascii_case("descending") => Ok(Self::Descending),
            Some(s) => Err(ScimError::invalid_value(format!(
                "sortOrder must be \"ascending\" or \"descending\", not \"{s}\""
            ))),
        }
    }
}

/// A resolved `sortBy` with its order.
///
/// Resources compare by the attribute's value: strings as the attribute's
/// `caseExact` says, numbers as numbers, dateTimes as instants, false before
/// true. A multi-valued attribute sorts by its primary value, or else its
/// first one. Resources without a value come last when ascending and first
/// when descending. Ties are broken by `id`, ascending in both orders, so
/// consecutive pages never repeat or skip a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    extension: Option<String>,
    attribute: String,
    sub: Option<String>,
    multi_valued: bool,
    attr_type: AttrType,
    case_exact: bool,
    order: SortOrder,
}

impl Sort {
    /// Resolves `sort_by`, an attribute path such as `userName`,
    /// `name.familyName`, `emails.value` or
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
    /// A multi-valued complex attribute named alone (`emails`) sorts by its
    /// `value` sub-attribute.
    ///
    /// # Errors
    ///
    /// `invalidValue` when the path names no attribute of `rt`, names a
    /// whole extension, or names a complex attribute that has no `value`
    /// sub-attribute to sort by (RFC 7644 §3.4.2.3 wants a sub-attribute
    /// path, as in `name.givenName`).
    pub fn new(
        sort_by: &str,
        order: SortOrder,
        registry: &Registry,
        rt: &ResourceType,
    ) -> Result<Self> {
        let sort_by = sort_by.trim();
        let Some(Target::Attribute {
            extension,
            attribute,
            sub,
        }) = resolve(registry, rt, sort_by)
        else {
            return Err(ScimError::invalid_value(format!(
                "sortBy \"{sort_by}\" names no attribute of {}",
                rt.name
            )));
        };
        let sub = match sub {
            Some(sub) => Some(sub),
            None if attribute.attr_type == AttrType::Complex => {
                match attribute
                    .sub_attribute("value")
                    .filter(|_| attribute.multi_valued)
                {
                    Some(value) => Some(value),
                    None => {
                        return Err(ScimError::invalid_value(format!(
                            "sortBy \"{sort_by}\" names a complex attribute; name one of its \
                             sub-attributes, such as \"{}.{}\"",
                            attribute.name,
                            attribute
                                .sub_attributes
                                .first()
                                .map_or("value", |s| s.name.as_str())
                        )))
                    }
                }
            }
            None => None,
        };
        let leaf = sub.unwrap_or(attribute);
        Ok(Self {
            extension: extension.map(str::to_owned),
            attribute: attribute.name.clone(),
            sub: sub.map(|s| s.name.clone()),
            multi_valued: attribute.multi_valued,
            attr_type: leaf.attr_type,
            case_exact: leaf.case_exact,
            order,
        })
    }

    /// The order.
    #[must_use]
    pub fn order(&self) -> SortOrder {
        self.order
    }

    /// Sorts `resources`.
    pub fn apply(&self, resources: &mut [Value]) {
        resources.sort_by(|a, b| self.compare(a, b));
    }

    /// Compares two resources: by the sort value in the sort order, missing
    /// values last when ascending, then by `id`.
    #[must_use]
    pub fn compare(&self, a: &Value, b: &Value) -> Ordering {
        let by_value = match (self.key(a), self.key(b)) {
            (Some(x), Some(y)) => {
                let ord = compare_values(x, y, self.attr_type, self.case_exact);
                match self.order {
                    SortOrder::Ascending => ord,
                    SortOrder::Descending => ord.reverse(),
                }
            }
            (Some(_), None) => match self.order {
                SortOrder::Ascending => Ordering::Less,
                SortOrder::Descending => Ordering::Greater,
            },
            (None, Some(_)) => match self.order {
                SortOrder::Ascending => Ordering::Greater,
                SortOrder::Descending => Ordering::Less,
            },
            (None, None) => Ordering::Equal,
        };
        by_value.then_with(|| compare_ids(a, b))
    }

    /// The value `resource` sorts by, if it has one.
    fn key<'v>(&self, resource: &'v Value) -> Option<&'v Value> {
        let mut container = resource.as_object()?;
        if let Some(urn) = &self.extension {
            container = member(container, urn)?.as_object()?;
        }
        let mut value = member(container, &self.attribute)?;
        if self.multi_valued {
            value = primary_or_first(value)?;
        }
        if let Some(sub) = &self.sub {
            value = member(value.as_object()?, sub)?;
        }
        (!value.is_null()).then_some(value)
    }
}

/// The element of a multi-valued attribute marked `"primary": true`, or else
/// the first (RFC 7644 §3.4.2.3).
fn primary_or_first(value: &Value) -> Option<&Value> {
    let Value::Array(elements) = value else {
        return Some(value);
    };
    elements
        .iter()
        .find(|e| e.as_object().and_then(|o| member(o, "primary")) == Some(&Value::Bool(true)))
        .or_else(|| elements.first())
}

/// Compares the `id`s of two resources, case-exact (RFC 7643 §3.1).
fn compare_ids(a: &Value, b: &Value) -> Ordering {
    fn id(resource: &Value) -> &str {
        resource.get("id").and_then(Value::as_str).unwrap_or("")
    }
    id(a).cmp(id(b))
}

/// Compares two values of an attribute of type `attr_type` (RFC 7644
/// §3.4.2.3): strings by Unicode code point, folded to lower case unless
/// `case_exact`; numbers numerically, integers and decimals exactly;
/// dateTimes as instants, those that do not parse after those that do and
/// among themselves by text; booleans false first. Values of mismatched JSON
/// types order by type: booleans, numbers, strings, arrays, objects, null.
///
/// The order is total, whatever the input, as sorting requires. The
/// filter's ordering operators (`gt`, `ge`, `lt`, `le`) should compare the
/// same way.
#[must_use]
pub fn compare_values(a: &Value, b: &Value, attr_type: AttrType, case_exact: bool) -> Ordering {
    match (a, b) {
        (Value::String(x), Value::String(y)) if attr_type == AttrType::DateTime => {
            match (datetime::parse(x), datetime::parse(y)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => compare_strings(x, y, case_exact),
            }
        }
        (Value::String(x), Value::String(y)) => compare_strings(x, y, case_exact),
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => type_rank(a).cmp(&type_rank(b)),
    }
}

/// Compares JSON numbers exactly: integers as integers, an integer and a
/// decimal without rounding the integer to a float.
fn compare_numbers(a: &Number, b: &Number) -> Ordering {
    let int = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(x), None) => compare_int_float(x, b.as_f64().unwrap_or(0.0)),
        (None, Some(y)) => compare_int_float(y, a.as_f64().unwrap_or(0.0)).reverse(),
        (None, None) => a
            .as_f64()
            .unwrap_or(0.0)
            .total_cmp(&b.as_f64().unwrap_or(0.0)),
    }
}

/// Compares an integer with a float, exactly.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
fn compare_int_float(int: i128, float: f64) -> Ordering {
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

/// Compares strings by code point, folding case unless `case_exact`.
#[must_use]
pub fn compare_strings(a: &str, b: &str, case_exact: bool) -> Ordering {
    if case_exact {
        a.cmp(b)
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    }
}

fn type_rank(value: &Value) -> u8 {
    match value {
        Value::Bool(_) => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        Value::Array(_) => 3,
        Value::Object(_) => 4,
        Value::Null => 5,
    }
}
