"""Themes (SPEC §5.1): the same portal in another template.

A theme is a presentation choice only: which templates render a screen, which
addresses the pages link and redirect to, and how money and dates are written.
The rules, the state, the words (the gettext catalogs) and the views are shared.

The theme is the scenario's (`theme:`), else the portal's (`portal-sim serve --theme`,
config PORTAL_THEME); a tenant's once its user is logged in, as the language is.
Both address sets are routed in every app (classic.py holds the query-string ones);
the theme picks the ones the pages emit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

from flask import current_app, has_request_context, render_template, url_for

from .billing import Currency
from .scenario import THEMES

DEFAULT_THEME = "default"


@dataclass(frozen=True)
class Theme:
    name: str
    folder: str = ""  # where its templates live under templates/ ("" = the default ones)
    date_pattern: str | None = None  # a CLDR pattern; None: the catalog's ("date format")
    code_after: bool = False  # money as "12.00 USD" instead of "$12.00"
    # The address of each screen (endpoint of the default address set -> the theme's
    # endpoint and query template); a screen not listed keeps the default address.
    addresses: dict[str, str] = field(default_factory=dict)

    def template(self, name: str) -> str:
        return self.folder + name

    def money(self, amount: Decimal, currency: Currency) -> str:
        return currency.format_code(amount) if self.code_after else currency.format(amount)

    def url(self, endpoint: str, **values) -> str:
        """The address of a screen as this theme writes it; the query's values in the order
        the template gives them, then the rest (plan, cycle, next...) in the order given."""
        spec = self.addresses.get(endpoint)
        if spec is None:
            return url_for(endpoint, **values)
        target, _, query = spec.partition("?")
        ordered = {}
        for name, value in parse_qsl(query):
            ordered[name] = values.pop(value[1:-1]) if value.startswith("{") else value
        ordered.update(values)
        return url_for(target, **ordered)


CLASSIC = Theme(
    name="classic", folder="classic/", date_pattern="dd/MM/yyyy", code_after=True,
    addresses={
        "portal.service_list": "classic.clientarea?action=services",
        "portal.service_details": "classic.clientarea?action=productdetails&id={service_id}",
        "portal.change": "classic.upgrade?type=package&id={service_id}",
        "portal.review": "classic.upgrade?type=package&id={service_id}&step=review",
        "portal.submit": "classic.upgrade?type=package&id={service_id}",
        "invoices.invoice_list": "classic.clientarea?action=invoices",
        "invoices.invoice": "classic.viewinvoice?id={number}",
        "invoices.invoice_download": "classic.download?type=i&id={number}",
        "auth.login": "classic.login",
        "auth.logout": "classic.logout",
    })
BY_NAME = {"default": Theme(DEFAULT_THEME), "classic": CLASSIC}
assert tuple(BY_NAME) == THEMES


def current() -> Theme:
    """The theme of this request's screen: the logged-in user's tenant's, else the portal's.
    Outside a request (unit tests of the wording), the default."""
    if not has_request_context():
        return BY_NAME[DEFAULT_THEME]
    from .web import get_store  # web imports this module

    return BY_NAME[get_store().catalog.theme or current_app.config["PORTAL_THEME"]]


def render(name: str, **context) -> str:
    """The screen `name` (e.g. "services.html") in the current theme's template."""
    return render_template(current().template(name), **context)


def url(endpoint: str, **values) -> str:
    """The address of a screen (named by its default endpoint) in the current theme."""
    return current().url(endpoint, **values)


def form_target(endpoint: str, **values) -> tuple[str, list[tuple[str, str]]]:
    """A GET form's action and the hidden fields that carry its address's query (a
    browser replaces the action's query by the form's fields)."""
    parts = urlsplit(url(endpoint, **values))
    return parts.path, parse_qsl(parts.query)


class ThemeError(ValueError):
    """A PORTAL_THEME that names no theme."""


def init_app(app) -> None:
    app.config.setdefault("PORTAL_THEME", DEFAULT_THEME)
    if app.config["PORTAL_THEME"] not in BY_NAME:
        raise ThemeError(f"PORTAL_THEME: {app.config['PORTAL_THEME']!r} is not one of "
                         f"{', '.join(THEMES)}")
    app.jinja_env.globals.update(link=url, form_target=form_target)
