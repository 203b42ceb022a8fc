"""Refusals: every failure is a SCIM error document (RFC 7644 §3.12) with
the right status and `scimType`, and a refused write leaves the store as it
was."""

from __future__ import annotations

import json
import uuid

import pytest

import checks
from conftest import unique_name, user_payload
from scim_client import GROUP_URN, PATCH_URN, SEARCH_URN, USER_URN

TYPE_ERRORS = {"invalidValue", "invalidSyntax"}


def assert_no_user_named(scim, user_name: str) -> None:
    """The store holds no user `user_name` (a refused create left nothing)."""
    checks.list_response(scim.find_users(f'userName eq "{user_name}"'), total=0)


def assert_unchanged(scim, user: dict) -> None:
    """`user` reads back exactly as before, version included."""
    response = scim.get(f"/Users/{user['id']}")
    checks.status(response, 200)
    assert response.json == user, "a refused write changed the resource"


# --- authentication (RFC 7644 §2, RFC 6750 §3) ----------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Authorization": None}, id="no-token"),
        pytest.param({"Authorization": "Bearer wrong-token"}, id="wrong-token"),
        pytest.param({"Authorization": "Bearer "}, id="empty-token"),
        pytest.param({"Authorization": "Basic dXNlcjpwYXNz"}, id="basic"),
    ],
)
@pytest.mark.parametrize("method,path", [("GET", "/Users"), ("POST", "/Users"), ("GET", "/Groups")])
def test_unauthenticated_is_401_with_bearer_challenge(scim, headers, method, path):
    body = user_payload(unique_name("unauth")) if method == "POST" else None
    response = scim.request(method, path, body, headers=headers)
    checks.error(response, 401)
    challenge = response.headers.get("WWW-Authenticate")
    assert challenge is not None and challenge.lower().startswith("bearer"), (
        f"RFC 6750 §3: 401 carries a Bearer challenge; {response.describe()}"
    )
    if body is not None:
        assert_no_user_named(scim, body["userName"])


def test_token_of_other_case_is_refused(scim):
    response = scim.get("/Users", token=scim.token.swapcase())
    if scim.token.swapcase() != scim.token:
        checks.error(response, 401)


# --- bodies that are not what they claim to be ---------------------------------------------


def test_malformed_json_is_400_invalid_syntax(scim):
    name = unique_name("malformed")
    text = json.dumps(user_payload(name))[:-5]
    checks.error(scim.post("/Users", text), 400, "invalidSyntax")
    assert_no_user_named(scim, name)


def test_malformed_json_on_put_and_patch_changes_nothing(scim, factory):
    user = factory.user()
    text = json.dumps(dict(checks.without_meta(user), title="Not Saved"))[:-3]
    checks.error(scim.put(f"/Users/{user['id']}", text), 400, "invalidSyntax")
    checks.error(scim.patch(f"/Users/{user['id']}", '{"Operations": [{"op": "add", "path": "title"'),
                 400, "invalidSyntax")
    assert_unchanged(scim, user)


def test_body_that_is_not_an_object_is_400(scim):
    checks.error(scim.post("/Users", [user_payload(unique_name())]), 400, "invalidSyntax")


def test_empty_body_is_400(scim):
    checks.error(scim.post("/Users", b""), 400, "invalidSyntax")


@pytest.mark.parametrize(
    "field,value",
    [
        ("active", "maybe"),
        ("active", 1),
        ("userName", 42),
        ("emails", "not-a-list"),
        ("name", "Not Complex"),
        ("emails", [{"value": ["nested"], "type": "work"}]),
    ],
)
def test_wrong_type_on_create_is_400(scim, field, value):
    name = unique_name("types")
    body = user_payload(name)
    body[field] = value
    checks.error(scim.post("/Users", body), 400, TYPE_ERRORS)
    assert_no_user_named(scim, name)


def test_wrong_type_on_put_changes_nothing(scim, factory):
    user = factory.user()
    body = dict(checks.without_meta(user), active="maybe", title="Not Saved")
    checks.error(scim.put(f"/Users/{user['id']}", body), 400, TYPE_ERRORS)
    assert_unchanged(scim, user)


def test_unknown_attribute_is_400(scim):
    name = unique_name("unknown")
    checks.error(scim.post("/Users", user_payload(name, favouriteColour="blue")), 400, TYPE_ERRORS)
    assert_no_user_named(scim, name)


def test_unknown_sub_attribute_is_400(scim):
    name = unique_name("unknown")
    body = user_payload(name, name={"givenName": "A", "shoeSize": 44})
    checks.error(scim.post("/Users", body), 400, TYPE_ERRORS)
    assert_no_user_named(scim, name)


def test_wrong_resource_schema_is_400(scim):
    """RFC 7643 §3: `schemas` names the resource's core schema."""
    name = unique_name("schema")
    body = user_payload(name, schemas=[GROUP_URN])
    checks.error(scim.post("/Users", body), 400, TYPE_ERRORS)
    assert_no_user_named(scim, name)


def test_body_over_the_announced_size_is_413(scim, service_provider_config, factory):
    """RFC 7644 §3.7.4: a request over `maxPayloadSize` is refused with 413."""
    limit = service_provider_config["bulk"]["maxPayloadSize"]
    name = unique_name("large")
    text = json.dumps(user_payload(name))
    oversized = text + " " * (limit + 1 - len(text))
    assert len(oversized.encode()) == limit + 1
    checks.error(scim.post("/Users", oversized), 413)
    assert_no_user_named(scim, name)

    user = factory.user()
    text = json.dumps(checks.without_meta(user))
    checks.error(scim.put(f"/Users/{user['id']}", text + " " * (limit + 1 - len(text))), 413)
    assert_unchanged(scim, user)


def test_deeply_nested_json_is_400(scim):
    name = unique_name("deep")
    depth = 10_000
    text = json.dumps(user_payload(name))[:-1] + ', "displayName": ' + "[" * depth + "]" * depth + "}"
    checks.error(scim.post("/Users", text), 400, "invalidSyntax")
    assert_no_user_named(scim, name)


def test_deeply_nested_patch_value_is_400(scim, factory):
    user = factory.user()
    depth = 10_000
    text = ('{"schemas":["%s"],"Operations":[{"op":"add","path":"title","value":' % PATCH_URN
            + "{\"a\":" * depth + "1" + "}" * depth + "}]}")
    checks.error(scim.patch(f"/Users/{user['id']}", text), 400, "invalidSyntax")
    assert_unchanged(scim, user)


def test_invalid_utf8_is_400(scim):
    name = unique_name("utf8")
    raw = json.dumps(user_payload(name)).encode().replace(b'"Given"', b'"Giv\xff\xfen"')
    assert b"\xff" in raw
    checks.error(scim.post("/Users", raw), 400, "invalidSyntax")
    assert_no_user_named(scim, name)


def test_lone_surrogate_escape_is_400(scim):
    """RFC 8259 §8.2: an unpaired surrogate is not a character."""
    name = unique_name("surrogate")
    raw = json.dumps(user_payload(name)).replace('"Given"', '"Giv\\ud800n"')
    checks.error(scim.post("/Users", raw), 400, TYPE_ERRORS)
    assert_no_user_named(scim, name)


# --- filters (RFC 7644 §3.4.2.2) -----------------------------------------------------------------


def test_overlong_filter_is_400_invalid_filter(scim):
    clause = f'userName eq "{unique_name("f")}"'
    expression = " or ".join([clause] * (100_000 // (len(clause) + 4) + 1))
    assert len(expression) >= 100_000
    request = {"schemas": [SEARCH_URN], "filter": expression}
    checks.error(scim.post("/Users/.search", request), 400, "invalidFilter")


@pytest.mark.parametrize(
    "expression",
    [
        "userName eq",
        'userName xx "a"',
        '(userName eq "a"',
        'userName eq "a")',
        'userName eq "unterminated',
        'userName eq "a" and',
        'emails[type eq "work"',
        "userName eq a",
        'eq "a"',
    ],
)
def test_bad_filter_is_400_invalid_filter(scim, expression):
    checks.error(scim.get("/Users", query={"filter": expression}), 400, "invalidFilter")


def test_bad_filter_in_search_is_400_invalid_filter(scim):
    request = {"schemas": [SEARCH_URN], "filter": 'userName eq "a" or'}
    checks.error(scim.post("/Users/.search", request), 400, "invalidFilter")


# --- PATCH refusals (RFC 7644 §3.5.2) ------------------------------------------------------------


def test_patch_remove_without_path_is_400_no_target(scim, factory):
    """RFC 7644 §3.5.2.2: remove needs a path."""
    user = factory.user()
    checks.error(scim.patch_ops(f"/Users/{user['id']}", {"op": "remove"}), 400, "noTarget")
    assert_unchanged(scim, user)


def test_patch_of_read_only_id_is_400_mutability(scim, factory):
    user = factory.user()
    response = scim.patch_ops(f"/Users/{user['id']}", {"op": "replace", "path": "id", "value": "other"})
    checks.error(response, 400, "mutability")
    assert_unchanged(scim, user)


def test_patch_removing_required_username_is_400(scim, factory):
    user = factory.user()
    response = scim.patch_ops(f"/Users/{user['id']}", {"op": "remove", "path": "userName"})
    checks.error(response, 400, {"mutability", "invalidValue"})
    assert_unchanged(scim, user)


@pytest.mark.parametrize("path", ['emails[type eq "work"', "name..givenName", "emails[].value", "]"])
def test_patch_bad_path_is_400_invalid_path(scim, factory, path):
    user = factory.user()
    response = scim.patch_ops(f"/Users/{user['id']}", {"op": "replace", "path": path, "value": "x"})
    checks.error(response, 400, {"invalidPath", "invalidFilter"})
    assert_unchanged(scim, user)


def test_patch_unknown_attribute_path_is_400_invalid_path(scim, factory):
    user = factory.user()
    response = scim.patch_ops(f"/Users/{user['id']}", {"op": "add", "path": "favouriteColour", "value": "blue"})
    checks.error(response, 400, "invalidPath")
    assert_unchanged(scim, user)


def test_patch_replace_with_filter_matching_nothing_is_400_no_target(scim, factory):
    """RFC 7644 §3.5.2.3: a value filter that matches nothing fails with noTarget."""
    user = factory.user(phoneNumbers=[{"value": "+1 555 0100", "type": "work"}])
    response = scim.patch_ops(f"/Users/{user['id']}",
                              {"op": "replace", "path": 'phoneNumbers[value sw "+9"].display',
                               "value": "x"})
    checks.error(response, 400, "noTarget")
    assert_unchanged(scim, user)


@pytest.mark.parametrize(
    "message",
    [
        pytest.param({"schemas": [PATCH_URN]}, id="no-operations"),
        pytest.param({"schemas": [PATCH_URN], "Operations": []}, id="empty-operations"),
        pytest.param({"schemas": [PATCH_URN], "Operations": {"op": "add"}}, id="operations-not-array"),
        pytest.param({"schemas": [PATCH_URN], "Operations": [{"op": "frobnicate", "path": "title",
                                                              "value": "x"}]}, id="unknown-op"),
        pytest.param({"schemas": [PATCH_URN], "Operations": [{"path": "title", "value": "x"}]}, id="no-op"),
        pytest.param({"schemas": [PATCH_URN], "Operations": [{"op": "add", "value": "x"}]},
                     id="add-without-path-and-scalar-value"),
        pytest.param({"schemas": [USER_URN], "Operations": [{"op": "add", "path": "title",
                                                             "value": "x"}]}, id="wrong-schemas"),
    ],
)
def test_malformed_patch_request_is_400(scim, factory, message):
    user = factory.user()
    response = scim.patch(f"/Users/{user['id']}", message)
    checks.error(response, 400, TYPE_ERRORS)
    assert_unchanged(scim, user)


def test_patch_with_wrong_type_changes_nothing(scim, factory):
    user = factory.user()
    response = scim.patch_ops(f"/Users/{user['id']}",
                              {"op": "replace", "path": "title", "value": "Not Saved"},
                              {"op": "replace", "path": "active", "value": "maybe"})
    checks.error(response, 400, TYPE_ERRORS)
    assert_unchanged(scim, user)


# --- endpoints and methods ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/Widgets", "/Users/x/y", "/Groupz"])
def test_unknown_endpoint_is_404_scim_error(scim, path):
    checks.error(scim.get(path), 404)


@pytest.mark.parametrize(
    "method,path",
    [
        ("DELETE", "/Users"),
        ("PUT", "/Users"),
        ("PATCH", "/Groups"),
        ("PUT", "/ServiceProviderConfig"),
        ("POST", "/ServiceProviderConfig"),
        ("DELETE", "/Schemas"),
        ("POST", "/ResourceTypes"),
    ],
)
def test_wrong_method_is_405(scim, method, path):
    body = {"schemas": [USER_URN]} if method in ("PUT", "POST", "PATCH") else None
    response = scim.request(method, path, body)
    checks.error(response, 405)
    assert response.headers.get("Allow"), f"RFC 9110 §15.5.6: a 405 lists the allowed methods; {response.describe()}"


def test_post_to_a_user_is_405(scim, factory):
    user = factory.user()
    checks.error(scim.post(f"/Users/{user['id']}", user_payload(unique_name())), 405)
    assert_unchanged(scim, user)


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("GET", "/Me", None),
        ("POST", "/Bulk", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": [
            {"method": "POST", "path": "/Users", "bulkId": "q1",
             "data": {"schemas": [USER_URN], "userName": "bulk.never@example.com"}}]}),
    ],
)
def test_me_and_bulk_are_refused(scim, method, path, body):
    """RFC 7644 §3.11 (/Me: 501 when unsupported) and §3.7 (bulk announced
    unsupported in ServiceProviderConfig)."""
    response = scim.request(method, path, body)
    assert response.status in (501, 404), response.describe()
    checks.error(response, response.status)
    if body is not None:
        assert_no_user_named(scim, "bulk.never@example.com")


def test_duplicate_create_leaves_the_first_untouched(scim, factory):
    user = factory.user(title="Original")
    response = scim.post("/Users", user_payload(user["userName"], title="Intruder"))
    checks.error(response, 409, "uniqueness")
    assert_unchanged(scim, user)


def test_errors_never_leak_internals(scim):
    response = scim.post("/Users", b'{"schemas": [')
    checks.error(response, 400, "invalidSyntax")
    text = response.body.decode("utf-8", "replace").lower()
    for leak in ("stack trace", "backtrace", ".rs:", ".php", "panicked", "sqlite"):
        assert leak not in text, f"error detail leaks {leak!r}: {text}"


def test_unsupported_media_type_is_refused(scim):
    """RFC 7644 §3.1 and §8.1: a SCIM body is JSON."""
    name = unique_name("xml")
    response = scim.post("/Users", f"<user><userName>{name}</userName></user>", content_type="application/xml")
    assert response.status in (400, 415), response.describe()
    checks.error(response, response.status)
    assert_no_user_named(scim, name)


def test_group_create_with_unknown_member_is_refused(scim):
    name = f"Group {uuid.uuid4().hex[:12]}"
    body = {"schemas": [GROUP_URN], "displayName": name, "members": [{"value": str(uuid.uuid4())}]}
    response = scim.post("/Groups", body)
    checks.error(response, 400, {"invalidValue", "noTarget"})
    checks.list_response(scim.find_groups(f'displayName eq "{name}"'), total=0)
