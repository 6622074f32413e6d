"""A control renamed in the product turns the run red in about the time of a green run,
against a portal started on its own and reached with --base-url (as a QA team's gate
reaches staging), and every failure names the Gherkin step and the controls that are there.

The rename is made in a copy of the repository (bench.mutants), never here: the change
page's "Continue" button becomes "Next". The copy is served by `portal-sim serve
--testing` in a process of its own, and the same scenarios run against it with
--base-url, first untouched, then renamed (served afresh), one after the other on this
machine, so the two times are comparable.

Why six scenarios: each run also pays a fixed part that does not grow with the suite
(Python and the plugins starting, every scenario collected, the browser launched), about
2 s here against 5 s for six scenarios of about 0.8 s each. That fixed part is the same
in both runs, so it pulls the ratio towards 1: with six scenarios a red run within 1.5x
still bounds each scenario's red time to about 1.7x its green time. The scenarios'
own times (JUnit's, the fixed part left out) are held to 1.5x too, so a slow miss cannot
hide behind the start-up. Before pages.patience, a miss waited the whole --ui-timeout
once per worker (15 s with --base-url) and a tenth of it after: 4x here, 2x on the
whole suite. Six scenarios keep the test to about 20 s for `make test`.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.mutants import Edit, Run, apply, copy_repo, run_suite
from harness.portal_process import PortalProcess

# Six examples of price_calculation.feature's first outline (Basic Monthly to Start on
# 2026-03-17): each clicks "Continue" on the change page.
SCENARIOS = ["-k", "todays_charge_for and 2026-03-17-Basic-Monthly-2026-04-01-Start"]
COUNT = 6
RENAME = Edit("simulator/templates/change.html", '>{{ _("Continue") }}</button>', ">Next</button>")
STEP = 'When she reviews the change to "'
AT_MOST = 1.5


def served_run(copy: Path) -> tuple[Run, str, float]:
    """The scenarios against the copy's portal served on its own: the run, the portal's
    address and the seconds the scenarios themselves took (JUnit's times)."""
    with PortalProcess(checkout=copy) as portal:
        run = run_suite(copy, *SCENARIOS, "--base-url", portal.url, timeout=300)
    junit = ET.parse(copy / "reports" / "mutant-junit.xml")
    return run, portal.url, sum(float(case.get("time", 0)) for case in junit.iter("testcase"))


def test_a_renamed_control_on_a_served_portal_fails_every_scenario_fast_naming_the_step(tmp_path):
    copy = copy_repo(tmp_path)
    green, _, green_scenarios = served_run(copy)
    assert green.green, green.output[-3000:]
    assert f"{COUNT} passed" in green.output, green.output[-500:]

    apply(copy, [RENAME])
    red, url, red_scenarios = served_run(copy)

    assert red.red, red.output[-3000:]
    assert len(red.failures) == COUNT, red.output[-3000:]
    for failure in red.failures:
        assert f"› {STEP}" in failure.step, failure
        assert failure.step.startswith("features/price_calculation.feature:"), failure
        # the service's address carries the id the portal driver gave this scenario's account
        assert re.search(r"Continue button not found on /services/dns/\d+/change", failure.message), failure
        assert "buttons there: Next" in failure.message, failure
    assert "Step:     When she reviews the change to" in red.output  # the failure block, also with -q
    # The conformance report calls it the suite's gap on that portal, not a difference.
    report = json.loads((copy / "reports" / "conformance.json").read_text(encoding="utf-8"))
    assert report["portal"] == url, report["portal"]
    assert report["failures"] == {"differs": 0, "not driven": COUNT, "error": 0}, report["failures"]
    print(f"green in {green.seconds:.1f} s (scenarios {green_scenarios:.1f} s), "
          f"red in {red.seconds:.1f} s (scenarios {red_scenarios:.1f} s)")
    assert red.seconds <= AT_MOST * green.seconds, (
        f"red in {red.seconds:.1f} s, green in {green.seconds:.1f} s: more than {AT_MOST}x")
    assert red_scenarios <= AT_MOST * green_scenarios, (
        f"red scenarios took {red_scenarios:.1f} s, green ones {green_scenarios:.1f} s: more than {AT_MOST}x")
