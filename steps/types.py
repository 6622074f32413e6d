"""Typed parameters of the step texts: each converts a quoted value of a feature.

    parsers.parse('... billed "{cycle:Cycle}"', extra_types=TYPES)

gives the step function a `Cycle`, not a string. An unknown value does not
match at all, so a typo in a feature shows up as an undefined step.

The features are written in the `en` UI profile's words (profiles/en.yaml): cycles
and amounts are read as it writes them. A `Label` is a quoted label naming a
target ("Submit"); steps/labels.py checks every one before a scenario runs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from parse import with_pattern
from pytest_bdd import parsers

from pages.profile import Amount, features_profile

FEATURES = features_profile()
CYCLES = {label: cycle_id for cycle_id, label in FEATURES.cycles.items()}


@dataclass(frozen=True)
class Cycle:
    label: str  # as the features write it: "Semi-Annually"
    id: str  # as a scenario file writes it: "semiannually"


@dataclass(frozen=True)
class Money:
    """An amount a feature quotes, read once: `value` is what a portal shows through its
    profile (`profile.money(value)`), `amount` what a scenario file writes."""

    text: str  # as the features write it: "$1,234.50", "¥201"
    value: Amount

    @property
    def amount(self) -> str:
        """As a scenario file writes it: "1234.50", "201"."""
        return str(self.value.value)


@dataclass(frozen=True)
class Label:
    """A label quoted in a step ("Submit"): it names a target by its `en` label."""

    text: str

    def __str__(self) -> str:
        return self.text


@with_pattern("|".join(map(re.escape, CYCLES)))
def cycle(text: str) -> Cycle:
    return Cycle(text, CYCLES[text])


@with_pattern(FEATURES.money_pattern())
def money(text: str) -> Money:
    return Money(text, FEATURES.read_money(text))


@with_pattern(r"[^\"]+")
def label(text: str) -> Label:
    return Label(text)


@with_pattern(r"\d{4}-\d{2}-\d{2}")
def iso_date(text: str) -> date:
    return date.fromisoformat(text)


@with_pattern(r"none|\d+(?:\.\d+)?% (?:added|included)")
def tax(text: str) -> dict:
    """ "10% added" (on top of prices), "10% included" (in prices) or "none": the rate and
    mode of the sample's tax (its name stays the sample's)."""
    if text == "none":
        return {"rate": "0", "inclusive": False}
    rate, mode = text.split("% ")
    return {"rate": rate, "inclusive": mode == "included"}


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


@with_pattern(r"review|Submit")
def addressed(text: str) -> str:
    """A screen after the change page that a scenario reaches by its address ("review" or
    "Submit"), as the profile's `addresses:` name it ("review", "submit")."""
    return text.lower()


@with_pattern(r"[^\"@\s]+@[^\"@\s]+")
def email(text: str) -> str:
    return text


@with_pattern(r"[^\"]+")
def text(value: str) -> str:
    """Any quoted text: stops at the closing quote, so steps cannot swallow each other."""
    return value


TYPES = {
    "Actor": actor,
    "Addressed": addressed,
    "Cycle": cycle,
    "Date": iso_date,
    "Email": email,
    "Label": label,
    "Money": money,
    "PaymentMethod": payment_method,
    "Tax": tax,
    "Text": text,
    "Timing": timing,
}


# Step parsers whose quotes or table rows name targets, or that use targets or addresses
# of their own, for the check before a scenario (steps/labels.py).
LABELLED: list[parsers.parse] = []


def step(text: str, *, labels_in_rows: bool = False, uses: tuple[str, ...] = ()) -> parsers.parse:
    """A step parser over `text` that knows the types above. `labels_in_rows`: the first
    cell of each row of its data table is a label ("Subtotal", "Tax (10%)"). `uses`: the
    targets it reads whatever the step says ("the final calculation statement") and the
    addresses it types ("address:review"): a profile declaring one absent, or giving no
    such address, skips the scenario before its first step."""
    parser = parsers.parse(text, extra_types=TYPES)
    parser.labels_in_rows = labels_in_rows
    parser.uses = uses
    if labels_in_rows or uses or ":Label}" in text:
        LABELLED.append(parser)
    return parser
