//! `Scim\Resource`: request bodies read within limits and resources
//! validated into canonical form (RFC 7643 §2, RFC 7644 §3.3, §3.5.1), and
//! `Scim\Version`: entity tags and preconditions (RFC 7644 §3.14).

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::convert::{self, json_to_array, object_to_json, object_to_node};
use super::exception::guard;
use crate::resource::{parse_json, parse_node, validate_with, Limits, Mode, Node, Options};
use crate::schema::{Registry, ResourceType};
use crate::version::{self, Precondition, Version};
use crate::{Result, ScimError};

/// The resource type named `name`, or a 404 naming it.
pub(super) fn resource_type(name: &str) -> Result<&'static ResourceType> {
    Registry::shared()
        .resource_type(name)
        .ok_or_else(|| ScimError::NotFound(format!("resource type \"{name}\" not found")))
}

/// Validates `input` (read from JSON, or converted from a PHP array, with
/// its strings borrowed) for a create, or for a replace of `existing`.
fn validate_value(
    input: Node<'_>,
    type_name: &str,
    existing: Option<&ZendHashTable>,
    strict: bool,
) -> Result<ZBox<ZendHashTable>> {
    let rt = resource_type(type_name)?;
    let existing = existing.map(object_to_json).transpose()?;
    let mode = match &existing {
        Some(existing) => Mode::Replace { existing },
        None => Mode::Create,
    };
    let options = if strict {
        Options::strict()
    } else {
        Options::lenient()
    };
    let canonical = validate_with(Registry::shared(), rt, input, mode, &options)?;
    Ok(json_to_array(&canonical))
}

/// `Scim\Resource`.
#[php_class]
#[php(name = "Scim\\Resource")]
#[php(flags = ClassFlags::Final)]
pub struct Resource;

#[php_impl]
impl Resource {
    #[php(vis = "private")]
    pub fn __construct() -> Self {
        Self
    }

    /// Reads a request body as a JSON object within the default limits
    /// (1 MiB, 32 levels of nesting).
    pub fn parse_json(body: BinarySlice<'_, u8>) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| Ok(json_to_array(&parse_json(&body, &Limits::default())?)))
    }

    /// Validates `resource` as a resource of `type` and returns its canonical
    /// form: for a create, or, given the stored `existing` resource, for a
    /// replace (PUT), which holds immutable attributes to their values. With
    /// `strict` false, attributes no schema defines are dropped instead of
    /// rejected.
    #[php(defaults(r#type = "\"User\"", strict = true), optional = "r#type")]
    pub fn validate(
        resource: &ZendHashTable,
        r#type: &str,
        existing: Option<&ZendHashTable>,
        strict: bool,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| validate_value(object_to_node(resource)?, r#type, existing, strict))
    }

    /// As `validate()`, for a JSON request body, read within the default limits.
    #[php(defaults(r#type = "\"User\"", strict = true), optional = "r#type")]
    pub fn validate_json(
        json: BinarySlice<'_, u8>,
        r#type: &str,
        existing: Option<&ZendHashTable>,
        strict: bool,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let input = parse_node(&json, &Limits::default())?;
            validate_value(input, r#type, existing, strict)
        })
    }
}

/// `Scim\validate()`: validates an array, or a JSON string read within the
/// default limits.
pub(super) fn validate_any(
    resource: &Zval,
    type_name: &str,
    existing: Option<&ZendHashTable>,
    strict: bool,
) -> PhpResult<ZBox<ZendHashTable>> {
    guard(|| {
        let input = if let Some(json) = resource.zend_str() {
            parse_node(json.as_bytes(), &Limits::default())?
        } else if let Some(array) = resource.array() {
            object_to_node(array)?
        } else {
            return Err(ScimError::invalid_syntax(format!(
                "resource must be an array or a JSON string, got {}",
                convert::type_name(resource)
            )));
        };
        validate_value(input, type_name, existing, strict)
    })
}

/// `Scim\Version`.
#[php_class]
#[php(name = "Scim\\Version")]
#[php(flags = ClassFlags::Final)]
pub struct PhpVersion;

#[php_impl]
impl PhpVersion {
    #[php(vis = "private")]
    pub fn __construct() -> Self {
        Self
    }

    /// The weak entity tag of `resource` by its content, `W/"<hash>"`;
    /// `meta` is left out and member order does not matter.
    pub fn of(resource: &ZendHashTable) -> PhpResult<String> {
        guard(|| Ok(version::etag_for(&object_to_json(resource)?)))
    }

    /// The weak entity tag of a change counter, `W/"<counter>"`.
    pub fn from_counter(counter: i64) -> PhpResult<String> {
        guard(|| {
            let counter = u64::try_from(counter).map_err(|_| {
                ScimError::invalid_value(format!("version counter {counter} is negative"))
            })?;
            Ok(Version::from_counter(counter).etag())
        })
    }

    /// Checks the `If-Match` and `If-None-Match` headers against `current`,
    /// the resource's entity tag. Returns false when a GET should answer
    /// 304 Not Modified; true when the request goes on. With `write`, a
    /// matching `If-None-Match` fails with 412 instead.
    #[php(defaults(write = false))]
    pub fn check(
        ifMatch: Option<&str>,
        ifNoneMatch: Option<&str>,
        current: &str,
        write: bool,
    ) -> PhpResult<bool> {
        guard(|| {
            let outcome = version::check_preconditions(ifMatch, ifNoneMatch, current)?;
            if write {
                outcome.for_write()?;
            }
            Ok(outcome == Precondition::Proceed)
        })
    }
}
