"""The portal in two languages (SPEC §5 Languages, §2 --locale, §3 locale:): every
screen, refusal, date and the PDF come from the gettext catalogs; a Japanese screen
keeps no English but plan names, DNS SERVICE, amounts, emails and invoice numbers."""
from __future__ import annotations

import html
import io
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from pypdf import PdfReader

import simulator
from simulator.scenario import ScenarioError, from_mapping

from screen_tour import tour
from sim_helpers import TEST_SECRET, sample_mapping

PACKAGE = Path(simulator.__file__).parent
TRANSLATIONS = PACKAGE / "translations"
FONTS = PACKAGE / "static" / "fonts"
JA_FONTS = ("NotoSansJP-Portal.ttf", "NotoSansJP-Portal-Bold.ttf")

# What may stay in Latin letters on a Japanese screen: data, not wording.
ALLOWED = re.compile(
    r"[\w.+-]+@[\w.-]+"                 # emails
    r"|INV-(?:T\d+-)?\d+"                # invoice numbers (a tenant's carry its id)
    r"|[¥$]-?[\d,]+(\.\d+)?"             # amounts
    r"|DNS SERVICE|Basic|Start|Business"  # the service and the plan names
    r"|Alice Example|Carol Example"      # the clients' names
    r"|PDF"                              # PDFをダウンロード
    r"|“(nope|weekly)”|「(nope|weekly)」"  # what the visitor typed, echoed in a refusal
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


@lru_cache(maxsize=None)
def screens(locale: str | None, currency: str = "USD"):
    return tour(locale, currency)


def shown_text(page: bytes) -> str:
    """What a visitor can see or hear: text, the title, labels of controls, and the
    cycle choices the page's script puts in the select."""
    text = page.decode()
    said = re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', text)
    cycles = [label for found in re.findall(r'data-cycles="([^"]*)"', text)
              for _, label in json.loads(html.unescape(found))]
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(" ".join([text, *said, *cycles]))


def leftover_english(text: str) -> list[str]:
    return LATIN_WORD.findall(ALLOWED.sub(" ", text))


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- Japanese -------------------------------------------------------------------

def test_every_japanese_screen_keeps_no_english():
    found = {name: leftover_english(shown_text(body))
             for name, (_, body) in screens("ja", "JPY").items() if not name.endswith("PDF")}
    assert {name: words for name, words in found.items() if words} == {}
    assert len(found) >= 40  # the tour reached the screens it names


def test_every_japanese_pdf_keeps_no_english():
    for name, (_, body) in screens("ja", "JPY").items():
        if name.endswith("PDF"):
            assert leftover_english(pdf_text(body)) == [], name


def test_the_japanese_portal_speaks_japanese_with_yen_and_japanese_dates():
    ja = screens("ja", "JPY")
    login = ja["login"][1].decode()
    assert '<html lang="ja">' in login
    for label in ("メールアドレス", "パスワード", "ログイン"):
        assert label in login
    review = shown_text(ja["review upgrade"][1])
    for label in ("小計", "消費税 (10%)", "クレジット適用", "本日のご請求額", "確定する",
                  "¥1,200（月払い）", "2026年4月1日", "¥339"):
        assert label in review, label
    details = shown_text(ja["details"][1])
    assert "請求情報" in details and "アップグレード／ダウングレード" in details
    invoice = shown_text(ja["invoice paid"][1])
    assert "請求書 #INV-000001" in invoice and "PDFをダウンロード" in invoice


def test_the_japanese_pdf_carries_the_japanese_labels_and_yen_amounts():
    text = re.sub(r"\s+", "", pdf_text(screens("ja", "JPY")["invoice paid PDF"][1]))
    # Worked example in yen: (1,200 − 500) × 15/31 = 338.7 → ¥339; tax ¥34; credit ¥100.
    for expected in ("請求書#INV-000001", "支払済み", "請求日2026年3月17日", "小計¥339",
                     "消費税(10%)¥34", "クレジット適用¥100", "合計¥273",
                     "アップグレード：Basic（月払い）→Start（月払い）"):
        assert expected in text, expected


def test_a_refusal_reads_in_the_screen_language_with_its_dates_and_states():
    ja = screens("ja", "JPY")
    assert "このサービスは「停止中」です" in shown_text(ja["details locked by suspended"][1])
    status, body = ja["change refused: period ended"]
    assert status == 409 and "2026年3月17日に終了しています" in shown_text(body)


# --- English stays as it was -------------------------------------------------------

def test_english_named_or_by_default_is_the_same_portal():
    named, default = screens("en"), screens(None)
    token = re.compile(rb'name="(csrf_token|review_token)" value="[^"]*"')
    assert named.keys() == default.keys()
    for name in named:
        assert token.sub(b"", named[name][1]) == token.sub(b"", default[name][1]), name


def test_english_screens_keep_the_spec_labels_and_no_japanese():
    en = screens("en")
    review = shown_text(en["review upgrade"][1])
    for label in ("Subtotal", "Tax (10%)", "Credit applied", "Total charge for today",
                  "$12.00 / Monthly", "2026-04-01", "15 unused days of 31"):
        assert label in review, label
    assert '<html lang="en">' in en["login"][1].decode()
    for name, (_, body) in en.items():
        shown = pdf_text(body) if name.endswith("PDF") else shown_text(body)
        assert not JAPANESE.search(shown), name


# --- choosing the language -------------------------------------------------------------

def _app(scenario: dict, **config):
    return simulator.create_app({"TESTING": True, "WTF_CSRF_ENABLED": False,
                                 "SECRET_KEY": TEST_SECRET, "SCENARIO": scenario, **config})


def test_the_portal_default_speaks_when_the_scenario_names_no_language():
    page = _app(sample_mapping(), PORTAL_LOCALE="ja").test_client().get("/login")
    assert "メールアドレス" in page.get_data(as_text=True)


def test_the_scenario_language_wins_over_the_portal_default():
    scenario = {**sample_mapping(), "locale": "en"}
    page = _app(scenario, PORTAL_LOCALE="ja").test_client().get("/login")
    assert "Email" in page.get_data(as_text=True)


def test_serve_locale_sets_the_portal_default(tmp_path):
    from simulator.cli import make_app

    app = make_app(None, None, False, locale="ja")
    assert "ログイン" in app.test_client().get("/login").get_data(as_text=True)


def test_serve_refuses_an_unknown_locale_in_one_line(capsys):
    from simulator.cli import main

    assert main(["serve", "--locale", "fr"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--locale" in err and "fr" in err


@pytest.mark.parametrize("value", ["fr", "JA", "", 1, ["ja"], True])
def test_a_scenario_locale_must_be_en_or_ja(value):
    with pytest.raises(ScenarioError, match=r"^locale: .* is not one of en, ja$"):
        from_mapping({**sample_mapping(), "locale": value})


def test_the_scenario_locale_is_optional():
    assert from_mapping(sample_mapping()).locale is None
    assert from_mapping({**sample_mapping(), "locale": "ja"}).locale == "ja"


def test_the_language_survives_a_restart_with_a_state_file(tmp_path):
    db = str(tmp_path / "state.db")
    _app({**sample_mapping(), "locale": "ja"}, DATABASE=db)
    again = _app(None, DATABASE=db)
    assert "ログイン" in again.test_client().get("/login").get_data(as_text=True)


# --- the catalogs and the font ------------------------------------------------------

def _catalog(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def test_both_catalogs_hold_every_message_and_ja_translates_them_all():
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for locale in ("en", "ja"):
        catalog = _catalog(locale)
        assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} == template
    untranslated = [m.id for m in _catalog("ja") if m.id and not all(
        m.string if isinstance(m.string, tuple) else (m.string,))]
    assert untranslated == []


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_the_compiled_catalog_matches_its_source(locale):
    """A translation edited without `pybabel compile` would not reach the screen."""
    def entries(catalog):
        def strings(value):
            return tuple(value) if isinstance(value, (list, tuple)) else (value,)
        return {(m.context, strings(m.id), strings(m.string)) for m in catalog
                if m.id and any(strings(m.string)) and strings(m.string) != strings(m.id)}

    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        shipped = read_mo(handle)
    assert entries(shipped) == entries(_catalog(locale)), \
        "run: pybabel compile -d simulator/translations"


@pytest.mark.parametrize("font", JA_FONTS)
def test_every_character_of_the_ja_catalog_is_in_the_japanese_font(font):
    """A new translation must not render as tofu: rerun translations/subset_font.py."""
    cmap = TTFont(FONTS / font)["cmap"].getBestCmap()
    text = "".join(s for m in _catalog("ja") if m.id
                   for s in (m.string if isinstance(m.string, tuple) else (m.string,)))
    missing = sorted({ch for ch in text if ord(ch) not in cmap})
    assert missing == []


def test_every_character_on_a_japanese_screen_is_in_the_japanese_font():
    cmap = TTFont(FONTS / JA_FONTS[0])["cmap"].getBestCmap()
    shown = "".join(pdf_text(body) if name.endswith("PDF") else shown_text(body)
                    for name, (_, body) in screens("ja", "JPY").items())
    missing = sorted({ch for ch in shown if not ch.isspace() and ord(ch) not in cmap})
    assert missing == []


def test_the_font_license_ships_beside_the_font():
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "NotoSansJP-OFL.txt").read_text()


def test_a_disk_that_refuses_a_write_is_told_in_japanese(tmp_path):
    app = _app({**sample_mapping(), "locale": "ja"}, DATABASE=str(tmp_path / "state.db"))
    client = app.test_client()
    client.post("/login", data={"email": "alice@example.com", "password": "alice-pass"})
    page = client.get("/services/dns/1001/change/review?plan=start&cycle=monthly")
    token = re.search(r'name="review_token" value="([^"]*)"', page.get_data(as_text=True))[1]
    with app.extensions["store"].reading() as db:
        db.execute("PRAGMA query_only = ON")  # how SQLite plays a read-only disk
    answer = client.post("/services/dns/1001/change",
                         data={"plan": "start", "cycle": "monthly", "review_token": token})
    assert answer.status_code == 503
    shown = shown_text(answer.get_data())
    assert "ポータルのデータファイルが読み取り専用になっている" in shown
    assert leftover_english(shown) == []


def test_a_tenant_speaks_its_own_language_once_its_user_is_logged_in():
    app = _app(sample_mapping())
    client = app.test_client()
    seeded = client.post("/__sim__/tenants", content_type="application/yaml",
                         data=yaml.safe_dump({**sample_mapping(), "locale": "ja"})).get_json()
    assert "Email" in client.get("/login").get_data(as_text=True)  # the portal's default
    client.post("/login", data={"email": seeded["logins"]["alice@example.com"],
                                "password": "alice-pass"})
    page = client.get("/services/dns").get_data(as_text=True)
    assert '<html lang="ja">' in page and "次回請求日" in page and "$5.00（月払い）" in page
