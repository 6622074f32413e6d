"""The scenario loader (SPEC §3): the sample loads; malformed files are refused whole,
with a message naming the key and the entry."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
import yaml

from simulator.scenario import (
    SAMPLE_PATH, ScenarioError, from_mapping, load_file, load_sample, parse_text,
)

from sim_helpers import sample_mapping


def load(mapping):
    return from_mapping(mapping)


def refused(mapping, *fragments):
    """Assert the mapping is refused and the message names every fragment."""
    with pytest.raises(ScenarioError) as info:
        from_mapping(mapping)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "\n" not in message.strip()
    return message


# --- the sample ------------------------------------------------------------------

def test_sample_loads_with_the_article_values():
    sc = load_sample()
    assert sc.now == datetime(2026, 3, 17, 9, 0)
    assert sc.currency == "USD"
    assert (sc.tax.name, sc.tax.rate, sc.tax.inclusive) == ("Tax", Decimal("10"), False)
    assert sc.settings.downgrade_timing == "immediate"
    assert sc.settings.credit_on_downgrade and sc.settings.apply_credit_automatically
    assert sc.settings.provisioning_delay_minutes == 0
    assert [(p.id, p.name, p.tier) for p in sc.plans] == [
        ("basic", "Basic", 0), ("start", "Start", 1), ("business", "Business", 2)]
    assert sc.plans[1].prices == {"monthly": Decimal("12.00"), "annually": Decimal("120.00")}
    (alice,) = sc.clients
    assert (alice.email, alice.name, alice.credit, alice.payment_method) == (
        "alice@example.com", "Alice Example", Decimal("1.00"), "card")
    assert [(u.email, u.can_change_plans) for u in alice.users] == [("bob@example.com", False)]
    (svc,) = sc.services
    assert (svc.id, svc.client, svc.plan, svc.cycle, svc.status, svc.next_due) == (
        1001, "alice@example.com", "basic", "monthly", "Active", date(2026, 4, 1))
    assert svc.plan_change_allowed is True
    assert svc.allowed_targets is None  # every other plan: Start and Business


def test_sample_file_is_the_one_loaded_by_path():
    assert load_file(SAMPLE_PATH) == load_sample()


def test_defaults_for_every_optional_top_level_key():
    minimal = sample_mapping()
    for key in ("now", "currency", "tax", "settings"):
        del minimal[key]
    sc = load(minimal)
    assert sc.now == datetime(2026, 3, 17, 9, 0)
    assert sc.currency == "USD"
    assert (sc.tax.name, sc.tax.rate, sc.tax.inclusive) == ("Tax", Decimal("10"), False)
    assert sc.settings.downgrade_timing == "immediate"
    assert sc.settings.credit_on_downgrade is True
    assert sc.settings.apply_credit_automatically is True
    assert sc.settings.provisioning_delay_minutes == 0


def test_optional_service_and_client_keys_default():
    data = sample_mapping()
    svc = data["services"][0]
    for key in ("status", "plan_change_allowed"):
        del svc[key]
    for key in ("credit", "payment_method", "users"):
        del data["clients"][0][key]
    sc = load(data)
    assert sc.services[0].status == "Active"
    assert sc.services[0].plan_change_allowed is True
    assert sc.services[0].allowed_targets is None       # every other plan
    assert sc.clients[0].credit == 0
    assert sc.clients[0].payment_method == "card"
    assert sc.clients[0].users == ()


# --- now ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["now: 2026-03-20\n", "now: '2026-03-20'\n"])
def test_bare_date_now_means_nine_oclock(text):
    data = sample_mapping()
    data["now"] = yaml.safe_load(text)["now"]
    assert load(data).now == datetime(2026, 3, 20, 9, 0)


def test_now_with_a_time_keeps_the_time():
    data = sample_mapping()
    data["now"] = "2026-03-20T17:45:00"
    assert load(data).now == datetime(2026, 3, 20, 17, 45)


def test_bare_date_now_in_json_means_nine_oclock():
    data = sample_mapping()
    data["now"] = "2026-03-20"
    text = json.dumps(data, default=str)
    assert from_mapping(parse_text(text)).now == datetime(2026, 3, 20, 9, 0)


# --- JSON as well as YAML ----------------------------------------------------------

def test_json_is_accepted_and_equals_the_yaml(tmp_path):
    data = sample_mapping()
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    assert load_file(path) == load_sample()


def test_yaml_text_round_trip(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(sample_mapping()), encoding="utf-8")
    assert load_file(path) == load_sample()


def test_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError, match="not found"):
        load_file(tmp_path / "missing.yaml")


@pytest.mark.parametrize("text", ["plans: [", "{\"plans\": ", "- a\n- b\n", "just text", ""])
def test_not_a_mapping_or_not_parseable_is_refused(text):
    with pytest.raises(ScenarioError):
        from_mapping(parse_text(text))


# --- malformed entries: refused whole, message names the key and the entry ---------------

def mutate(path, value):
    """A copy of the sample with the item at `path` (keys/indices) set to `value`."""
    data = sample_mapping()
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


def test_unknown_top_level_key():
    refused(mutate(["colour"], "blue"), "colour", "unknown key")


def test_unknown_key_inside_a_service():
    refused(mutate(["services", 0, "colour"], "blue"), "services[0]", "colour",
            "unknown key")


def test_unknown_key_inside_a_client():
    refused(mutate(["clients", 0, "age"], 3), "clients[0]", "age", "unknown key")


def test_unknown_key_inside_a_user():
    refused(mutate(["clients", 0, "users", 0, "role"], "admin"), "users[0]", "role")


def test_unknown_key_inside_a_plan():
    refused(mutate(["plans", 1, "colour"], "red"), "plans[1]", "colour")


@pytest.mark.parametrize("section, key", [("tax", "percent"), ("settings", "downgrade")])
def test_unknown_key_inside_tax_and_settings(section, key):
    refused(mutate([section, key], "x"), section, key, "unknown key")


def test_unknown_plan_in_a_service():
    refused(mutate(["services", 0, "plan"], "gold"), "services[0]", "1001", "plan", "gold")


def test_unknown_plan_in_allowed_targets():
    refused(mutate(["services", 0, "allowed_targets"], ["start", "gold"]),
            "services[0]", "allowed_targets", "gold")


def test_unknown_client_in_a_service():
    refused(mutate(["services", 0, "client"], "carol@example.com"),
            "services[0]", "1001", "client", "carol@example.com")


def test_cycle_the_plan_does_not_price():
    refused(mutate(["services", 0, "cycle"], "quarterly"), "services[0]", "1001", "cycle",
            "quarterly")


def test_unknown_cycle_name():
    refused(mutate(["services", 0, "cycle"], "weekly"), "services[0]", "cycle", "weekly")


def test_unknown_cycle_in_plan_prices():
    refused(mutate(["plans", 0, "prices", "weekly"], "1.00"), "plans[0]", "prices", "weekly")


@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", "01/04/2026", ""])
def test_bad_next_due(value):
    refused(mutate(["services", 0, "next_due"], value), "services[0]", "1001", "next_due")


@pytest.mark.parametrize("value", ["2026-13-01T09:00:00", "yesterday", "2026-03-17T25:00:00"])
def test_bad_now(value):
    refused(mutate(["now"], value), "now")


@pytest.mark.parametrize("value", [5.0, 5.5])
def test_float_price_is_refused(value):
    refused(mutate(["plans", 0, "prices", "monthly"], value), "plans[0]", "basic",
            "prices.monthly")


@pytest.mark.parametrize("value", ["five", "-1.00", "5.001", "NaN", "Infinity", None, True, [5]])
def test_bad_price_is_refused(value):
    refused(mutate(["plans", 0, "prices", "monthly"], value), "plans[0]", "prices.monthly")


@pytest.mark.parametrize("value", [1.0, "lots", "-1.00", "0.001"])
def test_bad_credit_is_refused(value):
    refused(mutate(["clients", 0, "credit"], value), "clients[0]", "alice@example.com", "credit")


@pytest.mark.parametrize("value", [10.0, "ten", "-5", "100", "150"])
def test_bad_tax_rate_is_refused(value):
    refused(mutate(["tax", "rate"], value), "tax", "rate")


def test_jpy_amounts_must_be_whole_yen():
    data = mutate(["currency"], "JPY")
    for p in data["plans"]:
        p["prices"] = {c: str(int(Decimal(v))) for c, v in p["prices"].items()}
    data["clients"][0]["credit"] = "100"
    assert load(data).currency == "JPY"
    data["plans"][0]["prices"]["monthly"] = "500.50"
    refused(data, "plans[0]", "prices.monthly")


def test_unknown_currency():
    refused(mutate(["currency"], "EUR"), "currency", "EUR")


def test_duplicate_service_ids():
    data = sample_mapping()
    data["services"].append(dict(data["services"][0]))
    refused(data, "services[1]", "1001", "id", "twice")


def test_duplicate_plan_ids():
    data = sample_mapping()
    data["plans"].append({"id": "start", "name": "Start again", "prices": {"monthly": "1.00"}})
    refused(data, "plans[3]", "start", "twice")


def test_duplicate_client_emails():
    data = sample_mapping()
    data["clients"].append({"email": "alice@example.com", "password": "x"})
    refused(data, "clients[1]", "alice@example.com", "twice")


def test_user_email_clashing_with_a_client():
    data = sample_mapping()
    data["clients"][0]["users"].append({"email": "alice@example.com", "password": "x"})
    refused(data, "users[1]", "alice@example.com", "twice")


@pytest.mark.parametrize("value", [0, -3, "1001", 10.5, True])
def test_bad_service_id(value):
    refused(mutate(["services", 0, "id"], value), "services[0]", "id")


@pytest.mark.parametrize("value", ["active", "Closed", ""])
def test_bad_status(value):
    refused(mutate(["services", 0, "status"], value), "services[0]", "1001", "status")


@pytest.mark.parametrize("status", ["Active", "Pending", "Suspended", "Cancelled", "Terminated"])
def test_every_spec_status_is_accepted(status):
    assert load(mutate(["services", 0, "status"], status)).services[0].status == status


@pytest.mark.parametrize("value", ["paypal", "Card", ""])
def test_bad_payment_method(value):
    refused(mutate(["clients", 0, "payment_method"], value), "clients[0]", "alice@example.com",
            "payment_method")


def test_bank_transfer_is_accepted():
    data = mutate(["clients", 0, "payment_method"], "bank_transfer")
    assert load(data).clients[0].payment_method == "bank_transfer"


@pytest.mark.parametrize("key, value", [
    ("downgrade_timing", "later"),
    ("credit_on_downgrade", "yes please"),
    ("apply_credit_automatically", 1),
    ("provisioning_delay_minutes", -5),
    ("provisioning_delay_minutes", "ten"),
    ("provisioning_delay_minutes", 2.5),
])
def test_bad_settings(key, value):
    refused(mutate(["settings", key], value), "settings", key)


@pytest.mark.parametrize("key, value", [("plan_change_allowed", "no"), ("allowed_targets", "start")])
def test_bad_service_flags(key, value):
    refused(mutate(["services", 0, key], value), "services[0]", key)


def test_allowed_targets_naming_the_current_plan():
    refused(mutate(["services", 0, "allowed_targets"], ["basic", "start"]),
            "services[0]", "allowed_targets", "basic")


def test_bad_email():
    refused(mutate(["clients", 0, "email"], "not-an-email"), "clients[0]", "email")


@pytest.mark.parametrize("key", ["plans", "clients", "services"])
def test_required_top_level_keys(key):
    data = sample_mapping()
    del data[key]
    refused(data, key)


@pytest.mark.parametrize("key", ["id", "client", "plan", "cycle", "next_due"])
def test_required_service_keys(key):
    data = sample_mapping()
    del data["services"][0][key]
    refused(data, "services[0]", key)


def test_empty_plan_list_is_refused():
    refused(mutate(["plans"], []), "plans")


def test_refused_whole_even_when_only_the_last_entry_is_bad():
    data = sample_mapping()
    extra = dict(data["services"][0], id=1002, plan="gold")
    data["services"].append(extra)
    refused(data, "services[1]", "1002", "gold")


def test_plans_are_ranked_in_listed_order():
    data = sample_mapping()
    data["plans"].reverse()
    sc = load(data)
    assert [(p.id, p.tier) for p in sc.plans] == [("business", 0), ("start", 1), ("basic", 2)]
