"""Log in and out (SPEC §5.1), with sessions the server can end and throttled
guessing (SPEC §8)."""
from flask import Blueprint, current_app, g, redirect, request, session

from . import themes
from .i18n import gettext, ngettext
from .web import safe_next

bp = Blueprint("auth", __name__)


def _sessions():
    return current_app.extensions["sessions"]


def _throttle():
    return current_app.extensions["login_throttle"]


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = request.values.get("next")
    if request.method == "GET" and g.viewer is not None:
        return redirect(safe_next(next_url))
    error, status, headers = None, 200, {}
    email = request.form.get("email", "")
    if request.method == "POST":
        password = request.form.get("password", "")
        key, address = email.strip().lower(), request.remote_addr or "unknown"
        tenants = current_app.extensions["tenants"]
        if not email.strip() or not password:
            error, status = gettext("Enter your email and your password."), 400
        elif not (verdict := _throttle().check(key, address, tenants.load_of(key))).allowed:
            minutes = -(-verdict.retry_after // 60)
            error, status = ngettext("Too many failed logins. Try again in %(num)d minute.",
                                     "Too many failed logins. Try again in %(num)d minutes.",
                                     minutes), 429
            headers["Retry-After"] = str(verdict.retry_after)
        else:
            found = tenants.authenticate(email, password)
            sid = found and tenants.start_session(found, _sessions().start)
            if not sid:  # a wrong password, or an account gone while it was checked
                error, status = gettext("The email or password is not correct."), 400
            else:
                _throttle().succeeded(verdict)
                old = session.get("sid")
                if old:
                    _sessions().end(old)
                session.clear()  # a new session id at every login: no fixation
                session["sid"] = sid
                # The user's tenant is known now: its theme writes the address to go to.
                g.store = found.store
                return redirect(safe_next(next_url), code=303)
    page = themes.render("login.html", error=error, email=email, next=next_url)
    return page, status, headers


@bp.route("/logout", methods=["POST"])
def logout():
    sid = session.get("sid")
    if sid:
        _sessions().end(sid)  # the cookie, replayed, no longer logs anyone in
    session.clear()
    return redirect(themes.url("auth.login"), code=303)
