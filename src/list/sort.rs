//! Sorting (RFC 7644 §3.4.2.3): `sortBy` and `sortOrder`; the comparison of
//! values they rest on is `crate::compare::order`.

use super::{resolve, Target};
use crate::compare;
use crate::schema::{member, AttrType, Registry, ResourceType};
use crate::{Result, ScimError};
use serde_json::Value;
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
                let ord = compare::order(x, y, self.attr_type, self.case_exact);
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
