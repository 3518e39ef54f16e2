"""Environment configuration, read once at the edge (DESIGN §10)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    database_url: str | None = None
    db_host: str | None = None
    db_port: int = 5432
    db_name: str = "drop"
    db_secret_arn: str | None = None

    jwt_secret_arn: str | None = None
    settlement_queue_url: str | None = None

    flags_endpoint: str = "http://localhost:2772"
    flags_application: str = "drop"
    flags_environment: str = "dev"
    flags_profile: str = "features"
    flags_max_age: int = 5

    service_mode: str = "production"
    app_version: str = "0.1.0"

    bankid_issuer: str | None = None
    bankid_client_id: str | None = None
    bankid_client_secret: str | None = None
    bankid_redirect_uri: str | None = None
    app_url: str = "/"
    mobile_redirect_uri: str = "drop://auth/callback"
    cookie_secure: bool = True


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between cases)."""
    get_settings.cache_clear()
