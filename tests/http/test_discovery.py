"""Discovery (RFC 7644 §4): /ServiceProviderConfig (RFC 7643 §5), /Schemas
(§7) and /ResourceTypes (§6)."""

from __future__ import annotations

import pytest

import checks
from scim_client import (
    ENTERPRISE_URN,
    GROUP_URN,
    RESOURCE_TYPE_URN,
    SCHEMA_URN,
    SPC_URN,
    USER_URN,
)


def test_service_provider_config_announces_features(scim, base_url):
    response = scim.get("/ServiceProviderConfig")
    checks.status(response, 200)
    checks.scim_json(response)
    config = response.json
    assert config["schemas"] == [SPC_URN]

    assert config["patch"]["supported"] is True
    assert config["bulk"]["supported"] is False
    assert checks.is_int(config["bulk"]["maxOperations"])
    assert checks.is_int(config["bulk"]["maxPayloadSize"]) and config["bulk"]["maxPayloadSize"] > 0
    assert config["filter"]["supported"] is True
    assert checks.is_int(config["filter"]["maxResults"]) and config["filter"]["maxResults"] > 0
    assert isinstance(config["changePassword"]["supported"], bool)
    assert isinstance(config["sort"]["supported"], bool)
    assert config["etag"]["supported"] is True

    schemes = config["authenticationSchemes"]
    assert isinstance(schemes, list) and schemes, "authenticationSchemes must not be empty"
    for scheme in schemes:
        assert {"type", "name", "description"} <= scheme.keys(), scheme
    assert any(s["type"] == "oauthbearertoken" for s in schemes), schemes

    assert config["meta"]["resourceType"] == "ServiceProviderConfig"
    assert config["meta"]["location"] == f"{base_url}/ServiceProviderConfig"


def test_schemas_lists_user_group_and_enterprise(scim):
    body = checks.list_response(scim.get("/Schemas"))
    by_id = {s["id"]: s for s in body["Resources"]}
    assert {USER_URN, GROUP_URN, ENTERPRISE_URN} <= by_id.keys()
    assert body["totalResults"] == len(body["Resources"])
    for schema in body["Resources"]:
        assert SCHEMA_URN in schema["schemas"], schema
        assert isinstance(schema["attributes"], list) and schema["attributes"], schema["id"]


def test_user_schema_declares_the_rfc_characteristics(scim):
    response = scim.get(f"/Schemas/{USER_URN}")
    checks.status(response, 200)
    checks.scim_json(response)
    schema = response.json
    assert schema["id"] == USER_URN
    attributes = {a["name"]: a for a in schema["attributes"]}
    assert attributes["userName"]["required"] is True
    assert attributes["userName"]["uniqueness"] == "server"
    assert attributes["userName"]["caseExact"] is False
    assert attributes["password"]["returned"] == "never"
    assert attributes["password"]["mutability"] == "writeOnly"
    assert attributes["groups"]["mutability"] == "readOnly"
    emails = {a["name"]: a for a in attributes["emails"]["subAttributes"]}
    assert {"value", "type", "primary"} <= emails.keys()


@pytest.mark.parametrize("urn", [USER_URN, GROUP_URN, ENTERPRISE_URN])
def test_schema_by_urn(scim, base_url, urn):
    response = scim.get(f"/Schemas/{urn}")
    checks.status(response, 200)
    checks.scim_json(response)
    assert response.json["id"] == urn
    assert response.json["meta"]["location"] == f"{base_url}/Schemas/{urn}"


def test_unknown_schema_is_404(scim):
    checks.error(scim.get("/Schemas/urn:example:params:scim:schemas:core:2.0:Nothing"), 404)


def test_resource_types_list_user_and_group(scim):
    body = checks.list_response(scim.get("/ResourceTypes"))
    by_name = {r["name"]: r for r in body["Resources"]}
    assert {"User", "Group"} <= by_name.keys()

    user = by_name["User"]
    assert RESOURCE_TYPE_URN in user["schemas"]
    assert user["endpoint"] == "/Users"
    assert user["schema"] == USER_URN
    extensions = {e["schema"]: e for e in user.get("schemaExtensions", [])}
    assert extensions[ENTERPRISE_URN]["required"] is False

    group = by_name["Group"]
    assert group["endpoint"] == "/Groups"
    assert group["schema"] == GROUP_URN


def test_resource_type_user_by_name(scim, base_url):
    response = scim.get("/ResourceTypes/User")
    checks.status(response, 200)
    checks.scim_json(response)
    assert response.json["name"] == "User"
    assert response.json["endpoint"] == "/Users"
    assert response.json["meta"]["location"] == f"{base_url}/ResourceTypes/User"


def test_unknown_resource_type_is_404(scim):
    checks.error(scim.get("/ResourceTypes/Printer"), 404)


@pytest.mark.parametrize("path", ["/Schemas", "/ResourceTypes"])
def test_filter_on_discovery_endpoint_is_forbidden(scim, path):
    """RFC 7644 §4: discovery endpoints take no filter; a server answers 403."""
    checks.error(scim.get(path, query={"filter": 'name eq "User"'}), 403)


def test_count_above_max_results_is_lowered(scim, service_provider_config):
    """RFC 7644 §3.4.2.4: a server may return fewer results than asked for,
    never more than its announced `filter.maxResults`."""
    limit = service_provider_config["filter"]["maxResults"]
    body = checks.list_response(scim.get("/Users", query={"count": limit + 1}))
    assert body["itemsPerPage"] <= limit
