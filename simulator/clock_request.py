"""A control-API clock move (SPEC §4) read from its body: ``{"now": "..."}``,
``{"advance_minutes": N}`` or ``{"advance_days": N}``, within the bounds of `limits`.

Anything else is a ScenarioError (the control API's 400) naming the key; whether
the move goes backwards is the store's to say, as it holds the clock.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from . import limits
from .safe_yaml import TextError, load_text
from .scenario import ScenarioError, key_name, parse_now, shown

USAGE = 'send one of {"now": "..."}, {"advance_minutes": N}, {"advance_days": N}'
_UNITS = {"advance_minutes": ("minutes", 24 * 60), "advance_days": ("days", 1)}


def requested_time(body: bytes | str, now: datetime) -> datetime:
    """The time the body asks the clock (now at `now`) to move to."""
    try:
        request = load_text(body)
    except TextError as exc:
        raise ScenarioError(f"clock: {exc}; {USAGE}") from None
    if not isinstance(request, dict) or len(request) != 1:
        raise ScenarioError(USAGE)
    (key, value), = request.items()
    horizon = limits.MAX_CLOCK_MOVE
    if key == "now":
        when = parse_now(value)
    elif key in _UNITS:
        unit, per_day = _UNITS[key]
        most = horizon.days * per_day
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
            raise ScenarioError(f"{key}: expected a whole number from 0 to {most:,} "
                                f"(100 years), got {shown(value)}")
        when = now + timedelta(**{unit: value})
    else:
        raise ScenarioError(f"{key_name(key)}: unknown key; use now, advance_minutes or advance_days")
    if when - now > horizon:
        raise ScenarioError(f"{key}: {when.isoformat()} is more than 100 years after the "
                            f"clock ({now.isoformat()})")
    if when.date() > limits.LATEST_DATE:
        raise ScenarioError(f"{key}: {when.isoformat()} is after {limits.LATEST_DATE}, "
                            f"the last day the portal holds")
    return when
