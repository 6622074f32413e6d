"""The published article: the source with its markers turned into figures.

Each figure is an HTML <figure>: the light image and the dark one, marked the way both
GitHub and the site's theme (MkDocs Material) show one of the two by the reader's
theme (`#gh-light-mode-only`, `#gh-dark-mode-only`); width and height in CSS pixels (a
--scale 2 image shows at the size of a --scale 1 one, twice as sharp); alt text that
says what the image shows (the screen and what is ringed); the caption below it saying
why it is there; and a small footer with its verified stamp (the reader's text carries
no stamps). A figure whose image has not been shot yet shows its caption and says so,
never a broken image or a raw {fill-in}.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from .errors import DocsError
from .source import ARTICLE, HEADING, Source, shown_path
from .stamps import Stamp
from .wordcheck import fill_caption

GUIDE_ID = re.compile(r"\s*\{@guide:[\w-]+\}")
COMMENT = re.compile(r"<!--.*?-->", re.S)
UNFILLED = "…"  # a caption's fill-in before any run has read it

WORDS = {
    "en": {"figure": "Figure {number}.", "not shot": "✘ Not shot yet: `portal-docs build --only {step}` shoots it",
           "screen": "Screenshot of the “{title}” screen of the client portal",
           "ringed": ", with {targets} outlined", "pdf": "The first page of the PDF downloaded from the “{title}” screen",
           "and": " and ", "untitled": "A screenshot of the client portal.",
           "verified": "✔ Verified against the portal on {date} (commit {commit})",
           "not verified": "✘ Not verified since {date}: {reason}",
           "kept": "the image is from the last good run ({last_good})",
           "none": "no good image yet", "failing": "the failing screen"},
    "ja": {"figure": "図{number}", "not shot": "✘ 未撮影：`portal-docs build --only {step}` で撮影されます",
           "screen": "クライアントポータルの「{title}」画面のスクリーンショット",
           "ringed": "。{targets}を枠で囲んでいます", "pdf": "「{title}」画面からダウンロードしたPDFの1ページ目",
           "and": "と", "untitled": "クライアントポータルのスクリーンショット",
           "verified": "✔ {date} にポータルで検証済み（コミット {commit}）",
           "not verified": "✘ {date} から未検証：{reason}", "kept": "画像は最後に成功した実行（{last_good}）のもの",
           "none": "成功した画像はまだありません", "failing": "失敗した画面"},
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


def build_article(source: Source, stamps: dict[str, Stamp], image_folder: str = "img",
                  present: set[str] | None = None, failed: set[str] = frozenset()) -> str:
    """The published article: markers become figures, each with its verified stamp; ids
    and comments are left out. `present`: the images that exist (None: all of them);
    `failed`: the figures with a failing screen beside their image."""
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
            shot = present is None or marker.name in present
            lines += ["", figure_html(image_folder, marker, figure, stamp if shot else None, source.locale,
                                      failed=marker.name in failed), ""]
        elif HEADING.match(line):
            lines.append(GUIDE_ID.sub("", line).rstrip())
        else:
            lines.append(line)
    body = COMMENT.sub("", "\n".join(lines))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    if source.title() and not source.has_title_heading():
        body = f"# {source.title()}\n\n{body}"
    note = (f"<!-- Built by `portal-docs build` from {shown_path(source.path)}: edit that file, "
            f"not this one. -->")
    return f"{note}\n\n{body}\n"


def figure_html(folder: str, marker, number: int, stamp: Stamp | None, locale: str, failed: bool = False) -> str:
    """One figure: its images (none before its first shot), caption and stamp footer."""
    words = WORDS.get(locale, WORDS["en"])
    shown = stamp.figure if stamp else {}
    caption, _ = fill_caption(marker.caption, shown.get("fills") or {}, UNFILLED)
    parts = [f'<figure class="shot" id="figure-{number}">']
    if stamp is not None:
        alt = html.escape(alt_text(shown, locale))
        size = (f' width="{shown["width"]}" height="{shown["height"]}"'
                if shown.get("width") and shown.get("height") else "")
        if shown.get("dark"):
            parts += [f'<img src="{folder}/{marker.name}.png#gh-light-mode-only" alt="{alt}"{size}>',
                      f'<img src="{folder}/dark/{marker.name}.png#gh-dark-mode-only" alt="{alt}"{size}>']
        else:
            parts.append(f'<img src="{folder}/{marker.name}.png" alt="{alt}"{size}>')
    parts.append(f"<figcaption>{html.escape(words['figure'].format(number=number), quote=False)} "
                 f"{html.escape(caption, quote=False)}"
                 f"</figcaption>")
    parts.append(f'<footer class="stamp"><small>{footer(stamp, folder, marker, words, failed)}</small></footer>')
    parts.append("</figure>")
    return "\n".join(parts)


def footer(stamp: Stamp | None, folder: str, marker, words: dict, failed: bool = False) -> str:
    """The figure's stamp as the reader sees it, small, below the caption."""
    if stamp is None:
        return _code(words["not shot"].format(step=marker.step))
    if stamp.verified:
        return _code(words["verified"].format(date=stamp.date, commit=stamp.commit))
    kept = words["kept"].format(last_good=stamp.last_good) if stamp.last_good else words["none"]
    text = _code(f'{words["not verified"].format(date=stamp.date, reason=stamp.reason)}; {kept}')
    if failed:
        text += f'; {words["failing"]}: <a href="{folder}/{marker.name}.failed.png">{marker.name}.failed.png</a>'
    return text


def _code(text: str) -> str:
    """Escaped, `code` as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


def present_images(out: Path) -> set[str]:
    """The names of the images OUT/img holds (failing screens aside)."""
    folder = out / "img"
    if not folder.is_dir():
        return set()
    return {path.stem for path in folder.glob("*.png") if not path.name.endswith(".failed.png")}


def failed_screens(out: Path) -> set[str]:
    """The names of the figures with a failing screen in OUT/img."""
    return {path.name.removesuffix(".failed.png") for path in (out / "img").glob("*.failed.png")}


def write_article(source: Source, stamps: dict[str, Stamp], out: Path) -> tuple[Path, bool]:
    """Write OUT/ARTICLE; whether its text changed."""
    target = out / ARTICLE
    text = build_article(source, stamps, present=present_images(out), failed=failed_screens(out))
    try:
        (out / "img").mkdir(parents=True, exist_ok=True)
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            return target, False
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write to {out}: {exc.strerror}") from None
    return target, True
