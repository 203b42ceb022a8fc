//! The mapping between SCIM Users and Drupal account fields: the default
//! mapping on RFC 7643 and identity-provider users, updates, rendering,
//! validation of configured mappings, and groups to roles.

// A failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use scim::mapping::{
    AccountFields, GroupRef, Mapping, MappingConfig, ResourceMeta, RoleChanges, Rule,
};
use scim::schema::{ENTERPRISE_USER_URN, USER_URN};
use serde_json::{json, Value};

const DEPARTMENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn fields(value: Value) -> AccountFields {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// The default rules plus the names and the enterprise department.
fn with_names() -> Mapping {
    let mut rules = Mapping::default_rules();
    rules.extend([
        Rule::new("name.givenName", "field_first_name"),
        Rule::new("name.familyName", "field_last_name"),
        Rule::new("displayName", "field_display_name"),
        Rule::new(DEPARTMENT, "field_department"),
    ]);
    Mapping::new(MappingConfig {
        rules,
        ..MappingConfig::default()
    })
    .unwrap()
}

fn with_password_sync() -> Mapping {
    let config = MappingConfig {
        sync_password: true,
        ..Mapping::drupal_default().config().clone()
    };
    Mapping::new(config).unwrap()
}

/// A user as miniOrange's SCIM destination app pushes it.
fn miniorange_user() -> Value {
    json!({
        "schemas": [USER_URN],
        "userName": "alice",
        "name": { "givenName": "Alice", "familyName": "Liddell" },
        "displayName": "Alice Liddell",
        "emails": [{ "value": "alice@example.com", "type": "work" }],
        "active": true,
    })
}

/// A user as Entra ID provisions it, with the enterprise extension.
fn entra_user() -> Value {
    json!({
        "schemas": [USER_URN, ENTERPRISE_USER_URN],
        "externalId": "5d4f0e3a-entra-object-id",
        "userName": "carol@contoso.example",
        "active": true,
        "displayName": "Carol Danvers",
        "emails": [{ "primary": true, "type": "work", "value": "carol@contoso.example" }],
        "name": { "formatted": "Carol Danvers", "familyName": "Danvers", "givenName": "Carol" },
        "roles": [],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "department": "Flight",
            "manager": { "value": "9a1b-manager" }
        },
        "meta": { "resourceType": "User" }
    })
}

/// A user as Okta creates it: a placeholder password, a primary email.
fn okta_user() -> Value {
    json!({
        "schemas": [USER_URN],
        "userName": "dave@okta.example",
        "name": { "givenName": "Dave", "familyName": "Lister" },
        "emails": [{ "primary": true, "value": "dave@okta.example", "type": "work" }],
        "displayName": "Dave Lister",
        "locale": "en-US",
        "externalId": "00u1okta2id3",
        "groups": [],
        "password": "1mz050nq",
        "active": true,
    })
}

#[test]
fn default_mapping_reads_the_rfc_full_user() {
    let user = fixture("rfc7643-8.2-full-user.json");
    let account = Mapping::drupal_default().to_account(&user).unwrap();
    assert_eq!(
        Value::Object(account),
        json!({
            "name": "bjensen@example.com",
            "mail": "bjensen@example.com",
            "status": 1,
            "scim_external_id": "701984",
        })
    );
}

#[test]
fn password_becomes_a_field_only_with_password_sync() {
    let user = okta_user();
    let account = Mapping::drupal_default().to_account(&user).unwrap();
    assert!(!account.contains_key("pass"));
    let account = with_password_sync().to_account(&user).unwrap();
    assert_eq!(account["pass"], "1mz050nq");
}

#[test]
fn identity_provider_users_map_to_account_fields() {
    let mapping = with_names();
    let cases = [
        (
            "miniorange",
            miniorange_user(),
            json!({
                "name": "alice", "mail": "alice@example.com", "status": 1,
                "field_first_name": "Alice", "field_last_name": "Liddell",
                "field_display_name": "Alice Liddell",
            }),
        ),
        (
            "entra",
            entra_user(),
            json!({
                "name": "carol@contoso.example", "mail": "carol@contoso.example", "status": 1,
                "scim_external_id": "5d4f0e3a-entra-object-id",
                "field_first_name": "Carol", "field_last_name": "Danvers",
                "field_display_name": "Carol Danvers", "field_department": "Flight",
            }),
        ),
        (
            "okta",
            okta_user(),
            json!({
                "name": "dave@okta.example", "mail": "dave@okta.example", "status": 1,
                "scim_external_id": "00u1okta2id3",
                "field_first_name": "Dave", "field_last_name": "Lister",
                "field_display_name": "Dave Lister",
            }),
        ),
        (
            "rfc7643-8.3",
            fixture("rfc7643-8.3-enterprise-user.json"),
            json!({
                "name": "bjensen@example.com", "mail": "bjensen@example.com", "status": 1,
                "scim_external_id": "701984",
                "field_first_name": "Barbara", "field_last_name": "Jensen",
                "field_display_name": "Babs Jensen", "field_department": "Tour Operations",
            }),
        ),
    ];
    for (name, user, expected) in cases {
        let account = mapping.to_account(&user).unwrap();
        assert_eq!(Value::Object(account), expected, "{name}");
    }
}

#[test]
fn mail_is_the_primary_else_the_work_else_the_first_address() {
    let cases = [
        (
            "primary wins over work",
            json!([
                { "value": "w@x.example", "type": "work" },
                { "value": "p@x.example", "type": "home", "primary": true },
            ]),
            Some("p@x.example"),
        ),
        (
            "work without primary (miniOrange)",
            json!([
                { "value": "h@x.example", "type": "home" },
                { "value": "w@x.example", "type": "work" },
            ]),
            Some("w@x.example"),
        ),
        (
            "work in any case",
            json!([
                { "value": "h@x.example", "type": "home" },
                { "value": "w@x.example", "type": "Work" },
            ]),
            Some("w@x.example"),
        ),
        (
            "primary false is not primary",
            json!([
                { "value": "o@x.example", "type": "other", "primary": false },
                { "value": "w@x.example", "type": "work", "primary": false },
            ]),
            Some("w@x.example"),
        ),
        (
            "else the first",
            json!([
                { "value": "a@x.example" },
                { "value": "b@x.example", "type": "home" },
            ]),
            Some("a@x.example"),
        ),
        ("no addresses", json!([]), None),
    ];
    let mapping = Mapping::drupal_default();
    for (name, emails, expected) in cases {
        let user = json!({ "schemas": [USER_URN], "userName": "u", "emails": emails });
        let account = mapping.to_account(&user).unwrap();
        assert_eq!(
            account.get("mail").and_then(Value::as_str),
            expected,
            "{name}"
        );
    }
}

#[test]
fn value_filters_pick_the_matching_address() {
    let rules = vec![
        Rule::new("userName", "name"),
        Rule::new("emails[type eq \"work\"].value", "mail"),
        Rule::new("emails[type eq \"home\"].value", "field_home_mail"),
        Rule::new("emails[primary eq true].value", "field_primary_mail"),
    ];
    let mapping = Mapping::new(MappingConfig {
        rules,
        ..MappingConfig::default()
    })
    .unwrap();
    let user = fixture("rfc7643-8.2-full-user.json");
    let account = mapping.to_account(&user).unwrap();
    assert_eq!(account["mail"], "bjensen@example.com");
    assert_eq!(account["field_home_mail"], "babs@jensen.org");
    assert_eq!(account["field_primary_mail"], "bjensen@example.com");
}

#[test]
fn non_canonical_member_names_are_found_without_regard_to_case() {
    let user =
        json!({ "UserName": "eve", "EMAILS": [{ "Value": "eve@x.example" }], "Active": false });
    let account = Mapping::drupal_default().to_account(&user).unwrap();
    assert_eq!(
        Value::Object(account),
        json!({ "name": "eve", "mail": "eve@x.example", "status": 0 })
    );
}

#[test]
fn values_that_cannot_become_fields_are_refused() {
    let mapping = Mapping::drupal_default();
    let cases = [
        (
            json!({ "userName": "u", "active": "yes" }),
            "attribute \"active\" must be a boolean to set field \"status\"",
        ),
        (
            json!({ "userName": ["u"] }),
            "attribute \"userName\" must be a single value to set field \"name\"",
        ),
    ];
    for (user, message) in cases {
        let err = mapping.to_account(&user).unwrap_err();
        assert_eq!(err.detail(), message);
        assert_eq!(
            err.scim_type().map(scim::ScimType::as_str),
            Some("invalidValue")
        );
    }
}

#[test]
fn put_with_active_false_yields_exactly_status_0() {
    let mapping = with_names();
    let before = okta_user();
    let mut after = before.clone();
    after["active"] = json!(false);
    let changes = mapping.changes(&before, &after).unwrap();
    assert_eq!(Value::Object(changes.fields), json!({ "status": 0 }));
}

#[test]
fn miniorange_deactivation_patch_result_yields_status_0() {
    let mapping = with_names();
    let before = miniorange_user();
    let mut after = before.clone();
    after["active"] = json!(false);
    assert_eq!(
        Value::Object(mapping.changes(&before, &after).unwrap().fields),
        json!({ "status": 0 })
    );
    assert!(mapping.changes(&after, &after).unwrap().is_empty());
}

#[test]
fn put_omitting_unmapped_attributes_touches_no_field() {
    let mapping = with_names();
    let before = fixture("rfc7643-8.2-full-user.json");
    let mut after = before.clone();
    let object = after.as_object_mut().unwrap();
    for unmapped in [
        "title",
        "nickName",
        "addresses",
        "phoneNumbers",
        "x509Certificates",
        "groups",
    ] {
        object.remove(unmapped);
    }
    assert!(mapping.changes(&before, &after).unwrap().is_empty());

    let before = okta_user();
    let mut after = before.clone();
    let object = after.as_object_mut().unwrap();
    object.remove("locale");
    object.remove("groups");
    assert!(mapping.changes(&before, &after).unwrap().is_empty());
}

#[test]
fn put_omitting_mapped_attributes_clears_or_keeps_per_rule() {
    let mapping = with_names();
    let before = okta_user();
    let after = json!({ "schemas": [USER_URN], "userName": "dave@okta.example" });
    let changes = mapping.changes(&before, &after).unwrap();
    // `active` is kept when absent, and the password is never cleared.
    assert_eq!(
        Value::Object(changes.fields),
        json!({
            "mail": null,
            "scim_external_id": null,
            "field_first_name": null,
            "field_last_name": null,
            "field_display_name": null,
        })
    );
}

#[test]
fn changes_list_only_fields_whose_value_changed() {
    let mapping = with_names();
    let before = entra_user();
    let mut after = before.clone();
    after["emails"] = json!([{ "primary": true, "type": "work", "value": "carol@new.example" }]);
    after["name"]["familyName"] = json!("Rambeau");
    after[ENTERPRISE_USER_URN]["department"] = json!("Space");
    after["title"] = json!("Captain");
    let changes = mapping.changes(&before, &after).unwrap();
    assert_eq!(
        Value::Object(changes.fields),
        json!({
            "mail": "carol@new.example",
            "field_last_name": "Rambeau",
            "field_department": "Space",
        })
    );
}

#[test]
fn a_new_password_is_a_change_only_with_password_sync() {
    let before = okta_user();
    let mut after = before.clone();
    after["password"] = json!("n3w-Secret");
    assert!(Mapping::drupal_default()
        .changes(&before, &after)
        .unwrap()
        .is_empty());
    let changes = with_password_sync().changes(&before, &after).unwrap();
    assert_eq!(
        Value::Object(changes.fields),
        json!({ "pass": "n3w-Secret" })
    );
}

#[test]
fn renders_the_canonical_user_of_an_account() {
    let account = fields(json!({
        "name": "bjensen",
        "mail": "bjensen@example.com",
        "status": "1",
        "scim_external_id": "701984",
        "pass": "$2y$10$hash",
        "field_first_name": "Barbara",
        "field_last_name": "Jensen",
        "field_display_name": "",
        "field_unmapped": "ignored",
    }));
    let meta = ResourceMeta {
        created: Some("2010-01-23T04:56:22Z"),
        last_modified: Some("2011-05-13T04:42:34Z"),
        location: Some("https://example.com/scim/v2/Users/7"),
        version: Some("W/\"3\""),
    };
    let user = with_names().from_account(&account, "7", &meta);
    assert_eq!(
        user,
        json!({
            "schemas": [USER_URN],
            "id": "7",
            "externalId": "701984",
            "userName": "bjensen",
            "name": { "familyName": "Jensen", "givenName": "Barbara" },
            "active": true,
            "emails": [{ "value": "bjensen@example.com", "type": "work", "primary": true }],
            "meta": {
                "resourceType": "User",
                "created": "2010-01-23T04:56:22Z",
                "lastModified": "2011-05-13T04:42:34Z",
                "location": "https://example.com/scim/v2/Users/7",
                "version": "W/\"3\"",
            },
        })
    );
    assert_eq!(
        serde_json::to_string(&user).unwrap().find("\"schemas\""),
        Some(1)
    );
}

#[test]
fn extension_urns_are_listed_only_when_the_user_has_their_attributes() {
    let mapping = with_names();
    let meta = ResourceMeta::default();
    let bare = mapping.from_account(&fields(json!({ "name": "u" })), "1", &meta);
    assert_eq!(bare["schemas"], json!([USER_URN]));
    assert!(bare.get(ENTERPRISE_USER_URN).is_none());

    let with = mapping.from_account(
        &fields(json!({ "name": "u", "field_department": "Ops" })),
        "1",
        &meta,
    );
    assert_eq!(with["schemas"], json!([USER_URN, ENTERPRISE_USER_URN]));
    assert_eq!(with[ENTERPRISE_USER_URN], json!({ "department": "Ops" }));
}

#[test]
fn status_renders_as_active_from_any_drupal_spelling() {
    let mapping = Mapping::drupal_default();
    let meta = ResourceMeta::default();
    let cases = [
        (json!(1), Some(true)),
        (json!(0), Some(false)),
        (json!("1"), Some(true)),
        (json!("0"), Some(false)),
        (json!(true), Some(true)),
        (json!(false), Some(false)),
        (json!(null), None),
        (json!(7), None),
    ];
    for (status, expected) in cases {
        let user = mapping.from_account(
            &fields(json!({ "name": "u", "status": status })),
            "1",
            &meta,
        );
        assert_eq!(
            user.get("active").and_then(Value::as_bool),
            expected,
            "status {status}"
        );
    }
}

#[test]
fn filtered_rules_render_one_element_per_filter() {
    let rules = vec![
        Rule::new("userName", "name"),
        Rule::new("emails[type eq \"work\"].value", "mail"),
        Rule::new("emails[type eq \"home\"].value", "field_home_mail"),
        Rule::new("addresses[type eq \"work\"].locality", "field_city"),
        Rule::new("addresses[type eq \"work\"].postalCode", "field_postcode"),
    ];
    let mapping = Mapping::new(MappingConfig {
        rules,
        ..MappingConfig::default()
    })
    .unwrap();
    let account = fields(json!({
        "name": "u",
        "mail": "w@x.example",
        "field_home_mail": "h@x.example",
        "field_city": "Hollywood",
        "field_postcode": "91608",
    }));
    let user = mapping.from_account(&account, "1", &ResourceMeta::default());
    assert_eq!(
        user["emails"],
        json!([
            { "value": "w@x.example", "type": "work" },
            { "value": "h@x.example", "type": "home" },
        ])
    );
    assert_eq!(
        user["addresses"],
        json!([{ "locality": "Hollywood", "postalCode": "91608", "type": "work" }])
    );
    assert_eq!(mapping.to_account(&user).unwrap(), account);
}

#[test]
fn mapped_attributes_survive_a_round_trip() {
    let mapping = with_names();
    let users = [
        ("rfc7643-8.2", fixture("rfc7643-8.2-full-user.json")),
        ("rfc7643-8.3", fixture("rfc7643-8.3-enterprise-user.json")),
        ("miniorange", miniorange_user()),
        ("entra", entra_user()),
        ("okta", okta_user()),
    ];
    for (name, user) in users {
        let account = mapping.to_account(&user).unwrap();
        let rendered = mapping.from_account(&account, "1", &ResourceMeta::default());
        assert_eq!(mapping.to_account(&rendered).unwrap(), account, "{name}");
        assert!(
            mapping.changes(&user, &rendered).unwrap().is_empty(),
            "{name}"
        );
    }
}

#[test]
fn custom_extension_attributes_map_both_ways() {
    let urn = "urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User";
    let rules = vec![
        Rule::new("userName", "name"),
        Rule::new(&format!("{urn}:badge"), "field_badge"),
        Rule::new(&format!("{urn}:site.code"), "field_site"),
    ];
    let mapping = Mapping::new(MappingConfig {
        rules,
        ..MappingConfig::default()
    })
    .unwrap();
    let user = json!({
        "schemas": [USER_URN, urn],
        "userName": "u",
        urn: { "badge": 4711, "site": { "code": "BER" } },
    });
    let account = mapping.to_account(&user).unwrap();
    assert_eq!(
        Value::Object(account.clone()),
        json!({ "name": "u", "field_badge": 4711, "field_site": "BER" })
    );
    let rendered = mapping.from_account(&account, "1", &ResourceMeta::default());
    assert_eq!(rendered["schemas"], json!([USER_URN, urn]));
    assert_eq!(
        rendered[urn],
        json!({ "badge": 4711, "site": { "code": "BER" } })
    );
}

#[test]
fn accepts_the_paths_identity_providers_send() {
    let paths = [
        "userName",
        "externalId",
        "active",
        "displayName",
        "title",
        "name.givenName",
        "NAME.GIVENNAME",
        "emails.value",
        "emails[type eq \"work\"].value",
        "emails[primary eq true].value",
        "phoneNumbers[type eq \"mobile\"].value",
        "addresses[type eq \"work\"].streetAddress",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:customAttribute",
    ];
    for path in paths {
        let config = json!({ "rules": [{ "scim": path, "field": "field_x" }] });
        assert!(
            Mapping::from_json(&config).is_ok(),
            "{path}: {:?}",
            Mapping::from_json(&config)
        );
    }
}

#[test]
fn rejects_rules_that_cannot_map() {
    let cases = [
        ("userNmae", "field_x", "rules[0].scim: unknown attribute \"userNmae\""),
        ("name.givenNmae", "field_x", "rules[0].scim: unknown sub-attribute \"givenNmae\" of \"name\""),
        (
            "emails[tpye eq \"work\"].value",
            "field_x",
            "rules[0].scim: unknown sub-attribute \"tpye\" of \"emails\"",
        ),
        (
            "name",
            "field_x",
            "rules[0].scim: \"name\" is complex; map one of its sub-attributes, such as \"name.formatted\"",
        ),
        (
            "emails",
            "field_x",
            "rules[0].scim: \"emails\" is complex; map one of its sub-attributes, \
             such as \"emails[type eq \"work\"].value\"",
        ),
        ("userName.first", "field_x", "rules[0].scim: \"userName\" has no sub-attributes"),
        (
            "name[givenName eq \"x\"].familyName",
            "field_x",
            "rules[0].scim: \"name\" is single-valued; a value filter needs a multi-valued attribute",
        ),
        ("groups.display", "field_x", "rules[0].scim: \"groups\" become roles through role_map, not a field"),
        ("id", "field_x", "rules[0].scim: \"id\" is set by the server and cannot be mapped"),
        ("meta.created", "field_x", "rules[0].scim: \"meta\" is set by the server and cannot be mapped"),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:departement",
            "field_x",
            "rules[0].scim: unknown attribute \"departement\" in schema \
             \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
            "field_x",
            "rules[0].scim: \"manager.displayName\" is set by the server and cannot be mapped",
        ),
        (
            "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
            "field_x",
            "rules[0].scim: schema \"urn:ietf:params:scim:schemas:core:2.0:Group\" \
             is not a schema of User resources",
        ),
        (
            "emails[type eq \"work\".value",
            "field_x",
            "rules[0].scim: unexpected token \".\" at byte 21, expected \"and\", \"or\" or \"]\"",
        ),
        ("", "field_x", "rules[0].scim: unexpected end of path at byte 0, expected an attribute path"),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "field_x",
            "rules[0].scim: \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\" \
             names a schema; map one of its attributes",
        ),
        (
            "emails[value sw \"x\" and display.x pr].value",
            "field_x",
            "rules[0].scim: the value filter of \"emails\" may name only its sub-attributes, \
             not \"display.x\"",
        ),
        ("userName", "", "rules[0].field: the field name is empty"),
        (
            "userName",
            "Mail",
            "rules[0].field: \"Mail\" is not a Drupal field name \
             (lowercase letters, digits and underscores, at most 32)",
        ),
        ("userName", "uid", "rules[0].field: \"uid\" identifies the account and cannot be mapped"),
        ("userName", "roles", "rules[0].field: \"roles\" are granted through role_map, not by a rule"),
        ("userName", "pass", "rules[0].field: \"pass\" takes only the SCIM \"password\""),
    ];
    for (scim, field, message) in cases {
        let config = json!({ "rules": [{ "scim": scim, "field": field }] });
        let err = Mapping::from_json(&config).unwrap_err();
        assert_eq!(err.detail(), message, "{scim} -> {field}");
        assert_eq!(
            err.scim_type().map(scim::ScimType::as_str),
            Some("invalidValue")
        );
    }
}

#[test]
fn rejects_malformed_mappings() {
    let cases = [
        (json!([]), "a mapping must be an object, not a list"),
        (json!({}), "a mapping needs \"rules\""),
        (json!({ "rules": "userName" }), "\"rules\" must be a list, not a string"),
        (json!({ "rules": [7] }), "rules[0] must be an object, not a number"),
        (json!({ "rules": [{ "scim": "userName" }] }), "rules[0] needs \"field\""),
        (json!({ "rules": [{ "scim": 1, "field": "name" }] }), "rules[0].scim must be a string, not a number"),
        (
            json!({ "rules": [{ "scim": "userName", "feild": "name" }] }),
            "rules[0]: unknown member \"feild\"; expected \"scim\", \"field\", \"convert\", \"absent\"",
        ),
        (
            json!({ "rules": [{ "scim": "active", "field": "status", "convert": "int" }] }),
            "rules[0].convert: unknown conversion \"int\"; expected \"none\" or \"boolean_to_integer\"",
        ),
        (
            json!({ "rules": [{ "scim": "active", "field": "status", "absent": "drop" }] }),
            "rules[0].absent: unknown choice \"drop\"; expected \"clear\" or \"keep\"",
        ),
        (
            json!({ "rules": [{ "scim": "userName", "field": "name", "convert": "boolean_to_integer" }] }),
            "rules[0].convert: \"boolean_to_integer\" needs a boolean attribute; \"userName\" is not one",
        ),
        (
            json!({ "rules": [{ "scim": "password", "field": "pass" }] }),
            "rules[0].absent: \"password\" is never cleared; use \"keep\"",
        ),
        (
            json!({ "rules": [
                { "scim": "userName", "field": "name" },
                { "scim": "emails.value", "field": "mail" },
                { "scim": "emails[type eq \"work\"].value", "field": "mail" },
            ] }),
            "rules[2].field: \"mail\" is already mapped by rules[1]",
        ),
        (json!({ "rules": [], "sync_password": "yes" }), "\"sync_password\" must be a boolean, not a string"),
        (
            json!({ "rules": [], "role_map": [{ "group": "Editors", "role": "editor" }] }),
            "role_map[0].role: \"editor\" is not in allowed_roles",
        ),
        (
            json!({ "rules": [], "role_map": [{ "group": "", "role": "editor" }], "allowed_roles": ["editor"] }),
            "role_map[0].group: the group is empty",
        ),
        (
            json!({ "rules": [], "role_map": [{ "group": "All", "role": "authenticated" }] }),
            "role_map[0].role: \"authenticated\" is Drupal's to give and cannot be managed",
        ),
        (
            json!({ "rules": [], "allowed_roles": ["Site Editor"] }),
            "allowed_roles[0]: \"Site Editor\" is not a Drupal role name \
             (lowercase letters, digits and underscores, at most 32)",
        ),
        (
            json!({
                "rules": [],
                "role_map": [{ "group": "Editors", "role": "editor" }, { "group": "Editors", "role": "editor" }],
                "allowed_roles": ["editor"],
            }),
            "role_map[1] repeats role_map[0]",
        ),
        (
            json!({ "rules": [], "role_map": [{ "group": "Editors", "rol": "editor" }] }),
            "role_map[0]: unknown member \"rol\"; expected \"group\", \"role\"",
        ),
    ];
    for (config, message) in cases {
        let err = Mapping::from_json(&config).unwrap_err();
        assert_eq!(err.detail(), message, "{config}");
    }
}

#[test]
fn too_many_rules_are_refused() {
    let rules: Vec<Value> = (0..=scim::mapping::MAX_RULES)
        .map(|i| json!({ "scim": "userName", "field": format!("f{i}") }))
        .collect();
    let err = Mapping::from_json(&json!({ "rules": rules })).unwrap_err();
    assert_eq!(err.detail(), "\"rules\" has 257 entries, more than 256");
}

#[test]
fn reads_config_as_drupal_and_php_deliver_it() {
    // Drupal config adds `_core` and `langcode`; a PHP array with a removed
    // row encodes as an object; a checkbox gives 1.
    let config = json!({
        "_core": { "default_config_hash": "abc" },
        "langcode": "en",
        "rules": { "0": { "scim": "userName", "field": "name" }, "2": { "scim": "emails.value", "field": "mail" } },
        "sync_password": 1,
        "role_map": {},
        "allowed_roles": [],
    });
    let mapping = Mapping::from_json(&config).unwrap();
    assert_eq!(mapping.config().rules.len(), 2);
    assert!(mapping.config().sync_password);
}

#[test]
fn the_default_mapping_serializes_to_config_and_back() {
    let mapping = Mapping::drupal_default();
    let value = mapping.to_json();
    assert_eq!(
        value,
        json!({
            "rules": [
                { "scim": "userName", "field": "name", "convert": "none", "absent": "clear" },
                { "scim": "emails.value", "field": "mail", "convert": "none", "absent": "clear" },
                { "scim": "active", "field": "status", "convert": "boolean_to_integer", "absent": "keep" },
                { "scim": "externalId", "field": "scim_external_id", "convert": "none", "absent": "clear" },
                { "scim": "password", "field": "pass", "convert": "none", "absent": "keep" },
            ],
            "sync_password": false,
            "role_map": [],
            "allowed_roles": [],
        })
    );
    assert_eq!(Mapping::from_json(&value).unwrap(), mapping);
    let read: Mapping = serde_json::from_value(value).unwrap();
    assert_eq!(read, mapping);

    let err =
        serde_json::from_value::<Mapping>(json!({ "rules": [{ "scim": "nope", "field": "x" }] }))
            .unwrap_err();
    assert_eq!(err.to_string(), "rules[0].scim: unknown attribute \"nope\"");
}

#[test]
fn suggested_rules_compile() {
    let mut rules = Mapping::default_rules();
    rules.extend(Mapping::suggested_rules());
    assert!(Mapping::new(MappingConfig {
        rules,
        ..MappingConfig::default()
    })
    .is_ok());
}

fn role_mapping() -> Mapping {
    Mapping::from_json(&json!({
        "rules": [{ "scim": "userName", "field": "name" }],
        "role_map": [
            { "group": "Editors", "role": "editor" },
            { "group": "e9e30dba-f08f-4109-8486-d5c6a331660a", "role": "guide" },
            { "group": "Tour Guides", "role": "guide" },
            { "group": "Managers", "role": "editor" },
            { "group": "Managers", "role": "manager" },
        ],
        "allowed_roles": ["editor", "guide", "manager", "newsletter"],
    }))
    .unwrap()
}

const EDITORS: GroupRef<'static> = GroupRef {
    id: "g-1",
    display_name: "Editors",
};
const MANAGERS: GroupRef<'static> = GroupRef {
    id: "g-2",
    display_name: "managers",
};
const GUIDES: GroupRef<'static> = GroupRef {
    id: "e9e30dba-f08f-4109-8486-d5c6a331660a",
    display_name: "Guides (renamed)",
};
const OTHERS: GroupRef<'static> = GroupRef {
    id: "g-9",
    display_name: "Others",
};

#[test]
fn groups_grant_roles_by_id_or_display_name() {
    let mapping = role_mapping();
    assert_eq!(mapping.granted_roles(&[EDITORS]), ["editor"]);
    assert_eq!(mapping.granted_roles(&[MANAGERS]), ["editor", "manager"]);
    assert_eq!(
        mapping.granted_roles(&[GUIDES, EDITORS, MANAGERS]),
        ["editor", "guide", "manager"]
    );
    assert!(mapping.granted_roles(&[OTHERS]).is_empty());
}

#[test]
fn roles_follow_group_memberships() {
    let mapping = role_mapping();
    let change = |add: &[&str], remove: &[&str]| RoleChanges {
        add: add.iter().map(|s| (*s).to_owned()).collect(),
        remove: remove.iter().map(|s| (*s).to_owned()).collect(),
    };
    let cases: [(&str, &[GroupRef<'_>], &[&str], RoleChanges); 6] = [
        (
            "joins editors",
            &[EDITORS],
            &["authenticated"],
            change(&["editor"], &[]),
        ),
        (
            "already holds it",
            &[EDITORS],
            &["authenticated", "editor"],
            change(&[], &[]),
        ),
        (
            "leaves editors",
            &[],
            &["authenticated", "editor"],
            change(&[], &["editor"]),
        ),
        (
            "another group still grants it",
            &[MANAGERS],
            &["editor"],
            change(&["manager"], &[]),
        ),
        (
            "roles outside role_map are never touched",
            &[],
            &["administrator", "newsletter", "content_admin"],
            change(&[], &[]),
        ),
        (
            "unmapped groups grant nothing",
            &[OTHERS],
            &["guide"],
            change(&[], &["guide"]),
        ),
    ];
    for (name, groups, current, expected) in cases {
        assert_eq!(mapping.role_changes(groups, current), expected, "{name}");
    }
    assert!(mapping.is_allowed_role("newsletter"));
    assert!(!mapping.is_allowed_role("administrator"));
}

#[test]
fn overlaying_an_account_on_its_own_user_changes_nothing() {
    let mappings = [
        ("default", Mapping::drupal_default()),
        ("names", with_names()),
    ];
    let users = [
        ("rfc7643-8.2", fixture("rfc7643-8.2-full-user.json")),
        ("rfc7643-8.3", fixture("rfc7643-8.3-enterprise-user.json")),
        ("miniorange", miniorange_user()),
        ("entra", entra_user()),
        ("okta", okta_user()),
    ];
    for (m, mapping) in &mappings {
        for (name, user) in &users {
            let account = mapping.to_account(user).unwrap();
            assert_eq!(mapping.overlay(user, &account), *user, "{m}: {name}");
        }
    }
}

#[test]
fn drupal_side_edits_appear_in_the_overlaid_user() {
    let mapping = with_names();
    let user = fixture("rfc7643-8.2-full-user.json");
    let edited = fields(json!({
        "name": "bjensen2",
        "mail": "barbara@example.org",
        "status": 0,
        "field_first_name": "Barbara",
        "field_department": "Tour Operations",
    }));
    let out = mapping.overlay(&user, &edited);

    assert_eq!(out["userName"], "bjensen2");
    assert_eq!(out["active"], false);
    assert_eq!(out["name"]["givenName"], "Barbara");
    assert_eq!(out["name"]["familyName"], user["name"]["familyName"]);
    // The primary (work) address takes the mail; the home one stays.
    assert_eq!(out["emails"][0]["value"], "barbara@example.org");
    assert_eq!(out["emails"][0]["type"], "work");
    assert_eq!(out["emails"][1], user["emails"][1]);
    assert_eq!(out[ENTERPRISE_USER_URN]["department"], "Tour Operations");
    assert_eq!(out["schemas"], json!([USER_URN, ENTERPRISE_USER_URN]));
    // Attributes no rule maps are kept as they were.
    for key in ["addresses", "phoneNumbers", "x509Certificates", "meta"] {
        assert_eq!(out[key], user[key], "{key}");
    }
    let mut account = mapping.to_account(&user).unwrap();
    account.extend(edited);
    assert_eq!(mapping.to_account(&out).unwrap(), account);
}

#[test]
fn mail_goes_to_the_address_mail_is_read_from() {
    let mapping = Mapping::drupal_default();
    let mail = |m: &str| fields(json!({ "mail": m }));
    let cases = [
        (
            "primary",
            json!([{ "value": "a@x", "type": "home" }, { "value": "b@x", "primary": true }]),
            json!([{ "value": "a@x", "type": "home" }, { "value": "new@x", "primary": true }]),
        ),
        (
            "work",
            json!([{ "value": "a@x", "type": "home" }, { "value": "b@x", "type": "work" }]),
            json!([{ "value": "a@x", "type": "home" }, { "value": "new@x", "type": "work" }]),
        ),
        (
            "first",
            json!([{ "value": "a@x", "type": "home" }, { "value": "b@x", "type": "other" }]),
            json!([{ "value": "new@x", "type": "home" }, { "value": "b@x", "type": "other" }]),
        ),
        (
            "created",
            json!([]),
            json!([{ "value": "new@x", "type": "work", "primary": true }]),
        ),
    ];
    for (name, emails, expected) in cases {
        let user = json!({ "schemas": [USER_URN], "userName": "u", "emails": emails });
        let out = mapping.overlay(&user, &mail("new@x"));
        assert_eq!(out["emails"], expected, "{name}");
    }

    let bare = json!({ "schemas": [USER_URN], "userName": "u" });
    assert_eq!(
        mapping.overlay(&bare, &mail("new@x"))["emails"],
        json!([{ "value": "new@x", "type": "work", "primary": true }])
    );
}

#[test]
fn empty_fields_remove_what_the_rule_clears_and_leave_what_it_keeps() {
    let mapping = with_names();
    let user = entra_user();
    let emptied = fields(json!({
        "mail": null,
        "status": null,
        "scim_external_id": "",
        "field_first_name": null,
        "field_department": "",
    }));
    let out = mapping.overlay(&user, &emptied);

    assert!(out.get("emails").is_none(), "{out}");
    assert_eq!(out["active"], true, "active is kept when status is empty");
    assert!(out.get("externalId").is_none());
    assert_eq!(
        out["name"],
        json!({ "formatted": "Carol Danvers", "familyName": "Danvers" })
    );
    // The manager keeps the enterprise extension alive.
    assert_eq!(
        out[ENTERPRISE_USER_URN],
        json!({ "manager": { "value": "9a1b-manager" } })
    );
    assert_eq!(out["schemas"], json!([USER_URN, ENTERPRISE_USER_URN]));

    let account = mapping.to_account(&out).unwrap();
    for field in [
        "mail",
        "scim_external_id",
        "field_first_name",
        "field_department",
    ] {
        assert!(account.get(field).is_none(), "{field}");
    }
}

#[test]
fn an_emptied_extension_leaves_the_user_with_its_urn() {
    let mapping = with_names();
    let user = fixture("rfc7643-8.2-full-user.json");
    let with_department = mapping.overlay(&user, &fields(json!({ "field_department": "R&D" })));
    assert_eq!(
        with_department["schemas"],
        json!([USER_URN, ENTERPRISE_USER_URN])
    );
    assert_eq!(
        with_department[ENTERPRISE_USER_URN],
        json!({ "department": "R&D" })
    );

    let back = mapping.overlay(
        &with_department,
        &fields(json!({ "field_department": null })),
    );
    assert_eq!(back, user);
}

#[test]
fn status_overlays_active_from_any_drupal_spelling() {
    let mapping = Mapping::drupal_default();
    let user = miniorange_user();
    for (status, active) in [
        (json!(0), false),
        (json!("0"), false),
        (json!(1), true),
        (json!("1"), true),
        (json!(false), false),
    ] {
        let out = mapping.overlay(&user, &fields(json!({ "status": status })));
        assert_eq!(out["active"], active, "{status}");
    }
    let without = json!({ "schemas": [USER_URN], "userName": "u" });
    let out = mapping.overlay(&without, &fields(json!({ "status": 1 })));
    assert_eq!(out["active"], true);
}

#[test]
fn overlay_leaves_unlisted_fields_passwords_and_misfits_alone() {
    let mapping = with_password_sync();
    let user = okta_user();
    let out = mapping.overlay(
        &user,
        &fields(json!({ "pass": "other", "status": "maybe", "field_unmapped": "x" })),
    );
    assert_eq!(out, user);
}

#[test]
fn filtered_rules_overlay_the_matching_element_or_add_one() {
    let rules = vec![
        Rule::new("userName", "name"),
        Rule::new("emails[type eq \"home\"].value", "field_home_mail"),
    ];
    let mapping = Mapping::new(MappingConfig {
        rules,
        ..MappingConfig::default()
    })
    .unwrap();
    let user = miniorange_user();
    let home = |m: Value| fields(json!({ "field_home_mail": m }));

    let added = mapping.overlay(&user, &home(json!("a@home")));
    assert_eq!(
        added["emails"],
        json!([
            { "value": "alice@example.com", "type": "work" },
            { "value": "a@home", "type": "home" },
        ])
    );
    let changed = mapping.overlay(&added, &home(json!("b@home")));
    assert_eq!(
        changed["emails"][1],
        json!({ "value": "b@home", "type": "home" })
    );
    assert_eq!(mapping.overlay(&changed, &home(Value::Null)), user);
}
