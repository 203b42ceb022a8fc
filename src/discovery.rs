//! Service provider discovery (RFC 7644 §4): the documents served at
//! `/ServiceProviderConfig` (RFC 7643 §5), `/ResourceTypes` (§6) and
//! `/Schemas` (§7).
//!
//! RFC 7644 §4 has a server answer a `filter` on these endpoints with 403;
//! that check belongs to the request layer, which sees the query.

use crate::list::{ListResponse, DEFAULT_MAX_PAGE_SIZE};
use crate::schema::Registry;
use crate::{Result, ScimError};
use serde_json::{json, Map, Value};

/// The URN of the service provider configuration (RFC 7643 §5).
pub const SERVICE_PROVIDER_CONFIG_URN: &str =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// Bulk support (RFC 7643 §5 `bulk`, RFC 7644 §3.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkFeatures {
    /// Whether `/Bulk` is served.
    pub supported: bool,
    /// The most operations one bulk request may hold.
    pub max_operations: u64,
    /// The largest bulk request body, in bytes.
    pub max_payload_size: u64,
}

/// Filter support (RFC 7643 §5 `filter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterFeatures {
    /// Whether the `filter` parameter is honoured.
    pub supported: bool,
    /// The most resources one response returns (the page size limit).
    pub max_results: u64,
}

/// An authentication scheme (RFC 7643 §5 `authenticationSchemes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticationScheme {
    /// The type: `oauth`, `oauth2`, `oauthbearertoken`, `httpbasic` or `httpdigest`.
    pub scheme_type: String,
    /// The common name, such as `OAuth Bearer Token`.
    pub name: String,
    /// How the scheme is used.
    pub description: String,
    /// The specification of the scheme.
    pub spec_uri: Option<String>,
    /// Where the server documents its use of the scheme.
    pub documentation_uri: Option<String>,
    /// Whether this is the preferred scheme.
    pub primary: bool,
}

impl AuthenticationScheme {
    /// A bearer token in the `Authorization` header (RFC 6750), the
    /// scheme identity providers use with a token pasted into their
    /// provisioning settings.
    #[must_use]
    pub fn bearer_token() -> Self {
        Self {
            scheme_type: "oauthbearertoken".into(),
            name: "OAuth Bearer Token".into(),
            description: "Authentication with a bearer token in the Authorization header".into(),
            spec_uri: Some("https://www.rfc-editor.org/info/rfc6750".into()),
            documentation_uri: None,
            primary: true,
        }
    }

    fn to_json(&self) -> Value {
        let mut scheme = Map::new();
        scheme.insert("type".into(), json!(self.scheme_type));
        scheme.insert("name".into(), json!(self.name));
        scheme.insert("description".into(), json!(self.description));
        if let Some(uri) = &self.spec_uri {
            scheme.insert("specUri".into(), json!(uri));
        }
        if let Some(uri) = &self.documentation_uri {
            scheme.insert("documentationUri".into(), json!(uri));
        }
        if self.primary {
            scheme.insert("primary".into(), json!(true));
        }
        Value::Object(scheme)
    }
}

/// What the server supports, as `/ServiceProviderConfig` announces it
/// (RFC 7643 §5).
// Each flag mirrors one `{"supported": bool}` member of RFC 7643 §5.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerFeatures {
    /// Where humans can read about the service.
    pub documentation_uri: Option<String>,
    /// Whether PATCH is supported.
    pub patch: bool,
    /// Bulk support. Its limits are announced even when unsupported: RFC
    /// 7643 §5 makes them required members.
    pub bulk: BulkFeatures,
    /// Filter support and the page size limit.
    pub filter: FilterFeatures,
    /// Whether `password` can be changed.
    pub change_password: bool,
    /// Whether `sortBy` is honoured.
    pub sort: bool,
    /// Whether resources carry versions and preconditions are checked.
    pub etag: bool,
    /// The accepted authentication schemes.
    pub authentication_schemes: Vec<AuthenticationScheme>,
}

impl Default for ServerFeatures {
    /// PATCH, filter (at most [`DEFAULT_MAX_PAGE_SIZE`] results), sort and
    /// `ETag`s supported; bulk and password changes not; bearer tokens.
    fn default() -> Self {
        Self {
            documentation_uri: None,
            patch: true,
            bulk: BulkFeatures {
                supported: false,
                max_operations: 0,
                max_payload_size: 1_048_576,
            },
            filter: FilterFeatures {
                supported: true,
                max_results: DEFAULT_MAX_PAGE_SIZE as u64,
            },
            change_password: false,
            sort: true,
            etag: true,
            authentication_schemes: vec![AuthenticationScheme::bearer_token()],
        }
    }
}

/// The service provider configuration (RFC 7643 §5), with `meta.location`
/// under `base_url` (such as `https://example.com/scim/v2`).
#[must_use]
pub fn service_provider_config(features: &ServerFeatures, base_url: &str) -> Value {
    let mut config = Map::new();
    config.insert("schemas".into(), json!([SERVICE_PROVIDER_CONFIG_URN]));
    if let Some(uri) = &features.documentation_uri {
        config.insert("documentationUri".into(), json!(uri));
    }
    config.insert("patch".into(), json!({ "supported": features.patch }));
    config.insert(
        "bulk".into(),
        json!({
            "supported": features.bulk.supported,
            "maxOperations": features.bulk.max_operations,
            "maxPayloadSize": features.bulk.max_payload_size,
        }),
    );
    config.insert(
        "filter".into(),
        json!({
            "supported": features.filter.supported,
            "maxResults": features.filter.max_results,
        }),
    );
    config.insert(
        "changePassword".into(),
        json!({ "supported": features.change_password }),
    );
    config.insert("sort".into(), json!({ "supported": features.sort }));
    config.insert("etag".into(), json!({ "supported": features.etag }));
    let schemes: Vec<Value> = features
        .authentication_schemes
        .iter()
        .map(AuthenticationScheme::to_json)
        .collect();
    config.insert("authenticationSchemes".into(), Value::Array(schemes));
    config.insert(
        "meta".into(),
        json!({
            "resourceType": "ServiceProviderConfig",
            "location": format!("{}/ServiceProviderConfig", trim_base(base_url)),
        }),
    );
    Value::Object(config)
}

/// Every schema of `registry` as a `ListResponse` (RFC 7644 §4), each with
/// its `meta.location`.
#[must_use]
pub fn schemas_list(registry: &Registry, base_url: &str) -> Value {
    let base = trim_base(base_url);
    let schemas: Vec<Value> = registry
        .schemas
        .iter()
        .map(|s| located(s.to_json(), base, "Schemas", &s.id))
        .collect();
    ListResponse::new(schemas.len(), 1, schemas).to_json()
}

/// The schema with URN `id` (`/Schemas/{id}`), matched without regard to case.
///
/// # Errors
///
/// `NotFound` (404) when the registry has no such schema.
pub fn schema(registry: &Registry, id: &str, base_url: &str) -> Result<Value> {
    let schema = registry
        .schema(id)
        .ok_or_else(|| ScimError::NotFound(format!("schema \"{id}\" not found")))?;
    Ok(located(
        schema.to_json(),
        trim_base(base_url),
        "Schemas",
        &schema.id,
    ))
}

/// Every resource type of `registry` as a `ListResponse` (RFC 7644 §4),
/// each with its `meta.location`.
#[must_use]
pub fn resource_types_list(registry: &Registry, base_url: &str) -> Value {
    let base = trim_base(base_url);
    let types: Vec<Value> = registry
        .resource_types
        .iter()
        .map(|t| located(t.to_json(), base, "ResourceTypes", &t.id))
        .collect();
    ListResponse::new(types.len(), 1, types).to_json()
}

/// The resource type `id` (`/ResourceTypes/{id}`), matched without regard to case.
///
/// # Errors
///
/// `NotFound` (404) when the registry has no such resource type.
pub fn resource_type(registry: &Registry, id: &str, base_url: &str) -> Result<Value> {
    let rt = registry
        .resource_types
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| ScimError::NotFound(format!("resource type \"{id}\" not found")))?;
    Ok(located(
        rt.to_json(),
        trim_base(base_url),
        "ResourceTypes",
        &rt.id,
    ))
}

/// `base_url` without trailing slashes, so paths join with one.
fn trim_base(base_url: &str) -> &str {
    base_url.trim_end_matches('/')
}

/// Sets `meta.location` of `document` to `{base}/{endpoint}/{id}`.
fn located(mut document: Value, base: &str, endpoint: &str, id: &str) -> Value {
    if let Some(document) = document.as_object_mut() {
        let meta = document.entry("meta").or_insert_with(|| json!({}));
        if let Some(meta) = meta.as_object_mut() {
            meta.insert("location".into(), json!(format!("{base}/{endpoint}/{id}")));
        }
    }
    document
}
