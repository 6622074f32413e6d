"""DNS SERVICE plan-change portal simulator (SPEC §2–§6).

`create_app` is the app factory: ``flask --app simulator run`` works, and so
does ``portal-sim serve`` (waitress).
"""
from __future__ import annotations

import time
from pathlib import Path

from flask import Flask

from . import scenario as scenario_mod
from .sessions import LoginThrottle, SessionStore
from .storage.store import Store
from .storage.tables import PASSWORD_METHOD, TESTING_PASSWORD_METHOD
from .tenants import DEFAULT_MEMORY_LIMIT, Tenants


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        TESTING=False,
        DATABASE=None,  # None: state in memory; a path: SQLite file that survives restarts
        SCENARIO=None,  # a path, a mapping (SPEC §3) or a Scenario; None: the sample
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a review page may stay open for a while
        TEMPLATES_AUTO_RELOAD=False,
        # Stylesheet, script and fonts change only with a release: let browsers keep them.
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        # Request bodies (forms, scenarios) beyond this answer 413 (SPEC §8).
        MAX_CONTENT_LENGTH=1024 * 1024,
        # Sessions and login throttling run on the real clock (SPEC §8).
        WALL_CLOCK=time.time,
        SESSION_IDLE_MINUTES=30,
        SESSION_LIFETIME_HOURS=12,
        LOGIN_WINDOW_MINUTES=15,
        LOGIN_MAX_FAILURES_PER_EMAIL=5,
        LOGIN_MAX_FAILURES_PER_ADDRESS=50,
        # Host names the control API answers besides the loopback ones (--allow-host).
        CONTROL_ALLOWED_HOSTS=frozenset(),
        # Tenants the control API may hold at once (SPEC §4.1), and the memory they are
        # budgeted in all, on what their scenarios expand to (tenants.memory_cost): a
        # runaway CI cannot eat the memory (README, "Tenants": the process's budget).
        TENANT_LIMIT=1000,
        TENANT_MEMORY_LIMIT=DEFAULT_MEMORY_LIMIT,
    )
    if test_config:
        app.config.update(test_config)

    store = Store(app.config["DATABASE"], password_method=(
        TESTING_PASSWORD_METHOD if app.config["TESTING"] else PASSWORD_METHOD))
    given = app.config["SCENARIO"]
    if given is not None or not store.has_scenario():
        store.load_scenario(_as_scenario(given))
    app.extensions["store"] = store
    app.extensions["tenants"] = Tenants(store, app.config["TENANT_LIMIT"],
                                         app.config["TENANT_MEMORY_LIMIT"])
    clock = app.config["WALL_CLOCK"]
    app.extensions["sessions"] = SessionStore(
        store, clock, idle=app.config["SESSION_IDLE_MINUTES"] * 60,
        lifetime=app.config["SESSION_LIFETIME_HOURS"] * 3600)
    # Tenant logins from before a restart: their loads lived in memory.
    app.extensions["sessions"].end_all_but(store.catalog.generation)
    app.extensions["tenants"].end_sessions = app.extensions["sessions"].end_load
    app.extensions["login_throttle"] = LoginThrottle(
        clock, window=app.config["LOGIN_WINDOW_MINUTES"] * 60,
        per_email=app.config["LOGIN_MAX_FAILURES_PER_EMAIL"],
        per_address=app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = store.secret_key()

    from . import auth, classic, control_api, headers, invoices, portal, web

    web.init_app(app)
    headers.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(portal.bp)
    app.register_blueprint(invoices.bp)
    app.register_blueprint(classic.bp)
    app.register_blueprint(control_api.bp)
    web.csrf.exempt(control_api.bp)
    return app


def _as_scenario(given) -> scenario_mod.Scenario:
    if given is None:
        return scenario_mod.load_sample()
    if isinstance(given, scenario_mod.Scenario):
        return given
    if isinstance(given, dict):
        return scenario_mod.from_mapping(given)
    return scenario_mod.load_file(Path(given))
