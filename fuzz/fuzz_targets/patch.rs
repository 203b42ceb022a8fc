//! Fuzzes `scim::patch::PatchRequest::from_json` and `apply` on a fixed
//! stored User (RFC 7643 §8.3) and Group (§8.4): never panics; `changed`
//! says exactly whether the resource differs; and what `apply` returns is
//! canonical: validating it as the patch result (RFC 7644 §3.5.2) succeeds
//! and gives it back, less the server's readOnly attributes. `apply_owned`
//! gives what `apply` gives, result or error.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scim::patch::{self, PatchRequest};
use scim::resource::{self, Limits, Mode};
use scim::schema::{Mutability, Registry, ResourceType};
use serde_json::{json, Value};
use std::sync::OnceLock;

/// A fixture validated for a create, with the `id` and `meta` a store adds.
fn stored(rt_name: &str, fixture: &str, id: &str) -> Value {
    let registry = Registry::shared();
    let rt = resource_type(rt_name);
    let input: Value = serde_json::from_str(fixture).unwrap_or(Value::Null);
    let mut stored = resource::validate(registry, rt, &input, Mode::Create)
        .unwrap_or_else(|e| panic!("fixture {rt_name}: {e}"));
    stored["id"] = json!(id);
    stored["meta"] = json!({
        "resourceType": rt_name,
        "created": "2010-01-23T04:56:22Z",
        "lastModified": "2011-05-13T04:42:34Z",
        "version": "W/\"3694e05e9dff591\"",
        "location": format!("https://example.com/v2/{rt_name}s/{id}")
    });
    stored
}

fn resource_type(name: &str) -> &'static ResourceType {
    Registry::shared()
        .resource_type(name)
        .unwrap_or_else(|| panic!("no {name} type"))
}

fn targets() -> &'static [(&'static str, Value)] {
    static TARGETS: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    TARGETS.get_or_init(|| {
        vec![
            (
                "User",
                stored(
                    "User",
                    include_str!("../../tests/fixtures/rfc7643-8.3-enterprise-user.json"),
                    "2819c223-7f76-453a-919d-413861904646",
                ),
            ),
            (
                "Group",
                stored(
                    "Group",
                    include_str!("../../tests/fixtures/rfc7643-8.4-group.json"),
                    "e9e30dba-f08f-4109-8486-d5c6a331660a",
                ),
            ),
        ]
    })
}

/// `resource` without its top-level readOnly attributes, which validation
/// drops (RFC 7643 §2.2) and the store keeps.
fn without_read_only(resource: &Value, rt: &ResourceType) -> Value {
    let registry = Registry::shared();
    let mut copy = resource.clone();
    if let Value::Object(map) = &mut copy {
        map.retain(|key, _| {
            let read_only = registry
                .common
                .iter()
                .chain(
                    registry
                        .schema(&rt.schema)
                        .map_or(&[][..], |s| &s.attributes),
                )
                .any(|a| a.mutability == Mutability::ReadOnly && a.name == *key);
            !read_only
        });
    }
    copy
}

fuzz_target!(|body: &[u8]| {
    let Ok(body) = resource::parse_json(body, &Limits::default()) else {
        return;
    };
    let Ok(request) = PatchRequest::from_json(&body) else {
        return;
    };
    let registry = Registry::shared();
    for (rt_name, stored) in targets() {
        let rt = resource_type(rt_name);
        let borrowed = patch::apply(registry, rt, stored, &request);
        let owned = patch::apply_owned(registry, rt, stored.clone(), &request);
        match (&borrowed, &owned) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{rt_name}: apply_owned differs"),
            (Err(a), Err(b)) => assert_eq!(
                a.detail(),
                b.detail(),
                "{rt_name}: apply_owned fails otherwise"
            ),
            _ => panic!("{rt_name}: apply gives {borrowed:?}, apply_owned {owned:?}"),
        }
        let Ok(patched) = borrowed else {
            continue;
        };
        assert_eq!(
            patched.changed,
            patched.resource != *stored,
            "{rt_name}: changed is {} for {}",
            patched.changed,
            patched.resource
        );
        assert_eq!(patched.changed, !patched.changed_attributes.is_empty());

        let existing = Mode::Patched { existing: stored };
        match resource::validate(registry, rt, &patched.resource, existing) {
            Ok(canonical) => assert_eq!(
                canonical,
                without_read_only(&patched.resource, rt),
                "{rt_name}: the patched resource is not canonical"
            ),
            Err(err) => panic!(
                "{rt_name}: the patched resource {} does not validate: {err}",
                patched.resource
            ),
        }
    }
});
