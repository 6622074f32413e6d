"""The UI profile a run uses (`--ui-profile NAME|FILE`), and the labels the steps quote.

A label quoted in a step (`she clicks "Submit"`, the first cell of a row of the
amounts table) names a target by its `en` label (profiles/en.yaml). Before a
scenario runs, every such label of all its steps is looked up; one that names no
target fails the scenario at once, naming the step, the quote and the nearest
labels there are, before anything is seeded or a browser opened. A target the
selected profile declares absent, or an address it gives no template for, skips
the scenario then, with the profile's reason.
"""
from __future__ import annotations

import difflib

import pytest

from harness import skips
from pages.profile import (NoAddress, Named, ProfileError, TargetAbsent, UiProfile, UnknownLabel, features_profile,
                           load_profile)

from .types import LABELLED, Label

DEFAULT_PROFILE = "en"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--ui-profile", default=None, metavar="NAME|FILE",
        help=f"how the portal under test shows its screens: a bundled profile of profiles/ "
             f"(en, ja, renamed) or a profile file (default {DEFAULT_PROFILE})")
    parser.addini("ui_profile", help="default for --ui-profile", default=None)


def selected_profile(config: pytest.Config) -> UiProfile:
    """--ui-profile, else the ini's ui_profile, else en; a bad one is a usage error."""
    name = config.getoption("--ui-profile") or config.getini("ui_profile") or DEFAULT_PROFILE
    try:
        return load_profile(name)
    except ProfileError as exc:
        raise pytest.UsageError(f"--ui-profile: {exc}") from None


def pytest_configure(config: pytest.Config) -> None:
    selected_profile(config)  # a bad --ui-profile stops the run before any test


@pytest.fixture(scope="session")
def ui_profile(pytestconfig: pytest.Config) -> UiProfile:
    return selected_profile(pytestconfig)


def nearest(quote: str, count: int = 3) -> list[str]:
    labels = sorted(set(features_profile().labels().values()))
    return difflib.get_close_matches(quote, labels, n=count, cutoff=0.5) or labels


def named(quote: Label | str, where: str = "") -> list[Named]:
    """The targets a quoted label names; none: UnknownLabel naming the step and the nearest labels."""
    text = str(quote)
    found = features_profile().named(text)
    if not found:
        raise UnknownLabel(f"{where + ': ' if where else ''}\"{text}\" names no target; nearest labels: "
                           + ", ".join(f'"{label}"' for label in nearest(text)))
    return found


def target(quote: Label | str, among: dict, what: str) -> tuple[object, Named]:
    """The entry of `among` (keyed by target key) that `quote` names, and what it names;
    a quote naming a target of another kind says which of `what` there are."""
    for found in named(quote):
        if found.key in among:
            return among[found.key], found
    known = ", ".join(f'"{label}"' for key, label in features_profile().labels().items() if key in among)
    raise UnknownLabel(f'"{quote}" names no {what}; {what}s: {known}')


def clickable(quote: Label | str) -> str:
    """The key of the control `quote` names: any target the profile says is clicked (a
    button or a link); another kind of target says which controls there are."""
    features = features_profile()
    controls = {key for key in features.targets if features.clickable(key)}
    return target(quote, dict.fromkeys(controls), "control she can click")[1].key


def pytest_bdd_before_scenario(request, feature, scenario) -> None:
    """Every quoted label of the scenario names a target, or it fails before its first step;
    a target it needs that the portal has not, or an address it types that the profile
    gives no template for, skips it."""
    profile = selected_profile(request.config)
    needed: dict[str, str] = {}  # target key or "address:name" -> where
    for step in scenario.steps:
        where = f"{feature.rel_filename}:{step.line_number} {step.keyword} {step.name}"
        for parser in LABELLED:
            if not parser.is_matching(step.name):
                continue
            for value in parser.parse_arguments(step.name).values():
                if isinstance(value, Label):
                    needed.update({found.key: where for found in named(value, where)[:1]})
            if parser.labels_in_rows and step.datatable is not None:
                for row in step.datatable.raw():
                    found = named(row[0].strip(), f"{where} (table row {row[0].strip()!r})")
                    needed.setdefault(found[0].key, where)
            needed.update({used: where for used in parser.uses})
    for key, where in needed.items():
        if key.startswith("address:"):
            if key.removeprefix("address:") not in profile.addresses:
                skips.skip(skips.NO_ADDRESS, f"{profile.name} profile gives no {key.removeprefix('address:')!r} "
                                             f"address (addresses: in {profile.source.name}), and {where} types it")
        elif (reason := profile.absent(key)) is not None:
            skips.skip(skips.ABSENT, f"{profile.name} profile: {key} — {reason} ({where})")


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    """A step that reaches a target declared absent, or an address the profile has not,
    skips the scenario with the profile's reason instead of failing it half-way."""
    try:
        return (yield)
    except TargetAbsent as exc:
        skips.skip(skips.ABSENT, str(exc))
    except NoAddress as exc:
        skips.skip(skips.NO_ADDRESS, str(exc))
