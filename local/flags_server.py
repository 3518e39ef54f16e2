"""Plays the AppConfig Lambda extension for `make dev`: serves the flags file over its HTTP API.

The handlers read flags exactly as in AWS (an HTTP GET on the extension's port), so there is one code path;
here the "deployed configuration" is a JSON file re-read on every request, so edits apply while it runs.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aws_lambda_powertools.utilities.feature_flags.exceptions import SchemaValidationError
from aws_lambda_powertools.utilities.feature_flags.schema import SchemaValidator

log = logging.getLogger(__name__)

CONFIG_PATH = re.compile(r"^/applications/[^/]+/environments/[^/]+/configurations/[^/]+$")


def read_flags(path: Path) -> bytes:
    """The file's bytes if it holds a valid Powertools feature-flags schema; raises ValueError otherwise."""
    raw = path.read_bytes()
    try:
        SchemaValidator(schema=json.loads(raw)).validate()
    except (json.JSONDecodeError, SchemaValidationError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    return raw


class _Handler(BaseHTTPRequestHandler):
    server: FlagsHTTPServer

    def do_GET(self) -> None:
        if not CONFIG_PATH.match(self.path.split("?", 1)[0]):
            self._send(404, {"error": "not_found", "message": "Unknown configuration path"})
            return
        try:
            body = read_flags(self.server.flags_file)
        except (OSError, ValueError) as exc:
            # A half-saved or mistyped file must not look like "all flags off": say the store is unavailable.
            log.error("flags file unusable: %s", exc)
            self._send(503, {"error": "flags_unavailable", "message": str(exc)})
            return
        self._send_bytes(200, body)

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        self._send_bytes(status, json.dumps(payload).encode())

    def _send_bytes(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)  # handlers poll this every few seconds: keep the console quiet


class FlagsHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, flags_file: Path) -> None:
        super().__init__((host, port), _Handler)
        self.flags_file = flags_file


class FlagsServer:
    """A flags server on 127.0.0.1:<port> (0 picks a free port) running in a daemon thread."""

    def __init__(self, flags_file: Path, port: int) -> None:
        self._httpd = FlagsHTTPServer("127.0.0.1", port, flags_file)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="flags-server", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
