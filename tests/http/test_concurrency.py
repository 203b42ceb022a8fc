"""Identity providers provision in parallel and retry: simultaneous writes
must neither duplicate a user nor lose a change."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import checks
from conftest import unique_name, user_payload

THREADS = 16


def all_at_once(calls):
    """Runs the callables together, released by one barrier; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_same_username_created_at_once_gives_one_201(scim, base_url, factory):
    user_name = unique_name("race")
    responses = all_at_once([lambda: scim.post("/Users", user_payload(user_name))] * THREADS)

    statuses = sorted(r.status for r in responses)
    assert statuses == [201] + [409] * (THREADS - 1), [r.describe() for r in responses if r.status not in (201, 409)]
    winner = next(r for r in responses if r.status == 201)
    user = checks.created(winner, "User", base_url)
    factory.track(f"/Users/{user['id']}")
    for response in responses:
        if response.status == 409:
            checks.error(response, 409, "uniqueness")

    body = checks.list_response(scim.find_users(f'userName eq "{user_name}"'), total=1)
    assert checks.ids(body) == [user["id"]]


def test_members_added_at_once_are_all_kept(scim, base_url, factory):
    users = [factory.user() for _ in range(THREADS)]
    group = factory.group()
    path = f"/Groups/{group['id']}"

    def add(user_id):
        return lambda: scim.patch_ops(path, {"op": "add", "path": "members", "value": [{"value": user_id}]})

    responses = all_at_once([add(u["id"]) for u in users])
    for response in responses:
        checks.resource(response, 200, "Group", base_url)

    fetched = checks.resource(scim.get(path), 200, "Group", base_url)
    assert checks.member_ids(fetched) == {u["id"] for u in users}
    assert len(fetched["members"]) == THREADS
    for user in users:
        groups = scim.get(f"/Users/{user['id']}").json.get("groups", [])
        assert [g["value"] for g in groups] == [group["id"]]


def test_conditional_updates_at_once_let_one_win(scim, base_url, factory):
    """RFC 7644 §3.14: of simultaneous writes with the same If-Match, one
    succeeds and the others find the version moved on (412)."""
    user = factory.user()
    path = f"/Users/{user['id']}"
    version = user["meta"]["version"]

    def change(i):
        return lambda: scim.patch_ops(path, {"op": "replace", "path": "title", "value": f"Writer {i}"},
                                      headers={"If-Match": version})

    responses = all_at_once([change(i) for i in range(8)])
    statuses = sorted(r.status for r in responses)
    assert statuses == [200] + [412] * 7, [r.describe() for r in responses]
    winner = next(r for r in responses if r.status == 200)
    assert scim.get(path).json == checks.resource(winner, 200, "User", base_url)
