"""Postgres access: one lazily opened connection per thread, reused across warm invocations.

Autocommit for single statements; `transaction()` for anything that must commit together.
`prepare_threshold=None` keeps RDS Proxy from pinning the session to one backend.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
from psycopg.rows import DictRow, dict_row

from drop.db.conninfo import resolve_conninfo

Params = Sequence[Any] | dict[str, Any] | None
Cursor = psycopg.Cursor[DictRow]


class Database:
    def __init__(self, conninfo: Callable[[], str] = resolve_conninfo, connect_timeout: int = 5) -> None:
        self._conninfo = conninfo
        self._connect_timeout = connect_timeout
        self._local = threading.local()

    def connection(self) -> psycopg.Connection[DictRow]:
        conn: psycopg.Connection[DictRow] | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            conn = psycopg.connect(
                self._conninfo(),
                autocommit=True,
                prepare_threshold=None,
                row_factory=dict_row,
                connect_timeout=self._connect_timeout,
                application_name="drop",
            )
            self._local.conn = conn
        return conn

    def _discard(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with suppress(psycopg.Error):
                conn.close()

    def _read(self, sql: str, params: Params, one: bool) -> Any:
        # Reads are safe to retry once: a warm Lambda may hold a connection the proxy dropped.
        for attempt in (1, 2):
            try:
                with self.connection().cursor() as cur:
                    cur.execute(sql, params)
                    return cur.fetchone() if one else cur.fetchall()
            except psycopg.OperationalError:
                self._discard()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def fetch_one(self, sql: str, params: Params = None) -> dict[str, Any] | None:
        row = self._read(sql, params, one=True)
        return dict(row) if row is not None else None

    def fetch_all(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        return [dict(row) for row in self._read(sql, params, one=False)]

    def execute(self, sql: str, params: Params = None) -> int:
        """One write statement in autocommit. Never retried: it may have committed."""
        try:
            with self.connection().cursor() as cur:
                cur.execute(sql, params)
                return cur.rowcount
        except psycopg.OperationalError:
            self._discard()
            raise

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """Everything inside commits together or not at all."""
        conn = self.connection()
        try:
            with conn.transaction(), conn.cursor() as cur:
                yield cur
        except psycopg.OperationalError:
            self._discard()
            raise

    def close(self) -> None:
        self._discard()


_db: Database | None = None
_lock = threading.Lock()


def get_db() -> Database:
    global _db
    if _db is None:
        with _lock:
            if _db is None:
                _db = Database()
    return _db


def reset_db() -> None:
    """Close and forget the shared connection (tests switch databases between cases)."""
    global _db
    with _lock:
        if _db is not None:
            _db.close()
        _db = None
