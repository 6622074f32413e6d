"""The control API for tests (SPEC §4): only when TESTING is on, 404 otherwise.

The plain routes act on the default tenant; /tenants/<id>/... on that tenant (§4.1).

Every refusal is 400 with {"error": "..."} and leaves the state unchanged.
"""
from flask import Blueprint, abort, current_app, jsonify, request

from . import scenario as scenario_mod
from .clock_request import requested_move
from .control_guard import refusal
from .storage.dbfile import StorageFailure
from .rules import Refused
from .web import STATUS

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


def _tenants():
    return current_app.extensions["tenants"]


def _store_of(tenant: str | None):
    """That tenant's store (404 if none); the default tenant's without one, whoever
    the caller's cookie logs in."""
    return _tenants().default if tenant is None else _tenants().get(tenant)


def _scenario_from_body() -> scenario_mod.Scenario:
    body = request.get_data()  # bytes: the loader refuses what is not UTF-8
    if not body.strip():
        raise scenario_mod.ScenarioError("the body must be a scenario (YAML or JSON, SPEC §3)")
    return scenario_mod.from_mapping(scenario_mod.parse_text(body, "scenario"))


@bp.route("/scenario", methods=["POST"])
def replace_scenario():
    _tenants().replace_default(_scenario_from_body())
    return jsonify(_store_of(None).state())


@bp.route("/tenants", methods=["POST"])
def create_tenant():
    seeded = _tenants().create(_scenario_from_body())
    return jsonify(seeded.answer()), 201


@bp.route("/tenants/<tenant>", methods=["DELETE"])
def delete_tenant(tenant: str):
    _tenants().delete(tenant)  # its sessions with it
    return jsonify(tenant=tenant, deleted=True)


@bp.route("/clock", methods=["POST"])
@bp.route("/tenants/<tenant>/clock", methods=["POST"])
def move_clock(tenant: str | None = None):
    store = _store_of(tenant)  # an unknown tenant is 404, whatever the body
    move = requested_move(request.get_data())
    if move.to is not None:
        store.set_clock(move.to)
    else:
        store.advance_clock(move.by)  # read and move under one lock
    return jsonify(store.state())


@bp.route("/invoices/<number>/pay", methods=["POST"])
@bp.route("/tenants/<tenant>/invoices/<number>/pay", methods=["POST"])
def pay(number: str, tenant: str | None = None):
    store = _store_of(tenant)
    store.pay_invoice(number)
    return jsonify(store.state())


@bp.route("/state")
@bp.route("/tenants/<tenant>/state")
def state(tenant: str | None = None):
    return jsonify(_store_of(tenant).state())
