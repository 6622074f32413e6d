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

from harness import conformance

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

  Scenario: The portal shows another total
    Given a number 1
    When she reviews the change
    Then the total reads "$2.73"

  Scenario: A button the profile names is not there
    Given a number 1
    When she clicks "Continue"
    Then it is 1

  Scenario: The profile cannot say how the portal writes yen
    Given a number 1
    Then the amount in yen reads "¥100"

  Scenario: The portal answers 500
    Given a number 1
    When she reviews the change
    And the portal fails
    Then it is 1

  Scenario: A When step's own check
    Given a number 1
    When she checks the number is 2
    Then it is 1

  Scenario: The driver refuses it
    Given a number 1
    When the driver refuses a quarterly price
    Then it is 1

  Scenario: A Then that reads what its tags do not declare
    Given a number 1
    Then the back office says 1

  Scenario: A screen the portal has not
    Given a number 1
    When she opens the computation
    Then it is 1
"""

# Each failure class from the exceptions the suite raises; the long message shows the
# message is never cut (it used to be cut at 300 characters after the scenario's name).
LONG = "x" * 400 + " THE END"
STEPS = f"""\
from pytest_bdd import given, parsers, then, when

from drivers import UndeclaredCapability
from harness import skips
from pages.base import ControlNotFound
from pages.profile import ProfileError
from portal_suite.gherkin import scenarios

scenarios("demo.feature")


@given(parsers.parse("a number {{n:d}}"), target_fixture="number")
def _(n):
    return n


@then(parsers.parse("it is {{n:d}}"))
def _(number, n):
    assert number == n, f"{{number}} is not {{n}}"


@when("she reviews the change")
def _():
    pass


@then(parsers.parse('the total reads "{{total}}"'))
def _(total):
    raise AssertionError(f'Total charge for today amount: expected "{{total}}", the screen shows "$3.07"')


@when('she clicks "Continue"')
def _():
    raise ControlNotFound("Continue button not found on /services/dns/1001/change "
                          "(Upgrade / Downgrade); buttons there: Next")


@then(parsers.parse('the amount in yen reads "{{amount}}"'))
def _(amount):
    raise ProfileError("my-portal.yaml: formats: money: no format for JPY")


@when("the portal fails")
def _():
    raise RuntimeError("POST /__sim__/tenants answered 500: {LONG}")


@when("she checks the number is 2")
def _(number):
    assert number == 2, "the number is not 2"


@when("the driver refuses a quarterly price")
def _():
    skips.skip(skips.REFUSED, "refused by portal driver 'acme': no quarterly prices")


@then("the back office says 1")
def _():
    raise UndeclaredCapability("this scenario uses state but is not tagged @needs:state")


@when("she opens the computation")
def _():
    # A plain skip, grouped by its reason's prefix.
    import pytest
    pytest.skip("absent: my-portal profile: the computation line — this portal shows none")
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_the_report_says_each_scenarios_outcome_and_whose_gap_a_failure_is(tmp_path, workers):
    (tmp_path / "demo.feature").write_text(FEATURE)
    (tmp_path / "test_demo.py").write_text(STEPS)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "harness.conformance", "-p", "drivers.plugin",
         "-p", "no:cacheprovider", "-p", "no:randomly", "--portal-driver", "tests.drivers:NoClockDriver",
         "--conformance", str(tmp_path / "out" / "conformance"), "-q", *workers, "test_demo.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 1, run.stdout + run.stderr  # some scenarios fail
    report = json.loads((tmp_path / "out" / "conformance.json").read_text())
    assert report["driver"] == "tests.drivers:NoClockDriver" and report["ui_profile"] == "en"
    assert report["portal"] == "embedded simulator" and report["date"] and report["commit"]
    assert [row["line"] for row in report["scenarios"]] == [2, 6, 11, 15, 15, 28, 33, 38, 42, 48, 53, 58, 62]
    outcomes = {(row["scenario"], row["example"]): (row["outcome"], row["kind"], row["detail"])
                for row in report["scenarios"]}
    lacks = "portal driver 'simulator-without-clock-pay-state' lacks"
    assert outcomes == {
        ("A step that holds", ""): ("passed", "", ""),
        ("A step that does not", ""): ("failed", "differs", "line 8: Then it is 3"),
        ("Time passes", ""): ("skipped", "capability missing",
                              f"{lacks} clock (moves the account's clock during a scenario)"),
        ("Rows of an outline", "4"): ("passed", "", ""),
        ("Rows of an outline", "5"): ("skipped", "capability missing",
                                      f"{lacks} pay (records the payment of an invoice (a bank transfer arriving))"),
        ("The portal shows another total", ""): ("failed", "differs", 'line 31: Then the total reads "$2.73"'),
        ("A button the profile names is not there", ""): ("failed", "not driven",
                                                          'line 35: When she clicks "Continue"'),
        ("The profile cannot say how the portal writes yen", ""): (
            "failed", "not driven", 'line 40: Then the amount in yen reads "¥100"'),
        ("The portal answers 500", ""): ("failed", "error", "line 45: And the portal fails"),
        ("A When step's own check", ""): ("failed", "error", "line 50: When she checks the number is 2"),
        ("The driver refuses it", ""): ("skipped", "refused by the driver",
                                        "refused by portal driver 'acme': no quarterly prices"),
        # The feature's own error (a missing tag), not a difference of the portal.
        ("A Then that reads what its tags do not declare", ""): ("failed", "error",
                                                                 "line 60: Then the back office says 1"),
        ("A screen the portal has not", ""): (
            "skipped", "absent target", "absent: my-portal profile: the computation line — this portal shows none"),
    }
    rows = {row["scenario"]: row for row in report["scenarios"]}
    total = rows["The portal shows another total"]
    assert (total["expected"], total["shown"]) == ('"$2.73"', '"$3.07"')
    assert rows["A step that does not"]["message"].startswith("AssertionError: 2 is not 3")
    failed_500 = rows["The portal answers 500"]["message"]
    assert failed_500 == f"RuntimeError: POST /__sim__/tenants answered 500: {LONG}"  # whole
    assert rows["A button the profile names is not there"]["message"] == (
        "pages.base.ControlNotFound: Continue button not found on /services/dns/1001/change "
        "(Upgrade / Downgrade); buttons there: Next")
    assert report["counts"] == {"passed": 2, "failed": 7, "skipped": 4}
    assert report["failures"] == {"differs": 2, "not driven": 2, "error": 3}
    assert report["skips"] == {"capability missing": 2, "refused by the driver": 1, "absent target": 1}

    markdown = (tmp_path / "out" / "conformance.md").read_text()
    assert "- Driver: `tests.drivers:NoClockDriver`" in markdown
    assert "- Scenarios: 13: 2 passed, 7 failed, 4 skipped" in markdown
    assert "- Failed: 7: 2 differs, 2 not driven, 3 error" in markdown
    assert "- Skipped: 4: 2 capability missing, 1 refused by the driver, 1 absent target" in markdown
    assert "| Demo (demo.feature) | A step that does not | failed: differs | line 8: Then it is 3 |" in markdown
    # Each failure under its class, its message whole in a block of its own.
    differs = markdown.index("### differs: Demo › The portal shows another total (demo.feature:28)")
    assert markdown.index("### not driven: Demo › A button") > differs
    assert '- Expected: "$2.73"\n- Shown: "$3.07"' in markdown
    assert f"```\nRuntimeError: POST /__sim__/tenants answered 500: {LONG}\n```" in markdown
    assert "### refused by the driver (1)\n\n- refused by portal driver 'acme': no quarterly prices (1):\n" \
           "  - Demo › The driver refuses it (demo.feature:53)" in markdown
    assert f"- {lacks} clock (moves the account's clock during a scenario) (1):" in markdown


@pytest.mark.parametrize("message, said", [
    ('Total charge for today amount: expected "$2.73", the screen shows "$3.07"', ('"$2.73"', '"$3.07"')),
    ("Alice's credit balance (back office): expected 4.39, it is 1.00", ("4.39", "1.00")),
    ('PDF: expected "Invoice #INV-1", the PDF begins "Receipt"', ('"Invoice #INV-1"', '"Receipt"')),
    ("Locator expected to have text '$2.73'\nActual value: $3.07 \nCall log:\n  - Expect \"to_have_text\"",
     ("'$2.73'", "$3.07")),  # Playwright's own expect, unworded by the steps
    ('row of Start not found on /services/dns; services there: Basic (expected "$12.00 / Monthly")', ("", "")),
])
def test_a_difference_says_what_was_expected_and_what_was_shown(message, said):
    assert conformance.expected_and_shown(message) == said
