"""Checks of the third-party conformance tools that are wrong about SCIM.

Only tool mistakes go here, never our own gaps (those belong to
tests/http/expected_failures.py or get fixed). Each entry names the tool and
the check as the tool reports it, and may narrow it by resource type
(scim2-tester), phase (scim-sanity) or a piece of the tool's own message.
`rfc` says, with the section, why the tool is wrong. A listed check that
passes fails the run, so stale entries cannot linger.

Fields:
  tool             "scim2-tester" or "scim-sanity"
  check            scim2-tester: the check's title (its function name);
                   scim-sanity: the result's name, ids replaced by "{id}"
  resource_type    optional, scim2-tester only ("User", "Group")
  phase            optional, scim-sanity only
  reason_contains  optional, a substring of the tool's reason or message
  rfc              the RFC section that proves the tool wrong, and how
"""

EXPECTED_FAILURES: list[dict[str, str]] = [
    {
        "tool": "scim-sanity",
        "check": "PATCH /Groups/{id} add member",
        "phase": "Phase 3 — Group CRUD Lifecycle",
        "rfc": (
            "RFC 7643 §4.2: a member's `value` is the identifier of an existing User or Group; "
            "the tool adds the made-up id \"fake-member-id\" and expects 200. The server refuses "
            "a value that names no resource with 400 invalidValue, the keyword RFC 7644 §3.12 "
            "gives a value not compatible with the resource schema"
        ),
    },
]
