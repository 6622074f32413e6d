"""Cucumber JSON for standard reporters (portal_suite.cucumber, SPEC §11), checked on a small
feature of its own without a browser, in one process and under xdist (one merged file):
its shape against the cucumber JSON schema (tests/data/cucumber-json.schema.json), steps
after a failure skipped, data tables and doc strings, the step definition's place, the
failure Gherkin first with its screenshot embedded, tags kept."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "cucumber-json.schema.json").read_text())
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n fake").decode()

FEATURE = '''\
@guide:demo-1
Feature: Demo
  What the reporters read.

  Background:
    Given a number 1

  @needs:clock
  Scenario: Tables and doc strings
    Given the plans
      | plan  | price  |
      | Basic | $10.00 |
    And the note
      """
      a note
      """
    Then it is 1

  Scenario: A step that does not
    Given a number 2
    Then the total reads "$2.73"
    And it is 2
    And it is 2

  Scenario: Skipped on the way
    When the driver refuses
    Then it is 1

  Scenario: Undefined
    When nobody wrote this step
    Then it is 1

  @broken
  Scenario: Seeding fails
    Given a broken account
    Then it is 1

  Scenario Outline: Rows
    Then it is <n>

    Examples:
      | n |
      | 1 |
      | 2 |
'''

STEPS = '''\
import pytest
from pytest_bdd import given, parsers, then, when

from portal_suite.gherkin import scenarios
from steps.world import PORTAL_KEY

scenarios("demo.feature")


class Page:
    def screenshot(self, **_):
        return b"\\x89PNG\\r\\n\\x1a\\n fake"


class Journal:
    def tail(self):
        return "opened /services/dns"


class Portal:
    page, journal = Page(), Journal()


@pytest.fixture(autouse=True)
def portal(request):
    request.node.stash[PORTAL_KEY] = Portal()


@pytest.fixture(autouse=True)
def seeded(request):
    if request.node.get_closest_marker("broken"):
        raise RuntimeError("the driver could not seed the account")


@given(parsers.parse("a number {n:d}"), target_fixture="number")
def a_number(n):
    return n


@given("the plans")
def the_plans(datatable):
    assert datatable[1] == ["Basic", "$10.00"]


@given("the note")
def the_note(docstring):
    assert docstring == "a note"


@given("a broken account")
def broken_account():
    pass


@then(parsers.parse("it is {n:d}"))
def it_is(number, n):
    assert number == n, f"{number} is not {n}"


@then(parsers.parse('the total reads "{total}"'))
def the_total(total):
    raise AssertionError(f'Total charge for today amount: expected "{total}", the screen shows "$3.07"')


@when("the driver refuses")
def refuses():
    pytest.skip("refused by portal driver 'acme': no quarterly prices")
'''


def run_demo(tmp_path: Path, *args: str) -> list[dict]:
    (tmp_path / "demo.feature").write_text(FEATURE)
    (tmp_path / "test_demo.py").write_text(STEPS)
    out = tmp_path / "out" / "cucumber.json"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_bdd.plugin", "-p", "xdist.plugin", "-p", "portal_suite.selection", "-p", "portal_suite.record",
         "-p", "portal_suite.cucumber", "-p", "harness.failure_report", "-p", "no:cacheprovider",
         "-p", "no:randomly", "-q", f"--cucumberjson={out}", *args, "test_demo.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": str(ROOT)})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "INTERNALERROR" not in run.stdout + run.stderr
    return json.loads(out.read_text())


@pytest.fixture(scope="module", params=[[], ["-n", "2"]], ids=["one process", "xdist"])
def cucumber(request, tmp_path_factory) -> list[dict]:
    return run_demo(tmp_path_factory.mktemp("cucumber"), *request.param)


def scenario(document: list[dict], name: str) -> dict:
    (found,) = [element for feature in document for element in feature["elements"] if element["name"] == name]
    return found


def test_the_json_has_the_shape_standard_reporters_read(cucumber):
    jsonschema.validate(cucumber, SCHEMA)
    (feature,) = cucumber
    assert (feature["uri"], feature["name"], feature["line"]) == ("demo.feature", "Demo", 2)
    assert feature["description"] == "What the reporters read."
    assert [element["name"] for element in feature["elements"]] == [
        "Tables and doc strings", "A step that does not", "Skipped on the way", "Undefined", "Seeding fails",
        "Rows [1]", "Rows [2]"]  # every worker's scenarios, in file order


def statuses(element: dict) -> list[str]:
    return [step["result"]["status"] for step in element["steps"]]


def test_steps_after_a_failure_are_skipped_and_the_failure_reads_gherkin_first(cucumber):
    failing = scenario(cucumber, "A step that does not")
    assert statuses(failing) == ["passed", "passed", "failed", "skipped", "skipped"]
    failed = failing["steps"][2]
    assert (failed["keyword"], failed["name"], failed["line"]) == ("Then ", 'the total reads "$2.73"', 21)
    message = failed["result"]["error_message"]
    assert message.startswith('Demo › A step that does not\n  Then the total reads "$2.73"  (demo.feature:21)\n'
                              'AssertionError: Total charge for today amount: expected "$2.73", '
                              'the screen shows "$3.07"'), message
    assert not any(framework in message for framework in ("_pytest", "pluggy", "pytest_bdd", "pytest_playwright"))
    assert "test_demo.py" in message  # the step definition's frame stays
    assert failed["embeddings"] == [{"mime_type": "image/png", "data": PNG,
                                     "name": 'failed at: Then the total reads "$2.73"'}]
    assert statuses(scenario(cucumber, "Rows [2]")) == ["passed", "failed"]
    assert statuses(scenario(cucumber, "Rows [1]")) == ["passed", "passed"]


def test_tables_doc_strings_step_definitions_and_tags_are_carried(cucumber):
    tables = scenario(cucumber, "Tables and doc strings")
    assert statuses(tables) == ["passed"] * 4
    background, plans, note, _ = tables["steps"]
    assert (background["keyword"], background["name"], background["line"]) == ("Given ", "a number 1", 6)
    assert plans["rows"] == [{"cells": ["plan", "price"]}, {"cells": ["Basic", "$10.00"]}]
    assert note["doc_string"]["value"] == "a note"
    decorator = STEPS.splitlines().index('@given("the plans")') + 1
    assert plans["match"]["location"] == f"test_demo.py:{decorator}"  # the step definition
    assert [tag["name"] for tag in tables["tags"]] == ["@guide:demo-1", "@needs:clock"]
    assert [tag["name"] for tag in cucumber[0]["tags"]] == ["@guide:demo-1"]
    assert all(step["result"]["duration"] >= 0 for step in tables["steps"])


def test_skips_undefined_steps_and_failures_before_the_first_step(cucumber):
    assert statuses(scenario(cucumber, "Skipped on the way")) == ["passed", "skipped", "skipped"]
    assert statuses(scenario(cucumber, "Undefined")) == ["passed", "undefined", "skipped"]
    seeding = scenario(cucumber, "Seeding fails")
    assert statuses(seeding) == ["skipped", "skipped", "skipped"]
    (before,) = seeding["before"]
    assert before["result"]["status"] == "failed"
    assert "RuntimeError: the driver could not seed the account" in before["result"]["error_message"]
