//! Validation of a resource against its resource type's schemas (RFC 7643
//! §2, §3, §7; RFC 7644 §3.3, §3.5.1), producing the canonical resource the
//! rest of the crate works on. Tolerated client quirks are marked "Tolerance".

use super::compare::values_equal;
use super::format::{check_base64, expected, Base64Error};
use super::input::{Input, View};
use super::json::{parse_node, Limits};
use super::path::Path;
use crate::datetime;
use crate::error::quote;
use crate::schema::{
    AttrType, Attribute, Mutability, Registry, ResourceType, Schema, SchemaExtension,
};
use crate::{Result, ScimError};
use serde_json::{Map, Value};

/// Longest value text quoted in an error message.
const QUOTE_LIMIT: usize = 40;

/// What a resource is validated for; with an `existing` resource (stored,
/// canonical), immutable attributes are held to their current values.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    /// POST: a new resource (RFC 7644 §3.3).
    Create,
    /// PUT of a whole resource replacing `existing` (RFC 7644 §3.5.1). An
    /// immutable attribute must keep its value; one left out keeps it too.
    Replace {
        /// The stored resource being replaced.
        existing: &'a Value,
    },
    /// The result of applying PATCH operations to `existing` (RFC 7644
    /// §3.5.2). An immutable attribute must keep its value; one that is gone
    /// was removed, which is a `mutability` error.
    Patched {
        /// The stored resource the operations were applied to.
        existing: &'a Value,
    },
}

impl<'a> Mode<'a> {
    fn existing(self) -> Option<&'a Value> {
        match self {
            Mode::Create => None,
            Mode::Replace { existing } | Mode::Patched { existing } => Some(existing),
        }
    }
}

/// How strictly input is held to the schema, beyond the tolerances that are
/// always on.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Whether a plain attribute that no schema of the type defines is an
    /// `invalidSyntax` error (`unknown attribute "foo"`); when false it is
    /// dropped. Data under unknown schema URNs is dropped either way.
    pub reject_unknown_attributes: bool,
}

impl Options {
    /// Unknown attributes are errors (the default).
    #[must_use]
    pub fn strict() -> Self {
        Self {
            reject_unknown_attributes: true,
        }
    }

    /// Unknown attributes are dropped, for sites whose identity provider
    /// sends attributes of its own.
    #[must_use]
    pub fn lenient() -> Self {
        Self {
            reject_unknown_attributes: false,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self::strict()
    }
}

/// Validates `input` as a resource of type `rt` with [`Options::strict`];
/// see [`validate_with`].
///
/// # Errors
/// As [`validate_with`].
pub fn validate(
    registry: &Registry,
    rt: &ResourceType,
    input: impl Input,
    mode: Mode<'_>,
) -> Result<Value> {
    validate_with(registry, rt, input, mode, &Options::default())
}

/// Validates `input` as a resource of type `rt` and returns it in canonical
/// form: attribute names in the schema's case (RFC 7643 §2.1 matches them
/// without regard to case), extension attributes in an object under their
/// URN, a `schemas` array listing the core schema and each extension present,
/// multi-valued attributes as arrays, booleans as booleans. Values are kept
/// as sent (`caseExact` governs comparison, not storage).
///
/// `input` is a `&Value`, or a `Value` when the caller has no further use
/// for it: its strings then move into the result instead of being copied.
/// Both give the same result and the same errors.
///
/// Rules, with the RFC that gives them:
/// - Null, `""`, `[]` and an object with nothing assigned are unassigned and
///   left out (RFC 7643 §2.5).
/// - readOnly values are ignored (RFC 7643 §2.2), so the result never holds
///   `id`, `meta`, `groups` or `members.display`; the store adds what the
///   server owns. writeOnly values (`password`) are kept.
/// - Required attributes must be assigned (RFC 7643 §2.2, §7); those of an
///   extension or a complex value only when the input gives that extension or
///   value. A required extension must be present (RFC 7643 §6).
/// - Immutable values may be set once and never changed (RFC 7643 §2.2,
///   RFC 7644 §3.5.1), checked against the existing resource wherever a value
///   has an identity: top-level attributes and sub-attributes of single-valued
///   complex ones. Elements of a multi-valued attribute have no identity, so
///   `members[].value` changes by removing one member and adding another.
/// - At most one element of a multi-valued attribute is `primary` (RFC 7643 §2.4).
/// - `canonicalValues` are not enforced (RFC 7643 §2.3.1 lets servers accept others).
///
/// # Errors
/// `invalidSyntax`, `invalidValue` and `mutability` as the module
/// documentation lists them, naming the attribute path, such as
/// `attribute "emails[0].primary" must be a boolean, got a number`; 500 if
/// the registry lacks a schema that `rt` names.
pub fn validate_with(
    registry: &Registry,
    rt: &ResourceType,
    input: impl Input,
    mode: Mode<'_>,
    options: &Options,
) -> Result<Value> {
    let input = input.into_members().map_err(|other| {
        ScimError::invalid_syntax(format!(
            "resource must be a JSON object, got {}",
            other.view().kind()
        ))
    })?;
    let core = schema_of(registry, rt, &rt.schema)?;
    let mut extensions = rt
        .extensions
        .iter()
        .map(|ext| {
            let schema = schema_of(registry, rt, &ext.schema)?;
            Ok(ExtensionOut {
                ext,
                schema,
                out: Map::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let existing = mode.existing().and_then(Value::as_object);
    let cx = Context { mode, options };

    let mut out = Map::with_capacity(input.len() + 1);
    // A placeholder keeps `schemas` first; it is filled in last.
    out.insert("schemas".to_owned(), Value::Null);
    for (key, value) in input {
        let key = key.as_ref();
        if key.eq_ignore_ascii_case("schemas") {
            check_schemas(value, rt)?;
        } else if let Some(attr) = top_level(registry, core, key) {
            put(&mut out, attr, value, existing, &Path::Root, &cx)?;
        } else if !starts_with_urn(key) {
            cx.unknown(&Path::Root.attr(key))?;
        } else if let Some(ext) = extensions
            .iter_mut()
            .find(|e| e.ext.schema.eq_ignore_ascii_case(key))
        {
            ext.put_object(value, existing, &cx)?;
        } else if key.eq_ignore_ascii_case(&rt.schema) {
            if !matches!(value.view(), View::Null) {
                return Err(ScimError::invalid_syntax(format!(
                    "attributes of \"{}\" belong at the top level, not under its URN",
                    rt.schema
                )));
            }
        } else if let Some((ext, name)) = extensions
            .iter_mut()
            .find_map(|e| strip_urn(key, &e.ext.schema).map(|n| (e, n)))
        {
            // Tolerance: an extension attribute at the top level under its
            // fully qualified name is moved under its URN. That is the RFC
            // 7644 §3.10 spelling of PATCH values without a path, which
            // Entra ID sends and which a patched resource may carry.
            ext.put_qualified(name, value, existing, &cx)?;
        } else if let Some(name) = strip_urn(key, &rt.schema) {
            match top_level(registry, core, name) {
                Some(attr) => put(&mut out, attr, value, existing, &Path::Root, &cx)?,
                None => cx.unknown(&Path::Root.attr(key))?,
            }
        } else {
            // Tolerance: data under a schema URN the resource type lacks
            // (Entra ID's and Okta's custom extensions) is dropped.
        }
    }

    carry_absent(&mut out, &registry.common, existing, &Path::Root, &cx)?;
    carry_absent(&mut out, &core.attributes, existing, &Path::Root, &cx)?;
    check_required(&out, &registry.common, &Path::Root)?;
    check_required(&out, &core.attributes, &Path::Root)?;

    let mut schemas = Vec::with_capacity(1 + extensions.len());
    schemas.push(Value::String(rt.schema.clone()));
    for ExtensionOut {
        ext,
        schema,
        out: mut attrs,
    } in extensions
    {
        let urn = Path::Urn(&ext.schema);
        let old = existing
            .and_then(|e| e.get(&ext.schema))
            .and_then(Value::as_object);
        let sent = !attrs.is_empty();
        carry_absent(&mut attrs, &schema.attributes, old, &urn, &cx)?;
        if attrs.is_empty() {
            if ext.required {
                return Err(ScimError::invalid_value(format!(
                    "extension \"{}\" is required",
                    ext.schema
                )));
            }
            continue;
        }
        if sent {
            check_required(&attrs, &schema.attributes, &urn)?;
        }
        schemas.push(Value::String(ext.schema.clone()));
        out.insert(ext.schema.clone(), Value::Object(attrs));
    }
    out.insert("schemas".to_owned(), Value::Array(schemas));
    Ok(Value::Object(out))
}

/// Reads `body` as [`parse_json`](super::parse_json) does and validates it
/// as [`validate_with`] does, with the same result and the same errors, in
/// one step: the body is read into a tree that borrows its strings and never
/// hashes its keys, which then moves into the canonical form. A quarter
/// fewer instructions than the two steps for a typical user; for bodies
/// with no other use than being validated (a POST, an import).
///
/// # Errors
/// Those of [`parse_json`](super::parse_json), then those of [`validate_with`].
pub fn validate_json(
    body: &[u8],
    limits: &Limits,
    registry: &Registry,
    rt: &ResourceType,
    mode: Mode<'_>,
    options: &Options,
) -> Result<Value> {
    validate_with(registry, rt, parse_node(body, limits)?, mode, options)
}

/// Settings and mode shared by every step of one validation.
struct Context<'a> {
    mode: Mode<'a>,
    options: &'a Options,
}

impl Context<'_> {
    /// An attribute no schema defines: an error, or nothing when lenient.
    fn unknown(&self, path: &Path<'_>) -> Result<()> {
        if self.options.reject_unknown_attributes {
            Err(ScimError::invalid_syntax(format!(
                "unknown attribute \"{path}\""
            )))
        } else {
            Ok(())
        }
    }
}

/// One extension of the resource type and the attributes found for it so far.
struct ExtensionOut<'a> {
    ext: &'a SchemaExtension,
    schema: &'a Schema,
    out: Map<String, Value>,
}

impl ExtensionOut<'_> {
    /// The extension's object, under its URN (RFC 7643 §3.3).
    fn put_object<I: Input>(
        &mut self,
        value: I,
        existing: Option<&Map<String, Value>>,
        cx: &Context<'_>,
    ) -> Result<()> {
        let members = match value.into_members() {
            Ok(members) => members,
            Err(other) => {
                return match other.view() {
                    View::Null => Ok(()),
                    view => Err(ScimError::invalid_value(format!(
                        "attribute \"{}\" must be an object, got {}",
                        self.ext.schema,
                        view.kind()
                    ))),
                }
            }
        };
        let urn = Path::Urn(&self.ext.schema);
        let old = self.existing(existing);
        for (key, value) in members {
            let key = key.as_ref();
            match self.schema.attribute(key) {
                Some(attr) => put(&mut self.out, attr, value, old, &urn, cx)?,
                None => cx.unknown(&urn.attr(key))?,
            }
        }
        Ok(())
    }

    /// One attribute of the extension, written at the top level as `urn:name`.
    fn put_qualified<I: Input>(
        &mut self,
        name: &str,
        value: I,
        existing: Option<&Map<String, Value>>,
        cx: &Context<'_>,
    ) -> Result<()> {
        let urn = Path::Urn(&self.ext.schema);
        let old = self.existing(existing);
        match self.schema.attribute(name) {
            Some(attr) => put(&mut self.out, attr, value, old, &urn, cx),
            None => cx.unknown(&urn.attr(name)),
        }
    }

    fn existing<'v>(
        &self,
        existing: Option<&'v Map<String, Value>>,
    ) -> Option<&'v Map<String, Value>> {
        existing
            .and_then(|e| e.get(&self.ext.schema))
            .and_then(Value::as_object)
    }
}

fn schema_of<'a>(registry: &'a Registry, rt: &ResourceType, urn: &str) -> Result<&'a Schema> {
    registry.schema(urn).ok_or_else(|| {
        ScimError::Internal(format!(
            "resource type \"{}\" names schema \"{urn}\", which the registry lacks",
            rt.name
        ))
    })
}

/// A common attribute (RFC 7643 §3.1) or one of the core schema, by name.
fn top_level<'a>(registry: &'a Registry, core: &'a Schema, name: &str) -> Option<&'a Attribute> {
    registry
        .common
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .or_else(|| core.attribute(name))
}

fn starts_with_urn(key: &str) -> bool {
    key.get(..4)
        .is_some_and(|head| head.eq_ignore_ascii_case("urn:"))
}

/// The attribute name in `key` when `key` is `urn` (any case), a colon and a name.
fn strip_urn<'k>(key: &'k str, urn: &str) -> Option<&'k str> {
    let head = key.get(..urn.len())?;
    let rest = key.get(urn.len()..)?;
    if head.eq_ignore_ascii_case(urn) {
        rest.strip_prefix(':')
    } else {
        None
    }
}

/// Checks `schemas` (RFC 7643 §3): strings, the core schema among them.
///
/// Tolerance: a missing or empty `schemas` is accepted, for every method.
/// miniOrange leaves it out of PATCH requests, and the endpoint already says
/// which resource type is meant. Tolerance: URNs the type does not know are
/// ignored (Entra ID and Okta list schemas of their own); the canonical
/// `schemas` is rebuilt from what the resource holds.
fn check_schemas<I: Input>(value: I, rt: &ResourceType) -> Result<()> {
    let is_core = |urn: &I| match urn.view() {
        View::String(urn) => Ok(urn.eq_ignore_ascii_case(&rt.schema)),
        _ => Err(schemas_not_strings()),
    };
    let has_core = match value.into_items() {
        Ok(list) => {
            let mut has_core = list.len() == 0;
            for urn in list {
                has_core |= is_core(&urn)?;
            }
            has_core
        }
        Err(value) => match value.view() {
            View::Null => return Ok(()),
            // Tolerance: one URN as a string, as for any multi-valued attribute.
            View::String(_) => is_core(&value)?,
            _ => return Err(schemas_not_strings()),
        },
    };
    if has_core {
        Ok(())
    } else {
        Err(ScimError::invalid_syntax(format!(
            "attribute \"schemas\" must contain \"{}\"",
            rt.schema
        )))
    }
}

fn schemas_not_strings() -> ScimError {
    ScimError::invalid_syntax("attribute \"schemas\" must be an array of strings")
}

/// Validates `value` as attribute `attr` of the object under `parent` and
/// adds it to `out` under the schema's name. `existing` is the object the
/// stored resource has at `parent`, when it has an identity there.
fn put<I: Input>(
    out: &mut Map<String, Value>,
    attr: &Attribute,
    value: I,
    existing: Option<&Map<String, Value>>,
    parent: &Path<'_>,
    cx: &Context<'_>,
) -> Result<()> {
    // RFC 7643 §2.2: readOnly values in a request are ignored. Tolerance
    // for Okta, whose PUT sends the user back as read, `id`, `meta` and
    // `groups` included.
    if attr.mutability == Mutability::ReadOnly {
        return Ok(());
    }
    let path = parent.attr(&attr.name);
    let old = existing
        .and_then(|m| m.get(&attr.name))
        .filter(|v| !v.is_null());
    let Some(new) = attribute_value(attr, value, old, &path, cx)? else {
        return Ok(());
    };
    if attr.mutability == Mutability::Immutable {
        if let Some(old) = old {
            if !values_equal(attr, &new, old) {
                return Err(ScimError::mutability(format!(
                    "attribute \"{path}\" is immutable and cannot be changed"
                )));
            }
        }
    }
    // Two input names meet here only when they differ in case alone.
    if out.insert(attr.name.clone(), new).is_some() {
        return Err(ScimError::invalid_syntax(format!(
            "attribute \"{path}\" is given more than once"
        )));
    }
    Ok(())
}

/// The canonical value of `attr`, or `None` when unassigned (RFC 7643 §2.5).
fn attribute_value<I: Input>(
    attr: &Attribute,
    value: I,
    old: Option<&Value>,
    path: &Path<'_>,
    cx: &Context<'_>,
) -> Result<Option<Value>> {
    if attr.multi_valued {
        return multi_value(attr, value, path, cx);
    }
    if matches!(value.view(), View::Array) {
        return Err(not_single(path));
    }
    one_value(attr, value, old, path, cx)
}

fn not_single(path: &Path<'_>) -> ScimError {
    ScimError::invalid_syntax(format!(
        "attribute \"{path}\" must be a single value, got an array"
    ))
}

/// A multi-valued attribute: each element validated, unassigned ones left
/// out, at most one `primary` (RFC 7643 §2.4).
fn multi_value<I: Input>(
    attr: &Attribute,
    value: I,
    path: &Path<'_>,
    cx: &Context<'_>,
) -> Result<Option<Value>> {
    let items = match value.into_items() {
        Ok(items) => items,
        // Tolerance: one value where an array belongs becomes an array of
        // one; clients write `"emails": {...}` for a single address. (Null
        // is no value either way.)
        Err(other) => {
            return Ok(one_value(attr, other, None, path, cx)?.map(|v| Value::Array(vec![v])))
        }
    };
    let mut values = Vec::with_capacity(items.len());
    let check_primary = attr.sub_attribute("primary").is_some();
    let mut has_primary = false;
    for (i, item) in items.enumerate() {
        let at = path.index(i);
        if matches!(item.view(), View::Array) {
            return Err(not_single(&at));
        }
        let Some(value) = one_value(attr, item, None, &at, cx)? else {
            continue;
        };
        if check_primary && is_primary(&value) {
            if has_primary {
                return Err(ScimError::invalid_value(format!(
                    "attribute \"{path}\" has more than one primary value"
                )));
            }
            has_primary = true;
        }
        values.push(value);
    }
    Ok((!values.is_empty()).then_some(Value::Array(values)))
}

/// Whether a validated element is marked `primary`. Its members are few and
/// in schema case, so a scan beats hashing the name.
fn is_primary(value: &Value) -> bool {
    value.as_object().is_some_and(|members| {
        members
            .iter()
            .any(|(name, v)| name == "primary" && *v == Value::Bool(true))
    })
}

/// One value of `attr` (the value of a single-valued attribute, or one
/// element of a multi-valued one), checked against the type (RFC 7643 §2.3).
fn one_value<I: Input>(
    attr: &Attribute,
    value: I,
    old: Option<&Value>,
    path: &Path<'_>,
    cx: &Context<'_>,
) -> Result<Option<Value>> {
    let value = if attr.attr_type == AttrType::Complex {
        match value.into_members() {
            Ok(members) => return complex_value::<I>(attr, members, old, path, cx),
            Err(other) => other,
        }
    } else {
        value
    };
    let kept = match (attr.attr_type, value.view()) {
        // Null and an empty string are no value (RFC 7643 §2.5 "unassigned"),
        // whatever the type.
        (_, View::Null | View::String("")) => return Ok(None),
        (AttrType::String | AttrType::Reference, View::String(_))
        | (AttrType::Boolean, View::Bool)
        | (AttrType::Decimal, View::Number(_)) => value.into_value(),
        (AttrType::DateTime, View::String(s)) => {
            if !datetime::is_valid(s) {
                return Err(ScimError::invalid_value(format!(
                    "attribute \"{path}\" must be a dateTime (RFC 3339), got {}",
                    quote(s, QUOTE_LIMIT)
                )));
            }
            value.into_value()
        }
        (AttrType::Binary, View::String(s)) => match check_base64(s) {
            Ok(()) => value.into_value(),
            Err(Base64Error::Character(at)) => {
                let bad = s
                    .get(at..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or('?');
                return Err(ScimError::invalid_value(format!(
                    "attribute \"{path}\" must be base64, got \"{}\" at byte {at}",
                    bad.escape_debug()
                )));
            }
            Err(Base64Error::Length) => {
                return Err(ScimError::invalid_value(format!(
                    "attribute \"{path}\" must be base64, got an incomplete final group"
                )));
            }
        },
        // Tolerance: Entra ID sends booleans as strings, "True" and "False".
        (AttrType::Boolean, View::String(s)) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        (AttrType::Boolean, View::String(s)) if s.eq_ignore_ascii_case("false") => {
            Value::Bool(false)
        }
        (AttrType::Integer, View::Number(n)) => {
            if !(n.is_i64() || n.is_u64()) {
                return Err(ScimError::invalid_value(format!(
                    "attribute \"{path}\" must be an integer, got {n}"
                )));
            }
            value.into_value()
        }
        (_, view) => {
            return Err(ScimError::invalid_value(format!(
                "attribute \"{path}\" must be {}, got {}",
                expected(attr.attr_type),
                view.kind()
            )))
        }
    };
    Ok(Some(kept))
}

/// A complex value: sub-attributes validated in turn (RFC 7643 §2.3.8).
/// Nothing assigned means no value, and then its required sub-attributes
/// are not asked for; nor are they when only carried immutable values are
/// there (the same holds for an extension).
fn complex_value<I: Input>(
    attr: &Attribute,
    members: I::Members,
    old: Option<&Value>,
    path: &Path<'_>,
    cx: &Context<'_>,
) -> Result<Option<Value>> {
    let old = old.and_then(Value::as_object);
    let mut out = Map::with_capacity(members.len());
    for (key, value) in members {
        let key = key.as_ref();
        match attr.sub_attribute(key) {
            Some(sub) => put(&mut out, sub, value, old, path, cx)?,
            None => cx.unknown(&path.attr(key))?,
        }
    }
    let sent = !out.is_empty();
    carry_absent(&mut out, &attr.sub_attributes, old, path, cx)?;
    if sent {
        check_required(&out, &attr.sub_attributes, path)?;
    }
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

/// Immutable values the input left out but `existing` has: kept on replace
/// (RFC 7644 §3.5.1), an error after a patch (they were removed).
fn carry_absent(
    out: &mut Map<String, Value>,
    attrs: &[Attribute],
    existing: Option<&Map<String, Value>>,
    parent: &Path<'_>,
    cx: &Context<'_>,
) -> Result<()> {
    let Some(existing) = existing else {
        return Ok(());
    };
    for attr in attrs {
        if out.contains_key(&attr.name) {
            continue;
        }
        let Some(old) = existing.get(&attr.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let path = parent.attr(&attr.name);
        if let Some(kept) = carry(attr, old, &path, cx)? {
            out.insert(attr.name.clone(), kept);
        }
    }
    Ok(())
}

/// What of `old`, the existing value of `attr` absent from the input, stays.
fn carry(
    attr: &Attribute,
    old: &Value,
    path: &Path<'_>,
    cx: &Context<'_>,
) -> Result<Option<Value>> {
    match attr.mutability {
        Mutability::Immutable => match cx.mode {
            Mode::Patched { .. } => Err(ScimError::mutability(format!(
                "attribute \"{path}\" is immutable and cannot be removed"
            ))),
            Mode::Replace { .. } | Mode::Create => Ok(Some(old.clone())),
        },
        Mutability::ReadOnly => Ok(None),
        _ if attr.attr_type == AttrType::Complex && !attr.multi_valued => {
            let mut kept = Map::new();
            carry_absent(&mut kept, &attr.sub_attributes, old.as_object(), path, cx)?;
            Ok((!kept.is_empty()).then_some(Value::Object(kept)))
        }
        _ => Ok(None),
    }
}

/// Every required attribute of `attrs` is in `out` (RFC 7643 §2.2), except
/// readOnly ones, which the server assigns.
fn check_required(out: &Map<String, Value>, attrs: &[Attribute], parent: &Path<'_>) -> Result<()> {
    match attrs
        .iter()
        .find(|a| a.required && a.mutability != Mutability::ReadOnly && !out.contains_key(&a.name))
    {
        Some(missing) => Err(ScimError::invalid_value(format!(
            "attribute \"{}\" is required",
            parent.attr(&missing.name)
        ))),
        None => Ok(()),
    }
}
