"""The conformance report (SPEC §9): every scenario's outcome, with the failing step or
the reason for a skip, and the run's driver, profile, portal, date and commit; merged on
the xdist controller. Checked on a small feature of its own, without a browser."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FEATURE = """\
Feature: Demo
  Scenario: A step that holds
    Given a number 1
    Then it is 1

  Scenario: A step that does not
    Given a number 2
    Then it is 3

  @needs:clock
  Scenario: Time passes
    Given a number 1
    Then it is 1

  Scenario Outline: Rows of an outline
    Given a number <n>
    Then it is <n>

    Examples:
      | n |
      | 4 |

    @needs:pay
    Examples:
      | n |
      | 5 |
"""

STEPS = """\
from pytest_bdd import given, parsers, scenarios, then

scenarios("demo.feature")


@given(parsers.parse("a number {n:d}"), target_fixture="number")
def _(n):
    return n


@then(parsers.parse("it is {n:d}"))
def _(number, n):
    assert number == n, f"{number} is not {n}"
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_the_report_says_each_scenarios_outcome(tmp_path, workers):
    (tmp_path / "demo.feature").write_text(FEATURE)
    (tmp_path / "test_demo.py").write_text(STEPS)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "harness.conformance", "-p", "drivers.plugin",
         "-p", "no:cacheprovider", "-p", "no:randomly", "--portal-driver", "tests.drivers:NoClockDriver",
         "--conformance", str(tmp_path / "out" / "conformance"), "-q", *workers, "test_demo.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 1, run.stdout + run.stderr  # one scenario fails
    report = json.loads((tmp_path / "out" / "conformance.json").read_text())
    assert report["driver"] == "tests.drivers:NoClockDriver" and report["ui_profile"] == "en"
    assert report["portal"] == "embedded simulator" and report["date"] and report["commit"]
    assert [row["line"] for row in report["scenarios"]] == [2, 6, 11, 15, 15]  # file order
    outcomes = {(row["scenario"], row["example"]): (row["outcome"], row["detail"])
                for row in report["scenarios"]}
    lacks = "portal driver 'simulator-without-clock-pay-state' lacks"
    assert outcomes == {
        ("A step that holds", ""): ("passed", ""),
        ("A step that does not", ""): ("failed", "line 8: Then it is 3: AssertionError: 2 is not 3 assert 2 == 3"),
        ("Time passes", ""): ("skipped", f"{lacks} clock (moves the account's clock during a scenario)"),
        ("Rows of an outline", "4"): ("passed", ""),
        ("Rows of an outline", "5"): ("skipped", f"{lacks} pay (records the payment of an invoice "
                                                 "(a bank transfer arriving))"),
    }
    assert report["counts"] == {"passed": 2, "failed": 1, "skipped": 2}
    markdown = (tmp_path / "out" / "conformance.md").read_text()
    assert "- Driver: `tests.drivers:NoClockDriver`" in markdown
    assert "| Demo (demo.feature) | A step that does not | failed | line 8: Then it is 3: " in markdown
