//! Evaluating a filter against a resource or one value of a multi-valued
//! attribute (RFC 7644 §3.4.2.2 comparison rules), and checking that a
//! filter names only attributes the resource type has.

use super::ast::{AttrPath, CompValue, CompareOp, Filter};
use crate::compare;
use crate::schema::{self, AttrType, Attribute, Registry, ResourceType};
use crate::{Result, ScimError};
use serde_json::Value;
use std::cmp::Ordering;
use std::sync::LazyLock;

/// `schemas` (RFC 7643 §3), which every resource carries but no schema
/// defines; RFC 7644 §3.4.2.2 filters on it (`schemas eq "urn:..."`).
static SCHEMAS: LazyLock<Attribute> = LazyLock::new(|| {
    Attribute::new(
        "schemas",
        AttrType::Reference,
        "The schema URNs of the resource",
    )
    .multi()
});

/// Whether `resource`, a canonical resource of type `rt`, matches `filter`.
///
/// Rules (RFC 7644 §3.4.2.2):
/// - names resolve without regard to case, URN-qualified or not; extension
///   attributes are read from the object under their schema URN;
/// - a comparison on a multi-valued attribute matches when any value does;
/// - a complex attribute compared without a sub-attribute compares its
///   `value` sub-attribute (`emails co "@example.com"`);
/// - values compare by the rules of `crate::compare`: strings by the
///   attribute's `caseExact`; `dateTime` values as instants when both parse,
///   else as text; numbers by value, exactly; booleans only with `eq` and
///   `ne` (`gt`, `ge`, `lt`, `le` on a boolean or binary attribute never
///   match: [`check`] rejects them first);
/// - `pr` is true when the value is not null, not `""`, not `[]`, not `{}`;
/// - `eq null` is true when the attribute has no value and `ne null` when it
///   has one;
/// - `ne` is true when the attribute has no value, or when any value is not
///   equal (the "any value" rule applied to `ne`);
/// - a value of the wrong JSON type for the literal is not equal to it, and
///   neither contains, starts, ends nor orders with it;
/// - an attribute the resource type does not define matches nothing.
#[must_use]
pub fn matches(filter: &Filter, resource: &Value, registry: &Registry, rt: &ResourceType) -> bool {
    match filter {
        Filter::And(left, right) => {
            matches(left, resource, registry, rt) && matches(right, resource, registry, rt)
        }
        Filter::Or(left, right) => {
            matches(left, resource, registry, rt) || matches(right, resource, registry, rt)
        }
        Filter::Not(inner) => !matches(inner, resource, registry, rt),
        Filter::Present(path) => {
            top_level(path, resource, registry, rt).is_some_and(|t| t.present())
        }
        Filter::Compare(path, op, value) => {
            top_level(path, resource, registry, rt).is_some_and(|t| t.compare(*op, value))
        }
        Filter::ValuePath(path, inner) => match attribute_value(path, resource, registry, rt) {
            Some((attribute, value)) => {
                elements(value).any(|element| matches_value(inner, element, attribute))
            }
            None => false,
        },
    }
}

/// Whether `element`, one value of the multi-valued attribute defined by
/// `attribute`, matches the value filter `filter` (the inside of
/// `emails[type eq "work"]`), by the rules of [`matches`].
///
/// Paths in `filter` name sub-attributes of `attribute`; any URN on them is
/// ignored. For a multi-valued attribute of simple values, the path `value`
/// names the element itself. Nested value paths never match.
#[must_use]
pub fn matches_value(filter: &Filter, element: &Value, attribute: &Attribute) -> bool {
    match filter {
        Filter::And(left, right) => {
            matches_value(left, element, attribute) && matches_value(right, element, attribute)
        }
        Filter::Or(left, right) => {
            matches_value(left, element, attribute) || matches_value(right, element, attribute)
        }
        Filter::Not(inner) => !matches_value(inner, element, attribute),
        Filter::Present(path) => in_element(path, element, attribute).is_some_and(|t| t.present()),
        Filter::Compare(path, op, value) => {
            in_element(path, element, attribute).is_some_and(|t| t.compare(*op, value))
        }
        Filter::ValuePath(..) => false,
    }
}

/// Checks that every attribute `filter` names exists in resource type `rt`,
/// and that no ordering operator is applied to a boolean or binary attribute
/// (RFC 7644 §3.4.2.2: those "SHALL cause a failed response").
///
/// # Errors
/// `invalidFilter`: `unknown attribute "foo" in filter`, or
/// `operator "gt" does not apply to boolean attribute "active"`.
pub fn check(filter: &Filter, registry: &Registry, rt: &ResourceType) -> Result<()> {
    match filter {
        Filter::And(left, right) | Filter::Or(left, right) => {
            check(left, registry, rt)?;
            check(right, registry, rt)
        }
        Filter::Not(inner) => check(inner, registry, rt),
        Filter::Present(path) => top_definition(path, registry, rt).map(|_| ()),
        Filter::Compare(path, op, _) => {
            let attribute = top_definition(path, registry, rt)?;
            check_operator(*op, attribute, &path.to_string())
        }
        Filter::ValuePath(path, inner) => {
            let attribute = top_definition(path, registry, rt)?;
            check_value_filter(inner, attribute, path)
        }
    }
}

fn check_value_filter(filter: &Filter, attribute: &Attribute, outer: &AttrPath) -> Result<()> {
    let definition = |path: &AttrPath| {
        sub_definition(path, attribute).ok_or_else(|| {
            ScimError::invalid_filter(format!("unknown attribute \"{outer}.{path}\" in filter"))
        })
    };
    match filter {
        Filter::And(left, right) | Filter::Or(left, right) => {
            check_value_filter(left, attribute, outer)?;
            check_value_filter(right, attribute, outer)
        }
        Filter::Not(inner) => check_value_filter(inner, attribute, outer),
        Filter::Present(path) => definition(path).map(|_| ()),
        Filter::Compare(path, op, _) => {
            check_operator(*op, definition(path)?, &format!("{outer}.{path}"))
        }
        Filter::ValuePath(path, _) => Err(ScimError::invalid_filter(format!(
            "value filter on \"{outer}.{path}\" is nested in another value filter"
        ))),
    }
}

fn check_operator(op: CompareOp, attribute: &Attribute, path: &str) -> Result<()> {
    let ordering = matches!(
        op,
        CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
    );
    match attribute.attr_type {
        AttrType::Boolean | AttrType::Binary if ordering => {
            Err(ScimError::invalid_filter(format!(
                "operator \"{op}\" does not apply to {} attribute \"{path}\"",
                attribute.attr_type.as_str()
            )))
        }
        _ => Ok(()),
    }
}

/// The definition a top-level path compares: the attribute, or its sub-attribute.
fn top_definition<'r>(
    path: &AttrPath,
    registry: &'r Registry,
    rt: &'r ResourceType,
) -> Result<&'r Attribute> {
    let attribute = definition(path, registry, rt);
    let found = match (&path.sub_attr, attribute) {
        (None, found) => found,
        (Some(sub), Some(attribute)) => attribute.sub_attribute(sub),
        (Some(_), None) => None,
    };
    found
        .ok_or_else(|| ScimError::invalid_filter(format!("unknown attribute \"{path}\" in filter")))
}

/// The top-level attribute `path` names, ignoring its sub-attribute.
fn definition<'r>(
    path: &AttrPath,
    registry: &'r Registry,
    rt: &'r ResourceType,
) -> Option<&'r Attribute> {
    if path.uri.is_none() && path.name.eq_ignore_ascii_case("schemas") {
        return Some(&SCHEMAS);
    }
    registry
        .resolve(rt, path.uri.as_deref(), &path.name)
        .map(|r| r.attribute)
}

/// The sub-attribute of `attribute` a value-filter path names.
fn sub_definition<'r>(path: &AttrPath, attribute: &'r Attribute) -> Option<&'r Attribute> {
    if path.sub_attr.is_some() {
        return None;
    }
    if attribute.attr_type == AttrType::Complex {
        attribute.sub_attribute(&path.name)
    } else {
        path.name.eq_ignore_ascii_case("value").then_some(attribute)
    }
}

/// The definition of the top-level attribute of `path` and its value in `resource`.
fn attribute_value<'r, 'v>(
    path: &AttrPath,
    resource: &'v Value,
    registry: &'r Registry,
    rt: &'r ResourceType,
) -> Option<(&'r Attribute, Option<&'v Value>)> {
    if path.uri.is_none() && path.name.eq_ignore_ascii_case("schemas") {
        return Some((&SCHEMAS, get(resource, "schemas")));
    }
    let resolved = registry.resolve(rt, path.uri.as_deref(), &path.name)?;
    let container = match (resolved.extension, resolved.schema) {
        (true, Some(schema)) => get(resource, &schema.id),
        (true, None) => None,
        (false, _) => Some(resource),
    };
    Some((
        resolved.attribute,
        container.and_then(|c| get(c, &resolved.attribute.name)),
    ))
}

/// What a top-level path designates in `resource`.
fn top_level<'r, 'v>(
    path: &'v AttrPath,
    resource: &'v Value,
    registry: &'r Registry,
    rt: &'r ResourceType,
) -> Option<Target<'r, 'v>> {
    let (attribute, value) = attribute_value(path, resource, registry, rt)?;
    match &path.sub_attr {
        Some(sub) => {
            let definition = attribute.sub_attribute(sub)?;
            Some(Target {
                definition,
                whole: attribute,
                value,
                sub: Some(&definition.name),
            })
        }
        None => Some(Target {
            definition: attribute,
            whole: attribute,
            value,
            sub: None,
        }),
    }
}

/// What a value-filter path designates in one element.
fn in_element<'r, 'v>(
    path: &AttrPath,
    element: &'v Value,
    attribute: &'r Attribute,
) -> Option<Target<'r, 'v>> {
    let definition = sub_definition(path, attribute)?;
    if attribute.attr_type == AttrType::Complex {
        let value = get(element, &definition.name);
        Some(Target {
            definition,
            whole: definition,
            value,
            sub: None,
        })
    } else {
        Some(Target {
            definition,
            whole: definition,
            value: Some(element),
            sub: None,
        })
    }
}

/// The values a path designates: `value` (an array is taken value by value),
/// or the `sub` member of each of its values.
struct Target<'r, 'v> {
    /// The definition of what is compared.
    definition: &'r Attribute,
    /// The definition of the attribute `value` belongs to.
    whole: &'r Attribute,
    value: Option<&'v Value>,
    sub: Option<&'r str>,
}

impl<'v> Target<'_, 'v> {
    fn values(&self) -> impl Iterator<Item = &'v Value> + '_ {
        elements(self.value)
            .flat_map(move |element| match self.sub {
                Some(sub) => elements(get(element, sub)),
                None => elements(Some(element)),
            })
            .filter(|v| !v.is_null())
    }

    fn present(&self) -> bool {
        self.values().any(|v| match v {
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            _ => true,
        })
    }

    fn compare(&self, op: CompareOp, literal: &CompValue) -> bool {
        match (op, literal) {
            (CompareOp::Eq, CompValue::Null) => return !self.present(),
            (CompareOp::Ne, CompValue::Null) => return self.present(),
            (_, CompValue::Null) => return false,
            _ => {}
        }
        // A complex attribute named without a sub-attribute compares its `value`.
        if self.sub.is_none() && self.whole.attr_type == AttrType::Complex {
            let Some(definition) = self.whole.sub_attribute("value") else {
                return op == CompareOp::Ne;
            };
            let target = Target {
                definition,
                whole: self.whole,
                value: self.value,
                sub: Some(&definition.name),
            };
            return target.compare(op, literal);
        }
        if op == CompareOp::Ne {
            let mut values = self.values().peekable();
            return values.peek().is_none()
                || values.any(|v| !compare_one(v, CompareOp::Eq, literal, self.definition));
        }
        self.values()
            .any(|v| compare_one(v, op, literal, self.definition))
    }
}

/// `value op literal` for one value.
fn compare_one(value: &Value, op: CompareOp, literal: &CompValue, definition: &Attribute) -> bool {
    match (value, literal) {
        (Value::String(a), CompValue::String(b)) => compare_strings(a, op, b, definition),
        (Value::Number(a), CompValue::Number(b)) => by_ordering(op, compare::order_numbers(a, b)),
        (Value::Bool(a), CompValue::Bool(b)) => match op {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            _ => false,
        },
        _ => op == CompareOp::Ne,
    }
}

/// `eq`, `ne`, `gt`, `ge`, `lt`, `le` from an ordering; the others are false.
fn by_ordering(op: CompareOp, ordering: Ordering) -> bool {
    match op {
        CompareOp::Eq => ordering.is_eq(),
        CompareOp::Ne => ordering.is_ne(),
        CompareOp::Gt => ordering.is_gt(),
        CompareOp::Ge => ordering.is_ge(),
        CompareOp::Lt => ordering.is_lt(),
        CompareOp::Le => ordering.is_le(),
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

/// `a op b` for strings: `co`, `sw` and `ew` as text; the others by
/// [`compare::order_date_times`] when both are dateTimes, else by
/// [`compare::strings_equal`] and [`compare::order_strings`].
fn compare_strings(a: &str, op: CompareOp, b: &str, definition: &Attribute) -> bool {
    let case_exact = definition.case_exact;
    if matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) {
        return if case_exact {
            compare_exact(a, op, b)
        } else if a.is_ascii() && b.is_ascii() {
            compare_ascii_folded(a.as_bytes(), op, b.as_bytes())
        } else {
            compare_exact(&a.to_lowercase(), op, &b.to_lowercase())
        };
    }
    match definition.attr_type {
        AttrType::DateTime => {
            if let Some(ordering) = compare::order_date_times(a, b) {
                return by_ordering(op, ordering);
            }
        }
        AttrType::Binary | AttrType::Boolean if !matches!(op, CompareOp::Eq | CompareOp::Ne) => {
            return false;
        }
        _ => {}
    }
    match op {
        CompareOp::Eq => compare::strings_equal(a, b, case_exact),
        CompareOp::Ne => !compare::strings_equal(a, b, case_exact),
        _ => by_ordering(op, compare::order_strings(a, b, case_exact)),
    }
}

/// `co`, `sw` or `ew`, as written.
fn compare_exact(a: &str, op: CompareOp, b: &str) -> bool {
    match op {
        CompareOp::Co => a.contains(b),
        CompareOp::Sw => a.starts_with(b),
        CompareOp::Ew => a.ends_with(b),
        _ => false,
    }
}

/// `co`, `sw` or `ew` on ASCII text, without regard to case.
fn compare_ascii_folded(a: &[u8], op: CompareOp, b: &[u8]) -> bool {
    match op {
        CompareOp::Co => b.is_empty() || a.windows(b.len()).any(|w| w.eq_ignore_ascii_case(b)),
        CompareOp::Sw => a
            .get(..b.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(b)),
        CompareOp::Ew => a
            .len()
            .checked_sub(b.len())
            .and_then(|start| a.get(start..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(b)),
        _ => false,
    }
}

/// The values of `value`: its elements when it is an array, else itself.
fn elements(value: Option<&Value>) -> std::slice::Iter<'_, Value> {
    match value {
        Some(Value::Array(items)) => items.iter(),
        Some(single) => std::slice::from_ref(single).iter(),
        None => [].iter(),
    }
}

/// The member `key` of an object, by [`schema::member`].
fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    schema::member(value.as_object()?, key)
}
