"""Provisions the benchmark's users through SCIM and samples some of them.

    provision.py BASE_URL TOKEN USERS PREFIX TEMPLATE OUT_DIR SAMPLE CONCURRENCY

Creates users PREFIX0 .. PREFIX<USERS-1> from TEMPLATE (@P@ is the prefix,
@N@ the number) with POST /Users, CONCURRENCY at a time, unless the first and
the last exist already; a 409 counts as already there. Then looks up SAMPLE
of them by `userName eq` and writes their ids to OUT_DIR/ids.txt and their
userNames to OUT_DIR/names.txt, for bench/drupal/drupal.lua. Standard
library only.
"""

import concurrent.futures
import json
import random
import sys
import urllib.error
import urllib.parse
import urllib.request


def main() -> int:
    base, token, users, prefix, template_file, out_dir, sample, concurrency = sys.argv[1:9]
    users, sample, concurrency = int(users), int(sample), int(concurrency)
    with open(template_file, encoding="utf-8") as f:
        template = f.read().strip().replace("@P@", prefix)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json",
               "Accept": "application/scim+json"}

    def call(method: str, path: str, body: str | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(base + path, method=method, headers=headers,
                                         data=None if body is None else body.encode())
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                return e.code, json.loads(text or b"{}")
            except ValueError:
                return e.code, {"detail": text[:200].decode(errors="replace")}

    def lookup(n: int) -> str | None:
        query = urllib.parse.quote(f'userName eq "{prefix}{n}"')
        status, body = call("GET", f"/Users?filter={query}&attributes=id")
        if status != 200:
            raise SystemExit(f"lookup of {prefix}{n}: status {status}: {body}")
        found = body.get("Resources") or []
        return found[0]["id"] if found else None

    def create(n: int) -> tuple[int, str]:
        status, body = call("POST", "/Users", template.replace("@N@", str(n)))
        return status, "" if status in (201, 409) else f"{prefix}{n}: {status} {body.get('detail', body)}"

    created = existing = failed = 0
    if lookup(0) and lookup(users - 1):
        existing = users
        print(f"accounts: {prefix}0 .. {prefix}{users - 1} exist already; none created")
    else:
        errors = []
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            for i, (status, error) in enumerate(pool.map(create, range(users)), 1):
                if status == 201:
                    created += 1
                elif status == 409:
                    existing += 1
                else:
                    failed += 1
                    errors.append(error)
                if i % 1000 == 0:
                    print(f"  {i}/{users}", file=sys.stderr, flush=True)
        print(f"accounts: {created} created, {existing} already there, {failed} failed")
        for error in errors[:5]:
            print(f"  failed: {error}")

    numbers = random.Random(7).sample(range(users), min(sample, users))
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        ids = list(pool.map(lookup, numbers))
    pairs = [(f"{prefix}{n}", i) for n, i in zip(numbers, ids) if i]
    with open(f"{out_dir}/names.txt", "w", encoding="utf-8") as names, \
            open(f"{out_dir}/ids.txt", "w", encoding="utf-8") as id_file:
        for name, i in pairs:
            names.write(name + "\n")
            id_file.write(i + "\n")
    print(f"sample: {len(pairs)} of {len(numbers)} users found by userName")
    return 0 if pairs else 1


if __name__ == "__main__":
    sys.exit(main())
