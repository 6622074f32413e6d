"""A control renamed in the product turns the suite red in about the time of a
green run, and every failure names the Gherkin step and the controls that are there.

The rename is made in a copy of the repository (bench.mutants), never here: the
change page's "Continue" button becomes "Next". The same scenarios run first
against the untouched copy, then against the renamed one, one after the other
on this machine, so the two times are comparable.
"""
from __future__ import annotations

import json
import re

from bench.mutants import Edit, apply, copy_repo, run_suite

# The twelve examples of price_calculation.feature's first outline: each clicks "Continue".
SCENARIOS = ["-k", "todays_charge_for"]
RENAME = Edit("simulator/templates/change.html", '>{{ _("Continue") }}</button>', ">Next</button>")
STEP = 'When she reviews the change to "'
# Without the shortened wait for a control already found missing, these twelve take
# about four times the green run (a full timeout each); with it, about as long.
AT_MOST = 2.5


def test_a_renamed_control_fails_every_scenario_fast_naming_the_step(tmp_path):
    copy = copy_repo(tmp_path)
    green = run_suite(copy, *SCENARIOS, timeout=300)
    assert green.green, green.output[-3000:]
    scenarios = int(green.output.rsplit(" passed", 1)[0].split()[-1])
    assert scenarios >= 12, green.output[-500:]

    apply(copy, [RENAME])
    red = run_suite(copy, *SCENARIOS, timeout=300)

    assert red.red, red.output[-3000:]
    assert len(red.failures) == scenarios, red.output[-3000:]
    for failure in red.failures:
        assert f"› {STEP}" in failure.step, failure
        assert failure.step.startswith("features/price_calculation.feature:"), failure
        # the service's address carries the id the portal driver gave this scenario's account
        assert re.search(r"Continue button not found on /services/dns/\d+/change", failure.message), failure
        assert "buttons there: Next" in failure.message, failure
    assert "Step:     When she reviews the change to" in red.output  # the failure block, also with -q
    # The conformance report calls it the suite's gap on that portal, not a difference.
    report = json.loads((copy / "reports" / "conformance.json").read_text(encoding="utf-8"))
    assert report["failures"] == {"differs": 0, "not driven": scenarios, "error": 0}, report["failures"]
    print(f"green in {green.seconds:.1f} s, red in {red.seconds:.1f} s")
    assert red.seconds <= AT_MOST * green.seconds, (
        f"red in {red.seconds:.0f} s, green in {green.seconds:.0f} s: more than {AT_MOST}x")
