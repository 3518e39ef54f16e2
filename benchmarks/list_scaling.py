"""Do the per-user reads stay as fast at 1M transactions as at 1k? (DESIGN §9)

Measures the hot read paths (transaction list page with and without filters, detail, summary) for one
user while the table holds about two thousand rows (the baseline), then again after other users' rows
grow it to --rows, and prints each path's ratio large/small from this one run. A ratio near 1 means
the index does the work; a ratio that grows with the table means a scan.

    python benchmarks/list_scaling.py [--rows 1000000] [--repeat 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import psycopg

from drop.clock import utcnow
from drop.db import get_db, reset_db
from drop.db.migrations import apply_migrations
from drop.repositories import transactions as tx_repo
from drop.services.transactions import month_start
from drop.settings import reset_settings

TARGET_USER = "usr_00000000000000aa"


def seed_owner(conn: psycopg.Connection) -> None:
    """One user with 200 transactions of both kinds, counters kept as the services keep them."""
    conn.execute(
        "INSERT INTO users (id, first_name, last_name, kyc_status) VALUES (%s, 'Amir', 'Bašić', 'approved')",
        (TARGET_USER,),
    )
    conn.execute(
        "INSERT INTO bank_accounts (id, user_id, bank_name, account_number, balance, is_primary)"
        " VALUES ('ba_00000000000000aa', %s, 'DNB', '1234.56.78901', 100000, true)",
        (TARGET_USER,),
    )
    conn.execute(
        "INSERT INTO recipients (id, user_id, name, country, currency, bank_account)"
        " VALUES ('rcp_00000000000000aa', %s, 'Mama Jasmina', 'RS', 'RSD', 'RS35260005601001611379')",
        (TARGET_USER,),
    )
    _bulk(conn, "u.id = %(owner)s", 200, {"owner": TARGET_USER})
    conn.execute(
        "INSERT INTO counters (scope, name, value) SELECT user_id, 'tx', count(*) FROM transactions"
        " GROUP BY user_id ON CONFLICT (scope, name) DO UPDATE SET value = EXCLUDED.value"
    )


def seed_others(conn: psycopg.Connection, users: int) -> None:
    conn.execute(
        """
        INSERT INTO users (id, first_name, last_name, kyc_status)
        SELECT 'usr_' || lpad(to_hex(g), 16, '0'), 'Other', 'User', 'approved' FROM generate_series(1, %s) g
        ON CONFLICT DO NOTHING
        """,
        (users,),
    )
    conn.execute(
        """
        INSERT INTO bank_accounts (id, user_id, bank_name, account_number, balance, is_primary)
        SELECT 'ba_' || substr(id, 5), id, 'DNB', '9999.' || substr(id, 5), 100000, true
        FROM users WHERE id <> %s ON CONFLICT DO NOTHING
        """,
        (TARGET_USER,),
    )
    conn.execute(
        """
        INSERT INTO recipients (id, user_id, name, country, currency, bank_account)
        SELECT 'rcp_' || substr(id, 5), id, 'Someone', 'PL', 'PLN', 'PL61109010140000071219812874'
        FROM users WHERE id <> %s ON CONFLICT DO NOTHING
        """,
        (TARGET_USER,),
    )


def _bulk(conn: psycopg.Connection, user_filter: str, per_user: int, params: dict[str, object]) -> None:
    conn.execute(
        f"""
        INSERT INTO transactions (id, user_id, type, status, send_amount, send_currency, receive_amount,
            receive_currency, exchange_rate, fee, fee_percent, total, debited_amount, recipient_id,
            recipient_name, recipient_country, bank_account_id, from_account, created_at)
        SELECT 'tx_rem_' || md5(u.id || g)::text::varchar(16), u.id, 'remittance',
               (ARRAY['processing','completed','failed'])[1 + g %% 3], 100 + g %% 900, 'NOK', 1170,
               'RSD', 11.7,
               0.5, 0.5, 100.5 + g %% 900, 100.5 + g %% 900, 'rcp_' || substr(u.id, 5), 'Someone', 'RS',
               'ba_' || substr(u.id, 5), 'DNB', now() - (g || ' minutes')::interval
        FROM users u, generate_series(1, %(per_user)s) g
        WHERE {user_filter}
        ON CONFLICT DO NOTHING
        """,
        {"per_user": per_user, **params},
    )


def grow_to(conn: psycopg.Connection, rows: int, users: int) -> None:
    per_user = max(1, rows // users)
    _bulk(conn, "u.id <> %(owner)s", per_user, {"owner": TARGET_USER})
    conn.execute("ANALYZE")


def median_ms(call: Callable[[], object], repeat: int) -> float:
    for _ in range(20):  # warm caches and plans
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def paths() -> dict[str, Callable[[], object]]:
    first = tx_repo.page_for_user(TARGET_USER, type=None, status=None, limit=1, offset=0)[1][0]["id"]
    since = month_start(utcnow())
    return {
        "list page 1": lambda: tx_repo.page_for_user(TARGET_USER, type=None, status=None, limit=20, offset=0),
        "list filtered": lambda: tx_repo.page_for_user(
            TARGET_USER, type="remittance", status="completed", limit=20, offset=0
        ),
        "list page 5": lambda: tx_repo.page_for_user(
            TARGET_USER, type=None, status=None, limit=20, offset=80
        ),
        "detail": lambda: tx_repo.find_owned(TARGET_USER, first),
        "summary": lambda: tx_repo.summary(TARGET_USER, since),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL")
        server = None
        if not url:
            import pgserver

            server = pgserver.get_server(str(Path(tmp) / "pg"), cleanup_mode="stop")
            url = str(server.get_uri())
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS drop_bench WITH (FORCE)")
            admin.execute("CREATE DATABASE drop_bench")
        bench_url = psycopg.conninfo.make_conninfo(url, dbname="drop_bench")
        apply_migrations(bench_url)
        os.environ["DATABASE_URL"] = bench_url
        reset_settings()
        reset_db()
        with psycopg.connect(bench_url, autocommit=True) as conn:
            seed_owner(conn)
            seed_others(conn, args.users)
            grow_to(conn, 1, args.users)  # the baseline: one row per other user
            small_rows = conn.execute("SELECT count(*) FROM transactions").fetchone()[0]  # type: ignore[index]
            small = {name: median_ms(call, args.repeat) for name, call in paths().items()}
            print(f"baseline: {small_rows} transactions; growing to about {args.rows} …", flush=True)
            started = time.perf_counter()
            grow_to(conn, args.rows, args.users)
            large_rows = conn.execute("SELECT count(*) FROM transactions").fetchone()[0]  # type: ignore[index]
            print(f"seeded {large_rows} transactions in {time.perf_counter() - started:.0f} s", flush=True)
            large = {name: median_ms(call, args.repeat) for name, call in paths().items()}
        get_db().close()
        print(f"\n{'path':<16}{'ms @' + str(small_rows):>14}{'ms @' + str(large_rows):>16}{'ratio':>9}")
        for name in small:
            ratio = Decimal(str(large[name] / small[name])).quantize(Decimal("0.01"))
            print(f"{name:<16}{small[name]:>14.3f}{large[name]:>16.3f}{ratio:>9}")
        reset_db()
        if server is not None:
            server.cleanup()


if __name__ == "__main__":
    main()
