"""The published article: the source with its markers turned into figures."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import DocsError
from .source import ARTICLE, HEADING, PROJECT, Source
from .stamps import Stamp

GUIDE_ID = re.compile(r"\s*\{@guide:[\w-]+\}")
COMMENT = re.compile(r"<!--.*?-->", re.S)


def build_article(source: Source, stamps: dict[str, Stamp], image_folder: str = "img") -> str:
    """The published article: markers become figures, each with its verified stamp; ids
    and comments are left out."""
    figures = {marker.line: (figure, marker)
               for figure, marker in enumerate(source.markers.values(), start=1)}
    lines = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        if number in figures:
            figure, marker = figures[number]
            alt = marker.caption.replace("[", "\\[").replace("]", "\\]")
            stamp = stamps.get(marker.name)
            lines += [f"![{alt}]({image_folder}/{marker.name}.png)", "",
                      f"*Figure {figure}. {marker.caption}*", "",
                      stamp.line(image_folder, marker.step) if stamp else
                      "<sub>✘ Not verified yet: no run of `portal-sim docs` has shot it</sub>"]
        elif HEADING.match(line):
            lines.append(GUIDE_ID.sub("", line).rstrip())
        else:
            lines.append(line)
    body = COMMENT.sub("", "\n".join(lines))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    note = (f"<!-- Built by `portal-sim docs` from {_shown(source.path)}: edit that file, "
            f"not this one. -->")
    return f"{note}\n\n{body}\n"


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
