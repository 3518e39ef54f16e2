"""The database of `make dev`: DATABASE_URL when set, else an embedded Postgres kept in the data folder."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path


def start_database(data_dir: Path) -> tuple[str, str, Callable[[], None]]:
    """Return (conninfo, description for the banner, stop callback)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, "DATABASE_URL", lambda: None

    # Imported only here, as DATABASE_URL users never need it. It warns at import when XDG_RUNTIME_DIR is
    # unset (containers, CI); its /tmp fallback is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from pgserver.postgres_server import get_server
    from pgserver.utils import PostmasterInfo

    pgdata = data_dir / "pgdata"
    # "stop" stops the server when this process exits but keeps pgdata, so data survives between runs.
    server = get_server(pgdata, cleanup_mode="stop")

    def stop() -> None:
        # pgserver only stops the postmaster it started; if Postgres was restarted meanwhile (by hand, or
        # by the e2e outage test), point it at the one running now.
        server._postmaster_info = PostmasterInfo.read_from_pgdata(pgdata)
        server.cleanup()

    return server.get_uri(), f"embedded Postgres in {pgdata}", stop


def prepare_database(conninfo: str) -> None:
    from drop.db.migrations import apply_migrations  # the layer's migrations: the same SQL as in AWS
    from local.seed import seed_demo_data

    apply_migrations(conninfo)
    seed_demo_data(conninfo)
