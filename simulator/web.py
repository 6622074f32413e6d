"""What every screen shares: the store on the app, the logged-in user,
formatting filters, CSRF protection and the error pages."""
from __future__ import annotations

import json
from decimal import Decimal
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, g, jsonify, redirect, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, ValidationError

from . import i18n, limits, themes
from .storage.dbfile import StorageFailure
from .i18n import N_, gettext, translated_or, translated_refusal
from .rules import Problem, Refused
from .storage.store import Store

csrf = CSRFProtect()

# The one place a refusal's kind becomes an HTTP status (pages and control API alike),
# and the title of its error page.
STATUS = {Problem.INVALID: 400, Problem.NOT_ALLOWED: 403, Problem.NOT_FOUND: 404,
          Problem.CONFLICT: 409}
TITLES = {Problem.INVALID: N_("Request not accepted"),
          Problem.NOT_ALLOWED: N_("Plan change not available"),
          Problem.NOT_FOUND: N_("Not found"),
          Problem.CONFLICT: N_("Plan change not possible right now")}


PLAIN_MESSAGES = {
    405: N_("This page cannot be used that way."),
    413: N_("The request is too large for the client portal."),
}
# Why a form was refused, when Flask-WTF gives a reason the catalog has no words for.
CSRF_UNKNOWN = N_("it could not be verified.")
# Why the disk refused a write, when dbfile gives a reason the catalog has no words for.
STORAGE_UNKNOWN = N_("the disk refused the write")
# What a non-English screen says for an error the catalog has no words for.
OTHER_ERROR = (N_("Request not accepted"),
               N_("The request could not be handled. Please go back and try again."))


def get_store() -> Store:
    """The store of the logged-in user's tenant (SPEC §4.1); the default one otherwise."""
    store = g.get("store")
    return store if store is not None else current_app.extensions["store"]


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.viewer is None:
            return redirect(themes.url("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


class IdConverter(BaseConverter):
    """A positive id that fits SQLite's 64-bit integer (every id a scenario may hold,
    up to 19 digits); a larger one is simply no page (404)."""

    regex = r"[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > limits.MAX_ID:  # 19 digits reach past 2**63 - 1
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes to the service list."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and target.isprintable() and len(target) <= 2000):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return themes.url("portal.service_list")


def _is_control_api() -> bool:
    return request.path.startswith("/__sim__/")


def init_app(app) -> None:
    csrf.init_app(app)
    themes.init_app(app)
    i18n.init_app(app, select_locale=lambda: get_store().catalog.locale)
    app.url_map.converters["id"] = IdConverter

    @app.before_request
    def load_viewer():
        g.viewer = None
        if request.endpoint == "static":  # a stylesheet or a font needs no user
            return
        sid = session.get("sid")
        if isinstance(sid, str):
            sessions = current_app.extensions["sessions"]
            found = sessions.user(sid)
            account = current_app.extensions["tenants"].viewer(*found) if found else None
            if account is not None:
                g.store, g.viewer = account
            elif found:  # its account or scenario load is gone: so is the session
                sessions.end(sid)

    @app.context_processor
    def inject():
        store = get_store()
        return {"viewer": g.get("viewer"), "catalog": store.catalog}

    @app.template_filter("money")
    def money(amount):
        return i18n.money(Decimal(str(amount)), get_store().catalog.currency)

    @app.template_filter("cycle_options")
    def cycle_options(plan):
        """[[cycle, "Monthly — $12.00"], ...] so the page can refill the cycle select."""
        return json.dumps([[c, f"{i18n.cycle_name(c)} — {money(plan.prices[c])}"]
                           for c in plan.cycles()])

    def error_page(title: str, message: str, status: int, invoice: str | None = None):
        return themes.render("error.html", title=title, message=message,
                               invoice=invoice), status

    @app.errorhandler(Refused)
    def refused(exc: Refused):
        return error_page(gettext(TITLES[exc.kind]), translated_refusal(exc.template, exc.params),
                          STATUS[exc.kind], exc.invoice)

    @app.errorhandler(StorageFailure)
    def storage_failure(exc: StorageFailure):
        return error_page(gettext("Changes cannot be saved right now"),
                          gettext("The portal could not save your request because %(reason)s. "
                                  "Nothing was changed. Please try again later.",
                                  reason=translated_or(exc.reason, STORAGE_UNKNOWN)), 503)

    @app.errorhandler(404)
    def http_404(exc):
        if _is_control_api():
            return jsonify(error=f"no such control request: {request.method} {request.path}"), 404
        return error_page(gettext("Not found"),
                          gettext("There is no such page in the client portal."), 404)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        """405, 413, a malformed request...: a plain page (JSON on the control API)."""
        message = PLAIN_MESSAGES.get(exc.code, exc.description)
        if _is_control_api():
            return jsonify(error=message), exc.code
        title, other = OTHER_ERROR
        return error_page(translated_or(exc.name, title), translated_or(message, other), exc.code)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # Never a bare traceback page; the log keeps the details for us.
        current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
        message = N_("Something went wrong on our side. Nothing was changed; please try again.")
        if _is_control_api():
            return jsonify(error=message), 500
        return error_page(gettext("Something went wrong"), gettext(message), 500)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_page(gettext("Request not accepted"),
                          gettext("The form had expired or was not sent from this portal "
                                  "(%(reason)s) Reload the page and try again.",
                                  reason=translated_or(exc.description, CSRF_UNKNOWN)), 400)
