"""Runs two third-party SCIM conformance tools against one server and fails
on any failed check that expected_failures.py does not excuse.

- scim2-tester (python-scim): discovery, CRUD and PATCH of every attribute
  of every resource type the server publishes, through scim2-client.
- scim-sanity: a CRUD lifecycle probe of Users and Groups, search and error
  handling, in its strict mode.

The server is SCIM_BASE_URL with SCIM_TOKEN, or a standalone server started
as tests/http/standalone.py does. The last line printed is the count:
`conformance: N passed, N failed, N skipped`.
"""

from __future__ import annotations

import argparse
import re
import runpy
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "http"))

import standalone  # noqa: E402

# Loaded by path: tests/http has an expected_failures module of its own.
EXPECTED_FAILURES: list[dict[str, str]] = runpy.run_path(str(HERE / "expected_failures.py"))["EXPECTED_FAILURES"]

TOOLS = ("scim2-tester", "scim-sanity")
IDS = re.compile(r"(/(?:Users|Groups)/)[^/\s?]+")


@dataclass
class Check:
    """One check a tool reported, in a common shape."""

    tool: str
    name: str
    outcome: str  # "passed", "failed", "skipped"
    detail: str = ""
    resource_type: str | None = None
    phase: str | None = None
    warning: bool = False

    def label(self) -> str:
        where = self.resource_type or self.phase
        return f"{self.tool}: {self.name}" + (f" [{where}]" if where else "")


def run_scim2_tester(base_url: str, token: str) -> list[Check]:
    from httpx2 import Client
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import Status, check_server

    passing = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}
    with Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        results = check_server(SyncSCIMClient(http))
    checks = []
    for result in results:
        if result.status == Status.SKIPPED:
            outcome = "skipped"
        elif result.status in passing:
            outcome = "passed"
        else:
            outcome = "failed"
        checks.append(Check(
            tool="scim2-tester",
            name=result.title or "(untitled)",
            outcome=outcome,
            detail=f"{result.status.name}: {result.reason or ''}",
            resource_type=result.resource_type,
        ))
    return checks


def run_scim_sanity(base_url: str, token: str) -> list[Check]:
    from scim_sanity.probe.runner import run_probe_api

    report = run_probe_api(base_url, token=token, strict=True, timeout=60)
    checks = []
    for result in report["results"]:
        status = result.get("status")
        outcome = {"pass": "passed", "warn": "passed", "skip": "skipped"}.get(status, "failed")
        checks.append(Check(
            tool="scim-sanity",
            name=IDS.sub(r"\1{id}", result.get("name", "(unnamed)")),
            outcome=outcome,
            detail=f"{status}: {result.get('message', '')}",
            phase=result.get("phase"),
            warning=status == "warn",
        ))
    return checks


def excused(check: Check, entry: dict[str, str]) -> bool:
    return (
        entry["tool"] == check.tool
        and entry["check"] == check.name
        and entry.get("resource_type", check.resource_type) == check.resource_type
        and entry.get("phase", check.phase) == check.phase
        and entry.get("reason_contains", "") in check.detail
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", choices=TOOLS, action="append", help="run only this tool (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every check, not only failures")
    args = parser.parse_args()
    tools = args.tool or list(TOOLS)

    for entry in EXPECTED_FAILURES:
        if entry.get("tool") not in TOOLS or not entry.get("check") or "RFC" not in entry.get("rfc", ""):
            print(f"expected_failures.py: malformed entry {entry!r}: needs tool, check and rfc citing the RFC")
            return 2

    checks: list[Check] = []
    try:
        with standalone.target() as target:
            print(f"conformance target: {target.base_url}", flush=True)
            for tool in tools:
                runner = run_scim2_tester if tool == "scim2-tester" else run_scim_sanity
                try:
                    checks += runner(target.base_url, target.token)
                except Exception:  # a crashed tool is a failed run, with its traceback
                    checks.append(Check(tool, "(tool crashed)", "failed", traceback.format_exc()))
    except standalone.ServerStartError as e:
        print(f"no SCIM server to test: {e}")
        print("conformance: 0 passed, 1 failed")
        return 1

    passed = failed = skipped = xfailed = 0
    used = [False] * len(EXPECTED_FAILURES)
    for check in checks:
        if check.outcome == "failed":
            entries = [i for i, e in enumerate(EXPECTED_FAILURES) if excused(check, e)]
            if entries:
                for i in entries:
                    used[i] = True
                xfailed += 1
                print(f"XFAIL {check.label()}: {check.detail.strip()}")
            else:
                failed += 1
                print(f"FAIL  {check.label()}: {check.detail.strip()}")
        elif check.outcome == "skipped":
            skipped += 1
            if args.verbose:
                print(f"SKIP  {check.label()}: {check.detail.strip()}")
        else:
            passed += 1
            if check.warning:
                print(f"WARN  {check.label()}: {check.detail.strip()}")
            elif args.verbose:
                print(f"PASS  {check.label()}")

    for i, entry in enumerate(EXPECTED_FAILURES):
        if entry["tool"] in tools and not used[i]:
            failed += 1
            print(f"XPASS {entry['tool']}: {entry['check']}: listed in expected_failures.py but did not "
                  "fail; remove the entry")

    for tool in tools:
        mine = [c for c in checks if c.tool == tool]
        print(f"{tool}: {sum(c.outcome == 'passed' for c in mine)} passed, "
              f"{sum(c.outcome == 'failed' for c in mine)} failed (before excuses), "
              f"{sum(c.outcome == 'skipped' for c in mine)} skipped")
    if xfailed:
        print(f"{xfailed} tool mistakes excused by expected_failures.py")
    print(f"conformance: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
