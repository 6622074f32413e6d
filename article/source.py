"""The article's source: its words, its ids and where the screenshots go.

docs/source/dns-service-plan-change.md holds the words, with a marker line wherever a
screenshot goes:

    <!-- shot: upgrade-5 | caption -->        the screen at step upgrade-5
    <!-- shot: upgrade-6 pdf | caption -->    the PDF that step downloads, as an image

A marker stands in the section whose heading carries the step's id ({@guide:upgrade-5}).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import DocsError

ARTICLE = "dns-service-plan-change.md"
PROJECT = Path(__file__).resolve().parent.parent

MARKER = re.compile(r"^<!--\s*shot:\s*(?P<step>[\w-]+)(?:\s+(?P<kind>[\w-]+))?\s*"
                    r"(?:\|\s*(?P<caption>.*?))?\s*-->\s*$")
HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<title>.*?)\s*(?:\{@guide:(?P<id>[\w-]+)\})?\s*$")
NUMBERED = re.compile(r"^(?P<number>\d+)\.\s")
PAGE, PDF = "page", "pdf"  # what a marker shoots: the screen, or the PDF the step downloads
KINDS = (PDF,)  # the words a marker may add after its step


@dataclass(frozen=True)
class Marker:
    step: str
    caption: str
    line: int  # 1-based, in the source
    badge: str  # the step's number in the article ("5"), "?" for a question
    kind: str = PAGE

    @property
    def name(self) -> str:
        """The image's name without .png: the step, "-pdf" added for its PDF."""
        return self.step if self.kind == PAGE else f"{self.step}-{self.kind}"


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    markers: dict[str, Marker]  # by image name, in the article's order

    @property
    def badges(self) -> dict[str, str]:
        return {marker.step: marker.badge for marker in self.markers.values()}

    def pdf_steps(self) -> set[str]:
        return {marker.step for marker in self.markers.values() if marker.kind == PDF}


def source_path(out: Path) -> Path:
    """OUT/source/ARTICLE when the output folder holds the source, else the project's."""
    beside = out / "source" / ARTICLE
    return beside if beside.is_file() else PROJECT / "docs" / "source" / ARTICLE


def load_source(out: Path, steps: Iterable[str]) -> Source:
    """Read and check the source against the walkthroughs' `steps`; DocsError names the problem."""
    path = source_path(out)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot read the article source {path}: {exc.strerror}") from None
    return parse_source(path, text, steps)


def parse_source(path: Path, text: str, steps: Iterable[str]) -> Source:
    known = list(steps)
    markers: dict[str, Marker] = {}
    section: tuple[int, str, str | None] | None = None  # line, title, guide id
    numbered_without_shot: list[tuple[int, str]] = []
    shot_in_section = True

    def close_section():
        if section and not shot_in_section and NUMBERED.match(section[1]):
            numbered_without_shot.append(section[:2])

    for number, line in enumerate(_outside_comments(text), start=1):
        if line is None:
            continue
        if heading := HEADING.match(line):
            close_section()
            section, shot_in_section = (number, heading["title"], heading["id"]), False
            continue
        marker = MARKER.match(line)
        if marker is None:
            if re.search(r"<!--\s*shot\b", line):
                raise DocsError(f"{path}:{number}: malformed screenshot marker {line.strip()!r} "
                                f"(write <!-- shot: STEP | caption -->)")
            continue
        step, kind = marker["step"], marker["kind"] or PAGE
        if step not in known:
            raise DocsError(f"{path}:{number}: marker {step!r} names no walkthrough step "
                            f"(steps: {', '.join(known)})")
        if kind != PAGE and kind not in KINDS:
            raise DocsError(f"{path}:{number}: marker {step!r} asks for {kind!r}; after the "
                            f"step a marker may say only {' or '.join(KINDS)}")
        name = step if kind == PAGE else f"{step}-{kind}"
        if name in markers:
            raise DocsError(f"{path}:{number}: a second marker for {name!r} "
                            f"(the first is on line {markers[name].line})")
        if section is None or section[2] != step:
            where = f"section {section[2]!r}" if section and section[2] else "a section without that id"
            raise DocsError(f"{path}:{number}: marker {step!r} stands in {where}; move it under "
                            f"the heading carrying {{@guide:{step}}}")
        numbered = NUMBERED.match(section[1])
        found = Marker(step, (marker["caption"] or "").strip() or _plain(section[1]),
                       number, numbered["number"] if numbered else "?", kind)
        markers[name] = found
        shot_in_section = True
    close_section()

    if missing := [step for step in known if step not in markers]:
        raise DocsError(f"{path}: walkthrough step {missing[0]!r} has no marker "
                        f"(add <!-- shot: {missing[0]} --> under its heading)")
    if numbered_without_shot:
        number, title = numbered_without_shot[0]
        raise DocsError(f"{path}:{number}: step {title!r} has no screenshot marker")
    return Source(path, text, markers)


def _outside_comments(text: str) -> Iterator[str | None]:
    """The source's lines, None for those inside a multi-line (non-marker) comment."""
    inside = False
    for line in text.splitlines():
        if inside:
            inside = "-->" not in line
            yield None
        elif "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            inside = True
            yield None
        else:
            yield line


def _plain(title: str) -> str:
    return NUMBERED.sub("", title).replace("“", "").replace("”", "")
