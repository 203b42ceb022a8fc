//! The mapping as configuration: its JSON shape, read with messages an admin
//! form can show, the way Drupal config and PHP arrays deliver it.

use super::roles::RoleRule;
use super::rule::{Absent, Convert, Rule};
use crate::{Result, ScimError};
use serde::Serialize;
use serde_json::{Map, Value};

/// The most rules a mapping may hold; a User has far fewer attributes.
pub const MAX_RULES: usize = 256;

/// The most entries `role_map` and `allowed_roles` may each hold.
pub const MAX_ROLE_ENTRIES: usize = 1024;

/// A mapping as the site builder configures it, before it is checked and
/// compiled into a [`Mapping`](super::Mapping).
///
/// Its JSON form, which [`MappingConfig::from_json`] reads and `Serialize`
/// writes:
///
/// ```json
/// {
///   "rules": [
///     { "scim": "userName", "field": "name", "convert": "none", "absent": "clear" },
///     { "scim": "active", "field": "status", "convert": "boolean_to_integer", "absent": "keep" }
///   ],
///   "sync_password": false,
///   "role_map": [ { "group": "Editors", "role": "editor" } ],
///   "allowed_roles": [ "editor" ]
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MappingConfig {
    /// The attribute rules, in order.
    pub rules: Vec<Rule>,
    /// Whether the SCIM `password` becomes the Drupal password. Off by
    /// default: Okta sends a placeholder password on create.
    pub sync_password: bool,
    /// Which groups grant which roles.
    pub role_map: Vec<RoleRule>,
    /// The only roles SCIM may grant or take away.
    pub allowed_roles: Vec<String>,
}

impl MappingConfig {
    /// Reads a mapping from its JSON form. Members other than the four above
    /// are ignored at the top (Drupal config adds `_core` and `langcode`),
    /// refused inside a rule or a role entry, where they are likely typos.
    ///
    /// A list may also arrive as an object whose values are the entries in
    /// order: PHP arrays with gaps in their keys, after a form removed a row,
    /// encode that way.
    ///
    /// # Errors
    /// `invalidValue`, naming the member that is wrong.
    pub fn from_json(value: &Value) -> Result<Self> {
        let Value::Object(top) = value else {
            return Err(fail(format!(
                "a mapping must be an object, not {}",
                kind(value)
            )));
        };

        let Some(rules) = top.get("rules") else {
            return Err(fail("a mapping needs \"rules\"".into()));
        };
        let rules = list(rules, "rules", MAX_RULES)?;
        let rules = rules
            .into_iter()
            .enumerate()
            .map(|(i, v)| rule(i, v))
            .collect::<Result<_>>()?;

        let sync_password = match top.get("sync_password") {
            None | Some(Value::Null) => false,
            Some(v) => flag(v).ok_or_else(|| {
                fail(format!(
                    "\"sync_password\" must be a boolean, not {}",
                    kind(v)
                ))
            })?,
        };

        let role_map = match top.get("role_map") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => list(v, "role_map", MAX_ROLE_ENTRIES)?
                .into_iter()
                .enumerate()
                .map(|(i, v)| role_rule(i, v))
                .collect::<Result<_>>()?,
        };

        let allowed_roles = match top.get("allowed_roles") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => list(v, "allowed_roles", MAX_ROLE_ENTRIES)?
                .into_iter()
                .enumerate()
                .map(|(i, v)| text(v, &format!("allowed_roles[{i}]")))
                .collect::<Result<_>>()?,
        };

        Ok(Self {
            rules,
            sync_password,
            role_map,
            allowed_roles,
        })
    }
}

impl<'de> serde::Deserialize<'de> for MappingConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_json(&value).map_err(|e| serde::de::Error::custom(e.detail()))
    }
}

fn fail(detail: String) -> ScimError {
    ScimError::invalid_value(detail)
}

/// How a JSON value is named in messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The entries of a list, from a JSON array or an object standing for a PHP
/// array with gaps in its keys.
fn list<'v>(value: &'v Value, name: &str, max: usize) -> Result<Vec<&'v Value>> {
    let entries: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(items) => items.values().collect(),
        _ => {
            return Err(fail(format!(
                "\"{name}\" must be a list, not {}",
                kind(value)
            )))
        }
    };
    if entries.len() > max {
        return Err(fail(format!(
            "\"{name}\" has {} entries, more than {max}",
            entries.len()
        )));
    }
    Ok(entries)
}

/// A boolean, also as the `0`/`1` a PHP checkbox gives.
fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

fn text(value: &Value, at: &str) -> Result<String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        _ => Err(fail(format!("{at} must be a string, not {}", kind(value)))),
    }
}

/// An object entry of a list, refusing members other than `keys`.
fn entry<'v>(value: &'v Value, at: &str, keys: &[&str]) -> Result<&'v Map<String, Value>> {
    let Value::Object(object) = value else {
        return Err(fail(format!("{at} must be an object, not {}", kind(value))));
    };
    if let Some(unknown) = object.keys().find(|k| !keys.contains(&k.as_str())) {
        let expected = keys.join("\", \"");
        return Err(fail(format!(
            "{at}: unknown member \"{unknown}\"; expected \"{expected}\""
        )));
    }
    Ok(object)
}

fn required(object: &Map<String, Value>, at: &str, key: &str) -> Result<String> {
    match object.get(key) {
        None | Some(Value::Null) => Err(fail(format!("{at} needs \"{key}\""))),
        Some(v) => text(v, &format!("{at}.{key}")),
    }
}

fn rule(index: usize, value: &Value) -> Result<Rule> {
    let at = format!("rules[{index}]");
    let object = entry(value, &at, &["scim", "field", "convert", "absent"])?;
    let convert = match object.get("convert") {
        None | Some(Value::Null) => Convert::None,
        Some(v) => {
            let name = text(v, &format!("{at}.convert"))?;
            Convert::parse(&name).ok_or_else(|| {
                fail(format!(
                    "{at}.convert: unknown conversion \"{name}\"; \
                     expected \"none\" or \"boolean_to_integer\""
                ))
            })?
        }
    };
    let absent = match object.get("absent") {
        None | Some(Value::Null) => Absent::Clear,
        Some(v) => {
            let name = text(v, &format!("{at}.absent"))?;
            Absent::parse(&name).ok_or_else(|| {
                fail(format!(
                    "{at}.absent: unknown choice \"{name}\"; expected \"clear\" or \"keep\""
                ))
            })?
        }
    };
    Ok(Rule {
        scim: required(object, &at, "scim")?,
        field: required(object, &at, "field")?,
        convert,
        absent,
    })
}

fn role_rule(index: usize, value: &Value) -> Result<RoleRule> {
    let at = format!("role_map[{index}]");
    let object = entry(value, &at, &["group", "role"])?;
    Ok(RoleRule {
        group: required(object, &at, "group")?,
        role: required(object, &at, "role")?,
    })
}
