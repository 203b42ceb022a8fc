"""Microsoft Entra ID's provisioning service, replayed: a lookup by filter
before each create (answered by an empty ListResponse, never a 404),
creates that carry `meta` and the enterprise extension, op names in any case
(`Replace`, `Add`, `Remove`), booleans as strings (`"False"`), paths such as
`emails[type eq "work"].value`, the manager as a bare id, members added with
`"$ref": null` and removed by a value array, groups read with
`excludedAttributes=members`, and users disabled long before they are
deleted."""

from __future__ import annotations

import uuid

import checks
from conftest import unique_name
from scim_client import ENTERPRISE_URN, GROUP_URN, PATCH_URN, USER_URN

# The Microsoft-specific schema URN Entra ID lists on the groups it creates.
ENTRA_GROUP_URN = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"


def entra_user_body(user_name: str, **extension: str) -> dict:
    return {
        "schemas": [USER_URN, ENTERPRISE_URN],
        "externalId": str(uuid.uuid4()),
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Adele Vance", "familyName": "Vance", "givenName": "Adele"},
        "roles": [],
        ENTERPRISE_URN: {"employeeNumber": "701984", "department": "Retail", **extension},
    }


def provision_user(scim, base_url, factory, user_name: str | None = None, **extension: str) -> dict:
    """Entra's create: look the user up by userName, then POST."""
    user_name = user_name or unique_name("entra")
    lookup = checks.list_response(scim.find_users(f'userName eq "{user_name}"'), total=0)
    assert lookup["Resources"] == []
    user = checks.created(scim.post("/Users", entra_user_body(user_name, **extension)), "User", base_url)
    factory.track(f"/Users/{user['id']}")
    return user


def provision_group(scim, base_url, factory) -> dict:
    name = f"Entra {uuid.uuid4().hex[:10]}"
    lookup = checks.list_response(
        scim.get("/Groups", query={"excludedAttributes": "members", "filter": f'displayName eq "{name}"'}), total=0)
    assert lookup["Resources"] == []
    body = {"schemas": [GROUP_URN, ENTRA_GROUP_URN], "externalId": str(uuid.uuid4()), "displayName": name,
            "meta": {"resourceType": "Group"}}
    group = checks.created(scim.post("/Groups", body), "Group", base_url)
    factory.track(f"/Groups/{group['id']}")
    return group


def test_lookup_before_create_is_an_empty_list_response(scim):
    response = scim.find_users(f'userName eq "{unique_name("entra-nobody")}"')
    body = checks.list_response(response, total=0)
    assert body == {"schemas": body["schemas"], "totalResults": 0, "itemsPerPage": 0, "startIndex": 1,
                    "Resources": []}


def test_create_user_with_enterprise_extension(scim, base_url, factory):
    user = provision_user(scim, base_url, factory)
    fetched = checks.resource(scim.get(f"/Users/{user['id']}"), 200, "User", base_url)
    assert fetched["name"] == {"formatted": "Adele Vance", "familyName": "Vance", "givenName": "Adele"}
    assert fetched[ENTERPRISE_URN] == {"employeeNumber": "701984", "department": "Retail"}
    assert set(fetched["schemas"]) == {USER_URN, ENTERPRISE_URN}
    assert fetched.get("roles", []) == []
    body = checks.list_response(scim.find_users(f'externalId eq "{user["externalId"]}"'), total=1)
    assert checks.ids(body) == [user["id"]]


def test_update_with_capitalised_ops_and_work_email_path(scim, base_url, factory):
    user = provision_user(scim, base_url, factory)
    new_email = f"updated.{uuid.uuid4().hex}@example.com"
    response = scim.patch(f"/Users/{user['id']}", {
        "schemas": [PATCH_URN],
        "Operations": [
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": new_email},
            {"op": "Replace", "path": "name.familyName", "value": "Vance-Smith"},
            {"op": "Add", "path": "title", "value": "Retail Manager"},
            {"op": "Add", "path": "phoneNumbers[type eq \"work\"].value", "value": "+1 555 0100"},
        ],
    })
    checks.resource(response, 200, "User", base_url)
    fetched = scim.get(f"/Users/{user['id']}").json
    assert checks.work_email(fetched) == new_email
    assert len(fetched["emails"]) == 1
    assert fetched["name"]["familyName"] == "Vance-Smith"
    assert fetched["name"]["givenName"] == "Adele"
    assert fetched["title"] == "Retail Manager"
    assert [(p.get("type"), p["value"]) for p in fetched["phoneNumbers"]] == [("work", "+1 555 0100")]


def test_add_of_work_email_when_none_exists_creates_it(scim, base_url, factory):
    user = factory.user(emails=[])
    assert not user.get("emails")
    email = f"first.{uuid.uuid4().hex}@example.com"
    response = scim.patch_ops(f"/Users/{user['id']}",
                              {"op": "Add", "path": 'emails[type eq "work"].value', "value": email})
    checks.resource(response, 200, "User", base_url)
    fetched = scim.get(f"/Users/{user['id']}").json
    assert [(e.get("type"), e["value"]) for e in fetched["emails"]] == [("work", email)]


def test_add_on_an_existing_single_value_replaces_it(scim, base_url, factory):
    """RFC 7644 §3.5.2.1: add on a single-valued attribute replaces its value."""
    user = provision_user(scim, base_url, factory)
    response = scim.patch_ops(f"/Users/{user['id']}",
                              {"op": "Add", "path": "displayName", "value": "Adele V."},
                              {"op": "Add", "path": "name.givenName", "value": "Adela"})
    checks.resource(response, 200, "User", base_url)
    fetched = scim.get(f"/Users/{user['id']}").json
    assert fetched["displayName"] == "Adele V."
    assert fetched["name"]["givenName"] == "Adela"


def test_booleans_as_strings(scim, base_url, factory):
    user = provision_user(scim, base_url, factory)
    path = f"/Users/{user['id']}"
    checks.resource(scim.patch_ops(path, {"op": "Replace", "path": "active", "value": "False"}),
                    200, "User", base_url)
    assert scim.get(path).json["active"] is False
    checks.resource(scim.patch_ops(path, {"op": "Replace", "path": "active", "value": "True"}),
                    200, "User", base_url)
    assert scim.get(path).json["active"] is True


def test_enterprise_attributes_and_manager(scim, base_url, factory):
    manager = provision_user(scim, base_url, factory)
    user = provision_user(scim, base_url, factory)
    path = f"/Users/{user['id']}"
    response = scim.patch_ops(
        path,
        {"op": "Add", "path": f"{ENTERPRISE_URN}:manager", "value": manager["id"]},
        {"op": "Replace", "path": f"{ENTERPRISE_URN}:department", "value": "Finance"},
        {"op": "Add", "path": f"{ENTERPRISE_URN}:costCenter", "value": "CC-42"},
        {"op": "Replace", "path": f"{ENTERPRISE_URN}:employeeNumber", "value": "702000"},
    )
    checks.resource(response, 200, "User", base_url)
    enterprise = scim.get(path).json[ENTERPRISE_URN]
    assert enterprise["manager"]["value"] == manager["id"]
    assert enterprise["department"] == "Finance"
    assert enterprise["costCenter"] == "CC-42"
    assert enterprise["employeeNumber"] == "702000"

    body = checks.list_response(scim.find_users(f'{ENTERPRISE_URN}:manager.value eq "{manager["id"]}"'), total=1)
    assert checks.ids(body) == [user["id"]]

    checks.resource(scim.patch_ops(path, {"op": "Remove", "path": f"{ENTERPRISE_URN}:manager"}),
                    200, "User", base_url)
    assert "manager" not in scim.get(path).json.get(ENTERPRISE_URN, {})


def test_disable_then_delete_weeks_later(scim, base_url, factory):
    user = provision_user(scim, base_url, factory)
    path = f"/Users/{user['id']}"
    checks.resource(scim.patch_ops(path, {"op": "Replace", "path": "active", "value": False}),
                    200, "User", base_url)
    disabled = checks.resource(scim.get(path), 200, "User", base_url)
    assert disabled["active"] is False
    assert checks.without_meta(disabled) == dict(checks.without_meta(user), active=False)
    body = checks.list_response(scim.find_users(f'userName eq "{user["userName"]}"'), total=1)
    assert body["Resources"][0]["active"] is False

    checks.status(scim.delete(path), 204)
    checks.error(scim.get(path), 404)


def test_group_lifecycle(scim, base_url, factory):
    alice = provision_user(scim, base_url, factory)
    bob = provision_user(scim, base_url, factory)
    group = provision_group(scim, base_url, factory)
    assert group["schemas"] == [GROUP_URN]
    path = f"/Groups/{group['id']}"

    read = scim.get(path, query={"excludedAttributes": "members"})
    checks.status(read, 200)
    assert "members" not in read.json and read.json["displayName"] == group["displayName"]

    response = scim.patch_ops(path, {"op": "Add", "path": "members",
                                     "value": [{"$ref": None, "value": alice["id"]},
                                               {"$ref": None, "value": bob["id"]}]})
    checks.resource(response, 200, "Group", base_url)
    assert checks.member_ids(scim.get(path).json) == {alice["id"], bob["id"]}

    response = scim.patch_ops(path, {"op": "Remove", "path": "members", "value": [{"value": alice["id"]}]})
    checks.resource(response, 200, "Group", base_url)
    assert checks.member_ids(scim.get(path).json) == {bob["id"]}
    assert scim.get(f"/Users/{alice['id']}").json.get("groups", []) == []

    response = scim.patch_ops(path, {"op": "Remove", "path": "members",
                                     "value": [{"$ref": None, "value": alice["id"]}]})
    checks.resource(response, 200, "Group", base_url)
    assert checks.member_ids(scim.get(path).json) == {bob["id"]}

    new_name = f"Entra renamed {uuid.uuid4().hex[:10]}"
    response = scim.patch_ops(path, {"op": "Replace", "path": "displayName", "value": new_name})
    checks.resource(response, 200, "Group", base_url)
    assert scim.get(path, query={"excludedAttributes": "members"}).json["displayName"] == new_name

    checks.status(scim.delete(path), 204)
    checks.error(scim.get(path), 404)


def test_membership_check_by_filter(scim, base_url, factory):
    alice = provision_user(scim, base_url, factory)
    bob = provision_user(scim, base_url, factory)
    group = provision_group(scim, base_url, factory)
    scim.patch_ops(f"/Groups/{group['id']}",
                   {"op": "Add", "path": "members", "value": [{"$ref": None, "value": alice["id"]}]})

    for member, expected in ((alice, 1), (bob, 0)):
        for expression in (f'id eq "{group["id"]}" and members[value eq "{member["id"]}"]',
                           f'id eq "{group["id"]}" and members eq "{member["id"]}"'):
            body = checks.list_response(
                scim.get("/Groups", query={"filter": expression, "excludedAttributes": "members"}), total=expected)
            for resource in body["Resources"]:
                assert "members" not in resource


def test_remove_with_value_array_removes_only_those_members(scim, base_url, factory):
    users = [provision_user(scim, base_url, factory) for _ in range(3)]
    group = provision_group(scim, base_url, factory)
    path = f"/Groups/{group['id']}"
    scim.patch_ops(path, {"op": "Add", "path": "members",
                          "value": [{"$ref": None, "value": u["id"]} for u in users]})
    response = scim.patch_ops(path, {"op": "Remove", "path": "members",
                                     "value": [{"value": users[0]["id"]}, {"value": users[2]["id"]}]})
    checks.resource(response, 200, "Group", base_url)
    assert checks.member_ids(scim.get(path).json) == {users[1]["id"]}
