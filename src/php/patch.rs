//! `Scim\Patch`: PATCH requests (RFC 7644 §3.5.2) applied to a resource,
//! all operations or none.

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::{Map, Value};

use super::convert::{json_to_array, object_to_json};
use super::exception::guard;
use super::resource::resource_type;
use crate::patch::{apply_owned, PatchRequest};
use crate::resource::{parse_json, Limits};
use crate::schema::Registry;
use crate::Result;

fn apply_request(
    resource: &ZendHashTable,
    request: &Value,
    type_name: &str,
) -> Result<ZBox<ZendHashTable>> {
    let rt = resource_type(type_name)?;
    let request = PatchRequest::from_json(request)?;
    let resource = object_to_json(resource)?;
    let patched = apply_owned(Registry::shared(), rt, resource, &request)?;
    let mut out = Map::with_capacity(3);
    out.insert("resource".into(), patched.resource);
    out.insert("changed".into(), Value::Bool(patched.changed));
    out.insert(
        "changedAttributes".into(),
        Value::Array(
            patched
                .changed_attributes
                .into_iter()
                .map(Value::from)
                .collect(),
        ),
    );
    Ok(json_to_array(&Value::Object(out)))
}

/// `Scim\Patch`.
#[php_class]
#[php(name = "Scim\\Patch")]
#[php(flags = ClassFlags::Final)]
pub struct Patch;

#[php_impl]
impl Patch {
    #[php(vis = "private")]
    pub fn __construct() -> Self {
        Self
    }

    /// Applies the `PatchOp` `request` to `resource`, a canonical resource of
    /// `type`. Returns `resource` (the patched resource, canonical),
    /// `changed` (whether it differs) and `changedAttributes` (the top-level
    /// attributes that differ, extension ones URN-qualified).
    #[php(defaults(r#type = "\"User\""))]
    pub fn apply(
        resource: &ZendHashTable,
        request: &ZendHashTable,
        r#type: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| apply_request(resource, &object_to_json(request)?, r#type))
    }

    /// As `apply()`, for a JSON request body, read within the default limits.
    #[php(defaults(r#type = "\"User\""))]
    pub fn apply_json(
        resource: &ZendHashTable,
        request: BinarySlice<'_, u8>,
        r#type: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| apply_request(resource, &parse_json(&request, &Limits::default())?, r#type))
    }
}
