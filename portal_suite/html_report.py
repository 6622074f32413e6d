"""The pytest-html report as a QA lead reads it (SPEC §11), from the scenario records
(portal_suite.record): each row named "Feature › Scenario [row]" (the test id in its
tooltip), a Tags column, and as the first thing of the row's detail the scenario's steps
with their status and time, the failing step marked and its message under it, then the
failure's Gherkin-first text and the suite's own frames (framework frames hidden). A
passing row shows its steps instead of "No log output captured". With --step-screenshots
the row's images are, after the failure screenshot, the page after each step, captioned
with the step.

pytest-html is kept (not Allure or a Cucumber reporter) because it is one self-contained
file with no runtime to install, it already carries the failure screenshot and trace link,
and the same run's cucumber JSON feeds the Cucumber reporters for those who want them.
"""
from __future__ import annotations

from html import escape

import pytest

from portal_suite.record import RECORD_PROPERTY, ScenarioRecord

MARKS = {"passed": "✔", "failed": "✘", "undefined": "?", "skipped": "–"}


def _record(report: pytest.TestReport) -> ScenarioRecord | None:
    data = getattr(report, RECORD_PROPERTY, None)
    return ScenarioRecord.from_dict(data) if data else None


def steps_text(record: ScenarioRecord) -> str:
    """The scenario as Gherkin, each step with its status and time."""
    lines = [f"Feature:  {record.feature}  ({record.file}:{record.feature_line})",
             f"{record.keyword}: {record.scenario}" + (f"  [{record.example}]" if record.example else ""),
             f"Tags:     {' '.join('@' + tag for tag in record.tags) or '(none)'}"
             + (f"   (passed after {record.attempts} attempts: flaky)" if record.flaky else ""), ""]
    failed = record.failed_step if record.outcome == "failed" else None
    for step in record.steps:
        took = f"{step.duration_ns / 1e9:.2f} s" if step.status in ("passed", "failed") else step.status
        lines.append(f"  {MARKS.get(step.status, ' ')} {step.text():<64} line {step.line:<4} {took}")
        for row in step.datatable or ():
            lines.append("      | " + " | ".join(row) + " |")
        if step is failed:
            lines += [f"      {line}" for line in record.message.splitlines()]
    if record.outcome == "failed" and failed is None:
        lines += ["", f"  ✘ {record.when} of the scenario: {record.message}"]
    if record.outcome == "skipped":
        lines += ["", f"  skipped: {record.message}"]
    return "\n".join(lines) + "\n"


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the records' screenshots reach the controller once
        config.pluginmanager.register(StepScreenshots(), "html-step-screenshots")


class StepScreenshots:
    # tryfirst: pytest-html reads a report's images in its own (trylast) pytest_runtest_logreport.
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = _record(report) if report.when == "call" else None
        shots = [step for step in record.steps if step.screenshot_png_b64] if record else []
        if shots:
            report.extras = [*getattr(report, "extras", []),
                             *(_png(step.screenshot_png_b64, f"after: {step.text()}") for step in shots)]


def _png(content_b64: str, name: str) -> dict:
    """An image of a report row, as pytest_html.extras.png makes it (pytest-html may be absent)."""
    return {"name": name, "format_type": "image", "extension": "png", "mime_type": "image/png",
            "content": content_b64}


@pytest.hookimpl(optionalhook=True)
def pytest_html_results_table_header(cells: list) -> None:
    cells.insert(2, "<th>Tags</th>")


@pytest.hookimpl(optionalhook=True)
def pytest_html_results_table_row(report: pytest.TestReport, cells: list) -> None:
    record = _record(report)
    if record is None:
        cells.insert(2, '<td class="col-tags"></td>')
        return
    title = escape(record.title())
    if report.when != "call":
        title += f" ({report.when})"
    cells[1] = f'<td class="col-testId" title="{escape(report.nodeid)}">{title}</td>'
    tags = " ".join(escape("@" + tag) for tag in record.tags) + (" @flaky" if record.flaky else "")
    cells.insert(2, f'<td class="col-tags">{tags}</td>')


@pytest.hookimpl(optionalhook=True)
def pytest_html_results_table_html(report: pytest.TestReport, data: list) -> None:
    record = _record(report)
    if record is None:
        return
    # Under xdist a passing row's log is only the worker's "[gw0] linux -- Python ..." line.
    if all(entry == "No log output captured." or (entry.startswith("[gw") and "\n" not in entry.strip())
           for entry in data):
        data.clear()
    data.insert(0, escape(steps_text(record)) + "\n")


@pytest.hookimpl(optionalhook=True)
def pytest_html_report_title(report) -> None:
    report.title = "Acceptance scenarios"
