//! One mapping rule: a SCIM attribute path and the Drupal account field it
//! fills, and its compiled form, which reads and writes a resource directly.

use crate::filter::{matches_value, parse_path, AttrPath, CompValue, CompareOp, Filter};
use crate::schema::{member, AttrType, Attribute, Mutability, Registry, Resolved, ResourceType};
use crate::{Result, ScimError};
use serde::Serialize;
use serde_json::{Map, Value};

/// How a value changes on its way between SCIM and Drupal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Convert {
    /// The value passes as it is.
    #[default]
    None,
    /// SCIM `true`/`false` become Drupal `1`/`0`, as Drupal stores `status`;
    /// on the way back `1`, `"1"` and `true` read as `true`.
    BooleanToInteger,
}

impl Convert {
    /// The name used in configuration.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::BooleanToInteger => "boolean_to_integer",
        }
    }

    /// Parses a configuration name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "none" => Some(Self::None),
            "boolean_to_integer" => Some(Self::BooleanToInteger),
            _ => None,
        }
    }
}

/// What happens to the Drupal field when a replace or patch leaves the SCIM
/// attribute without a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Absent {
    /// The field is emptied, as RFC 7644 §3.5.1 asks of a replace that omits
    /// an attribute.
    #[default]
    Clear,
    /// The field keeps its value.
    Keep,
}

impl Absent {
    /// The name used in configuration.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clear => "clear",
            Self::Keep => "keep",
        }
    }

    /// Parses a configuration name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "clear" => Some(Self::Clear),
            "keep" => Some(Self::Keep),
            _ => None,
        }
    }
}

/// One rule of a mapping, as the site builder configures it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The SCIM attribute path, in the syntax of a PATCH path (RFC 7644
    /// §3.5.2): `userName`, `name.givenName`, `emails[type eq "work"].value`,
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
    pub scim: String,
    /// The Drupal account field, by machine name: `name`, `mail`, `field_department`.
    pub field: String,
    /// How values change on the way.
    pub convert: Convert,
    /// What an absent value does to the field on update.
    pub absent: Absent,
}

impl Rule {
    /// A rule that copies values as they are and clears the field when the
    /// attribute goes away.
    #[must_use]
    pub fn new(scim: &str, field: &str) -> Self {
        Self {
            scim: scim.to_owned(),
            field: field.to_owned(),
            ..Self::default()
        }
    }

    /// Sets the conversion.
    #[must_use]
    pub fn convert(mut self, convert: Convert) -> Self {
        self.convert = convert;
        self
    }

    /// Sets what an absent value does.
    #[must_use]
    pub fn absent(mut self, absent: Absent) -> Self {
        self.absent = absent;
        self
    }
}

impl Default for Rule {
    fn default() -> Self {
        Self {
            scim: String::new(),
            field: String::new(),
            convert: Convert::None,
            absent: Absent::Clear,
        }
    }
}

/// Which value of an attribute a rule reads.
#[derive(Debug, Clone)]
enum Select {
    /// The attribute is single-valued.
    Single,
    /// A multi-valued attribute without a value filter: the `primary` value,
    /// else the first of `type` "work", else the first.
    Preferred,
    /// The first value that matches a value filter.
    Filter(Box<ValueFilter>),
}

/// A value filter with what it needs to run and to be written back.
#[derive(Debug, Clone)]
struct ValueFilter {
    filter: Filter,
    /// The multi-valued attribute the filter runs against.
    attribute: Attribute,
}

/// A rule's path, resolved against the schemas once, when the mapping is built.
#[derive(Debug, Clone)]
pub(super) struct Compiled {
    /// The extension URN whose object holds the attribute, in the registry's
    /// spelling (a custom one as configured); `None` for core and common
    /// attributes.
    container: Option<String>,
    /// The attribute name, in the schema's case.
    attr: String,
    select: Select,
    /// The sub-attribute name, in the schema's case.
    sub: Option<String>,
    /// The type of the value the rule reads; `None` in a custom extension.
    kind: Option<AttrType>,
    /// Sub-attribute values an element written back must carry so that the
    /// rule reads it again: `type: "work"` for `emails[type eq "work"]`.
    implied: Map<String, Value>,
    /// For multi-valued attributes, the element this rule shares with rules of
    /// the same attribute and filter.
    slot: usize,
    /// Where the value goes in a rendered resource: schema order.
    pub(super) order: (usize, usize, usize, usize),
    /// A write-only attribute (`password`): mapped only with password sync,
    /// never rendered, never cleared.
    pub(super) write_only: bool,
}

/// Names the rule at `index` in error messages.
pub(super) fn at(index: usize, key: &str) -> String {
    format!("rules[{index}].{key}")
}

/// Where custom extensions go in a rendered resource: after the registry's
/// extensions, each in the order its first rule appears.
const CUSTOM_RANK: usize = usize::MAX;

impl Compiled {
    /// Resolves `rule.scim` against the schemas of `rt`. `slots` holds the
    /// multi-valued selections seen so far, to share elements between rules.
    pub(super) fn new(
        index: usize,
        rule: &Rule,
        registry: &Registry,
        rt: &ResourceType,
        slots: &mut Vec<(Option<String>, String, Option<Filter>)>,
    ) -> Result<Self> {
        let here = at(index, "scim");
        let path = parse_path(&rule.scim)
            .map_err(|e| ScimError::invalid_value(format!("{here}: {}", e.detail())))?;
        let fail = |what: String| ScimError::invalid_value(format!("{here}: {what}"));
        if let Some(urn) = path.schema_urn(|urn| registry.schema(urn).is_some()) {
            return Err(fail(format!(
                "\"{urn}\" names a schema; map one of its attributes"
            )));
        }

        let registered = match path.uri.as_deref() {
            Some(uri) => {
                uri.eq_ignore_ascii_case(&rt.schema) || registry.extension_urn(rt, uri).is_some()
            }
            None => true,
        };
        if !registered {
            if let Some(schema) = path.uri.as_deref().and_then(|uri| registry.schema(uri)) {
                return Err(fail(format!(
                    "schema \"{}\" is not a schema of {} resources",
                    schema.id, rt.name
                )));
            }
            return Self::custom(
                index,
                path.uri,
                path.name,
                path.filter.is_some(),
                path.sub_attr,
            )
            .map_err(fail);
        }

        let Some(resolved) = registry.resolve(rt, path.uri.as_deref(), &path.name) else {
            return Err(fail(match path.uri {
                Some(uri) => format!("unknown attribute \"{}\" in schema \"{uri}\"", path.name),
                None => format!("unknown attribute \"{}\"", path.name),
            }));
        };
        let attribute = resolved.attribute;
        let name = attribute.name.as_str();
        if name == "groups" {
            return Err(fail(
                "\"groups\" become roles through role_map, not a field".into(),
            ));
        }
        if attribute.mutability == Mutability::ReadOnly {
            return Err(fail(format!(
                "\"{name}\" is set by the server and cannot be mapped"
            )));
        }

        let select = select(path.filter.as_ref(), attribute).map_err(fail)?;
        let (leaf, sub_index) = leaf(path.sub_attr.as_deref(), attribute).map_err(fail)?;
        let sub = path.sub_attr.is_some().then(|| leaf.name.clone());

        let container = if resolved.extension {
            path.uri
                .as_deref()
                .and_then(|uri| registry.extension_urn(rt, uri))
                .map(str::to_owned)
        } else {
            None
        };
        let (rank, attr_index) = position(registry, rt, &resolved, container.as_deref(), index);
        let mut implied = Map::new();
        let slot = match &select {
            Select::Single => 0,
            Select::Preferred => {
                preferred_values(attribute, &mut implied);
                slot_of(slots, container.as_deref(), name, None)
            }
            Select::Filter(vf) => {
                implied_values(&vf.filter, attribute, &mut implied);
                slot_of(slots, container.as_deref(), name, Some(&vf.filter))
            }
        };

        Ok(Self {
            container,
            attr: name.to_owned(),
            select,
            sub,
            kind: Some(leaf.attr_type),
            implied,
            slot,
            order: (rank, attr_index, slot, sub_index),
            write_only: leaf.mutability == Mutability::WriteOnly,
        })
    }

    /// An attribute of an extension the registry does not know: a scalar
    /// `urn:...:name` or a sub-attribute `urn:...:name.sub`, taken as it is.
    fn custom(
        index: usize,
        uri: Option<String>,
        name: String,
        filtered: bool,
        sub: Option<String>,
    ) -> std::result::Result<Self, String> {
        let Some(uri) = uri else {
            return Err(format!("unknown attribute \"{name}\""));
        };
        if filtered {
            return Err(format!(
                "\"{name}\" is in schema \"{uri}\", which this server does not define; \
                 its values cannot be filtered"
            ));
        }
        Ok(Self {
            container: Some(uri),
            attr: name,
            select: Select::Single,
            sub,
            kind: None,
            implied: Map::new(),
            slot: 0,
            order: (CUSTOM_RANK, index, 0, 0),
            write_only: false,
        })
    }

    /// Whether the rule reads a boolean, or a value of unknown type.
    pub(super) fn may_be_boolean(&self) -> bool {
        matches!(self.kind, None | Some(AttrType::Boolean))
    }

    /// The extension URN this rule's value lives under, if any.
    pub(super) fn container(&self) -> Option<&str> {
        self.container.as_deref()
    }

    /// The value the rule reads from `resource`, if it has one; `null` counts
    /// as none (RFC 7643 §2.5).
    pub(super) fn extract<'v>(&self, resource: &'v Value) -> Option<&'v Value> {
        self.extract_in(resource.as_object()?)
    }

    /// [`Compiled::extract`], from the resource's members.
    pub(super) fn extract_in<'v>(&self, resource: &'v Map<String, Value>) -> Option<&'v Value> {
        let mut object = resource;
        if let Some(urn) = &self.container {
            object = member(object, urn)?.as_object()?;
        }
        let mut value = member(object, &self.attr)?;
        match &self.select {
            Select::Single => {}
            Select::Preferred => value = preferred(value.as_array()?)?,
            Select::Filter(vf) => {
                value = value
                    .as_array()?
                    .iter()
                    .find(|element| matches_value(&vf.filter, element, &vf.attribute))?;
            }
        }
        if let Some(sub) = &self.sub {
            value = member(value.as_object()?, sub)?;
        }
        (!value.is_null()).then_some(value)
    }

    /// The Drupal field value for a SCIM value (`value` is not `null`).
    pub(super) fn to_field(rule: &Rule, value: &Value) -> Result<Value> {
        if value.is_array() || value.is_object() {
            return Err(ScimError::invalid_value(format!(
                "attribute \"{}\" must be a single value to set field \"{}\"",
                rule.scim, rule.field
            )));
        }
        match rule.convert {
            Convert::None => Ok(value.clone()),
            Convert::BooleanToInteger => match value {
                Value::Bool(b) => Ok(Value::from(u8::from(*b))),
                _ => Err(ScimError::invalid_value(format!(
                    "attribute \"{}\" must be a boolean to set field \"{}\"",
                    rule.scim, rule.field
                ))),
            },
        }
    }

    /// The SCIM value for a Drupal field value, typed as the attribute wants
    /// it. Values Drupal keeps as strings (`"1"`, `"42"`) are read as the
    /// attribute's type; empty values and values that do not fit give `None`.
    pub(super) fn to_scim(&self, rule: &Rule, value: &Value) -> Option<Value> {
        if rule.convert == Convert::BooleanToInteger {
            return as_boolean(value).map(Value::Bool);
        }
        match (self.kind, value) {
            (_, Value::Null) => None,
            (_, Value::String(s)) if s.is_empty() => None,
            (Some(AttrType::Boolean), _) => as_boolean(value).map(Value::Bool),
            (Some(AttrType::Integer), Value::Number(n)) if n.is_i64() || n.is_u64() => {
                Some(value.clone())
            }
            (Some(AttrType::Integer), Value::String(s)) => {
                s.trim().parse::<i64>().ok().map(Value::from)
            }
            (Some(AttrType::Decimal), Value::String(s)) => s
                .trim()
                .parse::<serde_json::Number>()
                .ok()
                .map(Value::Number),
            (None, _)
            | (Some(AttrType::Decimal), Value::Number(_))
            | (
                Some(
                    AttrType::String | AttrType::DateTime | AttrType::Binary | AttrType::Reference,
                ),
                Value::String(_),
            ) => Some(value.clone()),
            (Some(AttrType::Integer | AttrType::Decimal | AttrType::Complex), _) => None,
            (Some(_), Value::Number(n)) => Some(Value::String(n.to_string())),
            (Some(_), _) => None,
        }
    }

    /// Writes `value` into `root` where the rule reads it. `elements[slot]`
    /// remembers the array element a multi-valued selection wrote, so that
    /// rules of one selection share it.
    pub(super) fn place(
        &self,
        root: &mut Map<String, Value>,
        value: Value,
        elements: &mut [usize],
    ) {
        let target = match &self.container {
            Some(urn) => match root
                .entry(urn.clone())
                .or_insert_with(|| Value::Object(Map::new()))
            {
                Value::Object(object) => object,
                _ => return,
            },
            None => root,
        };
        let slot = match &self.select {
            Select::Single => {
                match &self.sub {
                    None => {
                        target.insert(self.attr.clone(), value);
                    }
                    Some(sub) => {
                        if let Value::Object(parent) = target
                            .entry(self.attr.clone())
                            .or_insert_with(|| Value::Object(Map::new()))
                        {
                            parent.insert(sub.clone(), value);
                        }
                    }
                }
                return;
            }
            Select::Preferred | Select::Filter(_) => self.slot,
        };
        let Value::Array(array) = target
            .entry(self.attr.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
        else {
            return;
        };
        let Some(remembered) = elements.get_mut(slot) else {
            return;
        };
        if *remembered >= array.len() {
            *remembered = array.len();
            array.push(Value::Object(Map::new()));
        }
        if let Some(Value::Object(element)) = array.get_mut(*remembered) {
            if let Some(sub) = &self.sub {
                element.insert(sub.clone(), value);
            }
            for (key, implied) in &self.implied {
                if !element.contains_key(key) {
                    element.insert(key.clone(), implied.clone());
                }
            }
        }
    }

    /// Writes `value` into `resource` where [`Compiled::extract`] reads it:
    /// into the element the rule selects, or, when none is there, into a new
    /// element carrying what the selection implies (`type`, `primary`), so
    /// that the rule reads it again. An extension object created on the way
    /// has its URN added to `schemas` (RFC 7643 §3).
    pub(super) fn write(&self, resource: &mut Map<String, Value>, value: Value) {
        let target = match &self.container {
            Some(urn) => {
                add_schema(resource, urn);
                match object_at(resource, urn) {
                    Some(object) => object,
                    None => return,
                }
            }
            None => resource,
        };
        if matches!(self.select, Select::Single) {
            match &self.sub {
                None => {
                    target.insert(key_of(target, &self.attr), value);
                }
                Some(sub) => {
                    if let Some(parent) = object_at(target, &self.attr) {
                        parent.insert(key_of(parent, sub), value);
                    }
                }
            }
            return;
        }

        let key = key_of(target, &self.attr);
        let slot = target.entry(key).or_insert(Value::Null);
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        let Value::Array(array) = slot else {
            return;
        };
        let Some(element) = self.selected(array).and_then(|i| array.get_mut(i)) else {
            array.push(self.new_element(value));
            return;
        };
        match &self.sub {
            None => *element = value,
            Some(sub) => {
                if !element.is_object() {
                    *element = Value::Object(self.implied.clone());
                }
                if let Value::Object(element) = element {
                    element.insert(key_of(element, sub), value);
                }
            }
        }
    }

    /// Removes from `resource` every value the rule reads, so that it reads
    /// none: a single value or sub-attribute, or, in a multi-valued
    /// attribute, each element the rule selects in turn (the element itself
    /// when the rule maps its `value`, else only the sub-attribute). Objects
    /// and arrays left empty go too, an extension's URN with its object.
    pub(super) fn remove(&self, resource: &mut Map<String, Value>) {
        let Some(target) = (match &self.container {
            Some(urn) => member_mut(resource, urn).and_then(Value::as_object_mut),
            None => Some(&mut *resource),
        }) else {
            return;
        };
        match (&self.select, &self.sub) {
            (Select::Single, None) => {
                target.shift_remove(&key_of(target, &self.attr));
            }
            (Select::Single, Some(sub)) => {
                if let Some(Value::Object(parent)) = member_mut(target, &self.attr) {
                    parent.shift_remove(&key_of(parent, sub));
                }
            }
            (_, sub) => {
                if let Some(Value::Array(array)) = member_mut(target, &self.attr) {
                    let whole = sub
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case("value"));
                    // Each pass empties one element, so the loop ends.
                    for _ in 0..array.len() {
                        let Some(i) = self.selected(array) else {
                            break;
                        };
                        match (whole, sub, array.get_mut(i)) {
                            (false, Some(sub), Some(Value::Object(element))) => {
                                element.shift_remove(&key_of(element, sub));
                                if member(element, sub).is_none() {
                                    break;
                                }
                            }
                            _ => {
                                array.remove(i);
                            }
                        }
                    }
                }
            }
        }
        prune(target, &self.attr);
        if let Some(urn) = &self.container {
            if member(resource, urn)
                .and_then(Value::as_object)
                .is_some_and(Map::is_empty)
            {
                resource.shift_remove(&key_of(resource, urn));
                if let Some(Value::Array(schemas)) = resource.get_mut("schemas") {
                    schemas.retain(|s| !s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)));
                }
            }
        }
    }

    /// A new element of a multi-valued attribute holding `value`, with what
    /// the rule's selection implies.
    fn new_element(&self, value: Value) -> Value {
        let Some(sub) = &self.sub else {
            return value;
        };
        let mut element = Map::with_capacity(self.implied.len() + 1);
        element.insert(sub.clone(), value);
        for (key, implied) in &self.implied {
            if !element.contains_key(key) {
                element.insert(key.clone(), implied.clone());
            }
        }
        Value::Object(element)
    }

    /// The index of the element of `array` the rule reads from, if any.
    fn selected(&self, array: &[Value]) -> Option<usize> {
        match &self.select {
            Select::Single => None,
            Select::Preferred => preferred_index(array),
            Select::Filter(vf) => array
                .iter()
                .position(|element| matches_value(&vf.filter, element, &vf.attribute)),
        }
    }
}

/// Where a resolved attribute goes in a rendered resource: the common
/// attributes first, then the core schema's, then each extension's, each in
/// schema order.
fn position(
    registry: &Registry,
    rt: &ResourceType,
    resolved: &Resolved<'_>,
    container: Option<&str>,
    index: usize,
) -> (usize, usize) {
    let name = &resolved.attribute.name;
    let rank = match (container, resolved.schema) {
        (Some(urn), _) => {
            2 + rt
                .extensions
                .iter()
                .position(|e| e.schema == urn)
                .unwrap_or(0)
        }
        (None, Some(_)) => 1,
        (None, None) => 0,
    };
    let attr_index = match resolved.schema {
        Some(schema) => schema.attributes.iter().position(|a| a.name == *name),
        None => registry.common.iter().position(|a| a.name == *name),
    };
    (rank, attr_index.unwrap_or(index))
}

/// What a preferred value written back carries so that it reads as preferred:
/// `primary`, and `type` "work" where that is a canonical type.
fn preferred_values(attribute: &Attribute, out: &mut Map<String, Value>) {
    let works = attribute
        .sub_attribute("type")
        .is_some_and(|t| t.canonical_values.iter().any(|v| v == "work"));
    if works {
        out.insert("type".into(), Value::from("work"));
    }
    out.insert("primary".into(), Value::Bool(true));
}

/// Which values of `attribute` a path reads, from its value filter.
fn select(filter: Option<&Filter>, attribute: &Attribute) -> std::result::Result<Select, String> {
    let name = &attribute.name;
    match (filter, attribute.multi_valued) {
        (None, false) => Ok(Select::Single),
        (None, true) => Ok(Select::Preferred),
        (Some(filter), true) => {
            check_filter(filter, attribute)?;
            Ok(Select::Filter(Box::new(ValueFilter {
                filter: filter.clone(),
                attribute: attribute.clone(),
            })))
        }
        (Some(_), false) => Err(format!(
            "\"{name}\" is single-valued; a value filter needs a multi-valued attribute"
        )),
    }
}

/// The attribute a path ends at, `attribute` or its sub-attribute `sub`,
/// with its position among the sub-attributes.
fn leaf<'a>(
    sub: Option<&str>,
    attribute: &'a Attribute,
) -> std::result::Result<(&'a Attribute, usize), String> {
    let name = &attribute.name;
    match (sub, attribute.attr_type) {
        (Some(sub), AttrType::Complex) => {
            let Some((i, leaf)) = attribute
                .sub_attributes
                .iter()
                .enumerate()
                .find(|(_, a)| a.name.eq_ignore_ascii_case(sub))
            else {
                return Err(format!("unknown sub-attribute \"{sub}\" of \"{name}\""));
            };
            if leaf.mutability == Mutability::ReadOnly {
                return Err(format!(
                    "\"{name}.{}\" is set by the server and cannot be mapped",
                    leaf.name
                ));
            }
            Ok((leaf, i))
        }
        (Some(_), _) => Err(format!("\"{name}\" has no sub-attributes")),
        (None, AttrType::Complex) => {
            let example = match attribute.sub_attributes.first() {
                Some(first) if !attribute.multi_valued => format!("{name}.{}", first.name),
                _ => format!("{name}[type eq \"work\"].value"),
            };
            Err(format!(
                "\"{name}\" is complex; map one of its sub-attributes, such as \"{example}\""
            ))
        }
        (None, _) => Ok((attribute, 0)),
    }
}

/// The preferred value of a multi-valued attribute: the one marked `primary`
/// (RFC 7643 §2.4), else the first of `type` "work", else the first.
fn preferred(values: &[Value]) -> Option<&Value> {
    values.get(preferred_index(values)?)
}

/// The index of the preferred value of a multi-valued attribute.
fn preferred_index(values: &[Value]) -> Option<usize> {
    fn field<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
        v.as_object().and_then(|o| member(o, key))
    }
    values
        .iter()
        .position(|v| field(v, "primary").and_then(Value::as_bool) == Some(true))
        .or_else(|| {
            values.iter().position(|v| {
                field(v, "type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("work"))
            })
        })
        .or_else(|| (!values.is_empty()).then_some(0))
}

/// A Drupal value read as a boolean: `true`/`false`, `1`/`0`, `"1"`/`"0"`,
/// `"true"`/`"false"`.
fn as_boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().and_then(|i| match i {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }),
        Value::String(s) => match s.trim() {
            "1" => Some(true),
            "0" => Some(false),
            t if t.eq_ignore_ascii_case("true") => Some(true),
            t if t.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The slot of a multi-valued selection, shared by rules of the same
/// container, attribute and filter.
fn slot_of(
    slots: &mut Vec<(Option<String>, String, Option<Filter>)>,
    container: Option<&str>,
    attr: &str,
    filter: Option<&Filter>,
) -> usize {
    let same = |(c, a, f): &(Option<String>, String, Option<Filter>)| {
        c.as_deref() == container && a == attr && f.as_ref() == filter
    };
    if let Some(i) = slots.iter().position(same) {
        return i;
    }
    slots.push((
        container.map(str::to_owned),
        attr.to_owned(),
        filter.cloned(),
    ));
    slots.len() - 1
}

/// Checks that a value filter names only sub-attributes of `attribute`.
fn check_filter(filter: &Filter, attribute: &Attribute) -> std::result::Result<(), String> {
    match filter {
        Filter::Present(path) | Filter::Compare(path, _, _) => check_sub_path(path, attribute),
        Filter::ValuePath(path, _) => Err(format!(
            "a value filter cannot hold another one, as \"{}\" does",
            path.name
        )),
        Filter::And(a, b) | Filter::Or(a, b) => {
            check_filter(a, attribute)?;
            check_filter(b, attribute)
        }
        Filter::Not(inner) => check_filter(inner, attribute),
    }
}

fn check_sub_path(path: &AttrPath, attribute: &Attribute) -> std::result::Result<(), String> {
    let parent = &attribute.name;
    if path.uri.is_some() || path.sub_attr.is_some() {
        let mut written = String::new();
        if let Some(uri) = &path.uri {
            written.push_str(uri);
            written.push(':');
        }
        written.push_str(&path.name);
        if let Some(sub) = &path.sub_attr {
            written.push('.');
            written.push_str(sub);
        }
        return Err(format!(
            "the value filter of \"{parent}\" may name only its sub-attributes, not \"{written}\""
        ));
    }
    match attribute.sub_attribute(&path.name) {
        Some(_) => Ok(()),
        None => Err(format!(
            "unknown sub-attribute \"{}\" of \"{parent}\"",
            path.name
        )),
    }
}

/// The sub-attribute values that `eq` comparisons joined by `and` require.
fn implied_values(filter: &Filter, attribute: &Attribute, out: &mut Map<String, Value>) {
    match filter {
        Filter::Compare(path, CompareOp::Eq, literal) => {
            let Some(sub) = attribute.sub_attribute(&path.name) else {
                return;
            };
            let value = match literal {
                CompValue::String(s) => Value::String(s.clone()),
                CompValue::Number(n) => Value::Number(n.clone()),
                CompValue::Bool(b) => Value::Bool(*b),
                CompValue::Null => return,
            };
            out.insert(sub.name.clone(), value);
        }
        Filter::And(a, b) => {
            implied_values(a, attribute, out);
            implied_values(b, attribute, out);
        }
        _ => {}
    }
}

/// The key under which `object` holds `name`, matched as [`member`] matches it.
fn key_of(object: &Map<String, Value>, name: &str) -> String {
    if object.contains_key(name) {
        return name.to_owned();
    }
    object
        .keys()
        .find(|key| key.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_owned(), Clone::clone)
}

/// [`member`], for changing the value.
fn member_mut<'m>(object: &'m mut Map<String, Value>, name: &str) -> Option<&'m mut Value> {
    let key = key_of(object, name);
    object.get_mut(&key)
}

/// The object `object` holds under `name`, made an empty one when it holds
/// none or something else.
fn object_at<'m>(
    object: &'m mut Map<String, Value>,
    name: &str,
) -> Option<&'m mut Map<String, Value>> {
    let slot = object
        .entry(key_of(object, name))
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
}

/// Removes `object`'s member `name` when it is an empty object or array.
fn prune(object: &mut Map<String, Value>, name: &str) {
    let key = key_of(object, name);
    let empty = match object.get(&key) {
        Some(Value::Object(map)) => map.is_empty(),
        Some(Value::Array(list)) => list.is_empty(),
        _ => false,
    };
    if empty {
        object.shift_remove(&key);
    }
}

/// Lists `urn` in the resource's `schemas`, when it has that array.
fn add_schema(resource: &mut Map<String, Value>, urn: &str) {
    if let Some(Value::Array(schemas)) = resource.get_mut("schemas") {
        if !schemas
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)))
        {
            schemas.push(Value::from(urn));
        }
    }
}
