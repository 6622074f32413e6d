"""Labels a feature quotes (`she clicks "Submit"`, a table row "Tax (10%)"), read as the
targets they name in the features' profile (en)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import parse as parse_lib

from .formats import fields_of, is_regex
from .targets import Spec


class UnknownLabel(LookupError):
    """A quoted label that names no target of the features' profile."""


@dataclass(frozen=True)
class Named:
    """What a label quoted in a feature names: a target key and the values of its fields
    ("Tax (10%)" -> "the tax row", {"name": "Tax", "rate": "10"})."""

    key: str
    fields: dict


def quotable(targets: dict[str, Spec]) -> dict[str, str]:
    """Each target's label as a feature can quote it (regex labels cannot be quoted)."""
    return {key: spec.label for key, spec in targets.items() if spec.label and not is_regex(spec.label)}


def named(targets: dict[str, Spec], quote: str) -> list[Named]:
    """The targets a quoted label names: exact labels, then labels with fields
    ("Tax (10%)" names "{name} ({rate}%)")."""
    labels = quotable(targets)
    exact = [Named(key, {}) for key, label in labels.items() if label == quote]
    if exact:
        return exact
    found = []
    for key, label in labels.items():
        if fields_of(label) and not re.fullmatch(r"\{\w+\}", label):  # "{plan}" would name any quote
            match = parser(label).parse(quote)
            if match is not None:
                found.append(Named(key, dict(match.named)))
    return found


@lru_cache(maxsize=None)
def parser(template: str) -> parse_lib.Parser:
    return parse_lib.compile(template, case_sensitive=True)
