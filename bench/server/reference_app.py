"""The reference server of bench/server/run.sh: scim2-server's WSGI application
over its in-memory storage, with a static bearer token, as its `scim2-server`
command builds it, preloaded with users.

Served by gunicorn with --preload: this module is imported once in the
master, which creates the users through the application itself (the same
validation and storage as a POST), then forks the workers. Each worker so
starts with the same users, in its own memory: a write made through one
worker is not seen by the other, which spares the reference any cost of
sharing state (our server writes every change to one SQLite file).

Environment:
  REF_TOKEN          the bearer token
  REF_USERS          at most this many users (default 100000)
  REF_LOAD_SECONDS   stop loading after this many seconds (default 60)
  REF_IDS_FILE       where to write the ids of the users, one a line
  REF_TEMPLATE       the user template (@N@ is replaced by 0, 1, ...)
"""

import os
import sys
import time

from scim2_models import ScimProvider
from scim2_server.memory import InMemoryStorage
from scim2_server.requests import ScimRequest
from scim2_server.service import ScimService
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME
from scim2_server.testserver.application import BearerTokenApplication
from scim2_server.utils import load_default_resource_types
from scim2_server.utils import load_default_schemas
from scim2_server.utils import load_default_service_provider_config


def build(token: str) -> BearerTokenApplication:
    """The application of `scim2-server --bearer-token TOKEN`."""
    config = load_default_service_provider_config()
    config.authentication_schemes = [
        *(config.authentication_schemes or []),
        BEARER_TOKEN_SCHEME,
    ]
    provider = ScimProvider.from_discovery(
        load_default_schemas().values(),
        load_default_resource_types().values(),
        config=config,
    )
    service = ScimService(provider, secret="bench")
    return BearerTokenApplication(
        InMemoryStorage(), provider, service=service, bearer_tokens=[token]
    )


def preload(app: BearerTokenApplication, token: str) -> None:
    """Creates users through the application until the count or time is reached."""
    limit = int(os.environ.get("REF_USERS", "100000"))
    seconds = float(os.environ.get("REF_LOAD_SECONDS", "60"))
    with open(os.environ["REF_TEMPLATE"]) as f:
        template = f.read().strip()
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/scim+json",
    }
    ids = []
    start = time.monotonic()
    deadline = start + seconds
    for n in range(limit):
        if time.monotonic() >= deadline:
            break
        request = ScimRequest(
            method="POST",
            base_url="http://127.0.0.1/v2",
            path="/Users",
            headers=headers,
            body=template.replace("@N@", str(n)).encode(),
        )
        response = app.serve(request)
        if response.status.value != 201:
            sys.exit(f"reference preload: user {n}: {response.status} {response.body}")
        ids.append(response.body["id"])
    elapsed = time.monotonic() - start
    with open(os.environ["REF_IDS_FILE"], "w") as f:
        f.write("\n".join(ids) + "\n")
    print(
        f"reference-load users={len(ids)} seconds={elapsed:.2f} "
        f"per_second={len(ids) / elapsed:.0f}",
        flush=True,
    )


_token = os.environ["REF_TOKEN"]
app = build(_token)
preload(app, _token)
