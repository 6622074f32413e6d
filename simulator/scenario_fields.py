"""Reading one value of a scenario (SPEC §3, §8): each reader checks type, range
and length, and a refusal names the key and the entry in one short line, e.g.
``services[0] (id 1001): next_due: '2026-02-30' is not a date (YYYY-MM-DD)``."""
from __future__ import annotations

import re
import reprlib
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from . import limits


class ScenarioError(ValueError):
    """A scenario that cannot be loaded; the message names the key and the entry."""


_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60
_short.maxlevel, _short.maxlist, _short.maxdict = 2, 4, 4


def shown(value) -> str:
    """A value as the refusal quotes it: one short line, whatever its size or depth."""
    return _short.repr(value)


def where(entry: str, key: str) -> str:
    return f"{entry}: {key}" if entry else key


def key_name(key) -> str:
    """A key as a refusal names it: bare when it is a plain word, else quoted."""
    if isinstance(key, str) and len(key) <= 60 and re.fullmatch(r"[\w.@+-]+", key):
        return key
    return shown(key)


def mapping_keys(mapping, allowed: set[str], required: set[str], entry: str) -> dict:
    if not isinstance(mapping, dict):
        raise ScenarioError(f"{entry or 'scenario'}: expected a mapping, got {shown(mapping)}")
    unknown = [key for key in mapping if key not in allowed]
    if unknown:
        raise ScenarioError(f"{where(entry, key_name(unknown[0]))}: unknown key")
    missing = sorted(required - set(mapping))
    if missing:
        raise ScenarioError(f"{where(entry, missing[0])}: required key is missing")
    return mapping


def text(value, entry: str, key: str, max_chars: int = limits.MAX_TEXT_CHARS) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ScenarioError(f"{where(entry, key)}: expected a non-empty text, got {shown(value)}")
    if isinstance(value, int) and abs(value) > limits.MAX_ID:
        raise ScenarioError(f"{where(entry, key)}: {shown(value)} is too long")
    text = str(value).strip()
    if not text:
        raise ScenarioError(f"{where(entry, key)}: expected a non-empty text, got {shown(value)}")
    if len(text) > max_chars:
        raise ScenarioError(
            f"{where(entry, key)}: {len(text):,} characters is more than {max_chars}")
    bad = _REFUSED_CHARACTER.search(text)
    if bad:
        what = ("a text direction override" if bad.group() in _BIDI_CONTROLS
                else "a line break or control character")
        raise ScenarioError(f"{where(entry, key)}: {shown(text)} holds {what} "
                            f"(U+{ord(bad.group()):04X})")
    return text


# What a name may not hold (SPEC §8): line breaks and other control characters, and the
# bidi embeddings, overrides and isolates that make a name read as another (U+202A-E,
# U+2066-9). Everything else a user can type is accepted: an ideographic or no-break
# space, the joiners of Persian or of an emoji sequence, any script.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REFUSED_CHARACTER = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + _BIDI_CONTROLS + "]")


def flag(value, entry: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(f"{where(entry, key)}: expected true or false, got {shown(value)}")
    return value


def choice(value, choices, entry: str, key: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ScenarioError(
            f"{where(entry, key)}: {shown(value)} is not one of {', '.join(choices)}"
        )
    return value


def amount(value, entry: str, key: str, decimals: int | None = None, signed=False,
            maximum: Decimal = limits.MAX_AMOUNT) -> Decimal:
    if isinstance(value, float):
        raise ScenarioError(f"{where(entry, key)}: write amounts as strings, e.g. \"5.00\" (got {shown(value)})")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ScenarioError(f"{where(entry, key)}: expected an amount such as \"5.00\", got {shown(value)}")
    text = str(value).strip() if isinstance(value, str) else None
    if text is not None and len(text) > limits.MAX_AMOUNT_CHARS:
        raise ScenarioError(f"{where(entry, key)}: {shown(value)} is not an amount")
    try:
        amount = Decimal(text) if text is not None else Decimal(value)
    except InvalidOperation:
        raise ScenarioError(f"{where(entry, key)}: {shown(value)} is not an amount") from None
    if not amount.is_finite() or (amount.is_signed() and not signed):  # NaN, -0
        raise ScenarioError(f"{where(entry, key)}: {shown(value)} is not a valid amount")
    if abs(amount) > maximum:
        raise ScenarioError(f"{where(entry, key)}: {shown(value)} is more than {maximum:,}")
    if amount.is_zero():
        amount = amount.copy_abs()  # a signed amount's -0 is 0 (exact: no rounding)
    if decimals is not None:
        minor = Decimal(1).scaleb(-decimals)
        if amount != amount.quantize(minor):
            raise ScenarioError(
                f"{where(entry, key)}: {shown(value)} has more than {decimals} decimal places"
            )
        amount = amount.quantize(minor)  # "5" and "5.00" are the same price
    return amount


def in_calendar(day: date, value, entry: str, key: str) -> None:
    if not limits.EARLIEST_DATE <= day <= limits.LATEST_DATE:
        raise ScenarioError(
            f"{where(entry, key)}: {shown(value)} is outside the dates the portal holds "
            f"({limits.EARLIEST_DATE} to {limits.LATEST_DATE})")


# The portal's clock has no time zone: a moment is the scenario's local time. A time
# with a UTC offset is refused, written as a YAML timestamp or as a (JSON) string alike,
# rather than have its offset silently dropped (SPEC §8): 09:00+09:00 is not 09:00.
_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)")


def _refuse_offset(value, entry: str, key: str) -> None:
    offset = (isinstance(value, datetime) and value.tzinfo is not None) or (
        isinstance(value, str) and _OFFSET.fullmatch(value.strip()))
    if offset:
        raise ScenarioError(
            f"{where(entry, key)}: {shown(value if isinstance(value, str) else value.isoformat())} "
            f"has a UTC offset; the portal's clock has no time zone: write the local time "
            f"without one (e.g. 2026-03-17T09:00:00)")


def calendar_date(value, entry: str, key: str) -> date:
    _refuse_offset(value, entry, key)
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            raise ScenarioError(
                f"{where(entry, key)}: {shown(value)} is not a date (YYYY-MM-DD)") from None
    in_calendar(day, value, entry, key)
    return day


def parse_now(value, entry: str = "", key: str = "now") -> datetime:
    """A clock value: a datetime (no UTC offset), or a bare date meaning 09:00 that day."""
    _refuse_offset(value, entry, key)
    if isinstance(value, datetime):
        when = value.replace(tzinfo=None, microsecond=0)
    elif isinstance(value, date):
        when = datetime.combine(value, time(9, 0))
    else:
        text = value.strip() if isinstance(value, str) else ""
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?", text):
                raise ValueError(text)
            if len(text) == 10:
                when = datetime.combine(date.fromisoformat(text), time(9, 0))
            else:
                when = datetime.fromisoformat(text).replace(tzinfo=None, microsecond=0)
        except ValueError:
            raise ScenarioError(
                f"{where(entry, key)}: {shown(value)} is not a date or date-time "
                f"(e.g. 2026-03-17T09:00:00)") from None
    in_calendar(when.date(), value, entry, key)
    return when


def listed(value, entry: str, key: str, max_items: int) -> list:
    if not isinstance(value, list):
        raise ScenarioError(f"{where(entry, key)}: expected a list, got {shown(value)}")
    if len(value) > max_items:
        raise ScenarioError(
            f"{where(entry, key)}: {len(value):,} entries is more than {max_items:,}")
    return value
