"""What the shooter made of one marker: one typed record, written by the pytest plugin
(article.shooter) into SHOTS/manifest.json and read back by article.render.

The record crosses a process boundary as JSON; it is read back field by field into this
one dataclass (an unknown or missing field is an error, never a silent default), so the
plugin and the build cannot drift apart.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from .errors import DocsError

# The outcome of a marker: its scenario has not reached it; it was shot (the scenario
# still running); the scenario passed after the shot; it failed (the scenario, or the shot).
NOT_RUN, SHOT, PASSED, FAILED = "not run", "shot", "passed", "failed"
MANIFEST = "manifest.json"


@dataclass
class ShotRecord:
    name: str
    outcome: str = NOT_RUN
    reason: str = ""  # why not PASSED
    scenario: str = ""
    step: str = ""  # the Gherkin step it was shot after, with its keyword
    images: list[str] = field(default_factory=list)  # light, then dark (a PDF: light only)
    failed_screen: str | None = None  # the PNG of the screen its scenario failed on
    screen: str = ""  # the text on screen when it was shot
    controls: list[str] = field(default_factory=list)  # the names of that screen's controls and labels
    fills: dict[str, str | None] = field(default_factory=dict)  # the caption's {fields}, as shown
    plans: list[str] = field(default_factory=list)  # the plan names of the scenario's portal
    ringed: list[str] = field(default_factory=list)  # how each ringed target reads
    title: str = ""  # the page's heading
    kind: str = "page"  # page | pdf
    targets: list[list[str]] = field(default_factory=list)  # `portal-docs targets`: [name, reads]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ShotRecord":
        known = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or set(data) - known or "name" not in data:
            raise DocsError(f"the shooter's manifest holds a record this build cannot read: {data!r:.200}")
        return cls(**data)
