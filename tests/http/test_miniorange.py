"""miniOrange's "SCIM Server (Destination)" application, replayed: plain
`application/json` bodies, the attributes it maps (userName,
name.givenName, name.familyName, emails[type eq "work"].value, displayName,
active), `Replace` operations, and deactivation by a PATCH that sometimes
carries no `schemas` member."""

from __future__ import annotations

import uuid

import checks
from conftest import unique_name
from scim_client import GROUP_URN, USER_URN

# miniOrange speaks plain JSON.
MO = {"content_type": "application/json", "accept": "application/json"}


def create(scim, base_url, factory, user_name: str) -> dict:
    body = {
        "schemas": [USER_URN],
        "userName": user_name,
        "name": {"givenName": "Mini", "familyName": "Orange"},
        "emails": [{"value": user_name, "type": "work", "primary": True}],
        "displayName": "Mini Orange",
        "active": True,
    }
    user = checks.created(scim.post("/Users", body, **MO), "User", base_url, json_too=True)
    factory.track(f"/Users/{user['id']}")
    return user


def test_test_connection(scim):
    """The Test Connection button reads the configuration and one page of users."""
    checks.status(scim.get("/ServiceProviderConfig", **MO), 200)
    checks.list_response(scim.get("/Users", query={"startIndex": 1, "count": 1}, **MO), json_too=True)


def test_push_user_lookup_then_create(scim, base_url, factory):
    user_name = unique_name("mo")
    lookup = checks.list_response(scim.find_users(f'userName eq "{user_name}"', **MO), total=0, json_too=True)
    assert lookup["Resources"] == []

    user = create(scim, base_url, factory, user_name)
    fetched = checks.resource(scim.get(f"/Users/{user['id']}", **MO), 200, "User", base_url, json_too=True)
    assert fetched["userName"] == user_name
    assert fetched["name"] == {"givenName": "Mini", "familyName": "Orange"}
    assert checks.work_email(fetched) == user_name
    assert fetched["displayName"] == "Mini Orange"
    assert fetched["active"] is True

    found = checks.list_response(scim.find_users(f'userName eq "{user_name}"', **MO), total=1, json_too=True)
    assert checks.ids(found) == [user["id"]]


def test_update_mapped_attributes(scim, base_url, factory):
    user = create(scim, base_url, factory, unique_name("mo"))
    new_email = f"new.{uuid.uuid4().hex}@example.com"
    response = scim.patch_ops(
        f"/Users/{user['id']}",
        {"op": "Replace", "path": "name.givenName", "value": "Maxi"},
        {"op": "Replace", "path": "name.familyName", "value": "Lemon"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": new_email},
        {"op": "Replace", "path": "displayName", "value": "Maxi Lemon"},
        **MO,
    )
    checks.resource(response, 200, "User", base_url, json_too=True)

    fetched = scim.get(f"/Users/{user['id']}").json
    assert fetched["name"] == {"givenName": "Maxi", "familyName": "Lemon"}
    assert fetched["emails"] == [{"value": new_email, "type": "work", "primary": True}]
    assert fetched["displayName"] == "Maxi Lemon"
    assert fetched["userName"] == user["userName"]


def test_deactivate_without_schemas_then_reactivate(scim, base_url, factory):
    user = create(scim, base_url, factory, unique_name("mo"))
    path = f"/Users/{user['id']}"

    response = scim.patch_ops(path, {"op": "Replace", "path": "active", "value": False}, schemas=False, **MO)
    checks.resource(response, 200, "User", base_url, json_too=True)
    fetched = scim.get(path).json
    assert fetched["active"] is False
    assert checks.without_meta(fetched) == dict(checks.without_meta(user), active=False)

    response = scim.patch_ops(path, {"op": "Replace", "path": "active", "value": True}, **MO)
    checks.resource(response, 200, "User", base_url, json_too=True)
    assert scim.get(path).json["active"] is True


def test_group_push_and_unassign(scim, base_url, factory):
    """The group of an app login policy, its users assigned, then one removed."""
    alice = create(scim, base_url, factory, unique_name("mo"))
    bob = create(scim, base_url, factory, unique_name("mo"))
    name = f"miniOrange {uuid.uuid4().hex[:10]}"
    checks.list_response(scim.find_groups(f'displayName eq "{name}"', **MO), total=0, json_too=True)

    body = {"schemas": [GROUP_URN], "displayName": name,
            "members": [{"value": alice["id"], "display": alice["userName"]},
                        {"value": bob["id"], "display": bob["userName"]}]}
    group = checks.created(scim.post("/Groups", body, **MO), "Group", base_url, json_too=True)
    factory.track(f"/Groups/{group['id']}")
    assert checks.member_ids(group) == {alice["id"], bob["id"]}

    response = scim.patch_ops(f"/Groups/{group['id']}",
                              {"op": "Remove", "path": f'members[value eq "{alice["id"]}"]'}, **MO)
    checks.resource(response, 200, "Group", base_url, json_too=True)
    assert checks.member_ids(scim.get(f"/Groups/{group['id']}").json) == {bob["id"]}
    assert scim.get(f"/Users/{alice['id']}").json.get("groups", []) == []


def test_delete_user(scim, base_url, factory):
    user = create(scim, base_url, factory, unique_name("mo"))
    response = scim.delete(f"/Users/{user['id']}", **MO)
    checks.status(response, 204)
    checks.error(scim.get(f"/Users/{user['id']}"), 404)
    checks.list_response(scim.find_users(f'userName eq "{user["userName"]}"', **MO), total=0, json_too=True)
