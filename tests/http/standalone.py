"""Where the black-box suites aim, and the standalone server they start when
nothing is given: PHP's built-in web server with the `scim` extension and
`php-module/server.php` in front of a fresh SQLite database.

Environment:
  SCIM_BASE_URL   the SCIM root to test, e.g. http://127.0.0.1:8080/scim/v2;
                  when unset, a standalone server is started
  SCIM_TOKEN      its bearer token (required with SCIM_BASE_URL)
  SCIM_EXTENSION  the extension to load (default <repo>/target/release/libscim.so)
  SCIM_PHP        the PHP binary (default `php`)
  SCIM_START_TIMEOUT  seconds to wait for the server to answer (default 30)
  SCIM_KEEP_TMP   keep the temporary directory (database, server log)

Run it as a script to start a server by hand; it prints the two variables
to export and serves until interrupted.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scim_client import ScimClient  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SCIM_PATH = "/scim/v2"


class ServerStartError(Exception):
    """The server to test could not be reached or started; says why and what to do."""


@dataclass
class Target:
    """A SCIM service provider to test."""

    base_url: str
    token: str
    server: "StandaloneServer | None" = None


def extension_path() -> Path:
    """The extension the standalone server loads."""
    configured = os.environ.get("SCIM_EXTENSION")
    return Path(configured) if configured else REPO / "target" / "release" / "libscim.so"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StandaloneServer:
    """PHP's built-in server running `php-module/server.php` with the extension,
    a new SQLite database in a temporary directory and a random token."""

    def __init__(self, extension: Path | None = None, workers: int = 4):
        self.extension = (extension or extension_path()).resolve()
        self.router = REPO / "php-module" / "server.php"
        self.php = os.environ.get("SCIM_PHP", "php")
        self.workers = workers
        self.token = secrets.token_urlsafe(32)
        self.port = 0
        self.tmp: Path | None = None
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{SCIM_PATH}"

    @property
    def log_path(self) -> Path | None:
        return self.tmp / "server.log" if self.tmp else None

    def command(self) -> list[str]:
        return [
            self.php,
            "-d",
            f"extension={self.extension}",
            "-S",
            f"127.0.0.1:{self.port}",
            str(self.router),
        ]

    def _check_prerequisites(self) -> None:
        if shutil.which(self.php) is None:
            raise ServerStartError(f"PHP not found: {self.php!r} is not on PATH (set SCIM_PHP)")
        if not self.extension.is_file():
            raise ServerStartError(
                f"the scim PHP extension is missing: {self.extension} does not exist. "
                "Build it with `cargo build --release`, point SCIM_EXTENSION at it, "
                "or aim the suite at a running server with SCIM_BASE_URL and SCIM_TOKEN"
            )
        if not self.router.is_file():
            raise ServerStartError(f"the front controller is missing: {self.router} does not exist")
        probe = subprocess.run(
            [self.php, "-d", f"extension={self.extension}", "-r",
             'exit(extension_loaded("scim") ? 0 : 3);'],
            capture_output=True, text=True, timeout=60,
        )
        if probe.returncode != 0:
            raise ServerStartError(
                f"PHP could not load the extension {self.extension} "
                f"(exit {probe.returncode}): {(probe.stdout + probe.stderr).strip()}"
            )

    def start(self, timeout: float | None = None) -> None:
        """Starts the server and waits until `GET /ServiceProviderConfig` answers 200."""
        self._check_prerequisites()
        self.tmp = Path(tempfile.mkdtemp(prefix="scim-http-"))
        self.port = free_port()
        env = dict(os.environ)
        env.update(
            PHP_CLI_SERVER_WORKERS=str(self.workers),
            SCIM_DB=str(self.tmp / "scim.sqlite"),
            SCIM_TOKEN=self.token,
        )
        self._log = open(self.tmp / "server.log", "wb")
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.tmp,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_ready(timeout or float(os.environ.get("SCIM_START_TIMEOUT", "30")))
        except BaseException:
            self.stop()
            raise

    def _log_tail(self) -> str:
        if self._log:
            self._log.flush()
        path = self.log_path
        if path is None or not path.exists():
            return "(no log)"
        text = path.read_bytes()[-4000:].decode("utf-8", "replace").strip()
        return text or "(empty log)"

    def _wait_ready(self, timeout: float) -> None:
        client = ScimClient(self.base_url, self.token, timeout=5)
        deadline = time.monotonic() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise ServerStartError(
                    f"the standalone server exited with code {self.process.returncode} "
                    f"before answering; command: {' '.join(self.command())}\n"
                    f"server log:\n{self._log_tail()}"
                )
            try:
                response = client.get("/ServiceProviderConfig")
            except OSError:
                response = None
            if response is not None:
                if response.status == 200:
                    return
                raise ServerStartError(
                    f"the standalone server answered GET {SCIM_PATH}/ServiceProviderConfig "
                    f"with the token by {response.status}, not 200: {response.describe()}\n"
                    f"server log:\n{self._log_tail()}"
                )
            if time.monotonic() > deadline:
                raise ServerStartError(
                    f"the standalone server did not answer within {timeout:.0f} s on "
                    f"{self.base_url}; server log:\n{self._log_tail()}"
                )
            time.sleep(0.1)

    def stop(self) -> None:
        """Stops the server and its workers (one process group) and removes the
        temporary directory unless SCIM_KEEP_TMP is set."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Workers forked by the built-in server share its process group.
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        if self._log:
            self._log.close()
            self._log = None
        if self.tmp and not os.environ.get("SCIM_KEEP_TMP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "StandaloneServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def target() -> Iterator[Target]:
    """The server named by SCIM_BASE_URL and SCIM_TOKEN, or else a standalone
    server started for the duration."""
    base_url = os.environ.get("SCIM_BASE_URL", "").strip()
    if base_url:
        token = os.environ.get("SCIM_TOKEN", "")
        if not token:
            raise ServerStartError("SCIM_BASE_URL is set but SCIM_TOKEN is not: set both")
        yield Target(base_url.rstrip("/"), token)
        return
    with StandaloneServer() as server:
        yield Target(server.base_url, server.token, server)


def main() -> int:
    try:
        with StandaloneServer() as server:
            print(f"export SCIM_BASE_URL={server.base_url}")
            print(f"export SCIM_TOKEN={server.token}")
            print(f"# database and log in {server.tmp}; Ctrl-C stops", flush=True)
            try:
                signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
                server.process.wait()
            except KeyboardInterrupt:
                pass
    except ServerStartError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
