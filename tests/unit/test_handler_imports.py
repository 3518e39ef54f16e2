"""Importing any handler module opens no database connection and no socket (cold starts stay cheap)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = sorted(ROOT.glob("functions/*/*_handler.py"))

GUARD = """
import socket, sys
import psycopg

class NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        raise AssertionError("a socket was opened at import")

def no_connect(*args, **kwargs):
    raise AssertionError("a database connection was opened at import")

socket.socket = NoSocket
socket.create_connection = no_connect
psycopg.connect = no_connect
psycopg.Connection.connect = classmethod(no_connect)
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print("imported", len(sys.argv) - 1)
"""


def test_every_route_group_has_a_handler() -> None:
    groups = {p.parent.name for p in HANDLERS}
    assert {"health", "rates", "migrate"} <= groups
    assert all(p.stem == f"{p.parent.name}_handler" for p in HANDLERS)


def test_importing_handlers_opens_no_socket_and_no_connection() -> None:
    paths = [str(ROOT / "layers/drop_layer"), *(str(p.parent) for p in HANDLERS)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "DATABASE_URL": "postgresql://x@127.0.0.1:1/x"}
    result = subprocess.run(
        [sys.executable, "-c", GUARD, *(p.stem for p in HANDLERS)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"imported {len(HANDLERS)}" in result.stdout
