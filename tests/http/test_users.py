"""Users (RFC 7644 §3.3 create, §3.4 query, §3.5 replace and modify, §3.6
delete, §3.14 versions) against the User schema of RFC 7643 §4.1 and its
enterprise extension (§4.3)."""

from __future__ import annotations

import time
import uuid

import pytest

import checks
from conftest import unique_name, user_payload
from scim_client import ENTERPRISE_URN, LIST_URN, SEARCH_URN, USER_URN


# --- create and read ------------------------------------------------------------


def test_create_returns_201_with_location_etag_and_meta(scim, base_url, factory):
    name = unique_name()
    body = user_payload(name, password="Placeholder-1!", externalId=f"ext-{uuid.uuid4().hex}")
    response = scim.post("/Users", body)
    user = checks.created(response, "User", base_url)
    factory.track(f"/Users/{user['id']}")

    assert user["userName"] == name
    assert user["externalId"] == body["externalId"]
    assert user["name"]["givenName"] == "Given"
    assert user["emails"] == [{"value": name, "type": "work", "primary": True}]
    assert user["active"] is True
    assert user["meta"]["lastModified"] >= user["meta"]["created"]
    assert user["id"] not in (name, body["externalId"]), "id must be the server's own, not a client value"


def test_create_ignores_client_id_and_meta(scim, base_url, factory):
    """RFC 7643 §3.1: `id` and `meta` are readOnly; the server assigns them."""
    body = user_payload(unique_name(), id="client-chosen-id",
                        meta={"resourceType": "User", "created": "2001-01-01T00:00:00Z"})
    user = checks.created(scim.post("/Users", body), "User", base_url)
    factory.track(f"/Users/{user['id']}")
    assert user["id"] != "client-chosen-id"
    assert not user["meta"]["created"].startswith("2001-")


def test_ids_are_distinct_opaque_strings(factory):
    first = factory.user()
    second = factory.user()
    assert first["id"] != second["id"]


def test_get_returns_the_created_user(scim, base_url, factory):
    created = factory.user(title="Engineer", nickName="Babs")
    user = checks.resource(scim.get(f"/Users/{created['id']}"), 200, "User", base_url)
    assert user == created


def test_get_unknown_id_is_404_scim_error(scim):
    checks.error(scim.get(f"/Users/{uuid.uuid4()}"), 404)


def test_password_is_never_returned(scim, base_url, factory):
    user = factory.user(password="Placeholder-1!")
    path = f"/Users/{user['id']}"
    checks.resource(scim.get(path), 200, "User", base_url)
    body = checks.list_response(scim.find_users(f'userName eq "{user["userName"]}"'), total=1)
    checks.no_password(body)
    projected = scim.get(path, query={"attributes": "password,userName"})
    checks.status(projected, 200)
    checks.no_password(projected.json)
    checks.resource(scim.put(path, dict(checks.without_meta(user), title="Put")), 200, "User", base_url)
    checks.resource(scim.patch_ops(path, {"op": "replace", "path": "title", "value": "Patched"}),
                    200, "User", base_url)


def test_duplicate_username_is_409_uniqueness(scim, factory):
    user = factory.user()
    response = scim.post("/Users", user_payload(user["userName"]))
    checks.error(response, 409, "uniqueness")


def test_duplicate_username_differing_in_case_is_409(scim, factory):
    """RFC 7643 §4.1.1: userName is caseExact false and unique on the server."""
    user = factory.user()
    response = scim.post("/Users", user_payload(user["userName"].upper()))
    checks.error(response, 409, "uniqueness")


def test_missing_username_is_400_invalid_value(scim):
    body = user_payload("x@example.com")
    del body["userName"]
    checks.error(scim.post("/Users", body), 400, "invalidValue")


# --- filters --------------------------------------------------------------------


def test_filter_username_eq_finds_exactly_one(scim, base_url, factory):
    user = factory.user()
    factory.user()
    body = checks.list_response(scim.find_users(f'userName eq "{user["userName"]}"'), total=1)
    assert body["startIndex"] == 1
    assert checks.ids(body) == [user["id"]]
    checks.resource_body(body["Resources"][0], "User", base_url)


def test_filter_username_eq_ignores_case(scim, factory):
    """RFC 7643 §4.1.1 userName caseExact false; RFC 7644 §3.4.2.2 compares
    such attributes without regard to case."""
    user = factory.user()
    body = checks.list_response(scim.find_users(f'userName eq "{user["userName"].upper()}"'), total=1)
    assert checks.ids(body) == [user["id"]]


def test_filter_operator_and_attribute_names_ignore_case(scim, factory):
    """RFC 7644 §3.4.2.2: attribute names and operators are case-insensitive."""
    user = factory.user()
    body = checks.list_response(scim.find_users(f'USERNAME EQ "{user["userName"]}"'), total=1)
    assert checks.ids(body) == [user["id"]]


def test_filter_without_match_is_an_empty_list(scim):
    body = checks.list_response(scim.find_users(f'userName eq "{unique_name("nobody")}"'), total=0)
    assert body["Resources"] == []
    assert body["itemsPerPage"] == 0


def test_filter_on_work_email_value(scim, factory):
    user = factory.user(emails=[
        {"value": f"work.{uuid.uuid4().hex}@example.com", "type": "work", "primary": True},
        {"value": f"home.{uuid.uuid4().hex}@example.org", "type": "home"},
    ])
    work, home = user["emails"][0]["value"], user["emails"][1]["value"]
    body = checks.list_response(scim.find_users(f'emails[type eq "work"].value eq "{work}"'), total=1)
    assert checks.ids(body) == [user["id"]]
    checks.list_response(scim.find_users(f'emails[type eq "work"].value eq "{home}"'), total=0)
    body = checks.list_response(scim.find_users(f'emails[type eq "home" and value eq "{home}"]'), total=1)
    assert checks.ids(body) == [user["id"]]


def test_filter_on_external_id_is_case_exact(scim, factory):
    """RFC 7643 §3.1: externalId is caseExact."""
    external = f"Ext-{uuid.uuid4().hex}"
    user = factory.user(externalId=external)
    body = checks.list_response(scim.find_users(f'externalId eq "{external}"'), total=1)
    assert checks.ids(body) == [user["id"]]
    checks.list_response(scim.find_users(f'externalId eq "{external.upper()}"'), total=0)


def test_filter_on_enterprise_attributes(scim, factory):
    manager = factory.user()
    number = uuid.uuid4().hex
    department = f"Dept {uuid.uuid4().hex[:8]}"
    user = factory.user(
        schemas=[USER_URN, ENTERPRISE_URN],
        **{ENTERPRISE_URN: {"employeeNumber": number, "department": department,
                            "manager": {"value": manager["id"]}}},
    )
    assert user[ENTERPRISE_URN]["employeeNumber"] == number
    assert ENTERPRISE_URN in user["schemas"]

    for expression in (
        f'{ENTERPRISE_URN}:employeeNumber eq "{number}"',
        f'{ENTERPRISE_URN}:department eq "{department}"',
        f'{ENTERPRISE_URN}:manager.value eq "{manager["id"]}"',
        f'{ENTERPRISE_URN}:department eq "{department}" and userName eq "{user["userName"]}"',
    ):
        body = checks.list_response(scim.find_users(expression), total=1)
        assert checks.ids(body) == [user["id"]], expression


def test_filter_logical_operators_and_presence(scim, factory):
    tag = uuid.uuid4().hex[:10]
    alice = factory.user(unique_name(f"alice.{tag}"), title="Engineer")
    bob = factory.user(unique_name(f"bob.{tag}"))
    prefix = f'(userName sw "alice.{tag}" or userName sw "bob.{tag}")'

    body = checks.list_response(scim.find_users(prefix, sortBy="userName"), total=2)
    assert checks.ids(body) == [alice["id"], bob["id"]]
    body = checks.list_response(scim.find_users(f"{prefix} and title pr"), total=1)
    assert checks.ids(body) == [alice["id"]]
    body = checks.list_response(scim.find_users(f"{prefix} and not (title pr)"), total=1)
    assert checks.ids(body) == [bob["id"]]
    body = checks.list_response(scim.find_users(f'userName co "{tag}" and active eq true'), total=2)


def test_filter_on_meta_last_modified(scim, factory):
    user = factory.user()
    when = user["meta"]["lastModified"]
    expression = f'userName eq "{user["userName"]}" and meta.lastModified ge "{when}"'
    checks.list_response(scim.find_users(expression), total=1)
    expression = f'userName eq "{user["userName"]}" and meta.lastModified gt "{when}"'
    checks.list_response(scim.find_users(expression), total=0)


# --- paging and sorting -----------------------------------------------------------


@pytest.fixture
def five_users(factory):
    """Five users sharing a unique prefix, in userName order."""
    tag = uuid.uuid4().hex[:10]
    users = [factory.user(f"page.{tag}.{i}@example.com") for i in range(5)]
    return f'userName sw "page.{tag}."', users


def test_paging_returns_the_requested_window(scim, five_users):
    expression, users = five_users
    body = checks.list_response(
        scim.find_users(expression, sortBy="userName", startIndex=2, count=2), total=5)
    assert body["startIndex"] == 2
    assert body["itemsPerPage"] == 2
    assert checks.ids(body) == [users[1]["id"], users[2]["id"]]

    last = checks.list_response(
        scim.find_users(expression, sortBy="userName", startIndex=5, count=2), total=5)
    assert checks.ids(last) == [users[4]["id"]]

    beyond = checks.list_response(scim.find_users(expression, startIndex=9, count=2), total=5)
    assert beyond["Resources"] == []


def test_paging_order_is_stable_without_sort(scim, five_users):
    """RFC 7644 §3.4.2.4: pages of one query come in a consistent order."""
    expression, users = five_users
    whole = checks.ids(checks.list_response(scim.find_users(expression), total=5))
    assert sorted(whole) == sorted(u["id"] for u in users)
    again = checks.ids(checks.list_response(scim.find_users(expression), total=5))
    assert again == whole
    pages = []
    for start in (1, 3, 5):
        pages += checks.ids(checks.list_response(
            scim.find_users(expression, startIndex=start, count=2), total=5))
    assert pages == whole


def test_count_zero_returns_only_total_results(scim, five_users):
    """RFC 7644 §3.4.2.4: count=0 asks for totalResults alone."""
    expression, _ = five_users
    body = checks.list_response(scim.find_users(expression, count=0), total=5)
    assert body["Resources"] == []
    assert body["itemsPerPage"] == 0


def test_start_index_below_one_counts_as_one(scim, five_users):
    """RFC 7644 §3.4.2.4: a startIndex below 1 is interpreted as 1."""
    expression, _ = five_users
    body = checks.list_response(scim.find_users(expression, startIndex=0, count=1), total=5)
    assert body["startIndex"] == 1
    assert body["itemsPerPage"] == 1


def test_non_integer_count_is_400(scim):
    checks.error(scim.get("/Users", query={"count": "ten"}), 400, "invalidValue")


def test_sort_by_username_descending(scim, five_users):
    expression, users = five_users
    body = checks.list_response(
        scim.find_users(expression, sortBy="userName", sortOrder="descending"), total=5)
    assert checks.ids(body) == [u["id"] for u in reversed(users)]


def test_sort_by_sub_attribute(scim, factory):
    tag = uuid.uuid4().hex[:10]
    zed = factory.user(f"sort.{tag}.1@example.com", name={"givenName": "A", "familyName": "Zed"})
    abe = factory.user(f"sort.{tag}.2@example.com", name={"givenName": "B", "familyName": "Abe"})
    body = checks.list_response(
        scim.find_users(f'userName sw "sort.{tag}."', sortBy="name.familyName"), total=2)
    assert checks.ids(body) == [abe["id"], zed["id"]]


# --- attribute projection -------------------------------------------------------------


def test_attributes_limits_the_representation(scim, factory):
    """RFC 7644 §3.4.2.5: only the named attributes and those returned
    "always" (`id`)."""
    user = factory.user(title="Engineer")
    response = scim.get(f"/Users/{user['id']}", query={"attributes": "userName,name.familyName"})
    checks.status(response, 200)
    checks.scim_json(response)
    body = response.json
    assert body["id"] == user["id"]
    assert body["userName"] == user["userName"]
    assert body["name"] == {"familyName": user["name"]["familyName"]}
    for absent in ("emails", "title", "displayName", "active"):
        assert absent not in body, absent


def test_excluded_attributes_drops_them(scim, factory):
    user = factory.user(title="Engineer")
    response = scim.get(f"/Users/{user['id']}", query={"excludedAttributes": "emails,title,id"})
    checks.status(response, 200)
    body = response.json
    assert "emails" not in body and "title" not in body
    assert body["id"] == user["id"], "id is returned always (RFC 7643 §3.1)"
    assert body["userName"] == user["userName"]


def test_attributes_apply_to_list_responses(scim, factory):
    user = factory.user(title="Engineer")
    body = checks.list_response(
        scim.find_users(f'userName eq "{user["userName"]}"', attributes="displayName"), total=1)
    only = body["Resources"][0]
    assert only["id"] == user["id"]
    assert only["displayName"] == user["displayName"]
    assert "emails" not in only and "title" not in only and "userName" not in only


# --- replace (PUT) --------------------------------------------------------------------


def test_put_replaces_and_drops_omitted_attributes(scim, base_url, factory):
    """RFC 7644 §3.5.1: PUT replaces the whole resource; attributes left out
    are cleared."""
    user = factory.user(title="Engineer", nickName="Babs", phoneNumbers=[{"value": "+1 555 0100", "type": "work"}])
    new_name = unique_name("renamed")
    body = {"schemas": [USER_URN], "userName": new_name, "name": {"givenName": "New"}, "active": False}
    replaced = checks.resource(scim.put(f"/Users/{user['id']}", body), 200, "User", base_url)

    assert replaced["id"] == user["id"]
    assert replaced["userName"] == new_name
    assert replaced["name"] == {"givenName": "New"}
    assert replaced["active"] is False
    for gone in ("title", "nickName", "phoneNumbers", "emails", "displayName"):
        assert gone not in replaced, gone
    assert replaced["meta"]["created"] == user["meta"]["created"]
    assert replaced["meta"]["version"] != user["meta"]["version"]
    assert replaced["meta"]["lastModified"] >= user["meta"]["lastModified"]

    fetched = checks.resource(scim.get(f"/Users/{user['id']}"), 200, "User", base_url)
    assert fetched == replaced


def test_put_ignores_read_only_values(scim, base_url, factory):
    """RFC 7643 §2.2 and RFC 7644 §3.5.1: readOnly values (id, meta, groups)
    in a PUT are ignored."""
    user = factory.user()
    body = dict(checks.without_meta(user), id="someone-else", title="Changed",
                meta={"created": "2001-01-01T00:00:00Z"},
                groups=[{"value": str(uuid.uuid4()), "display": "Fake"}])
    replaced = checks.resource(scim.put(f"/Users/{user['id']}", body), 200, "User", base_url)
    assert replaced["id"] == user["id"]
    assert replaced["title"] == "Changed"
    assert replaced["meta"]["created"] == user["meta"]["created"]
    assert replaced.get("groups", []) == []


def test_put_without_username_is_400(scim, factory):
    user = factory.user()
    body = {"schemas": [USER_URN], "displayName": "No userName"}
    checks.error(scim.put(f"/Users/{user['id']}", body), 400, "invalidValue")
    assert scim.get(f"/Users/{user['id']}").json == user


def test_put_taking_another_username_is_409(scim, factory):
    first = factory.user()
    second = factory.user()
    body = dict(checks.without_meta(second), userName=first["userName"])
    checks.error(scim.put(f"/Users/{second['id']}", body), 409, "uniqueness")
    assert scim.get(f"/Users/{second['id']}").json == second


def test_put_unknown_id_is_404(scim):
    checks.error(scim.put(f"/Users/{uuid.uuid4()}", user_payload(unique_name())), 404)


# --- modify (PATCH) -------------------------------------------------------------------


def test_patch_add_replace_remove_returns_200_with_resource(scim, base_url, factory):
    """RFC 7644 §3.5.2: the server answers 200 with the modified resource."""
    user = factory.user(title="Engineer")
    path = f"/Users/{user['id']}"
    time.sleep(1.1)  # so lastModified can move on servers with second precision
    response = scim.patch_ops(
        path,
        {"op": "add", "path": "nickName", "value": "Babs"},
        {"op": "add", "path": "phoneNumbers", "value": [{"value": "+1 555 0100", "type": "work"}]},
        {"op": "replace", "path": "displayName", "value": "Replaced Name"},
        {"op": "replace", "path": "name.givenName", "value": "Barbara"},
        {"op": "remove", "path": "title"},
    )
    patched = checks.resource(response, 200, "User", base_url)
    assert patched["nickName"] == "Babs"
    assert patched["phoneNumbers"] == [{"value": "+1 555 0100", "type": "work"}]
    assert patched["displayName"] == "Replaced Name"
    assert patched["name"] == {"givenName": "Barbara", "familyName": user["name"]["familyName"]}
    assert "title" not in patched
    assert patched["userName"] == user["userName"]
    assert patched["meta"]["version"] != user["meta"]["version"]
    assert patched["meta"]["lastModified"] > user["meta"]["lastModified"]
    assert patched["meta"]["created"] == user["meta"]["created"]
    assert scim.get(path).json == patched


def test_patch_add_to_multi_valued_appends(scim, base_url, factory):
    """RFC 7644 §3.5.2.1: add on a multi-valued attribute adds values."""
    user = factory.user()
    home = f"home.{uuid.uuid4().hex}@example.org"
    patched = checks.resource(
        scim.patch_ops(f"/Users/{user['id']}",
                       {"op": "add", "path": "emails", "value": [{"value": home, "type": "home"}]}),
        200, "User", base_url)
    assert {(e["type"], e["value"]) for e in patched["emails"]} == {
        ("work", user["userName"]), ("home", home)}


def test_patch_replace_without_path(scim, base_url, factory):
    """RFC 7644 §3.5.2.3: without a path, the value holds the attributes to replace."""
    user = factory.user()
    patched = checks.resource(
        scim.patch_ops(f"/Users/{user['id']}",
                       {"op": "replace", "value": {"displayName": "No Path", "active": False}}),
        200, "User", base_url)
    assert patched["displayName"] == "No Path"
    assert patched["active"] is False
    assert patched["emails"] == user["emails"]


def test_patch_replace_by_value_filter(scim, base_url, factory):
    user = factory.user()
    new = f"new.{uuid.uuid4().hex}@example.com"
    patched = checks.resource(
        scim.patch_ops(f"/Users/{user['id']}",
                       {"op": "replace", "path": 'emails[type eq "work"].value', "value": new}),
        200, "User", base_url)
    assert patched["emails"] == [{"value": new, "type": "work", "primary": True}]


def test_patch_remove_by_value_filter(scim, base_url, factory):
    home = f"home.{uuid.uuid4().hex}@example.org"
    user = factory.user(emails=[{"value": f"w.{uuid.uuid4().hex}@example.com", "type": "work"},
                                {"value": home, "type": "home"}])
    patched = checks.resource(
        scim.patch_ops(f"/Users/{user['id']}", {"op": "remove", "path": 'emails[type eq "work"]'}),
        200, "User", base_url)
    assert patched["emails"] == [{"value": home, "type": "home"}]


def test_patch_enterprise_attributes(scim, base_url, factory):
    user = factory.user()
    manager = factory.user()
    patched = checks.resource(
        scim.patch_ops(
            f"/Users/{user['id']}",
            {"op": "add", "path": f"{ENTERPRISE_URN}:department", "value": "Sales"},
            {"op": "replace", "path": f"{ENTERPRISE_URN}:manager.value", "value": manager["id"]},
        ),
        200, "User", base_url)
    assert patched[ENTERPRISE_URN]["department"] == "Sales"
    assert patched[ENTERPRISE_URN]["manager"]["value"] == manager["id"]
    assert ENTERPRISE_URN in patched["schemas"]

    removed = checks.resource(
        scim.patch_ops(f"/Users/{user['id']}", {"op": "remove", "path": f"{ENTERPRISE_URN}:department"}),
        200, "User", base_url)
    assert "department" not in removed.get(ENTERPRISE_URN, {})


def test_patch_is_atomic(scim, factory):
    """RFC 7644 §3.5.2: if one operation fails, none is applied."""
    user = factory.user()
    response = scim.patch_ops(
        f"/Users/{user['id']}",
        {"op": "replace", "path": "displayName", "value": "Should Not Stick"},
        {"op": "replace", "path": "active", "value": "maybe"},
    )
    checks.error(response, 400, {"invalidValue", "invalidSyntax"})
    assert scim.get(f"/Users/{user['id']}").json == user


def test_patch_unknown_id_is_404(scim):
    response = scim.patch_ops(f"/Users/{uuid.uuid4()}", {"op": "replace", "path": "active", "value": False})
    checks.error(response, 404)


# --- delete -----------------------------------------------------------------------------


def test_delete_is_204_then_404(scim, factory):
    user = factory.user()
    path = f"/Users/{user['id']}"
    response = scim.delete(path)
    checks.status(response, 204)
    assert response.body == b"", "204 has no body"
    checks.error(scim.get(path), 404)
    checks.error(scim.delete(path), 404)
    checks.list_response(scim.find_users(f'userName eq "{user["userName"]}"'), total=0)


def test_deleted_username_can_be_reused(scim, factory):
    user = factory.user()
    checks.status(scim.delete(f"/Users/{user['id']}"), 204)
    again = factory.user(user["userName"])
    assert again["id"] != user["id"]


# --- versions (ETags) ----------------------------------------------------------------------


def test_if_match_with_stale_etag_is_412(scim, base_url, factory):
    """RFC 7644 §3.14 (RFC 7232 §3.1): a stale If-Match fails with 412 and
    changes nothing."""
    user = factory.user()
    path = f"/Users/{user['id']}"
    stale = user["meta"]["version"]
    current = checks.resource(
        scim.patch_ops(path, {"op": "replace", "path": "title", "value": "First"}), 200, "User", base_url)
    assert current["meta"]["version"] != stale

    checks.error(scim.patch_ops(path, {"op": "replace", "path": "title", "value": "Lost"},
                                headers={"If-Match": stale}), 412)
    checks.error(scim.put(path, dict(checks.without_meta(current), title="Lost"),
                          headers={"If-Match": stale}), 412)
    checks.error(scim.delete(path, headers={"If-Match": stale}), 412)
    assert scim.get(path).json == current


def test_if_match_with_current_etag_succeeds(scim, base_url, factory):
    user = factory.user()
    path = f"/Users/{user['id']}"
    patched = checks.resource(
        scim.patch_ops(path, {"op": "replace", "path": "title", "value": "Now"},
                       headers={"If-Match": user["meta"]["version"]}),
        200, "User", base_url)
    assert patched["title"] == "Now"
    checks.status(scim.delete(path, headers={"If-Match": patched["meta"]["version"]}), 204)


def test_if_none_match_with_current_etag_is_304(scim, factory):
    """RFC 7644 §3.14 (RFC 7232 §3.2)."""
    user = factory.user()
    response = scim.get(f"/Users/{user['id']}", headers={"If-None-Match": user["meta"]["version"]})
    checks.status(response, 304)
    assert response.body == b""
    assert response.headers.get("ETag") == user["meta"]["version"], "RFC 7232 §4.1: a 304 carries the ETag"


def test_etag_changes_on_every_modification(scim, base_url, factory):
    user = factory.user()
    path = f"/Users/{user['id']}"
    seen = {user["meta"]["version"]}
    for title in ("One", "Two", "Three"):
        body = checks.resource(scim.patch_ops(path, {"op": "replace", "path": "title", "value": title}),
                               200, "User", base_url)
        assert body["meta"]["version"] not in seen
        seen.add(body["meta"]["version"])
    fetched = scim.get(path)
    assert fetched.headers.get("ETag") == body["meta"]["version"]


# --- search (POST .search) -------------------------------------------------------------------


def test_search_on_users_endpoint(scim, base_url, factory):
    """RFC 7644 §3.4.3."""
    user = factory.user(title="Engineer")
    request = {
        "schemas": [SEARCH_URN],
        "filter": f'userName eq "{user["userName"]}"',
        "attributes": ["userName", "title"],
        "startIndex": 1,
        "count": 10,
    }
    body = checks.list_response(scim.post("/Users/.search", request), total=1)
    only = body["Resources"][0]
    assert only["id"] == user["id"]
    assert only["title"] == "Engineer"
    assert "emails" not in only


def test_search_at_root_spans_resource_types(scim, factory):
    """RFC 7644 §3.4.3: a search at the root covers every resource type;
    each resource says its type in meta.resourceType."""
    user = factory.user()
    group = factory.group(f"Root search {user['userName']}")
    request = {
        "schemas": [SEARCH_URN],
        "filter": f'userName eq "{user["userName"]}" or displayName eq "{group["displayName"]}"',
    }
    body = checks.list_response(scim.post("/.search", request))
    found = {(r["meta"]["resourceType"], r["id"]) for r in body["Resources"]}
    assert ("User", user["id"]) in found
    assert ("Group", group["id"]) in found


def test_search_paging_and_sorting(scim, five_users):
    expression, users = five_users
    request = {"schemas": [SEARCH_URN], "filter": expression, "sortBy": "userName",
               "sortOrder": "descending", "startIndex": 2, "count": 2}
    body = checks.list_response(scim.post("/Users/.search", request), total=5)
    assert body["startIndex"] == 2
    assert checks.ids(body) == [users[3]["id"], users[2]["id"]]


def test_search_with_wrong_schemas_is_400(scim):
    body = {"schemas": [USER_URN], "filter": 'userName eq "x@example.com"'}
    checks.error(scim.post("/Users/.search", body), 400, "invalidSyntax")


def test_list_response_schema_urn(scim):
    response = scim.get("/Users", query={"count": 1})
    assert checks.list_response(response)["schemas"] == [LIST_URN]
