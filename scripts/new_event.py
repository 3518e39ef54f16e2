"""Record an API Gateway proxy event the way `sam local generate-event apigateway aws-proxy` makes it,
then edited into a realistic request (no base64, our stage, a documentation IP, JSON content type).

    python scripts/new_event.py GET /api/rates/RSD /api/rates/{currency} events/rates/get-rsd.json \
        --path-param currency=RSD [--query page=2] [--body '{"a": 1}']
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def record(
    method: str, path: str, resource: str, body: str, query: dict[str, str], params: dict[str, str]
) -> dict:
    sam = Path(sys.executable).with_name("sam")
    raw = subprocess.run(
        [
            str(sam),
            "local",
            "generate-event",
            "apigateway",
            "aws-proxy",
            "--method",
            method,
            "--path",
            path.lstrip("/"),
            "--resource",
            resource,
            "--body",
            body,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    event = json.loads(raw)
    event.update(
        isBase64Encoded=False,
        body=body or None,
        path=path,
        queryStringParameters=query or None,
        multiValueQueryStringParameters={k: [v] for k, v in query.items()} or None,
        pathParameters=params or None,
        stageVariables=None,
    )
    context = event["requestContext"]
    context.update(path="/dev" + path, resourcePath=resource, stage="dev")
    context["identity"]["sourceIp"] = "198.51.100.10"
    event["headers"]["Content-Type"] = "application/json"
    event["multiValueHeaders"]["Content-Type"] = ["application/json"]
    return event


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("method")
    parser.add_argument("path")
    parser.add_argument("resource")
    parser.add_argument("out")
    parser.add_argument("--body", default="")
    parser.add_argument("--query", action="append", default=[])
    parser.add_argument("--path-param", action="append", default=[])
    args = parser.parse_args()
    query = dict(item.split("=", 1) for item in args.query)
    params = dict(item.split("=", 1) for item in args.path_param)
    event = record(args.method.upper(), args.path, args.resource, args.body, query, params)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(event, indent=2) + "\n")


if __name__ == "__main__":
    main()
