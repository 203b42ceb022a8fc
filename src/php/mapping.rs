//! `Scim\Mapping`: SCIM User attributes to Drupal account fields and back,
//! and group memberships to roles, under the site builder's configuration.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::{Map, Value};

use super::convert::{array_to_json, json_to_array, members_to_json, object_to_json};
use super::exception::guard;
use crate::mapping::{AccountFields, GroupRef, Mapping, ResourceMeta};
use crate::resource::{validate_json, Limits, Mode, Options};
use crate::schema::Registry;
use crate::{Result, ScimError};

/// `fields` as account fields: a PHP array of field names to scalars.
fn account_fields(fields: &ZendHashTable) -> Result<AccountFields> {
    match object_to_json(fields)? {
        Value::Object(map) => Ok(map),
        Value::Array(list) if list.is_empty() => Ok(Map::new()),
        Value::Array(_) => Err(ScimError::invalid_value(
            "account fields must be an array keyed by field name",
        )),
        _ => Err(ScimError::Internal("an array converted to a scalar".into())),
    }
}

/// The groups of `groups`: a list of arrays with `id` and `displayName`.
fn group_refs(groups: &Value) -> Result<Vec<GroupRef<'_>>> {
    let Value::Array(list) = groups else {
        return Err(ScimError::invalid_value("groups must be a list"));
    };
    list.iter()
        .enumerate()
        .map(|(i, group)| {
            let field = |name: &str| {
                group.get(name).and_then(Value::as_str).ok_or_else(|| {
                    ScimError::invalid_value(format!("groups[{i}] must have a string \"{name}\""))
                })
            };
            Ok(GroupRef {
                id: field("id")?,
                display_name: field("displayName")?,
            })
        })
        .collect()
}

fn strings(values: &Value, what: &str) -> Result<Vec<String>> {
    let Value::Array(list) = values else {
        return Err(ScimError::invalid_value(format!("{what} must be a list")));
    };
    list.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| ScimError::invalid_value(format!("{what} must hold strings")))
        })
        .collect()
}

/// `Scim\Mapping`.
#[php_class]
#[php(name = "Scim\\Mapping")]
#[php(flags = ClassFlags::Final)]
pub struct PhpMapping {
    mapping: Mapping,
    /// The top-level members of a User the rules read (attribute names and
    /// extension URNs), so that only those cross from PHP.
    reads: Vec<String>,
}

impl PhpMapping {
    fn new(mapping: Mapping) -> Self {
        let reads = top_level_reads(&mapping);
        Self { mapping, reads }
    }

    /// The members of `user` the rules read, as JSON.
    fn user(&self, user: &ZendHashTable) -> Result<Value> {
        members_to_json(user, &self.reads)
    }
}

/// The top-level members a rule of `mapping` may read: for each rule path
/// `[urn:]name[...]`, the extension URN when it is qualified by one, else
/// the attribute name (both, when qualified, since a core-URN-qualified path
/// reads the attribute itself).
fn top_level_reads(mapping: &Mapping) -> Vec<String> {
    let mut reads: Vec<String> = Vec::new();
    for rule in &mapping.config().rules {
        let Ok(path) = crate::filter::parse_path(&rule.scim) else {
            continue;
        };
        for name in path.uri.into_iter().chain(std::iter::once(path.name)) {
            if !reads.iter().any(|r| r.eq_ignore_ascii_case(&name)) {
                reads.push(name);
            }
        }
    }
    reads
}

#[php_impl]
impl PhpMapping {
    /// Reads, checks and compiles a mapping from its configuration array
    /// (`rules`, `sync_password`, `role_map`, `allowed_roles`), as Drupal
    /// config stores it.
    pub fn __construct(config: &ZendHashTable) -> PhpResult<Self> {
        guard(|| Ok(Self::new(Mapping::from_json(&object_to_json(config)?)?)))
    }

    /// The mapping a Drupal site starts with: userName, the primary email,
    /// active as status, externalId, and the password only with
    /// `sync_password`; no role map.
    pub fn drupal_default() -> PhpResult<Self> {
        guard(|| Ok(Self::new(Mapping::drupal_default())))
    }

    /// The rules of `drupalDefault()`.
    pub fn default_rules() -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| Ok(json_to_array(&rules_json(&Mapping::default_rules())?)))
    }

    /// Rules an admin form may offer beyond the default.
    pub fn suggested_rules() -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| Ok(json_to_array(&rules_json(&Mapping::suggested_rules())?)))
    }

    /// The configuration array this mapping was built from.
    pub fn to_array(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| Ok(json_to_array(&self.mapping.to_json())))
    }

    /// The account fields a canonical SCIM User sets, for a create.
    pub fn to_account(&self, user: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let fields = self.mapping.to_account(&self.user(user)?)?;
            Ok(json_to_array(&Value::Object(fields)))
        })
    }

    /// Validates a User sent as JSON, as a POST would (RFC 7643 rules,
    /// strict), and returns the account fields it sets: the whole path of a
    /// provisioning create in one call, with no PHP array of the resource in
    /// between.
    pub fn account_from_json(&self, json: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let registry = Registry::shared();
            let user = registry
                .resource_type("User")
                .ok_or_else(|| ScimError::Internal("the registry has no User type".into()))?;
            let valid = validate_json(
                json.as_bytes(),
                &Limits::default(),
                registry,
                user,
                Mode::Create,
                &Options::strict(),
            )?;
            let fields = self.mapping.to_account(&valid)?;
            Ok(json_to_array(&Value::Object(fields)))
        })
    }

    /// The field changes that turn the account of `before` into that of
    /// `after` (canonical Users): only fields whose value changed; null
    /// empties a field.
    pub fn changes(
        &self,
        before: &ZendHashTable,
        after: &ZendHashTable,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let changes = self
                .mapping
                .changes(&self.user(before)?, &self.user(after)?)?;
            Ok(json_to_array(&Value::Object(changes.fields)))
        })
    }

    /// The SCIM User an account shows, from its field values, its `id` and
    /// `meta` (`created`, `lastModified`, `location`, `version`, each
    /// optional).
    #[php(name = "fromAccount")]
    pub fn account_to_user(
        &self,
        fields: &ZendHashTable,
        id: &str,
        meta: Option<&ZendHashTable>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let fields = account_fields(fields)?;
            let meta = match meta {
                Some(meta) => object_to_json(meta)?,
                None => Value::Null,
            };
            let text = |name: &str| meta.get(name).and_then(Value::as_str);
            let meta = ResourceMeta {
                created: text("created"),
                last_modified: text("lastModified"),
                location: text("location"),
                version: text("version"),
            };
            Ok(json_to_array(
                &self.mapping.from_account(&fields, id, &meta),
            ))
        })
    }

    /// `user` (a stored, canonical User) as the account with `fields` shows
    /// it: each listed field's value written where its rule reads it, an
    /// empty one removing the attribute where the rule clears on absence.
    /// Everything else in `user` is returned as it was.
    pub fn overlay(
        &self,
        user: &ZendHashTable,
        fields: &ZendHashTable,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let user = object_to_json(user)?;
            let fields = account_fields(fields)?;
            Ok(json_to_array(&self.mapping.overlay(&user, &fields)))
        })
    }

    /// The roles `groups` grant (a list of arrays with `id` and
    /// `displayName`), under the role map and the allow-list; sorted.
    pub fn granted_roles(&self, groups: &ZendHashTable) -> PhpResult<Vec<String>> {
        guard(|| {
            let groups = array_to_json(groups)?;
            let refs = group_refs(&groups)?;
            Ok(self
                .mapping
                .granted_roles(&refs)
                .into_iter()
                .map(str::to_owned)
                .collect())
        })
    }

    /// The roles to grant (`add`) and take away (`remove`) so that an
    /// account holding `currentRoles` holds what its `groups` grant. Roles
    /// outside the role map or the allow-list are never touched.
    pub fn role_changes(
        &self,
        groups: &ZendHashTable,
        currentRoles: &ZendHashTable,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let groups = array_to_json(groups)?;
            let refs = group_refs(&groups)?;
            let current = strings(&array_to_json(currentRoles)?, "current roles")?;
            let changes = self.mapping.role_changes(&refs, &current);
            let mut out = Map::with_capacity(2);
            out.insert("add".into(), Value::from(changes.add));
            out.insert("remove".into(), Value::from(changes.remove));
            Ok(json_to_array(&Value::Object(out)))
        })
    }

    /// Whether SCIM may grant or take away `role`.
    pub fn is_allowed_role(&self, role: &str) -> PhpResult<bool> {
        guard(|| Ok(self.mapping.is_allowed_role(role)))
    }
}

fn rules_json(rules: &[crate::mapping::Rule]) -> Result<Value> {
    serde_json::to_value(rules).map_err(|e| ScimError::Internal(format!("rules as JSON: {e}")))
}
