"""The control API for tests (SPEC §4): only when TESTING is on, 404 otherwise.

Every refusal is 400 with {"error": "..."} and leaves the state unchanged.
"""
from datetime import timedelta

from flask import Blueprint, abort, current_app, jsonify, request

from . import scenario as scenario_mod
from .control_guard import refusal
from .dbfile import StorageFailure
from .rules import Refused
from .web import STATUS, get_store

bp = Blueprint("control", __name__, url_prefix="/__sim__")


@bp.before_request
def only_when_testing():
    if not current_app.config.get("TESTING"):
        abort(404)
    refused = refusal(request.method, request.host, request.headers.get("Origin"),
                      request.mimetype, current_app.config["CONTROL_ALLOWED_HOSTS"])
    if refused:
        return _error(refused)


def _error(message: str, status: int = 400):
    return jsonify(error=message), status


@bp.errorhandler(Refused)
def refused(exc: Refused):
    return _error(exc.message, STATUS[exc.kind])


@bp.errorhandler(StorageFailure)
def storage_failure(exc: StorageFailure):
    return _error(f"the change was not saved: {exc.reason}", 503)


@bp.errorhandler(scenario_mod.ScenarioError)
def bad_scenario(exc):
    return _error(str(exc))


@bp.route("/scenario", methods=["POST"])
def replace_scenario():
    body = request.get_data(as_text=True)
    if not body.strip():
        return _error("the body must be a scenario (YAML or JSON, SPEC §3)")
    scn = scenario_mod.from_mapping(scenario_mod.parse_text(body, "scenario"))
    get_store().load_scenario(scn)
    return jsonify(get_store().state())


@bp.route("/clock", methods=["POST"])
def move_clock():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or len(body) != 1:
        return _error('send one of {"now": "..."}, {"advance_minutes": N}, {"advance_days": N}')
    (key, value), = body.items()
    store = get_store()
    if key == "now":
        try:
            when = scenario_mod.parse_now(value)
        except scenario_mod.ScenarioError as exc:
            return _error(str(exc))
        store.set_clock(when)
    elif key in ("advance_minutes", "advance_days"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return _error(f"{key}: expected a whole number ≥ 0, got {value!r}")
        unit = "minutes" if key == "advance_minutes" else "days"
        store.advance_clock(timedelta(**{unit: value}))  # read and move under one lock
    else:
        return _error(f"{key}: unknown key; use now, advance_minutes or advance_days")
    return jsonify(store.state())


@bp.route("/invoices/<number>/pay", methods=["POST"])
def pay(number: str):
    store = get_store()
    store.pay_invoice(number)
    return jsonify(store.state())


@bp.route("/state")
def state():
    return jsonify(get_store().state())
