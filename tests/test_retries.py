"""Retries keep every report valid (SPEC §11): a scenario whose step fails on its first
attempt only, under pytest-rerunfailures, is reported passed-with-retry (flaky) in the
cucumber JSON, JUnit and the conformance report, and one that fails every attempt is one
failure, not one per attempt; no INTERNALERROR; in one process and under xdist."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FEATURE = """\
Feature: Flaky
  Scenario: Fails once
    Given a step that fails the first time
    Then it is fine

  Scenario: Always fails
    Given a step that fails the first time
    Then it is not fine
"""

STEPS = """\
from pathlib import Path

from pytest_bdd import given, then

from portal_suite.gherkin import scenarios

scenarios("flaky.feature")


@given("a step that fails the first time")
def _(request):
    tries = Path(request.node.name + ".tries")
    tries.write_text(tries.read_text() + "x" if tries.exists() else "x")
    assert len(tries.read_text()) > 1, "the portal answered slowly: expected the review, the screen shows nothing"


@then("it is fine")
def _():
    pass


@then("it is not fine")
def _():
    raise AssertionError("expected 1, it is 2")
"""


@pytest.fixture(scope="module", params=[[], ["-n", "2"]], ids=["one process", "xdist"])
def run(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("retries")
    (folder / "flaky.feature").write_text(FEATURE)
    (folder / "test_flaky.py").write_text(STEPS)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_bdd.plugin", "-p", "xdist.plugin", "-p", "pytest_rerunfailures", "-p", "pytest_repeat", "-p", "portal_suite.selection", "-p", "portal_suite.record",
         "-p", "portal_suite.cucumber", "-p", "portal_suite.terminal", "-p", "harness.conformance",
         "-p", "drivers.plugin", "-p", "no:cacheprovider", "-p", "no:randomly", "--reruns", "2",
         "--cucumberjson=out/cucumber.json", "--junitxml=out/junit.xml", "--conformance", "out/conformance",
         *request.param, "test_flaky.py"],
        cwd=folder, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "INTERNALERROR" not in done.stdout + done.stderr, done.stdout + done.stderr
    return folder, done.stdout


def test_cucumber_json_says_passed_on_a_retry(run):
    folder, _ = run
    (feature,) = json.loads((folder / "out" / "cucumber.json").read_text())
    once, always = feature["elements"]
    assert [step["result"]["status"] for step in once["steps"]] == ["passed", "passed"]
    assert once["attempts"] == 2 and {"name": "@flaky", "line": 1} in once["tags"]
    assert [step["result"]["status"] for step in always["steps"]] == ["passed", "failed"]
    assert always["attempts"] == 3 and all(tag["name"] != "@flaky" for tag in always["tags"])


def test_junit_has_one_case_per_scenario_with_its_attempts(run):
    folder, _ = run
    cases = {case.get("name"): case for case in ElementTree.parse(folder / "out" / "junit.xml").iter("testcase")}
    assert sorted(cases) == ["test_always_fails", "test_fails_once"]
    once = cases["test_fails_once"]
    assert once.find("failure") is None and once.find("error") is None
    assert {prop.get("name"): prop.get("value") for prop in once.iter("property")}["attempts"] == "2"
    assert cases["test_always_fails"].find("failure") is not None


def test_the_conformance_report_counts_each_scenario_once_and_the_flaky_one(run):
    folder, out = run
    report = json.loads((folder / "out" / "conformance.json").read_text())
    assert report["counts"] == {"passed": 1, "failed": 1, "skipped": 0} and report["flaky"] == 1
    rows = {row["scenario"]: row for row in report["scenarios"]}
    assert (rows["Fails once"]["outcome"], rows["Fails once"]["attempts"]) == ("passed", 2)
    assert (rows["Always fails"]["outcome"], rows["Always fails"]["attempts"]) == ("failed", 3)
    markdown = (folder / "out" / "conformance.md").read_text()
    assert "- Flaky: 1 (passed on a retry)" in markdown and "| passed (flaky: 2 attempts) |" in markdown
    assert "flaky scenarios (passed on a retry): 1" in out and "flaky.feature:2 Flaky › Fails once (2 attempts)" in out


def test_repeats_are_one_row_per_scenario(tmp_path):
    """pytest-repeat's --count runs each scenario as several tests: still one row each."""
    (tmp_path / "flaky.feature").write_text(FEATURE)
    (tmp_path / "test_flaky.py").write_text(STEPS)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_bdd.plugin", "-p", "xdist.plugin", "-p", "pytest_rerunfailures", "-p", "pytest_repeat", "-p", "portal_suite.selection", "-p", "harness.conformance",
         "-p", "drivers.plugin", "-p", "no:cacheprovider", "-p", "no:randomly", "--count", "2",
         "--conformance", "out/conformance", "test_flaky.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1 and "4 tests" not in done.stdout, done.stdout + done.stderr
    report = json.loads((tmp_path / "out" / "conformance.json").read_text())
    assert [(row["scenario"], row["outcome"], row["attempts"]) for row in report["scenarios"]] == [
        ("Fails once", "failed", 2), ("Always fails", "failed", 2)]
    assert report["counts"] == {"passed": 0, "failed": 2, "skipped": 0}
