"""Where the database is: DATABASE_URL locally, RDS Proxy + Secrets Manager credentials when deployed."""

from __future__ import annotations

from psycopg.conninfo import make_conninfo

from drop.secrets import get_secret_json
from drop.settings import get_settings


def resolve_conninfo() -> str:
    settings = get_settings()
    if settings.database_url:
        return settings.database_url
    if not settings.db_host or not settings.db_secret_arn:
        raise RuntimeError("Set DATABASE_URL, or DB_HOST and DB_SECRET_ARN")
    secret = get_secret_json(settings.db_secret_arn)
    return make_conninfo(
        host=settings.db_host,
        port=settings.db_port,
        dbname=settings.db_name,
        user=secret["username"],
        password=secret["password"],
        sslmode="require",
    )
