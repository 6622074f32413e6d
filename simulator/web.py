"""What every screen shares: the store on the app, the logged-in user,
formatting filters, CSRF protection and the error pages."""
from __future__ import annotations

import json
from decimal import Decimal
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from .billing import CYCLE_LABELS
from .dbfile import StorageFailure
from .store import NotFound, Refused, Store

csrf = CSRFProtect()


def get_store() -> Store:
    return current_app.extensions["store"]


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.viewer is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes to the service list."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("portal.service_list")


def init_app(app) -> None:
    csrf.init_app(app)

    @app.before_request
    def load_viewer():
        if request.endpoint == "static":  # a stylesheet or a font needs no user
            g.viewer = None
            return
        email = session.get("user")
        g.viewer = get_store().viewer(email) if email else None

    @app.context_processor
    def inject():
        store = get_store()
        return {"viewer": g.get("viewer"), "catalog": store.catalog}

    @app.template_filter("money")
    def money(amount):
        return get_store().catalog.currency.format(Decimal(str(amount)))

    @app.template_filter("positive")
    def positive(amount):
        return Decimal(str(amount)) > 0

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
        titles = {400: "Request not accepted", 403: "Plan change not available",
                  409: "Plan change not possible right now"}
        return error_page(titles.get(exc.status, "Not possible"), exc.message, exc.status,
                          exc.invoice)

    @app.errorhandler(StorageFailure)
    def storage_failure(exc: StorageFailure):
        return error_page("Changes cannot be saved right now",
                          f"The portal could not save your request because {exc.reason}. "
                          f"Nothing was changed. Please try again later.", 503)

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        return error_page("Not found", str(exc), 404)

    @app.errorhandler(404)
    def http_404(exc):
        return error_page("Not found", "There is no such page in the client portal.", 404)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_page("Request not accepted",
                          f"The form had expired or was not sent from this portal "
                          f"({exc.description}) Reload the page and try again.", 400)
