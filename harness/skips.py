"""Why a scenario is skipped, in the groups the conformance report counts (SPEC §9).

A skip raised or marked through here carries its kind to the report (also under
xdist: it travels as a user property); any other skip is grouped by its reason's
prefix ("absent: ...", "not driven: ..."), else as "other".

    skips.skip(skips.REFUSED, "refused by portal driver 'acme': no quarterly prices")
    skips.mark(item, skips.CAPABILITY, "portal driver 'acme' lacks clock (...)")
"""
from __future__ import annotations

from typing import NoReturn

import pytest

KIND_PROPERTY = "conformance_skip_kind"

CAPABILITY = "capability missing"      # @needs:<capability> the driver does not declare
REFUSED = "refused by the driver"      # seed() raised CannotSeed
ABSENT = "absent target"               # the profile declares a target the scenario needs absent
NO_ADDRESS = "no address"              # the profile has no URL template a scenario types
OTHER = "other"
KINDS = (CAPABILITY, REFUSED, ABSENT, NO_ADDRESS, OTHER)


# A plain pytest.skip whose reason starts so is grouped so (steps/labels.py's skips of
# absent targets and of addresses a profile has no template for).
PREFIXES = {"absent:": ABSENT, "not driven:": NO_ADDRESS}


def kind_of(reason: str) -> str:
    """The group of a skip that did not say its kind, by its reason's prefix."""
    return next((kind for prefix, kind in PREFIXES.items() if reason.startswith(prefix)), OTHER)


class Skip(pytest.skip.Exception):
    """pytest's skip, with the group it belongs to."""

    def __init__(self, kind: str, reason: str):
        # Reported at the scenario's own place (as a skip marker is), not inside pytest-bdd.
        super().__init__(reason, _use_item_location=True)
        self.kind = kind


def skip(kind: str, reason: str) -> NoReturn:
    """Skip the running scenario now (in a step or a fixture), as `kind`."""
    __tracebackhide__ = True
    raise Skip(kind, reason)


def mark(item: pytest.Item, kind: str, reason: str) -> None:
    """Skip a collected scenario before its first step, as `kind`."""
    item.add_marker(pytest.mark.skip(reason=reason))
    item.user_properties.append((KIND_PROPERTY, kind))
