//! Partial representations (RFC 7644 §3.4.2.5, §3.9): the `attributes` and
//! `excludedAttributes` parameters, weighed against each attribute's
//! `returned` characteristic (RFC 7643 §7).

use super::{resolve, Target};
use crate::schema::{AttrType, Attribute, Registry, ResourceType, Returned};
use crate::{Result, ScimError};
use serde_json::{Map, Value};

/// The most names `attributes` or `excludedAttributes` may list. A schema has
/// a few dozen attributes; the limit keeps a hostile list from making every
/// projected resource cost thousands of comparisons.
pub const MAX_NAMES: usize = 256;

/// Which of the two parameters is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Neither: attributes returned by default.
    Default,
    /// `attributes`: only the named ones, plus those returned always.
    Include,
    /// `excludedAttributes`: the default ones minus the named ones.
    Exclude,
}

/// One resolved name, in the registry's spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pick {
    /// The extension URN holding the attribute; `None` for core and common attributes.
    extension: Option<String>,
    /// The top-level attribute; `None` when the whole extension is named.
    attribute: Option<String>,
    /// The sub-attribute, when one is named.
    sub: Option<String>,
}

/// How much of one complex value to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Every sub-attribute returned by default.
    Whole,
    /// Only the named sub-attributes (and those returned always).
    Only,
    /// Every default sub-attribute except the named ones.
    Except,
}

/// The attributes a response carries (RFC 7644 §3.4.2.5).
///
/// Names are matched without regard to case and may be URN-qualified or name
/// a sub-attribute (`name.givenName`, `emails.value`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`);
/// an extension URN alone names the whole extension object, as if each of
/// its attributes were named.
///
/// Rules, from RFC 7643 §7 `returned`: attributes returned `always` (`id`,
/// and `schemas`) are always present; `never` (`password`) never; `request`
/// only when named in `attributes`; `default` unless excluded, or unless an
/// `attributes` list was given without them. The rules hold at
/// sub-attribute granularity too.
///
/// Deliberate choices where RFC 7644 leaves room:
/// - Names that resolve to nothing in the resource type are ignored. Clients
///   send one list for every endpoint: Entra ID reads groups with
///   `excludedAttributes=members`, and the same habit on Users must not fail.
/// - The two parameters are mutually exclusive (RFC 7644 §3.9); when a client
///   sends both, `attributes` wins and `excludedAttributes` is ignored.
/// - When projection removes an extension's whole object, its URN leaves the
///   `schemas` array too, so `schemas` keeps listing exactly the schemas the
///   representation uses (RFC 7643 §3). The core schema URN always stays.
/// - Members a resource has but its schema does not define go with the
///   default attributes: kept unless `attributes` was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    mode: Mode,
    picks: Vec<Pick>,
}

impl Default for Projection {
    fn default() -> Self {
        Self {
            mode: Mode::Default,
            picks: Vec::new(),
        }
    }
}

impl Projection {
    /// Parses the query parameters `attributes` and `excludedAttributes`:
    /// comma-separated lists of attribute names. Empty items are skipped.
    ///
    /// # Errors
    ///
    /// `invalidValue` when a list holds more than [`MAX_NAMES`] names.
    pub fn parse(
        attributes: Option<&str>,
        excluded: Option<&str>,
        registry: &Registry,
        rt: &ResourceType,
    ) -> Result<Self> {
        Self::from_lists(
            &split_names(attributes),
            &split_names(excluded),
            registry,
            rt,
        )
    }

    /// Builds a projection from lists of names, as a search request's body
    /// carries them (RFC 7644 §3.4.3). Empty lists mean the parameter is absent.
    ///
    /// # Errors
    ///
    /// `invalidValue` when a list holds more than [`MAX_NAMES`] names.
    pub fn from_lists<S: AsRef<str>>(
        attributes: &[S],
        excluded: &[S],
        registry: &Registry,
        rt: &ResourceType,
    ) -> Result<Self> {
        let (mode, names, parameter) = if !attributes.is_empty() {
            (Mode::Include, attributes, "attributes")
        } else if !excluded.is_empty() {
            (Mode::Exclude, excluded, "excludedAttributes")
        } else {
            return Ok(Self::default());
        };
        if names.len() > MAX_NAMES {
            return Err(ScimError::invalid_value(format!(
                "{parameter} lists more than {MAX_NAMES} names"
            )));
        }

        let mut picks: Vec<Pick> = Vec::with_capacity(names.len());
        for name in names {
            let pick = match resolve(registry, rt, name.as_ref()) {
                Some(Target::Extension(urn)) => Pick {
                    extension: Some(urn.to_owned()),
                    attribute: None,
                    sub: None,
                },
                Some(Target::Attribute {
                    extension,
                    attribute,
                    sub,
                }) => Pick {
                    extension: extension.map(str::to_owned),
                    attribute: Some(attribute.name.clone()),
                    sub: sub.map(|s| s.name.clone()),
                },
                None => continue,
            };
            if !picks.contains(&pick) {
                picks.push(pick);
            }
        }
        Ok(Self { mode, picks })
    }

    /// Whether the projection returns the attributes returned by default,
    /// neither parameter having been given.
    #[must_use]
    pub fn is_default(&self) -> bool {
        self.mode == Mode::Default
    }

    /// The projected copy of `resource`, a canonical resource of type `rt`.
    #[must_use]
    pub fn apply(&self, resource: &Value, registry: &Registry, rt: &ResourceType) -> Value {
        let mut copy = resource.clone();
        self.apply_in_place(&mut copy, registry, rt);
        copy
    }

    /// Projects `resource` in place, removing what the response must not carry.
    /// Anything but an object is left alone.
    pub fn apply_in_place(&self, resource: &mut Value, registry: &Registry, rt: &ResourceType) {
        let Value::Object(object) = resource else {
            return;
        };
        let core = registry.schema(&rt.schema);
        let mut dropped_extensions: Vec<String> = Vec::new();

        object.retain(|key, value| {
            if key == "schemas" {
                return true;
            }
            if let Some(urn) = registry.extension_urn(rt, key) {
                let keep = self.project_extension(urn, value, registry);
                if !keep {
                    dropped_extensions.push(key.clone());
                }
                return keep;
            }
            let definition = registry
                .common
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(key))
                .or_else(|| core.and_then(|schema| schema.attribute(key)));
            match definition {
                Some(attribute) => self.project_attribute(None, attribute, value),
                None => self.mode != Mode::Include,
            }
        });

        if !dropped_extensions.is_empty() {
            if let Some(Value::Array(schemas)) = object.get_mut("schemas") {
                schemas.retain(|urn| {
                    !urn.as_str().is_some_and(|urn| {
                        dropped_extensions
                            .iter()
                            .any(|d| d.eq_ignore_ascii_case(urn))
                    })
                });
            }
        }
    }

    /// Projects the object of extension `urn`; `false` when nothing of it stays.
    fn project_extension(&self, urn: &str, value: &mut Value, registry: &Registry) -> bool {
        let (Value::Object(members), Some(schema)) = (&mut *value, registry.schema(urn)) else {
            return self.mode != Mode::Include || self.picked_extension(urn);
        };
        members.retain(|key, value| match schema.attribute(key) {
            Some(attribute) => self.project_attribute(Some(urn), attribute, value),
            None => self.mode != Mode::Include,
        });
        !members.is_empty()
    }

    /// Projects one top-level attribute in container `extension`; `false`
    /// when it must leave the resource.
    fn project_attribute(
        &self,
        extension: Option<&str>,
        attribute: &Attribute,
        value: &mut Value,
    ) -> bool {
        let name = attribute.name.as_str();
        let whole = self.picked(extension, name, None)
            || extension.is_some_and(|urn| self.picked_extension(urn));
        let keep = match (attribute.returned, self.mode) {
            (Returned::Never, _) | (Returned::Request, Mode::Default | Mode::Exclude) => {
                return false
            }
            (Returned::Always, _) | (Returned::Default, Mode::Default) => Keep::Whole,
            (_, Mode::Include) => {
                if whole {
                    Keep::Whole
                } else if self.picked_some_sub(extension, name) {
                    Keep::Only
                } else {
                    return false;
                }
            }
            (_, Mode::Exclude) => {
                if whole {
                    return false;
                } else if self.picked_some_sub(extension, name) {
                    Keep::Except
                } else {
                    Keep::Whole
                }
            }
        };
        if attribute.attr_type != AttrType::Complex {
            return true;
        }
        let sub_kept = |sub_key: &str| -> bool {
            let Some(sub) = attribute.sub_attribute(sub_key) else {
                return keep != Keep::Only;
            };
            match (sub.returned, keep) {
                (Returned::Never, _) => false,
                (Returned::Always, _) => true,
                (_, Keep::Only) => self.picked(extension, name, Some(&sub.name)),
                (Returned::Request, _) => false,
                (_, Keep::Whole) => true,
                (_, Keep::Except) => !self.picked(extension, name, Some(&sub.name)),
            }
        };
        project_complex(value, &sub_kept)
    }

    /// Whether the whole extension `urn` is named.
    fn picked_extension(&self, urn: &str) -> bool {
        self.picks
            .iter()
            .any(|p| p.attribute.is_none() && p.extension.as_deref().is_some_and(|e| e == urn))
    }

    /// Whether `attribute` of container `extension` is named, whole (`sub`
    /// `None`) or with sub-attribute `sub`. Names are in registry spelling on
    /// both sides.
    fn picked(&self, extension: Option<&str>, attribute: &str, sub: Option<&str>) -> bool {
        self.picks.iter().any(|p| {
            p.extension.as_deref() == extension
                && p.attribute.as_deref() == Some(attribute)
                && p.sub.as_deref() == sub
        })
    }

    /// Whether some sub-attribute of `attribute` in container `extension` is named.
    fn picked_some_sub(&self, extension: Option<&str>, attribute: &str) -> bool {
        self.picks.iter().any(|p| {
            p.extension.as_deref() == extension
                && p.attribute.as_deref() == Some(attribute)
                && p.sub.is_some()
        })
    }
}

/// The items of a comma-separated list, trimmed, empty ones skipped.
fn split_names(list: Option<&str>) -> Vec<&str> {
    list.map(|l| {
        l.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// Keeps the sub-attributes of a complex value (or of each element of a
/// multi-valued one) for which `kept` holds. Elements left empty are
/// dropped; `false` when nothing of a non-empty value remains.
fn project_complex(value: &mut Value, kept: &dyn Fn(&str) -> bool) -> bool {
    let retain_in = |element: &mut Map<String, Value>| element.retain(|key, _| kept(key));
    match value {
        Value::Object(element) => {
            let was_empty = element.is_empty();
            retain_in(element);
            was_empty || !element.is_empty()
        }
        Value::Array(elements) => {
            let was_empty = elements.is_empty();
            elements.retain_mut(|element| match element {
                Value::Object(element) => {
                    retain_in(element);
                    !element.is_empty()
                }
                _ => true,
            });
            was_empty || !elements.is_empty()
        }
        _ => true,
    }
}
