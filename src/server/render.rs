//! Responses: resources completed with what depends on the base URL
//! (`meta.location`, `meta.version`, `$ref`), and error documents with the
//! headers their status calls for.

use super::route::Route;
use super::{Event, Request, Response, SCIM_MEDIA_TYPE};
use crate::store::{Kind, Stored};
use crate::version::Version;
use crate::ScimError;
use serde_json::Value;

/// The endpoint of `kind`, such as `/Users`.
pub(super) fn endpoint(kind: Kind) -> &'static str {
    match kind {
        Kind::User => "/Users",
        Kind::Group => "/Groups",
    }
}

/// The URI of resource `id` of `kind`.
pub(super) fn location(base_url: &str, kind: Kind, id: &str) -> String {
    format!("{base_url}{}/{id}", endpoint(kind))
}

/// `stored` as a client sees it before projection: `meta.location` and
/// `meta.version` (RFC 7643 §3.1), and `$ref` on members and groups
/// (RFC 7643 §4.1.2, §4.2).
pub(super) fn resource(base_url: &str, kind: Kind, stored: Stored) -> Value {
    let version = Version::from_counter(stored.version).etag();
    let mut resource = stored.resource;
    let id = resource
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if let Some(object) = resource.as_object_mut() {
        let meta = object
            .entry("meta")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(meta) = meta.as_object_mut() {
            meta.entry("resourceType")
                .or_insert_with(|| Value::from(kind.as_str()));
            meta.insert(
                "location".into(),
                Value::from(location(base_url, kind, &id)),
            );
            meta.insert("version".into(), Value::from(version));
        }
        for (attribute, default_kind) in [("members", Kind::User), ("groups", Kind::Group)] {
            let Some(Value::Array(values)) = object.get_mut(attribute) else {
                continue;
            };
            for value in values.iter_mut().filter_map(Value::as_object_mut) {
                let member_kind = match value.get("type").and_then(Value::as_str) {
                    Some(t) if t.eq_ignore_ascii_case("Group") => Kind::Group,
                    Some(t) if t.eq_ignore_ascii_case("User") => Kind::User,
                    _ => default_kind,
                };
                if let Some(member_id) = value.get("value").and_then(Value::as_str) {
                    let uri = location(base_url, member_kind, member_id);
                    value.insert("$ref".into(), Value::from(uri));
                }
            }
        }
    }
    resource
}

/// A response with a JSON body.
pub(super) fn json(status: u16, body: &Value) -> Response {
    Response {
        status,
        headers: vec![("Content-Type".into(), SCIM_MEDIA_TYPE.into())],
        body: Some(body.to_string()),
        event: Event {
            operation: super::Operation::Unsupported,
            kind: None,
            resource_id: None,
            token_label: None,
            error: None,
        },
    }
}

/// A response without a body (204, 304).
pub(super) fn empty(status: u16) -> Response {
    let mut response = json(status, &Value::Null);
    response.headers.clear();
    response.body = None;
    response
}

/// The error document of `error` (RFC 7644 §3.12), with `WWW-Authenticate`
/// on 401 (RFC 6750 §3) and `Allow` on 405 (RFC 9110 §15.5.6).
pub(super) fn error(
    error: ScimError,
    route: Route<'_>,
    request: &Request<'_>,
    mut event: Event,
) -> Response {
    let mut response = json(error.status(), &error.to_document());
    match &error {
        ScimError::Unauthorized(_) => {
            let challenge = if request.header("Authorization").is_some() {
                "Bearer realm=\"SCIM\", error=\"invalid_token\""
            } else {
                "Bearer realm=\"SCIM\""
            };
            response
                .headers
                .push(("WWW-Authenticate".into(), challenge.into()));
        }
        ScimError::MethodNotAllowed(_) => {
            response
                .headers
                .push(("Allow".into(), route.allowed().join(", ")));
        }
        _ => {}
    }
    event.error = Some(error);
    response.event = event;
    response
}
