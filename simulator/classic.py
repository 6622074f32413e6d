"""The classic theme's addresses (SPEC §5.1): the same screens at query-string
addresses of an older client area, /clientarea.php?action=services and so on.

Each address hands over to the same view as its default twin (portal, invoices,
auth): nothing here decides anything but which screen an address names. Both
address sets answer in every app; the theme (themes.py) picks the templates and
the addresses the pages emit.
"""
import re

from flask import Blueprint, abort, redirect, request

from . import auth, invoices, portal, themes
from .web import IdConverter, login_required

bp = Blueprint("classic", __name__)

_ID = re.compile(IdConverter.regex)


def _service_id() -> int:
    """The `id` of the query as a service id; anything else names no page (404)."""
    value = request.args.get("id", "")
    if not _ID.fullmatch(value):
        abort(404)
    return int(value)


def _invoice_number() -> str:
    number = request.args.get("id", "")
    if not number:
        abort(404)
    return number


def _arg(name: str, expected: str) -> None:
    if request.args.get(name) != expected:
        abort(404)


@bp.route("/clientarea.php")
@login_required
def clientarea():
    action = request.args.get("action")
    if action is None:  # the client area's home: its one service list
        return redirect(themes.url("portal.service_list"))
    if action == "services":
        return portal.service_list()
    if action == "productdetails":
        return portal.service_details(_service_id())
    if action == "invoices":
        return invoices.invoice_list()
    abort(404)


@bp.route("/upgrade.php", methods=["GET", "POST"])
@login_required
def upgrade():
    """The change page; with step=review the review; a POST is the Submit."""
    _arg("type", "package")
    service_id = _service_id()
    if request.method == "POST":
        return portal.submit(service_id)
    step = request.args.get("step")
    if step == "review":
        return portal.review(service_id)
    if step is not None:
        abort(404)
    return portal.change(service_id)


@bp.route("/viewinvoice.php")
@login_required
def viewinvoice():
    return invoices.invoice(_invoice_number())


@bp.route("/dl.php")
@login_required
def download():
    _arg("type", "i")
    return invoices.invoice_download(_invoice_number())


bp.add_url_rule("/login.php", "login", auth.login, methods=["GET", "POST"])
bp.add_url_rule("/logout.php", "logout", auth.logout, methods=["POST"])
