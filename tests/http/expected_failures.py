"""Known gaps of the server under test, in one place.

Each entry maps a test (`test_<file>.py::<test name>[<params>]`, relative to
this directory) to the reason it fails today, citing the RFC section the
test enforces. conftest.py marks each listed test xfail(strict=True): a
listed test that starts to pass fails the run, so the entry must go.
"""

EXPECTED_FAILURES: dict[str, str] = {}
