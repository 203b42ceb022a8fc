"""Okta's SCIM 2.0 client, replayed: lookups as
`filter=userName eq "..."&startIndex=1&count=100`, creates with a
placeholder `password` and an empty `groups`, deactivation by a PATCH
without `path` or by a PUT of the whole user with `active: false`, group
renames by a no-path replace that repeats the id, membership changed by a
remove-by-filter plus an add in one request, 409 `uniqueness` on a
duplicate, and integer paging."""

from __future__ import annotations

import uuid

import checks
from conftest import unique_name
from scim_client import GROUP_URN, PATCH_URN, USER_URN

OKTA = {"content_type": "application/scim+json; charset=utf-8", "accept": "application/scim+json",
        "headers": {"User-Agent": "Okta SCIM Client 1.0.0"}}


def okta_user_body(user_name: str) -> dict:
    return {
        "schemas": [USER_URN],
        "userName": user_name,
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"primary": True, "value": user_name, "type": "work"}],
        "displayName": "Test User",
        "locale": "en-US",
        "externalId": f"00u{uuid.uuid4().hex[:17]}",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
    }


def lookup(scim, user_name: str, total: int) -> dict:
    response = scim.get("/Users", query=[("filter", f'userName eq "{user_name}"'), ("startIndex", 1),
                                         ("count", 100)], **OKTA)
    body = checks.list_response(response, total=total)
    assert body["startIndex"] == 1
    return body


def provision(scim, base_url, factory) -> dict:
    user_name = unique_name("okta")
    lookup(scim, user_name, 0)
    user = checks.created(scim.post("/Users", okta_user_body(user_name), **OKTA), "User", base_url)
    factory.track(f"/Users/{user['id']}")
    return user


def test_lookup_create_read(scim, base_url, factory):
    user = provision(scim, base_url, factory)
    assert "password" not in user
    assert user.get("groups", []) == []
    assert user["locale"] == "en-US"
    body = lookup(scim, user["userName"], 1)
    assert checks.ids(body) == [user["id"]]
    fetched = checks.resource(scim.get(f"/Users/{user['id']}", **OKTA), 200, "User", base_url)
    assert fetched == user


def test_duplicate_create_is_409_uniqueness(scim, base_url, factory):
    user = provision(scim, base_url, factory)
    response = scim.post("/Users", okta_user_body(user["userName"]), **OKTA)
    checks.error(response, 409, "uniqueness")


def test_put_update_keeps_id_and_applies_changes(scim, base_url, factory):
    """Okta's PUT sends the whole user back as it read it."""
    user = provision(scim, base_url, factory)
    body = dict(user, displayName="Test User Renamed", name={"givenName": "Test", "familyName": "Renamed"})
    response = scim.put(f"/Users/{user['id']}", body, **OKTA)
    updated = checks.resource(response, 200, "User", base_url)
    assert updated["id"] == user["id"]
    assert updated["displayName"] == "Test User Renamed"
    assert updated["name"] == {"givenName": "Test", "familyName": "Renamed"}
    assert updated["meta"]["created"] == user["meta"]["created"]


def test_deactivate_by_patch_without_path(scim, base_url, factory):
    user = provision(scim, base_url, factory)
    path = f"/Users/{user['id']}"
    message = {"schemas": [PATCH_URN], "Operations": [{"op": "replace", "value": {"active": False}}]}
    checks.resource(scim.patch(path, message, **OKTA), 200, "User", base_url)
    fetched = scim.get(path).json
    assert fetched["active"] is False
    assert checks.without_meta(fetched) == dict(checks.without_meta(user), active=False)

    message = {"schemas": [PATCH_URN], "Operations": [{"op": "replace", "value": {"active": True}}]}
    checks.resource(scim.patch(path, message, **OKTA), 200, "User", base_url)
    assert scim.get(path).json["active"] is True


def test_deactivate_by_put(scim, base_url, factory):
    user = provision(scim, base_url, factory)
    path = f"/Users/{user['id']}"
    body = dict(checks.without_meta(user), active=False)
    checks.resource(scim.put(path, body, **OKTA), 200, "User", base_url)
    fetched = scim.get(path).json
    assert fetched["active"] is False
    assert checks.without_meta(fetched) == dict(checks.without_meta(user), active=False)


def test_group_push_rename_and_membership(scim, base_url, factory):
    alice = provision(scim, base_url, factory)
    bob = provision(scim, base_url, factory)
    name = f"Okta {uuid.uuid4().hex[:10]}"
    response = scim.get("/Groups", query=[("filter", f'displayName eq "{name}"'), ("startIndex", 1),
                                          ("count", 100)], **OKTA)
    checks.list_response(response, total=0)

    body = {"schemas": [GROUP_URN], "displayName": name, "members": [{"value": alice["id"],
                                                                     "display": alice["userName"]}]}
    group = checks.created(scim.post("/Groups", body, **OKTA), "Group", base_url)
    factory.track(f"/Groups/{group['id']}")
    path = f"/Groups/{group['id']}"

    new_name = f"Okta renamed {uuid.uuid4().hex[:10]}"
    message = {"schemas": [PATCH_URN],
               "Operations": [{"op": "replace", "value": {"id": group["id"], "displayName": new_name}}]}
    renamed = checks.resource(scim.patch(path, message, **OKTA), 200, "Group", base_url)
    assert renamed["displayName"] == new_name
    assert renamed["id"] == group["id"]
    assert checks.member_ids(renamed) == {alice["id"]}

    message = {"schemas": [PATCH_URN], "Operations": [
        {"op": "remove", "path": f'members[value eq "{alice["id"]}"]'},
        {"op": "add", "path": "members", "value": [{"value": bob["id"], "display": bob["userName"]}]},
    ]}
    checks.resource(scim.patch(path, message, **OKTA), 200, "Group", base_url)
    fetched = scim.get(path).json
    assert checks.member_ids(fetched) == {bob["id"]}
    assert fetched["displayName"] == new_name
    assert {g["value"] for g in scim.get(f"/Users/{bob['id']}").json.get("groups", [])} == {group["id"]}
    assert scim.get(f"/Users/{alice['id']}").json.get("groups", []) == []


def test_group_put_with_members(scim, base_url, factory):
    alice = provision(scim, base_url, factory)
    bob = provision(scim, base_url, factory)
    group = factory.group(members=[alice["id"]])
    body = {"schemas": [GROUP_URN], "id": group["id"], "displayName": group["displayName"],
            "members": [{"value": bob["id"], "display": bob["userName"]}]}
    replaced = checks.resource(scim.put(f"/Groups/{group['id']}", body, **OKTA), 200, "Group", base_url)
    assert checks.member_ids(replaced) == {bob["id"]}


def test_paging_numbers_are_integers_in_a_stable_order(scim, base_url, factory):
    for _ in range(3):
        provision(scim, base_url, factory)
    first = checks.list_response(scim.get("/Users", query=[("startIndex", 1), ("count", 2)], **OKTA))
    second = checks.list_response(scim.get("/Users", query=[("startIndex", 3), ("count", 2)], **OKTA))
    assert first["itemsPerPage"] == 2 and first["startIndex"] == 1
    assert second["startIndex"] == 3
    assert first["totalResults"] >= 3
    assert not set(checks.ids(first)) & set(checks.ids(second))
    again = checks.list_response(scim.get("/Users", query=[("startIndex", 1), ("count", 2)], **OKTA))
    assert checks.ids(again) == checks.ids(first)

    groups = checks.list_response(scim.get("/Groups", query=[("startIndex", 1), ("count", 100)], **OKTA))
    assert groups["startIndex"] == 1
