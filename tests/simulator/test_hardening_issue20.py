"""Issue 20, the second hardening pass: one regression test (or a few) per point,
named test_pNN_... so that `pytest -k p07` finds a point's tests."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sim_helpers import ALICE, logged_in, sample_mapping, scenario, text_of
from simulator.scenario import ScenarioError, from_mapping, parse_text

ROOT = Path(__file__).resolve().parents[2]


# --- 8: names with spaces and joiners of every script ---------------------------------

ACCEPTED_NAMES = [
    "山田\u3000太郎",            # ideographic space
    "José\u00a0García",          # no-break space
    "می\u200cخواهم",             # zero-width non-joiner (Persian)
    "Family \U0001F468\u200D\U0001F469\u200D\U0001F467",  # emoji ZWJ sequence
]


@pytest.mark.parametrize("name", ACCEPTED_NAMES)
def test_p08_names_with_spaces_and_joiners_are_accepted_and_shown_whole(make_app, name):
    app = make_app(scenario(client={"name": name}))
    assert from_mapping(scenario(client={"name": name})).clients[0].name == name
    client = logged_in(app.test_client(), ALICE)
    number = _first_invoice(client)
    assert name in client.get(f"/invoices/{number}").get_data(as_text=True)


@pytest.mark.parametrize("name", ["Alice\u202eelpmaxE", "Alice\u2066x\u2069", "Alice\nExample",
                                  "Alice\u2028Example", "Alice\rExample"])
def test_p08_only_bidi_overrides_and_line_breaks_are_refused(name):
    with pytest.raises(ScenarioError, match=r"clients\[0\].*name"):
        from_mapping(scenario(client={"name": name}))


def _first_invoice(client) -> str:
    from sim_helpers import change

    response = change(client)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


# --- 11: every id the scenario accepts is routable -------------------------------------

@pytest.mark.parametrize("sid", [2**63 - 1, 10**18, 999_999_999_999_999_999])
def test_p11_a_19_digit_service_id_has_its_pages(make_app, sid):
    app = make_app(scenario(service={"id": sid}))
    client = logged_in(app.test_client(), ALICE)
    assert client.get(f"/services/dns/{sid}").status_code == 200
    assert client.get(f"/services/dns/{sid}/change").status_code == 200
    assert client.get(f"/services/dns/{2**63}").status_code == 404  # beyond 64 bits: no page
    assert client.get(f"/services/dns/{10**19 + 5}").status_code == 404


# --- 12: a malformed Origin is refused, not a 500 -------------------------------------

@pytest.mark.parametrize("origin", ["http://[::1", "http://[", "http://[::1]:99999",
                                    "http://[zz]", "http://]", "http://a:b:c"])
def test_p12_a_malformed_origin_is_refused_plainly(app, origin):
    response = app.test_client().post("/__sim__/clock", json={"advance_days": 1},
                                      headers={"Origin": origin})
    assert response.status_code in (400, 403), response.get_data(as_text=True)
    assert "error" in response.get_json()


@pytest.mark.parametrize("host", ["[::1", "[", "[zz]:80", "a:b:c", "127.0.0.1:99999"])
def test_p12_a_malformed_host_is_refused_plainly(app, host):
    response = app.test_client().get("/__sim__/state", headers={"Host": host})
    assert response.status_code in (400, 403), response.get_data(as_text=True)


# --- 13: docs --ui-profile with a binary or deeply nested file ------------------------

@pytest.mark.parametrize("content", [b"\xff\xfe\x00binary\x89PNG" * 50,
                                     b"a: " + b"[" * 5000 + b"]" * 5000,
                                     b"x: " + b"{a: " * 3000 + b"1" + b"}" * 3000])
def test_p13_a_binary_or_deeply_nested_profile_is_one_line(tmp_path, content):
    from pages.profile import ProfileError, load_profile

    bad = tmp_path / "profile.yaml"
    bad.write_bytes(content)
    with pytest.raises(ProfileError) as caught:
        load_profile(bad)
    assert "\n" not in str(caught.value) and str(bad) in str(caught.value)


def test_p13_docs_ui_profile_with_a_binary_file_exits_2_in_one_line(tmp_path):
    bad = tmp_path / "binary.yaml"
    bad.write_bytes(b"\xff\xfe\x00\x01" * 100)
    done = subprocess.run([sys.executable, "-m", "article.cli", "build", "--text-only", "--no-site",
                           "--ui-profile", str(bad)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and "not UTF-8 text" in done.stderr, done.stderr


# --- 14: one rule for timestamps with an offset ----------------------------------------

@pytest.mark.parametrize("text", [
    "now: 2026-03-17T09:00:00+09:00",        # a YAML timestamp
    'now: "2026-03-17T09:00:00+09:00"',      # the same value as a (JSON) string
    '{"now": "2026-03-17T09:00:00+09:00"}',
    "now: 2026-03-17T00:00:00Z",
    '{"now": "2026-03-17T00:00:00Z"}',
    "now: 2026-03-17 09:00:00 -05:00",
])
def test_p14_a_timestamp_with_an_offset_is_refused_however_it_is_written(text):
    data = parse_text(text)
    full = {**sample_mapping(), "now": data["now"]}
    with pytest.raises(ScenarioError, match=r"now: .*offset"):
        from_mapping(full)


@pytest.mark.parametrize("body", ['{"now": "2026-03-20T10:00:00+00:00"}',
                                  "now: 2026-03-20T10:00:00+00:00"])
def test_p14_the_clock_refuses_an_offset_too(app, body):
    response = app.test_client().post("/__sim__/clock", data=body,
                                      content_type="application/yaml")
    assert response.status_code == 400
    assert "offset" in response.get_json()["error"]


def test_p14_a_next_due_with_an_offset_is_refused():
    data = parse_text("next_due: 2026-04-01T00:00:00+09:00")
    with pytest.raises(ScenarioError, match=r"next_due: .*offset"):
        from_mapping(scenario(service={"next_due": data["next_due"]}))


# --- 1: a session belongs to one account of one tenant and one scenario load -----------

def _seed(client, data=None) -> dict:
    response = client.post("/__sim__/tenants", data=yaml.safe_dump(data or sample_mapping()),
                           content_type="application/yaml")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _load_default(client, data) -> None:
    response = client.post("/__sim__/scenario", data=yaml.safe_dump(data),
                           content_type="application/yaml")
    assert response.status_code == 200, response.get_data(as_text=True)


def _session_users(app) -> list[str]:
    with app.extensions["store"].reading() as db:
        return [row[0] for row in db.execute("SELECT user FROM sessions")]


def test_p01_an_old_cookie_never_acts_as_a_new_tenants_account_of_the_same_email(make_app):
    data = sample_mapping()
    data["clients"][0]["email"] = "alice+t1@example.com"
    data["services"][0]["client"] = "alice+t1@example.com"
    data["clients"][0].pop("users", None)
    portal = make_app(data, TENANT_LIMIT=10)
    control = portal.test_client()
    old = logged_in(portal.test_client(), ("alice+t1@example.com", "alice-pass"))
    _load_default(control, sample_mapping())            # the default's alice+t1 is gone
    seeded = _seed(control)
    assert seeded["logins"]["alice@example.com"] == "alice+t1@example.com"  # t1's Alice now
    assert old.get("/services/dns").status_code == 302  # the old cookie is nobody
    sid = seeded["services"]["1001"]
    assert old.get(f"/services/dns/{sid}/change").status_code == 302


def test_p01_a_new_default_scenario_ends_the_old_sessions_even_of_the_same_email(make_app):
    portal = make_app(sample_mapping(), TENANT_LIMIT=10)
    alice = logged_in(portal.test_client(), ALICE)
    renewed = sample_mapping()
    renewed["clients"][0]["password"] = "a-new-password"
    _load_default(portal.test_client(), renewed)
    assert alice.get("/services/dns").status_code == 302
    assert _session_users(portal) == []                 # its rows went with it


def test_p01_a_login_racing_a_tenant_delete_leaves_no_session_behind(make_app):
    portal = make_app(TENANT_LIMIT=10)
    seeded = _seed(portal.test_client())
    tenants = portal.extensions["tenants"]
    store = tenants.get(seeded["tenant"])
    checked = store.authenticate

    def delete_meanwhile(email, password):
        viewer = checked(email, password)               # the password is right...
        tenants.delete(seeded["tenant"])                # ...and then the tenant goes
        return viewer

    store.authenticate = delete_meanwhile
    from sim_helpers import login
    response = login(portal.test_client(), (seeded["logins"]["alice@example.com"], "alice-pass"))
    assert response.status_code == 400, response.headers
    assert _session_users(portal) == []


def test_p01_deleting_a_tenant_removes_its_session_rows(make_app):
    portal = make_app(TENANT_LIMIT=10)
    seeded = _seed(portal.test_client())
    logged_in(portal.test_client(), (seeded["logins"]["alice@example.com"], "alice-pass"))
    logged_in(portal.test_client(), (seeded["logins"]["bob@example.com"], "bob-pass"))
    assert len(_session_users(portal)) == 2
    portal.extensions["tenants"].delete(seeded["tenant"])
    assert _session_users(portal) == []


# --- 2 and 10: a throttle per account and per address within a tenant -----------------

def _guess(portal, email, password="wrong", address="127.0.0.1"):
    client = portal.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client.post("/login", data={"email": email, "password": password})


def test_p02_failures_in_one_tenant_never_lock_the_loopback_out_of_another(make_app):
    portal = make_app(TENANT_LIMIT=10, LOGIN_MAX_FAILURES_PER_ADDRESS=8)
    control = portal.test_client()
    noisy, quiet = _seed(control), _seed(control)
    emails = list(noisy["logins"].values())
    for index in range(12):                              # past the address limit, in t1
        assert _guess(portal, emails[index % 2]).status_code in (400, 429)
    # t1's accounts are closed to this address now (a third one of t1 included)...
    assert _guess(portal, "nobody@example.com", "x").status_code == 400  # default: open
    # ...but t2's Alice and the default's Alice log in from the very same address.
    assert _guess(portal, quiet["logins"]["alice@example.com"], "alice-pass").status_code == 303
    assert _guess(portal, "alice@example.com", "alice-pass").status_code == 303


def test_p02_the_address_limit_holds_within_a_tenant(make_app):
    data = sample_mapping()
    data["clients"] += [{"email": f"c{n}@example.com", "password": "pw"} for n in range(9)]
    portal = make_app(TENANT_LIMIT=10, LOGIN_MAX_FAILURES_PER_ADDRESS=8)
    logins = _seed(portal.test_client(), data)["logins"]
    for n in range(8):
        assert _guess(portal, logins[f"c{n}@example.com"]).status_code == 400
    assert _guess(portal, logins["c8@example.com"], "pw").status_code == 429
    assert _guess(portal, logins["c8@example.com"], "pw", "127.0.0.9").status_code == 303


def test_p02_an_account_is_throttled_from_every_address(make_app):
    portal = make_app(TENANT_LIMIT=10)
    email = _seed(portal.test_client())["logins"]["alice@example.com"]
    for n in range(5):
        assert _guess(portal, email, address=f"10.0.0.{n}").status_code == 400
    assert _guess(portal, email, "alice-pass", "10.9.9.9").status_code == 429


def test_p10_concurrent_guesses_are_reserved_before_the_password_check(make_app):
    """32 guesses at once: only the 5 the limit allows reach the password check."""
    import threading

    portal = make_app(TENANT_LIMIT=10)
    email = _seed(portal.test_client())["logins"]["alice@example.com"]
    throttle, tenants = portal.extensions["login_throttle"], portal.extensions["tenants"]
    decided, all_decided = [0], threading.Condition()
    checked, authenticate = throttle.check, tenants.authenticate

    def counted_check(*args, **kwargs):
        verdict = checked(*args, **kwargs)
        with all_decided:
            decided[0] += 1
            all_decided.notify_all()
        return verdict

    def slow_authenticate(*args):
        with all_decided:  # the password is checked once every guess has been let in or not
            all_decided.wait_for(lambda: decided[0] >= 32, timeout=10)
        return authenticate(*args)

    throttle.check, tenants.authenticate = counted_check, slow_authenticate
    codes = []
    threads = [threading.Thread(target=lambda: codes.append(_guess(portal, email).status_code))
               for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(codes) == [400] * 5 + [429] * 27


def test_p10_what_the_throttle_keeps_per_key_is_bounded():
    import tracemalloc

    from simulator.sessions import LoginThrottle

    throttle = LoginThrottle(lambda: 1_800_000_000.0, window=900, per_email=5, per_address=50)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for n in range(20_000):  # one address, one tenant, 20,000 guesses on 2,000 emails
        throttle.check(f"user{n % 2000}@example.com", "10.0.0.1", "t1-load")  # all wrong
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert throttle.keys() <= 51                         # 50 emails got a try, one address
    assert grown < 51 * 1024, grown                      # well under 1 KB a key


# --- 3 and 4: only its own state file, locked by the file itself ---------------------

SERVE = [sys.executable, "-m", "simulator.cli", "serve", "--port", "0"]


def _refused(args) -> str:
    done = subprocess.run(SERVE + [str(a) for a in args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def _foreign_db(path: Path, tables: str) -> bytes:
    import sqlite3

    with sqlite3.connect(path) as db:
        db.executescript(tables)
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("tables", [
    "CREATE TABLE changes (id INTEGER PRIMARY KEY, what TEXT); "
    "INSERT INTO changes (what) VALUES ('keep me'), ('and me');",
    "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('root');",
    "CREATE TABLE invoices (n INTEGER); CREATE TABLE meta (k TEXT, v TEXT);",
    "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello');",
])
def test_p03_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path, tables):
    db = tmp_path / "other.db"
    before = _foreign_db(db, tables)
    line = _refused(["--db", db])
    assert f"--db {db}" in line and "not a portal state file" in line, line
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no .lock


def test_p03_the_store_itself_refuses_a_foreign_file(tmp_path):
    from simulator.storage import dbfile
    from simulator.storage.store import Store

    db = tmp_path / "other.db"
    before = _foreign_db(db, "CREATE TABLE changes (x); INSERT INTO changes VALUES (1);")
    with pytest.raises(dbfile.ForeignFile):
        Store(str(db))
    assert db.read_bytes() == before


def test_p03_a_state_file_of_an_earlier_portal_is_still_its_own(tmp_path):
    import sqlite3

    from simulator.storage.store import Store

    from simulator.scenario import load_sample

    db = tmp_path / "state.db"
    earlier = Store(str(db))
    earlier.load_scenario(load_sample())
    earlier._conn.close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA application_id = 0")  # as files were before the stamp
    conn.close()
    assert Store(str(db)).has_scenario()            # opened, not refused


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_p04_the_one_process_lock_holds_through_links(tmp_path, link):
    from harness.portal_process import PortalProcess

    db = tmp_path / "state.db"
    other = tmp_path / "elsewhere"
    other.mkdir()
    alias = other / "alias.db"
    with PortalProcess(db=db) as first:
        (alias.symlink_to if link == "symlink" else alias.hardlink_to)(db)
        line = _refused(["--db", alias])
        assert "in use by another portal-sim" in line and f"pid {first.process.pid}" in line, line


# --- 9: fixture passwords bounded in cost --------------------------------------------

def _many_users(count: int, *, distinct: bool = True) -> dict:
    data = sample_mapping()
    per = 100  # limits.MAX_USERS_PER_CLIENT
    for c in range(-(-count // per)):
        data["clients"].append({
            "email": f"owner{c}@example.com", "password": f"owner-{c}",
            "users": [{"email": f"u{c}-{n}@example.com",
                       "password": f"pw-{c}-{n}" if distinct else "same"}
                      for n in range(min(per, count - c * per))]})
    return data


def test_p09_thousands_of_fixture_passwords_cost_a_bounded_number_of_full_hashes(
        make_app, monkeypatch):
    from simulator.storage import tables

    portal = make_app(TENANT_LIMIT=10)
    method = portal.extensions["store"].password_method
    full = []
    real = tables.generate_password_hash

    def counted(password, method_given="scrypt", *args, **kwargs):
        if method_given == method:
            full.append(password)
        return real(password, method_given, *args, **kwargs)

    monkeypatch.setattr(tables, "generate_password_hash", counted)
    tables.password_hash.cache_clear()
    body = _seed(portal.test_client(), _many_users(3000))
    assert len(full) <= tables.FULL_COST_PASSWORDS, len(full)
    # Every one of them still logs in with its own password, and only with it.
    from sim_helpers import login
    email = body["logins"]["u29-99@example.com"]
    assert login(portal.test_client(), (email, "pw-29-99")).status_code == 303
    assert login(portal.test_client(), (email, "pw-29-98")).status_code == 400


def test_p09_a_big_scenario_loads_in_seconds_without_testing():
    import time

    from simulator.scenario import from_mapping
    from simulator.storage.store import Store
    from simulator.storage.tables import PASSWORD_METHOD

    scn = from_mapping(_many_users(300))
    started = time.perf_counter()
    Store(None, password_method=PASSWORD_METHOD).load_scenario(scn)
    # 300 full scrypt hashes took 40-120 s here; the full-cost ones are now a handful.
    assert time.perf_counter() - started < 15


# --- 6: label catalogs validated at start, labels always escaped ----------------------

def _mo(folder: Path, messages: dict, locale: str = "en") -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=locale)
    for msgid, text in messages.items():
        catalog.add(msgid, text)
    target = folder / locale / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return folder


def _refused_catalog(folder: Path) -> str:
    from simulator.cli import UsageError, make_app

    with pytest.raises(UsageError) as caught:
        make_app(None, None, False, label_catalog=folder)
    line = str(caught.value)
    assert "\n" not in line and line.startswith(f"--label-catalog {folder}"), line
    return line


@pytest.mark.parametrize("messages, says", [
    ({"Continue": "100% safe"}, "%"),                                   # a lone percent
    ({"Invoice #%(number)s": "Invoice %(x)s"}, "%(x)s"),                # unknown placeholder
    ({"Invoice #%(number)s": "Invoice %(number)"}, "%"),                # broken placeholder
    ({"Log in": "<b>Sign</b> in"}, "markup"),                           # HTML
    ({"Log in": "Sign <script>alert(1)</script>"}, "markup"),
])
def test_p06_a_catalog_with_bad_labels_is_refused_at_start(tmp_path, messages, says):
    line = _refused_catalog(_mo(tmp_path / "labels", messages))
    assert says in line and "en/LC_MESSAGES/messages.mo" in line, line


def test_p06_a_corrupt_catalog_is_refused_at_start(tmp_path):
    folder = _mo(tmp_path / "labels", {"Log in": "Sign in"})
    mo = folder / "en" / "LC_MESSAGES" / "messages.mo"
    mo.write_bytes(mo.read_bytes()[:40] + b"\xff" * 200)
    assert "not a compiled catalog" in _refused_catalog(folder)


def test_p06_a_fifo_or_a_huge_file_as_catalog_is_refused_at_start(tmp_path):
    fifo = tmp_path / "fifo" / "en" / "LC_MESSAGES"
    fifo.mkdir(parents=True)
    os.mkfifo(fifo / "messages.mo")
    assert "not a regular file" in _refused_catalog(tmp_path / "fifo")
    huge = tmp_path / "huge" / "en" / "LC_MESSAGES"
    huge.mkdir(parents=True)
    (huge / "messages.mo").write_bytes(b"\0" * (5 * 1024 * 1024))
    assert "bytes" in _refused_catalog(tmp_path / "huge")


def test_p06_serve_with_a_bad_catalog_exits_2_in_one_line(tmp_path):
    folder = _mo(tmp_path / "labels", {"Continue": "100% safe"})
    line = _refused(["--label-catalog", folder])
    assert line.startswith("portal-sim: error: --label-catalog"), line


def test_p06_labels_are_escaped_in_pages_whatever_a_catalog_says(tmp_path, monkeypatch):
    from simulator import create_app, i18n

    monkeypatch.setattr(i18n, "check_catalog", lambda path: None)  # as if it had passed
    folder = _mo(tmp_path / "labels", {"Log in": "<i>Sign</i> in & more"})
    app = create_app({"TESTING": True, "DATABASE": None, "LABEL_CATALOG": str(folder)})
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "<i>Sign</i>" not in page
    assert "&lt;i&gt;Sign&lt;/i&gt; in &amp; more" in page


def test_p06_a_percent_sign_written_as_double_percent_is_shown_once(tmp_path):
    from simulator import create_app

    folder = _mo(tmp_path / "labels", {"Invoice #%(number)s": "Invoice %(number)s (100%%)"})
    create_app({"TESTING": True, "DATABASE": None, "LABEL_CATALOG": str(folder)})  # accepted


# --- 7: the PDF prints every character of a name, or says it cannot -----------------

def pdf_text(data: bytes) -> str:
    import io
    import re

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[\s\x00]+", "", text)  # pypdf puts a NUL where the font changes


def _invoice_pdf(make_app, *, name: str, plan: str = "Start", locale: str = "en") -> bytes:
    data = scenario(client={"name": name})
    data["locale"] = locale
    data["plans"][1]["name"] = plan
    client = logged_in(make_app(data).test_client(), ALICE)
    number = _first_invoice(client)
    response = client.get(f"/invoices/{number}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf", \
        text_of(response.get_data(as_text=True))
    return response.data


@pytest.mark.parametrize("locale, name, plan", [
    ("en", "山田 太郎", "ベーシック"),          # Japanese names under en
    ("ja", "山田\u3000太郎", "ベーシック"),     # beyond the 366 glyphs of the ja subset
    ("ja", "José García", "Start"),              # Latin under ja
    ("en", "Ωμέγα Кирилл 김민준", "Старт"),
    ("ja", "陳大文 Nguyễn Thị", "Бизнес"),
])
def test_p07_the_pdf_prints_every_character_of_names_in_any_script(make_app, locale, name,
                                                                     plan):
    text = pdf_text(_invoice_pdf(make_app, name=name, plan=plan, locale=locale))
    for word in (name, plan):
        assert "".join(word.split()) in text, (word, text[:300])


def test_p07_a_character_no_font_has_refuses_the_pdf_plainly(make_app):
    data = scenario(client={"name": "Private \U000F0001 use"})  # a private-use plane
    client = logged_in(make_app(data).test_client(), ALICE)
    number = _first_invoice(client)
    response = client.get(f"/invoices/{number}/pdf")
    assert response.status_code == 400
    assert "U+F0001" in text_of(response.get_data(as_text=True))


# --- 5: memory budgeted on the expanded size; the caps keep the process in budget -----

PROCESS_BUDGET = 512 * 1024 * 1024  # README, "Tenants"


def test_p05_a_scenario_of_aliases_is_budgeted_on_what_it_expands_to(make_app):
    text = ("now: 2026-03-17T09:00:00\n"
            "plans: [{id: basic, name: Basic, prices: {monthly: '5.00'}}]\n"
            "clients:\n"
            f"  - {{email: c0@example.com, password: pw, name: &name {'N' * 200} }}\n"
            + "".join(f"  - {{email: c{n}@example.com, password: pw, name: *name }}\n"
                      for n in range(1, 900))
            + "services: []\n")
    from simulator.tenants import EXPANDED_FACTOR, expanded_size, memory_cost

    scn = from_mapping(parse_text(text))
    assert expanded_size(scn) > 200 * 900                     # every alias counted whole
    assert memory_cost(scn) >= EXPANDED_FACTOR * expanded_size(scn) > 3 * len(text.encode())
    portal = make_app(TENANT_MEMORY_LIMIT=memory_cost(scn) - 1)
    refused = portal.test_client().post("/__sim__/tenants", data=text,
                                        content_type="application/yaml")
    assert refused.status_code == 400 and "expands" in refused.get_json()["error"]


def test_p05_tenants_at_the_caps_stay_within_the_process_budget_and_give_memory_back():
    import json

    child = Path(__file__).with_name("memory_child.py")
    runs = {kind: subprocess.Popen([sys.executable, str(child), kind], cwd=child.parent,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for kind in ("small", "big")}
    for kind, run in runs.items():
        out, err = run.communicate(timeout=240)
        assert run.returncode == 0, err[-2000:]
        figures = json.loads(out.strip().splitlines()[-1])
        grown = figures["at_caps"] - figures["start"]
        # Up to the caps: the count for small tenants, the memory budget for big ones.
        assert figures["seeded"] == (1000 if kind == "small"
                                     else figures["budget"] // figures["cost"]), figures
        assert figures["at_caps"] <= PROCESS_BUDGET, figures
        assert grown <= figures["budget"], figures               # the estimate holds
        assert figures["after_delete"] - figures["start"] <= 0.25 * grown, figures


def test_p01_a_state_file_with_sessions_of_before_loads_and_ends_them(tmp_path):
    """Sessions kept before they were bound to a load cannot say whose they are: they end."""
    import sqlite3

    from simulator import create_app
    from simulator.scenario import load_sample
    from simulator.storage.store import Store

    db = tmp_path / "state.db"
    earlier = Store(str(db))
    earlier.load_scenario(load_sample())
    earlier._conn.close()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, user TEXT NOT NULL, "
                     "created REAL NOT NULL, last_seen REAL NOT NULL)")
        conn.execute("INSERT INTO sessions VALUES ('old', 'alice@example.com', 1, 1)")
    conn.close()
    app = create_app({"TESTING": True, "DATABASE": str(db)})
    assert _session_users(app) == []
    logged_in(app.test_client(), ALICE)  # and new ones work
