"""The terminal, Gherkin first (SPEC §11), from the scenario records (portal_suite.record):

- a failure's section is headed "Feature › Scenario [row]" and opens on the feature, the
  scenario, the failing step and the exception's message (expected and shown), then the
  suite's own frames; its line in the short summary starts with the feature file's place;
- `--gherkin-steps`: each scenario's steps as it finishes (✔ passed, ✘ failed, ? undefined,
  – skipped), with the failing step's message, under -n too (the controller prints them);
- at the end, "scenarios failed" lists each failed scenario in a line, with the command that
  reruns it alone (`pytest features/x.feature:LINE`), and the flaky ones (passed on a retry),
  under -n too (the records travel to the controller).
"""
from __future__ import annotations

import pytest

from portal_suite.html_report import MARKS
from portal_suite.record import FAILED, RECORD_PROPERTY, ScenarioRecord, one_line, record_of, records


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--gherkin-steps", action="store_true", default=False,
                     help="print each scenario's Gherkin steps with their outcome as it finishes (also with -n)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--gherkin-steps") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(StepsPrinter(config), "gherkin-steps-printer")


class StepsPrinter:
    def __init__(self, config: pytest.Config):
        self.config = config

    @pytest.hookimpl(tryfirst=True)  # before the progress mark: the steps then begin a line
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, RECORD_PROPERTY, None)
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if data is None or reporter is None or report.outcome == "rerun":
            return
        record = ScenarioRecord.from_dict(data)
        failed = record.failed_step if record.outcome == FAILED else None
        reporter.write_line("")
        reporter.write_line(f"{record.keyword}: {record.title()}  ({record.file}:{record.row_line or record.line}) "
                            f"{record.outcome.upper()}")
        for step in record.steps:
            reporter.write_line(f"    {MARKS.get(step.status, ' ')} {step.text()}",
                                red=step is failed, green=step.status == "passed")
            if step is failed:
                reporter.write_line(f"        {record.message.splitlines()[0] if record.message else ''}", red=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    record = record_of(item)
    if report.failed and record is not None and record.nodeid == item.nodeid:
        report.location = (report.location[0], report.location[1], record.title())


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    done = list(records(config).values())
    failed = [record for record in done if record.outcome == FAILED]
    flaky = [record for record in done if record.flaky]
    if failed:
        terminalreporter.write_sep("=", f"scenarios failed: {len(failed)}", red=True, bold=True)
        for record in sorted(failed, key=lambda record: (record.file, record.line, record.row_line)):
            terminalreporter.write_line(one_line(record))
            terminalreporter.write_line(f"    rerun: pytest {record.file}:{record.row_line or record.line}")
    if flaky:
        terminalreporter.write_sep("=", f"flaky scenarios (passed on a retry): {len(flaky)}", yellow=True)
        for record in flaky:
            terminalreporter.write_line(f"{record.file}:{record.row_line or record.line} {record.title()} "
                                        f"({record.attempts} attempts)")
