//! The inputs every benchmark works on, built in one place so that the
//! criterion benches and the instruction-count driver measure the same thing.

use scim::patch::PatchRequest;
use scim::resource::{self, Limits, Mode};
use scim::schema::{Registry, ResourceType};
use serde_json::{json, Value};

/// A typical 1.5 KB User as an identity provider creates it: core and
/// enterprise attributes, two emails, two phone numbers, two addresses.
pub const USER_BODY: &[u8] = include_bytes!("../../tests/fixtures/bench-user-1.5k.json");

/// A filter with every construct: `and`, `or`, `not`, grouping, a value path
/// and a dotted attribute (RFC 7644 §3.4.2.2).
pub const COMPLEX_FILTER: &str = r#"userName eq "bjensen" and (emails[type eq "work" and value co "@example.com"] or not (title pr)) and meta.lastModified gt "2011-05-13T04:42:34Z""#;

/// What Entra ID and Okta send before every create.
pub const USER_NAME_FILTER: &str = r#"userName eq "bjensen@example.com""#;

/// Members in the large group.
pub const MEMBERS: usize = 1_000;

/// The resource type `name` of the shared registry.
pub fn resource_type(name: &str) -> &'static ResourceType {
    match Registry::shared().resource_type(name) {
        Some(rt) => rt,
        None => panic!("the shared registry has no {name} type"),
    }
}

/// [`USER_BODY`] read.
pub fn user_parsed() -> Value {
    resource::parse_json(USER_BODY, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// [`USER_BODY`] validated for a create.
pub fn user_canonical() -> Value {
    resource::validate(
        Registry::shared(),
        resource_type("User"),
        user_parsed(),
        Mode::Create,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// [`USER_BODY`] as the store keeps it: canonical, with `id` and `meta`.
pub fn user_stored() -> Value {
    let mut stored = user_canonical();
    stored["id"] = json!("2819c223-7f76-453a-919d-413861904646");
    stored["meta"] = json!({
        "resourceType": "User",
        "created": "2010-01-23T04:56:22Z",
        "lastModified": "2011-05-13T04:42:34Z",
        "version": "W/\"3694e05e9dff591\"",
        "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
    });
    stored
}

/// Five operations: replace `active`, replace a filtered email's value, add a
/// phone number, remove `title`, replace `name.givenName`.
pub fn patch_body() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            { "op": "replace", "path": "active", "value": false },
            { "op": "replace", "path": "emails[type eq \"work\"].value", "value": "m.riley@example.com" },
            { "op": "add", "path": "phoneNumbers", "value": [{ "value": "+44 20 7946 0999", "type": "other" }] },
            { "op": "remove", "path": "title" },
            { "op": "replace", "path": "name.givenName", "value": "Morgana" }
        ]
    })
}

/// [`patch_body`] read.
pub fn patch_request() -> PatchRequest {
    PatchRequest::from_json(&patch_body()).unwrap_or_else(|e| panic!("{e}"))
}

/// A Group of [`MEMBERS`] members as Okta or Entra ID push one, each with
/// `value`, `$ref`, `display` and `type`.
pub fn group_1000() -> Value {
    let members: Vec<Value> = (0..MEMBERS)
        .map(|i| {
            let id = format!("{i:08x}-6090-4610-87e4-49d8ca9f808d");
            json!({
                "value": id,
                "$ref": format!("https://example.com/scim/v2/Users/{id}"),
                "display": format!("Member {i}"),
                "type": "User"
            })
        })
        .collect();
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "externalId": "00g1a2b3c4d5e6f7g8h9",
        "displayName": "All Staff",
        "members": members
    })
}
