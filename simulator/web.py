"""What every screen shares: the store on the app, the logged-in user,
formatting filters, CSRF protection and the error pages."""
from __future__ import annotations

import json
from decimal import Decimal
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, g, jsonify, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from .billing import CYCLE_LABELS
from .dbfile import StorageFailure
from .rules import Problem, Refused
from .store import Store

csrf = CSRFProtect()

# The one place a refusal's kind becomes an HTTP status (pages and control API alike),
# and the title of its error page.
STATUS = {Problem.INVALID: 400, Problem.NOT_ALLOWED: 403, Problem.NOT_FOUND: 404,
          Problem.CONFLICT: 409}
TITLES = {Problem.INVALID: "Request not accepted",
          Problem.NOT_ALLOWED: "Plan change not available",
          Problem.NOT_FOUND: "Not found",
          Problem.CONFLICT: "Plan change not possible right now"}


PLAIN_MESSAGES = {
    405: "This page cannot be used that way.",
    413: "The request is too large for the client portal.",
}


def get_store() -> Store:
    return current_app.extensions["store"]


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.viewer is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


class IdConverter(BaseConverter):
    """A positive id that fits SQLite's 64-bit integer; a longer one is simply no page (404)."""

    regex = r"[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes to the service list."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and target.isprintable() and len(target) <= 2000):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("portal.service_list")


def _is_control_api() -> bool:
    return request.path.startswith("/__sim__/")


def init_app(app) -> None:
    csrf.init_app(app)
    app.url_map.converters["id"] = IdConverter

    @app.before_request
    def load_viewer():
        g.viewer = None
        if request.endpoint == "static":  # a stylesheet or a font needs no user
            return
        sid = session.get("sid")
        if isinstance(sid, str):
            email = current_app.extensions["sessions"].user(sid)
            g.viewer = get_store().viewer(email) if email else None

    @app.context_processor
    def inject():
        store = get_store()
        return {"viewer": g.get("viewer"), "catalog": store.catalog}

    @app.template_filter("money")
    def money(amount):
        return get_store().catalog.currency.format(Decimal(str(amount)))

    @app.template_filter("cycle_options")
    def cycle_options(plan):
        """[[cycle, "Monthly — $12.00"], ...] so the page can refill the cycle select."""
        return json.dumps([[c, f"{CYCLE_LABELS[c]} — {money(plan.prices[c])}"]
                           for c in plan.cycles()])

    @app.template_filter("cycle")
    def cycle_label(cycle):
        return CYCLE_LABELS.get(cycle, cycle)

    def error_page(title: str, message: str, status: int, invoice: str | None = None):
        return render_template("error.html", title=title, message=message,
                               invoice=invoice), status

    @app.errorhandler(Refused)
    def refused(exc: Refused):
        return error_page(TITLES[exc.kind], exc.message, STATUS[exc.kind], exc.invoice)

    @app.errorhandler(StorageFailure)
    def storage_failure(exc: StorageFailure):
        return error_page("Changes cannot be saved right now",
                          f"The portal could not save your request because {exc.reason}. "
                          f"Nothing was changed. Please try again later.", 503)

    @app.errorhandler(404)
    def http_404(exc):
        if _is_control_api():
            return jsonify(error=f"no such control request: {request.method} {request.path}"), 404
        return error_page("Not found", "There is no such page in the client portal.", 404)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        """405, 413, a malformed request...: a plain page (JSON on the control API)."""
        message = PLAIN_MESSAGES.get(exc.code, exc.description)
        if _is_control_api():
            return jsonify(error=message), exc.code
        return error_page(exc.name, message, exc.code)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # Never a bare traceback page; the log keeps the details for us.
        current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
        message = "Something went wrong on our side. Nothing was changed; please try again."
        if _is_control_api():
            return jsonify(error=message), 500
        return error_page("Something went wrong", message, 500)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_page("Request not accepted",
                          f"The form had expired or was not sent from this portal "
                          f"({exc.description}) Reload the page and try again.", 400)
