"""Fixtures of the black-box SCIM suite: where it aims (SCIM_BASE_URL and
SCIM_TOKEN, or a standalone server it starts), a client, factories that
create users and groups with unique names and delete them afterwards, and
the expected-failures list turned into strict xfail marks.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import checks  # noqa: E402
import standalone  # noqa: E402
from expected_failures import EXPECTED_FAILURES  # noqa: E402
from scim_client import GROUP_URN, USER_URN, ScimClient  # noqa: E402


def _key(item: pytest.Item) -> str:
    """`test_users.py::test_name[param]`, whatever the directory pytest runs from."""
    return f"{Path(item.path).resolve().relative_to(HERE).as_posix()}::{item.name}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for key, reason in EXPECTED_FAILURES.items():
        file_name, sep, name = key.partition("::")
        if not sep or not name or not (HERE / file_name).is_file():
            raise pytest.UsageError(f"expected_failures.py: {key!r} is not test_<file>.py::<test name>")
        if "RFC" not in reason:
            raise pytest.UsageError(f"expected_failures.py: the reason for {key!r} must cite the RFC section")
    for item in items:
        reason = EXPECTED_FAILURES.get(_key(item))
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.fixture(scope="session")
def target() -> Any:
    """The service provider under test, started here when SCIM_BASE_URL is unset.

    When there is none, the whole run stops at once with the reason (exit
    code 1) rather than failing every test with the same message.
    """
    try:
        with standalone.target() as aimed:
            yield aimed
    except standalone.ServerStartError as e:
        pytest.exit(f"no SCIM server to test: {e}", returncode=1)


@pytest.fixture(scope="session")
def base_url(target: standalone.Target) -> str:
    return target.base_url


@pytest.fixture(scope="session")
def scim(target: standalone.Target) -> ScimClient:
    return ScimClient(target.base_url, target.token)


@pytest.fixture(scope="session")
def service_provider_config(scim: ScimClient) -> dict:
    response = scim.get("/ServiceProviderConfig")
    checks.status(response, 200)
    return response.json


def unique_name(prefix: str = "u") -> str:
    """A userName nobody else uses, shaped like the e-mail addresses IdPs send."""
    return f"{prefix}.{uuid.uuid4().hex[:12]}@example.com"


def user_payload(user_name: str, **extra: Any) -> dict:
    """A User as most identity providers create one."""
    local = user_name.split("@", 1)[0]
    body: dict[str, Any] = {
        "schemas": [USER_URN],
        "userName": user_name,
        "name": {"givenName": "Given", "familyName": f"Family {local}"},
        "displayName": f"Display {local}",
        "emails": [{"value": user_name, "type": "work", "primary": True}],
        "active": True,
    }
    body.update(extra)
    return body


class Factory:
    """Creates users and groups through the API, asserting each creation, and
    deletes whatever is left of them when the test ends."""

    def __init__(self, scim: ScimClient, base_url: str):
        self.scim = scim
        self.base_url = base_url
        self.created: list[str] = []

    def user(self, user_name: str | None = None, **extra: Any) -> dict:
        body = user_payload(user_name or unique_name(), **extra)
        user = checks.created(self.scim.post("/Users", body), "User", self.base_url)
        self.created.append(f"/Users/{user['id']}")
        return user

    def group(self, display_name: str | None = None, members: list[str] | None = None, **extra: Any) -> dict:
        body: dict[str, Any] = {
            "schemas": [GROUP_URN],
            "displayName": display_name or f"Group {uuid.uuid4().hex[:12]}",
        }
        if members is not None:
            body["members"] = [{"value": m} for m in members]
        body.update(extra)
        group = checks.created(self.scim.post("/Groups", body), "Group", self.base_url)
        self.created.append(f"/Groups/{group['id']}")
        return group

    def track(self, location: str) -> None:
        """Deletes `location` (`/Users/<id>`) at the end too."""
        self.created.append(location)

    def cleanup(self) -> None:
        for path in reversed(self.created):
            try:
                self.scim.delete(path)
            except OSError:
                pass


@pytest.fixture
def factory(scim: ScimClient, base_url: str) -> Any:
    made = Factory(scim, base_url)
    yield made
    made.cleanup()
