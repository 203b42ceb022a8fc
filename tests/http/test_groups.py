"""Groups (RFC 7643 §4.2) and their two-way link with users (the readOnly
`User.groups`, RFC 7643 §4.1.2), managed with RFC 7644 §3.3-§3.6."""

from __future__ import annotations

import uuid

import checks
from scim_client import GROUP_URN


def group_name() -> str:
    return f"Group {uuid.uuid4().hex[:12]}"


def user_group_ids(scim, user_id: str) -> set[str]:
    response = scim.get(f"/Users/{user_id}")
    checks.status(response, 200)
    return {g["value"] for g in response.json.get("groups", [])}


def test_create_group_with_members(scim, base_url, factory):
    alice, bob = factory.user(), factory.user()
    name = group_name()
    body = {"schemas": [GROUP_URN], "displayName": name,
            "members": [{"value": alice["id"]}, {"value": bob["id"]}]}
    group = checks.created(scim.post("/Groups", body), "Group", base_url)
    factory.track(f"/Groups/{group['id']}")

    assert group["displayName"] == name
    assert checks.member_ids(group) == {alice["id"], bob["id"]}
    for member in group["members"]:
        if "$ref" in member:
            assert member["$ref"] == f"{base_url}/Users/{member['value']}"
        if "type" in member:
            assert member["type"] == "User"


def test_get_group(scim, base_url, factory):
    alice = factory.user()
    created = factory.group(members=[alice["id"]])
    group = checks.resource(scim.get(f"/Groups/{created['id']}"), 200, "Group", base_url)
    assert group == created


def test_get_unknown_group_is_404(scim):
    checks.error(scim.get(f"/Groups/{uuid.uuid4()}"), 404)


def test_excluded_attributes_members(scim, factory):
    alice = factory.user()
    group = factory.group(members=[alice["id"]])
    response = scim.get(f"/Groups/{group['id']}", query={"excludedAttributes": "members"})
    checks.status(response, 200)
    checks.scim_json(response)
    assert "members" not in response.json
    assert response.json["displayName"] == group["displayName"]
    assert response.json["id"] == group["id"]

    listed = checks.list_response(
        scim.find_groups(f'displayName eq "{group["displayName"]}"', excludedAttributes="members"), total=1)
    assert "members" not in listed["Resources"][0]


def test_filter_groups_by_display_name(scim, factory):
    group = factory.group()
    factory.group()
    body = checks.list_response(scim.find_groups(f'displayName eq "{group["displayName"].upper()}"'), total=1)
    assert checks.ids(body) == [group["id"]]


def test_filter_groups_by_member(scim, factory):
    alice, bob = factory.user(), factory.user()
    with_alice = factory.group(members=[alice["id"]])
    factory.group(members=[bob["id"]])
    body = checks.list_response(scim.find_groups(f'members[value eq "{alice["id"]}"]'), total=1)
    assert checks.ids(body) == [with_alice["id"]]


def test_patch_adds_a_member(scim, base_url, factory):
    """RFC 7644 §3.5.2.1, the RFC's own example of adding a member."""
    alice, bob = factory.user(), factory.user()
    group = factory.group(members=[alice["id"]])
    response = scim.patch_ops(f"/Groups/{group['id']}",
                              {"op": "add", "path": "members", "value": [{"value": bob["id"]}]})
    patched = checks.resource(response, 200, "Group", base_url)
    assert checks.member_ids(patched) == {alice["id"], bob["id"]}
    assert checks.member_ids(scim.get(f"/Groups/{group['id']}").json) == {alice["id"], bob["id"]}


def test_patch_adding_a_present_member_keeps_one(scim, base_url, factory):
    alice = factory.user()
    group = factory.group(members=[alice["id"]])
    patched = checks.resource(
        scim.patch_ops(f"/Groups/{group['id']}",
                       {"op": "add", "path": "members", "value": [{"value": alice["id"]}]}),
        200, "Group", base_url)
    assert [m["value"] for m in patched["members"]] == [alice["id"]]


def test_patch_removes_a_member_by_filter(scim, base_url, factory):
    """RFC 7644 §3.5.2.2: remove with a value filter removes the matching members only."""
    alice, bob = factory.user(), factory.user()
    group = factory.group(members=[alice["id"], bob["id"]])
    response = scim.patch_ops(f"/Groups/{group['id']}",
                              {"op": "remove", "path": f'members[value eq "{alice["id"]}"]'})
    patched = checks.resource(response, 200, "Group", base_url)
    assert checks.member_ids(patched) == {bob["id"]}


def test_patch_removes_all_members(scim, base_url, factory):
    alice, bob = factory.user(), factory.user()
    group = factory.group(members=[alice["id"], bob["id"]])
    patched = checks.resource(scim.patch_ops(f"/Groups/{group['id']}", {"op": "remove", "path": "members"}),
                              200, "Group", base_url)
    assert patched.get("members", []) == []
    assert user_group_ids(scim, alice["id"]) == set()


def test_patch_replace_members(scim, base_url, factory):
    """RFC 7644 §3.5.2.3: replace on a multi-valued attribute replaces all values."""
    alice, bob = factory.user(), factory.user()
    group = factory.group(members=[alice["id"]])
    patched = checks.resource(
        scim.patch_ops(f"/Groups/{group['id']}",
                       {"op": "replace", "path": "members", "value": [{"value": bob["id"]}]}),
        200, "Group", base_url)
    assert checks.member_ids(patched) == {bob["id"]}


def test_rename_by_patch_and_put(scim, base_url, factory):
    alice = factory.user()
    group = factory.group(members=[alice["id"]])
    first = group_name()
    renamed = checks.resource(
        scim.patch_ops(f"/Groups/{group['id']}", {"op": "replace", "path": "displayName", "value": first}),
        200, "Group", base_url)
    assert renamed["displayName"] == first
    assert checks.member_ids(renamed) == {alice["id"]}

    second = group_name()
    body = {"schemas": [GROUP_URN], "displayName": second, "members": [{"value": alice["id"]}]}
    put = checks.resource(scim.put(f"/Groups/{group['id']}", body), 200, "Group", base_url)
    assert put["displayName"] == second
    assert checks.member_ids(put) == {alice["id"]}

    user = scim.get(f"/Users/{alice['id']}").json
    assert [g.get("display") for g in user.get("groups", []) if g["value"] == group["id"]] in ([second], [None])


def test_put_without_members_empties_the_group(scim, base_url, factory):
    alice = factory.user()
    group = factory.group(members=[alice["id"]])
    body = {"schemas": [GROUP_URN], "displayName": group["displayName"]}
    put = checks.resource(scim.put(f"/Groups/{group['id']}", body), 200, "Group", base_url)
    assert put.get("members", []) == []
    assert user_group_ids(scim, alice["id"]) == set()


def test_delete_group_keeps_its_users(scim, factory):
    alice = factory.user()
    group = factory.group(members=[alice["id"]])
    response = scim.delete(f"/Groups/{group['id']}")
    checks.status(response, 204)
    assert response.body == b""
    checks.error(scim.get(f"/Groups/{group['id']}"), 404)
    checks.status(scim.get(f"/Users/{alice['id']}"), 200)
    assert user_group_ids(scim, alice["id"]) == set()


def test_user_groups_attribute_follows_membership(scim, factory):
    """RFC 7643 §4.1.2: `groups` lists the groups the user belongs to, with
    `value` the group's id (and `display` its name)."""
    alice = factory.user()
    first = factory.group(members=[alice["id"]])
    second = factory.group()
    user = scim.get(f"/Users/{alice['id']}").json
    assert {g["value"] for g in user.get("groups", [])} == {first["id"]}
    entry = user["groups"][0]
    if "display" in entry:
        assert entry["display"] == first["displayName"]
    if "$ref" in entry:
        assert entry["$ref"] == f"{scim.base_url}/Groups/{first['id']}"

    scim.patch_ops(f"/Groups/{second['id']}", {"op": "add", "path": "members", "value": [{"value": alice["id"]}]})
    assert user_group_ids(scim, alice["id"]) == {first["id"], second["id"]}

    scim.patch_ops(f"/Groups/{first['id']}", {"op": "remove", "path": f'members[value eq "{alice["id"]}"]'})
    assert user_group_ids(scim, alice["id"]) == {second["id"]}


def test_deleting_a_user_removes_it_from_groups(scim, factory):
    alice, bob = factory.user(), factory.user()
    group = factory.group(members=[alice["id"], bob["id"]])
    checks.status(scim.delete(f"/Users/{alice['id']}"), 204)
    assert checks.member_ids(scim.get(f"/Groups/{group['id']}").json) == {bob["id"]}


def test_user_groups_is_read_only_in_patch(scim, factory):
    """RFC 7643 §4.1.2: `groups` is readOnly; membership changes go through the Group."""
    alice = factory.user()
    group = factory.group()
    response = scim.patch_ops(f"/Users/{alice['id']}",
                              {"op": "add", "path": "groups", "value": [{"value": group["id"]}]})
    checks.error(response, 400, "mutability")
    assert user_group_ids(scim, alice["id"]) == set()


def test_duplicate_display_name_is_409(scim, factory):
    group = factory.group()
    response = scim.post("/Groups", {"schemas": [GROUP_URN], "displayName": group["displayName"]})
    checks.error(response, 409, "uniqueness")
    response = scim.post("/Groups", {"schemas": [GROUP_URN], "displayName": group["displayName"].upper()})
    checks.error(response, 409, "uniqueness")


def test_rename_onto_an_existing_display_name_is_409(scim, factory):
    first, second = factory.group(), factory.group()
    response = scim.patch_ops(f"/Groups/{second['id']}",
                              {"op": "replace", "path": "displayName", "value": first["displayName"]})
    checks.error(response, 409, "uniqueness")
    assert scim.get(f"/Groups/{second['id']}").json == second


def test_group_without_display_name_is_400(scim):
    checks.error(scim.post("/Groups", {"schemas": [GROUP_URN], "members": []}), 400, "invalidValue")
