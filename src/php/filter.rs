//! `Scim\Filter`: a parsed filter (RFC 7644 §3.4.2.2), evaluated against
//! resources, printed back, and handed to PHP as a tree for back ends that
//! translate filters into their own queries.

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::{json, Map, Value};

use super::convert::{json_to_array, object_to_json};
use super::exception::guard;
use super::resource::resource_type;
use crate::filter::{self, AttrPath, CompValue, Filter};
use crate::schema::Registry;
use crate::{Result, ScimError};

/// Parses `text`, which PHP hands over as bytes.
pub(super) fn parse(text: &[u8]) -> Result<Filter> {
    let text = std::str::from_utf8(text).map_err(|e| {
        ScimError::invalid_filter(format!(
            "filter is not valid UTF-8 at byte {}",
            e.valid_up_to()
        ))
    })?;
    filter::parse(text)
}

/// `Scim\Filter`.
#[php_class]
#[php(name = "Scim\\Filter")]
#[php(flags = ClassFlags::Final)]
pub struct PhpFilter {
    pub(super) filter: Filter,
}

#[php_impl]
impl PhpFilter {
    /// Parses `filter`; the same as `Scim\Filter::parse()`.
    pub fn __construct(filter: BinarySlice<'_, u8>) -> PhpResult<Self> {
        guard(|| {
            Ok(Self {
                filter: parse(&filter)?,
            })
        })
    }

    /// Parses `filter`. Operators and keywords are read in any case.
    pub fn parse(filter: BinarySlice<'_, u8>) -> PhpResult<Self> {
        Self::__construct(filter)
    }

    /// Checks that every attribute the filter names exists in resource type
    /// `type`, and that no ordering operator is applied to a boolean or
    /// binary attribute (RFC 7644 §3.4.2.2).
    #[php(defaults(r#type = "\"User\""))]
    pub fn check(&self, r#type: &str) -> PhpResult<()> {
        guard(|| filter::check(&self.filter, Registry::shared(), resource_type(r#type)?))
    }

    /// Whether `resource`, a canonical resource of `type`, matches.
    #[php(defaults(r#type = "\"User\""))]
    pub fn matches(&self, resource: &ZendHashTable, r#type: &str) -> PhpResult<bool> {
        guard(|| {
            let rt = resource_type(r#type)?;
            let resource = object_to_json(resource)?;
            Ok(filter::matches(
                &self.filter,
                &resource,
                Registry::shared(),
                rt,
            ))
        })
    }

    /// The filter as a tree of arrays. Each node has an `op`: `and` and `or`
    /// with `left` and `right`; `not` with `filter`; `pr` and the comparison
    /// operators (`eq`, `ne`, `co`, `sw`, `ew`, `gt`, `ge`, `lt`, `le`) with
    /// `path` and, for comparisons, `value`; `[]` (a value filter such as
    /// `emails[type eq "work"]`) with `path` and `filter`. A `path` is an
    /// array of `uri` (or null), `name` and `subAttr` (or null), plus
    /// `text`, the path as written.
    pub fn to_array(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| Ok(json_to_array(&tree(&self.filter))))
    }

    /// The filter as text that parses to the same tree, in canonical spelling.
    #[php(name = "__toString")]
    pub fn text(&self) -> PhpResult<String> {
        guard(|| Ok(self.filter.to_string()))
    }
}

fn path_json(path: &AttrPath) -> Value {
    json!({
        "uri": path.uri,
        "name": path.name,
        "subAttr": path.sub_attr,
        "text": path.to_string(),
    })
}

fn tree(filter: &Filter) -> Value {
    let mut node = Map::with_capacity(4);
    match filter {
        Filter::And(left, right) | Filter::Or(left, right) => {
            let op = if matches!(filter, Filter::And(..)) {
                "and"
            } else {
                "or"
            };
            node.insert("op".into(), Value::from(op));
            node.insert("left".into(), tree(left));
            node.insert("right".into(), tree(right));
        }
        Filter::Not(inner) => {
            node.insert("op".into(), Value::from("not"));
            node.insert("filter".into(), tree(inner));
        }
        Filter::Present(path) => {
            node.insert("op".into(), Value::from("pr"));
            node.insert("path".into(), path_json(path));
        }
        Filter::Compare(path, op, value) => {
            node.insert("op".into(), Value::from(op.as_str()));
            node.insert("path".into(), path_json(path));
            let value = match value {
                CompValue::String(s) => Value::from(s.as_str()),
                CompValue::Number(n) => Value::Number(n.clone()),
                CompValue::Bool(b) => Value::Bool(*b),
                CompValue::Null => Value::Null,
            };
            node.insert("value".into(), value);
        }
        Filter::ValuePath(path, inner) => {
            node.insert("op".into(), Value::from("[]"));
            node.insert("path".into(), path_json(path));
            node.insert("filter".into(), tree(inner));
        }
    }
    Value::Object(node)
}
