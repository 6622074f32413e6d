"""The published article: the source with its markers turned into figures.

Each figure is a <picture>: the light image, and the dark one for readers whose
system is in dark mode; width and height in CSS pixels (a --scale 2 image shows at
the size of a --scale 1 one, twice as sharp); alt text that says what the image
shows (the screen and what is ringed), the caption below it saying why it is there;
then the verified stamp.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from .errors import DocsError
from .source import ARTICLE, HEADING, PROJECT, Source
from .stamps import Stamp
from .words import fill_caption

GUIDE_ID = re.compile(r"\s*\{@guide:[\w-]+\}")
COMMENT = re.compile(r"<!--.*?-->", re.S)

WORDS = {
    "en": {"figure": "Figure {number}.", "not shot": "✘ Not verified yet: no run of `portal-sim docs` has shot it",
           "screen": "Screenshot of the “{title}” screen of the client portal",
           "ringed": ", with {targets} outlined", "pdf": "The first page of the PDF downloaded from the “{title}” screen",
           "and": " and ", "untitled": "A screenshot of the client portal."},
    "ja": {"figure": "図{number}", "not shot": "✘ 未検証：`portal-sim docs` でまだ撮影されていません",
           "screen": "クライアントポータルの「{title}」画面のスクリーンショット",
           "ringed": "。{targets}を枠で囲んでいます", "pdf": "「{title}」画面からダウンロードしたPDFの1ページ目",
           "and": "と", "untitled": "クライアントポータルのスクリーンショット"},
}


def alt_text(figure: dict, locale: str) -> str:
    """What the image shows, for a reader who cannot see it (not the caption again)."""
    words = WORDS.get(locale, WORDS["en"])
    title = figure.get("title")
    if not title:  # not shot yet
        return words["untitled"]
    if figure.get("kind") == "pdf":
        return words["pdf"].format(title=title)
    text = words["screen"].format(title=title)
    ringed = [" ".join(str(r).split())[:60] for r in figure.get("ringed") or []]
    if ringed:
        quoted = [f"「{r}」" if locale == "ja" else f"“{r}”" for r in ringed]
        text += words["ringed"].format(targets=words["and"].join(quoted))
    return text + ("" if locale == "ja" else ".")


def build_article(source: Source, stamps: dict[str, Stamp], image_folder: str = "img") -> str:
    """The published article: markers become figures, each with its verified stamp; ids
    and comments are left out."""
    words = WORDS.get(source.locale, WORDS["en"])
    figures = {marker.line: (figure, marker)
               for figure, marker in enumerate(source.markers.values(), start=1)}
    inside_marker = {number for marker in source.markers.values()
                     for number in range(marker.line + 1, marker.end + 1)}
    lines = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        if number in inside_marker:
            continue
        if number in figures:
            figure, marker = figures[number]
            stamp = stamps.get(marker.name)
            shown = stamp.figure if stamp else {}
            caption, _ = fill_caption(marker.caption, shown.get("fills") or {})
            lines += [_picture(image_folder, marker.name, shown, alt_text(shown, source.locale)), "",
                      f"*{words['figure'].format(number=figure)} {caption}*", "",
                      stamp.line(image_folder, marker.name, source.locale) if stamp else f"<sub>{words['not shot']}</sub>"]
        elif HEADING.match(line):
            lines.append(GUIDE_ID.sub("", line).rstrip())
        else:
            lines.append(line)
    body = COMMENT.sub("", "\n".join(lines))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    note = (f"<!-- Built by `portal-sim docs` from {_shown(source.path)}: edit that file, "
            f"not this one. -->")
    return f"{note}\n\n{body}\n"


def _picture(folder: str, name: str, figure: dict, alt: str) -> str:
    size = (f' width="{figure["width"]}" height="{figure["height"]}"'
            if figure.get("width") and figure.get("height") else "")
    image = f'<img src="{folder}/{name}.png" alt="{html.escape(alt)}"{size}>'
    if not figure.get("dark"):
        return f"<picture>{image}</picture>"
    return (f'<picture><source media="(prefers-color-scheme: dark)" srcset="{folder}/dark/{name}.png">'
            f"{image}</picture>")


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT))
    except ValueError:
        return str(path)


def write_article(source: Source, stamps: dict[str, Stamp], out: Path) -> tuple[Path, bool]:
    """Write OUT/ARTICLE; whether its text changed."""
    target = out / ARTICLE
    text = build_article(source, stamps)
    try:
        (out / "img").mkdir(parents=True, exist_ok=True)
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            return target, False
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write to {out}: {exc.strerror}") from None
    return target, True
