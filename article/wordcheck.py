"""The article's words, checked against the screens its scenarios showed (SPEC §10).

- Every UI label the text quotes (“Submit”, 「確定する」) must be a label of the portal in
  the article's UI profile, or an alias declared there (`aliases:`), or a status or
  other word of it, or a heading of the article itself (a cross-reference); a control's
  or field's label must be on the screen of that very step: the screens its markers
  shot, not another screen of the same scenario.
- A quote that was a heading of the last published article, or that reads almost like
  one of its headings, is a broken cross-reference: the heading was renamed.
- A caption's fill-ins ({total}) are the values on the screen when it was shot; an
  amount or a plan name a caption states must be on that screen.
- The figures of the languages are kept in step: a figure one article has and another
  has not is reported.

A problem names the real file and line (the caption's own line for a caption), what it
says and what the screen shows; it fails only the figures it is about.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .render import Shot
from .source import FILL_IN, Marker, Source

QUOTES = {"en": re.compile(r"“([^”]+)”"), "ja": re.compile(r"「([^」]+)」")}
TRAILING = ",.;:、。，"
MOST_CONTROLS = 24  # listed in a message


@dataclass(frozen=True)
class Problem:
    line: int
    figures: tuple[str, ...]  # the images it leaves not verified (none: the text only)
    message: str
    path: str = ""  # the file it is about, when not the source's (another language's, an image)

    def where(self, source: Source) -> str:
        path = self.path or source.shown()
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


def _flat(text: str) -> str:
    return " ".join(text.split())


def fill_caption(caption: str, fills: dict, missing_shown: str | None = None) -> tuple[str, list[str]]:
    """The caption with its {fields} filled in; the fields nothing filled (shown as
    `missing_shown` when given, else left as written)."""
    missing = [name for name in FILL_IN.findall(caption) if not fills.get(name)]
    filled = FILL_IN.sub(lambda found: fills.get(found[1]) or (missing_shown if missing_shown is not None
                                                                 else found[0]), caption)
    return filled, missing


def quoted_in(text: str, locale: str) -> list[str]:
    pattern = QUOTES.get(locale, QUOTES["en"])
    return [found[1].strip().rstrip(TRAILING).strip() for found in pattern.finditer(text)]


def check(source: Source, profile, shots: dict[str, Shot] | None, *,
          published_headings: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem of the words; `shots` None (a text-only build) checks against the
    profile only. `published_headings`: the headings of the article as last published."""
    problems = _quotes(source, profile, shots, published_headings)
    for marker in source.markers.values():
        shot = (shots or {}).get(marker.name)
        if shot is not None and (shot.verified or shot.record.screen):
            problems += _caption(marker, shot, profile)
    return sorted(problems, key=lambda problem: problem.line)


def parity(source: Source, other: Source, both_ways: bool = True) -> list[Problem]:
    """The figures `source` has and `other` (another language) has not, and (`both_ways`,
    when this build does not check `other` itself) the reverse."""
    problems = []
    mine, theirs = list(source.markers), list(other.markers)

    def counted(first: int, second: int) -> str:
        return f"{first} figures against {second}" if first != second else f"{first} figures each (a renamed one?)"

    for name in theirs if both_ways else ():
        if name not in source.markers:
            problems.append(Problem(other.markers[name].line, (), (
                f"figure {name} is here ({other.locale}) and not in {source.shown()} ({source.locale}): "
                f"{counted(len(theirs), len(mine))}; add its marker there under "
                f"{{@guide:{other.markers[name].step}}}, or remove it here"), path=other.shown()))
    for name in mine:
        if name not in other.markers:
            problems.append(Problem(source.markers[name].line, (name,), (
                f"figure {name} is not in {other.shown()} ({other.locale}): {counted(len(mine), len(theirs))}; "
                f"add its marker there too, or remove it here")))
    return problems


def _labels(profile) -> dict[str, str]:
    """Label as shown -> target key, for every label a reader can be told to look for."""
    return {" ".join(label.split()): key for key, label in profile.labels().items() if "{" not in label}


def _quotes(source: Source, profile, shots, published_headings) -> list[Problem]:
    pattern = QUOTES.get(source.locale, QUOTES["en"])
    labels, aliases = _labels(profile), dict(getattr(profile, "aliases", {}))
    words = set(profile.words.values()) | set(profile.cycles.values())
    headings = source.headings()
    marker_lines = {line for marker in source.markers.values() for line in range(marker.line, marker.end + 1)}
    problems = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        if number in marker_lines or line.lstrip().startswith("<!--"):
            continue
        for found in pattern.finditer(line):
            quoted = found[1].strip().rstrip(TRAILING).strip()
            if quoted in headings or (quoted in words and quoted not in labels):
                continue
            step = source.section_at(number)
            figures = tuple(m.name for m in source.markers_of(step)) if step else ()
            key = labels.get(quoted) or aliases.get(quoted)
            if key is None:
                problems.append(Problem(number, figures, _unknown(source, profile, shots, step, number, quoted,
                                                                  headings, published_headings)))
                continue
            if shots is None or step is None:
                continue
            taken = [shots[m.name] for m in source.markers_of(step) if m.name in shots and shots[m.name].record.screen]
            label = _flat(str(profile.label(key)))
            if taken and not any(label in _flat(shot.record.screen) for shot in taken):
                said = f"“{quoted}” (declared an alias of “{label}”)" if quoted != label else f"“{quoted}”"
                names = " and ".join(shot.name for shot in taken)
                problems.append(Problem(number, figures, (
                    f"the article quotes {said} at step {step}, and the screen of {names} does not show it; "
                    f"that screen has: {_listed(taken[0].record.controls)}")))
    return problems


def _unknown(source, profile, shots, step, number, quoted, headings, published_headings) -> str:
    if quoted in published_headings:
        new = sorted(headings - published_headings) or difflib.get_close_matches(quoted, sorted(headings), n=3,
                                                                                  cutoff=0)
        return (f"the article quotes “{quoted}”, a heading of the published article that is no heading any "
                f"more: a broken cross-reference; quote the heading as it reads now "
                f"({'new' if headings - published_headings else 'nearest'}: {_listed(new, limit=3)})")
    close = difflib.get_close_matches(quoted, sorted(headings), n=1, cutoff=0.8)
    if close and not difflib.get_close_matches(quoted, list(_labels(profile)), n=1, cutoff=0.8):
        return (f"the article quotes “{quoted}”, which names no heading of the article: a broken "
                f"cross-reference? the nearest heading is “{close[0]}”")
    return (f"the article quotes “{quoted}”, which is no label of the portal (profile {profile.name})"
            f"{_hint(source, shots, step, number)}: fix the text, or declare the alias in "
            f"{profile.source.name} (aliases:)")


def _listed(names, limit: int = MOST_CONTROLS) -> str:
    names = [name for name in names if name]
    if not names:
        return "nothing a reader could point at"
    shown = ", ".join(f"“{name if len(name) <= 60 else name[:59] + '…'}”" for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _caption(marker: Marker, shot: Shot, profile) -> list[Problem]:
    problems = []
    record, line, figures = shot.record, marker.caption_line or marker.line, (marker.name,)
    caption, missing = fill_caption(marker.caption, record.fills)
    for name in missing:
        problems.append(Problem(line, figures, f"the caption of {marker.name} fills in {{{name}}}, "
                                               f"and nothing on the screen at that shot reads it"))
    screen = _flat(record.screen)
    stated = FILL_IN.sub("", marker.caption)  # what the writer typed, not what the run filled in
    for amount in re.finditer(profile.money_pattern(), stated):
        if amount[0] not in screen:
            shown = list(dict.fromkeys(re.findall(profile.money_pattern(), screen)))  # in screen order
            problems.append(Problem(line, figures, f"the caption of {marker.name} says "
                                                   f"{amount[0]}, the screen shows {', '.join(shown) or 'no amount'}"))
    for plan in record.plans:
        if re.search(rf"(?<!\w){re.escape(plan)}(?!\w)", stated) and plan not in screen:
            shown = [name for name in record.plans if name in screen]
            problems.append(Problem(line, figures, f"the caption of {marker.name} names the plan "
                                                   f"{plan}, the screen shows {', '.join(shown) or 'no plan'}"))
    return problems


def _hint(source: Source, shots, step: str | None, line: int) -> str:
    """What the nearest shot rings, in the portal's words: the likeliest intended label."""
    if not shots:
        return ""
    later = [m for m in source.markers.values() if m.line > line and m.name in shots and shots[m.name].record.ringed]
    nearest = [m for m in source.markers.values() if m.step == step and m.name in shots] or later[:1]
    for marker in nearest:
        ringed = shots[marker.name].record.ringed
        if ringed:
            return f"; the screen at {marker.name} calls what it rings {', '.join(f'“{r}”' for r in ringed)}"
    return ""
