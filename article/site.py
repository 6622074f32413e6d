"""The published site: the articles rendered by MkDocs with the Material theme (SPEC §10).

Why MkDocs + Material + mkdocs-static-i18n: it is the maintained static-site generator
made for Markdown documentation in the Python world (no Node toolchain on a machine
that has Python already), Material gives a light/dark switch whose images follow it
(`#gh-light-mode-only` / `#gh-dark-mode-only`, the same marks GitHub reads, so one
Markdown file serves both), a language switch, and a clean reading layout;
mkdocs-static-i18n builds one site from one folder per language and fills Material's
language switch. Versions are pinned in pyproject's docs extra and requirements.lock.

A build stages the articles as MkDocs wants them (a temporary docs folder: en/ and
ja/, each an index.md built from its source and stamps, with its images) and builds
the site into SITE (English at /, Japanese at /ja/). `portal-docs serve` stages into a
folder of its own and serves it with live reload: a hook re-stages the words from
docs/source on every change (no browser, no shots; stamps whose words changed show as
not verified), so a writer sees an edit within a second or two.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import yaml

from .errors import DocsError
from .publish import build_article, failed_screens, present_images
from .source import LOCALES, PROJECT, Source, load_source
from .stamps import load_stamps, recheck

TITLES = {"en": "DNS SERVICE plan change", "ja": "DNS SERVICE のプラン変更"}
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}
HOOKS = Path(__file__).with_name("site_hooks.py")
STYLESHEET = """\
/* The article's figures: the screenshot, its caption, and the stamp as a small footer. */
.md-typeset figure.shot { display: block; margin: 1.6em 0 2em; max-width: 100%; }
.md-typeset figure.shot img {
  margin: 0; max-width: 100%; height: auto;
  border: 1px solid var(--md-default-fg-color--lightest); border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, .08);
}
.md-typeset figure.shot figcaption {
  max-width: none; margin: .7em 0 0; text-align: left; font-style: normal;
  color: var(--md-default-fg-color);
}
.md-typeset figure.shot footer.stamp {
  margin-top: .25em; font-size: .62rem; line-height: 1.4; text-align: left;
  color: var(--md-default-fg-color--light);
}
.md-typeset figure.shot footer.stamp small { font-size: inherit; }
.md-typeset figure.shot footer.stamp code { font-size: .95em; }
/* One image of the two, by the reader's theme (as Material does for #only-light / #only-dark). */
[data-md-color-scheme="default"] .md-typeset figure.shot img[src$="#gh-dark-mode-only"],
[data-md-color-scheme="slate"] .md-typeset figure.shot img[src$="#gh-light-mode-only"] { display: none; }
/* Japanese: the reader's Japanese system font, not a Latin one's fallback. */
[lang="ja"] body, [lang="ja"] input {
  font-family: -apple-system, BlinkMacSystemFont, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP",
    "Noto Sans CJK JP", "Yu Gothic UI", "Yu Gothic", Meiryo, sans-serif;
}
"""


def config(staging: Path, site: Path, *, hooks: bool = False) -> dict:
    """The MkDocs configuration of the site."""
    languages = [{"locale": locale, "default": locale == "en", "name": LANGUAGE_NAMES.get(locale, locale),
                  "build": True, "site_name": TITLES.get(locale, TITLES["en"])} for locale in LOCALES]
    return {
        "site_name": TITLES["en"],
        "docs_dir": str(staging / "docs"),
        "site_dir": str(site),
        "use_directory_urls": True,
        "theme": {
            "name": "material", "language": "en", "font": False,
            "features": ["navigation.top", "toc.follow"],
            "palette": [
                {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
                 "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"}},
                {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo",
                 "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"}},
            ],
        },
        "plugins": [{"i18n": {"docs_structure": "folder", "languages": languages}}],
        "markdown_extensions": ["attr_list", "md_in_html", {"toc": {"permalink": True}}],
        "extra_css": ["stylesheets/article.css"],
        "hooks": [str(HOOKS)] if hooks else [],
        "exclude_docs": "*.failed.png\n",
    }


def stage(articles: list[tuple[str, Path, Source]], staging: Path, *, recheck_words: bool = False) -> bool:
    """Write the MkDocs docs folder for `articles` (locale, its output folder, its source)
    into STAGING/docs; whether anything changed. Files are rewritten only when they differ
    (so a live-reload rebuild that changes nothing triggers none)."""
    from .build import words_of

    docs = staging / "docs"
    changed = False
    wanted: set[Path] = set()

    def put(path: Path, data: bytes) -> None:
        nonlocal changed
        wanted.add(path)
        if path.is_file() and path.read_bytes() == data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed = True

    for locale, out, source in articles:
        stamps = load_stamps(out)
        if recheck_words:  # a preview of edited words: stamps whose words changed are not verified
            stamps = {name: recheck(value, words=words_of(source, source.markers[name]),
                                    step=source.markers[name].step) if name in source.markers else value
                      for name, value in stamps.items()}
        text = build_article(source, stamps, present=present_images(out), failed=failed_screens(out))
        front = yaml.safe_dump({"title": source.title() or TITLES.get(locale, TITLES["en"]),
                                "hide": ["navigation"]}, allow_unicode=True)
        put(docs / locale / "index.md", f"---\n{front}---\n\n{text}".encode("utf-8"))
        for image in sorted((out / "img").rglob("*.png")) if (out / "img").is_dir() else []:
            put(docs / locale / "img" / image.relative_to(out / "img"), image.read_bytes())
    put(docs / "stylesheets" / "article.css", STYLESHEET.encode("utf-8"))
    for path in [p for p in docs.rglob("*") if p.is_file()]:
        if path not in wanted:
            path.unlink()
            changed = True
    return changed


def _quiet() -> None:
    for name in ("mkdocs", "mkdocs_static_i18n", "material"):
        logging.getLogger(name).setLevel(logging.WARNING)


def build_site(articles: list[tuple[str, Path, Source]], site: Path) -> Path:
    """Stage the articles and build the site into SITE."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _quiet()
    with tempfile.TemporaryDirectory(prefix="article-site-") as folder:
        staging = Path(folder)
        stage(articles, staging)
        (staging / "mkdocs.yml").write_text(yaml.safe_dump(config(staging, site.resolve()), allow_unicode=True),
                                            encoding="utf-8")
        try:
            build(load_config(config_file=str(staging / "mkdocs.yml")))
        except (MkDocsException, OSError) as exc:
            raise DocsError(f"the site could not be built: {exc}") from None
    return site


def articles_in(out: Path | None) -> list[tuple[str, Path, Source]]:
    """Every language's article as the folder OUT (default docs/) holds it."""
    from .build import default_out

    found = []
    for locale in LOCALES:
        where = default_out(locale, out)
        found.append((locale, where, load_source(where, locale)))
    return found


def serve(out: Path | None, host: str, port: int) -> None:
    """Serve the site of the articles in OUT (default docs/) with live reload: an edit of
    a source, an image or a stamp rebuilds the page the browser shows."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _quiet()
    staging = Path(tempfile.mkdtemp(prefix="article-serve-"))
    try:
        articles = articles_in(out)
        stage(articles, staging, recheck_words=True)
        settings = {"out": str(out) if out is not None else ""}
        (staging / "serve.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
        (staging / "mkdocs.yml").write_text(
            yaml.safe_dump(config(staging, staging / "site", hooks=True), allow_unicode=True), encoding="utf-8")
        watch = sorted({str(where) for _, where, _ in articles} | {str(source.path.parent) for *_, source in articles})
        try:
            mkdocs_serve(config_file=str(staging / "mkdocs.yml"), livereload=True, watch=watch,
                         dev_addr=f"{host}:{port}")
        except OSError as exc:  # the port is taken, the host unknown
            raise DocsError(f"serve: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def restage(config_file: str) -> None:
    """The live-reload hook's work: stage the words again from the sources (site_hooks.py)."""
    staging = Path(config_file).parent
    settings = yaml.safe_load((staging / "serve.yml").read_text(encoding="utf-8")) or {}
    try:
        stage(articles_in(Path(settings["out"]) if settings.get("out") else None), staging, recheck_words=True)
    except DocsError as exc:  # a half-typed marker: say so, keep serving the last good page
        logging.getLogger("mkdocs").warning(f"portal-docs: {exc}")


__all__ = ["build_site", "serve", "stage", "config", "PROJECT"]
