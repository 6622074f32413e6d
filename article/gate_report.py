"""A pytest plugin: visual comparisons that could not be made, in the run's summary line.

A gate test that could not compare an image (another browser build rendered the committed
one and the pixels differ beyond the threshold) records the user property
NOT_MADE_PROPERTY; this plugin counts such tests as "not made" instead of "passed", so the
run ends with e.g. "120 passed, 2 not made in 95 s", and lists each with its reason.
tests/conftest.py loads it; it works under xdist (user properties travel with reports).
"""
from __future__ import annotations

import os

import pytest

from . import gate

NOT_MADE_PROPERTY = "visual comparison not made"
CATEGORY = "not made"


def _reason(report) -> str | None:
    return next((value for name, value in getattr(report, "user_properties", ())
                 if name == NOT_MADE_PROPERTY), None)


def pytest_report_teststatus(report, config):
    if report.when == "call" and report.passed and _reason(report) is not None:
        return CATEGORY, "N", ("NOT MADE", {"yellow": True})
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reports = terminalreporter.stats.get(CATEGORY, [])
    if not reports:
        return
    terminalreporter.section("visual comparisons not made", sep="=", yellow=True, bold=True)
    for report in reports:
        terminalreporter.line(f"NOT MADE {report.nodeid}: {_reason(report)}")
    terminalreporter.line("render with the build in docs/img/renderer.txt (CHROMIUM_PATH) to compare "
                          "them, or accept this build's images with `portal-docs build --update`")


def settle(verdict: gate.Verdict, name: str, record_property, committed: str | None = None,
           diffs: str = "reports/visual-diff") -> None:
    """End a gate test on `verdict` for image `name` (committed as `committed`, default
    docs/img/NAME.png): fail a changed image; record a comparison not made (fail it under
    VISUAL_GATE_STRICT); let a match pass."""
    committed = committed or f"docs/img/{name}.png"
    where = f"see {diffs}/{name}.diff.png and {name}.actual.png"
    if verdict.outcome == gate.CHANGED:
        pytest.fail(f"{committed} changed: {verdict.detail}; {where}; if the change is "
                    f"intended, run `portal-docs build --update`")
    if verdict.outcome == gate.NOT_MADE:
        if os.environ.get("VISUAL_GATE_STRICT"):
            pytest.fail(f"{committed}: comparison not made: {verdict.detail}; {where}")
        record_property(NOT_MADE_PROPERTY, verdict.detail)
