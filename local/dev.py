"""`make dev`: every route of template.yaml on http://127.0.0.1:3000, without Docker (DESIGN §5).

Postgres (embedded or DATABASE_URL) with the layer's migrations, moto for SQS and Secrets Manager, a flags
server playing the AppConfig extension, SAM CLI's own API Gateway emulator running the handlers in this
process, and a poller playing the SQS event source mapping and the outbox schedule.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import warnings
from contextlib import ExitStack
from pathlib import Path

from local.aws import provision, start_moto
from local.bankid import bankid_env, start_bankid_provider
from local.database import prepare_database, start_database
from local.flags_server import FlagsServer
from local.gateway import Gateway, InProcessRunner, function_specs, load_stacks
from local.queue_poller import QueuePoller

ROOT = Path(__file__).absolute().parents[1]
REGION = "eu-north-1"

# Defaults only: a value the developer exported wins (e.g. COOKIE_SECURE=true behind a TLS proxy).
ENV_DEFAULTS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "FLAGS_APPLICATION": "drop",
    "FLAGS_ENVIRONMENT": "local",
    "FLAGS_PROFILE": "features",
    "FLAGS_MAX_AGE": "2",
    "SERVICE_MODE": "development",
    "COOKIE_SECURE": "false",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "Drop",
    "POWERTOOLS_SERVICE_NAME": "drop",
    "POWERTOOLS_DEV": "false",
    "SAM_CLI_TELEMETRY": "0",  # SAM's gateway would otherwise try to report usage from an offline laptop
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local.dev", description="Drop without Docker.")
    parser.add_argument("--port", type=int, default=3000, help="API port (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".local", help="pgdata and the JWT key")
    parser.add_argument("--flags-file", type=Path, default=ROOT / "local" / "flags.json")
    parser.add_argument("--moto-port", type=int, default=0)
    parser.add_argument("--flags-port", type=int, default=2772)
    parser.add_argument("--bankid-port", type=int, default=3001, help="local BankID provider (0: free port)")
    parser.add_argument("--no-poller", action="store_true", help="no SQS consumer and no outbox schedule")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Our own lines at INFO; pgserver, botocore and moto's request log only when something goes wrong.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("local").setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # else werkzeug sets INFO on first use
    warnings.filterwarnings("ignore", "No application metrics to publish")  # Powertools, on every request

    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())

    data_dir: Path = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, value in ENV_DEFAULTS.items():
        os.environ.setdefault(name, value)

    with ExitStack() as running:
        conninfo, database, stop_database = start_database(data_dir)
        running.callback(stop_database)
        os.environ["DATABASE_URL"] = conninfo
        prepare_database(conninfo)

        # The endpoints below point at servers this process just started, so they always overwrite.
        moto, moto_url = start_moto(args.moto_port)
        running.callback(moto.stop)
        os.environ["AWS_ENDPOINT_URL"] = moto_url
        aws = provision(data_dir)
        os.environ["SETTLEMENT_QUEUE_URL"] = aws.queue_url
        os.environ["SETTLEMENT_DLQ_URL"] = aws.dlq_url
        os.environ["JWT_SECRET_ARN"] = aws.jwt_secret_arn

        flags = FlagsServer(args.flags_file.resolve(), args.flags_port)
        flags.start()
        running.callback(flags.stop)
        os.environ["FLAGS_ENDPOINT"] = flags.url

        stacks = load_stacks(ROOT / "template.yaml")
        functions = function_specs(stacks, ROOT)
        # Each function folder is its own Lambda code root; handler module names are unique (DESIGN §3).
        for spec in functions.values():
            if str(spec.code_dir) not in sys.path:
                sys.path.append(str(spec.code_dir))
        runner = InProcessRunner(functions)
        running.callback(runner.close)
        gateway = Gateway(stacks, runner, args.host, args.port, ROOT)
        os.environ.setdefault("APP_URL", f"{gateway.url}/")

        # BankID: the stand-in OIDC provider, on its own thread (the auth handler calls it back).
        bankid = start_bankid_provider(args.host, args.bankid_port)
        running.callback(bankid.stop)
        os.environ.update(bankid_env(bankid, gateway.url))
        gateway.start()
        running.callback(gateway.stop)

        if not args.no_poller:
            poller = QueuePoller(runner, aws.queue_url, aws.queue_arn, os.environ["AWS_DEFAULT_REGION"])
            poller.start()
            running.callback(poller.stop)

        print(
            f"\nDrop is running on {gateway.url}  ({gateway.routes} routes from template.yaml)\n"
            f"  database  {database}\n"
            f"  flags     {args.flags_file}  (edits apply live, served on {flags.url})\n"
            f"  BankID    {bankid.issuer}  (persons: approved, pending, rejected, noaccount, approved2)\n"
            f"  AWS       moto on {moto_url}  (queue {aws.queue_url.rsplit('/', 1)[-1]}, secret drop/jwt)\n"
            "  sign in   GET /api/auth/bankid, then open redirectUrl + '&login_hint=approved' (README)\n"
            "Ctrl-C stops everything; the data stays for the next run.\n",
            flush=True,
        )
        stopping.wait()
        print("Stopping…", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
