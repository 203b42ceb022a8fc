"""A small SCIM 2.0 HTTP client on the standard library, for the black-box suite.

It sends exactly what it is told (raw bytes, odd headers, no token, any
method), never follows redirects, never raises on an HTTP status, and hands
back the status, the headers and the parsed JSON body. One connection per
request, so it is safe to share between threads.
"""

from __future__ import annotations

import http.client
import json
import ssl
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"

SCIM_JSON = "application/scim+json"

# A marker for "send the client's own token", so that `token=None` can mean
# "send no Authorization header at all".
DEFAULT = object()

REQUEST_OPTIONS = ("headers", "token", "content_type", "accept")


class Headers:
    """Response headers, looked up without regard to case (RFC 9110 §5.1)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self._pairs = list(pairs)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of header `name`, or `default`."""
        lowered = name.lower()
        for key, value in self._pairs:
            if key.lower() == lowered:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        """Every value of header `name`, in order."""
        lowered = name.lower()
        return [value for key, value in self._pairs if key.lower() == lowered]

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def __repr__(self) -> str:
        return f"Headers({self._pairs!r})"


@dataclass
class Response:
    """One HTTP exchange: what was asked and what came back."""

    method: str
    url: str
    status: int
    headers: Headers
    body: bytes
    json: Any = None
    json_error: str | None = None
    request_body: bytes | None = field(default=None, repr=False)

    @property
    def media_type(self) -> str | None:
        """The media type of `Content-Type`, lower-cased, without parameters."""
        value = self.headers.get("Content-Type")
        if value is None:
            return None
        return value.split(";", 1)[0].strip().lower()

    def describe(self) -> str:
        """A short account of the exchange for assertion messages."""
        text = self.body[:2000].decode("utf-8", "replace")
        return f"{self.method} {self.url} -> {self.status} {self.headers.get('Content-Type')!r}: {text}"


class ScimClient:
    """Talks to one SCIM service provider with one bearer token.

    `base_url` is the SCIM root, such as `http://127.0.0.1:8080/scim/v2`;
    paths given to the methods are appended to it (`"/Users"`), unless they
    are absolute URLs.
    """

    def __init__(self, base_url: str, token: str | None, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        parts = urllib.parse.urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"SCIM base URL must be an http(s) URL, not {base_url!r}")

    def url(self, path: str, query: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None) -> str:
        """The absolute URL of `path` under the base URL, with `query` encoded
        the way identity providers send it (spaces as `%20`)."""
        if path.startswith(("http://", "https://")):
            url = path
        else:
            url = self.base_url + path
        if query:
            items = query.items() if isinstance(query, Mapping) else query
            encoded = urllib.parse.urlencode(
                [(k, v) for k, v in items], quote_via=urllib.parse.quote, safe=""
            )
            url += ("&" if "?" in url else "?") + encoded
        return url

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        token: Any = DEFAULT,
        content_type: str | None = SCIM_JSON,
        accept: str | None = SCIM_JSON,
    ) -> Response:
        """Sends one request and returns the response, whatever its status.

        `body` may be bytes (sent as they are), a str (sent as UTF-8) or any
        JSON value (serialised). `token=None` sends no `Authorization`
        header; a str sends that token; by default the client's own token.
        Entries of `headers` override the computed ones; a value of `None`
        removes the header.
        """
        url = self.url(path, query)
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query

        payload: bytes | None
        if body is None:
            payload = None
        elif isinstance(body, bytes):
            payload = body
        elif isinstance(body, str):
            payload = body.encode("utf-8")
        else:
            payload = json.dumps(body).encode("utf-8")

        sent: dict[str, str] = {}
        if accept is not None:
            sent["Accept"] = accept
        if payload is not None and content_type is not None:
            sent["Content-Type"] = content_type
        chosen = self.token if token is DEFAULT else token
        if chosen is not None:
            sent["Authorization"] = f"Bearer {chosen}"
        for name, value in (headers or {}).items():
            for existing in [k for k in sent if k.lower() == name.lower()]:
                del sent[existing]
            if value is not None:
                sent[name] = value

        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        try:
            conn.request(method, target, body=payload, headers=sent)
            raw = conn.getresponse()
            data = raw.read()
            pairs = raw.getheaders()
            status = raw.status
        finally:
            conn.close()

        response = Response(
            method=method,
            url=url,
            status=status,
            headers=Headers(pairs),
            body=data,
            request_body=payload,
        )
        if data.strip():
            try:
                response.json = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                response.json_error = str(e)
        return response

    def get(self, path: str, **kwargs: Any) -> Response:
        """`GET path`."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        """`POST path` with `body`."""
        return self.request("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        """`PUT path` with `body`."""
        return self.request("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Response:
        """`PATCH path` with `body`."""
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        """`DELETE path`."""
        return self.request("DELETE", path, **kwargs)

    def patch_ops(self, path: str, *operations: dict, schemas: bool = True, **kwargs: Any) -> Response:
        """`PATCH path` with a PatchOp message holding `operations`; without
        its `schemas` member when `schemas` is false (as miniOrange sends)."""
        message: dict[str, Any] = {}
        if schemas:
            message["schemas"] = [PATCH_URN]
        message["Operations"] = list(operations)
        return self.patch(path, message, **kwargs)

    def find_users(self, filter_: str, **params: Any) -> Response:
        """`GET /Users?filter=...`; other keywords are query parameters, except
        the options of [`request`] (`headers`, `token`, `content_type`, `accept`)."""
        return self._find("/Users", filter_, params)

    def find_groups(self, filter_: str, **params: Any) -> Response:
        """`GET /Groups?filter=...`, as [`find_users`]."""
        return self._find("/Groups", filter_, params)

    def _find(self, path: str, filter_: str, params: dict[str, Any]) -> Response:
        options = {k: params.pop(k) for k in REQUEST_OPTIONS if k in params}
        return self.get(path, query={"filter": filter_, **params}, **options)


def quote_filter_value(value: str) -> str:
    """`value` as a SCIM filter string literal (a JSON string, RFC 7644 §3.4.2.2)."""
    return json.dumps(value)
