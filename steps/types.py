"""Typed parameters of the step texts: each converts a quoted value of a feature.

    parsers.parse('... billed "{cycle:Cycle}"', extra_types=TYPES)

gives the step function a `Cycle`, not a string. An unknown value does not
match at all, so a typo in a feature shows up as an undefined step.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parse import with_pattern
from pytest_bdd import parsers

CYCLES = {"Monthly": "monthly", "Quarterly": "quarterly", "Semi-Annually": "semiannually", "Annually": "annually"}


@dataclass(frozen=True)
class Cycle:
    label: str  # as the portal shows it: "Semi-Annually"
    id: str  # as a scenario file writes it: "semiannually"


@dataclass(frozen=True)
class Money:
    text: str  # as the portal shows it: "$1,234.50", "¥201"
    amount: str  # as a scenario file writes it: "1234.50", "201"


@with_pattern("|".join(map(re.escape, CYCLES)))
def cycle(text: str) -> Cycle:
    return Cycle(text, CYCLES[text])


@with_pattern(r"[$¥]\d{1,3}(?:,\d{3})*(?:\.\d+)?")
def money(text: str) -> Money:
    return Money(text, str(Decimal(text[1:].replace(",", ""))))


@with_pattern(r"\d{4}-\d{2}-\d{2}")
def iso_date(text: str) -> date:
    return date.fromisoformat(text)


@with_pattern(r"none|\d+(?:\.\d+)?% (?:added|included)")
def tax(text: str) -> dict:
    """ "10% added" (on top of prices), "10% included" (in prices) or "none"."""
    if text == "none":
        return {"name": "Tax", "rate": "0", "inclusive": False}
    rate, mode = text.split("% ")
    return {"name": "Tax", "rate": rate, "inclusive": mode == "included"}


@with_pattern(r"immediately|at the next renewal")
def timing(text: str) -> str:
    return {"immediately": "immediate", "at the next renewal": "next_renewal"}[text]


@with_pattern(r"card|bank transfer")
def payment_method(text: str) -> str:
    return text.replace(" ", "_")


@with_pattern(r"she|he|Alice|Bob|the visitor")
def actor(text: str) -> str:
    """Who acts; the steps run as whoever is logged in, so this reads well and nothing more."""
    return text


@with_pattern(r"[^\"@\s]+@[^\"@\s]+")
def email(text: str) -> str:
    return text


@with_pattern(r"[^\"]+")
def text(value: str) -> str:
    """Any quoted text: stops at the closing quote, so steps cannot swallow each other."""
    return value


TYPES = {
    "Actor": actor,
    "Cycle": cycle,
    "Date": iso_date,
    "Email": email,
    "Money": money,
    "PaymentMethod": payment_method,
    "Tax": tax,
    "Text": text,
    "Timing": timing,
}


def step(text: str) -> parsers.parse:
    """A step parser over `text` that knows the types above."""
    return parsers.parse(text, extra_types=TYPES)
