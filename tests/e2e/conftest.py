"""One local runtime (`python -m local.dev`) per session, with its own embedded Postgres in a tmp folder.

The runtime's Postgres is its own (no DATABASE_URL) so the outage test can stop and restart it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Only what a shell would give `make dev`: the session's own env (SERVICE_MODE=test, COOKIE_SECURE=true,
# fake AWS settings from tests/conftest.py) must not leak into the runtime.
PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_RUNTIME_DIR")
STARTUP_SECONDS = 120


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Runtime:
    base_url: str
    port: int
    pgdata: Path
    flags_file: Path
    log: Path
    _socket_dir: Path | None = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        source_ip: str = "127.0.0.1",
    ) -> Reply:
        """One HTTP request; `source_ip` (any 127.x.y.z) becomes the event's identity.sourceIp."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(source_ip, 0))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            conn.close()

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def stop_postgres(self) -> None:
        from pgserver.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.pgdata)
        self._socket_dir = info.socket_dir if info and info.socket_dir else self.pgdata
        _pg_ctl("-w", "-m", "fast", "stop", pgdata=self.pgdata)

    def start_postgres(self) -> None:
        # The options pgserver started it with, so the runtime's socket URI stays valid.
        _pg_ctl(
            "-w", "-o", '-h ""', "-o", f"-k {self._socket_dir}", "-l", str(self.pgdata / "log"), "start",
            pgdata=self.pgdata,
        )  # fmt: skip

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _pg_ctl(*args: str, pgdata: Path) -> None:
    from pgserver._commands import POSTGRES_BIN_PATH

    # Postgres refuses to run as root; pgserver then runs it as its own `pgserver` user, and so do we.
    user = "pgserver" if os.geteuid() == 0 else None
    subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), *args],
        check=True,
        capture_output=True,
        user=user,
        timeout=60,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def runtime() -> Iterator[Runtime]:
    # Not under pytest's basetemp: every pytest session resets /tmp/pytest-of-<user> to 0700, which locks
    # out the `pgserver` user that Postgres runs as when we are root, while our Postgres is still running.
    home = Path(tempfile.mkdtemp(prefix="drop-e2e-"))
    flags_file = home / "flags.json"  # a copy, so a test may edit flags without touching the repo
    shutil.copy(ROOT / "local" / "flags.json", flags_file)
    port = free_port()
    env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "layers" / "drop_layer")])
    log = home / "runtime.log"
    command = [
        sys.executable, "-m", "local.dev", "--port", str(port), "--flags-port", str(free_port()),
        "--bankid-port", "0",
        "--data-dir", str(home / "data"), "--flags-file", str(flags_file),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    rt = Runtime(f"http://127.0.0.1:{port}", port, home / "data" / "pgdata", flags_file, log)
    try:
        _wait_until_up(rt, process)
        yield rt
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if (rt.pgdata / "postmaster.pid").exists():  # the runtime died before its cleanup ran
            with contextlib.suppress(subprocess.CalledProcessError):
                rt.stop_postgres()
        shutil.rmtree(home, ignore_errors=True)


def _wait_until_up(rt: Runtime, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"local runtime exited with {process.returncode}:\n{rt.log_tail()}")
        try:
            if rt.get("/api/health").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"local runtime did not answer /api/health within {STARTUP_SECONDS}s:\n{rt.log_tail()}")
