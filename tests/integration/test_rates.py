from __future__ import annotations

from decimal import Decimal

import rates_handler

from tests.support.events import load_event
from tests.support.lambda_invoke import invoke

SEEDED = {
    "RSD": Decimal("11.7"),
    "BAM": Decimal("1.04"),
    "PLN": Decimal("0.41"),
    "PKR": Decimal("26.8"),
    "TRY": Decimal("3.45"),
    "EUR": Decimal("0.089"),
}


def test_lists_the_six_rates_from_nok() -> None:
    response = invoke(rates_handler, load_event("rates", "list-ok"))
    assert response.status == 200
    assert response.data["baseCurrency"] == "NOK"
    assert response.data["rates"] == SEEDED
    assert '"RSD":11.7' in response.raw_body  # a JSON number, not a string
    assert response.data["updatedAt"].endswith("Z")


def test_one_rate_carries_the_remittance_fee() -> None:
    response = invoke(rates_handler, load_event("rates", "get-rsd"))
    assert response.status == 200
    assert response.data["currency"] == "RSD"
    assert response.data["rate"] == Decimal("11.7")
    assert response.data["fee"] == Decimal("0.005")
    assert response.data["baseCurrency"] == "NOK"


def test_currency_is_case_insensitive() -> None:
    event = load_event("rates", "get-rsd", path="/api/rates/pln", path_params={"currency": "pln"})
    response = invoke(rates_handler, event)
    assert response.status == 200
    assert response.data["currency"] == "PLN"


def test_unknown_currency_is_404_in_the_envelope() -> None:
    response = invoke(rates_handler, load_event("rates", "get-unknown"))
    assert response.status == 404
    assert response.json["error"] == "not_found"
    assert response.json["message"]
    assert response.json["details"] == []


def test_the_61st_request_in_a_minute_from_one_ip_is_rate_limited() -> None:
    statuses = [invoke(rates_handler, load_event("rates", "list-ok")).status for _ in range(60)]
    assert statuses == [200] * 60
    limited = invoke(rates_handler, load_event("rates", "get-rsd"))
    assert limited.status == 429
    assert limited.json["error"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    # Another client IP has its own budget
    other = invoke(rates_handler, load_event("rates", "list-ok", source_ip="203.0.113.7"))
    assert other.status == 200


def test_unknown_route_is_a_404_envelope() -> None:
    event = load_event("rates", "list-ok", path="/api/rates/RSD/extra")
    response = invoke(rates_handler, event)
    assert response.status == 404
    assert response.json["error"] == "not_found"
