"""Writing steps (SPEC §11): docs/steps.md is the generated steps catalog, current; an
undefined step is reported at collection, for every feature, with a snippet to paste, an
outline's placeholders understood (no false "undefined" for them)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from portal_suite import FEATURES
from portal_suite.gherkin import GherkinStep
from portal_suite.step_index import catalog, snippet
from steps import MODULES

ROOT = Path(__file__).resolve().parent.parent


def test_the_steps_catalog_is_current():
    made = catalog(FEATURES, tuple(MODULES), FEATURES.parent)
    assert (ROOT / "docs" / "steps.md").read_text(encoding="utf-8") == made, (
        "docs/steps.md is stale: .venv/bin/python -m portal_suite.step_index --catalog > docs/steps.md")
    assert made.count("\n### ") >= 40 and "- Example: none (unused)" not in made


def test_the_editor_finds_the_features_and_the_step_definitions():
    import json

    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    assert list(ROOT.glob(settings["cucumber.features"][0])) and list(ROOT.glob(settings["cucumber.glue"][0]))


def test_a_snippet_makes_parameters_of_quoted_text_numbers_and_placeholders():
    step = GherkinStep("When", 'she pays "$3.00" for 2 months of "Basic"', 9, "when",
                       template='she pays "<amount>" for 2 months of "Basic"')
    assert snippet(step) == ('@when(parsers.parse(\'she pays "{amount}" for {number:d} months of "{text}"\'))\n'
                             "def _(amount, number, text):\n    raise NotImplementedError\n")
    assert snippet(GherkinStep("Then", "all is well", 3, "then")) == (
        '@then("all is well")\ndef _():\n    raise NotImplementedError\n')


FEATURE = """\
Feature: Demo
  Scenario Outline: Rows
    Given a number <n>
    When she opens the "<page>" page
    Then it is <n>

    Examples:
      | n | page    |
      | 4 | Billing |
      | 5 | Billing |

  Scenario: Another
    Given a number 1
    Then nobody wrote this either
"""

STEPS = """\
from pytest_bdd import given, parsers, then

from portal_suite.gherkin import scenarios

scenarios("demo.feature")


@given(parsers.parse("a number {n:d}"), target_fixture="number")
def _(n):
    return n


@then(parsers.parse("it is {n:d}"))
def _(number, n):
    assert number == n
"""


def test_undefined_steps_are_reported_at_collection_with_snippets(tmp_path):
    (tmp_path / "demo.feature").write_text(FEATURE)
    (tmp_path / "test_demo.py").write_text(STEPS)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "portal_suite.selection", "-p", "portal_suite.step_index",
         "-p", "no:cacheprovider", "-p", "no:randomly", "--collect-only", "-q", "test_demo.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = run.stdout
    assert "undefined steps: 2 (these scenarios will fail there)" in out, out + run.stderr
    assert 'demo.feature:4 Demo › Rows › When she opens the "<page>" page' in out
    assert "demo.feature:14 Demo › Another › Then nobody wrote this either" in out
    assert "a number" not in out.split("undefined steps")[1].split("Paste")[0]  # <n> rows are matched, not undefined
    assert ('@when(parsers.parse(\'she opens the "{page}" page\'))\ndef _(page):\n    raise NotImplementedError'
            in out)
    assert '@then("nobody wrote this either")' in out
