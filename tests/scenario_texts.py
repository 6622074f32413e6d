"""A pytest plugin for tests/test_language_runs.py: at the end of collection, writes the
rendered text of every scenario selected (each step and data-table cell, the Examples row's
values filled in) to the JSON file named by the SCENARIO_TEXTS environment variable."""
from __future__ import annotations

import json
import os

from pytest_bdd.scenario import scenario_wrapper_template_registry


def template_of(item):
    """The pytest-bdd scenario an item runs, or None for another test. pytest-bdd has no
    public way to ask this at collection; only this test helper reads its registry (the
    suite's reports read portal_suite.record, made from the public hooks)."""
    return scenario_wrapper_template_registry.get(getattr(item, "obj", None))


def pytest_collection_finish(session) -> None:
    target = os.environ.get("SCENARIO_TEXTS")
    if not target:
        return
    texts = {}
    for item in session.items:
        template = template_of(item)
        if template is None:
            continue
        callspec = getattr(item, "callspec", None)
        example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
        scenario = template.render(example)
        lines = []
        for step in scenario.steps:
            lines.append(step.name)
            if step.datatable is not None:
                lines.extend(str(cell) for row in step.datatable.raw() for cell in row)
        texts[item.nodeid] = lines
    with open(target, "w", encoding="utf-8") as out:
        json.dump(texts, out)
