"""`serve --label-catalog DIR` (app config LABEL_CATALOG): the portal's messages, some of
them replaced by a folder of catalogs laid out like simulator/translations/, so the
same portal can look like another vendor's (other words on its controls, other dates)."""
from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from test_cli import run_main

from simulator import create_app
from simulator.cli import make_app


def _catalog(folder, locale: str, **messages: str):
    """A compiled catalog of `messages` (English msgid -> shown text) for `locale`."""
    catalog = Catalog(locale=locale)
    for msgid, text in messages.items():
        catalog.add(msgid.replace("_", " "), text)
    target = folder / locale / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return folder


def _login_page(**config) -> str:
    app = create_app({"TESTING": True, "DATABASE": None, "SCENARIO": None, **config})
    return app.test_client().get("/login").get_data(as_text=True)


def test_a_label_catalog_renames_what_it_names_and_keeps_the_rest(tmp_path):
    folder = _catalog(tmp_path / "labels", "en", Log_in="Sign in")
    page = _login_page(LABEL_CATALOG=str(folder))
    assert ">Sign in<" in page and ">Log in<" not in page
    assert "Password" in page  # not in the catalog: the portal's own word


def test_a_label_catalog_for_en_leaves_the_japanese_portal_as_it_is(tmp_path):
    folder = _catalog(tmp_path / "labels", "en", Log_in="Sign in")
    page = _login_page(LABEL_CATALOG=str(folder), PORTAL_LOCALE="ja")
    assert "ログイン" in page and "Sign in" not in page


def test_without_a_label_catalog_the_portal_keeps_its_words():
    assert "Log in" in _login_page()


def test_serve_takes_the_label_catalog(tmp_path):
    folder = _catalog(tmp_path / "labels", "en", Log_in="Sign in")
    app = make_app(None, None, False, label_catalog=folder)
    assert "Sign in" in app.test_client().get("/login").get_data(as_text=True)


@pytest.mark.parametrize("make, says", [
    (lambda tmp: tmp / "missing", "is not a folder"),
    (lambda tmp: tmp, "holds no LOCALE/LC_MESSAGES/messages.mo"),
])
def test_serve_refuses_a_folder_without_catalogs_in_one_line(capsys, tmp_path, make, says):
    code, line = run_main(capsys, "serve", "--label-catalog", make(tmp_path), "--port", "0")
    assert code == 2 and line.startswith("portal-sim: error: --label-catalog ") and says in line

