"""The article's words, checked against the screens its scenarios showed (SPEC §10).

- Every UI label the text quotes (“Submit”, 「確定する」) must be a label of the portal in
  the article's UI profile, or an alias declared there (`aliases:`), or a status or
  other word of it, or a heading of the article itself; a control's or field's label
  must be on the screen at that step (the shot, or another screen of its scenario).
- A caption's fill-ins ({total}) are the values on the screen when it was shot; an
  amount or a plan name a caption states must be on that screen.

A problem names the article's line, what it says and what the screen shows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .shots import Shot
from .source import FILL_IN, Marker, Source

QUOTES = {"en": re.compile(r"“([^”]+)”"), "ja": re.compile(r"「([^」]+)」")}
TRAILING = ",.;:、。，"


@dataclass(frozen=True)
class Problem:
    line: int
    step: str | None  # the section's id: its markers are not verified
    message: str

    def where(self, source: Source) -> str:
        return f"{source.path.name}:{self.line}: {self.message}"


def _flat(text: str) -> str:
    return " ".join(text.split())


def fill_caption(caption: str, fills: dict) -> tuple[str, list[str]]:
    """The caption with its {fields} filled in; the fields nothing filled."""
    missing = [name for name in FILL_IN.findall(caption) if not fills.get(name)]
    filled = FILL_IN.sub(lambda found: fills.get(found[1]) or found[0], caption)
    return filled, missing


def check(source: Source, profile, shots: dict[str, Shot] | None) -> list[Problem]:
    """Every problem of the words; `shots` None (a text-only build) checks against the profile only."""
    problems = _quotes(source, profile, shots)
    for marker in source.markers.values():
        shot = (shots or {}).get(marker.name)
        if shot is not None and (shot.verified or shot.screen):
            problems += _caption(marker, shot, profile)
    return sorted(problems, key=lambda problem: problem.line)


def _labels(profile) -> dict[str, str]:
    """Label as shown -> target key, for every label a reader can be told to look for."""
    return {" ".join(label.split()): key for key, label in profile.labels().items() if "{" not in label}


def _quotes(source: Source, profile, shots) -> list[Problem]:
    pattern = QUOTES.get(source.locale, QUOTES["en"])
    labels, aliases = _labels(profile), dict(getattr(profile, "aliases", {}))
    words = set(profile.words.values()) | set(profile.cycles.values())
    headings = source.headings()
    marker_lines = {line for marker in source.markers.values() for line in _marker_lines(source, marker)}
    problems = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        if number in marker_lines or line.lstrip().startswith("<!--"):
            continue
        for found in pattern.finditer(line):
            quoted = found[1].strip().rstrip(TRAILING).strip()
            if quoted in headings or (quoted in words and quoted not in labels):
                continue
            step = source.section_at(number)
            key = labels.get(quoted) or aliases.get(quoted)
            if key is None:
                problems.append(Problem(number, step, f"the article quotes “{quoted}”, which is no label of "
                                        f"the portal (profile {profile.name}){_hint(source, shots, step, number)}: "
                                        f"fix the text, or declare the alias in {profile.source.name} (aliases:)"))
                continue
            if shots is None or step is None:
                continue
            taken = [shots[m.name] for m in source.markers_of(step) if m.name in shots and shots[m.name].screen]
            label = _flat(str(profile.label(key)))
            if taken and not any(label in _flat(shot.screen) or label in _flat(shot.seen) for shot in taken):
                said = f"“{quoted}” (declared an alias of “{label}”)" if quoted != label else f"“{quoted}”"
                problems.append(Problem(number, step, f"the article quotes {said}, and no screen of step {step} "
                                        f"shows it; the shot there shows: {_excerpt(taken[0].screen)}"))
    return problems


def _caption(marker: Marker, shot: Shot, profile) -> list[Problem]:
    problems = []
    caption, missing = fill_caption(marker.caption, shot.fills)
    for name in missing:
        problems.append(Problem(marker.line, marker.step, f"the caption of {marker.name} fills in {{{name}}}, "
                                f"and nothing on the screen at that shot reads it"))
    screen = _flat(shot.screen)
    stated = FILL_IN.sub("", marker.caption)  # what the writer typed, not what the run filled in
    for amount in re.finditer(profile.money_pattern(), stated):
        if amount[0] not in screen:
            shown = list(dict.fromkeys(re.findall(profile.money_pattern(), screen)))  # in screen order
            problems.append(Problem(marker.line, marker.step, f"the caption of {marker.name} says "
                                    f"{amount[0]}, the screen shows {', '.join(shown) or 'no amount'}"))
    for plan in shot.plans:
        if re.search(rf"(?<!\w){re.escape(plan)}(?!\w)", stated) and plan not in screen:
            shown = [name for name in shot.plans if name in screen]
            problems.append(Problem(marker.line, marker.step, f"the caption of {marker.name} names the plan "
                                    f"{plan}, the screen shows {', '.join(shown) or 'no plan'}"))
    return problems


def _marker_lines(source: Source, marker: Marker) -> range:
    return range(marker.line, marker.end + 1)


def _hint(source: Source, shots, step: str | None, line: int) -> str:
    """What the nearest shot rings, in the portal's words: the likeliest intended label."""
    if not shots:
        return ""
    later = [m for m in source.markers.values() if m.line > line and m.name in shots and shots[m.name].ringed]
    nearest = [m for m in source.markers.values() if m.step == step and m.name in shots] or later[:1]
    for marker in nearest:
        ringed = shots[marker.name].ringed
        if ringed:
            return f"; the screen at {marker.name} calls what it rings {', '.join(f'“{r}”' for r in ringed)}"
    return ""


def _excerpt(text: str, limit: int = 160) -> str:
    flat = _flat(text)
    return flat if len(flat) <= limit else flat[:limit] + "…"
