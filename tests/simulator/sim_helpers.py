"""Helpers for the simulator's own tests (imported as `sim_helpers`; fixtures are in conftest.py).

The billing helpers build plans and quotes without any scenario file; the HTTP
fixtures build a fresh app per test from a scenario mapping (in-memory state).
"""
from __future__ import annotations

import copy
import html as html_module
import re
from html.parser import HTMLParser
from datetime import date
from decimal import Decimal

import pytest
import yaml

from simulator.billing import CURRENCIES, Plan, Settings, Tax, quote_change
from simulator.scenario import SAMPLE_PATH

USD = CURRENCIES["USD"]
JPY = CURRENCIES["JPY"]


def D(text) -> Decimal:
    return Decimal(str(text))


def plan(id_: str, tier: int, **prices) -> Plan:
    return Plan(id_, id_.capitalize(), tier, {c: D(p) for c, p in prices.items()})


BASIC = plan("basic", 0, monthly="5.00", annually="50.00")
START = plan("start", 1, monthly="12.00", annually="120.00")
BUSINESS = plan("business", 2, monthly="30.00", annually="300.00")


def quote(**overrides):
    """quote_change with the worked example's arguments, any of them overridden."""
    args = dict(
        plan=BASIC, cycle="monthly", next_due=date(2026, 4, 1),
        target=START, target_cycle="monthly", today=date(2026, 3, 17),
        balance=D("1.00"), currency=USD, tax=Tax("Tax", D("10"), False),
        settings=Settings(),
    )
    args.update(overrides)
    return quote_change(**args)


# --- scenarios -----------------------------------------------------------------

def sample_mapping() -> dict:
    """A fresh, mutable copy of the bundled sample scenario (SPEC §3)."""
    return yaml.safe_load(SAMPLE_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def sample() -> dict:
    return sample_mapping()


# --- HTTP ------------------------------------------------------------------------

TEST_SECRET = "tests-simulator-secret"
ALICE = ("alice@example.com", "alice-pass")
BOB = ("bob@example.com", "bob-pass")


def _create_app():
    try:
        from simulator import create_app
    except ImportError as exc:  # the lead is still writing the app
        pytest.fail(f"simulator.create_app is not importable yet: {exc}")
    return create_app


_SHARED: dict[str, object] = {}


def _shared_app():
    """One app for every test that needs no special configuration: building an app
    compiles its templates again, which is most of a small test's time."""
    if "app" not in _SHARED:
        _SHARED["app"] = _create_app()({"TESTING": True, "WTF_CSRF_ENABLED": False,
                                        "DATABASE": None, "SECRET_KEY": TEST_SECRET})
    return _SHARED["app"]


@pytest.fixture
def make_app():
    """make_app(scenario=None, **config) -> a testing app holding a fresh state.

    Without config the shared app is reset through POST /__sim__/scenario (which
    replaces the whole state, SPEC §4); with config a new app is built."""
    def factory(scenario=None, **config):
        if not config:
            app = _shared_app()
            text = (yaml.safe_dump(scenario) if scenario is not None
                    else SAMPLE_PATH.read_text(encoding="utf-8"))
            response = app.test_client().post("/__sim__/scenario", data=text,
                                              content_type="application/yaml")
            assert response.status_code == 200, response.get_data(as_text=True)
            return app
        cfg = {"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": None,
               "SECRET_KEY": TEST_SECRET}
        if scenario is not None:
            cfg["SCENARIO"] = copy.deepcopy(scenario)
        cfg.update(config)
        return _create_app()(cfg)
    return factory


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, who=ALICE, next_url=None):
    email, password = who
    url = "/login" + (f"?next={next_url}" if next_url else "")
    data = {"email": email, "password": password}
    token = csrf_token(client.get(url).get_data(as_text=True))
    if token:
        data["csrf_token"] = token
    return client.post(url, data=data)


def logged_in(client, who=ALICE):
    """Log `client` in as `who`. The first time in an app through the real form;
    afterwards that login's session cookie is reused (sessions live in the app's
    state), which keeps the password hashing out of most tests."""
    saved = client.application.extensions.setdefault("tests_saved_logins", {})
    if who in saved:
        client.set_cookie("session", saved[who])
    if who not in saved or client.get("/services/dns").status_code != 200:  # logged out since
        response = login(client, who)
        assert response.status_code in (302, 303), response.get_data(as_text=True)
        cookie = client.get_cookie("session")
        assert cookie is not None
        saved[who] = cookie.value
    assert client.get("/services/dns").status_code == 200
    return client


@pytest.fixture
def alice(client):
    return logged_in(client, ALICE)


def hidden(html: str, name: str) -> str | None:
    """The value of the hidden input called `name` in `html`, or None."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(rf'\bname=["\']{re.escape(name)}["\']', tag):
            found = re.search(r'\bvalue=["\']([^"\']*)["\']', tag)
            return html_module.unescape(found.group(1)) if found else ""
    return None


def csrf_token(html: str) -> str | None:
    return hidden(html, "csrf_token")


def state(client) -> dict:
    response = client.get("/__sim__/state")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def service_state(client, sid=1001) -> dict:
    return next(s for s in state(client)["services"] if s["id"] == sid)


def credit_of(client, email="alice@example.com") -> str:
    return next(c for c in state(client)["clients"] if c["email"] == email)["credit"]


def review(client, sid=1001, plan="start", cycle="monthly"):
    """GET the review page; returns (response, html, review_token)."""
    response = client.get(f"/services/dns/{sid}/change/review?plan={plan}&cycle={cycle}")
    html = response.get_data(as_text=True)
    return response, html, hidden(html, "review_token")


def submit(client, sid=1001, plan="start", cycle="monthly", token=None, extra=None):
    data = {"plan": plan, "cycle": cycle}
    if token is not None:
        data["review_token"] = token
    if extra:
        data.update(extra)
    return client.post(f"/services/dns/{sid}/change", data=data)


def change(client, sid=1001, plan="start", cycle="monthly"):
    """Review then submit; returns the Submit response (a 303 to the invoice, normally)."""
    response, html, token = review(client, sid, plan, cycle)
    assert response.status_code == 200, html
    assert token, "the review page has no hidden review_token"
    return submit(client, sid, plan, cycle, token)


def text_of(html: str) -> str:
    """Visible text, tags stripped and whitespace collapsed (entities kept as is)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&amp;", "&"), ("&#39;", "'"), ("&quot;", '"'), ("&#34;", '"'),
                         ("&nbsp;", " "), ("&rarr;", "→"), ("&gt;", ">"), ("&lt;", "<")):
        text = text.replace(entity, char)
    return re.sub(r"\s+", " ", text).strip()


# --- tables --------------------------------------------------------------------


class _Rows(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = {"tag": tag, "scope": dict(attrs).get("scope"), "text": ""}

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._cell["text"] = re.sub(r"\s+", " ", self._cell["text"]).strip()
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def table_rows(html: str) -> list[list[dict]]:
    """Every <tr> as a list of cells {"tag", "scope", "text"}."""
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def row_value(html: str, header: str) -> str:
    """The text of the cell after the row header `header`: the row must be a <tr>
    whose first cell is <th scope="row">header</th> (SPEC §5: get_by_role("row"))."""
    found = [r for r in table_rows(html) if r and r[0]["text"] == header]
    assert found, f"no row headed {header!r}"
    assert len(found) == 1, f"{len(found)} rows headed {header!r}"
    row = found[0]
    assert row[0]["tag"] == "th" and row[0]["scope"] == "row", row
    return row[-1]["text"]


def has_row(html: str, header: str) -> bool:
    return any(r and r[0]["text"] == header for r in table_rows(html))


# --- scenario variants ------------------------------------------------------------

CAROL = ("carol@example.com", "carol-pass")


def scenario(*, settings=None, tax=None, currency=None, now=None, client=None, service=None,
             extra_services=(), carol=False, plans=None) -> dict:
    """The sample with parts overridden; `carol=True` adds a second client owning 2002."""
    data = sample_mapping()
    if settings:
        data["settings"].update(settings)
    if tax is not None:
        data["tax"].update(tax)
    if currency is not None:
        data["currency"] = currency
    if now is not None:
        data["now"] = now
    if plans is not None:
        data["plans"] = plans
    if client:
        data["clients"][0].update(client)
    if service:
        data["services"][0].update(service)
        data["services"][0] = {k: v for k, v in data["services"][0].items() if v is not None}
    for extra in extra_services:
        data["services"].append({**data["services"][0], "allowed_targets": None,
                                 **extra})
        data["services"][-1] = {k: v for k, v in data["services"][-1].items() if v is not None}
    if carol:
        data["clients"].append({"email": CAROL[0], "password": CAROL[1], "name": "Carol Other",
                                "credit": "0.00", "payment_method": "card"})
        data["services"].append({"id": 2002, "client": CAROL[0], "plan": "basic",
                                 "cycle": "monthly", "status": "Active",
                                 "next_due": "2026-04-01"})
    return data
