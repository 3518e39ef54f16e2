from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop.auth.context import authenticate
from drop.http.envelope import ok
from drop.http.request import parse_body
from drop.models.settings import SettingsPatch
from drop.services.settings import get_settings, update_settings

router = Router()


@router.get("/api/settings")
def read_settings() -> Response[str]:
    user = authenticate(router.current_event)
    return ok(get_settings(user.id))


@router.patch("/api/settings")
def patch_settings() -> Response[str]:
    user = authenticate(router.current_event)
    patch = parse_body(router.current_event, SettingsPatch)
    return ok(update_settings(user.id, patch))
