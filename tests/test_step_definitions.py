"""Gate on the step definitions: none undefined, none unused, none ambiguous.

Every step of every scenario (outlines rendered with each Examples row,
backgrounds included) must match exactly one step definition of the suite's
step modules, and every step definition must be used by some step.
"""
from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from pytest_bdd.feature import get_features
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from steps import MODULES

FEATURES = Path(__file__).resolve().parents[1] / "features"


def definitions() -> list[StepFunctionContext]:
    for module in MODULES:
        importlib.import_module(module)
    return [context for context in list(step_function_context_registry.values())
            if context.step_func.__module__ in MODULES]


def where(context: StepFunctionContext) -> str:
    lines, first = inspect.getsourcelines(context.step_func)
    return f"{context.step_func.__module__}:{first} {context.type or 'step'} {context.parser.name!r}"


def rendered_steps():
    """(where, step) for each step of each scenario, as pytest-bdd runs it."""
    for feature in get_features([str(FEATURES)]):
        for template in feature.scenarios.values():
            rows = [row for examples in template.examples for row in examples.as_contexts()] or [{}]
            for row in rows:
                scenario = template.render(row)
                for step in scenario.steps:
                    yield f"{Path(feature.filename).name}:{step.line_number} ({scenario.name})", step


@pytest.fixture(scope="module")
def matches():
    contexts = definitions()
    found = []
    for place, step in rendered_steps():
        hits = [c for c in contexts if c.type in (None, step.type) and c.parser.is_matching(step.name)]
        found.append((place, step, hits))
    return contexts, found


def test_the_features_have_steps(matches):
    contexts, found = matches
    assert contexts, f"no step definitions found in {MODULES}"
    assert found, f"no steps found in {FEATURES}"


def test_no_step_is_undefined(matches):
    _, found = matches
    undefined = sorted({f"{place}: {step}" for place, step, hits in found if not hits})
    assert not undefined, "steps without a definition:\n" + "\n".join(undefined)


def test_no_step_is_ambiguous(matches):
    _, found = matches
    ambiguous = sorted({f"{place}: {step} matches " + "; ".join(map(where, hits))
                        for place, step, hits in found if len(hits) > 1})
    assert not ambiguous, "steps matching more than one definition:\n" + "\n".join(ambiguous)


def test_no_step_definition_is_unused(matches):
    contexts, found = matches
    used = {id(hit) for _, _, hits in found for hit in hits}
    unused = sorted(where(c) for c in contexts if id(c) not in used)
    assert not unused, "step definitions no feature uses:\n" + "\n".join(unused)


def test_tables_go_to_steps_that_read_them(matches):
    _, found = matches
    wrong = set()
    for place, step, hits in found:
        for hit in hits:
            reads_table = "datatable" in inspect.signature(hit.step_func).parameters
            if reads_table != (step.datatable is not None):
                wrong.add(f"{place}: {step} {'lacks' if reads_table else 'has'} a data table; {where(hit)}")
    assert not wrong, "\n".join(sorted(wrong))
