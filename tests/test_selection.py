"""Selecting scenarios as Cucumber does (portal_suite.selection, SPEC §11): a scenario by
`file.feature:LINE`, a feature by its file, the same tag markers on a scenario, a Rule and
an Examples block, and `--lf` rerunning only what failed (the cache is on)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FEATURE = """\
@guide:demo-1
Feature: Demo

  Scenario: One holds
    Given a number 1
    Then it is 1

  @needs:clock
  Scenario: One fails
    Given a number 2
    Then it is 3

  Rule: Outlines

    @guide:demo-2
    Scenario Outline: Rows
      Given a number <n>
      Then it is <n>

      Examples:
        | n |
        | 4 |
        | 5 |

      @needs:clock
      Examples:
        | n |
        | 6 |
"""

STEPS = """\
from pytest_bdd import given, parsers, then

from portal_suite.gherkin import scenarios

scenarios("../features")


@given(parsers.parse("a number {n:d}"), target_fixture="number")
def _(n):
    return n


@then(parsers.parse("it is {n:d}"))
def _(number, n):
    assert number == n
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "demo.feature").write_text(FEATURE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_acceptance.py").write_text(STEPS)
    (tmp_path / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    return tmp_path


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_bdd.plugin", "-p", "portal_suite.selection", *args],
        cwd=folder, capture_output=True, text=True, timeout=120,
        # pytest-bdd alone: no browser plugins to import in each of these short runs
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})


def collected(folder: Path, *args: str) -> list[str]:
    run = pytest_in(folder, "--collect-only", "-q", *args)
    assert run.returncode in (0, 5), run.stdout + run.stderr
    return [line.split("::", 1)[1] for line in run.stdout.splitlines() if "::" in line]


ALL = ["test_one_holds", "test_one_fails", "test_rows[4]", "test_rows[5]", "test_rows[6]"]


LINES = [
    (2, ALL),  # the Feature line
    (4, ["test_one_holds"]),  # a Scenario's line
    (6, ["test_one_holds"]),  # a step of it
    (8, ["test_one_fails"]),  # its tag line
    (13, ["test_rows[4]", "test_rows[5]", "test_rows[6]"]),  # the Rule
    (16, ["test_rows[4]", "test_rows[5]", "test_rows[6]"]),  # the Outline
    (20, ["test_rows[4]", "test_rows[5]"]),  # an Examples block
    (23, ["test_rows[5]"]),  # one row
    (28, ["test_rows[6]"]),  # the other block's row
]
NAMES = {"One holds": "test_one_holds", "One fails": "test_one_fails"}


@pytest.mark.parametrize("line, expected", LINES)
def test_a_line_selects_what_cucumber_would(tmp_path, line, expected):
    from portal_suite.gherkin import parse

    (tmp_path / "demo.feature").write_text(FEATURE)
    places = [place for outline in parse(str(tmp_path / "demo.feature"))[1] for place in outline.places]
    chosen = [NAMES.get(place.scenario) or f"test_rows[{dict(place.row)['n']}]"
              for place in places if place.selected_by(line)]
    assert chosen == expected


@pytest.mark.parametrize("args, expected", [
    (["features/demo.feature"], ALL),
    (["features"], ALL),
    (["features/demo.feature:23"], ["test_rows[5]"]),
    (["features/demo.feature:4", "features/demo.feature:28"], ["test_one_holds", "test_rows[6]"]),
])
def test_a_feature_file_and_line_select_what_cucumber_would(project, args, expected):
    assert collected(project, *args) == expected


def test_a_row_is_found_by_its_values_when_another_plugin_parametrizes_too(project):
    """pytest-repeat's --count (make flake) multiplies the items: a row's line still selects
    that row, each repeat of it (positions no longer say which row an item is)."""
    assert collected(project, "-p", "pytest_repeat", "--count", "2", "features/demo.feature:23") == [
        "test_rows[5-1-2]", "test_rows[5-2-2]"]


def test_a_line_holding_no_scenario_is_an_error_not_an_empty_run(project):
    run = pytest_in(project, "--collect-only", "-q", "features/demo.feature:1000")
    assert run.returncode == 4 and "no scenario at" in run.stderr and "demo.feature:1000" in run.stderr


@pytest.mark.parametrize("expression, expected", [
    ("needs_clock", ["test_one_fails", "test_rows[6]"]),  # a scenario's tag and an Examples block's
    ("needs(capability='clock')", ["test_one_fails", "test_rows[6]"]),
    ("guide_demo_1 and not guide_demo_2", ["test_one_holds", "test_one_fails"]),  # a Feature's and a Rule's
    ("guide(id='demo-2') and not needs_clock", ["test_rows[4]", "test_rows[5]"]),
])
def test_tags_are_the_same_markers_wherever_they_are_written(project, expression, expected):
    assert collected(project, "-m", expression) == expected


@pytest.mark.parametrize("expression, said", [
    ("not needs:clock", "write needs_clock"),
    ("not needs_clok", "no collected scenario is tagged so (needs_clok)"),
])
def test_a_tag_selection_naming_no_tag_stops_the_run(project, expression, said):
    run = pytest_in(project, "--collect-only", "-q", "-m", expression)
    assert run.returncode == 4 and said in run.stderr, run.stdout + run.stderr


def test_an_unreadable_expression_stops_the_run_in_one_line_also_under_xdist(project):
    """An example's name in -k ("$1.00") is no -k word: one line saying so, not an
    INTERNALERROR from each xdist worker."""
    run = pytest_in(project, "-p", "xdist.plugin", "-n", "2", "-k", "rows and $1.00")
    assert run.returncode == 4, run.stdout + run.stderr
    assert "INTERNALERROR" not in run.stdout + run.stderr
    [said] = run.stderr.strip().splitlines()
    assert said.startswith("ERROR: -k 'rows and $1.00': at column 10: unexpected character") and ".feature:LINE" in said


def test_last_failed_reruns_only_the_failed_scenario(project):
    first = pytest_in(project, "-q")
    assert first.returncode == 1 and "1 failed, 4 passed" in first.stdout, first.stdout
    again = pytest_in(project, "-q", "--lf", "-rA")
    summary = again.stdout.splitlines()[-1]
    assert again.returncode == 1 and summary.startswith("1 failed") and "passed" not in summary, again.stdout
    assert "FAILED tests/test_acceptance.py::test_one_fails" in again.stdout
    pytest_in(project, "-q", "--sw")  # stops at the failure and remembers it
    stepwise = pytest_in(project, "-q", "--sw", "-rA")
    summary = stepwise.stdout.splitlines()[-1]
    assert summary.startswith("1 failed") and "passed" not in summary, stepwise.stdout  # starts at the failure
