"""The control API for tests (SPEC §4): only when TESTING is on, 404 otherwise.

Every refusal is 400 with {"error": "..."} and leaves the state unchanged.
"""
from flask import Blueprint, abort, current_app, jsonify, request

from . import scenario as scenario_mod
from .clock_request import requested_time
from .store import NotFound, Refused
from .web import get_store

bp = Blueprint("control", __name__, url_prefix="/__sim__")


@bp.before_request
def only_when_testing():
    if not current_app.config.get("TESTING"):
        abort(404)


def _error(message: str, status: int = 400):
    return jsonify(error=message), status


@bp.errorhandler(Refused)
def refused(exc: Refused):
    return _error(exc.message, exc.status)


@bp.errorhandler(NotFound)
def not_found(exc: NotFound):
    return _error(str(exc), 404)


@bp.errorhandler(scenario_mod.ScenarioError)
def bad_scenario(exc):
    return _error(str(exc))


@bp.route("/scenario", methods=["POST"])
def replace_scenario():
    body = request.get_data()  # bytes: the loader refuses what is not UTF-8
    if not body.strip():
        return _error("the body must be a scenario (YAML or JSON, SPEC §3)")
    scn = scenario_mod.from_mapping(scenario_mod.parse_text(body, "scenario"))
    get_store().load_scenario(scn)
    return jsonify(get_store().state())


@bp.route("/clock", methods=["POST"])
def move_clock():
    store = get_store()
    store.set_clock(requested_time(request.get_data(), store.now()))
    return jsonify(store.state())


@bp.route("/invoices/<number>/pay", methods=["POST"])
def pay(number: str):
    store = get_store()
    store.pay_invoice(number)
    return jsonify(store.state())


@bp.route("/state")
def state():
    return jsonify(get_store().state())
