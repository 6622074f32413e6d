"""CSRF, cookies, stored passwords, persistence across restarts, output escaping."""
from __future__ import annotations

import pytest

from sim_helpers import (
    ALICE, TEST_SECRET, change, csrf_token, logged_in, login, review, row_value,
    sample_mapping, scenario, service_state, state, submit,
)


def html_of(response) -> str:
    return response.get_data(as_text=True)


# --- CSRF (WTF_CSRF_ENABLED True, the default) ----------------------------------------

@pytest.fixture
def guarded(make_app):
    """A client of an app with CSRF protection on (the default)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    assert app.config["WTF_CSRF_ENABLED"] is True
    return app.test_client()


def test_csrf_is_on_by_default(make_app):
    from simulator import create_app
    app = create_app({"TESTING": True})
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    client = app.test_client()
    response = client.post("/login", data={"email": ALICE[0], "password": ALICE[1]})
    assert response.status_code == 400


def test_login_without_csrf_token_is_refused(guarded):
    response = guarded.post("/login", data={"email": ALICE[0], "password": ALICE[1]})
    assert response.status_code == 400
    assert guarded.get("/services/dns").status_code in (302, 303)


def test_login_with_a_wrong_csrf_token_is_refused(guarded):
    guarded.get("/login")
    response = guarded.post("/login", data={"email": ALICE[0], "password": ALICE[1],
                                            "csrf_token": "forged"})
    assert response.status_code == 400
    assert guarded.get("/services/dns").status_code in (302, 303)


def test_login_with_the_forms_csrf_token_works(guarded):
    token = csrf_token(html_of(guarded.get("/login")))
    assert token
    response = login(guarded)                 # sends the token of the form
    assert response.status_code in (302, 303)
    assert guarded.get("/services/dns").status_code == 200


def test_submit_without_csrf_token_is_refused_and_issues_nothing(guarded):
    login(guarded)
    _, html, token = review(guarded)
    assert csrf_token(html), "the review form carries no csrf_token"
    response = submit(guarded, token=token)
    assert response.status_code == 400
    assert state(guarded)["invoices"] == []
    assert service_state(guarded)["plan"] == "basic"


def test_submit_with_the_review_forms_csrf_token_works(guarded):
    login(guarded)
    _, html, token = review(guarded)
    response = submit(guarded, token=token, extra={"csrf_token": csrf_token(html)})
    assert response.status_code == 303
    assert len(state(guarded)["invoices"]) == 1


def test_logout_without_csrf_token_is_refused(guarded):
    login(guarded)
    assert guarded.post("/logout").status_code == 400
    assert guarded.get("/services/dns").status_code == 200


# --- cookies and stored passwords ------------------------------------------------------------

def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = login(client)
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    attributes = {part.strip().split("=")[0].lower(): part.strip()
                  for part in cookies[0].split(";")[1:]}
    assert "httponly" in attributes
    assert attributes.get("samesite", "").lower() == "samesite=lax"


def _stored_bytes(path) -> bytes:
    """The SQLite file and its journal/WAL companions."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_passwords_are_not_stored_in_plain_text(make_app, tmp_path):
    db = tmp_path / "state.db"
    client = make_app(DATABASE=str(db)).test_client()
    logged_in(client)
    change(client)
    data = _stored_bytes(db)
    assert b"alice@example.com" in data              # the file does hold the state
    found = [p for p in (b"alice-pass", b"bob-pass") if p in data]
    assert found == [], f"plain-text passwords in {db.name}: {found}"


# --- --db: state survives a restart --------------------------------------------------------------

def test_state_survives_an_app_restart_on_the_same_file(make_app, tmp_path):
    db = str(tmp_path / "state.db")
    first = make_app(DATABASE=db).test_client()
    logged_in(first)
    number = change(first).headers["Location"].rsplit("/", 1)[1]
    first.post("/__sim__/clock", json={"advance_minutes": 5})
    before = state(first)
    assert before["invoices"] and service_state(first)["plan"] == "start"

    from simulator import create_app
    second = create_app({"TESTING": True, "DATABASE": db, "WTF_CSRF_ENABLED": False,
                         "SECRET_KEY": TEST_SECRET}).test_client()
    assert state(second) == before
    login(second)                                     # the passwords survive too
    page = second.get(f"/invoices/{number}")
    assert page.status_code == 200
    assert row_value(html_of(page), "Total") == "$2.73"
    # and the invoice numbering continues
    second.post("/__sim__/clock", json={"advance_days": 1})
    response = change(second, plan="business")
    assert response.headers["Location"] == "/invoices/INV-000002"


def test_a_session_survives_a_restart_without_a_configured_secret(tmp_path):
    from simulator import create_app
    db = str(tmp_path / "state.db")
    config = {"TESTING": True, "DATABASE": db, "WTF_CSRF_ENABLED": False}
    first = create_app(dict(config)).test_client()
    login(first)
    cookie = first.get_cookie("session").value
    second = create_app(dict(config)).test_client()
    second.set_cookie("session", cookie)
    assert second.get("/services/dns").status_code == 200


def test_in_memory_apps_do_not_share_state(make_app):
    one = make_app(DATABASE=None).test_client()           # config given: two new apps
    two = make_app(DATABASE=None).test_client()
    assert one.application is not two.application
    logged_in(one)
    change(one)
    assert len(state(one)["invoices"]) == 1
    assert state(two)["invoices"] == []


# --- output escaping ----------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def test_client_name_is_escaped(make_app):
    client = make_app(scenario(client={"name": f"Mallory {SCRIPT}"})).test_client()
    logged_in(client)
    number = change(client).headers["Location"].rsplit("/", 1)[1]
    html = html_of(client.get(f"/invoices/{number}"))
    assert "Mallory" in html                           # the name is on the page...
    assert SCRIPT not in html                          # ...but never as markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_plan_name_is_escaped_everywhere(make_app):
    data = sample_mapping()
    data["plans"][1]["name"] = f'Start {SCRIPT}"'
    client = make_app(data).test_client()
    logged_in(client)
    pages = [client.get("/services/dns/1001/change"), review(client)[0]]
    number = change(client).headers["Location"].rsplit("/", 1)[1]
    pages += [client.get(f"/invoices/{number}"), client.get("/services/dns"),
              client.get("/services/dns/1001")]
    for page in pages:
        html = html_of(page)
        assert page.status_code == 200
        assert "&lt;script&gt;" in html
        assert SCRIPT not in html


def test_form_values_echoed_in_errors_are_escaped(alice):
    response = alice.get(f"/services/dns/1001/change/review?plan={SCRIPT}&cycle=monthly")
    assert response.status_code == 400
    assert SCRIPT not in html_of(response)


def test_login_email_echo_is_escaped(client):
    response = client.post("/login", data={"email": f'x"{SCRIPT}', "password": "nope"})
    assert SCRIPT not in html_of(response)
