//! Resources as clients send them: bounded JSON reading, validation against
//! RFC 7643's schemas, the canonical form, and each tolerated client quirk.

// The helpers below sit outside `#[test]` functions but are test code: a
// failed unwrap there is a failed test.
#![allow(clippy::unwrap_used)]

use scim::resource::{parse_json, validate_json, validate_with, Limits, Mode, Options};
use scim::schema::parse::schema_from_json;
use scim::schema::{Registry, SchemaExtension, ENTERPRISE_USER_URN, GROUP_URN, USER_URN};
use scim::{ScimError, ScimType};
use serde_json::{json, Value};

const SITE_URN: &str = "urn:example:scim:schemas:extension:drupal:2.0:User";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read(&path).unwrap();
    parse_json(&body, &Limits::default()).unwrap()
}

/// Validates `input` every way the crate offers: borrowed, owned, and read
/// from its JSON text with `validate_json` (when it is an object, as a body
/// must be). All must give the same canonical resource, member order
/// included, or the same error; the borrowed result is returned.
fn validate_all_ways(
    registry: &Registry,
    rt: &str,
    input: &Value,
    mode: Mode<'_>,
    options: Options,
) -> Result<Value, ScimError> {
    let options = &options;
    let rt = registry.resource_type(rt).unwrap();
    let borrowed = validate_with(registry, rt, input, mode, options);
    let owned = validate_with(registry, rt, input.clone(), mode, options);
    assert_same(&borrowed, &owned, "owned", input);
    if input.is_object() {
        let body = input.to_string();
        let read = validate_json(
            body.as_bytes(),
            &Limits::default(),
            registry,
            rt,
            mode,
            options,
        );
        assert_same(&borrowed, &read, "validate_json", input);
    }
    borrowed
}

fn assert_same(
    expected: &Result<Value, ScimError>,
    got: &Result<Value, ScimError>,
    way: &str,
    input: &Value,
) {
    let show = |r: &Result<Value, ScimError>| match r {
        Ok(v) => Ok(v.to_string()),
        Err(e) => Err((e.status(), e.scim_type(), e.detail().to_owned())),
    };
    assert_eq!(show(got), show(expected), "{way} differs for {input}");
}

fn validate(
    registry: &Registry,
    rt: &str,
    input: &Value,
    mode: Mode<'_>,
) -> Result<Value, ScimError> {
    validate_all_ways(registry, rt, input, mode, Options::strict())
}

fn create_in(registry: &Registry, rt: &str, input: &Value) -> Result<Value, ScimError> {
    validate(registry, rt, input, Mode::Create)
}

fn create(rt: &str, input: &Value) -> Result<Value, ScimError> {
    create_in(Registry::shared(), rt, input)
}

fn replace(registry: &Registry, input: &Value, existing: &Value) -> Result<Value, ScimError> {
    validate(registry, "User", input, Mode::Replace { existing })
}

fn patched(registry: &Registry, input: &Value, existing: &Value) -> Result<Value, ScimError> {
    validate(registry, "User", input, Mode::Patched { existing })
}

/// The standard registry, with a site-defined extension on User that has
/// the types and rules the RFC schemas lack (immutable, integer, decimal,
/// dateTime, multi-valued strings, a required attribute).
fn site_registry() -> Registry {
    let site = schema_from_json(&json!({
        "id": SITE_URN,
        "name": "DrupalUser",
        "attributes": [
            { "name": "uid", "type": "integer", "mutability": "immutable" },
            { "name": "site", "required": true },
            { "name": "score", "type": "decimal" },
            { "name": "hired", "type": "dateTime" },
            { "name": "nicknames", "multiValued": true },
            { "name": "badge", "type": "complex", "subAttributes": [
                { "name": "number", "mutability": "immutable" },
                { "name": "color" },
                { "name": "code", "caseExact": true, "mutability": "immutable" }
            ]}
        ]
    }))
    .unwrap();
    let mut registry = Registry::standard();
    registry.schemas.push(site);
    let user = registry
        .resource_types
        .iter_mut()
        .find(|t| t.name == "User")
        .unwrap();
    user.extensions.push(SchemaExtension {
        schema: SITE_URN.into(),
        required: false,
    });
    registry
}

fn assert_idempotent(registry: &Registry, rt: &str, canonical: &Value) {
    let again = create_in(registry, rt, canonical).unwrap();
    assert_eq!(&again, canonical);
    assert_eq!(
        again.to_string(),
        canonical.to_string(),
        "key order is stable"
    );
}

// --- RFC 7643 §8 examples -------------------------------------------------

#[test]
fn minimal_user_keeps_only_what_the_client_controls() {
    let user = create("User", &fixture("rfc7643-8.1-minimal-user.json")).unwrap();
    assert_eq!(
        user,
        json!({ "schemas": [USER_URN], "userName": "bjensen@example.com" })
    );
}

#[test]
fn full_user_drops_read_only_attributes_and_keeps_the_rest_as_sent() {
    let mut input = fixture("rfc7643-8.2-full-user.json");
    let user = create("User", &input).unwrap();
    let sent = input.as_object_mut().unwrap();
    for read_only in ["id", "meta", "groups"] {
        sent.remove(read_only);
    }
    assert_eq!(user, input);
    assert_eq!(user["password"], "t1meMa$heen", "writeOnly values are kept");
    assert_eq!(user.as_object().unwrap().keys().next().unwrap(), "schemas");
}

#[test]
fn enterprise_user_keeps_its_extension_under_the_urn() {
    let user = create("User", &fixture("rfc7643-8.3-enterprise-user.json")).unwrap();
    assert_eq!(user["schemas"], json!([USER_URN, ENTERPRISE_USER_URN]));
    assert_eq!(
        user[ENTERPRISE_USER_URN],
        json!({
            "employeeNumber": "701984",
            "costCenter": "4130",
            "organization": "Universal Studios",
            "division": "Theme Park",
            "department": "Tour Operations",
            "manager": {
                "value": "26118915-6090-4610-87e4-49d8ca9f808d",
                "$ref": "../Users/26118915-6090-4610-87e4-49d8ca9f808d"
            }
        })
    );
}

#[test]
fn group_members_lose_their_read_only_display() {
    let group = create("Group", &fixture("rfc7643-8.4-group.json")).unwrap();
    assert_eq!(
        group,
        json!({
            "schemas": [GROUP_URN],
            "displayName": "Tour Guides",
            "members": [
                {
                    "value": "2819c223-7f76-453a-919d-413861904646",
                    "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"
                },
                {
                    "value": "902c246b-6245-4190-8e05-00816be7344a",
                    "$ref": "https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a"
                }
            ]
        })
    );
}

#[test]
fn canonical_form_is_a_fixed_point() {
    for (rt, name) in [
        ("User", "rfc7643-8.1-minimal-user.json"),
        ("User", "rfc7643-8.2-full-user.json"),
        ("User", "rfc7643-8.3-enterprise-user.json"),
        ("Group", "rfc7643-8.4-group.json"),
    ] {
        let canonical = create(rt, &fixture(name)).unwrap();
        assert_idempotent(Registry::shared(), rt, &canonical);
        let registry = Registry::shared();
        let replaced = validate(
            registry,
            rt,
            &canonical,
            Mode::Replace {
                existing: &canonical,
            },
        )
        .unwrap();
        assert_eq!(replaced, canonical, "{name}");
    }
}

// --- Bounded JSON -----------------------------------------------------------

#[test]
fn rejected_bodies() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty", b"", "request body is empty"),
        ("blank", b" \r\n\t", "request body is empty"),
        (
            "bad utf-8",
            b"{\"userName\": \"\xff\"}",
            "request body is not valid UTF-8 at byte 14",
        ),
        (
            "truncated",
            b"{\"userName\": ",
            "request body is not valid JSON at line 1, column 13: EOF while parsing a value",
        ),
        (
            "trailing comma",
            b"{\"a\": 1,}",
            "request body is not valid JSON at line 1, column 9: trailing comma",
        ),
        (
            "second line",
            b"{\n  \"a\": 1 2\n}",
            "request body is not valid JSON at line 2, column 10: expected `,` or `}`",
        ),
        (
            "trailing data",
            b"{} {}",
            "request body is not valid JSON at line 1, column 4: trailing characters",
        ),
        (
            "array",
            b"[{}]",
            "request body must be a JSON object, got an array",
        ),
        (
            "string",
            b"\"x\"",
            "request body must be a JSON object, got a string",
        ),
        (
            "null",
            b"null",
            "request body must be a JSON object, got null",
        ),
    ];
    let registry = Registry::shared();
    let user = registry.resource_type("User").unwrap();
    for (name, body, message) in cases {
        let err = parse_json(body, &Limits::default()).unwrap_err();
        assert_eq!(err.scim_type(), Some(ScimType::InvalidSyntax), "{name}");
        assert_eq!(err.detail(), *message, "{name}");
        let options = Options::strict();
        let err = validate_json(
            body,
            &Limits::default(),
            registry,
            user,
            Mode::Create,
            &options,
        )
        .unwrap_err();
        assert_eq!(err.detail(), *message, "validate_json, {name}");
    }
}

#[test]
fn oversized_body_is_payload_too_large() {
    let limits = Limits {
        max_body_bytes: 10,
        ..Limits::default()
    };
    let err = parse_json(br#"{"userName":"bjensen"}"#, &limits).unwrap_err();
    assert_eq!(err.status(), 413);
    assert_eq!(
        err.detail(),
        "request body is 22 bytes, more than the limit of 10 bytes"
    );
    assert!(parse_json(br#"{"a":"bc"}"#, &limits).is_ok());
}

#[test]
fn nesting_is_limited_before_parsing() {
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    assert!(parse_json(br#"{"a":[{"b":1}]}"#, &limits).is_ok());
    let err = parse_json(br#"{"a":[{"b":[1]}]}"#, &limits).unwrap_err();
    assert_eq!(
        err.detail(),
        "request body nests deeper than 3 levels at byte 11"
    );

    let deep = "[".repeat(1_000_000);
    let err = parse_json(
        deep.as_bytes(),
        &Limits {
            max_body_bytes: 2 << 20,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        err.detail(),
        "request body nests deeper than 32 levels at byte 32"
    );
}

#[test]
fn byte_order_mark_is_skipped() {
    let value = parse_json(b"\xef\xbb\xbf{\"userName\":\"a\"}", &Limits::default()).unwrap();
    assert_eq!(value, json!({ "userName": "a" }));
    let err = parse_json(
        b"\xef\xbb\xbf[[",
        &Limits {
            max_depth: 1,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        err.detail(),
        "request body nests deeper than 1 levels at byte 4"
    );
}

#[test]
fn validate_json_agrees_with_parse_json_then_validate() {
    let registry = Registry::shared();
    let small = Limits {
        max_body_bytes: 64,
        max_depth: 3,
    };
    let read = |name: &str| {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).unwrap()
    };
    let mut bodies: Vec<(&str, &str, Vec<u8>, Limits)> = [
        ("User", "rfc7643-8.1-minimal-user.json"),
        ("User", "rfc7643-8.2-full-user.json"),
        ("User", "rfc7643-8.3-enterprise-user.json"),
        ("User", "bench-user-1.5k.json"),
        ("Group", "rfc7643-8.4-group.json"),
    ]
    .into_iter()
    .map(|(rt, name)| (name, rt, read(name), Limits::default()))
    .collect();
    let texts: &[(&str, &[u8])] = &[
        (
            "repeated key, last wins",
            br#"{"userName":"a","title":"x","userName":"b"}"#,
        ),
        (
            "repeated key, first empty",
            br#"{"userName":"","userName":"b"}"#,
        ),
        (
            "repeated key, last empty",
            br#"{"userName":"a","userName":null}"#,
        ),
        (
            "keys differing in case",
            br#"{"userName":"a","USERNAME":"b"}"#,
        ),
        (
            "escaped key and value",
            br#"{"user\u004eame":"a\"b","name":{"given\u004eame":"\u00e9"}}"#,
        ),
        ("byte order mark", b"\xef\xbb\xbf{\"userName\":\"a\"}"),
        ("float out of range", br#"{"userName":"a","active":1e400}"#),
        ("not an object", b"[]"),
        ("bad syntax", br#"{"userName": "a",}"#),
        ("empty", b" "),
    ];
    for (name, text) in texts {
        bodies.push((name, "User", text.to_vec(), Limits::default()));
    }
    bodies.push(("too deep", "User", br#"{"a":[{"b":[1]}]}"#.to_vec(), small));
    bodies.push((
        "too large",
        "User",
        read("rfc7643-8.1-minimal-user.json"),
        small,
    ));

    let show = |r: Result<Value, ScimError>| match r {
        Ok(v) => Ok(v.to_string()),
        Err(e) => Err((e.status(), e.scim_type(), e.detail().to_owned())),
    };
    let options = Options::strict();
    for (name, rt, body, limits) in &bodies {
        let rt = registry.resource_type(rt).unwrap();
        let two_steps = parse_json(body, limits)
            .and_then(|v| validate_with(registry, rt, &v, Mode::Create, &options));
        let one_step = validate_json(body, limits, registry, rt, Mode::Create, &options);
        assert_eq!(show(one_step), show(two_steps), "{name}");
    }
}

// --- Rejected resources ------------------------------------------------------

#[test]
fn rejected_resource_values() {
    let ent = ENTERPRISE_USER_URN;
    let cases: Vec<(&str, Value, String)> = vec![
        ("missing userName", json!({}), r#"attribute "userName" is required"#.into()),
        ("null userName", json!({ "userName": null }), r#"attribute "userName" is required"#.into()),
        ("empty userName", json!({ "userName": "" }), r#"attribute "userName" is required"#.into()),
        (
            "number for string",
            json!({ "userName": 5 }),
            r#"attribute "userName" must be a string, got a number"#.into(),
        ),
        (
            "string for boolean",
            json!({ "userName": "a", "emails": [{ "value": "x", "primary": "yes" }] }),
            r#"attribute "emails[0].primary" must be a boolean, got a string"#.into(),
        ),
        (
            "number for boolean",
            json!({ "userName": "a", "active": 1 }),
            r#"attribute "active" must be a boolean, got a number"#.into(),
        ),
        (
            "string for complex",
            json!({ "userName": "a", "name": "Babs" }),
            r#"attribute "name" must be an object, got a string"#.into(),
        ),
        (
            "number for reference",
            json!({ "userName": "a", "profileUrl": 5 }),
            r#"attribute "profileUrl" must be a reference, got a number"#.into(),
        ),
        (
            "bad base64 character",
            json!({ "userName": "a", "x509Certificates": [{ "value": "not base64" }] }),
            r#"attribute "x509Certificates[0].value" must be base64, got " " at byte 3"#.into(),
        ),
        (
            "truncated base64",
            json!({ "userName": "a", "x509Certificates": [{ "value": "TWFuT" }] }),
            r#"attribute "x509Certificates[0].value" must be base64, got an incomplete final group"#.into(),
        ),
        (
            "two primaries",
            json!({ "userName": "a", "emails": [
                { "value": "x", "primary": true },
                { "value": "y", "primary": "True" }
            ] }),
            r#"attribute "emails" has more than one primary value"#.into(),
        ),
        (
            "extension sub-attribute of the wrong type",
            json!({ "userName": "a", ent: { "manager": { "value": true } } }),
            format!(r#"attribute "{ent}:manager.value" must be a string, got a boolean"#),
        ),
        (
            "extension not an object",
            json!({ "userName": "a", ent: "Tour Operations" }),
            format!(r#"attribute "{ent}" must be an object, got a string"#),
        ),
    ];
    for (name, input, message) in cases {
        let err = create("User", &input).unwrap_err();
        assert_eq!(
            (err.scim_type(), err.detail()),
            (Some(ScimType::InvalidValue), message.as_str()),
            "{name}"
        );
    }
}

#[test]
fn rejected_resource_structures() {
    let ent = ENTERPRISE_USER_URN;
    let cases: Vec<(&str, Value, String)> = vec![
        (
            "not an object",
            json!([]),
            "resource must be a JSON object, got an array".into(),
        ),
        (
            "array for single value",
            json!({ "userName": ["a"] }),
            r#"attribute "userName" must be a single value, got an array"#.into(),
        ),
        (
            "array inside multi-valued",
            json!({ "userName": "a", "emails": [[{ "value": "x" }]] }),
            r#"attribute "emails[0]" must be a single value, got an array"#.into(),
        ),
        (
            "unknown attribute",
            json!({ "userName": "a", "foo": 1 }),
            r#"unknown attribute "foo""#.into(),
        ),
        (
            "unknown sub-attribute",
            json!({ "userName": "a", "name": { "nick": "x" } }),
            r#"unknown attribute "name.nick""#.into(),
        ),
        (
            "unknown sub-attribute of an element",
            json!({ "userName": "a", "emails": [{ "value": "x" }, { "value": "y", "label": "z" }] }),
            r#"unknown attribute "emails[1].label""#.into(),
        ),
        (
            "unknown extension attribute",
            json!({ "userName": "a", ent: { "floor": 3 } }),
            format!(r#"unknown attribute "{ent}:floor""#),
        ),
        (
            "unknown qualified extension attribute",
            json!({ "userName": "a", format!("{ent}:floor"): 3 }),
            format!(r#"unknown attribute "{ent}:floor""#),
        ),
        (
            "core schema used as an extension",
            json!({ "userName": "a", USER_URN: { "nickName": "b" } }),
            format!(r#"attributes of "{USER_URN}" belong at the top level, not under its URN"#),
        ),
        (
            "same attribute twice in different case",
            json!({ "userName": "a", "USERNAME": "b" }),
            r#"attribute "userName" is given more than once"#.into(),
        ),
        (
            "extension attribute in both spellings",
            json!({ "userName": "a", ent: { "department": "x" }, format!("{ent}:department"): "y" }),
            format!(r#"attribute "{ent}:department" is given more than once"#),
        ),
        (
            "schemas without the core schema",
            json!({ "schemas": [GROUP_URN], "userName": "a" }),
            format!(r#"attribute "schemas" must contain "{USER_URN}""#),
        ),
        (
            "schemas not strings",
            json!({ "schemas": [USER_URN, 1], "userName": "a" }),
            r#"attribute "schemas" must be an array of strings"#.into(),
        ),
        (
            "schemas an object",
            json!({ "schemas": {}, "userName": "a" }),
            r#"attribute "schemas" must be an array of strings"#.into(),
        ),
    ];
    for (name, input, message) in cases {
        let err = create("User", &input).unwrap_err();
        assert_eq!(
            (err.scim_type(), err.detail()),
            (Some(ScimType::InvalidSyntax), message.as_str()),
            "{name}"
        );
    }
}

#[test]
fn rejected_groups() {
    let cases = [
        (
            json!({ "members": [] }),
            r#"attribute "displayName" is required"#,
        ),
        (
            json!({ "displayName": "g", "members": { "value": 5 } }),
            r#"attribute "members.value" must be a string, got a number"#,
        ),
        (
            json!({ "displayName": "g", "members": [{ "value": "a" }, "b"] }),
            r#"attribute "members[1]" must be an object, got a string"#,
        ),
    ];
    for (input, message) in cases {
        assert_eq!(
            create("Group", &input).unwrap_err().detail(),
            message,
            "{input}"
        );
    }
}

#[test]
fn rejected_values_of_site_defined_types() {
    let registry = site_registry();
    let cases = [
        (
            json!({ "uid": 1.5 }),
            format!(r#"attribute "{SITE_URN}:uid" must be an integer, got 1.5"#),
        ),
        (
            json!({ "uid": 2.0 }),
            format!(r#"attribute "{SITE_URN}:uid" must be an integer, got 2.0"#),
        ),
        (
            json!({ "uid": "7" }),
            format!(r#"attribute "{SITE_URN}:uid" must be an integer, got a string"#),
        ),
        (
            json!({ "score": "1.5" }),
            format!(r#"attribute "{SITE_URN}:score" must be a decimal, got a string"#),
        ),
        (
            json!({ "hired": "2020-02-30T00:00:00Z" }),
            format!(
                r#"attribute "{SITE_URN}:hired" must be a dateTime (RFC 3339), got "2020-02-30T00:00:00Z""#
            ),
        ),
        (
            json!({ "hired": "2020-02-03" }),
            format!(
                r#"attribute "{SITE_URN}:hired" must be a dateTime (RFC 3339), got "2020-02-03""#
            ),
        ),
        (
            json!({ "nicknames": ["a", 1] }),
            format!(r#"attribute "{SITE_URN}:nicknames[1]" must be a string, got a number"#),
        ),
        (
            json!({ "uid": 7 }),
            format!(r#"attribute "{SITE_URN}:site" is required"#),
        ),
    ];
    for (ext, message) in cases {
        let input = json!({ "userName": "a", SITE_URN: ext });
        let err = create_in(&registry, "User", &input).unwrap_err();
        assert_eq!(err.scim_type(), Some(ScimType::InvalidValue), "{ext}");
        assert_eq!(err.detail(), message, "{ext}");
    }
}

#[test]
fn site_defined_types_are_accepted() {
    let registry = site_registry();
    let input = json!({
        "userName": "a",
        SITE_URN: {
            "uid": 7,
            "site": "main",
            "score": 2.5,
            "hired": "2020-02-29T08:30:00.5+01:00",
            "nicknames": ["Babs", "B"],
            "badge": { "number": "B-7", "color": "red" }
        }
    });
    let user = create_in(&registry, "User", &input).unwrap();
    assert_eq!(user[SITE_URN], input[SITE_URN]);
    assert_eq!(user["schemas"], json!([USER_URN, SITE_URN]));
    assert_idempotent(&registry, "User", &user);
}

#[test]
fn required_extension_must_be_present() {
    let mut registry = Registry::standard();
    let user = registry
        .resource_types
        .iter_mut()
        .find(|t| t.name == "User")
        .unwrap();
    user.extensions[0].required = true;
    let err = create_in(&registry, "User", &json!({ "userName": "a" })).unwrap_err();
    assert_eq!(
        err.detail(),
        format!(r#"extension "{ENTERPRISE_USER_URN}" is required"#)
    );
}

// --- Mutability ------------------------------------------------------------

fn stored_site_user(registry: &Registry) -> Value {
    create_in(
        registry,
        "User",
        &json!({
            "userName": "a",
            SITE_URN: { "uid": 7, "site": "main", "badge": { "number": "B-7", "code": "Xy" } }
        }),
    )
    .unwrap()
}

#[test]
fn replace_may_not_change_an_immutable_value() {
    let registry = site_registry();
    let existing = stored_site_user(&registry);
    let cases = [
        (
            json!({ "uid": 8, "site": "main" }),
            format!(r#"attribute "{SITE_URN}:uid" is immutable and cannot be changed"#),
        ),
        (
            json!({ "site": "main", "badge": { "number": "B-8" } }),
            format!(r#"attribute "{SITE_URN}:badge.number" is immutable and cannot be changed"#),
        ),
        (
            json!({ "site": "main", "badge": { "code": "XY" } }),
            format!(r#"attribute "{SITE_URN}:badge.code" is immutable and cannot be changed"#),
        ),
    ];
    for (ext, message) in cases {
        let err = replace(
            &registry,
            &json!({ "userName": "a", SITE_URN: ext }),
            &existing,
        )
        .unwrap_err();
        assert_eq!(
            (err.scim_type(), err.detail()),
            (Some(ScimType::Mutability), message.as_str())
        );
    }
}

#[test]
fn replace_keeps_immutable_values_it_leaves_out() {
    let registry = site_registry();
    let existing = stored_site_user(&registry);
    let user = replace(&registry, &json!({ "userName": "b" }), &existing).unwrap();
    assert_eq!(
        user[SITE_URN],
        json!({ "uid": 7, "badge": { "number": "B-7", "code": "Xy" } })
    );

    let input = json!({ "userName": "b", SITE_URN: { "uid": 7, "site": "x", "badge": { "color": "red" } } });
    let user = replace(&registry, &input, &existing).unwrap();
    assert_eq!(
        user[SITE_URN],
        json!({ "uid": 7, "site": "x", "badge": { "color": "red", "number": "B-7", "code": "Xy" } })
    );
}

#[test]
fn immutable_values_compare_by_case_exactness_and_keep_the_new_spelling() {
    let registry = site_registry();
    let existing = stored_site_user(&registry);
    let input =
        json!({ "userName": "a", SITE_URN: { "site": "main", "badge": { "number": "b-7" } } });
    let user = replace(&registry, &input, &existing).unwrap();
    assert_eq!(user[SITE_URN]["badge"]["number"], "b-7");
}

#[test]
fn immutable_value_may_be_set_when_it_had_none() {
    let registry = site_registry();
    let existing = create_in(&registry, "User", &json!({ "userName": "a" })).unwrap();
    let input = json!({ "userName": "a", SITE_URN: { "uid": 9, "site": "main" } });
    assert_eq!(
        replace(&registry, &input, &existing).unwrap()[SITE_URN]["uid"],
        9
    );
}

#[test]
fn patch_result_may_not_remove_an_immutable_value() {
    let registry = site_registry();
    let existing = stored_site_user(&registry);
    let mut result = existing.clone();
    result[SITE_URN].as_object_mut().unwrap().remove("uid");
    let err = patched(&registry, &result, &existing).unwrap_err();
    assert_eq!(err.scim_type(), Some(ScimType::Mutability));
    assert_eq!(
        err.detail(),
        format!(r#"attribute "{SITE_URN}:uid" is immutable and cannot be removed"#)
    );

    let mut result = existing.clone();
    result[SITE_URN]["badge"] = Value::Null;
    let err = patched(&registry, &result, &existing).unwrap_err();
    assert_eq!(
        err.detail(),
        format!(r#"attribute "{SITE_URN}:badge.number" is immutable and cannot be removed"#)
    );

    let mut result = existing.clone();
    result["displayName"] = json!("Babs");
    assert_eq!(
        patched(&registry, &result, &existing).unwrap()["displayName"],
        "Babs"
    );
}

#[test]
fn patch_result_must_keep_required_attributes() {
    let existing = create("User", &json!({ "userName": "a", "nickName": "b" })).unwrap();
    let err = patched(Registry::shared(), &json!({ "nickName": "b" }), &existing).unwrap_err();
    assert_eq!(err.detail(), r#"attribute "userName" is required"#);
}

#[test]
fn group_members_change_by_replacing_elements() {
    let registry = Registry::shared();
    let existing = create("Group", &fixture("rfc7643-8.4-group.json")).unwrap();
    let input = json!({ "displayName": "Tour Guides", "members": [{ "value": "someone-else" }] });
    let replaced = validate(
        registry,
        "Group",
        &input,
        Mode::Replace {
            existing: &existing,
        },
    )
    .unwrap();
    assert_eq!(replaced["members"], json!([{ "value": "someone-else" }]));
}

// --- Canonical form ------------------------------------------------------------

#[test]
fn unassigned_values_are_left_out() {
    let user = create(
        "User",
        &json!({
            "userName": "a",
            "nickName": null,
            "title": "",
            "emails": [],
            "phoneNumbers": [null, { "value": "" }, { "value": "555", "display": null }],
            "name": { "givenName": null },
            "addresses": {},
            ENTERPRISE_USER_URN: { "department": null }
        }),
    )
    .unwrap();
    assert_eq!(
        user,
        json!({ "schemas": [USER_URN], "userName": "a", "phoneNumbers": [{ "value": "555" }] })
    );
}

#[test]
fn values_are_kept_as_sent_whatever_case_exact_says() {
    let user = create(
        "User",
        &json!({ "userName": "BJensen", "externalId": "AbC" }),
    )
    .unwrap();
    assert_eq!(
        (&user["userName"], &user["externalId"]),
        (&json!("BJensen"), &json!("AbC"))
    );
}

#[test]
fn canonical_values_are_not_enforced() {
    let user = create(
        "User",
        &json!({ "userName": "a", "emails": [{ "value": "x", "type": "pager" }] }),
    );
    assert!(user.is_ok());
}

#[test]
fn extension_present_but_not_listed_in_schemas_is_listed() {
    let user = create(
        "User",
        &json!({ "schemas": [USER_URN], "userName": "a", ENTERPRISE_USER_URN: { "division": "Parks" } }),
    )
    .unwrap();
    assert_eq!(user["schemas"], json!([USER_URN, ENTERPRISE_USER_URN]));
}

#[test]
fn extension_listed_but_absent_is_not_listed() {
    let input = json!({ "schemas": [USER_URN, ENTERPRISE_USER_URN], "userName": "a" });
    assert_eq!(
        create("User", &input).unwrap()["schemas"],
        json!([USER_URN])
    );
}

#[test]
fn lenient_options_drop_unknown_attributes() {
    let input = json!({ "userName": "a", "foo": 1, "name": { "nick": "b", "givenName": "c" } });
    let out = validate_all_ways(
        Registry::shared(),
        "User",
        &input,
        Mode::Create,
        Options::lenient(),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({ "schemas": [USER_URN], "userName": "a", "name": { "givenName": "c" } })
    );
}

// --- Tolerated client quirks, one test each ------------------------------------

#[test]
fn entra_id_booleans_as_strings_become_booleans() {
    let user = create(
        "User",
        &json!({ "userName": "a", "active": "False", "emails": [{ "value": "x", "primary": "True" }] }),
    )
    .unwrap();
    assert_eq!(user["active"], false);
    assert_eq!(user["emails"][0]["primary"], true);
    let user = create("User", &json!({ "userName": "a", "active": "true" })).unwrap();
    assert_eq!(user["active"], true);
}

#[test]
fn pascal_case_names_are_written_in_schema_case() {
    let user = create(
        "User",
        &json!({
            "UserName": "a",
            "Name": { "GivenName": "b" },
            "EMAILS": [{ "Value": "x", "Primary": true }],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user": { "Department": "d" }
        }),
    )
    .unwrap();
    assert_eq!(
        user,
        json!({
            "schemas": [USER_URN, ENTERPRISE_USER_URN],
            "userName": "a",
            "name": { "givenName": "b" },
            "emails": [{ "value": "x", "primary": true }],
            ENTERPRISE_USER_URN: { "department": "d" }
        })
    );
}

#[test]
fn okta_put_of_the_user_as_read_ignores_id_meta_and_groups() {
    let registry = Registry::shared();
    let existing = create("User", &json!({ "userName": "a", "active": true })).unwrap();
    let input = json!({
        "schemas": [USER_URN],
        "id": "2819c223",
        "userName": "a",
        "active": false,
        "groups": [{ "value": "g1", "display": "Staff" }],
        "meta": { "resourceType": "User", "created": "not even a date" }
    });
    let user = replace(registry, &input, &existing).unwrap();
    assert_eq!(
        user,
        json!({ "schemas": [USER_URN], "userName": "a", "active": false })
    );
}

#[test]
fn entra_id_and_okta_unknown_schema_urns_are_dropped() {
    let input = json!({
        "schemas": [USER_URN, "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User", "urn:okta:custom"],
        "userName": "a"
    });
    assert_eq!(
        create("User", &input).unwrap()["schemas"],
        json!([USER_URN])
    );
}

#[test]
fn entra_id_unknown_extension_data_is_dropped() {
    let input = json!({
        "userName": "a",
        "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User": { "costCode": "x" },
        "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:badge": "y",
        GROUP_URN: { "displayName": "not for users" }
    });
    assert_eq!(
        create("User", &input).unwrap(),
        json!({ "schemas": [USER_URN], "userName": "a" })
    );
}

#[test]
fn qualified_extension_attribute_at_top_level_moves_under_its_urn() {
    let input = json!({
        "userName": "a",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Tour Operations",
        "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:manager": { "value": "m1" }
    });
    let user = create("User", &input).unwrap();
    assert_eq!(
        user,
        json!({
            "schemas": [USER_URN, ENTERPRISE_USER_URN],
            "userName": "a",
            ENTERPRISE_USER_URN: { "department": "Tour Operations", "manager": { "value": "m1" } }
        })
    );
}

#[test]
fn qualified_core_attribute_is_accepted() {
    let input = json!({ format!("{USER_URN}:userName"): "a", format!("{USER_URN}:id"): "x" });
    assert_eq!(
        create("User", &input).unwrap(),
        json!({ "schemas": [USER_URN], "userName": "a" })
    );
}

#[test]
fn minorange_missing_schemas_is_accepted() {
    let user = create("User", &json!({ "userName": "a", "active": false })).unwrap();
    assert_eq!(user["schemas"], json!([USER_URN]));
    let user = create("User", &json!({ "schemas": [], "userName": "a" })).unwrap();
    assert_eq!(user["schemas"], json!([USER_URN]));
}

#[test]
fn single_value_for_a_multi_valued_attribute_is_wrapped() {
    let user = create(
        "User",
        &json!({ "userName": "a", "emails": { "value": "x", "type": "work" } }),
    )
    .unwrap();
    assert_eq!(user["emails"], json!([{ "value": "x", "type": "work" }]));
    let user = create("User", &json!({ "userName": "a", "schemas": USER_URN })).unwrap();
    assert_eq!(user["schemas"], json!([USER_URN]));
}

#[test]
fn entra_id_member_with_null_ref_is_accepted() {
    let group = create(
        "Group",
        &json!({ "displayName": "g", "members": [{ "value": "u1", "$ref": null }] }),
    )
    .unwrap();
    assert_eq!(group["members"], json!([{ "value": "u1" }]));
}

// --- Site-defined schemas ------------------------------------------------------

#[test]
fn site_schema_round_trips_through_its_document() {
    let registry = site_registry();
    let site = registry.schema(SITE_URN).unwrap();
    assert_eq!(&schema_from_json(&site.to_json()).unwrap(), site);
    for schema in &Registry::standard().schemas {
        assert_eq!(&schema_from_json(&schema.to_json()).unwrap(), schema);
    }
}
