//! Discovery (RFC 7644 §4): `Scim\Schemas` and `Scim\ResourceTypes`, the
//! documents behind `/Schemas` and `/ResourceTypes`.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::Value;

use super::convert::{json_to_array, object_to_json};
use super::exception::guard;
use crate::discovery::{self, ServerFeatures};
use crate::error::ScimError;
use crate::schema::{Registry, ResourceType, Schema};

/// `Scim\Schemas`: the schema definitions the server supports (RFC 7643 §7).
#[php_class]
#[php(name = "Scim\\Schemas")]
#[php(flags = ClassFlags::Final)]
pub struct Schemas;

#[php_impl]
impl Schemas {
    #[php(vis = "private")]
    pub fn __construct() -> Self {
        Self
    }

    /// Every schema document, as `/Schemas` lists them, without `meta.location`.
    pub fn list() -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let docs: Vec<Value> = Registry::shared()
                .schemas
                .iter()
                .map(Schema::to_json)
                .collect();
            Ok(json_to_array(&Value::Array(docs)))
        })
    }

    /// The schema document with URN `id` (matched without regard to case).
    pub fn get(id: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let schema = Registry::shared()
                .schema(id)
                .ok_or_else(|| ScimError::NotFound(format!("schema \"{id}\" not found")))?;
            Ok(json_to_array(&schema.to_json()))
        })
    }
}

/// `Scim\ResourceTypes`: the resource types the server serves (RFC 7643 §6).
#[php_class]
#[php(name = "Scim\\ResourceTypes")]
#[php(flags = ClassFlags::Final)]
pub struct ResourceTypes;

#[php_impl]
impl ResourceTypes {
    #[php(vis = "private")]
    pub fn __construct() -> Self {
        Self
    }

    /// Every resource type document, as `/ResourceTypes` lists them, without
    /// `meta.location`.
    pub fn list() -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let docs: Vec<Value> = Registry::shared()
                .resource_types
                .iter()
                .map(ResourceType::to_json)
                .collect();
            Ok(json_to_array(&Value::Array(docs)))
        })
    }

    /// The resource type named `name` (`User`, matched without regard to case).
    pub fn get(name: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let rt = Registry::shared().resource_type(name).ok_or_else(|| {
                ScimError::NotFound(format!("resource type \"{name}\" not found"))
            })?;
            Ok(json_to_array(&rt.to_json()))
        })
    }
}

/// `Scim\Discovery`: the responses of the discovery endpoints (RFC 7644 §4),
/// with `meta.location` under the SCIM base URL.
#[php_class]
#[php(name = "Scim\\Discovery")]
#[php(flags = ClassFlags::Final)]
pub struct Discovery;

#[php_impl]
impl Discovery {
    #[php(vis = "private")]
    pub fn __construct() -> Self {
        Self
    }

    /// `GET /ServiceProviderConfig` (RFC 7643 §5). `features` may set
    /// `documentationUri` (string), `patch`, `changePassword`, `sort`,
    /// `etag`, `filter` (booleans) and `maxResults` (integer); the others
    /// keep the server's defaults.
    pub fn service_provider_config(
        baseUrl: &str,
        features: Option<&ZendHashTable>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let mut config = ServerFeatures::default();
            if let Some(features) = features {
                apply_features(&mut config, &object_to_json(features)?)?;
            }
            Ok(json_to_array(&discovery::service_provider_config(
                &config, baseUrl,
            )))
        })
    }

    /// `GET /Schemas`: a `ListResponse` of every schema.
    pub fn schemas(baseUrl: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            Ok(json_to_array(&discovery::schemas_list(
                Registry::shared(),
                baseUrl,
            )))
        })
    }

    /// `GET /Schemas/{id}`.
    pub fn schema(baseUrl: &str, id: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            Ok(json_to_array(&discovery::schema(
                Registry::shared(),
                id,
                baseUrl,
            )?))
        })
    }

    /// `GET /ResourceTypes`: a `ListResponse` of every resource type.
    pub fn resource_types(baseUrl: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            Ok(json_to_array(&discovery::resource_types_list(
                Registry::shared(),
                baseUrl,
            )))
        })
    }

    /// `GET /ResourceTypes/{id}`.
    pub fn resource_type(baseUrl: &str, id: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            Ok(json_to_array(&discovery::resource_type(
                Registry::shared(),
                id,
                baseUrl,
            )?))
        })
    }
}

/// Sets the members of `features` on `config`.
fn apply_features(config: &mut ServerFeatures, features: &Value) -> crate::Result<()> {
    let Value::Object(features) = features else {
        if features.as_array().is_some_and(Vec::is_empty) {
            return Ok(());
        }
        return Err(ScimError::invalid_value(
            "features must be an array keyed by name",
        ));
    };
    for (name, value) in features {
        let flag = || {
            value.as_bool().ok_or_else(|| {
                ScimError::invalid_value(format!("feature \"{name}\" must be a boolean"))
            })
        };
        match name.as_str() {
            "documentationUri" => {
                config.documentation_uri = match value {
                    Value::Null => None,
                    Value::String(uri) => Some(uri.clone()),
                    _ => {
                        return Err(ScimError::invalid_value(
                            "feature \"documentationUri\" must be a string",
                        ))
                    }
                }
            }
            "patch" => config.patch = flag()?,
            "changePassword" => config.change_password = flag()?,
            "sort" => config.sort = flag()?,
            "etag" => config.etag = flag()?,
            "filter" => config.filter.supported = flag()?,
            "maxResults" => {
                config.filter.max_results = value.as_u64().ok_or_else(|| {
                    ScimError::invalid_value("feature \"maxResults\" must be a positive integer")
                })?;
            }
            other => {
                return Err(ScimError::invalid_value(format!(
                    "unknown feature \"{other}\""
                )));
            }
        }
    }
    Ok(())
}
