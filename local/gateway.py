"""`sam local start-api` without Docker: SAM CLI's own API Gateway emulator, handlers run in this process.

SAM's `LocalApigwService` builds the Flask routes from the template and the exact proxy events; it only
needs a "Lambda runner" with `is_debugging()` and `invoke(name, event_json, stdout=…)`. `InProcessRunner`
is that runner: it imports the function's handler module once (a warm Lambda) and writes the handler's
return value to `stdout`, where SAM reads the proxy response from.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import threading
import time
import uuid
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request
from samcli.lib.providers.api_provider import ApiProvider
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider
from samcli.lib.utils.stream_writer import StreamWriter
from samcli.local.apigw.local_apigw_service import LocalApigwService
from werkzeug.serving import BaseWSGIServer, make_server

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]

NOT_IMPLEMENTED = {
    "statusCode": 404,
    "headers": {"Content-Type": "application/json"},
    "body": json.dumps({"error": "not_found", "message": "Route not implemented", "details": []}),
}


class HandlerMissing(LookupError):
    """The template names a handler module that is not written yet."""


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    code_dir: Path
    handler: str  # "<module>.<attribute>", as in the template
    memory_mb: int
    timeout_s: int


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object that Powertools and handlers read."""

    function_name: str
    memory_limit_in_mb: int
    timeout_s: int
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:eu-north-1:123456789012:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_s - (time.monotonic() - self._started)) * 1000))


def load_stacks(template: Path) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # SAM's translator, about its own internals
        stacks, _ = SamLocalStackProvider.get_stacks(str(template))
    return list(stacks)


def load_api(stacks: list[Any], root: Path) -> Any:
    """SAM's route table (`Api`, with `.routes`), as `sam local start-api` builds it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return ApiProvider(stacks, cwd=str(root)).api


def function_specs(stacks: list[Any], root: Path) -> dict[str, FunctionSpec]:
    """Every function of the template that has code on disk, keyed by logical id (SAM's route target)."""
    specs = {}
    for fn in SamFunctionProvider(stacks).get_all():
        if fn.codeuri and fn.handler:
            code_dir = root / fn.codeuri
            specs[fn.name] = FunctionSpec(fn.name, code_dir, fn.handler, fn.memory or 128, fn.timeout or 3)
    return specs


class InProcessRunner:
    """Runs template functions in this process, on one worker thread, like the one thread of a Lambda sandbox.

    The code relies on that: the Powertools resolver keeps the current event on the module-level `app`,
    and the layer keeps one database connection per thread, which stays warm across invocations here.
    """

    def __init__(self, functions: dict[str, FunctionSpec]) -> None:
        self._functions = functions
        self._handlers: dict[str, Handler] = {}
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lambda")

    def is_debugging(self) -> bool:
        return False

    def exists(self, name: str) -> bool:
        return self._worker.submit(self._exists, name).result()

    def call(self, name: str, event: dict[str, Any]) -> Any:
        """Invoke like Lambda would; raises HandlerMissing when the module is not written yet."""
        return self._worker.submit(self._call, name, event).result()

    def close(self) -> None:
        self._worker.shutdown(cancel_futures=True)

    def invoke(
        self,
        function_identifier: str,
        event: str,
        stdout: StreamWriter | None = None,
        stderr: StreamWriter | None = None,
        **_: Any,
    ) -> None:
        try:
            output = json.dumps(self.call(function_identifier, json.loads(event)))
        except HandlerMissing:
            output = json.dumps(NOT_IMPLEMENTED)
        except Exception as exc:
            # What the Lambda runtime reports for an unhandled error; SAM turns it into a 5xx like AWS does.
            log.exception("%s raised", function_identifier)
            output = json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)})
        if stdout is not None:
            stdout.write_str(output)

    def _exists(self, name: str) -> bool:
        try:
            self._handler(name)
        except HandlerMissing:
            return False
        return True

    def _call(self, name: str, event: dict[str, Any]) -> Any:
        handler = self._handler(name)
        spec = self._functions[name]
        return handler(event, LambdaContext(name, spec.memory_mb, spec.timeout_s))

    def _handler(self, name: str) -> Handler:
        if name not in self._handlers:
            spec = self._functions.get(name)
            if spec is None:
                raise HandlerMissing(name)
            module_name, attribute = spec.handler.rsplit(".", 1)
            self._handlers[name] = getattr(_import_if_present(module_name), attribute)
        return self._handlers[name]


def _import_if_present(module_name: str) -> Any:
    for _ in range(2):
        try:
            return importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # the module exists but one of its imports does not: a real bug, let it show
            # The file may have been written after startup; the import system caches directory listings.
            importlib.invalidate_caches()
    raise HandlerMissing(module_name)


def route_not_found(_: Exception) -> tuple[Response, int]:
    # Replaces SAM's API Gateway-faithful 403 "Missing Authentication Token" with Drop's envelope.
    return jsonify({"error": "not_found", "message": "Route not found", "details": []}), 404


class Gateway:
    """SAM's gateway for every route of the template, served by a threaded werkzeug server."""

    def __init__(self, stacks: list[Any], runner: InProcessRunner, host: str, port: int, root: Path) -> None:
        api = load_api(stacks, root)
        self.routes = len(api.routes)
        service = LocalApigwService(
            api=api, lambda_runner=runner, port=port, host=host, stderr=StreamWriter(sys.stderr)
        )
        service.create()
        app: Flask = service._app  # create() keeps the Flask app only on this attribute
        app.register_error_handler(404, route_not_found)
        app.register_error_handler(405, route_not_found)
        app.after_request(_log_request)
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        service.port = self._server.port  # SAM puts the port into each event; it matters when port was 0
        self._thread = threading.Thread(target=self._server.serve_forever, name="api-gateway", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _log_request(response: Response) -> Response:
    log.info("%s %s -> %s", request.method, request.full_path.rstrip("?"), response.status_code)
    return response
