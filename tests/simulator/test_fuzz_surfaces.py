"""Fuzzing the surfaces added by the second hardening pass (issue 20): label catalog
files, UI profile files, the control API's Origin and Host headers, and names in every
script printed into the invoice PDF. The only outcomes allowed: accepted and shown
whole, or a one-line refusal (an exception of the documented kind, a 4xx), quickly.

Each runs a few seconds in `make test`; FUZZ_EXAMPLES=2000 pytest this file searches longer.
"""
from __future__ import annotations

import io
import itertools
import os
import unicodedata
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
QUICK = dict(deadline=None, derandomize=True,
             suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                    HealthCheck.data_too_large])


def quick(examples: int):
    return settings(max_examples=EXAMPLES or examples, **QUICK)


_counter = itertools.count()


# --- label catalogs ---------------------------------------------------------------------

MSGIDS = ["Log in", "Email", "Password", "Not found",
          "There is no such page in the client portal.", "Invoice #%(number)s"]
PIECES = st.sampled_from(["%", "%%", "%(number)s", "%(x)s", "%(number)d", "%(", "%s", "%d",
                          "<b>", "</b>", "<script>", "&amp;", "&#60;", "&", "<", ">", "'",
                          '"', "{}", "\\", "次へ", "🙂", "\u3000", " ", "Sign in"])
LABELS = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=6).map("".join)


def _write_mo(folder, messages: dict):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="en")
    for msgid, text in messages.items():
        catalog.add(msgid, text)
    target = folder / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    (target / "messages.mo").write_bytes(buffer.getvalue())
    return target / "messages.mo"


@quick(25)
@given(messages=st.dictionaries(st.sampled_from(MSGIDS), LABELS, min_size=1, max_size=3),
       damage=st.one_of(st.none(), st.tuples(st.integers(0, 400), st.binary(max_size=8))))
def test_a_catalog_is_refused_in_one_line_or_every_page_shows_its_labels(
        tmp_path, messages, damage):
    from simulator import create_app
    from simulator.i18n import LabelCatalogError, label_catalog_directories

    folder = tmp_path / f"catalog{next(_counter)}"
    mo = _write_mo(folder, messages)
    if damage is not None:  # bytes overwritten somewhere: a corrupt file
        at, junk = damage
        data = bytearray(mo.read_bytes())
        data[at:at + len(junk)] = junk
        mo.write_bytes(bytes(data))
    try:
        label_catalog_directories(folder)
    except LabelCatalogError as refusal:
        assert "\n" not in str(refusal) and str(mo) in str(refusal)
        return
    app = create_app({"TESTING": True, "DATABASE": None, "LABEL_CATALOG": str(folder)})
    client = app.test_client()
    for path in ("/login", "/no-such-page"):
        response = client.get(path)
        assert response.status_code in (200, 404), response.get_data(as_text=True)[:300]
        page = response.get_data(as_text=True)
        assert "<script>" not in page and "<b>" not in page


# --- UI profiles ---------------------------------------------------------------------------

PROFILE_TEXT = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([30, 3000]).map(lambda n: (b"a: " + b"[" * n + b"]" * n)),
    st.sampled_from([30, 3000]).map(lambda n: (b"a: " + b"{b: " * n + b"1" + b"}" * n)),
    st.sampled_from([b"", b"profile: x", b"formats: {}", b"targets: [1]", b"&a [*a]",
                     b"\xef\xbb\xbfprofile: x", b"a: !!python/object:os.system x"]),
)


@quick(40)
@given(data=PROFILE_TEXT)
def test_a_profile_file_loads_or_is_one_profile_error(tmp_path, data):
    from pages.profile import ProfileError, load_profile

    path = tmp_path / f"profile{next(_counter)}.yaml"
    path.write_bytes(data)
    try:
        load_profile(path)
    except ProfileError as refusal:
        assert "\n" not in str(refusal)


# --- Origin and Host -------------------------------------------------------------------

LATIN1 = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=30)
HEADER_PIECES = st.sampled_from(["http://", "https://", "//", "[", "]", "::1", "[::1]",
                                 "http://[", "[::1", "http://[::1]:", "[zz]",
                                 "127.0.0.1", "localhost", ":", ":80", ":99999", ":-1",
                                 "@", "%", "null", "x", " ", "\t", "file://", "?", "#"])
HEADER = st.lists(st.one_of(HEADER_PIECES, LATIN1), max_size=5).map("".join)


@quick(150)
@given(origin=st.one_of(st.none(), HEADER), host=st.one_of(st.none(), HEADER))
def test_no_origin_or_host_makes_the_control_api_fail(app, origin, host):
    headers = {}
    if origin is not None:
        headers["Origin"] = origin
    if host is not None:
        headers["Host"] = host
    response = app.test_client().post("/__sim__/clock", json={"advance_minutes": 0},
                                      headers=headers)
    assert response.status_code in (200, 400, 403, 404), response.get_data(as_text=True)[:300]
    if response.status_code == 400:
        assert response.get_json()["error"]


# --- names in every script into the PDF -----------------------------------------------

REFUSED = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
NAME_CHARS = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=REFUSED)
NAMES = st.text(NAME_CHARS, min_size=1, max_size=12).filter(lambda t: t.strip())


_APPS: dict = {}  # one portal per language: the PDF is written in the request's language and theme


def _pdf_of(name: str, locale: str) -> bytes:
    from simulator import create_app
    from simulator.billing import CURRENCIES
    from simulator.pdf import invoice_pdf
    from simulator.storage.records import (Client, Invoice, InvoiceLine, InvoiceStatus,
                                           PaymentMethod)

    app = _APPS.get(locale) or _APPS.setdefault(locale, create_app({"TESTING": True, "DATABASE": None,
                                                                     "PORTAL_LOCALE": locale}))
    zero, when = Decimal("0.00"), datetime(2026, 3, 17, 9)
    invoice = Invoice("INV-000001", "a@example.com", 1001, InvoiceStatus.PAID, when, when,
                      Decimal("3.39"), zero, None, False, zero, Decimal("3.39"), zero,
                      f"{name} computed")
    with app.test_request_context():
        return invoice_pdf(invoice, [InvoiceLine(f"Upgrade: {name}", Decimal("3.39"))],
                           Client("a@example.com", name, zero, PaymentMethod.CARD),
                           CURRENCIES["USD"])


@quick(6)  # a PDF needing the fallback fonts parses 6 MB of them: about a second each
@given(name=NAMES, locale=st.sampled_from(["en", "ja"]))
def test_a_name_in_any_script_is_printed_whole_or_refused_in_words(name, locale):
    from pypdf import PdfReader

    from simulator.rules import Refused

    try:
        data = _pdf_of(name, locale)
    except Refused as refusal:
        assert "U+" in refusal.message and "\n" not in refusal.message
        return
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for char in name:
        if unicodedata.category(char)[0] in "LNPS":  # what draws a glyph of its own
            assert char in text, (name, char, hex(ord(char)))


@quick(400)
@given(name=NAMES, locale=st.sampled_from(["en", "ja"]))
def test_the_pdf_finds_a_font_for_every_character_or_names_the_one_it_lacks(name, locale):
    """The decision alone (no PDF drawn), over many more names than are printed above."""
    from simulator.pdf import FALLBACK_FONTS, PDF_FONTS, _characters, _fonts_for
    from simulator.rules import Refused

    regular = PDF_FONTS[locale][0]
    try:
        fonts = (regular, *_fonts_for([name], regular))
    except Refused as refusal:
        assert "U+" in refusal.message
        missing = int(refusal.params["code"], 16)
        assert not any(missing in _characters(f) for f in (regular, *FALLBACK_FONTS))
        return
    for char in name:
        if unicodedata.category(char)[0] in "LNPS":
            assert any(ord(char) in _characters(f) for f in fonts), hex(ord(char))
