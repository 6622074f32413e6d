"""A control-API clock move (SPEC §4) read from its body: ``{"now": "..."}``,
``{"advance_minutes": N}`` or ``{"advance_days": N}``, within the bounds of `limits`.

Anything else is a ScenarioError (the control API's 400) naming the key. Whether the
move goes backwards or past the last day the portal holds is the store's to say: it
holds the clock, and concurrent advances must add up under its lock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from . import limits
from .safe_yaml import TextError, load_text
from .scenario import ScenarioError, key_name, parse_now, shown

USAGE = 'send one of {"now": "..."}, {"advance_minutes": N}, {"advance_days": N}'
_UNITS = {"advance_minutes": ("minutes", 24 * 60), "advance_days": ("days", 1)}


@dataclass(frozen=True)
class ClockMove:
    to: datetime | None = None     # {"now": ...}
    by: timedelta | None = None    # {"advance_minutes": N} or {"advance_days": N}


def requested_move(body: bytes | str) -> ClockMove:
    """The move the body asks for, or ScenarioError naming what is wrong."""
    try:
        request = load_text(body)
    except TextError as exc:
        raise ScenarioError(f"clock: {exc}; {USAGE}") from None
    if not isinstance(request, dict) or len(request) != 1:
        raise ScenarioError(USAGE)
    (key, value), = request.items()
    if key == "now":
        return ClockMove(to=parse_now(value))
    if key in _UNITS:
        unit, per_day = _UNITS[key]
        most = limits.MAX_CLOCK_MOVE.days * per_day
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
            raise ScenarioError(f"{key}: expected a whole number from 0 to {most:,} "
                                f"(100 years), got {shown(value)}")
        return ClockMove(by=timedelta(**{unit: value}))
    raise ScenarioError(f"{key_name(key)}: unknown key; use now, advance_minutes or advance_days")
