//! Discovery (RFC 7644 §4): `Scim\Schemas` and `Scim\ResourceTypes`, the
//! documents behind `/Schemas` and `/ResourceTypes`.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::Value;

use super::convert::json_to_array;
use super::exception::guard;
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
