"""Gate on the step definitions: none undefined, none unused, none ambiguous.

Every step of every scenario (outlines rendered with each Examples row,
backgrounds included) must match exactly one step definition of the suite's
step modules, and every step definition must be used by some step. The features
are read as portal_suite.gherkin reads them and the definitions listed by
portal_suite.step_index (which also reports undefined steps at collection).

    .venv/bin/pytest tests/test_step_definitions.py      # about a second
"""
from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from portal_suite.gherkin import feature_files, parse
from portal_suite.step_index import Definition, definitions, matching
from steps import MODULES

FEATURES = Path(__file__).resolve().parents[1] / "features"


def suite_definitions() -> list[Definition]:
    for module in MODULES:
        importlib.import_module(module)
    return definitions(tuple(MODULES))


def where(definition: Definition) -> str:
    return f"{definition.module}:{definition.line} {definition.type or 'step'} {definition.pattern!r}"


def rendered_steps():
    """(where, step) for each step of each scenario, as pytest-bdd runs it."""
    for file in feature_files(FEATURES):
        for outline in parse(str(file))[1]:
            for place in outline.places:
                for step in place.steps:
                    yield f"{file.name}:{step.line} ({place.scenario})", step


@pytest.fixture(scope="module")
def matches():
    known = suite_definitions()
    return known, [(place, step, matching(step, known)) for place, step in rendered_steps()]


def test_the_features_have_steps(matches):
    known, found = matches
    assert known, f"no step definitions found in {MODULES}"
    assert found, f"no steps found in {FEATURES}"


def test_no_step_is_undefined(matches):
    _, found = matches
    undefined = sorted({f"{place}: {step.keyword} {step.name}" for place, step, hits in found if not hits})
    assert not undefined, "steps without a definition:\n" + "\n".join(undefined)


def test_no_step_is_ambiguous(matches):
    _, found = matches
    ambiguous = sorted({f"{place}: {step.keyword} {step.name} matches " + "; ".join(map(where, hits))
                        for place, step, hits in found if len(hits) > 1})
    assert not ambiguous, "steps matching more than one definition:\n" + "\n".join(ambiguous)


def test_no_step_definition_is_unused(matches):
    known, found = matches
    used = {id(hit) for _, _, hits in found for hit in hits}
    unused = sorted(where(definition) for definition in known if id(definition) not in used)
    assert not unused, "step definitions no feature uses:\n" + "\n".join(unused)


def test_tables_go_to_steps_that_read_them(matches):
    _, found = matches
    wrong = set()
    for place, step, hits in found:
        for hit in hits:
            reads_table = "datatable" in inspect.signature(hit.func).parameters
            if reads_table != (step.datatable is not None):
                wrong.add(f"{place}: {step.name} {'lacks' if reads_table else 'has'} a data table; {where(hit)}")
    assert not wrong, "\n".join(sorted(wrong))
