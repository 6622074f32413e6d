"""The portal's languages (SPEC §5 Languages): every string a screen or the PDF
shows comes from the gettext catalogs in simulator/translations/.

The language is the scenario's (`locale:`), else the portal's default
(`portal-sim serve --locale`, config PORTAL_LOCALE); it is the same for every
screen of a scenario, the login page included. `serve --label-catalog DIR` (config
LABEL_CATALOG) lays a folder of override catalogs over the shipped ones: the same
portal with other words on its controls, as another vendor's portal would have. Outside a request (unit tests of
the wording) the English message ids are used as they are.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Callable

from babel.dates import format_date
from flask import current_app
from flask_babel import Babel, get_locale, gettext, ngettext, pgettext
from markupsafe import Markup

from . import themes
from .billing import CYCLE_LABELS, Currency
from .marks import N_

__all__ = ["gettext", "ngettext", "day", "money", "cycle_name", "per_cycle", "translated_refusal",
           "init_app", "N_"]

DEFAULT_LOCALE = "en"

# Messages that come from outside the portal's code, so that the catalog holds them:
# the names and descriptions of the HTTP errors a visitor can meet (werkzeug's words).
HTTP_NAMES = (N_("Bad Request"), N_("Method Not Allowed"), N_("Request Entity Too Large"),
              N_("Request URI Too Large"), N_("Request Header Fields Too Large"),
              N_("Unsupported Media Type"), N_("Too Many Requests"),
              N_("Service Unavailable"), N_("Internal Server Error"))
HTTP_DESCRIPTIONS = (N_("The browser (or proxy) sent a request that this server could not "
                        "understand."),)
# Why Flask-WTF refused a form (shown inside the portal's own sentence).
CSRF_REASONS = (N_("The CSRF token is missing."), N_("The CSRF session token is missing."),
                N_("The CSRF token has expired."), N_("The CSRF token is invalid."),
                N_("The CSRF tokens do not match."), N_("The referrer header is missing."),
                N_("The referrer does not match the host."))


def locale_code() -> str:
    """The current screen's language, e.g. "ja"."""
    found = get_locale()
    return str(found) if found else DEFAULT_LOCALE


def day(value: date | datetime) -> str:
    """A date as the catalog writes it: 2026-04-01 in en, 2026年4月1日 in ja; as the
    theme writes it when it has its own pattern (classic: 01/04/2026)."""
    if isinstance(value, datetime):
        value = value.date()
    pattern = (themes.current().date_pattern
               or pgettext("date format (CLDR pattern)", "yyyy-MM-dd"))
    return format_date(value, format=pattern, locale=locale_code())


def money(amount: Decimal, currency: Currency) -> str:
    """An amount as the screen's theme writes it: "$12.00" (default), "12.00 USD" (classic)."""
    return themes.current().money(amount, currency)


def cycle_name(cycle: str) -> str:
    """A billing cycle's name, e.g. "Monthly"; an unknown one is shown as it is."""
    label = CYCLE_LABELS.get(cycle)
    return gettext(label) if label else cycle


def per_cycle(price: str, cycle: str) -> str:
    """A recurring price with its cycle: "$12.00 / Monthly"."""
    return gettext("%(price)s / %(cycle)s", price=price, cycle=cycle_name(cycle))


def _shown(value):
    """A refusal's value as the screen shows it: dates and states in the screen's language."""
    if isinstance(value, (date, datetime)):
        return day(value)
    if isinstance(value, Enum):
        return gettext(value.value)
    return value


def translated_refusal(template: str, params: dict) -> str:
    return gettext(template, **{k: _shown(v) for k, v in params.items()})


def translated_or(message: str, fallback: str) -> str:
    """`message` translated; on a non-English screen a message the catalog lacks
    (e.g. a library's own words) gives way to `fallback`, so no English is left."""
    shown = gettext(message)
    if shown == message and locale_code() != DEFAULT_LOCALE:
        return gettext(fallback)
    return shown


class LabelCatalogError(ValueError):
    """A LABEL_CATALOG folder that cannot be used: no compiled catalog, or one that would
    break or inject into a page (SPEC §8); the message names the file and the label."""


MAX_CATALOG_BYTES = 1024 * 1024  # the portal's own catalogs are about 30 KB
# A label's "%": a %% or a named placeholder %(name)s / %(name)d; anything else breaks
# the page's formatting ("100% safe" shows as "100{}afe", a "%(x)s" raises).
_PERCENT = re.compile(r"%(?:%|\((\w+)\)[sd])?")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|&#?\w+;")


def _label_problem(msgid: str, text: str) -> str | None:
    """Why `text` cannot stand for `msgid`, or None."""
    if _MARKUP.search(text):
        return "holds markup; a label is plain text"
    names = set(re.findall(r"%\((\w+)\)", msgid))
    if "%" not in msgid and "%" in text:
        return "holds a % sign, which this label's formatting would misread"
    for found in _PERCENT.finditer(text):
        if found.group() == "%":
            return "holds a lone % (write %% for a percent sign, %(name)s for a value)"
        if found.group(1) is not None and found.group(1) not in names:
            return (f"names %({found.group(1)})s, which the original does not give "
                    f"(it gives {', '.join(sorted(names)) or 'none'})")
    return None


def check_catalog(path: Path) -> None:
    """LabelCatalogError unless `path` is a compiled catalog whose every label the
    portal can show: a regular file of sane size, well formed, placeholders as the
    original's, no markup."""
    import gettext as gettext_mod
    import io
    import stat

    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # a FIFO would hang every request's thread
        raise LabelCatalogError(f"{path} is not a regular file")
    if info.st_size > MAX_CATALOG_BYTES:
        raise LabelCatalogError(f"{path} holds {info.st_size:,} bytes, more than "
                                f"{MAX_CATALOG_BYTES:,}")
    with path.open("rb") as handle:
        data = handle.read(MAX_CATALOG_BYTES + 1)
    try:
        messages = gettext_mod.GNUTranslations(io.BytesIO(data))._catalog
    except Exception as exc:  # OSError, struct.error, UnicodeDecodeError, IndexError...
        raise LabelCatalogError(f"{path} is not a compiled catalog (.mo): "
                                f"{type(exc).__name__}") from None
    for key, text in messages.items():
        msgid = key[0] if isinstance(key, tuple) else key  # plurals: (singular, index)
        if not msgid:
            continue  # the header
        problem = _label_problem(msgid + (" %(num)d" if isinstance(key, tuple) else ""),
                                 text)
        if problem:
            raise LabelCatalogError(f"{path}: {msgid[:60]!r} as {text[:60]!r} {problem}")


def label_catalog_directories(folder) -> str:
    """BABEL_TRANSLATION_DIRECTORIES with a folder of override catalogs after the portal's
    own: its messages (e.g. "Continue" shown as "Next") win, the rest stay as shipped. The
    folder is laid out as translations/ is (`en/LC_MESSAGES/messages.mo`); every catalog
    in it is checked now (check_catalog), not at the first page that needs it."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise LabelCatalogError(f"{folder} is not a folder")
    found = sorted(folder.glob("*/LC_MESSAGES/messages.mo"))
    if not found:
        raise LabelCatalogError(f"{folder} holds no LOCALE/LC_MESSAGES/messages.mo "
                                f"(compile its .po with pybabel compile -d {folder})")
    for path in found:
        check_catalog(path)
    return f"translations;{folder}"


def _install_escaping_gettext(app) -> None:
    """Templates' _() and friends, returning escaped text: Jinja's newstyle gettext
    marks a translation safe markup as it is, so a catalog's "<b>" would reach the page
    raw. The portal's own messages hold no markup."""
    from flask_babel import get_translations
    from markupsafe import escape

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: escape(get_translations().ugettext(s)),
        ngettext=lambda s, p, n: escape(get_translations().ungettext(s, p, n)),
        pgettext=lambda c, s: escape(get_translations().upgettext(c, s)),
        npgettext=lambda c, s, p, n: escape(get_translations().unpgettext(c, s, p, n)),
        newstyle=True)


def init_app(app, select_locale: Callable[[], str | None]) -> None:
    """`select_locale` names the current request's language (None: the portal's
    default): the web layer knows whose request it is, this module need not."""
    app.config.setdefault("PORTAL_LOCALE", DEFAULT_LOCALE)
    if app.config.get("LABEL_CATALOG"):
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = label_catalog_directories(app.config["LABEL_CATALOG"])
    Babel(app, locale_selector=lambda: select_locale() or current_app.config["PORTAL_LOCALE"])
    _install_escaping_gettext(app)
    app.jinja_env.filters.update(day=day, cycle=cycle_name, per_cycle=per_cycle,
                                 state=lambda value: gettext(str(value)))
    app.jinja_env.globals.update(locale_code=locale_code, Markup=Markup)
