//! Schemas and resource types (RFC 7643 §2, §6, §7): the data every other
//! module consults to know an attribute's type, plurality and rules.

pub mod attribute;
pub mod core;
pub mod parse;

pub use self::core::{ENTERPRISE_USER_URN, GROUP_URN, USER_URN};
pub use attribute::{AttrType, Attribute, Mutability, Returned, Uniqueness};

use serde_json::{json, Map, Value};
use std::sync::LazyLock;

/// URN of schema definitions (RFC 7643 §7).
pub const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
/// URN of resource type definitions (RFC 7643 §6).
pub const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";

/// A schema: a URN and its attributes (RFC 7643 §7).
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// The schema URN.
    pub id: String,
    /// A short name.
    pub name: String,
    /// What the schema describes.
    pub description: String,
    /// The top-level attributes.
    pub attributes: Vec<Attribute>,
}

impl Schema {
    /// The top-level attribute named `name`, matched without regard to case.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// The schema as `/Schemas/{id}` renders it, without `meta.location`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let attributes: Vec<Value> = self.attributes.iter().map(Attribute::to_json).collect();
        json!({
            "schemas": [SCHEMA_URN],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": attributes,
            "meta": { "resourceType": "Schema" },
        })
    }
}

/// A schema extension of a resource type (RFC 7643 §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaExtension {
    /// The extension's schema URN.
    pub schema: String,
    /// Whether every resource of the type must carry it.
    pub required: bool,
}

/// A resource type: an endpoint, its core schema and extensions (RFC 7643 §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    /// The identifier, such as `User`.
    pub id: String,
    /// The name, such as `User`.
    pub name: String,
    /// The endpoint relative to the base URL, such as `/Users`.
    pub endpoint: String,
    /// What the type is.
    pub description: String,
    /// The core schema URN.
    pub schema: String,
    /// The schema extensions.
    pub extensions: Vec<SchemaExtension>,
}

impl ResourceType {
    /// The resource type as `/ResourceTypes/{id}` renders it, without `meta.location`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let extensions: Vec<Value> = self
            .extensions
            .iter()
            .map(|e| json!({ "schema": e.schema, "required": e.required }))
            .collect();
        json!({
            "schemas": [RESOURCE_TYPE_URN],
            "id": self.id,
            "name": self.name,
            "endpoint": self.endpoint,
            "description": self.description,
            "schema": self.schema,
            "schemaExtensions": extensions,
            "meta": { "resourceType": "ResourceType" },
        })
    }
}

/// Where an attribute was found by [`Registry::resolve`].
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    /// The schema the attribute belongs to; `None` for the common attributes.
    pub schema: Option<&'a Schema>,
    /// Whether that schema is an extension, so values live under its URN.
    pub extension: bool,
    /// The attribute.
    pub attribute: &'a Attribute,
}

/// All schemas and resource types a server knows.
#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    /// Every schema, core and extension.
    pub schemas: Vec<Schema>,
    /// Every resource type.
    pub resource_types: Vec<ResourceType>,
    /// `id`, `externalId` and `meta`.
    pub common: Vec<Attribute>,
}

static DEFAULT: LazyLock<Registry> = LazyLock::new(Registry::standard);

impl Registry {
    /// User (with the Enterprise extension) and Group, as RFC 7643 defines them.
    #[must_use]
    pub fn standard() -> Self {
        Self {
            schemas: vec![
                core::user_schema(),
                core::group_schema(),
                core::enterprise_user_schema(),
            ],
            resource_types: vec![
                ResourceType {
                    id: "User".into(),
                    name: "User".into(),
                    endpoint: "/Users".into(),
                    description: "User Account".into(),
                    schema: USER_URN.into(),
                    extensions: vec![SchemaExtension {
                        schema: ENTERPRISE_USER_URN.into(),
                        required: false,
                    }],
                },
                ResourceType {
                    id: "Group".into(),
                    name: "Group".into(),
                    endpoint: "/Groups".into(),
                    description: "Group".into(),
                    schema: GROUP_URN.into(),
                    extensions: Vec::new(),
                },
            ],
            common: core::common_attributes(),
        }
    }

    /// A shared instance of [`Registry::standard`].
    #[must_use]
    pub fn shared() -> &'static Registry {
        &DEFAULT
    }

    /// The schema with URN `id`, matched without regard to case.
    #[must_use]
    pub fn schema(&self, id: &str) -> Option<&Schema> {
        self.schemas.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// The resource type named `name` (`User`), matched without regard to case.
    #[must_use]
    pub fn resource_type(&self, name: &str) -> Option<&ResourceType> {
        self.resource_types
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// The resource type served at `endpoint` (`/Users`), matched without regard to case.
    #[must_use]
    pub fn resource_type_at(&self, endpoint: &str) -> Option<&ResourceType> {
        self.resource_types
            .iter()
            .find(|t| t.endpoint.eq_ignore_ascii_case(endpoint))
    }

    /// The schemas of `rt`: the core schema first, then its extensions in order.
    pub fn schemas_of<'a>(
        &'a self,
        rt: &'a ResourceType,
    ) -> impl Iterator<Item = (&'a Schema, bool)> {
        std::iter::once(rt.schema.as_str())
            .chain(rt.extensions.iter().map(|e| e.schema.as_str()))
            .filter_map(|urn| self.schema(urn))
            .enumerate()
            .map(|(i, s)| (s, i > 0))
    }

    /// Finds the top-level attribute `name` of resource type `rt`, in the schema
    /// `uri` when given (RFC 7644 §3.10: a URN-qualified name), else in the
    /// common attributes and the core schema.
    #[must_use]
    pub fn resolve<'a>(
        &'a self,
        rt: &'a ResourceType,
        uri: Option<&str>,
        name: &str,
    ) -> Option<Resolved<'a>> {
        match uri {
            Some(uri) if !uri.eq_ignore_ascii_case(&rt.schema) => {
                let ext = rt
                    .extensions
                    .iter()
                    .find(|e| e.schema.eq_ignore_ascii_case(uri))?;
                let schema = self.schema(&ext.schema)?;
                let attribute = schema.attribute(name)?;
                Some(Resolved {
                    schema: Some(schema),
                    extension: true,
                    attribute,
                })
            }
            _ => {
                if let Some(attribute) = self
                    .common
                    .iter()
                    .find(|a| a.name.eq_ignore_ascii_case(name))
                {
                    return Some(Resolved {
                        schema: None,
                        extension: false,
                        attribute,
                    });
                }
                let schema = self.schema(&rt.schema)?;
                let attribute = schema.attribute(name)?;
                Some(Resolved {
                    schema: Some(schema),
                    extension: false,
                    attribute,
                })
            }
        }
    }

    /// Adds a site-defined extension `schema` to resource type `resource_type`
    /// (RFC 7643 §3.3): its attributes are then validated, filtered, patched
    /// and projected like the standard ones, under the schema's URN.
    ///
    /// # Errors
    /// `invalidValue` when the resource type is unknown or a schema with the
    /// same URN is already known.
    pub fn add_extension(
        &mut self,
        resource_type: &str,
        schema: Schema,
        required: bool,
    ) -> crate::Result<()> {
        if self.schema(&schema.id).is_some() {
            return Err(crate::ScimError::invalid_value(format!(
                "schema \"{}\" is already defined",
                schema.id
            )));
        }
        let rt = self
            .resource_types
            .iter_mut()
            .find(|t| t.name.eq_ignore_ascii_case(resource_type))
            .ok_or_else(|| {
                crate::ScimError::invalid_value(format!(
                    "unknown resource type \"{resource_type}\""
                ))
            })?;
        rt.extensions.push(SchemaExtension {
            schema: schema.id.clone(),
            required,
        });
        self.schemas.push(schema);
        Ok(())
    }

    /// The extension URN of `rt` that equals `uri` without regard to case, in the
    /// registry's spelling.
    #[must_use]
    pub fn extension_urn<'a>(&'a self, rt: &'a ResourceType, uri: &str) -> Option<&'a str> {
        rt.extensions
            .iter()
            .find(|e| e.schema.eq_ignore_ascii_case(uri))
            .map(|e| e.schema.as_str())
    }
}

/// The member of `object` an attribute name (or extension URN) designates:
/// the exact spelling first, as canonical resources have it, then without
/// regard to case (RFC 7643 §2.1: attribute names are case-insensitive).
#[must_use]
pub fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_core_common_and_extension_attributes() {
        let reg = Registry::shared();
        let user = reg.resource_type("user").unwrap();
        assert_eq!(
            reg.resolve(user, None, "USERNAME").unwrap().attribute.name,
            "userName"
        );
        assert!(reg.resolve(user, None, "meta").unwrap().schema.is_none());
        let dept = reg
            .resolve(user, Some(ENTERPRISE_USER_URN), "department")
            .unwrap();
        assert!(dept.extension);
        assert!(reg.resolve(user, None, "department").is_none());
        assert!(reg.resolve(user, Some(USER_URN), "emails").is_some());
    }

    #[test]
    fn takes_site_defined_extensions() {
        let mut reg = Registry::standard();
        let site = Schema {
            id: "urn:example:params:scim:schemas:extension:drupal:2.0:User".into(),
            name: "DrupalUser".into(),
            description: "Site fields".into(),
            attributes: vec![Attribute::new("badge", AttrType::String, "Badge number")],
        };
        reg.add_extension("User", site.clone(), false).unwrap();
        let user = reg.resource_type("User").unwrap().clone();
        let found = reg.resolve(&user, Some(&site.id), "BADGE").unwrap();
        assert!(found.extension);
        assert_eq!(
            reg.add_extension("User", site.clone(), false).unwrap_err().detail(),
            "schema \"urn:example:params:scim:schemas:extension:drupal:2.0:User\" is already defined"
        );
        let mut other = site;
        other.id.push('2');
        assert_eq!(
            reg.add_extension("Device", other, false)
                .unwrap_err()
                .detail(),
            "unknown resource type \"Device\""
        );
    }

    #[test]
    fn renders_schema_documents() {
        let doc = core::user_schema().to_json();
        assert_eq!(doc["id"], USER_URN);
        assert_eq!(doc["attributes"][0]["name"], "userName");
        assert_eq!(doc["attributes"][0]["uniqueness"], "server");
    }
}
