"""The control API (SPEC §4): only with TESTING; bad bodies get 400, a JSON error and
change nothing."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from sim_helpers import change, logged_in, sample_mapping, scenario, service_state, state

ENDPOINTS = [("post", "/__sim__/scenario"), ("post", "/__sim__/clock"),
             ("post", "/__sim__/invoices/INV-000001/pay"), ("get", "/__sim__/state")]


def number_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_control_api_is_404_without_testing(make_app, method, path):
    client = make_app(TESTING=False).test_client()
    response = getattr(client, method)(path, json={"advance_days": 1})
    assert response.status_code == 404


def test_control_api_off_leaves_the_clock_alone(make_app):
    app = make_app(TESTING=False)
    client = app.test_client()
    client.post("/__sim__/clock", json={"advance_days": 30})
    app.config["TESTING"] = True            # look through the API without a reload
    assert state(client)["now"] == "2026-03-17T09:00:00"


def test_state_has_the_documented_shape(client):
    body = state(client)
    assert body == {
        "now": "2026-03-17T09:00:00",
        "clients": [{"email": "alice@example.com", "credit": "1.00"}],
        "services": [{"id": 1001, "client": "alice@example.com", "plan": "basic",
                      "cycle": "monthly", "price": "5.00", "status": "Active",
                      "next_due": "2026-04-01", "pending_change": None}],
        "invoices": [],
    }


def test_state_response_is_json(client):
    response = client.get("/__sim__/state")
    assert response.mimetype == "application/json"


# --- POST /__sim__/scenario ----------------------------------------------------------------

def _dirty(client):
    """Alice upgrades: the state has an invoice and a changed plan."""
    logged_in(client)
    number_of(change(client))
    return state(client)


def test_scenario_yaml_body_replaces_the_whole_state(client):
    _dirty(client)
    data = scenario(now="2026-05-02", client={"credit": "7.50"})
    response = client.post("/__sim__/scenario", data=yaml.safe_dump(data),
                           content_type="application/yaml")
    assert response.status_code == 200
    body = state(client)
    assert body["now"] == "2026-05-02T09:00:00"              # bare date = 09:00
    assert body["invoices"] == []
    assert body["clients"] == [{"email": "alice@example.com", "credit": "7.50"}]
    assert service_state(client)["plan"] == "basic"


def test_scenario_json_body_is_accepted(client):
    data = sample_mapping()
    data["now"] = "2026-03-20T10:30:00"
    data["services"][0]["next_due"] = "2026-04-01"
    response = client.post("/__sim__/scenario", data=json.dumps(data, default=str),
                           content_type="application/json")
    assert response.status_code == 200
    assert state(client)["now"] == "2026-03-20T10:30:00"


def test_invoice_numbers_restart_after_a_new_scenario(client):
    _dirty(client)
    client.post("/__sim__/scenario", data=yaml.safe_dump(sample_mapping()),
                content_type="application/yaml")
    logged_in(client)
    assert number_of(change(client)) == "INV-000001"


@pytest.mark.parametrize("body, fragment", [
    ("", None),
    ("plans: [", None),
    ("- just\n- a list\n", None),
    ("colour: blue\n" + yaml.safe_dump(sample_mapping()), "colour"),
])
def test_bad_scenario_body_is_400_with_json_error_and_changes_nothing(client, body, fragment):
    before = _dirty(client)
    response = client.post("/__sim__/scenario", data=body, content_type="application/yaml")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert isinstance(error, str) and error
    if fragment:
        assert fragment in error
    assert state(client) == before


def test_malformed_scenario_body_names_the_key_and_entry(client):
    before = state(client)
    data = sample_mapping()
    data["services"][0]["plan"] = "gold"
    response = client.post("/__sim__/scenario", data=yaml.safe_dump(data),
                           content_type="application/yaml")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "services[0]" in error and "plan" in error and "gold" in error
    assert state(client) == before


# --- POST /__sim__/clock -----------------------------------------------------------------------

@pytest.mark.parametrize("body, now", [
    ({"now": "2026-03-20T10:00:00"}, "2026-03-20T10:00:00"),
    ({"now": "2026-03-20"}, "2026-03-20T09:00:00"),
    ({"advance_minutes": 90}, "2026-03-17T10:30:00"),
    ({"advance_days": 2}, "2026-03-19T09:00:00"),
    ({"advance_days": 0}, "2026-03-17T09:00:00"),
    ({"now": "2026-03-17T09:00:00"}, "2026-03-17T09:00:00"),
])
def test_clock_moves(client, body, now):
    response = client.post("/__sim__/clock", json=body)
    assert response.status_code == 200
    assert state(client)["now"] == now


@pytest.mark.parametrize("body", [
    {"now": "2026-03-17T08:59:59"},
    {"now": "2026-03-16"},
    {"advance_minutes": -1},
    {"advance_days": -1},
])
def test_clock_never_goes_backwards(client, body):
    before = state(client)
    response = client.post("/__sim__/clock", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert state(client) == before


@pytest.mark.parametrize("raw", [
    "", "not json", "[]", "{}", '"2026-03-20"', "null",
    '{"now": "soon"}', '{"now": "2026-02-30"}',
    '{"now": 20260320}', '{"now": "20260320"}', '{"now": "2026-W12-5"}',
    '{"advance_minutes": "10"}', '{"advance_minutes": 1.5}', '{"advance_days": true}',
    '{"advance_hours": 1}', '{"now": "2026-03-20", "advance_days": 1}',
])
def test_bad_clock_body_is_400_with_json_error_and_changes_nothing(client, raw):
    before = state(client)
    response = client.post("/__sim__/clock", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert isinstance(response.get_json()["error"], str)
    assert state(client) == before


def test_clock_applies_every_change_due_by_then(make_app):
    client = make_app(scenario(
        service={"plan": "start", "allowed_targets": None},
        settings={"downgrade_timing": "next_renewal"},
        extra_services=[{"id": 1002, "plan": "business", "next_due": "2026-04-10"}],
    )).test_client()
    logged_in(client)
    number_of(change(client, 1001, plan="basic"))
    number_of(change(client, 1002, plan="start"))
    client.post("/__sim__/clock", json={"now": "2026-04-05"})
    assert [s["plan"] for s in state(client)["services"]] == ["basic", "business"]
    client.post("/__sim__/clock", json={"advance_days": 30})
    assert [s["plan"] for s in state(client)["services"]] == ["basic", "start"]


# --- POST /__sim__/invoices/<n>/pay ---------------------------------------------------------------

def _unpaid(make_app):
    client = make_app(scenario(client={"payment_method": "bank_transfer"})).test_client()
    logged_in(client)
    return client, number_of(change(client))


def test_pay_marks_the_invoice_paid_and_applies_the_change(make_app):
    client, number = _unpaid(make_app)
    assert state(client)["invoices"][0]["status"] == "Unpaid"
    response = client.post(f"/__sim__/invoices/{number}/pay", json={})
    assert response.status_code == 200
    assert state(client)["invoices"][0]["status"] == "Paid"
    assert service_state(client)["plan"] == "start"


def test_paying_an_unknown_invoice_is_refused_with_json(make_app):
    client, _ = _unpaid(make_app)
    before = state(client)
    response = client.post("/__sim__/invoices/INV-999999/pay", json={})
    assert response.status_code in (400, 404)
    assert response.get_json()["error"]
    assert state(client) == before


def test_paying_a_paid_invoice_twice_is_refused_and_changes_nothing(make_app):
    client, number = _unpaid(make_app)
    client.post(f"/__sim__/invoices/{number}/pay", json={})
    before = state(client)
    response = client.post(f"/__sim__/invoices/{number}/pay", json={})
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert state(client) == before


def test_control_api_needs_no_csrf_token(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    assert client.post("/__sim__/clock", json={"advance_days": 1}).status_code == 200
    assert client.post("/__sim__/scenario", data=yaml.safe_dump(sample_mapping()),
                       content_type="application/yaml").status_code == 200
    assert re.match(r"2026-03-17T09:00:00", state(client)["now"])
