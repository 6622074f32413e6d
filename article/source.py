"""The article's source: its words, its ids and where the screenshots go.

docs/source/<locale>/dns-service-plan-change.md (en: docs/source/ itself) holds the
words, with a marker wherever a screenshot goes: an HTML comment naming the scenario
step the shot is taken after, the targets to ring and the caption.

    <!-- shot: upgrade-5
         scenario: Alice upgrades Basic to Start along the article's click path
         after: Then the "Total charge for today" is "$2.73"
         ring: the Total charge for today row; the Submit button
         caption: The review, “Total charge for today” {total}, and “Submit”.
    -->

A marker stands in the section whose heading carries the step's id ({@guide:upgrade-5});
`shot: upgrade-5 annual` names a second image of that step (upgrade-5-annual.png);
`pdf: the Download PDF link` shoots the PDF that link downloads instead of the screen.
docs/source/README.md is the writer's guide to all of it.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .errors import DocsError

ARTICLE = "dns-service-plan-change.md"
PROJECT = Path(__file__).resolve().parent.parent
LOCALES = ("en", "ja")

MARKER_START = re.compile(r"^\s*<!--\s*shot:\s*(?P<step>[\w-]+)(?:\s+(?P<variant>[\w-]+))?\s*(?P<rest>.*)$")
MARKER_LINE = re.compile(r"^\s*(?P<key>[a-z]+):\s*(?P<value>.*?)\s*$")
MARKER_KEYS = {"scenario", "after", "ring", "pdf", "caption"}
HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<title>.*?)\s*(?:\{@guide:(?P<id>[\w-]+)\})?\s*$")
NUMBERED = re.compile(r"^(?P<number>\d+)\.\s")
TITLE = re.compile(r"<!--\s*title:\s*(.*?)\s*-->")  # the article's title, for the page and the site
FILL_IN = re.compile(r"\{([^{}@]+)\}")  # a caption's value filled in from the run: {total}
GHERKIN_KEYWORD = re.compile(r"^(?:Given|When|Then|And|But|\*)\s+")
# A ring target: a target key of the UI profile, with the value of its one field quoted
# after it when its label has one: the service link "Basic".
RING_TARGET = re.compile(r'^(?P<key>[^"]+?)(?:\s+"(?P<value>[^"]*)")?$')


@dataclass(frozen=True)
class Ring:
    key: str  # a target of the UI profile ("the Submit button")
    value: str | None = None  # the value of its label's field ("Basic" for "the service link")

    def __str__(self) -> str:
        return self.key if self.value is None else f'{self.key} "{self.value}"'


@dataclass(frozen=True)
class Marker:
    step: str  # the id of the section it stands in
    caption: str
    line: int  # 1-based, in the source
    scenario: str  # the name of the scenario whose run it is shot in
    after: str  # the Gherkin step (without its keyword) after which it is shot
    ring: tuple[Ring, ...] = ()
    pdf: Ring | None = None  # shoot the PDF this link downloads instead of the screen
    variant: str = ""  # a second image of the step: upgrade-5-annual
    end: int = 0  # the marker's last line (its -->)
    caption_line: int = 0  # the line of its caption: (the marker's first line when it has none)

    @property
    def name(self) -> str:
        """The image's name without .png."""
        return f"{self.step}-{self.variant}" if self.variant else self.step

    def as_json(self) -> dict:
        return {"name": self.name, "step": self.step, "scenario": self.scenario,
                "after": self.after, "ring": [[r.key, r.value] for r in self.ring],
                "pdf": [self.pdf.key, self.pdf.value] if self.pdf else None, "caption": self.caption}


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    locale: str
    markers: dict[str, Marker]  # by image name, in the article's order
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (first line, last line)

    def markers_of(self, step: str) -> list[Marker]:
        return [marker for marker in self.markers.values() if marker.step == step]

    def section_at(self, line: int) -> str | None:
        """The id of the section holding `line`, None outside every section with an id."""
        for step, (first, last) in self.sections.items():
            if first <= line <= last:
                return step
        return None

    def headings(self) -> set[str]:
        """Each heading's title as a reader would quote it (step numbers left out)."""
        return {_plain(heading["title"]) for line in self.text.splitlines() if (heading := HEADING.match(line))}

    def title(self) -> str:
        """The article's title: a `<!-- title: ... -->` comment (the source keeps the
        published words as they are), else its first-level heading; "" when it has neither."""
        if found := TITLE.search(self.text):
            return found[1]
        return next((heading["title"] for line in self.text.splitlines()
                     if (heading := HEADING.match(line)) and heading["level"] == "#"), "")

    def has_title_heading(self) -> bool:
        return any((heading := HEADING.match(line)) and heading["level"] == "#" for line in self.text.splitlines())

    def prose(self, step: str) -> str:
        """The words of section `step` outside its markers."""
        first, last = self.sections.get(step, (0, -1))
        inside = {number for marker in self.markers.values() for number in range(marker.line, marker.end + 1)}
        return "\n".join(line for number, line in enumerate(self.text.splitlines()[first - 1:last], start=first)
                         if number not in inside)

    def shown(self) -> str:
        """The source's path as messages give it: from the project's root when inside it."""
        return shown_path(self.path)


def source_path(out: Path, locale: str = "en") -> Path:
    """OUT/source/[LOCALE/]ARTICLE when the output folder holds the source, else the project's."""
    relative = Path(ARTICLE) if locale == "en" else Path(locale) / ARTICLE
    beside = out / "source" / relative
    return beside if beside.is_file() else PROJECT / "docs" / "source" / relative


def load_source(out: Path, locale: str = "en") -> Source:
    """Read and check the source; DocsError names the line at fault."""
    if locale not in LOCALES:
        raise DocsError(f"--locale {locale}: no article source in that language (have: {', '.join(LOCALES)})")
    path = source_path(out, locale)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot read the article source {path}: {exc.strerror}") from None
    return parse_source(path, text, locale)


def shown_path(path: Path) -> str:
    """A path as messages give it: from the project's root when inside it (docs/source/ja/...)."""
    try:
        return str(path.resolve().relative_to(PROJECT))
    except ValueError:
        return str(path)


def parse_source(path: Path, text: str, locale: str = "en") -> Source:
    markers: dict[str, Marker] = {}
    sections: dict[str, tuple[int, int]] = {}
    section: tuple[int, str, str | None] | None = None  # line, title, guide id
    numbered_without_shot: list[tuple[int, str]] = []
    shot_in_section = True
    lines = text.splitlines()

    def close_section(last: int):
        if section and section[2]:
            sections[section[2]] = (section[0], last)
        if section and not shot_in_section and NUMBERED.match(section[1]):
            numbered_without_shot.append(section[:2])

    for number, line, block in _lines_and_markers(lines, path):
        if block is not None:
            found = _marker(path, number, block, section, markers)
            caption_at = next((number + offset for offset, raw in enumerate(block)
                               if re.match(r"^\s*(?:<!--\s*shot:.*?)?caption:", raw)), number)
            found = dataclasses.replace(found, end=number + len(block) - 1, caption_line=caption_at)
            markers[found.name] = found
            shot_in_section = True
            continue
        if line is not None and (heading := HEADING.match(line)):
            close_section(number - 1)
            section, shot_in_section = (number, heading["title"], heading["id"]), False
    close_section(len(lines))

    if numbered_without_shot:
        number, title = numbered_without_shot[0]
        raise DocsError(f"{shown_path(path)}:{number}: step {title!r} has no screenshot marker")
    return Source(path, text, locale, markers, sections)


def _marker(path: Path, number: int, block: list[str], section, markers: dict[str, Marker]) -> Marker:
    where = f"{shown_path(path)}:{number}"
    start = MARKER_START.match(block[0])
    if start is None:
        raise DocsError(f"{where}: malformed screenshot marker {block[0].strip()!r} "
                        f"(write <!-- shot: STEP, then scenario:, after:, ring:, caption: lines -->)")
    step, variant = start["step"], start["variant"] or ""
    fields: dict[str, str] = {}
    rest = [start["rest"]] + block[1:]
    for offset, raw in enumerate(rest):
        raw = raw.replace("-->", "").strip()
        if not raw:
            continue
        entry = MARKER_LINE.match(raw)
        if entry is None or entry["key"] not in MARKER_KEYS:
            raise DocsError(f"{shown_path(path)}:{number + offset}: in the marker of {step!r}, {raw!r} is not one of "
                            f"{', '.join(sorted(MARKER_KEYS))} followed by a colon")
        if entry["key"] in fields:
            raise DocsError(f"{shown_path(path)}:{number + offset}: the marker of {step!r} says {entry['key']}: twice")
        fields[entry["key"]] = entry["value"]
    for needed in ("scenario", "after"):
        if not fields.get(needed):
            raise DocsError(f"{where}: the marker of {step!r} needs a {needed}: line "
                            f"(the scenario it is shot in, and the Gherkin step it is shot after)")
    if "pdf" in fields and "ring" in fields:
        raise DocsError(f"{where}: the marker of {step!r} shoots a PDF (pdf:): there is nothing to ring on it")
    if section is None or section[2] != step:
        found = f"section {section[2]!r}" if section and section[2] else "a section without that id"
        raise DocsError(f"{where}: marker {step!r} stands in {found}; move it under "
                        f"the heading carrying {{@guide:{step}}}")
    name = f"{step}-{variant}" if variant else step
    if name in markers:
        raise DocsError(f"{where}: a second marker for {name!r} (the first is on line {markers[name].line}); "
                        f"name the second image: <!-- shot: {step} another-name")
    ring = tuple(_ring(where, step, item) for item in fields.get("ring", "").split(";") if item.strip())
    return Marker(step, fields.get("caption") or _plain(section[1]), number,
                  fields["scenario"],
                  GHERKIN_KEYWORD.sub("", fields["after"]), ring,
                  _ring(where, step, fields["pdf"]) if fields.get("pdf") else None, variant)


def _ring(where: str, step: str, text: str) -> Ring:
    found = RING_TARGET.match(text.strip())
    if found is None:
        raise DocsError(f"{where}: the marker of {step!r} rings {text.strip()!r}: write a target's "
                        f'name, and its value in double quotes when it has one (the service link "Basic")')
    return Ring(found["key"].strip(), found["value"])


def _lines_and_markers(lines: list[str], path: Path) -> Iterator[tuple[int, str | None, list[str] | None]]:
    """(line number, the line or None inside a comment, a marker's lines when one starts there)."""
    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        if re.match(r"^\s*<!--\s*shot\b", line):
            block = [line]
            while "-->" not in block[-1]:
                index += 1
                if index >= len(lines):
                    raise DocsError(f"{shown_path(path)}:{number}: the screenshot marker is never closed with -->")
                block.append(lines[index])
            yield number, None, block
        elif "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            yield number, None, None
            while "-->" not in lines[index]:
                index += 1
                if index >= len(lines):
                    break
                yield index + 1, None, None
        else:
            yield number, line, None
        index += 1


def _plain(title: str) -> str:
    return NUMBERED.sub("", title).replace("“", "").replace("”", "").replace("「", "").replace("」", "")
