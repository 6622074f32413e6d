"""The published site (issue #22, SPEC §10): `portal-docs build` writes it (MkDocs +
Material + mkdocs-static-i18n), `portal-docs serve` serves it with live reload; a real
browser switches its language and its theme, and the figures follow the theme."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from article.cli import main
from article.source import ARTICLE

ROOT = Path(__file__).resolve().parent.parent


def _articles_copy(tmp_path: Path) -> Path:
    """docs/ as committed (articles, images, stamps) with their sources, in a folder of its own."""
    out = tmp_path / "docs"
    for locale, folder in (("en", ROOT / "docs"), ("ja", ROOT / "docs" / "ja")):
        target = out if locale == "en" else out / locale
        shutil.copytree(folder / "img", target / "img", ignore=shutil.ignore_patterns("*.failed.png"))
        shutil.copy(folder / "verified.json", target / "verified.json")
    (out / "source").mkdir()
    shutil.copy(ROOT / "docs" / "source" / ARTICLE, out / "source" / ARTICLE)  # (ja: the project's own)
    return out


def test_build_writes_the_site_of_both_languages(tmp_path, capsys):
    out = _articles_copy(tmp_path)

    assert main(["build", "--out", str(out), "--text-only"]) == 0
    assert f"portal-docs: site → {out / 'site'}" in capsys.readouterr().out
    english = (out / "site" / "index.html").read_text(encoding="utf-8")
    japanese = (out / "site" / "ja" / "index.html").read_text(encoding="utf-8")
    assert "<title>Changing your DNS SERVICE plan - DNS SERVICE plan change</title>" in english
    assert '<html lang="ja"' in japanese and "DNS SERVICE のプランを変更する" in japanese
    assert english.count('<figure class="shot"') == japanese.count('<figure class="shot"') == 16
    assert 'src="img/dark/upgrade-5.png#gh-dark-mode-only"' in english
    assert "✔ Verified against the portal on" in english and "scenario" not in english.split("<article")[1]
    assert (out / "site" / "img" / "dark" / "upgrade-5.png").is_file()
    assert (out / "site" / "ja" / "img" / "upgrade-5.png").is_file()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


@pytest.fixture
def served(tmp_path):
    """`portal-docs serve --out COPY`: the site's address and the copy of the articles."""
    out = _articles_copy(tmp_path)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "article.cli", "serve", "--out", str(out), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(url)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "portal-docs serve did not answer in 60 s"
                time.sleep(0.2)
        yield url, out
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_serves_pages_and_figures_and_reloads_an_edit(served):
    url, out = served
    assert b"Changing your DNS SERVICE plan" in _get(url)
    assert _get(url + "img/upgrade-5.png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert "DNS SERVICE のプランを変更する" in _get(url + "ja/").decode("utf-8")

    source = out / "source" / ARTICLE
    source.write_text(source.read_text(encoding="utf-8").replace(
        "caption: The downloaded copy: the invoice as a PDF.", "caption: The PDF copy, edited live."),
        encoding="utf-8")
    deadline = time.monotonic() + 20
    while b"The PDF copy, edited live." not in _get(url):
        assert time.monotonic() < deadline, "the edit did not reach the served page in 20 s"
        time.sleep(0.3)
    assert "its words changed since it was verified" in _get(url).decode("utf-8")  # not verified meanwhile


def test_a_reader_switches_the_language_and_the_theme_and_the_figures_follow(served, browser):
    """In a real browser (pytest-playwright's, as every browser test here)."""
    from playwright.sync_api import expect

    url, _ = served
    context = browser.new_context(color_scheme="light")
    try:
        page = context.new_page()
        page.goto(url)
        light, dark = page.locator("#figure-5 img").nth(0), page.locator("#figure-5 img").nth(1)
        expect(light).to_be_visible()
        expect(dark).to_be_hidden()

        page.locator('label[title="Switch to dark mode"]').click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        expect(dark).to_be_visible()
        expect(light).to_be_hidden()
        assert dark.get_attribute("src").startswith("img/dark/upgrade-5.png")

        page.get_by_role("button", name="Select language").hover()
        page.locator('a[hreflang="ja"]').click()
        page.wait_for_url(url + "ja/")
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        expect(page.get_by_role("heading", level=1)).to_contain_text("DNS SERVICE のプランを変更する")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")  # the theme stays
        expect(page.locator("#figure-5 img").nth(1)).to_be_visible()
    finally:
        context.close()
