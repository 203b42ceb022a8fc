//! Lists and searches (RFC 7644 §3.4.2, §3.4.3): projection, paging,
//! sorting, search requests and the `ListResponse` they produce.

// Helpers outside #[test] functions unwrap too; case tables are tuples.
#![allow(clippy::unwrap_used, clippy::type_complexity)]

use scim::list::{
    paging, ListResponse, Paging, Projection, Query, SearchRequest, Sort, SortOrder,
    DEFAULT_MAX_PAGE_SIZE,
};
use scim::schema::{Registry, ResourceType, Returned, ENTERPRISE_USER_URN, GROUP_URN, USER_URN};
use scim::{ScimError, ScimType};
use serde_json::{json, Value};
use std::cmp::Ordering;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn user_type() -> &'static ResourceType {
    Registry::shared().resource_type("User").unwrap()
}

fn group_type() -> &'static ResourceType {
    Registry::shared().resource_type("Group").unwrap()
}

fn non_empty(list: &str) -> Option<&str> {
    (!list.is_empty()).then_some(list)
}

fn project(resource: &Value, rt: &ResourceType, attributes: &str, excluded: &str) -> Value {
    let reg = Registry::shared();
    Projection::parse(non_empty(attributes), non_empty(excluded), reg, rt)
        .unwrap()
        .apply(resource, reg, rt)
}

fn invalid_value(detail: &str) -> ScimError {
    ScimError::keyword(ScimType::InvalidValue, detail)
}

fn invalid_syntax(detail: &str) -> ScimError {
    ScimError::keyword(ScimType::InvalidSyntax, detail)
}

/// Where out-of-range integers land: `i64::MAX`.
fn saturated() -> usize {
    usize::try_from(i64::MAX).unwrap()
}

// --- Projection (RFC 7644 §3.4.2.5, RFC 7643 §7 `returned`) ---

#[test]
fn default_projection_drops_only_the_password() {
    let user = fixture("rfc7643-8.2-full-user.json");
    let mut expected = user.clone();
    expected.as_object_mut().unwrap().shift_remove("password");
    assert_eq!(project(&user, user_type(), "", ""), expected);
}

#[test]
fn attributes_select_what_is_returned() {
    let user = fixture("rfc7643-8.2-full-user.json");
    let id = "2819c223-7f76-453a-919d-413861904646";
    let cases: &[(&str, Value)] = &[
        (
            "userName",
            json!({"schemas": [USER_URN], "id": id, "userName": "bjensen@example.com"}),
        ),
        (
            "USERNAME",
            json!({"schemas": [USER_URN], "id": id, "userName": "bjensen@example.com"}),
        ),
        (
            "urn:ietf:params:scim:schemas:core:2.0:User:userName",
            json!({"schemas": [USER_URN], "id": id, "userName": "bjensen@example.com"}),
        ),
        (
            "name.givenName, Name.FamilyName",
            json!({"schemas": [USER_URN], "id": id,
                   "name": {"familyName": "Jensen", "givenName": "Barbara"}}),
        ),
        (
            "emails.value",
            json!({"schemas": [USER_URN], "id": id,
                   "emails": [{"value": "bjensen@example.com"}, {"value": "babs@jensen.org"}]}),
        ),
        (
            "emails,emails.value",
            json!({"schemas": [USER_URN], "id": id, "emails": user["emails"]}),
        ),
        (
            "meta.location",
            json!({"schemas": [USER_URN], "id": id,
                   "meta": {"location": user["meta"]["location"]}}),
        ),
        ("id", json!({"schemas": [USER_URN], "id": id})),
        ("password", json!({"schemas": [USER_URN], "id": id})),
        (
            "nosuch,name.nosuch,members",
            json!({"schemas": [USER_URN], "id": id}),
        ),
        (
            "active,,displayName",
            json!({"schemas": [USER_URN], "id": id, "displayName": "Babs Jensen", "active": true}),
        ),
    ];
    for (attributes, expected) in cases {
        assert_eq!(
            &project(&user, user_type(), attributes, ""),
            expected,
            "attributes={attributes}"
        );
    }
}

#[test]
fn excluded_attributes_remove_default_ones_only() {
    let user = fixture("rfc7643-8.2-full-user.json");
    let cases: &[(&str, &[&str], Option<(&str, Value)>)] = &[
        ("emails", &["emails", "password"], None),
        (
            "EMAILS,phoneNumbers",
            &["emails", "phoneNumbers", "password"],
            None,
        ),
        ("id", &["password"], None),
        ("members,nosuch", &["password"], None),
        (
            "name.middleName,name.honorificSuffix",
            &["password"],
            Some((
                "name",
                json!({"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen",
                       "givenName": "Barbara", "honorificPrefix": "Ms."}),
            )),
        ),
        (
            "emails.type,emails.primary",
            &["password"],
            Some((
                "emails",
                json!([{"value": "bjensen@example.com"}, {"value": "babs@jensen.org"}]),
            )),
        ),
    ];
    for (excluded, removed, changed) in cases {
        let mut expected = user.clone();
        let object = expected.as_object_mut().unwrap();
        for key in *removed {
            object.shift_remove(*key);
        }
        if let Some((key, value)) = changed {
            object.insert((*key).to_owned(), value.clone());
        }
        assert_eq!(
            project(&user, user_type(), "", excluded),
            expected,
            "excluded={excluded}"
        );
    }
}

#[test]
fn attributes_win_over_excluded_attributes() {
    let user = fixture("rfc7643-8.2-full-user.json");
    assert_eq!(
        project(&user, user_type(), "userName", "userName"),
        json!({"schemas": [USER_URN], "id": user["id"], "userName": "bjensen@example.com"})
    );
}

#[test]
fn extension_attributes_project_and_schemas_follow() {
    let user = fixture("rfc7643-8.3-enterprise-user.json");
    let id = user["id"].clone();
    let both = json!([USER_URN, ENTERPRISE_USER_URN]);
    let ext = &user[ENTERPRISE_USER_URN];

    assert_eq!(
        project(&user, user_type(), "userName", ""),
        json!({"schemas": [USER_URN], "id": id, "userName": "bjensen@example.com"})
    );
    assert_eq!(
        project(
            &user,
            user_type(),
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:DEPARTMENT",
            ""
        ),
        json!({"schemas": both, "id": id, ENTERPRISE_USER_URN: {"department": "Tour Operations"}})
    );
    assert_eq!(
        project(
            &user,
            user_type(),
            &format!("{ENTERPRISE_USER_URN}:manager.displayName"),
            ""
        ),
        json!({"schemas": both, "id": id, ENTERPRISE_USER_URN: {"manager": {"displayName": "John Smith"}}})
    );
    assert_eq!(
        project(&user, user_type(), ENTERPRISE_USER_URN, ""),
        json!({"schemas": both, "id": id, ENTERPRISE_USER_URN: ext})
    );
    // `department` alone is not a core attribute.
    assert_eq!(
        project(&user, user_type(), "department", ""),
        json!({"schemas": [USER_URN], "id": id})
    );

    let without = project(&user, user_type(), "", ENTERPRISE_USER_URN);
    assert_eq!(without["schemas"], json!([USER_URN]));
    assert!(without.get(ENTERPRISE_USER_URN).is_none());
    assert_eq!(without["userName"], "bjensen@example.com");

    let without_manager = project(
        &user,
        user_type(),
        "",
        &format!("{ENTERPRISE_USER_URN}:manager"),
    );
    assert_eq!(without_manager["schemas"], both);
    assert!(without_manager[ENTERPRISE_USER_URN]
        .get("manager")
        .is_none());
    assert_eq!(
        without_manager[ENTERPRISE_USER_URN]["department"],
        "Tour Operations"
    );
}

#[test]
fn groups_read_without_members_as_entra_id_asks() {
    let group = fixture("rfc7643-8.4-group.json");
    let mut expected = group.clone();
    expected.as_object_mut().unwrap().shift_remove("members");
    assert_eq!(project(&group, group_type(), "", "members"), expected);
    assert_eq!(
        project(&group, group_type(), "displayName", ""),
        json!({"schemas": [GROUP_URN], "id": group["id"], "displayName": "Tour Guides"})
    );
    assert_eq!(
        project(&group, group_type(), "members.value", "")["members"],
        json!([{"value": "2819c223-7f76-453a-919d-413861904646"},
               {"value": "902c246b-6245-4190-8e05-00816be7344a"}])
    );
}

#[test]
fn request_attributes_appear_only_when_asked_for() {
    let mut reg = Registry::standard();
    let user_schema = reg.schemas.iter_mut().find(|s| s.id == USER_URN).unwrap();
    let nick = user_schema
        .attributes
        .iter_mut()
        .find(|a| a.name == "nickName")
        .unwrap();
    nick.returned = Returned::Request;
    let name = user_schema
        .attributes
        .iter_mut()
        .find(|a| a.name == "name")
        .unwrap();
    name.sub_attributes
        .iter_mut()
        .find(|a| a.name == "middleName")
        .unwrap()
        .returned = Returned::Request;
    let rt = reg.resource_type("User").unwrap().clone();
    let user = fixture("rfc7643-8.2-full-user.json");
    let run = |attributes: Option<&str>, excluded: Option<&str>| {
        Projection::parse(attributes, excluded, &reg, &rt)
            .unwrap()
            .apply(&user, &reg, &rt)
    };

    let default = run(None, None);
    assert!(default.get("nickName").is_none());
    assert!(default["name"].get("middleName").is_none());
    assert_eq!(default["name"]["givenName"], "Barbara");

    let excluded = run(None, Some("emails"));
    assert!(excluded.get("nickName").is_none());

    let asked = run(Some("nickName,name"), None);
    assert_eq!(asked["nickName"], "Babs");
    assert!(asked["name"].get("middleName").is_none());

    let asked_sub = run(Some("name.middleName"), None);
    assert_eq!(asked_sub["name"], json!({"middleName": "Jane"}));
}

#[test]
fn projection_limits_the_number_of_names() {
    let reg = Registry::shared();
    let names = vec!["userName"; 257].join(",");
    assert_eq!(
        Projection::parse(Some(&names), None, reg, user_type()),
        Err(invalid_value("attributes lists more than 256 names"))
    );
    assert_eq!(
        Projection::parse(None, Some(&names), reg, user_type()),
        Err(invalid_value(
            "excludedAttributes lists more than 256 names"
        ))
    );
    let empty = Projection::parse(Some(" , "), Some(""), reg, user_type()).unwrap();
    assert!(empty.is_default());
}

#[test]
fn projection_leaves_non_objects_alone() {
    let reg = Registry::shared();
    let projection = Projection::parse(Some("userName"), None, reg, user_type()).unwrap();
    for value in [json!(null), json!([1, 2]), json!("x")] {
        assert_eq!(projection.apply(&value, reg, user_type()), value);
    }
    let odd = json!({"id": "1", "name": "not an object", "emails": ["x", {"value": "a"}]});
    let projection = Projection::parse(None, Some("emails.value"), reg, user_type()).unwrap();
    assert_eq!(
        projection.apply(&odd, reg, user_type()),
        json!({"id": "1", "name": "not an object", "emails": ["x"]})
    );
}

// --- Paging (RFC 7644 §3.4.2.4) ---

#[test]
fn paging_parameters_parse_and_clamp() {
    let max = DEFAULT_MAX_PAGE_SIZE;
    let cases: &[(Option<&str>, Option<&str>, Result<(usize, usize), &str>)] = &[
        (None, None, Ok((1, max))),
        (Some(""), Some(" "), Ok((1, max))),
        (Some("1"), Some("100"), Ok((1, 100))),
        (Some(" 7 "), Some("0"), Ok((7, 0))),
        (Some("0"), Some("10"), Ok((1, 10))),
        (Some("-5"), Some("-1"), Ok((1, 0))),
        (Some("3"), Some("500"), Ok((3, max))),
        (
            Some("99999999999999999999"),
            Some("99999999999999999999"),
            Ok((saturated(), max)),
        ),
        (
            Some("-99999999999999999999"),
            Some("-99999999999999999999"),
            Ok((1, 0)),
        ),
        (
            Some("abc"),
            None,
            Err("startIndex must be an integer, not \"abc\""),
        ),
        (
            Some("1.0"),
            None,
            Err("startIndex must be an integer, not \"1.0\""),
        ),
        (
            None,
            Some("1.5"),
            Err("count must be an integer, not \"1.5\""),
        ),
        (
            None,
            Some("ten"),
            Err("count must be an integer, not \"ten\""),
        ),
    ];
    for (start, count, expected) in cases {
        let got = Paging::parse(*start, *count, max);
        let expected = expected
            .map(|(start_index, count)| Paging { start_index, count })
            .map_err(invalid_value);
        assert_eq!(got, expected, "startIndex={start:?} count={count:?}");
    }
}

#[test]
fn paging_windows_stay_inside_the_result_set() {
    let cases: &[(usize, usize, usize, std::ops::Range<usize>)] = &[
        (1, 10, 5, 0..5),
        (2, 2, 5, 1..3),
        (4, 10, 5, 3..5),
        (6, 10, 5, 5..5),
        (100, 10, 5, 5..5),
        (1, 0, 5, 0..0),
        (usize::MAX, usize::MAX, 5, 5..5),
        (1, usize::MAX, 5, 0..5),
    ];
    for (start_index, count, total, expected) in cases {
        let paging = Paging {
            start_index: *start_index,
            count: *count,
        };
        assert_eq!(paging.window(*total), *expected, "{paging:?} of {total}");
    }
}

#[test]
fn list_responses_carry_integers_and_an_empty_resources_array() {
    assert_eq!(
        ListResponse::new(0, 1, Vec::new()).to_json(),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 0,
            "itemsPerPage": 0,
            "startIndex": 1,
            "Resources": [],
        })
    );
    let text =
        serde_json::to_string(&ListResponse::new(12, 11, vec![json!({"id": "a"})]).to_json())
            .unwrap();
    assert_eq!(
        text,
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\
         \"totalResults\":12,\"itemsPerPage\":1,\"startIndex\":11,\"Resources\":[{\"id\":\"a\"}]}"
    );
}

// --- Sorting (RFC 7644 §3.4.2.3) ---

fn ids(resources: &[Value]) -> Vec<&str> {
    resources
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

fn sorted(resources: &[Value], sort_by: &str, order: SortOrder) -> Vec<String> {
    let sort = Sort::new(sort_by, order, Registry::shared(), user_type()).unwrap();
    let mut resources = resources.to_vec();
    sort.apply(&mut resources);
    ids(&resources).into_iter().map(str::to_owned).collect()
}

fn users() -> Vec<Value> {
    vec![
        json!({"id": "1", "userName": "bob", "externalId": "b",
               "name": {"givenName": "Zed"},
               "emails": [{"value": "z@example.com"}, {"value": "a@example.com", "primary": true}],
               "meta": {"lastModified": "2011-05-13T04:42:34Z"}}),
        json!({"id": "2", "userName": "Alice", "externalId": "B",
               "emails": [{"value": "m@example.com"}],
               "meta": {"lastModified": "2011-05-13T06:00:00+02:00"},
               ENTERPRISE_USER_URN: {"department": "Sales"}}),
        json!({"id": "3", "userName": "carol", "externalId": "a",
               "name": {"givenName": "amy"},
               "meta": {"lastModified": "2011-05-13T04:42:34.5Z"},
               ENTERPRISE_USER_URN: {"department": "engineering"}}),
        json!({"id": "0", "userName": "BOB", "name": {"givenName": null},
               "meta": {"lastModified": "not a date"}}),
    ]
}

#[test]
fn sorting_follows_type_case_and_order() {
    use SortOrder::{Ascending, Descending};
    let users = users();
    let cases: &[(&str, SortOrder, &[&str])] = &[
        ("userName", Ascending, &["2", "0", "1", "3"]),
        ("USERNAME", Descending, &["3", "0", "1", "2"]),
        ("externalId", Ascending, &["2", "3", "1", "0"]),
        ("externalId", Descending, &["0", "1", "3", "2"]),
        ("name.givenName", Ascending, &["3", "1", "0", "2"]),
        ("name.givenName", Descending, &["0", "2", "1", "3"]),
        ("emails", Ascending, &["1", "2", "0", "3"]),
        ("emails.value", Descending, &["0", "3", "2", "1"]),
        (
            &format!("{ENTERPRISE_USER_URN}:department"),
            Ascending,
            &["3", "2", "0", "1"],
        ),
        ("meta.lastModified", Ascending, &["2", "1", "3", "0"]),
        ("id", Descending, &["3", "2", "1", "0"]),
    ];
    for (sort_by, order, expected) in cases {
        assert_eq!(
            sorted(&users, sort_by, *order),
            *expected,
            "sortBy={sort_by} {order:?}"
        );
    }
}

#[test]
fn sort_by_must_name_a_sortable_attribute() {
    let reg = Registry::shared();
    let cases: &[(&str, &str)] = &[
        ("nosuch", "sortBy \"nosuch\" names no attribute of User"),
        (
            "name.nosuch",
            "sortBy \"name.nosuch\" names no attribute of User",
        ),
        (
            ENTERPRISE_USER_URN,
            &format!("sortBy \"{ENTERPRISE_USER_URN}\" names no attribute of User"),
        ),
        (
            "name",
            "sortBy \"name\" names a complex attribute; name one of its sub-attributes, \
             such as \"name.formatted\"",
        ),
        (
            "meta",
            "sortBy \"meta\" names a complex attribute; name one of its sub-attributes, \
             such as \"meta.resourceType\"",
        ),
    ];
    for (sort_by, detail) in cases {
        assert_eq!(
            Sort::new(sort_by, SortOrder::Ascending, reg, user_type()),
            Err(invalid_value(detail)),
            "sortBy={sort_by}"
        );
    }
}

#[test]
fn sort_order_parses_without_regard_to_case() {
    let cases: &[(Option<&str>, Result<SortOrder, &str>)] = &[
        (None, Ok(SortOrder::Ascending)),
        (Some(""), Ok(SortOrder::Ascending)),
        (Some("ascending"), Ok(SortOrder::Ascending)),
        (Some("Descending"), Ok(SortOrder::Descending)),
        (Some("DESCENDING"), Ok(SortOrder::Descending)),
        (
            Some("desc"),
            Err("sortOrder must be \"ascending\" or \"descending\", not \"desc\""),
        ),
    ];
    for (raw, expected) in cases {
        assert_eq!(
            SortOrder::parse(*raw),
            expected.map_err(invalid_value),
            "{raw:?}"
        );
    }
}

#[test]
fn values_compare_by_attribute_type() {
    use scim::schema::AttrType::{Boolean, DateTime, Decimal, Integer, String as Str};
    let cases: &[(Value, Value, scim::schema::AttrType, bool, Ordering)] = &[
        (json!("abc"), json!("ABD"), Str, false, Ordering::Less),
        (json!("abc"), json!("ABC"), Str, false, Ordering::Equal),
        (json!("abc"), json!("ABC"), Str, true, Ordering::Greater),
        (json!("Émile"), json!("émile"), Str, false, Ordering::Equal),
        (json!(9), json!(10), Integer, false, Ordering::Less),
        (json!(-1), json!(1.5), Decimal, false, Ordering::Less),
        (json!(2.5), json!(2.25), Decimal, false, Ordering::Greater),
        (json!(false), json!(true), Boolean, false, Ordering::Less),
        (
            json!("2011-05-13T04:42:34Z"),
            json!("2011-05-13T06:42:34+02:00"),
            DateTime,
            false,
            Ordering::Equal,
        ),
        (
            json!("2011-05-13T04:42:34Z"),
            json!("2011-05-13T04:42:34.001Z"),
            DateTime,
            false,
            Ordering::Less,
        ),
        (
            json!("2011-05-13T04:42:34-01:00"),
            json!("2011-05-13T05:00:00Z"),
            DateTime,
            false,
            Ordering::Greater,
        ),
        (
            json!("junk"),
            json!("2011-05-13T04:42:34Z"),
            DateTime,
            false,
            Ordering::Greater,
        ),
        (json!(true), json!(1), Str, false, Ordering::Less),
        (json!(1), json!("1"), Str, false, Ordering::Less),
    ];
    for (a, b, attr_type, case_exact, expected) in cases {
        assert_eq!(
            scim::compare::order(a, b, *attr_type, *case_exact),
            *expected,
            "{a} vs {b} as {attr_type:?}"
        );
    }
}

#[test]
fn date_times_parse_to_instants() {
    let cases: &[(&str, Option<(i64, u32)>)] = &[
        ("1970-01-01T00:00:00Z", Some((0, 0))),
        ("1970-01-01T00:00:00", Some((0, 0))),
        ("2008-01-23T04:56:22Z", Some((1_201_064_182, 0))),
        ("2008-01-23t04:56:22z", Some((1_201_064_182, 0))),
        ("2008-01-23T05:56:22+01:00", Some((1_201_064_182, 0))),
        ("2000-02-29T12:00:00.25Z", Some((951_825_600, 250_000_000))),
        ("1969-12-31T23:59:59.123456789123Z", Some((-1, 123_456_789))),
        ("2001-02-29T00:00:00Z", None),
        ("2008-13-01T00:00:00Z", None),
        ("2008-01-23T04:56Z", None),
        ("2008-01-23 04:56:22Z", None),
        ("2008-01-23T04:56:22.Z", None),
        ("2008-01-23T04:56:22+0100", None),
        ("2008-01-23T04:56:22+15:00", None),
        ("08-01-23T04:56:22Z", None),
        ("9999999999-01-23T04:56:22Z", None),
        ("", None),
        ("é", None),
    ];
    for (text, expected) in cases {
        assert_eq!(scim::datetime::parse(text), *expected, "{text}");
    }
}

// --- Search requests (RFC 7644 §3.4.2, §3.4.3) ---

#[test]
fn the_rfc_search_request_reads() {
    let request = SearchRequest::from_json(&fixture("rfc7644-3.4.3-search-request.json")).unwrap();
    assert_eq!(
        request,
        SearchRequest {
            attributes: vec!["displayName".into(), "userName".into()],
            excluded_attributes: Vec::new(),
            filter: Some("displayName sw \"smith\"".into()),
            sort_by: None,
            sort_order: SortOrder::Ascending,
            start_index: 1,
            count: Some(10),
        }
    );
}

#[test]
fn search_request_bodies_are_checked() {
    let ok: &[(Value, SearchRequest)] = &[
        (
            json!({}),
            SearchRequest {
                start_index: 1,
                ..SearchRequest::default()
            },
        ),
        (
            json!({"SortBy": "userName", "sortorder": "Descending", "STARTINDEX": -4, "count": -1,
                   "excludedAttributes": ["members", " "], "filter": "  ", "other": 1}),
            SearchRequest {
                excluded_attributes: vec!["members".into()],
                sort_by: Some("userName".into()),
                sort_order: SortOrder::Descending,
                start_index: 1,
                count: Some(0),
                ..SearchRequest::default()
            },
        ),
        (
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:searchrequest"],
                   "filter": null, "count": 18_446_744_073_709_551_615_u64}),
            SearchRequest {
                start_index: 1,
                count: Some(saturated()),
                ..SearchRequest::default()
            },
        ),
    ];
    for (body, expected) in ok {
        assert_eq!(
            SearchRequest::from_json(body).as_ref(),
            Ok(expected),
            "{body}"
        );
    }

    let rejected: &[(Value, ScimError)] = &[
        (
            json!([]),
            invalid_syntax("search request must be a JSON object"),
        ),
        (
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]}),
            invalid_syntax(
                "search request schemas must be \
                 [\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"], \
                 not [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"]",
            ),
        ),
        (
            json!({"schemas": "urn:ietf:params:scim:api:messages:2.0:SearchRequest"}),
            invalid_syntax(
                "search request schemas must be \
                 [\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"], \
                 not \"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"",
            ),
        ),
        (
            json!({"count": "10"}),
            invalid_value("count must be an integer, not \"10\""),
        ),
        (
            json!({"startIndex": 1.5}),
            invalid_value("startIndex must be an integer, not 1.5"),
        ),
        (
            json!({"attributes": "userName"}),
            invalid_value("attributes must be an array of strings, not \"userName\""),
        ),
        (
            json!({"excludedAttributes": ["members", 1]}),
            invalid_value("excludedAttributes must be an array of strings, not [\"members\",1]"),
        ),
        (
            json!({"filter": 1}),
            invalid_value("filter must be a string, not 1"),
        ),
        (
            json!({"sortOrder": "up"}),
            invalid_value("sortOrder must be \"ascending\" or \"descending\", not \"up\""),
        ),
    ];
    for (body, expected) in rejected {
        assert_eq!(
            SearchRequest::from_json(body).as_ref(),
            Err(expected),
            "{body}"
        );
    }
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn query_strings_read_as_clients_send_them() {
    // Okta, before a create.
    let okta = pairs(&[
        ("filter", "userName eq \"bjensen\""),
        ("startIndex", "1"),
        ("count", "100"),
    ]);
    assert_eq!(
        SearchRequest::from_query(&okta),
        Ok(SearchRequest {
            filter: Some("userName eq \"bjensen\"".into()),
            start_index: 1,
            count: Some(100),
            ..SearchRequest::default()
        })
    );

    // Entra ID, reading a group.
    let entra = pairs(&[("excludedAttributes", "members")]);
    assert_eq!(
        SearchRequest::from_query(&entra)
            .unwrap()
            .excluded_attributes,
        vec!["members".to_owned()]
    );

    let mixed = pairs(&[
        ("attributes", "userName, name.givenName"),
        ("ATTRIBUTES", "emails,"),
        ("sortby", "userName"),
        ("sortOrder", "descending"),
        ("filter", ""),
        ("startIndex", "0"),
        ("utm_source", "x"),
    ]);
    assert_eq!(
        SearchRequest::from_query(&mixed),
        Ok(SearchRequest {
            attributes: vec!["userName".into(), "name.givenName".into(), "emails".into()],
            sort_by: Some("userName".into()),
            sort_order: SortOrder::Descending,
            start_index: 1,
            ..SearchRequest::default()
        })
    );

    let rejected: &[(&[(&str, &str)], &str)] = &[
        (
            &[("filter", "a pr"), ("Filter", "b pr")],
            "query parameter \"filter\" is given more than once",
        ),
        (
            &[("count", "1"), ("count", "")],
            "query parameter \"count\" is given more than once",
        ),
        (
            &[("count", "lots")],
            "count must be an integer, not \"lots\"",
        ),
        (
            &[("startIndex", "1e3")],
            "startIndex must be an integer, not \"1e3\"",
        ),
        (
            &[("sortOrder", "asc")],
            "sortOrder must be \"ascending\" or \"descending\", not \"asc\"",
        ),
    ];
    for (given, detail) in rejected {
        assert_eq!(
            SearchRequest::from_query(&pairs(given)),
            Err(invalid_value(detail)),
            "{given:?}"
        );
    }
}

// --- The whole list: sort, page, project, render ---

#[test]
fn queries_sort_page_and_project() {
    let reg = Registry::shared();
    let request = SearchRequest::from_query(&pairs(&[
        ("attributes", "userName"),
        ("sortBy", "userName"),
        ("startIndex", "2"),
        ("count", "2"),
    ]))
    .unwrap();
    let plan = Query::from_request(&request, reg, user_type(), DEFAULT_MAX_PAGE_SIZE).unwrap();
    assert_eq!(
        plan.respond(users(), reg, user_type()),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 4,
            "itemsPerPage": 2,
            "startIndex": 2,
            "Resources": [
                {"id": "0", "userName": "BOB"},
                {"id": "1", "userName": "bob"},
            ],
        })
    );

    let count_only = SearchRequest {
        start_index: 1,
        count: Some(0),
        ..SearchRequest::default()
    };
    let plan = Query::from_request(&count_only, reg, user_type(), 50).unwrap();
    assert_eq!(
        plan.respond(users(), reg, user_type())["Resources"],
        json!([])
    );
    assert_eq!(plan.respond(users(), reg, user_type())["totalResults"], 4);

    let nobody = SearchRequest::from_query(&query_pairs_for_entra()).unwrap();
    let plan = Query::from_request(&nobody, reg, user_type(), 50).unwrap();
    assert_eq!(
        plan.respond(Vec::new(), reg, user_type()),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 0,
            "itemsPerPage": 0,
            "startIndex": 1,
            "Resources": [],
        })
    );

    let bad_sort = SearchRequest {
        sort_by: Some("name".into()),
        ..count_only
    };
    assert!(Query::from_request(&bad_sort, reg, user_type(), 50).is_err());
}

fn query_pairs_for_entra() -> Vec<(String, String)> {
    pairs(&[("filter", "userName eq \"nobody@example.com\"")])
}

#[test]
fn paging_helpers_clamp_like_the_parser() {
    assert_eq!(paging::clamp_start_index(-3), 1);
    assert_eq!(paging::clamp_count(-3), 0);
    assert_eq!(paging::parse_start_index("12"), Ok(12));
    assert_eq!(
        Paging::new(0, None, 30),
        Paging {
            start_index: 1,
            count: 30
        }
    );
}
