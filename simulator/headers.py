"""Response headers of a careful portal (SPEC §8, Headers).

Pages cannot be framed (no clickjacking of the Submit button), content types are
not sniffed, scripts and styles come only from the portal itself, and nothing with
account data (every page but the static files) is kept in a cache.
"""
from __future__ import annotations

from flask import request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

ALWAYS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def init_app(app) -> None:
    @app.after_request
    def secure(response):
        for name, value in ALWAYS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            # Account pages, invoices, PDFs and the control API's state: never stored.
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response
