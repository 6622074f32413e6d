"""The acceptance scenarios against ONE separate portal process (`portal-sim serve
--testing --db FILE`) reached with --base-url, two workers at once, as CI shards
share a staging portal; and with a driver that lacks capabilities, whose scenarios
are skipped with the reason, never run half-way (SPEC §9)."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from harness.control_client import SimulatorControl
from harness.portal_process import PortalProcess
from steps.world import SAMPLE
from tests.marks import bench_only

ROOT = Path(__file__).resolve().parent.parent


def run_suite(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    """pytest over the acceptance scenarios; its answer and its conformance report."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_acceptance.py", "-p", "no:cacheprovider", "-p", "no:randomly", "-q",
         "--output", str(tmp_path / "artifacts"), "--conformance", str(tmp_path / "conformance"),
         *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    report = tmp_path / "conformance.json"
    assert report.exists(), run.stdout[-3000:] + run.stderr[-2000:]
    return run, json.loads(report.read_text(encoding="utf-8"))


def test_the_scenarios_pass_in_parallel_against_one_portal(tmp_path):
    with PortalProcess(db=tmp_path / "state.db") as portal:
        # The scenarios that move their account's clock or pay its invoices while others
        # run (what a shared portal could mix up between workers): a tenth of the suite, to
        # keep `make test` short (the whole suite passes so too, with -n 4).
        run, report = run_suite(tmp_path, "--base-url", portal.url, "-n", "2", "-m",
                                "needs(capability='clock') or needs(capability='pay')")
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        scenarios = report["counts"]["passed"]
        assert scenarios >= 8 and report["counts"] == {"passed": scenarios, "failed": 0, "skipped": 0}
        assert (report["portal"], report["driver"]) == (portal.url, "simulator")
        # They really drove that process, a tenant each: the next one gets a later number.
        _, seeded = SimulatorControl(portal.url).create_tenant(copy.deepcopy(SAMPLE))
        assert int(seeded["tenant"].removeprefix("t")) > scenarios


# The scenarios of two features whose tags say they move the clock, record a payment
# or read a balance, and the reason they are skipped by a driver that cannot.
CLOCK = ("portal driver 'simulator-without-clock-pay-state' lacks clock "
         "(moves the account's clock during a scenario)")
PAY = ("portal driver 'simulator-without-clock-pay-state' lacks pay "
       "(records the payment of an invoice (a bank transfer arriving))")
STATE = ("portal driver 'simulator-without-clock-pay-state' lacks state "
         "(reads the account's back-office state (its credit balance))")
EXPECTED_SKIPS = sorted([
    ('A change being provisioned shows "Change in progress", then the new plan', CLOCK),
    ("Refreshing before provisioning is done still shows the change in progress", CLOCK),
    ("A bank-transfer invoice stays Unpaid and the change waits for the payment", PAY),
    ("A change settles the difference as a charge or as a credit", STATE),  # both rows
    ("A change settles the difference as a charge or as a credit", STATE),
])


def test_a_driver_without_clock_pay_and_state_skips_the_scenarios_that_need_them(tmp_path):
    run, report = run_suite(
        tmp_path, "--portal-driver", "tests.drivers:NoClockDriver",
        "-m", "guide(id='faq-display-not-updating') or guide(id='prerequisites')", "-rs")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert report["driver"] == "tests.drivers:NoClockDriver"
    skipped = sorted((row["scenario"], row["detail"]) for row in report["scenarios"]
                     if row["outcome"] == "skipped")
    assert skipped == EXPECTED_SKIPS
    passed = [row["scenario"] for row in report["scenarios"] if row["outcome"] == "passed"]
    assert len(passed) == len(report["scenarios"]) - len(EXPECTED_SKIPS) >= 5
    assert "While its invoice is Unpaid the change page and the review typed by its address point to it" in passed
    assert CLOCK in run.stdout  # -rs names the reason in the terminal summary too


REFUSED = "refused by portal driver 'simulator-global-tax-no-quarterly': this portal "


@bench_only("tests/test_refusals_in_conformance.py (a refusing driver, its reasons grouped)")
def test_a_driver_that_cannot_represent_a_scenario_skips_it_with_its_reason(tmp_path):
    """tests.drivers:GlobalTaxDriver refuses at seed time (CannotSeed) any tax but 10% added
    and any quarterly price: whether it seeds in a fixture (the login of the Background) or
    in a step, the scenario is skipped with its reason, and the report groups the reasons."""
    run, report = run_suite(
        tmp_path, "--portal-driver", "tests.drivers:GlobalTaxDriver", "-n", "2",
        "-k", "tax_is_added or without_tax or half_a_cent or downgrade_charges_nothing")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    outcomes = sorted((row["scenario"], row["example"].split("-")[0], row["outcome"], row["kind"],
                       row["detail"].removeprefix(REFUSED)) for row in report["scenarios"])
    quarterly = "has no quarterly prices (Basic, Start have one)"
    downgrade = "A downgrade charges nothing today: "
    assert outcomes == sorted([
        ("A difference of exactly half a cent rounds up, and the tax is worked out on the rounded amount",
         "", "passed", "", ""),
        ("Tax is added to the difference, or already included in it", "10% added", "passed", "", ""),
        ("Tax is added to the difference, or already included in it", "10% included", "skipped",
         "refused by the driver", "has one tax for all accounts, 10% added, not 10% included"),
        ("Tax is added to the difference, or already included in it", "8% added", "skipped",
         "refused by the driver", "has one tax for all accounts, 10% added, not 8% added"),
        ("Without tax there is no tax row", "", "skipped", "refused by the driver",
         "has one tax for all accounts, 10% added, not 0% added"),
        (downgrade + "Business Annually → Start Monthly, immediately", "Business", "skipped",
         "refused by the driver", quarterly),
        (downgrade + "Start Monthly → Basic Annually, at the next renewal", "Start", "skipped",
         "refused by the driver", quarterly),
        (downgrade + "Start Monthly → Basic Monthly, at the next renewal", "Start", "skipped",
         "refused by the driver", quarterly),
        (downgrade + "Start Monthly → Basic Monthly, immediately", "Start", "skipped",
         "refused by the driver", quarterly),
    ])
    assert report["skips"] == {"refused by the driver": 7}
    markdown = (tmp_path / "conformance.md").read_text(encoding="utf-8")
    assert "- Skipped: 7: 7 refused by the driver" in markdown
    assert f"- {REFUSED}{quarterly} (4):" in markdown
