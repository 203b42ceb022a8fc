//! Resource versions and preconditions (RFC 7644 §3.14, RFC 7232 §3).

// Helpers outside #[test] functions unwrap too; case tables are tuples.
#![allow(clippy::unwrap_used, clippy::type_complexity)]

use scim::version::{check_preconditions, etag_for, Precondition, Version};
use scim::ScimError;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn counters_become_weak_tags() {
    assert_eq!(Version::from_counter(0).etag(), "W/\"0\"");
    assert_eq!(Version::from_counter(42).to_string(), "W/\"42\"");
    assert_eq!(
        Version::from_counter(u64::MAX).token(),
        "18446744073709551615"
    );
}

/// The expected tokens were computed by an independent implementation of
/// the same canonical encoding; they must never change between releases,
/// or every client's stored `ETag` goes stale.
#[test]
fn content_versions_are_fixed_across_runs() {
    let cases: &[(Value, &str)] = &[
        (fixture("rfc7643-8.2-full-user.json"), "e861dde2abb8cd93"),
        (fixture("rfc7643-8.4-group.json"), "80980e158a0a1e45"),
        (json!({}), "b8b184103b10f3fa"),
        (json!({"a": 1.5, "b": [1, null, true]}), "0eb620f41349625a"),
    ];
    for (resource, token) in cases {
        assert_eq!(Version::of(resource).token(), *token, "{resource}");
        assert_eq!(etag_for(resource), format!("W/\"{token}\""));
    }
}

#[test]
fn content_versions_ignore_meta_and_member_order() {
    let user = fixture("rfc7643-8.2-full-user.json");
    let mut touched = user.clone();
    touched["meta"]["lastModified"] = json!("2024-01-01T00:00:00Z");
    touched["meta"]["version"] = json!("W/\"anything\"");
    assert_eq!(Version::of(&user), Version::of(&touched));

    assert_eq!(
        Version::of(&json!({"a": 1, "b": {"c": 2, "d": 3}})),
        Version::of(&json!({"b": {"d": 3, "c": 2}, "a": 1}))
    );
}

#[test]
fn content_versions_change_with_content() {
    let user = fixture("rfc7643-8.2-full-user.json");
    let variants = [
        json!({"active": false}),
        json!({"displayName": "Babs  Jensen"}),
        json!({"nested": {"meta": 1}}),
    ];
    for change in variants {
        let mut changed = user.clone();
        for (key, value) in change.as_object().unwrap() {
            changed[key] = value.clone();
        }
        assert_ne!(Version::of(&user), Version::of(&changed), "{change}");
    }
    // Adjacent strings cannot run into each other.
    assert_ne!(
        Version::of(&json!(["ab", "c"])),
        Version::of(&json!(["a", "bc"]))
    );
    assert_ne!(Version::of(&json!("1")), Version::of(&json!(1)));
}

#[test]
fn preconditions_compare_weakly() {
    use Precondition::{NotModified, Proceed};
    let current = "W/\"3694e05e9dff591\"";
    let failed = |header: &str| {
        Err(ScimError::PreconditionFailed(format!(
            "resource version W/\"3694e05e9dff591\" does not match If-Match {header}"
        )))
    };
    let cases: &[(Option<&str>, Option<&str>, Result<Precondition, ScimError>)] = &[
        (None, None, Ok(Proceed)),
        (Some(""), Some("  "), Ok(Proceed)),
        (Some("W/\"3694e05e9dff591\""), None, Ok(Proceed)),
        (Some("\"3694e05e9dff591\""), None, Ok(Proceed)),
        (Some("3694e05e9dff591"), None, Ok(Proceed)),
        (Some("*"), None, Ok(Proceed)),
        (Some("W/\"a\", W/\"3694e05e9dff591\""), None, Ok(Proceed)),
        (Some("W/\"a,b\",\"3694e05e9dff591\""), None, Ok(Proceed)),
        (Some("w/\"3694e05e9dff591\""), None, Ok(Proceed)),
        (
            Some("W/\"3694e05e9dff590\""),
            None,
            failed("W/\"3694e05e9dff590\""),
        ),
        (Some("W/\"a\", W/\"b\""), None, failed("W/\"a\", W/\"b\"")),
        (Some("W/\"3694e05e9dff591"), None, Ok(Proceed)),
        (Some("\""), None, failed("\"")),
        (None, Some("W/\"3694e05e9dff591\""), Ok(NotModified)),
        (None, Some("*"), Ok(NotModified)),
        (None, Some("W/\"old\", \"older\""), Ok(Proceed)),
        (Some("*"), Some("W/\"3694e05e9dff591\""), Ok(NotModified)),
        (
            Some("W/\"old\""),
            Some("W/\"3694e05e9dff591\""),
            failed("W/\"old\""),
        ),
    ];
    for (if_match, if_none_match, expected) in cases {
        assert_eq!(
            &check_preconditions(*if_match, *if_none_match, current),
            expected,
            "If-Match {if_match:?} If-None-Match {if_none_match:?}"
        );
    }

    for current in ["\"7\"", "7", "W/\"7\""] {
        assert_eq!(
            check_preconditions(Some("W/\"7\""), None, current),
            Ok(Proceed),
            "{current}"
        );
    }
}

#[test]
fn not_modified_fails_a_write() {
    assert_eq!(Precondition::Proceed.for_write(), Ok(()));
    assert_eq!(
        Precondition::NotModified.for_write(),
        Err(ScimError::PreconditionFailed(
            "the current version matches If-None-Match".into()
        ))
    );
}
