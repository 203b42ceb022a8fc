//! The mapping between SCIM User resources (RFC 7643 §4.1, §4.3) and Drupal
//! account fields: rules the site builder configures, checked and compiled
//! once, applied in both directions; and group memberships to roles.
//!
//! # Field values
//!
//! The account side is an [`AccountFields`]: Drupal field machine names to
//! JSON scalars, in rule order. `status` is the integer `0` or `1`. In
//! [`AccountChanges`], `null` means "empty this field".
//!
//! # Which value a multi-valued attribute gives
//!
//! A path with a value filter, `emails[type eq "work"].value`, reads the first
//! value that matches. A path without one, `emails.value`, reads the value
//! marked `primary` (RFC 7643 §2.4), else the first of `type` "work", else
//! the first. The default mapping uses `emails.value` for `mail`, so it reads
//! miniOrange's single work address, Okta's primary one and Entra's
//! `emails[type eq "work"]` alike.

mod config;
mod roles;
mod rule;

pub use config::{MappingConfig, MAX_ROLE_ENTRIES, MAX_RULES};
pub use roles::{GroupRef, RoleChanges, RoleRule};
pub use rule::{Absent, Convert, Rule};

use crate::schema::{Registry, USER_URN};
use crate::{Result, ScimError};
use roles::LOCKED_ROLES;
use rule::{at, Compiled};
use serde::Serialize;
use serde_json::{Map, Value};

/// An account's field values: Drupal field machine names to JSON scalars.
pub type AccountFields = Map<String, Value>;

/// The field changes an update of a SCIM resource makes to an account.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AccountChanges {
    /// The fields to set, with their new values; `null` empties a field.
    /// Fields not listed keep their values.
    pub fields: AccountFields,
}

impl AccountChanges {
    /// Whether nothing changes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// The `meta` of a rendered resource (RFC 7643 §3.1); `resourceType` is
/// always `User`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResourceMeta<'a> {
    /// When the account was created, as an `xsd:dateTime`.
    pub created: Option<&'a str>,
    /// When the account last changed, as an `xsd:dateTime`.
    pub last_modified: Option<&'a str>,
    /// The resource's URI.
    pub location: Option<&'a str>,
    /// The resource's version, as a weak entity tag (`W/"3"`).
    pub version: Option<&'a str>,
}

/// Drupal user fields no rule may write: the account's identity, and its
/// roles, which only `role_map` grants.
const RESERVED_FIELDS: [(&str, &str); 3] = [
    ("uid", "identifies the account and cannot be mapped"),
    ("uuid", "identifies the account and cannot be mapped"),
    ("roles", "are granted through role_map, not by a rule"),
];

/// Drupal's password field, which takes only a write-only SCIM attribute.
const PASSWORD_FIELD: &str = "pass";

/// The longest Drupal field or role machine name.
const MAX_MACHINE_NAME: usize = 32;

/// A checked and compiled mapping between SCIM Users and Drupal accounts.
///
/// Serializes as its [`MappingConfig`]; deserializes through
/// [`Mapping::from_json`], so a mapping read with serde is checked too.
#[derive(Debug, Clone)]
pub struct Mapping {
    config: MappingConfig,
    /// One per rule, in rule order.
    compiled: Vec<Compiled>,
    /// Rule indexes in the order a rendered resource lists their attributes.
    render_order: Vec<usize>,
    /// How many multi-valued selections the rules make.
    slots: usize,
}

impl PartialEq for Mapping {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
    }
}

impl Serialize for Mapping {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.config.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Mapping {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let config = MappingConfig::deserialize(deserializer)?;
        Self::new(config).map_err(|e| serde::de::Error::custom(e.detail()))
    }
}

impl Default for Mapping {
    fn default() -> Self {
        Self::drupal_default()
    }
}

impl Mapping {
    /// Reads, checks and compiles a mapping from its JSON form (see
    /// [`MappingConfig`]) against the standard User schemas.
    ///
    /// # Errors
    /// `invalidValue` naming the entry at fault: a malformed member, an
    /// unknown SCIM path, a field two rules write, a role outside the allow-list.
    pub fn from_json(value: &Value) -> Result<Self> {
        Self::new(MappingConfig::from_json(value)?)
    }

    /// Checks and compiles `config` against the standard User schemas.
    ///
    /// # Errors
    /// As [`Mapping::from_json`].
    pub fn new(config: MappingConfig) -> Result<Self> {
        Self::with_registry(config, Registry::shared())
    }

    /// Checks and compiles `config` against the `User` resource type of
    /// `registry`, which may define more extensions than RFC 7643's.
    ///
    /// Paths in an extension the registry does not define are taken as
    /// custom extension attributes: scalars, or sub-attributes of a complex
    /// one, whose type is not checked.
    ///
    /// # Errors
    /// As [`Mapping::from_json`]; `invalidValue` too when the registry has no
    /// `User` resource type.
    pub fn with_registry(config: MappingConfig, registry: &Registry) -> Result<Self> {
        let Some(rt) = registry.resource_type("User") else {
            return Err(ScimError::invalid_value(
                "the schemas define no User resource type",
            ));
        };
        if config.rules.len() > MAX_RULES {
            return Err(ScimError::invalid_value(format!(
                "\"rules\" has {} entries, more than {MAX_RULES}",
                config.rules.len()
            )));
        }

        let mut compiled = Vec::with_capacity(config.rules.len());
        let mut slots = Vec::new();
        for (i, rule) in config.rules.iter().enumerate() {
            check_field(i, rule, &config.rules)?;
            let c = Compiled::new(i, rule, registry, rt, &mut slots)?;
            check_options(i, rule, &c)?;
            compiled.push(c);
        }
        check_roles(&config)?;

        let mut render_order: Vec<usize> = (0..compiled.len()).collect();
        render_order.sort_by_key(|&i| compiled.get(i).map(|c| c.order));
        Ok(Self {
            config,
            compiled,
            render_order,
            slots: slots.len(),
        })
    }

    /// The mapping a Drupal site starts with:
    ///
    /// | SCIM | field | notes |
    /// | --- | --- | --- |
    /// | `userName` | `name` | |
    /// | `emails.value` | `mail` | the primary, else the work, else the first address |
    /// | `active` | `status` | `true`/`false` as `1`/`0`; kept when absent |
    /// | `externalId` | `scim_external_id` | the field the Drupal module adds |
    /// | `password` | `pass` | only with `sync_password`, off by default |
    ///
    /// `active` is kept when a replace omits it: no identity provider means
    /// "block" by leaving it out, and blocking is a policy the Drupal side
    /// applies only on an explicit `active: false`.
    ///
    /// Names (`name.givenName`, `name.familyName`, `displayName`) are not
    /// mapped by default because Drupal core has no fields for them; see
    /// [`Mapping::suggested_rules`]. No group grants a role until the site
    /// builder says so.
    #[must_use]
    pub fn drupal_default() -> Self {
        let config = MappingConfig {
            rules: Self::default_rules(),
            sync_password: false,
            role_map: Vec::new(),
            allowed_roles: Vec::new(),
        };
        Self::new(config).unwrap_or_else(|_| Self::empty())
    }

    /// The rules of [`Mapping::drupal_default`].
    #[must_use]
    pub fn default_rules() -> Vec<Rule> {
        vec![
            Rule::new("userName", "name"),
            Rule::new("emails.value", "mail"),
            Rule::new("active", "status")
                .convert(Convert::BooleanToInteger)
                .absent(Absent::Keep),
            Rule::new("externalId", "scim_external_id"),
            Rule::new("password", PASSWORD_FIELD).absent(Absent::Keep),
        ]
    }

    /// Rules an admin form may offer beyond the default, for fields a site
    /// adds itself: given and family name, display name, and the time zone
    /// Drupal core keeps (RFC 7643 §4.1.1 uses the same IANA names).
    #[must_use]
    pub fn suggested_rules() -> Vec<Rule> {
        vec![
            Rule::new("name.givenName", "field_first_name"),
            Rule::new("name.familyName", "field_last_name"),
            Rule::new("displayName", "field_display_name"),
            Rule::new("timezone", "timezone").absent(Absent::Keep),
        ]
    }

    /// A mapping with no rule, for when even the default fails to compile.
    fn empty() -> Self {
        Self {
            config: MappingConfig::default(),
            compiled: Vec::new(),
            render_order: Vec::new(),
            slots: 0,
        }
    }

    /// The configuration this mapping was built from.
    #[must_use]
    pub fn config(&self) -> &MappingConfig {
        &self.config
    }

    /// The mapping's JSON form.
    #[must_use]
    pub fn to_json(&self) -> Value {
        serde_json::to_value(&self.config).unwrap_or(Value::Null)
    }

    /// The rules that apply: all, except those of write-only attributes
    /// (`password`) without password sync.
    fn active(&self) -> impl Iterator<Item = (&Rule, &Compiled)> {
        let sync = self.config.sync_password;
        self.config
            .rules
            .iter()
            .zip(&self.compiled)
            .filter(move |(_, c)| sync || !c.write_only)
    }

    /// The account fields a SCIM User sets, for a create: each rule whose
    /// attribute has a value gives its field; absent attributes give nothing.
    ///
    /// # Errors
    /// `invalidValue` when a mapped attribute holds a list or an object, or
    /// `boolean_to_integer` meets something other than a boolean; a resource
    /// validated against the schemas never does.
    pub fn to_account(&self, resource: &Value) -> Result<AccountFields> {
        let mut fields = AccountFields::with_capacity(self.compiled.len());
        for (rule, compiled) in self.active() {
            if let Some(value) = compiled.extract(resource) {
                fields.insert(rule.field.clone(), Compiled::to_field(rule, value)?);
            }
        }
        Ok(fields)
    }

    /// The field changes that turn the account of `before` into that of
    /// `after` (the resource after a PATCH, or the body of a PUT): only fields
    /// whose mapped value changed. A mapped attribute that `after` lacks
    /// empties its field (`null`) unless its rule keeps it; the password is
    /// never emptied. Fields no rule maps are never listed, so a PUT that
    /// omits what SCIM does not map leaves them alone (Okta replaces whole
    /// users with PUT).
    ///
    /// # Errors
    /// As [`Mapping::to_account`], for values of `after`.
    pub fn changes(&self, before: &Value, after: &Value) -> Result<AccountChanges> {
        let mut fields = AccountFields::new();
        for (rule, compiled) in self.active() {
            let old = compiled.extract(before);
            match compiled.extract(after) {
                Some(new) if old != Some(new) => {
                    fields.insert(rule.field.clone(), Compiled::to_field(rule, new)?);
                }
                None if old.is_some() && rule.absent == Absent::Clear && !compiled.write_only => {
                    fields.insert(rule.field.clone(), Value::Null);
                }
                _ => {}
            }
        }
        Ok(AccountChanges { fields })
    }

    /// The SCIM User (RFC 7643 §4.1) an account shows: `schemas`, `id`, every
    /// mapped attribute whose field has a value, in schema order, and `meta`.
    /// Extension URNs appear in `schemas` only when the resource holds their
    /// attributes. Write-only attributes are never rendered (§7, `returned`
    /// "never"). Empty fields, and values that do not fit their attribute's
    /// type, are left out.
    #[must_use]
    pub fn from_account(&self, fields: &AccountFields, id: &str, meta: &ResourceMeta<'_>) -> Value {
        let mut root = Map::new();
        root.insert("schemas".into(), Value::Array(vec![Value::from(USER_URN)]));
        root.insert("id".into(), Value::from(id));

        let mut elements = vec![usize::MAX; self.slots];
        let mut extensions: Vec<&str> = Vec::new();
        for &i in &self.render_order {
            let (Some(rule), Some(compiled)) = (self.config.rules.get(i), self.compiled.get(i))
            else {
                continue;
            };
            if compiled.write_only {
                continue;
            }
            let Some(value) = fields
                .get(&rule.field)
                .and_then(|v| compiled.to_scim(rule, v))
            else {
                continue;
            };
            if let Some(urn) = compiled.container() {
                if !extensions.contains(&urn) {
                    extensions.push(urn);
                }
            }
            compiled.place(&mut root, value, &mut elements);
        }

        if let Some(Value::Array(schemas)) = root.get_mut("schemas") {
            schemas.extend(extensions.into_iter().map(Value::from));
        }
        root.insert("meta".into(), render_meta(meta));
        Value::Object(root)
    }

    /// `resource` as the account with `fields` shows it: the inverse of
    /// [`Mapping::to_account`] for the mapped attributes, for a stored SCIM
    /// document that Drupal, the truth for mapped fields, may have overtaken.
    ///
    /// For each rule whose field `fields` lists, the value is written where
    /// the rule reads it (`emails.value` into the primary, else the work,
    /// else the first address, or a new primary work address when there is
    /// none; `status` `0`/`1` as `active` `false`/`true`). An empty or `null`
    /// field removes the attribute when the rule clears on absence, and
    /// leaves it when the rule keeps it (RFC 7644 §3.5.1 in reverse: SCIM
    /// said nothing the field contradicts). Values already equal, fields
    /// that no rule maps or that `fields` does not list, write-only
    /// attributes, and values that do not fit their attribute's type leave
    /// the resource as it is; so does every attribute no rule maps.
    #[must_use]
    pub fn overlay(&self, resource: &Value, fields: &AccountFields) -> Value {
        let mut out = resource.clone();
        let Value::Object(root) = &mut out else {
            return out;
        };
        for (rule, compiled) in self.active() {
            if compiled.write_only {
                continue;
            }
            let Some(field) = fields.get(&rule.field) else {
                continue;
            };
            let empty = match field {
                Value::Null => true,
                Value::String(s) => s.is_empty(),
                _ => false,
            };
            if empty {
                if rule.absent == Absent::Clear && compiled.extract_in(root).is_some() {
                    compiled.remove(root);
                }
                continue;
            }
            let Some(value) = compiled.to_scim(rule, field) else {
                continue;
            };
            if compiled.extract_in(root) != Some(&value) {
                compiled.write(root, value);
            }
        }
        out
    }

    /// The roles the groups grant under `role_map` and the allow-list;
    /// sorted, without duplicates.
    #[must_use]
    pub fn granted_roles(&self, groups: &[GroupRef<'_>]) -> Vec<&str> {
        roles::granted(&self.config.role_map, &self.config.allowed_roles, groups)
    }

    /// The roles to grant and take away so that an account holding `current`
    /// roles holds what its `groups` grant.
    ///
    /// A role named in `role_map` is SCIM's: the account holds it exactly
    /// when one of its groups grants it. Every other role, granted by hand or
    /// by another module, is never touched, and no role outside
    /// `allowed_roles` is ever granted or taken away.
    #[must_use]
    pub fn role_changes(
        &self,
        groups: &[GroupRef<'_>],
        current: &[impl AsRef<str>],
    ) -> RoleChanges {
        roles::changes(
            &self.config.role_map,
            &self.config.allowed_roles,
            groups,
            current,
        )
    }

    /// Whether SCIM may grant or take away `role`.
    #[must_use]
    pub fn is_allowed_role(&self, role: &str) -> bool {
        self.config.allowed_roles.iter().any(|r| r == role)
    }
}

fn render_meta(meta: &ResourceMeta<'_>) -> Value {
    let mut out = Map::new();
    out.insert("resourceType".into(), Value::from("User"));
    let members = [
        ("created", meta.created),
        ("lastModified", meta.last_modified),
        ("location", meta.location),
        ("version", meta.version),
    ];
    for (key, value) in members {
        if let Some(value) = value {
            out.insert(key.into(), Value::from(value));
        }
    }
    Value::Object(out)
}

/// Whether `name` is a Drupal machine name: lowercase ASCII letters, digits
/// and underscores, at most 32 of them.
fn is_machine_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_MACHINE_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_field(index: usize, rule: &Rule, rules: &[Rule]) -> Result<()> {
    let here = at(index, "field");
    let fail = |what: String| Err(ScimError::invalid_value(format!("{here}: {what}")));
    let field = rule.field.as_str();
    if field.is_empty() {
        return fail("the field name is empty".into());
    }
    if !is_machine_name(field) {
        return fail(format!(
            "\"{field}\" is not a Drupal field name \
             (lowercase letters, digits and underscores, at most {MAX_MACHINE_NAME})"
        ));
    }
    if let Some((_, why)) = RESERVED_FIELDS.iter().find(|(name, _)| *name == field) {
        return fail(format!("\"{field}\" {why}"));
    }
    if let Some(first) = rules.iter().take(index).position(|r| r.field == field) {
        return fail(format!("\"{field}\" is already mapped by rules[{first}]"));
    }
    Ok(())
}

fn check_options(index: usize, rule: &Rule, compiled: &Compiled) -> Result<()> {
    let fail = |key: &str, what: String| {
        Err(ScimError::invalid_value(format!(
            "{}: {what}",
            at(index, key)
        )))
    };
    if rule.field == PASSWORD_FIELD && !compiled.write_only {
        return fail(
            "field",
            format!("\"{PASSWORD_FIELD}\" takes only the SCIM \"password\""),
        );
    }
    if compiled.write_only && rule.absent == Absent::Clear {
        return fail(
            "absent",
            format!("\"{}\" is never cleared; use \"keep\"", rule.scim),
        );
    }
    if rule.convert == Convert::BooleanToInteger && !compiled.may_be_boolean() {
        return fail(
            "convert",
            format!(
                "\"boolean_to_integer\" needs a boolean attribute; \"{}\" is not one",
                rule.scim
            ),
        );
    }
    Ok(())
}

fn check_roles(config: &MappingConfig) -> Result<()> {
    let fail = |what: String| Err(ScimError::invalid_value(what));
    let check_role = |here: &str, role: &str| {
        if !is_machine_name(role) {
            return fail(format!(
                "{here}: \"{role}\" is not a Drupal role name \
                 (lowercase letters, digits and underscores, at most {MAX_MACHINE_NAME})"
            ));
        }
        if LOCKED_ROLES.contains(&role) {
            return fail(format!(
                "{here}: \"{role}\" is Drupal's to give and cannot be managed"
            ));
        }
        Ok(())
    };

    for (i, role) in config.allowed_roles.iter().enumerate() {
        check_role(&format!("allowed_roles[{i}]"), role)?;
    }
    for (i, entry) in config.role_map.iter().enumerate() {
        if entry.group.is_empty() {
            return fail(format!("role_map[{i}].group: the group is empty"));
        }
        let here = format!("role_map[{i}].role");
        check_role(&here, &entry.role)?;
        if !config.allowed_roles.contains(&entry.role) {
            return fail(format!(
                "{here}: \"{}\" is not in allowed_roles",
                entry.role
            ));
        }
        if let Some(first) = config.role_map.iter().take(i).position(|e| e == entry) {
            return fail(format!("role_map[{i}] repeats role_map[{first}]"));
        }
    }
    Ok(())
}
