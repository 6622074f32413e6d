"""Log in and out (SPEC §5.1)."""
from flask import Blueprint, g, redirect, render_template, request, session, url_for

from .web import get_store, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = request.values.get("next")
    if request.method == "GET" and g.viewer is not None:
        return redirect(safe_next(next_url))
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        password = request.form.get("password", "")
        if not email.strip() or not password:
            error = "Enter your email and your password."
        else:
            viewer = get_store().authenticate(email, password)
            if viewer is None:
                error = "The email or password is not correct."
            else:
                session.clear()
                session["user"] = viewer.email
                return redirect(safe_next(next_url), code=303)
    status = 400 if error else 200
    return render_template("login.html", error=error, email=email, next=next_url), status


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth.login"), code=303)
