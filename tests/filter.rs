//! Filters and PATCH paths (RFC 7644 §3.4.2.2, §3.5.2): what parses to what,
//! what is rejected with which message, what matches the RFC 7643 §8.2 user,
//! and that printing a parsed filter gives text that parses to the same tree.

// A test fails by panicking; the case tables make long functions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use scim::filter::{
    check, matches, matches_value, parse, parse_path, AttrPath, CompValue, CompareOp, Filter,
    PatchPath, MAX_DEPTH, MAX_LENGTH,
};
use scim::schema::{Registry, ENTERPRISE_USER_URN};
use scim::ScimType;
use serde_json::{json, Value};

const RFC_FILTERS: &str = include_str!("fixtures/rfc7644-3.4.2.2-filters.txt");
const FULL_USER: &str = include_str!("fixtures/rfc7643-8.2-full-user.json");

fn path(uri: Option<&str>, name: &str, sub: Option<&str>) -> AttrPath {
    AttrPath {
        uri: uri.map(Into::into),
        name: name.into(),
        sub_attr: sub.map(Into::into),
    }
}

fn attr(name: &str) -> AttrPath {
    match name.split_once('.') {
        Some((name, sub)) => path(None, name, Some(sub)),
        None => path(None, name, None),
    }
}

fn eq(name: &str, value: &str) -> Filter {
    Filter::Compare(attr(name), CompareOp::Eq, CompValue::String(value.into()))
}

fn pr(name: &str) -> Filter {
    Filter::Present(attr(name))
}

fn and(l: Filter, r: Filter) -> Filter {
    Filter::And(Box::new(l), Box::new(r))
}

fn or(l: Filter, r: Filter) -> Filter {
    Filter::Or(Box::new(l), Box::new(r))
}

fn not(f: Filter) -> Filter {
    Filter::Not(Box::new(f))
}

fn filter_error(input: &str) -> String {
    let err = parse(input).expect_err(input);
    assert_eq!(err.scim_type(), Some(ScimType::InvalidFilter), "{input}");
    err.detail().to_owned()
}

fn path_error(input: &str) -> String {
    let err = parse_path(input).expect_err(input);
    assert_eq!(err.scim_type(), Some(ScimType::InvalidPath), "{input}");
    err.detail().to_owned()
}

fn round_trips(input: &str) {
    let first = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    let printed = first.to_string();
    let second = parse(&printed).unwrap_or_else(|e| panic!("{input} printed as {printed}: {e}"));
    assert_eq!(first, second, "{input} printed as {printed}");
}

#[test]
fn every_rfc_example_filter_parses_and_round_trips() {
    let lines: Vec<&str> = RFC_FILTERS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 17);
    for line in lines {
        round_trips(line);
    }
}

#[test]
fn builds_the_expected_trees() {
    let cases: Vec<(&str, Filter)> = vec![
        ("userName eq \"bjensen\"", eq("userName", "bjensen")),
        ("USERNAME EQ \"bjensen\"", eq("USERNAME", "bjensen")),
        ("name.familyName co \"O'Malley\"", Filter::Compare(
            attr("name.familyName"),
            CompareOp::Co,
            CompValue::String("O'Malley".into()),
        )),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
            Filter::Compare(
                path(Some("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", None),
                CompareOp::Sw,
                CompValue::String("J".into()),
            ),
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915\"",
            Filter::Compare(
                path(Some(ENTERPRISE_USER_URN), "manager", Some("value")),
                CompareOp::Eq,
                CompValue::String("26118915".into()),
            ),
        ),
        ("a pr or b pr and c pr", or(pr("a"), and(pr("b"), pr("c")))),
        ("a pr and b pr or c pr", or(and(pr("a"), pr("b")), pr("c"))),
        ("a pr or b pr or c pr", or(or(pr("a"), pr("b")), pr("c"))),
        ("a pr and (b pr or c pr)", and(pr("a"), or(pr("b"), pr("c")))),
        ("NOT (a pr) AnD b pr", and(not(pr("a")), pr("b"))),
        ("not(a pr)", not(pr("a"))),
        ("not pr", pr("not")),
        ("and pr and or pr", and(pr("and"), pr("or"))),
        ("(((a pr)))", pr("a")),
        (
            "emails[type eq \"work\" and value co \"@x.org\"]",
            Filter::ValuePath(
                attr("emails"),
                Box::new(and(
                    eq("type", "work"),
                    Filter::Compare(attr("value"), CompareOp::Co, CompValue::String("@x.org".into())),
                )),
            ),
        ),
        (
            "emails[not (type eq \"work\")]",
            Filter::ValuePath(attr("emails"), Box::new(not(eq("type", "work")))),
        ),
        ("members.$ref pr", pr("members.$ref")),
        ("x eq \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", eq("x", "a\"b\\c/d\u{8}\u{c}\n\r\t")),
        ("x eq \"\\u00e9\\u00E9 \\ud83d\\ude00 é\"", eq("x", "éé 😀 é")),
        ("x eq \"\"", eq("x", "")),
        ("x\teq\n\"y\"  ", eq("x", "y")),
        ("x eq\"y\"", eq("x", "y")),
        ("x eq true", Filter::Compare(attr("x"), CompareOp::Eq, CompValue::Bool(true))),
        ("x ne FALSE", Filter::Compare(attr("x"), CompareOp::Ne, CompValue::Bool(false))),
        ("x eq Null", Filter::Compare(attr("x"), CompareOp::Eq, CompValue::Null)),
        ("x gt 42", Filter::Compare(attr("x"), CompareOp::Gt, CompValue::Number(42.into()))),
        ("x lt -7", Filter::Compare(attr("x"), CompareOp::Lt, CompValue::Number((-7).into()))),
        (
            "x le 1.5e3",
            Filter::Compare(attr("x"), CompareOp::Le, CompValue::Number(json!(1500.0).as_number().unwrap().clone())),
        ),
        (
            "x ge 18446744073709551615",
            Filter::Compare(attr("x"), CompareOp::Ge, CompValue::Number(u64::MAX.into())),
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(
            parse(input).unwrap_or_else(|e| panic!("{input}: {e}")),
            expected,
            "{input}"
        );
    }
}

#[test]
fn rejects_malformed_filters_with_exact_messages() {
    let cases = [
        ("", "unexpected end of filter at byte 0, expected an attribute path, \"(\" or \"not\""),
        ("   ", "unexpected end of filter at byte 3, expected an attribute path, \"(\" or \"not\""),
        ("userName", "unexpected end of filter at byte 8, expected a comparison operator"),
        ("userName foo \"x\"", "unexpected token \"foo\" at byte 9, expected a comparison operator"),
        ("userName eq", "unexpected end of filter at byte 11, expected a string, number, true, false or null"),
        ("userName eq bjensen", "unexpected token \"bjensen\" at byte 12, expected a string, number, true, false or null"),
        ("userName eq \"x\" \"y\"", "unexpected token \"\\\"y\\\"\" at byte 16, expected \"and\", \"or\" or the end"),
        ("userName eq \"x\" nand b pr", "unexpected token \"nand\" at byte 16, expected \"and\", \"or\" or the end"),
        ("a pr and", "unexpected end of filter at byte 8, expected an attribute path, \"(\" or \"not\""),
        ("a pr or or b pr", "unexpected token \"b\" at byte 11, expected a comparison operator"),
        ("(a pr", "unexpected end of filter at byte 5, expected \"and\", \"or\" or \")\""),
        ("a pr)", "unexpected token \")\" at byte 4, expected \"and\", \"or\" or the end"),
        ("emails[type eq \"work\"", "unexpected end of filter at byte 21, expected \"and\", \"or\" or \"]\""),
        ("emails[type eq \"work\")", "unexpected token \")\" at byte 21, expected \"and\", \"or\" or \"]\""),
        ("emails[]", "unexpected token \"]\" at byte 7, expected an attribute path, \"(\" or \"not\""),
        ("emails[type[value pr]]", "value filter at byte 11 is nested in another value filter"),
        ("emails[(type[value pr])]", "value filter at byte 12 is nested in another value filter"),
        ("name.givenName[value pr]", "unexpected token \"[\" at byte 14, expected a comparison operator"),
        ("emails[type eq \"work\"].value", "unexpected end of filter at byte 28, expected a comparison operator"),
        ("emails[type eq \"work\"].5 eq \"x\"", "unexpected token \"5\" at byte 23, expected a sub-attribute name"),
        ("emails[type eq \"work\"].value.x eq \"x\"", "invalid attribute path \"value.x\" at byte 22"),
        ("not a pr", "unexpected token \"a\" at byte 4, expected a comparison operator"),
        ("a.b.c pr", "invalid attribute path \"a.b.c\" at byte 0"),
        ("a. pr", "invalid attribute path \"a.\" at byte 0"),
        ("urn:x: pr", "invalid attribute path \"urn:x:\" at byte 0"),
        ("urn::x pr", "invalid attribute path \"urn::x\" at byte 0"),
        ("a-b:1x pr", "invalid attribute path \"a-b:1x\" at byte 0"),
        ("x eq \"abc", "unterminated string at byte 5"),
        ("x eq \"a\\qb\"", "invalid escape \"\\\\q\" at byte 7"),
        ("x eq \"a\\", "invalid escape \"\\\\\" at byte 7"),
        ("x eq \"\\u12G4\"", "invalid unicode escape \"\\\\u12\" at byte 6"),
        ("x eq \"\\ud83d\"", "invalid unicode escape \"\\\\ud83d\" at byte 6"),
        ("x eq \"\\ud83d\\u0041\"", "invalid unicode escape \"\\\\ud83d\\\\u0041\" at byte 6"),
        ("x eq \"\\ude00\"", "invalid unicode escape \"\\\\ude00\" at byte 6"),
        ("x eq \"a\nb\"", "control character in string at byte 7"),
        ("x eq 01", "invalid number \"01\" at byte 5"),
        ("x eq 1.", "invalid number \"1.\" at byte 5"),
        ("x eq -", "invalid number \"-\" at byte 5"),
        ("x eq 1e400", "invalid number \"1e400\" at byte 5"),
        ("x eq 1-2", "invalid number \"1-2\" at byte 5"),
        ("x eq 12abc", "unexpected token \"abc\" at byte 7, expected \"and\", \"or\" or the end"),
        ("x eq 'y'", "unexpected character \"'\" at byte 5"),
        ("x eq \"y\" && z pr", "unexpected character \"&\" at byte 9"),
        ("é pr", "unexpected character \"é\" at byte 0"),
        (
            "userName eq \"x\" aVeryLongTokenThatGoesOnAndOnAndOnAndOn",
            "unexpected token \"aVeryLongTokenThatGoesOnAndOnAnd...\" at byte 16, expected \"and\", \"or\" or the end",
        ),
    ];
    for (input, message) in cases {
        assert_eq!(filter_error(input), message, "{input}");
    }
}

#[test]
fn reads_a_comparison_after_a_value_filter_as_part_of_it() {
    // Entra ID's matching filter on a filtered email (a tolerance).
    let parsed = scim::filter::parse("emails[type eq \"work\"].value eq \"b@x.org\"").unwrap();
    let expected = Filter::ValuePath(
        attr("emails"),
        Box::new(and(eq("type", "work"), eq("value", "b@x.org"))),
    );
    assert_eq!(parsed, expected);
    round_trips("emails[type eq \"work\"].value eq \"b@x.org\"");
    let user = user();
    assert!(user_matches(
        "emails[type eq \"work\"].value eq \"bjensen@example.com\"",
        &user
    ));
    assert!(!user_matches(
        "emails[type eq \"home\"].value eq \"bjensen@example.com\"",
        &user
    ));
}

#[test]
fn limits_length_and_nesting() {
    let long = format!("x eq \"{}\"", "a".repeat(MAX_LENGTH));
    assert_eq!(filter_error(&long), "filter is longer than 8192 bytes");
    assert_eq!(
        path_error(&"a".repeat(MAX_LENGTH + 1)),
        "path is longer than 8192 bytes"
    );

    let at_limit = format!("{}a pr{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(parse(&at_limit).unwrap(), pr("a"));
    let too_deep = format!(
        "{}a pr{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(
        filter_error(&too_deep),
        "filter is nested deeper than 64 levels at byte 64"
    );
    let nots = "not (".repeat(MAX_DEPTH + 1);
    assert_eq!(
        filter_error(&nots),
        "filter is nested deeper than 64 levels at byte 324"
    );
    let brackets = format!("e[{}a pr", "(".repeat(MAX_DEPTH));
    assert_eq!(
        filter_error(&brackets),
        "filter is nested deeper than 64 levels at byte 65"
    );

    // Unbalanced input of the greatest length neither overflows the stack nor panics.
    assert!(parse(&"(".repeat(MAX_LENGTH)).is_err());
    assert!(parse(&"[".repeat(MAX_LENGTH)).is_err());
    let chain = "a pr or ".repeat(MAX_LENGTH / 8 - 1) + "a pr";
    round_trips(&chain);
}

#[test]
fn parses_patch_paths() {
    let cases: Vec<(&str, PatchPath)> = vec![
        (
            "active",
            PatchPath {
                uri: None,
                name: "active".into(),
                filter: None,
                sub_attr: None,
            },
        ),
        (
            "name.givenName",
            PatchPath {
                uri: None,
                name: "name".into(),
                filter: None,
                sub_attr: Some("givenName".into()),
            },
        ),
        (
            "members[value eq \"2819c223\"]",
            PatchPath {
                uri: None,
                name: "members".into(),
                filter: Some(eq("value", "2819c223")),
                sub_attr: None,
            },
        ),
        (
            "emails[type eq \"work\"].value",
            PatchPath {
                uri: None,
                name: "emails".into(),
                filter: Some(eq("type", "work")),
                sub_attr: Some("value".into()),
            },
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            PatchPath {
                uri: Some(ENTERPRISE_USER_URN.into()),
                name: "department".into(),
                filter: None,
                sub_attr: None,
            },
        ),
        (
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            PatchPath {
                uri: Some(ENTERPRISE_USER_URN.into()),
                name: "manager".into(),
                filter: None,
                sub_attr: Some("value".into()),
            },
        ),
        (
            ENTERPRISE_USER_URN,
            PatchPath {
                uri: Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0".into()),
                name: "User".into(),
                filter: None,
                sub_attr: None,
            },
        ),
    ];
    for (input, expected) in cases {
        let parsed = parse_path(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(parsed, expected, "{input}");
        assert_eq!(parsed.to_string(), input);
        assert_eq!(parse_path(&parsed.to_string()).unwrap(), parsed);
    }
}

#[test]
fn tells_a_bare_schema_urn_from_an_attribute() {
    let registry = Registry::shared();
    let is_schema = |urn: &str| registry.schema(urn).is_some();
    let bare = parse_path(ENTERPRISE_USER_URN).unwrap();
    assert_eq!(
        bare.schema_urn(is_schema).as_deref(),
        Some(ENTERPRISE_USER_URN)
    );
    let department = parse_path(&format!("{ENTERPRISE_USER_URN}:department")).unwrap();
    assert_eq!(department.schema_urn(is_schema), None);
    assert_eq!(parse_path("name").unwrap().schema_urn(is_schema), None);
}

#[test]
fn rejects_malformed_paths_with_exact_messages() {
    let cases = [
        (
            "",
            "unexpected end of path at byte 0, expected an attribute path",
        ),
        (
            "\"active\"",
            "unexpected token \"\\\"active\\\"\" at byte 0, expected an attribute path",
        ),
        (
            "active eq true",
            "unexpected token \"eq\" at byte 7, expected \"[\" or the end",
        ),
        (
            "name.givenName[value pr]",
            "unexpected token \"[\" at byte 14, expected the end",
        ),
        (
            "emails[type eq \"work\"",
            "unexpected end of path at byte 21, expected \"and\", \"or\" or \"]\"",
        ),
        (
            "emails[type eq \"work\"]value",
            "unexpected token \"value\" at byte 22, expected \".\" or the end",
        ),
        (
            "emails[type eq \"work\"].",
            "unexpected end of path at byte 23, expected a sub-attribute name",
        ),
        (
            "emails[type eq \"work\"].a.b",
            "unexpected token \"a.b\" at byte 23, expected a sub-attribute name",
        ),
        (
            "emails[type eq \"work\"].value x",
            "unexpected token \"x\" at byte 29, expected the end",
        ),
        (
            "emails[type[value pr]]",
            "value filter at byte 11 is nested in another value filter",
        ),
        ("a.b.c", "invalid attribute path \"a.b.c\" at byte 0"),
        ("x[y eq \"\\x\"]", "invalid escape \"\\\\x\" at byte 8"),
    ];
    for (input, message) in cases {
        assert_eq!(path_error(input), message, "{input}");
    }
}

#[test]
fn printing_and_parsing_again_gives_the_same_tree() {
    let cases = [
        "a pr and (b pr and c pr)",
        "(a pr or b pr) and c pr",
        "a pr or (b pr or c pr)",
        "(a pr and b pr) or c pr",
        "not (a pr or b pr) and not (not (c pr))",
        "emails[type eq \"work\" or (primary eq true and not (value ew \".org\"))] and x pr",
        "x eq \"quote \\\" backslash \\\\ slash / ctl \\u0001 \\b \\f \\n \\r \\t ☃ \\ud83d\\ude00\"",
        "x gt 1.0 and y lt -0 and z eq 1e300 and w eq -1.25E-5 and v eq 123456789012345678901234567890",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"x\"",
        "X Eq TRUE oR y nE NULL",
        "not pr and and pr",
    ];
    for input in cases {
        round_trips(input);
    }
    assert_eq!(
        parse("A EQ \"x\" AND (B PR OR NOT(C PR))")
            .unwrap()
            .to_string(),
        "A eq \"x\" and (B pr or not (C pr))"
    );
}

fn user() -> Value {
    serde_json::from_str(FULL_USER).unwrap()
}

fn user_matches(filter: &str, resource: &Value) -> bool {
    let registry = Registry::shared();
    let rt = registry.resource_type("User").unwrap();
    let filter = parse(filter).unwrap_or_else(|e| panic!("{filter}: {e}"));
    matches(&filter, resource, registry, rt)
}

#[test]
fn evaluates_filters_against_the_rfc_full_user() {
    let mut resource = user();
    resource["schemas"]
        .as_array_mut()
        .unwrap()
        .push(json!(ENTERPRISE_USER_URN));
    resource[ENTERPRISE_USER_URN] = json!({
        "employeeNumber": "701984",
        "department": "Tour Operations",
        "manager": { "value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith" },
    });
    resource["nickName"] = json!("");
    let cases = [
        // Strings: caseExact decides (userName is not case-exact, id is).
        ("userName eq \"bjensen@example.com\"", true),
        ("USERNAME EQ \"BJensen@Example.com\"", true),
        ("id eq \"2819C223-7F76-453A-919D-413861904646\"", false),
        ("id eq \"2819c223-7f76-453a-919d-413861904646\"", true),
        ("externalId sw \"70\"", true),
        ("name.familyName co \"ens\"", true),
        ("name.familyName co \"ENS\"", true),
        ("name.FAMILYNAME ew \"SEN\"", true),
        ("name.familyName sw \"en\"", false),
        ("name.formatted co \"barbara j\"", true),
        ("title gt \"Tour\"", true),
        ("title lt \"tour guide\"", false),
        ("title le \"tour guide\"", true),
        ("displayName eq \"Babs Jensen\" and title eq \"Tour Guide\"", true),
        ("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"b\"", true),
        ("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName sw \"b\"", true),
        ("urn:ietf:params:scim:schemas:core:2.0:Group:userName sw \"b\"", false),
        // Presence: not null, not "", not [], not {}.
        ("title pr", true),
        ("nickName pr", false),
        ("emails pr", true),
        ("name pr", true),
        ("entitlements pr", false),
        ("name.middleName pr", true),
        ("addresses.primary pr", true),
        ("phoneNumbers.primary pr", false),
        // Multi-valued: any value matches; complex without sub-attribute means `value`.
        ("emails co \"jensen.org\"", true),
        ("emails co \"example.org\"", false),
        ("emails.value ew \"@example.com\"", true),
        ("emails.type eq \"home\"", true),
        ("emails.type eq \"other\"", false),
        ("emails.type ne \"home\"", true),
        ("ims.type ne \"aim\"", false),
        ("emails eq \"BABS@JENSEN.ORG\"", true),
        ("groups.display eq \"Employees\"", true),
        ("groups.$ref sw \"https://example.com/v2/Groups/\"", true),
        ("emails[type eq \"work\" and value co \"@example.com\"]", true),
        ("emails[type eq \"home\" and value co \"@example.com\"]", false),
        ("emails[type eq \"home\" and not (primary eq true)]", true),
        ("emails[primary eq true]", true),
        ("emails[primary pr]", true),
        ("ims[type eq \"xmpp\"] or emails[type eq \"work\"]", true),
        ("entitlements[value pr]", false),
        ("name[givenName eq \"Barbara\"]", true),
        // Booleans: eq and ne only.
        ("active eq true", true),
        ("active eq false", false),
        ("active ne false", true),
        ("active gt false", false),
        ("active eq \"true\"", false),
        // dateTime compares as instants, not as text.
        ("meta.lastModified gt \"2011-05-13T04:42:33Z\"", true),
        ("meta.lastModified ge \"2011-05-13T04:42:34Z\"", true),
        ("meta.lastModified gt \"2011-05-13T04:42:34Z\"", false),
        ("meta.lastModified eq \"2011-05-13T06:42:34+02:00\"", true),
        ("meta.lastModified eq \"2011-05-13T04:42:34.000Z\"", true),
        ("meta.lastModified lt \"2011-05-13T05:00:00+01:00\"", false),
        ("meta.lastModified lt \"2011-05-13T04:42:34.001Z\"", true),
        ("meta.created le \"2011-05-13T04:42:34Z\"", true),
        ("meta.created gt \"not a date\"", false),
        ("meta.created sw \"2010-01\"", true),
        // Missing attributes: only `ne` and `eq null` match.
        ("preferredLanguage ne \"fr\"", true),
        ("profileUrl ne \"x\"", true),
        ("entitlements ne \"x\"", true),
        ("entitlements eq \"x\"", false),
        ("entitlements eq null", true),
        ("title eq null", false),
        ("title ne null", true),
        ("nickName eq null", true),
        ("nickName eq \"\"", true),
        ("title co null", false),
        ("name ne null", true),
        ("name eq null", false),
        ("emails eq null", false),
        ("entitlements ne null", false),
        ("name eq \"x\"", false),
        ("name ne \"x\"", true),
        // Type mismatches never compare, except as not equal.
        ("title eq 5", false),
        ("title ne 5", true),
        ("title gt 5", false),
        // The enterprise extension, under its URN.
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"tour operations\"", true),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:EMPLOYEENUMBER eq \"701984\"", true),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value sw \"26118915\"", true),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq \"26118915-6090-4610-87e4-49d8ca9f808d\"", true),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter pr", false),
        ("department eq \"Tour Operations\"", false),
        // The RFC 7644 §3.4.2.2 examples.
        ("schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"", true),
        ("userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")", true),
        ("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")", false),
        ("userType eq \"Employee\" and (emails.type eq \"work\")", true),
        ("title pr or userType eq \"Intern\"", true),
        ("not (title pr)", false),
        ("meta.resourceType eq \"User\"", true),
        // Unknown attributes match nothing.
        ("foo eq \"x\"", false),
        ("foo ne \"x\"", false),
        ("not (foo pr)", true),
        ("name.foo pr", false),
    ];
    let mut failures = Vec::new();
    for (filter, expected) in cases {
        if user_matches(filter, &resource) != expected {
            failures.push(filter);
        }
    }
    assert!(failures.is_empty(), "wrong outcome for: {failures:#?}");
}

#[test]
fn compares_numbers_as_numbers() {
    let mut registry = Registry::standard();
    let user_schema = registry
        .schemas
        .iter_mut()
        .find(|s| s.name == "User")
        .unwrap();
    user_schema.attributes.push(scim::schema::Attribute::new(
        "level",
        scim::schema::AttrType::Integer,
        "A test number",
    ));
    let rt = registry.resource_type("User").unwrap().clone();
    let cases = [
        ("level eq 10", true),
        ("level eq 10.0", true),
        ("level gt 9", true),
        ("level gt 9.5", true),
        ("level lt 10", false),
        ("level ge 10", true),
        ("level ne 11", true),
        ("level eq \"10\"", false),
        ("level co 1", false),
        ("level gt -18446744073709551615", true),
    ];
    let resource = json!({ "userName": "x", "level": 10 });
    for (filter, expected) in cases {
        let parsed = parse(filter).unwrap();
        assert_eq!(
            matches(&parsed, &resource, &registry, &rt),
            expected,
            "{filter}"
        );
    }
}

#[test]
fn matches_one_value_of_a_multi_valued_attribute() {
    let registry = Registry::shared();
    let rt = registry.resource_type("Group").unwrap();
    let members = registry.resolve(rt, None, "members").unwrap().attribute;
    let member = json!({ "value": "2819c223", "display": "Babs", "type": "User" });
    let cases = [
        ("value eq \"2819c223\"", true),
        ("VALUE eq \"2819c223\"", true),
        ("value eq \"other\"", false),
        ("type eq \"user\" and display sw \"b\"", true),
        ("$ref pr", false),
        ("not (display pr)", false),
        ("foo pr", false),
    ];
    for (filter, expected) in cases {
        let parsed = parse(filter).unwrap();
        assert_eq!(
            matches_value(&parsed, &member, members),
            expected,
            "{filter}"
        );
    }

    let user = registry.resource_type("User").unwrap();
    let emails = registry.resolve(user, None, "emails").unwrap().attribute;
    let email = json!({ "value": "babs@jensen.org", "type": "home" });
    assert!(matches_value(
        &parse("type eq \"HOME\"").unwrap(),
        &email,
        emails
    ));
    assert!(!matches_value(
        &parse("primary eq true").unwrap(),
        &email,
        emails
    ));
    assert!(matches_value(
        &parse("primary ne true").unwrap(),
        &email,
        emails
    ));
}

#[test]
fn checks_that_filters_name_known_attributes() {
    let registry = Registry::shared();
    let user = registry.resource_type("User").unwrap();
    let group = registry.resource_type("Group").unwrap();
    for line in RFC_FILTERS.lines().filter(|l| !l.trim().is_empty()) {
        check(&parse(line).unwrap(), registry, user).unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    let accepted = [
        (
            user,
            "meta.lastModified gt \"2011-05-13T04:42:34Z\" and id pr and externalId eq \"x\"",
        ),
        (
            user,
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"x\"",
        ),
        (user, "emails[type eq \"work\"] and groups.$ref pr"),
        (group, "members[value eq \"x\"] and displayName eq \"g\""),
    ];
    for (rt, filter) in accepted {
        check(&parse(filter).unwrap(), registry, rt).unwrap_or_else(|e| panic!("{filter}: {e}"));
    }
    let rejected = [
        (user, "foo eq \"x\"", "unknown attribute \"foo\" in filter"),
        (
            user,
            "title pr and not (name.foo pr)",
            "unknown attribute \"name.foo\" in filter",
        ),
        (
            user,
            "title.foo pr",
            "unknown attribute \"title.foo\" in filter",
        ),
        (
            user,
            "department eq \"x\"",
            "unknown attribute \"department\" in filter",
        ),
        (
            user,
            "urn:ietf:params:scim:schemas:core:2.0:Group:members pr",
            "unknown attribute \"urn:ietf:params:scim:schemas:core:2.0:Group:members\" in filter",
        ),
        (
            user,
            "emails[foo eq \"x\"]",
            "unknown attribute \"emails.foo\" in filter",
        ),
        (
            group,
            "userName eq \"x\"",
            "unknown attribute \"userName\" in filter",
        ),
        (
            user,
            "active gt true",
            "operator \"gt\" does not apply to boolean attribute \"active\"",
        ),
        (
            user,
            "emails[primary le true]",
            "operator \"le\" does not apply to boolean attribute \"emails.primary\"",
        ),
        (
            user,
            "x509Certificates.value lt \"x\"",
            "operator \"lt\" does not apply to binary attribute \"x509Certificates.value\"",
        ),
    ];
    for (rt, filter, message) in rejected {
        let err = check(&parse(filter).unwrap(), registry, rt).expect_err(filter);
        assert_eq!(err.scim_type(), Some(ScimType::InvalidFilter), "{filter}");
        assert_eq!(err.detail(), message, "{filter}");
    }
}
