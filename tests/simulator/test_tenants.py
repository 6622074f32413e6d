"""Tenants (SPEC §4.1): whole scenarios seeded side by side in one running portal, each
with its own clock, catalog, clients, services and invoices, none visible to another."""
from __future__ import annotations

import json
import statistics
import threading
import time

import pytest
import yaml

from sim_helpers import (ALICE, TEST_SECRET, change, logged_in, login, row_value,
                         sample_mapping, scenario, state, text_of)

ALICE_PASS, BOB_PASS = ALICE[1], "bob-pass"


@pytest.fixture
def portal(make_app):
    """A portal of its own (tenant ids start at t1), holding the sample as default tenant."""
    return make_app(TENANT_LIMIT=1000)


def seed(client, data=None, **headers):
    """POST a tenant; returns the response (201 and the mapping, normally)."""
    return client.post("/__sim__/tenants", data=yaml.safe_dump(data or sample_mapping()),
                       content_type="application/yaml", headers=headers)


def seeded(client, data=None) -> dict:
    response = seed(client, data)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def tenant_state(client, tenant: str) -> dict:
    response = client.get(f"/__sim__/tenants/{tenant}/state")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def user(portal, email: str, password: str = ALICE_PASS):
    """A browser of its own, logged in as `email`."""
    return logged_in(portal.test_client(), (email, password))


def invoice_number(submit_response) -> str:
    assert submit_response.status_code == 303, submit_response.get_data(as_text=True)
    return submit_response.headers["Location"].rsplit("/", 1)[1]


# --- seeding -----------------------------------------------------------------------------

def test_seeding_answers_the_tenant_and_the_real_logins_and_service_ids(portal):
    response = seed(portal.test_client())
    assert response.status_code == 201
    assert response.get_json() == {
        "tenant": "t1",
        "logins": {"alice@example.com": "alice+t1@example.com",
                   "bob@example.com": "bob+t1@example.com"},
        "services": {"1001": 1_000_001_001},
    }


def test_a_tenant_state_has_the_documented_shape_with_its_real_names(portal):
    client = portal.test_client()
    body = seeded(client)
    assert tenant_state(client, body["tenant"]) == {
        "now": "2026-03-17T09:00:00",
        "clients": [{"email": "alice+t1@example.com", "credit": "1.00"}],
        "services": [{"id": 1_000_001_001, "client": "alice+t1@example.com", "plan": "basic",
                      "cycle": "monthly", "price": "5.00", "status": "Active",
                      "next_due": "2026-04-01", "pending_change": None}],
        "invoices": [],
    }


def test_a_tenant_login_keeps_its_password_and_sees_its_own_service(portal):
    body = seeded(portal.test_client())
    alice = user(portal, body["logins"]["alice@example.com"])
    real = body["services"]["1001"]
    page = alice.get("/services/dns")
    assert f"/services/dns/{real}" in page.get_data(as_text=True)
    assert alice.get(f"/services/dns/{real}").status_code == 200
    bob = user(portal, body["logins"]["bob@example.com"], BOB_PASS)   # an extra user too
    assert bob.get(f"/services/dns/{real}").status_code == 200


def test_the_scenario_emails_themselves_do_not_log_in_to_a_tenant(portal):
    client = portal.test_client()
    seeded(client, scenario(carol=True))
    response = login(client, ("carol@example.com", "carol-pass"))   # carol is only in t1
    assert response.status_code == 400
    assert "The email or password is not correct." in text_of(response.get_data(as_text=True))


def test_a_json_body_is_accepted_too(portal):
    response = portal.test_client().post("/__sim__/tenants",
                                         data=json.dumps(sample_mapping(), default=str),
                                         content_type="application/json")
    assert response.status_code == 201
    assert response.get_json()["tenant"] == "t1"


# --- isolation ----------------------------------------------------------------------------

def test_two_tenants_from_one_scenario_keep_separate_invoices_credit_and_clocks(portal):
    control = portal.test_client()
    one, two = seeded(control), seeded(control)
    assert one["tenant"] != two["tenant"]
    assert set(one["logins"].values()).isdisjoint(two["logins"].values())
    assert one["services"]["1001"] != two["services"]["1001"]

    alice_one = user(portal, one["logins"]["alice@example.com"])
    number = invoice_number(change(alice_one, sid=one["services"]["1001"]))
    control.post(f"/__sim__/tenants/{one['tenant']}/clock", json={"advance_days": 10})

    first, second = tenant_state(control, one["tenant"]), tenant_state(control, two["tenant"])
    assert [i["number"] for i in first["invoices"]] == [number]
    assert first["clients"][0]["credit"] == "0.00" and first["services"][0]["plan"] == "start"
    assert first["now"] == "2026-03-27T09:00:00"
    assert second["invoices"] == [] and second["clients"][0]["credit"] == "1.00"
    assert second["services"][0]["plan"] == "basic" and second["now"] == "2026-03-17T09:00:00"


def test_a_tenant_user_cannot_see_another_tenants_or_the_default_service(portal):
    control = portal.test_client()
    one, two = seeded(control), seeded(control)
    alice_two = user(portal, two["logins"]["alice@example.com"])
    listing = alice_two.get("/services/dns").get_data(as_text=True)
    assert str(one["services"]["1001"]) not in listing
    for other in (one["services"]["1001"], 1001):          # another tenant's, the default's
        assert alice_two.get(f"/services/dns/{other}").status_code == 404
        assert alice_two.get(f"/services/dns/{other}/change").status_code == 404


def test_a_tenant_user_cannot_open_another_tenants_or_the_default_invoice(portal):
    control = portal.test_client()
    one, two = seeded(control), seeded(control)
    theirs = invoice_number(change(user(portal, one["logins"]["alice@example.com"]),
                                   sid=one["services"]["1001"]))
    default = invoice_number(change(user(portal, ALICE[0])))
    alice_two = user(portal, two["logins"]["alice@example.com"])
    assert theirs not in alice_two.get("/invoices").get_data(as_text=True)
    for number in (theirs, default):
        assert alice_two.get(f"/invoices/{number}").status_code == 404
        assert alice_two.get(f"/invoices/{number}/pdf").status_code == 404


def test_the_default_user_cannot_see_a_tenants_service(portal):
    body = seeded(portal.test_client())
    alice = user(portal, ALICE[0])
    assert alice.get(f"/services/dns/{body['services']['1001']}").status_code == 404


def test_invoice_numbers_are_unique_in_the_portal_and_the_default_keeps_its_own(portal):
    control = portal.test_client()
    one, two = seeded(control), seeded(control)
    numbers = [invoice_number(change(user(portal, body["logins"]["alice@example.com"]),
                                     sid=body["services"]["1001"])) for body in (one, two)]
    numbers.append(invoice_number(change(user(portal, ALICE[0]))))
    assert numbers[2] == "INV-000001"
    assert len(set(numbers)) == 3, numbers


def test_each_tenant_shows_its_own_currency_and_tax(portal):
    yen = scenario(currency="JPY", tax={"name": "Consumption tax", "rate": "10"},
                   plans=[{"id": "basic", "name": "Basic", "prices": {"monthly": "500"}},
                          {"id": "start", "name": "Start", "prices": {"monthly": "1200"}}])
    yen["clients"][0]["credit"] = "0"
    yen["services"][0]["allowed_targets"] = ["start"]
    body = seeded(portal.test_client(), yen)
    alice_yen = user(portal, body["logins"]["alice@example.com"])
    page = alice_yen.get(f"/services/dns/{body['services']['1001']}/change/review"
                         f"?plan=start&cycle=monthly")
    assert page.status_code == 200
    assert row_value(page.get_data(as_text=True), "Consumption tax (10%)") == "¥34"
    default_page = user(portal, ALICE[0]).get("/services/dns/1001/change/review"
                                              "?plan=start&cycle=monthly")
    assert row_value(default_page.get_data(as_text=True), "Tax (10%)") == "$0.34"


def test_tenant_activity_leaves_the_default_tenant_untouched(portal):
    control = portal.test_client()
    before = state(control)
    body = seeded(control)
    tenant = body["tenant"]
    change(user(portal, body["logins"]["alice@example.com"]), sid=body["services"]["1001"])
    control.post(f"/__sim__/tenants/{tenant}/clock", json={"advance_days": 30})
    assert control.delete(f"/__sim__/tenants/{tenant}").status_code == 200
    assert state(control) == before


def test_a_new_default_scenario_leaves_the_tenants_alone(portal):
    control = portal.test_client()
    body = seeded(control)
    alice = user(portal, body["logins"]["alice@example.com"])
    change(alice, sid=body["services"]["1001"])
    before = tenant_state(control, body["tenant"])
    response = control.post("/__sim__/scenario", data=yaml.safe_dump(scenario(carol=True)),
                            content_type="application/yaml")
    assert response.status_code == 200
    assert tenant_state(control, body["tenant"]) == before
    assert alice.get(f"/services/dns/{body['services']['1001']}").status_code == 200


def test_a_default_scenario_that_takes_a_tenants_login_is_refused(portal):
    control = portal.test_client()
    seeded(control)
    before = state(control)
    data = sample_mapping()
    data["clients"][0]["email"] = "alice+t1@example.com"
    data["services"][0]["client"] = "alice+t1@example.com"
    response = control.post("/__sim__/scenario", data=yaml.safe_dump(data),
                            content_type="application/yaml")
    assert response.status_code == 409
    assert response.get_json() == {"error": "clients[0] (alice+t1@example.com): email: tenant "
                                            "t1 holds this login; delete that tenant first"}
    assert state(control) == before


def test_a_default_scenario_that_takes_a_tenants_service_id_is_refused(portal):
    control = portal.test_client()
    real = seeded(control)["services"]["1001"]
    data = sample_mapping()
    data["services"][0]["id"] = real
    response = control.post("/__sim__/scenario", data=yaml.safe_dump(data),
                            content_type="application/yaml")
    assert response.status_code == 409
    assert response.get_json() == {"error": f"services[0] (id {real}): id: tenant t1 holds "
                                            f"this service id; delete that tenant first"}


def test_a_tenant_skips_the_names_the_default_tenant_uses(make_app):
    data = sample_mapping()
    data["clients"][0]["email"] = "alice+t1@example.com"
    data["services"][0]["client"] = "alice+t1@example.com"
    portal = make_app(data, TENANT_LIMIT=10)
    body = seeded(portal.test_client())
    assert body["tenant"] == "t2"
    assert body["logins"]["alice@example.com"] == "alice+t2@example.com"


# --- per-tenant clock, pay, state, delete -------------------------------------------------

def test_a_tenant_clock_moves_only_that_tenant_and_never_backwards(portal):
    control = portal.test_client()
    one, two = seeded(control), seeded(control)
    moved = control.post(f"/__sim__/tenants/{one['tenant']}/clock",
                         json={"now": "2026-03-20T10:00:00"})
    assert moved.status_code == 200 and moved.get_json()["now"] == "2026-03-20T10:00:00"
    back = control.post(f"/__sim__/tenants/{one['tenant']}/clock", json={"now": "2026-03-18"})
    assert back.status_code == 400 and "never goes backwards" in back.get_json()["error"]
    bad = control.post(f"/__sim__/tenants/{one['tenant']}/clock", json={"advance_days": -1})
    assert bad.status_code == 400
    assert tenant_state(control, one["tenant"])["now"] == "2026-03-20T10:00:00"
    assert tenant_state(control, two["tenant"])["now"] == "2026-03-17T09:00:00"
    assert state(control)["now"] == "2026-03-17T09:00:00"


def test_a_tenant_clock_applies_that_tenants_scheduled_downgrade(portal):
    control = portal.test_client()
    body = seeded(control, scenario(settings={"downgrade_timing": "next_renewal"},
                                    service={"plan": "start", "allowed_targets": None}))
    real = body["services"]["1001"]
    change(user(portal, body["logins"]["alice@example.com"]), sid=real, plan="basic")
    pending = tenant_state(control, body["tenant"])["services"][0]["pending_change"]
    assert pending["plan"] == "basic" and pending["effective"] == "2026-04-01"
    control.post(f"/__sim__/tenants/{body['tenant']}/clock", json={"now": "2026-04-01T00:00"})
    service = tenant_state(control, body["tenant"])["services"][0]
    assert service["plan"] == "basic" and service["pending_change"] is None


def test_paying_a_tenant_invoice_by_bank_transfer(portal):
    control = portal.test_client()
    one, two = (seeded(control, scenario(client={"payment_method": "bank_transfer"}))
                for _ in range(2))
    number = invoice_number(change(user(portal, one["logins"]["alice@example.com"]),
                                   sid=one["services"]["1001"]))
    assert tenant_state(control, one["tenant"])["invoices"][0]["status"] == "Unpaid"
    # Neither the default tenant nor another tenant holds that invoice.
    for elsewhere in ("/__sim__", f"/__sim__/tenants/{two['tenant']}"):
        refused = control.post(f"{elsewhere}/invoices/{number}/pay",
                               content_type="application/json")
        assert refused.status_code == 404, elsewhere
    paid = control.post(f"/__sim__/tenants/{one['tenant']}/invoices/{number}/pay",
                        content_type="application/json")
    assert paid.status_code == 200
    assert paid.get_json()["invoices"][0]["status"] == "Paid"
    assert paid.get_json()["services"][0]["plan"] == "start"


def test_deleting_a_tenant_ends_its_sessions_and_its_logins(portal):
    control = portal.test_client()
    body = seeded(control)
    tenant, email = body["tenant"], body["logins"]["alice@example.com"]
    alice = user(portal, email)
    response = control.delete(f"/__sim__/tenants/{tenant}")
    assert response.status_code == 200
    assert response.get_json() == {"tenant": tenant, "deleted": True}
    assert alice.get("/services/dns").status_code == 302          # back to Log in
    assert login(portal.test_client(), (email, ALICE_PASS)).status_code == 400
    assert control.get(f"/__sim__/tenants/{tenant}/state").status_code == 404
    assert seeded(control)["tenant"] != tenant                    # an id is never reused


def test_deleting_a_tenant_ends_the_sessions_on_the_server(portal):
    body = seeded(portal.test_client())
    email = body["logins"]["alice@example.com"]
    user(portal, email)
    portal.test_client().delete(f"/__sim__/tenants/{body['tenant']}")
    with portal.extensions["store"].reading() as db:
        left = db.execute("SELECT COUNT(*) FROM sessions WHERE user = ?", (email,)).fetchone()
    assert left[0] == 0


def test_a_delete_the_disk_refuses_leaves_the_tenant_whole(make_app, tmp_path):
    portal = make_app(DATABASE=str(tmp_path / "state.db"))
    control = portal.test_client()
    body = seeded(control)
    alice = user(portal, body["logins"]["alice@example.com"])
    with portal.extensions["store"].reading() as db:   # sessions live in the default's file
        db.execute("PRAGMA query_only = ON")
    response = control.delete(f"/__sim__/tenants/{body['tenant']}")
    assert response.status_code == 503
    assert tenant_state(control, body["tenant"])["clients"][0]["email"] == \
        body["logins"]["alice@example.com"]
    assert alice.get(f"/services/dns/{body['services']['1001']}").status_code == 200


@pytest.mark.parametrize("method, path", [
    ("get", "/__sim__/tenants/t9/state"),
    ("post", "/__sim__/tenants/t9/clock"),
    ("post", "/__sim__/tenants/t9/invoices/INV-T9-000001/pay"),
    ("delete", "/__sim__/tenants/t9"),
    ("delete", "/__sim__/tenants/default"),
])
def test_an_unknown_tenant_is_a_404_json(portal, method, path):
    seeded(portal.test_client())
    response = getattr(portal.test_client(), method)(path, json={"advance_days": 1})
    assert response.status_code == 404
    assert response.get_json() == {"error": "no tenant " + repr(path.split("/")[3])}


# --- refusals -------------------------------------------------------------------------------

def _unknown_plan():
    data = sample_mapping()
    data["services"][0]["plan"] = "gold"
    return yaml.safe_dump(data)


@pytest.mark.parametrize("body, says", [
    ("", "the body must be a scenario"),
    ("plans: [", "not valid YAML or JSON"),
    ("- a list", "expected a mapping"),
    (yaml.safe_dump({**sample_mapping(), "colour": "blue"}), "colour: unknown key"),
    (_unknown_plan(), "services[0] (id 1001): plan: 'gold' is not one of the plans"),
])
def test_a_bad_scenario_is_a_400_naming_the_key_and_creates_nothing(portal, body, says):
    control = portal.test_client()
    response = control.post("/__sim__/tenants", data=body, content_type="application/yaml")
    assert response.status_code == 400
    assert says in response.get_json()["error"]
    assert len(portal.extensions["tenants"]) == 0
    assert seeded(control)["tenant"] == "t1"


def test_a_tenant_of_more_than_999_services_is_refused(portal):
    data = sample_mapping()
    data["services"] = [{**data["services"][0], "id": n} for n in range(1, 1001)]
    response = seed(portal.test_client(), data)
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "services: a tenant holds at most 999 services, this scenario has 1000"}


def test_the_control_guard_covers_the_tenant_routes(portal):
    control = portal.test_client()
    foreign = seed(control, Origin="https://evil.example")
    assert foreign.status_code == 400 and "another site" in foreign.get_json()["error"]
    as_form = control.post("/__sim__/tenants", data=yaml.safe_dump(sample_mapping()),
                           content_type="text/plain")
    assert as_form.status_code == 400 and "Content-Type" in as_form.get_json()["error"]
    assert len(portal.extensions["tenants"]) == 0
    tenant = seeded(control)["tenant"]
    deleted = control.delete(f"/__sim__/tenants/{tenant}",
                             headers={"Origin": "https://evil.example"})
    assert deleted.status_code == 400
    assert control.delete(f"/__sim__/tenants/{tenant}", data="x",
                          content_type="text/plain").status_code == 400
    assert control.get(f"/__sim__/tenants/{tenant}/state").status_code == 200
    # A DELETE without a body needs no Content-Type: no page can send one cross-site.
    assert control.delete(f"/__sim__/tenants/{tenant}").status_code == 200


def test_the_tenant_routes_are_404_without_testing(make_app):
    client = make_app(TESTING=False).test_client()
    assert seed(client).status_code == 404


# --- bounds -----------------------------------------------------------------------------------

def test_past_the_cap_a_tenant_is_refused_until_one_is_deleted(make_app):
    portal = make_app(TENANT_LIMIT=2)
    control = portal.test_client()
    first, _ = seeded(control), seeded(control)
    refused = seed(control)
    assert refused.status_code == 409
    assert refused.get_json() == {"error": "the portal already holds 2 tenants, its limit: "
                                           "delete some (DELETE /__sim__/tenants/<id>) first"}
    control.delete(f"/__sim__/tenants/{first['tenant']}")
    assert seed(control).status_code == 201


def test_past_the_memory_budget_a_tenant_is_refused_until_one_is_deleted(make_app):
    from simulator import scenario as scenario_mod
    from simulator.tenants import memory_cost

    cost = memory_cost(scenario_mod.from_mapping(sample_mapping()))
    portal = make_app(TENANT_MEMORY_LIMIT=2 * cost + 10)
    control = portal.test_client()
    first, _ = seeded(control), seeded(control)
    refused = seed(control)
    assert refused.status_code == 409
    assert "the tenants would exceed" in refused.get_json()["error"]
    control.delete(f"/__sim__/tenants/{first['tenant']}")
    assert seed(control).status_code == 201


def test_tenants_created_at_once_from_threads_all_get_their_own_names(portal):
    answers, errors = [], []

    def create():
        response = seed(portal.test_client())
        (answers if response.status_code == 201 else errors).append(response.get_json())

    threads = [threading.Thread(target=create) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({a["tenant"] for a in answers}) == 16
    assert len({a["services"]["1001"] for a in answers}) == 16
    assert len({a["logins"]["alice@example.com"] for a in answers}) == 16
    for answer in answers:                 # each one whole: its login opens its service
        alice = user(portal, answer["logins"]["alice@example.com"])
        assert alice.get(f"/services/dns/{answer['services']['1001']}").status_code == 200


def test_seeding_a_tenant_with_known_passwords_is_quick(portal):
    control = portal.test_client()
    seeded(control)                                         # the passwords hashed once
    times = []
    for _ in range(20):
        start = time.perf_counter()
        seeded(control)
        times.append(time.perf_counter() - start)
    # Many CI workers seed one tenant per scenario; scrypt alone costs ~100 ms per password.
    assert statistics.median(times) < 0.05, times


# --- logins -------------------------------------------------------------------------------------

def test_tenant_logins_are_throttled_whoever_asks_and_whatever_is_seeded(make_app):
    portal = make_app(LOGIN_MAX_FAILURES_PER_EMAIL=2)
    control = portal.test_client()
    logins = seeded(control)["logins"]
    email = logins["alice@example.com"]
    for _ in range(2):
        assert login(portal.test_client(), (email, "wrong")).status_code == 400
    seeded(control)                              # another tenant arrives meanwhile
    # Not even from a browser logged in to that tenant (as bob) does the count restart.
    bob = user(portal, logins["bob@example.com"], BOB_PASS)
    blocked = login(bob, (email, ALICE_PASS))
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers


def test_after_a_restart_an_old_tenant_cookie_does_not_log_in_to_a_new_tenant(tmp_path):
    from simulator import create_app
    config = {"TESTING": True, "DATABASE": str(tmp_path / "state.db"),
              "WTF_CSRF_ENABLED": False, "SECRET_KEY": TEST_SECRET}
    first = create_app(dict(config))
    body = seeded(first.test_client())
    cookie = user(first, body["logins"]["alice@example.com"]).get_cookie("session").value

    second = create_app(dict(config))                  # tenants live in memory: gone
    again = seeded(second.test_client())
    assert again["logins"] == body["logins"]           # the same names, a new tenant
    browser = second.test_client()
    browser.set_cookie("session", cookie)
    assert browser.get("/services/dns").status_code == 302
