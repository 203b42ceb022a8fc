//! Applying PATCH operations to a canonical resource (RFC 7644 §3.5.2.1-3):
//! targets, mutability, plurality and value types, all operations or none.

use super::request::{PatchOp, PatchOperation, PatchRequest};
use super::QUOTE_LIMIT;
use crate::error::quote;
use crate::filter::{self, CompValue, CompareOp, Filter, PatchPath};
use crate::schema::{AttrType, Attribute, Mutability, Registry, ResourceType};
use crate::{Result, ScimError};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;

/// The outcome of [`apply()`].
#[derive(Debug, Clone, PartialEq)]
pub struct Patched {
    /// The patched resource, canonical.
    pub resource: Value,
    /// Whether the resource differs from the input. An unchanged resource
    /// keeps its `meta.lastModified` and version (RFC 7644 §3.5.2.1).
    pub changed: bool,
    /// The top-level attributes whose value differs from the input, in
    /// schema case, in the order the operations first touched them;
    /// extension attributes URN-qualified (RFC 7644 §3.10), such as
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
    pub changed_attributes: Vec<String>,
}

/// Applies `request` to `resource`, a canonical resource of type `rt`
/// (RFC 7644 §3.5.2).
///
/// Operations apply in order, each to the result of the one before, on one
/// working copy: when one fails, the error is returned and nothing of the
/// request takes effect (§3.5.2: a PATCH is atomic).
///
/// The rules, with the RFC's sections:
/// - No `path` (add, replace): `value` is an object of attributes, each
///   applied as if its key were the path; keys may be dotted
///   (`name.givenName`), URN-qualified, or an extension URN whose value is
///   an object of that extension's attributes. A `schemas` key is ignored:
///   the server keeps `schemas` in step with the extensions present.
/// - add (§3.5.2.1): multi-valued attributes gain the values not already
///   present; single values are set, replacing an existing one (Entra ID's
///   `Add` on a set value means replace); complex values merge their
///   sub-attributes.
/// - replace (§3.5.2.3): multi-valued attributes without a filter are
///   replaced whole; complex values merge their sub-attributes (those not
///   given stay); a value filter replaces, or merges into, every matching
///   value, and fails with `noTarget` when none matches. A `null` or empty
///   value leaves the target unassigned (RFC 7643 §2.5).
/// - remove (§3.5.2.2): removes the attribute, the sub-attribute, or the
///   values the filter matches; a multi-valued attribute left empty becomes
///   unassigned, and so does a complex value left without sub-attributes.
/// - Setting `primary` to true on one value sets it to false on the others
///   (§3.5.2).
/// - `readOnly` targets fail with `mutability`; `immutable` ones may only be
///   set while unassigned, or to the value they hold; `writeOnly` ones are
///   written like any other. `readOnly` sub-attributes inside a value (a
///   member's `display`) are dropped, as RFC 7643 §2.2 ignores them on input.
/// - Removing a required attribute, or leaving it unassigned, fails with
///   `mutability` (§3.5.2.2).
///
/// Tolerated departures from the RFC, each needed by a client:
/// - Removing what is not there (an absent attribute, a filter matching
///   nothing) succeeds without change instead of failing with `noTarget`:
///   Okta and Entra ID retry requests, and a retried member removal must not
///   fail.
/// - Entra ID removes group members with
///   `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}`; a remove
///   with a `value` on a multi-valued attribute removes only the values
///   whose given sub-attributes all match.
/// - Entra ID sets a work email with `replace` (or `add`) on
///   `emails[type eq "work"].value` when the user has none. When a value
///   filter matches nothing and is one `eq` comparison, or several joined by
///   `and`, the value is created from those comparisons (here
///   `{"type": "work", "value": ...}`) instead of failing with `noTarget`.
/// - Entra ID sends the manager as a bare id; a string given for a complex
///   attribute that has a `value` sub-attribute is read as `{"value": ...}`.
/// - Entra ID sends booleans as strings (`"False"`); `"true"` and `"false"`
///   in any case are read as booleans where the schema says boolean.
/// - Okta renames a group with a no-path replace whose value repeats the
///   group's `id`; a `readOnly` attribute in a no-path value that equals the
///   current value is skipped.
/// - A single value given for a multi-valued attribute is read as an array
///   of one.
///
/// # Errors
/// - `invalidPath`: an attribute or sub-attribute the resource type does not
///   define, a value filter on a single-valued attribute or naming what is
///   not a sub-attribute;
/// - `mutability`: see above;
/// - `noTarget`: a replace whose value filter matches nothing (outside the
///   Entra ID case above);
/// - `invalidValue`: a value of the wrong type or shape;
/// - `invalidSyntax`: an add or replace without `path` whose value is not an
///   object;
/// - 500 [`ScimError::Internal`] when `resource` is not a JSON object.
pub fn apply(
    registry: &Registry,
    rt: &ResourceType,
    resource: &Value,
    request: &PatchRequest,
) -> Result<Patched> {
    let original = as_object(resource)?;
    run(
        registry,
        rt,
        original.clone(),
        Original::Whole(original),
        request,
    )
}

/// As [`apply()`], with the same result and errors, taking `resource` by
/// value: it becomes the working copy instead of being copied, and only the
/// values the operations touch are kept aside to tell what changed. For
/// callers with no further use for `resource`.
///
/// # Errors
/// As [`apply()`].
pub fn apply_owned(
    registry: &Registry,
    rt: &ResourceType,
    resource: Value,
    request: &PatchRequest,
) -> Result<Patched> {
    let Value::Object(doc) = resource else {
        return Err(not_an_object());
    };
    run(registry, rt, doc, Original::Touched(Vec::new()), request)
}

fn as_object(resource: &Value) -> Result<&Map<String, Value>> {
    resource.as_object().ok_or_else(not_an_object)
}

fn not_an_object() -> ScimError {
    ScimError::Internal("the resource to patch is not a JSON object".into())
}

/// What the resource held before the operations, to tell what they changed.
enum Original<'o> {
    /// The whole resource, borrowed.
    Whole(&'o Map<String, Value>),
    /// The value of each touched target when first touched (before any
    /// operation changed it), in the order of [`Patcher::touched`].
    Touched(Vec<Option<Value>>),
}

fn run(
    registry: &Registry,
    rt: &ResourceType,
    doc: Map<String, Value>,
    original: Original<'_>,
    request: &PatchRequest,
) -> Result<Patched> {
    let mut patcher = Patcher {
        registry,
        rt,
        doc,
        touched: Vec::new(),
        original,
    };
    for operation in &request.operations {
        patcher.operation(operation)?;
    }

    let before = |i: usize, target: Target<'_>| match &patcher.original {
        Original::Whole(original) => lookup(original, target),
        Original::Touched(values) => values.get(i).and_then(Option::as_ref),
    };
    let changed_attributes: Vec<String> = patcher
        .touched
        .iter()
        .enumerate()
        .filter(|&(i, target)| before(i, *target) != lookup(&patcher.doc, *target))
        .map(|(_, target)| target.name().to_string())
        .collect();
    Ok(Patched {
        changed: !changed_attributes.is_empty(),
        changed_attributes,
        resource: Value::Object(patcher.doc),
    })
}

/// The working state of one [`apply()`] call.
struct Patcher<'r, 'o> {
    registry: &'r Registry,
    rt: &'r ResourceType,
    /// The working copy.
    doc: Map<String, Value>,
    /// Every top-level attribute an operation targeted, once. Every change
    /// to the working copy is to a target touched before it is changed.
    touched: Vec<Target<'r>>,
    original: Original<'o>,
}

/// A top-level attribute and where its value lives.
#[derive(Debug, Clone, Copy)]
struct Target<'r> {
    /// The extension URN (registry spelling) whose object holds the value.
    ext: Option<&'r str>,
    attr: &'r Attribute,
}

impl<'r> Target<'r> {
    fn name(self) -> Name<'r> {
        Name {
            ext: self.ext,
            attr: &self.attr.name,
            sub: None,
        }
    }

    fn sub_name(self, sub: &'r Attribute) -> Name<'r> {
        Name {
            sub: Some(&sub.name),
            ..self.name()
        }
    }
}

/// An attribute's name for messages: `emails.value`, `urn:...:User:manager`.
#[derive(Debug, Clone, Copy)]
struct Name<'a> {
    ext: Option<&'a str>,
    attr: &'a str,
    sub: Option<&'a str>,
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(ext) = self.ext {
            write!(f, "{ext}:")?;
        }
        f.write_str(self.attr)?;
        if let Some(sub) = self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A path taken apart: from an operation's `path`, or a key of a no-path value.
#[derive(Debug, Clone, Copy)]
struct Loc<'p> {
    uri: Option<&'p str>,
    name: &'p str,
    filter: Option<&'p Filter>,
    sub: Option<&'p str>,
    /// The path as the client wrote it.
    text: &'p str,
}

impl<'p> Loc<'p> {
    fn of(path: &'p PatchPath, text: &'p str) -> Self {
        Self {
            uri: path.uri.as_deref(),
            name: &path.name,
            filter: path.filter.as_ref(),
            sub: path.sub_attr.as_deref(),
            text,
        }
    }
}

/// Where a target came from: readOnly echoes are skipped only in no-path values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Path,
    ValueKey,
}

impl<'r> Patcher<'r, '_> {
    fn operation(&mut self, operation: &PatchOperation) -> Result<()> {
        let value = operation.value.as_ref();
        match (&operation.path, operation.op, value) {
            (Some(path), op, _) => {
                self.at(op, Loc::of(&path.parsed, &path.text), value, Origin::Path)
            }
            (None, PatchOp::Remove, _) => Err(ScimError::no_target("\"remove\" needs a \"path\"")),
            (None, op, Some(Value::Object(attributes))) => self.attributes(op, None, attributes),
            (None, _, _) => Err(ScimError::invalid_syntax(
                "\"value\" must be an object when there is no \"path\"",
            )),
        }
    }

    /// The attributes of a no-path value, or of an extension's object when `ext` is set.
    fn attributes(
        &mut self,
        op: PatchOp,
        ext: Option<&'r str>,
        attributes: &Map<String, Value>,
    ) -> Result<()> {
        for (key, value) in attributes {
            // `schemas` is the server's to keep in step. Inside an extension's
            // object it is a tolerance: scim2-models-based clients (the
            // scim2-tester suite among them) serialize extension objects with
            // a `schemas` member of their own.
            if key.eq_ignore_ascii_case("schemas") {
                continue;
            }
            if ext.is_none() {
                if let Some(urn) = self.registry.extension_urn(self.rt, key) {
                    self.extension(op, urn, Some(value))?;
                    continue;
                }
            }

            if key.contains(['.', ':', '[']) {
                let path = filter::parse_path(key).map_err(|err| {
                    ScimError::invalid_path(format!(
                        "\"value\" key {}: {}",
                        quote(key, QUOTE_LIMIT),
                        err.detail()
                    ))
                })?;
                let mut loc = Loc::of(&path, key);
                if ext.is_some() && loc.uri.is_none() {
                    loc.uri = ext;
                }
                self.at(op, loc, Some(value), Origin::ValueKey)?;
            } else {
                let loc = Loc {
                    uri: ext,
                    name: key,
                    filter: None,
                    sub: None,
                    text: key,
                };
                self.at(op, loc, Some(value), Origin::ValueKey)?;
            }
        }
        Ok(())
    }

    /// One operation on one path.
    fn at(
        &mut self,
        op: PatchOp,
        loc: Loc<'_>,
        value: Option<&Value>,
        origin: Origin,
    ) -> Result<()> {
        if loc.filter.is_none() && loc.sub.is_none() {
            if let Some(urn) = loc.uri.and_then(|uri| self.whole_extension(uri, loc.name)) {
                return self.extension(op, urn, value);
            }
        }

        let target = self.resolve(loc.uri, loc.name)?;
        let attr = target.attr;
        if attr.mutability == Mutability::ReadOnly {
            if origin == Origin::ValueKey && value.is_some() && self.get(target) == value {
                return Ok(());
            }
            return Err(read_only(target.name()));
        }
        self.touch(target);

        let sub = match loc.sub {
            None => None,
            Some(sub) => Some(sub_attribute(target, sub).map_err(ScimError::invalid_path)?),
        };
        if let Some(sub) = sub {
            if sub.mutability == Mutability::ReadOnly {
                return Err(read_only(target.sub_name(sub)));
            }
        }

        if let Some(filter) = loc.filter {
            if !attr.multi_valued {
                return Err(ScimError::invalid_path(format!(
                    "attribute \"{}\" takes no value filter: it is not multi-valued",
                    target.name()
                )));
            }
            check_filter(filter, target)?;
            return self.filtered(op, target, filter, sub, value, loc.text);
        }
        match (sub, attr.multi_valued) {
            (None, _) => self.whole(op, target, value),
            (Some(sub), false) => self.sub_of_single(op, target, sub, value),
            (Some(sub), true) => self.sub_of_all(op, target, sub, value),
        }
    }

    /// The extension URN of the resource type that `uri:name` spells, if any.
    fn whole_extension(&self, uri: &str, name: &str) -> Option<&'r str> {
        self.rt
            .extensions
            .iter()
            .map(|e| e.schema.as_str())
            .find(|urn| {
                urn.len() == uri.len() + 1 + name.len()
                    && urn
                        .get(..uri.len())
                        .is_some_and(|u| u.eq_ignore_ascii_case(uri))
                    && urn.as_bytes().get(uri.len()) == Some(&b':')
                    && urn
                        .get(uri.len() + 1..)
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
    }

    fn resolve(&self, uri: Option<&str>, name: &str) -> Result<Target<'r>> {
        let Some(resolved) = self.registry.resolve(self.rt, uri, name) else {
            let full = match uri {
                Some(uri) => quote(&format!("{uri}:{name}"), QUOTE_LIMIT),
                None => quote(name, QUOTE_LIMIT),
            };
            return Err(ScimError::invalid_path(format!(
                "attribute {full} is not defined for {}",
                self.rt.name
            )));
        };
        let ext = if resolved.extension {
            resolved.schema.map(|s| s.id.as_str())
        } else {
            None
        };
        Ok(Target {
            ext,
            attr: resolved.attribute,
        })
    }

    fn touch(&mut self, target: Target<'r>) {
        if !self
            .touched
            .iter()
            .any(|t| std::ptr::eq(t.attr, target.attr))
        {
            if let Original::Touched(values) = &mut self.original {
                values.push(lookup(&self.doc, target).cloned());
            }
            self.touched.push(target);
        }
    }

    /// An operation on a whole extension, its URN as the path or a no-path value key.
    fn extension(&mut self, op: PatchOp, urn: &'r str, value: Option<&Value>) -> Result<()> {
        match (op, value) {
            (PatchOp::Add | PatchOp::Replace, Some(Value::Object(attributes))) => {
                self.attributes(op, Some(urn), attributes)
            }
            (PatchOp::Add, None | Some(Value::Null)) => Ok(()),
            (PatchOp::Remove, _) | (PatchOp::Replace, None | Some(Value::Null)) => {
                let Some(schema) = self.registry.schema(urn) else {
                    return Ok(());
                };
                for attr in &schema.attributes {
                    let target = Target {
                        ext: Some(urn),
                        attr,
                    };
                    if self.get(target).is_some() {
                        self.touch(target);
                        check_removable(target)?;
                    }
                }
                self.doc.shift_remove(urn);
                self.drop_schema(urn);
                Ok(())
            }
            (PatchOp::Add | PatchOp::Replace, Some(_)) => Err(ScimError::invalid_value(format!(
                "the value of \"{urn}\" must be an object"
            ))),
        }
    }

    /// An operation on a whole attribute: no filter, no sub-attribute.
    fn whole(&mut self, op: PatchOp, target: Target<'r>, value: Option<&Value>) -> Result<()> {
        let attr = target.attr;
        let name = target.name();
        if op == PatchOp::Remove {
            if let Some(pattern) = value.filter(|v| attr.multi_valued && !v.is_null()) {
                return self.remove_values(target, pattern);
            }
            return self.unassign(target);
        }

        if attr.multi_valued {
            let values = coerce_values(value, attr, name)?;
            if values.is_empty() {
                return if op == PatchOp::Replace {
                    self.unassign(target)
                } else {
                    Ok(())
                };
            }
            if op == PatchOp::Add {
                return self.append(target, values);
            }
            // Several values sent as primary: the last one is (§3.5.2).
            let mut values = values;
            let written = 0..values.len();
            settle_primary(&mut values, attr, written);
            let values = Value::Array(values);
            check_immutable(attr, name, self.get(target), &values)?;
            *self.slot(target)? = values;
            return Ok(());
        }

        let Some(new) = coerce_opt(value, attr, name)? else {
            return if op == PatchOp::Replace {
                self.unassign(target)
            } else {
                Ok(())
            };
        };
        if let (Value::Object(_), Some(Value::Object(_))) = (&new, self.get(target)) {
            if let (Value::Object(new), Some(Value::Object(old))) = (new, self.get_mut(target)) {
                merge(old, new, attr, name)?;
            }
            return Ok(());
        }
        check_immutable(attr, name, self.get(target), &new)?;
        *self.slot(target)? = new;
        Ok(())
    }

    /// Adds the values of a multi-valued attribute that are not there yet.
    fn append(&mut self, target: Target<'r>, values: Vec<Value>) -> Result<()> {
        let attr = target.attr;
        let identity = identity_sub(attr);
        let slot = self.slot(target)?;
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        let Value::Array(items) = slot else {
            return Ok(());
        };
        let first_new = items.len();

        match identity {
            // Many members at once (Entra ID and Okta batch them): index the
            // ids instead of scanning the group once per new member.
            Some(id) if values.len() > 8 => {
                let mut seen: HashSet<String> = items
                    .iter()
                    .filter_map(|item| item.get(id).and_then(Value::as_str).map(str::to_owned))
                    .collect();
                for value in values {
                    let fresh = match value.get(id).and_then(Value::as_str) {
                        Some(key) => seen.insert(key.to_owned()),
                        None => !items.iter().any(|item| same_value(item, &value, identity)),
                    };
                    if fresh {
                        items.push(value);
                    }
                }
            }
            _ => {
                for value in values {
                    if !items.iter().any(|item| same_value(item, &value, identity)) {
                        items.push(value);
                    }
                }
            }
        }
        let written = first_new..items.len();
        settle_primary(items, attr, written);
        Ok(())
    }

    /// Entra ID's member removal: removes the values matching one of `patterns`.
    fn remove_values(&mut self, target: Target<'r>, patterns: &Value) -> Result<()> {
        let attr = target.attr;
        let patterns = coerce_values(Some(patterns), attr, target.name())?;
        let Some(Value::Array(items)) = self.get_mut(target) else {
            return Ok(());
        };

        // The usual shape, `[{"value": id}, ...]`, is matched through a set of ids.
        let ids: Option<HashSet<&str>> = patterns
            .iter()
            .map(|p| match p.as_object() {
                Some(p) if p.len() == 1 => p.get("value").and_then(Value::as_str),
                _ => None,
            })
            .collect();
        match ids {
            Some(ids) => items.retain(|item| {
                !item
                    .get("value")
                    .and_then(Value::as_str)
                    .is_some_and(|id| ids.contains(id))
            }),
            None => items.retain(|item| !patterns.iter().any(|p| contains(item, p))),
        }

        if items.is_empty() {
            self.unassign(target)?;
        }
        Ok(())
    }

    /// A sub-attribute of a single-valued complex attribute (`name.givenName`).
    fn sub_of_single(
        &mut self,
        op: PatchOp,
        target: Target<'r>,
        sub: &'r Attribute,
        value: Option<&Value>,
    ) -> Result<()> {
        let name = target.sub_name(sub);
        let new = match op {
            PatchOp::Remove => None,
            PatchOp::Add | PatchOp::Replace => coerce_sub(value, sub, name)?,
        };
        match new {
            None if op == PatchOp::Add => Ok(()),
            None => {
                let Some(Value::Object(old)) = self.get_mut(target) else {
                    return Ok(());
                };
                if !remove_sub(old, sub, name)? {
                    return Ok(());
                }
                if old.is_empty() {
                    self.unassign(target)?;
                }
                Ok(())
            }
            Some(new) => {
                let slot = self.slot(target)?;
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                let Value::Object(old) = slot else {
                    return Ok(());
                };
                check_immutable(sub, name, old.get(&sub.name), &new)?;
                old.insert(sub.name.clone(), new);
                Ok(())
            }
        }
    }

    /// A sub-attribute of every value of a multi-valued attribute (`emails.display`).
    ///
    /// RFC 7644 leaves this without a filter undefined; it applies to every
    /// value, and an add or replace on an attribute without values creates one.
    fn sub_of_all(
        &mut self,
        op: PatchOp,
        target: Target<'r>,
        sub: &'r Attribute,
        value: Option<&Value>,
    ) -> Result<()> {
        let attr = target.attr;
        let name = target.sub_name(sub);
        let new = match op {
            PatchOp::Remove => None,
            PatchOp::Add | PatchOp::Replace => coerce_sub(value, sub, name)?,
        };
        match new {
            None if op == PatchOp::Add => Ok(()),
            None => {
                let Some(Value::Array(items)) = self.get_mut(target) else {
                    return Ok(());
                };
                for item in items.iter_mut() {
                    if let Value::Object(item) = item {
                        remove_sub(item, sub, name)?;
                    }
                }
                items.retain(|item| !is_empty_object(item));
                if items.is_empty() {
                    self.unassign(target)?;
                }
                Ok(())
            }
            Some(new) => {
                let slot = self.slot(target)?;
                match slot {
                    Value::Array(items) if !items.is_empty() => {
                        for item in items.iter_mut() {
                            if let Value::Object(item) = item {
                                check_immutable(sub, name, item.get(&sub.name), &new)?;
                                item.insert(sub.name.clone(), new.clone());
                            }
                        }
                        let written = 0..items.len();
                        settle_primary(items, attr, written);
                    }
                    _ => {
                        let mut item = Map::new();
                        item.insert(sub.name.clone(), new);
                        *slot = Value::Array(vec![Value::Object(item)]);
                    }
                }
                Ok(())
            }
        }
    }

    /// An operation through a value filter: `emails[type eq "work"]`, with or
    /// without a sub-attribute after it.
    fn filtered(
        &mut self,
        op: PatchOp,
        target: Target<'r>,
        filter: &Filter,
        sub: Option<&'r Attribute>,
        value: Option<&Value>,
        text: &str,
    ) -> Result<()> {
        let attr = target.attr;
        let name = target.name();
        let new = match (op, sub) {
            (PatchOp::Remove, _) => None,
            (_, Some(sub)) => coerce_sub(value, sub, target.sub_name(sub))?,
            (_, None) => coerce_opt(value, attr, name)?,
        };
        if new.is_none() && op == PatchOp::Add {
            return Ok(());
        }

        let matched: Vec<usize> = match self.get(target) {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter(|(_, item)| filter::matches_value(filter, item, attr))
                .map(|(i, _)| i)
                .collect(),
            _ => Vec::new(),
        };

        let Some(new) = new else {
            // A remove, or a replace with null: the matches go.
            let Some(Value::Array(items)) = self.get_mut(target) else {
                return Ok(());
            };
            match sub {
                None => {
                    let mut keep = vec![true; items.len()];
                    for &i in &matched {
                        if let Some(flag) = keep.get_mut(i) {
                            *flag = false;
                        }
                    }
                    let mut keep = keep.into_iter();
                    items.retain(|_| keep.next().unwrap_or(true));
                }
                Some(sub) => {
                    let sub_name = target.sub_name(sub);
                    for &i in &matched {
                        if let Some(Value::Object(item)) = items.get_mut(i) {
                            remove_sub(item, sub, sub_name)?;
                        }
                    }
                    items.retain(|item| !is_empty_object(item));
                }
            }
            if items.is_empty() {
                self.unassign(target)?;
            }
            return Ok(());
        };

        if matched.is_empty() {
            let Some(mut item) = item_from_filter(filter, attr) else {
                return Err(ScimError::no_target(format!(
                    "path {} matches no value of \"{name}\"",
                    quote(text, QUOTE_LIMIT)
                )));
            };
            match (sub, new) {
                (Some(sub), new) => {
                    item.insert(sub.name.clone(), new);
                }
                (None, Value::Object(new)) => item.extend(new),
                (None, _) => {}
            }
            let slot = self.slot(target)?;
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(items) = slot {
                items.push(Value::Object(item));
                let written = items.len() - 1..items.len();
                settle_primary(items, attr, written);
            }
            return Ok(());
        }

        let Some(Value::Array(items)) = self.get_mut(target) else {
            return Ok(());
        };
        for &i in &matched {
            match (items.get_mut(i), sub, &new) {
                (Some(Value::Object(item)), Some(sub), new) => {
                    check_immutable(sub, target.sub_name(sub), item.get(&sub.name), new)?;
                    item.insert(sub.name.clone(), new.clone());
                }
                (Some(Value::Object(item)), None, Value::Object(new)) => {
                    merge(item, new.clone(), attr, name)?;
                }
                // A value of a multi-valued attribute of simple values.
                (Some(item), None, new) if attr.attr_type != AttrType::Complex => {
                    *item = new.clone();
                }
                _ => {}
            }
        }
        settle_primary(items, attr, matched.iter().copied());
        Ok(())
    }

    /// Leaves an attribute unassigned, if it is assigned and may be.
    fn unassign(&mut self, target: Target<'r>) -> Result<()> {
        if self.get(target).is_none() {
            return Ok(());
        }
        check_removable(target)?;
        match target.ext {
            None => {
                self.doc.shift_remove(&target.attr.name);
            }
            Some(urn) => {
                let now_empty = match self.doc.get_mut(urn) {
                    Some(Value::Object(ext)) => {
                        ext.shift_remove(&target.attr.name);
                        ext.is_empty()
                    }
                    _ => false,
                };
                if now_empty {
                    self.doc.shift_remove(urn);
                    self.drop_schema(urn);
                }
            }
        }
        Ok(())
    }

    fn get(&self, target: Target<'_>) -> Option<&Value> {
        lookup(&self.doc, target)
    }

    fn get_mut(&mut self, target: Target<'_>) -> Option<&mut Value> {
        let container = match target.ext {
            None => &mut self.doc,
            Some(urn) => self.doc.get_mut(urn)?.as_object_mut()?,
        };
        container.get_mut(&target.attr.name)
    }

    /// The attribute's value, `null` when it was unassigned; an extension
    /// attribute's object and `schemas` entry are created as needed.
    fn slot(&mut self, target: Target<'_>) -> Result<&mut Value> {
        let container = match target.ext {
            None => &mut self.doc,
            Some(urn) => {
                self.add_schema(urn);
                let ext = self
                    .doc
                    .entry(urn)
                    .or_insert_with(|| Value::Object(Map::new()));
                if !ext.is_object() {
                    *ext = Value::Object(Map::new());
                }
                ext.as_object_mut().ok_or_else(|| {
                    ScimError::Internal(format!("the object of extension \"{urn}\" is lost"))
                })?
            }
        };
        Ok(container
            .entry(target.attr.name.as_str())
            .or_insert(Value::Null))
    }

    /// Lists `urn` in `schemas` (RFC 7643 §3: an extension present is listed).
    fn add_schema(&mut self, urn: &str) {
        let schemas = self
            .doc
            .entry("schemas")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !schemas.is_array() {
            *schemas = Value::Array(Vec::new());
        }
        if let Value::Array(schemas) = schemas {
            if schemas.is_empty() {
                schemas.push(Value::from(self.rt.schema.as_str()));
            }
            if !schemas
                .iter()
                .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)))
            {
                schemas.push(Value::from(urn));
            }
        }
    }

    /// Takes `urn` out of `schemas` once its extension has no attribute left.
    fn drop_schema(&mut self, urn: &str) {
        if let Some(Value::Array(schemas)) = self.doc.get_mut("schemas") {
            schemas.retain(|s| !s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)));
        }
    }
}

/// The value of `target` in `doc`.
fn lookup<'d>(doc: &'d Map<String, Value>, target: Target<'_>) -> Option<&'d Value> {
    let container = match target.ext {
        None => doc,
        Some(urn) => doc.get(urn)?.as_object()?,
    };
    container.get(&target.attr.name).filter(|v| !v.is_null())
}

/// The sub-attribute `sub` of a complex target; the error text otherwise.
fn sub_attribute<'r>(target: Target<'r>, sub: &str) -> Result<&'r Attribute, String> {
    if target.attr.attr_type != AttrType::Complex {
        return Err(format!(
            "attribute \"{}\" has no sub-attributes",
            target.name()
        ));
    }
    target.attr.sub_attribute(sub).ok_or_else(|| {
        format!(
            "attribute \"{}\" has no sub-attribute {}",
            target.name(),
            quote(sub, QUOTE_LIMIT)
        )
    })
}

fn read_only(name: Name<'_>) -> ScimError {
    ScimError::mutability(format!("attribute \"{name}\" is readOnly"))
}

/// An attribute about to be unassigned must be neither required nor immutable
/// (RFC 7644 §3.5.2.2, RFC 7643 §2.2).
fn check_removable(target: Target<'_>) -> Result<()> {
    if target.attr.required {
        return Err(ScimError::mutability(format!(
            "attribute \"{}\" is required and cannot be removed",
            target.name()
        )));
    }
    if target.attr.mutability == Mutability::Immutable {
        return Err(ScimError::mutability(format!(
            "attribute \"{}\" is immutable",
            target.name()
        )));
    }
    Ok(())
}

/// An immutable attribute takes a value only while unassigned, or the value
/// it holds (RFC 7644 §3.5.2, RFC 7643 §2.2).
fn check_immutable(
    attr: &Attribute,
    name: Name<'_>,
    old: Option<&Value>,
    new: &Value,
) -> Result<()> {
    match old {
        Some(old) if attr.mutability == Mutability::Immutable && !old.is_null() && old != new => {
            Err(ScimError::mutability(format!(
                "attribute \"{name}\" is immutable"
            )))
        }
        _ => Ok(()),
    }
}

/// Checks that the paths of a value filter name sub-attributes of the
/// target (or `value`, the value itself, for simple values), as
/// [`filter::matches_value`] reads them.
fn check_filter(filter: &Filter, target: Target<'_>) -> Result<()> {
    match filter {
        Filter::And(left, right) | Filter::Or(left, right) => {
            check_filter(left, target)?;
            check_filter(right, target)
        }
        Filter::Not(inner) => check_filter(inner, target),
        Filter::Present(path) | Filter::Compare(path, _, _) | Filter::ValuePath(path, _) => {
            let known = path.sub_attr.is_none()
                && match target.attr.attr_type {
                    AttrType::Complex => target.attr.sub_attribute(&path.name).is_some(),
                    _ => path.name.eq_ignore_ascii_case("value"),
                };
            if known {
                return Ok(());
            }
            let name = match &path.sub_attr {
                Some(sub) => quote(&format!("{}.{sub}", path.name), QUOTE_LIMIT),
                None => quote(&path.name, QUOTE_LIMIT),
            };
            Err(ScimError::invalid_path(format!(
                "attribute \"{}\" has no sub-attribute {name}",
                target.name()
            )))
        }
    }
}

/// Removes the sub-attribute `sub` from one complex value; whether it was there.
fn remove_sub(item: &mut Map<String, Value>, sub: &Attribute, name: Name<'_>) -> Result<bool> {
    if !item.contains_key(&sub.name) {
        return Ok(false);
    }
    if sub.required {
        return Err(ScimError::mutability(format!(
            "attribute \"{name}\" is required and cannot be removed"
        )));
    }
    if sub.mutability == Mutability::Immutable {
        return Err(ScimError::mutability(format!(
            "attribute \"{name}\" is immutable"
        )));
    }
    item.shift_remove(&sub.name);
    Ok(true)
}

/// Merges the (canonical) sub-attributes of `new` into a complex value: the
/// ones given replace, the others stay (RFC 7644 §3.5.2.3).
fn merge(
    old: &mut Map<String, Value>,
    new: Map<String, Value>,
    attr: &Attribute,
    name: Name<'_>,
) -> Result<()> {
    for (key, value) in new {
        if let Some(sub) = attr.sub_attribute(&key) {
            check_immutable(
                sub,
                Name {
                    sub: Some(&sub.name),
                    ..name
                },
                old.get(&key),
                &value,
            )?;
        }
        old.insert(key, value);
    }
    Ok(())
}

fn is_empty_object(value: &Value) -> bool {
    value.as_object().is_some_and(Map::is_empty)
}

/// The sub-attribute that identifies a value of a multi-valued complex
/// attribute: `value` when it is immutable (a group member's id), so that
/// adding a member already present, with another `display` or `$ref`,
/// changes nothing.
fn identity_sub(attr: &Attribute) -> Option<&'static str> {
    attr.sub_attribute("value")
        .filter(|sub| sub.mutability == Mutability::Immutable)
        .map(|_| "value")
}

/// Whether `new` is a value already present as `item` (RFC 7644 §3.5.2.1:
/// adding a value already there changes nothing).
fn same_value(item: &Value, new: &Value, identity: Option<&str>) -> bool {
    if let Some(id) = identity {
        if let (Some(a), Some(b)) = (item.get(id), new.get(id)) {
            return a == b;
        }
    }
    item == new
}

/// Whether `item` holds every sub-attribute of `pattern` with the same value;
/// for simple values, whether they are equal. An empty pattern matches nothing.
fn contains(item: &Value, pattern: &Value) -> bool {
    match (item, pattern) {
        (Value::Object(item), Value::Object(pattern)) => {
            !pattern.is_empty() && pattern.iter().all(|(k, v)| item.get(k) == Some(v))
        }
        (item, pattern) => item == pattern,
    }
}

/// RFC 7644 §3.5.2: a value made primary by this operation (the last of
/// `written` that is) leaves every other value of the attribute non-primary.
fn settle_primary(items: &mut [Value], attr: &Attribute, written: impl Iterator<Item = usize>) {
    if attr.sub_attribute("primary").is_none() {
        return;
    }
    let primary = written
        .filter(|&i| items.get(i).and_then(|item| item.get("primary")) == Some(&Value::Bool(true)))
        .last();
    let Some(primary) = primary else { return };
    for (i, item) in items.iter_mut().enumerate() {
        if i != primary {
            if let Some(flag @ Value::Bool(true)) = item.get_mut("primary") {
                *flag = Value::Bool(false);
            }
        }
    }
}

/// The value a value filter describes when it is `eq` comparisons joined by
/// `and` (`type eq "work"` gives `{"type": "work"}`); `None` for any other filter.
fn item_from_filter(filter: &Filter, attr: &Attribute) -> Option<Map<String, Value>> {
    fn collect(filter: &Filter, attr: &Attribute, item: &mut Map<String, Value>) -> bool {
        match filter {
            Filter::And(left, right) => collect(left, attr, item) && collect(right, attr, item),
            Filter::Compare(path, CompareOp::Eq, value) if path.sub_attr.is_none() => {
                let Some(sub) = attr.sub_attribute(&path.name) else {
                    return false;
                };
                let value = match value {
                    CompValue::String(s) => Value::String(s.clone()),
                    CompValue::Number(n) => Value::Number(n.clone()),
                    CompValue::Bool(b) => Value::Bool(*b),
                    CompValue::Null => return false,
                };
                let sub_name = Name {
                    ext: None,
                    attr: &attr.name,
                    sub: Some(&sub.name),
                };
                match coerce_one(&value, sub, sub_name) {
                    Ok(Some(value)) if sub.mutability != Mutability::ReadOnly => {
                        item.insert(sub.name.clone(), value);
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }
    let mut item = Map::new();
    collect(filter, attr, &mut item).then_some(item)
}

// Value checks. These are the basic ones PATCH needs to keep the resource
// canonical (schema case, booleans as booleans, arrays for multi-valued
// attributes); the full validation of RFC 7643 runs on the patched resource.

/// The values given for a multi-valued attribute; a single value counts as one.
fn coerce_values(value: Option<&Value>, attr: &Attribute, name: Name<'_>) -> Result<Vec<Value>> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                if let Some(item) = coerce_one(item, attr, name)? {
                    values.push(item);
                }
            }
            Ok(values)
        }
        Some(item) => Ok(coerce_one(item, attr, name)?.into_iter().collect()),
    }
}

/// The value given for a single-valued attribute; `None` for `null`.
fn coerce_opt(value: Option<&Value>, attr: &Attribute, name: Name<'_>) -> Result<Option<Value>> {
    match value {
        None => Ok(None),
        Some(value) => coerce_one(value, attr, name),
    }
}

/// The value given for a sub-attribute, which may itself be multi-valued.
fn coerce_sub(value: Option<&Value>, sub: &Attribute, name: Name<'_>) -> Result<Option<Value>> {
    if sub.multi_valued {
        let values = coerce_values(value, sub, name)?;
        return Ok((!values.is_empty()).then_some(Value::Array(values)));
    }
    coerce_opt(value, sub, name)
}

/// One value of `attr` in canonical form; `None` for `null`, for `""` and
/// for a complex value with nothing left in it (RFC 7643 §2.5: unassigned,
/// as validation treats them).
fn coerce_one(value: &Value, attr: &Attribute, name: Name<'_>) -> Result<Option<Value>> {
    if value.is_null() || value.as_str() == Some("") {
        return Ok(None);
    }
    let fits = match attr.attr_type {
        AttrType::Complex => return coerce_complex(value, attr, name),
        AttrType::Boolean => match value {
            Value::Bool(_) => true,
            // Entra ID sends booleans as the strings "True" and "False".
            Value::String(s) if s.eq_ignore_ascii_case("true") => {
                return Ok(Some(Value::Bool(true)))
            }
            Value::String(s) if s.eq_ignore_ascii_case("false") => {
                return Ok(Some(Value::Bool(false)))
            }
            _ => false,
        },
        AttrType::Integer => value.as_number().is_some_and(|n| n.is_i64() || n.is_u64()),
        AttrType::Decimal => value.is_number(),
        AttrType::String | AttrType::DateTime | AttrType::Binary | AttrType::Reference => {
            value.is_string()
        }
    };
    if fits {
        Ok(Some(value.clone()))
    } else {
        Err(type_error(attr, name, value))
    }
}

fn coerce_complex(value: &Value, attr: &Attribute, name: Name<'_>) -> Result<Option<Value>> {
    let fields = match value {
        Value::Object(fields) => fields,
        // Entra ID sends the manager as a bare id.
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            let Some(sub) = attr.sub_attribute("value") else {
                return Err(type_error(attr, name, value));
            };
            let sub_name = Name {
                sub: Some(&sub.name),
                ..name
            };
            let Some(value) = coerce_one(value, sub, sub_name)? else {
                return Ok(None);
            };
            let mut fields = Map::new();
            fields.insert(sub.name.clone(), value);
            return Ok(Some(Value::Object(fields)));
        }
        _ => return Err(type_error(attr, name, value)),
    };

    let mut out = Map::new();
    for (key, value) in fields {
        let Some(sub) = attr.sub_attribute(key) else {
            return Err(ScimError::invalid_value(format!(
                "attribute \"{name}\" has no sub-attribute {}",
                quote(key, QUOTE_LIMIT)
            )));
        };
        if sub.mutability == Mutability::ReadOnly {
            continue;
        }
        let sub_name = Name {
            sub: Some(&sub.name),
            ..name
        };
        if let Some(value) = coerce_sub(Some(value), sub, sub_name)? {
            out.insert(sub.name.clone(), value);
        }
    }
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

fn type_error(attr: &Attribute, name: Name<'_>, value: &Value) -> ScimError {
    let expected = match attr.attr_type {
        AttrType::Complex => "an object",
        AttrType::Boolean => "a boolean",
        AttrType::Integer => "an integer",
        AttrType::Decimal => "a number",
        AttrType::String | AttrType::DateTime | AttrType::Binary | AttrType::Reference => {
            "a string"
        }
    };
    let got = match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s, QUOTE_LIMIT),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    };
    ScimError::invalid_value(format!(
        "attribute \"{name}\" must be {expected}, got {got}"
    ))
}
