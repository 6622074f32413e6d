"""A walk through every screen the portal can show, for the language tests.

`tour(locale, currency)` builds portals whose accounts between them reach every
screen and every note: the login page and its refusals, the list with each kind
of pending change, details with each lock, the change page's three notes, reviews
(same cycle, new cycle, credit, next renewal, stale), paid and unpaid invoices
with their PDFs, and the error pages. It returns {screen name: (status, body)}.
"""
from __future__ import annotations

import copy

from simulator import create_app

from sim_helpers import TEST_SECRET, hidden, sample_mapping


def _scenario(locale: str | None, currency: str, **top) -> dict:
    scn = sample_mapping()
    if locale is not None:
        scn["locale"] = locale
    scn["currency"] = currency
    if currency == "JPY":  # whole yen
        prices = {"basic": ("500", "5000"), "start": ("1200", "12000"),
                  "business": ("3000", "30000")}
        for plan in scn["plans"]:
            monthly, annually = prices[plan["id"]]
            plan["prices"] = {"monthly": monthly, "annually": annually}
        scn["clients"][0]["credit"] = "100"
    scn["clients"].append({"email": "carol@example.com", "password": "carol-pass",
                           "name": "Carol Example", "credit": "0",
                           "payment_method": "bank_transfer"})
    base = {"client": "alice@example.com", "plan": "basic", "cycle": "monthly",
            "status": "Active", "next_due": "2026-04-01"}
    scn["services"] = [
        {**base, "id": 1001, "allowed_targets": ["start", "business"]},
        {**base, "id": 1002, "plan": "start"},
        {**base, "id": 1003, "status": "Suspended"},
        {**base, "id": 1004, "plan_change_allowed": False},
        {**base, "id": 1005, "next_due": "2026-03-17"},
        {**base, "id": 1006, "plan": "business"},
        {**base, "id": 2001, "client": "carol@example.com"},
    ]
    scn.update(top)
    return scn


def _app(scenario: dict, **config):
    cfg = {"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": None,
           "SECRET_KEY": TEST_SECRET, "SCENARIO": copy.deepcopy(scenario)}
    cfg.update(config)
    return create_app(cfg)


def _login(client, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password})


def _submit(client, sid: int, plan: str, cycle: str):
    page = client.get(f"/services/dns/{sid}/change/review?plan={plan}&cycle={cycle}")
    token = hidden(page.get_data(as_text=True), "review_token")
    done = client.post(f"/services/dns/{sid}/change",
                       data={"plan": plan, "cycle": cycle, "review_token": token})
    assert done.status_code == 303, done.get_data(as_text=True)
    return done.headers["Location"]


def tour(locale: str | None, currency: str = "USD", **config) -> dict[str, tuple[int, bytes]]:
    screens: dict[str, tuple[int, bytes]] = {}

    def shoot(name: str, client, url: str, method: str = "GET", **kwargs):
        response = client.open(url, method=method, **kwargs)
        screens[name] = (response.status_code, response.get_data())
        return response

    # Immediate changes with credit; a bank-transfer client; every lock.
    app = _app(_scenario(locale, currency), **config)
    c = app.test_client()
    shoot("login", c, "/login")
    shoot("login refused", c, "/login", "POST", data={"email": "alice@example.com",
                                                      "password": "wrong"})
    shoot("login empty", c, "/login", "POST", data={"email": "", "password": ""})
    assert _login(c, "alice@example.com", "alice-pass").status_code == 303
    dns, review = "/services/dns", "/services/dns/{}/change/review?plan={}&cycle={}"
    for name, url in (
        ("services", dns),
        ("details", f"{dns}/1001"),
        ("details locked by suspended", f"{dns}/1003"),
        ("details locked by contract", f"{dns}/1004"),
        ("change without lower tier", f"{dns}/1001/change"),
        ("change with credit on downgrade", f"{dns}/1002/change"),
        ("change refused: period ended", f"{dns}/1005/change"),
        ("change refused: locked", f"{dns}/1003/change"),
        ("review upgrade", review.format(1001, "start", "monthly")),
        ("review new cycle", review.format(1001, "start", "annually")),
        ("review stale", review.format(1001, "business", "monthly") + "&stale=1"),
        ("review downgrade with credit", review.format(1002, "basic", "monthly")),
        ("refused: plan", review.format(1001, "nope", "monthly")),
        ("refused: cycle", review.format(1001, "start", "weekly")),
        ("refused: no plan", f"{dns}/1001/change/review?cycle=monthly"),
        ("refused: no cycle", f"{dns}/1001/change/review?plan=start"),
    ):
        shoot(name, c, url)
    shoot("refused: no review", c, "/services/dns/1001/change", "POST",
          data={"plan": "start", "cycle": "monthly"})
    shoot("refused: no such service", c, "/services/dns/9999")
    shoot("refused: no such invoice", c, "/invoices/INV-999999")
    shoot("invoices, none yet", c, "/invoices")
    paid = _submit(c, 1001, "start", "monthly")
    shoot("invoice paid", c, paid)
    shoot("invoice paid PDF", c, paid + "/pdf")
    credited = _submit(c, 1002, "basic", "monthly")
    shoot("invoice with credit added", c, credited)
    shoot("invoices", c, "/invoices")
    shoot("not found", c, "/no/such/page")
    shoot("method not allowed", c, "/logout")
    shoot("too large", c, "/login", "POST", data={"email": "x" * (2 * 1024 * 1024)})
    bob = app.test_client()
    assert _login(bob, "bob@example.com", "bob-pass").status_code == 303
    shoot("details locked by permission", bob, "/services/dns/1001")
    carol = app.test_client()
    assert _login(carol, "carol@example.com", "carol-pass").status_code == 303
    unpaid = _submit(carol, 2001, "start", "monthly")
    shoot("invoice unpaid", carol, unpaid)
    shoot("invoice unpaid PDF", carol, unpaid + "/pdf")
    shoot("services awaiting payment", carol, "/services/dns")
    shoot("change refused: unpaid invoice", carol, "/services/dns/2001/change")

    # Downgrades at the renewal, prices with tax included, a provisioning delay.
    app = _app(_scenario(locale, currency, tax={"name": "Tax", "rate": "10", "inclusive": True},
                         settings={"downgrade_timing": "next_renewal",
                                   "credit_on_downgrade": False,
                                   "provisioning_delay_minutes": 30}), **config)
    c = app.test_client()
    assert _login(c, "alice@example.com", "alice-pass").status_code == 303
    shoot("change with downgrade at renewal", c, "/services/dns/1002/change")
    shoot("review downgrade at renewal", c,
          "/services/dns/1002/change/review?plan=basic&cycle=monthly")
    scheduled = _submit(c, 1002, "basic", "monthly")
    shoot("invoice downgrade at renewal", c, scheduled)
    shoot("invoice downgrade at renewal PDF", c, scheduled + "/pdf")
    provisioning = _submit(c, 1001, "start", "monthly")
    shoot("invoice tax included", c, provisioning)
    shoot("invoice tax included PDF", c, provisioning + "/pdf")
    for name, url in (("services scheduled and in progress", dns),
                      ("details scheduled", f"{dns}/1002"),
                      ("change refused: scheduled", f"{dns}/1002/change"),
                      ("change refused: in progress", f"{dns}/1001/change"),
                      ("review downgrade at renewal, new cycle",
                       review.format(1006, "start", "annually"))):
        shoot(name, c, url)

    # A downgrade that credits nothing under the contract, and throttled logins.
    app = _app(_scenario(locale, currency, settings={"credit_on_downgrade": False}),
               LOGIN_MAX_FAILURES_PER_EMAIL=1, **config)
    c = app.test_client()
    assert _login(c, "alice@example.com", "alice-pass").status_code == 303
    shoot("review downgrade, no credit given", c,
          "/services/dns/1006/change/review?plan=basic&cycle=monthly")
    c = app.test_client()
    _login(c, "alice@example.com", "wrong")
    shoot("login throttled", c, "/login", "POST", data={"email": "alice@example.com",
                                                        "password": "wrong"})
    no_users = _scenario(locale, currency)
    no_users["services"] = [s for s in no_users["services"] if s["client"] != "alice@example.com"]
    app = _app(no_users, **config)
    c = app.test_client()
    assert _login(c, "alice@example.com", "alice-pass").status_code == 303
    shoot("services, none", c, "/services/dns")

    # A form sent without its CSRF token.
    app = _app(_scenario(locale, currency), WTF_CSRF_ENABLED=True, **config)
    c = app.test_client()
    shoot("form expired", c, "/login", "POST", data={"email": "a@example.com",
                                                     "password": "x"})
    return screens
