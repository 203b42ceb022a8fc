"""Strict assertions on SCIM responses, shared by every test file.

Each takes a `Response` and fails with the whole exchange in the message, so
a failing test says what was sent and what came back.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from scim_client import ERROR_URN, GROUP_URN, LIST_URN, SCIM_JSON, USER_URN, Response

# RFC 7643 §2.3.5: xsd:dateTime, as RFC 3339 profiles it.
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# RFC 7232 §2.3: entity-tag = [ weak ] opaque-tag.
ENTITY_TAG = re.compile(r'^(W/)?"[\x21\x23-\x7e\x80-\xff]*"$')

CORE_URN = {"User": USER_URN, "Group": GROUP_URN}
ENDPOINT = {"User": "/Users", "Group": "/Groups"}


def status(response: Response, expected: int) -> None:
    assert response.status == expected, f"expected {expected}; {response.describe()}"


def scim_json(response: Response, json_too: bool = False) -> None:
    """RFC 7644 §3.1, §8.1: SCIM bodies are `application/scim+json`. With
    `json_too`, for a client that asked for `Accept: application/json`,
    plain `application/json` is accepted as well."""
    allowed = {SCIM_JSON, "application/json"} if json_too else {SCIM_JSON}
    assert response.media_type in allowed, (
        f"Content-Type must be one of {sorted(allowed)}; {response.describe()}"
    )
    assert response.json_error is None, f"body is not JSON ({response.json_error}); {response.describe()}"


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def error(response: Response, expected_status: int, scim_type: str | Iterable[str] | None = None) -> dict:
    """A SCIM error document (RFC 7644 §3.12) with `expected_status`; when
    `scim_type` is given (one keyword or a set of acceptable ones), its
    `scimType` must be that."""
    status(response, expected_status)
    scim_json(response)
    body = response.json
    assert isinstance(body, dict), f"error body must be an object; {response.describe()}"
    assert ERROR_URN in body.get("schemas", []), f"error must carry {ERROR_URN}; {response.describe()}"
    assert body.get("status") == str(expected_status), (
        f"error 'status' must be the string {str(expected_status)!r}; {response.describe()}"
    )
    if "detail" in body:
        assert isinstance(body["detail"], str), f"'detail' must be a string; {response.describe()}"
    if scim_type is not None:
        allowed = {scim_type} if isinstance(scim_type, str) else set(scim_type)
        assert body.get("scimType") in allowed, (
            f"scimType must be one of {sorted(allowed)}; {response.describe()}"
        )
    return body


def no_password(document: Any) -> None:
    """RFC 7643 §4.1.1: `password` is returned "never", at any depth."""
    if isinstance(document, dict):
        for key, value in document.items():
            assert key.lower() != "password", f"password returned: {document!r}"
            no_password(value)
    elif isinstance(document, list):
        for item in document:
            no_password(item)


def resource_body(body: Any, resource_type: str, base_url: str) -> dict:
    """The common attributes of a User or Group representation (RFC 7643 §3.1)."""
    assert isinstance(body, dict), f"resource must be an object: {body!r}"
    assert isinstance(body.get("id"), str) and body["id"], f"id must be a non-empty string: {body!r}"
    schemas = body.get("schemas")
    assert isinstance(schemas, list) and CORE_URN[resource_type] in schemas, f"schemas: {body!r}"
    meta = body.get("meta")
    assert isinstance(meta, dict), f"meta missing: {body!r}"
    assert meta.get("resourceType") == resource_type, f"meta.resourceType: {meta!r}"
    for key in ("created", "lastModified"):
        assert isinstance(meta.get(key), str) and DATETIME.match(meta[key]), f"meta.{key}: {meta!r}"
    assert isinstance(meta.get("version"), str) and ENTITY_TAG.match(meta["version"]), f"meta.version: {meta!r}"
    expected_location = f"{base_url}{ENDPOINT[resource_type]}/{body['id']}"
    assert meta.get("location") == expected_location, (
        f"meta.location must be {expected_location!r}: {meta!r}"
    )
    no_password(body)
    return body


def resource(response: Response, expected_status: int, resource_type: str, base_url: str,
             json_too: bool = False) -> dict:
    """A resource response: status, media type, `ETag` equal to `meta.version`
    (RFC 7644 §3.14), the common attributes, no password."""
    status(response, expected_status)
    scim_json(response, json_too)
    body = resource_body(response.json, resource_type, base_url)
    etag = response.headers.get("ETag")
    assert etag is not None, f"ETag header missing; {response.describe()}"
    assert etag == body["meta"]["version"], f"ETag {etag!r} != meta.version {body['meta']['version']!r}"
    return body


def created(response: Response, resource_type: str, base_url: str, json_too: bool = False) -> dict:
    """A 201 with `Location` equal to `meta.location` (RFC 7644 §3.3)."""
    body = resource(response, 201, resource_type, base_url, json_too)
    location = response.headers.get("Location")
    assert location == body["meta"]["location"], (
        f"Location {location!r} must equal meta.location {body['meta']['location']!r}"
    )
    return body


def list_response(response: Response, total: int | None = None, json_too: bool = False) -> dict:
    """A ListResponse (RFC 7644 §3.4.2) with integer paging numbers and
    `itemsPerPage` equal to the number of `Resources`."""
    status(response, 200)
    scim_json(response, json_too)
    body = response.json
    assert isinstance(body, dict), response.describe()
    assert body.get("schemas") == [LIST_URN], f"schemas must be [{LIST_URN}]; {response.describe()}"
    for key in ("totalResults", "itemsPerPage", "startIndex"):
        assert is_int(body.get(key)), f"{key} must be a JSON integer; {response.describe()}"
    resources = body.get("Resources")
    assert isinstance(resources, list), f"Resources must be an array; {response.describe()}"
    assert body["itemsPerPage"] == len(resources), f"itemsPerPage != len(Resources); {response.describe()}"
    assert body["totalResults"] >= len(resources), response.describe()
    if total is not None:
        assert body["totalResults"] == total, f"expected totalResults {total}; {response.describe()}"
    for item in resources:
        no_password(item)
    return body


def ids(list_body: dict) -> list[str]:
    return [r["id"] for r in list_body["Resources"]]


def member_ids(group: dict) -> set[str]:
    return {m["value"] for m in group.get("members", [])}


def work_email(user: dict) -> str | None:
    for email in user.get("emails", []):
        if email.get("type") == "work":
            return email.get("value")
    return None


def without_meta(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "meta"}
