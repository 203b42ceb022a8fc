//! Sorting (RFC 7644 §3.4.2.3): `sortBy` and `sortOrder`, and the
//! type-aware comparison of attribute values they rest on.

use super::{member, resolve, Target};
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
            match (parse_date_time(x), parse_date_time(y)) {
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

/// An instant: seconds since 1970-01-01T00:00:00Z and nanoseconds.
pub type Instant = (i64, u32);

/// Parses an `xsd:dateTime` (RFC 7643 §2.3.5), such as
/// `2008-01-23T04:56:22Z` or `2015-07-11T18:28:09.123-07:00`, into an
/// instant. Without an offset the time is taken as UTC. `None` when the
/// text is not such a date.
#[must_use]
pub fn parse_date_time(text: &str) -> Option<Instant> {
    let bytes = text.as_bytes();
    let (negative, bytes) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };

    let dash = bytes.iter().position(|&b| b == b'-')?;
    if !(4..=9).contains(&dash) {
        return None;
    }
    let (year_digits, rest) = bytes.split_at(dash);
    let mut year = i64::try_from(digits(year_digits)?).ok()?;
    if negative {
        year = -year;
    }
    let rest = rest.get(1..)?;
    let month = digits(rest.get(..2)?)?;
    if rest.get(2) != Some(&b'-') {
        return None;
    }
    let day = digits(rest.get(3..5)?)?;
    if !matches!(rest.get(5), Some(b'T' | b't')) {
        return None;
    }
    let hour = digits(rest.get(6..8)?)?;
    let minute = digits(rest.get(9..11)?)?;
    let second = digits(rest.get(12..14)?)?;
    if rest.get(8) != Some(&b':') || rest.get(11) != Some(&b':') {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 24
        || minute > 59
        || second > 60
        || (hour == 24 && (minute, second) != (0, 0))
    {
        return None;
    }

    let mut rest = rest.get(14..)?;
    let mut nanos: u32 = 0;
    if let Some((b'.', fraction)) = rest.split_first() {
        let len = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        let mut scale = 100_000_000;
        for &d in fraction.iter().take(len.min(9)) {
            nanos += u32::from(d - b'0') * scale;
            scale /= 10;
        }
        rest = fraction.get(len..)?;
    }
    let offset = match rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            if hours > 14 || minutes > 59 {
                return None;
            }
            let seconds = i64::try_from(hours * 3600 + minutes * 60).ok()?;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };

    let days = days_from_civil(year, month, day);
    let seconds = days
        .checked_mul(86_400)?
        .checked_add(i64::try_from(hour * 3600 + minute * 60 + second).ok()?)?
        .checked_sub(offset)?;
    Some((seconds, nanos))
}

/// The value of a run of ASCII digits; `None` when empty, not digits, or too long.
fn digits(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 18 {
        return None;
    }
    bytes.iter().try_fold(0u64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u64::from(b - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date given.
fn days_from_civil(year: i64, month: u64, day: u64) -> i64 {
    let month = i64::try_from(month).unwrap_or(1);
    let day = i64::try_from(day).unwrap_or(1);
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
