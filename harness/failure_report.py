"""How a failing scenario reports itself (a pytest plugin of the acceptance suite), from
its record (portal_suite.record):

- the failure screenshot, taken when the scenario fails, goes into the record (the
  cucumber JSON embeds it) and, with --html, into the report row, captioned with the
  failing step and the last actions taken;
- the failure names where it happened in the feature file: a "Gherkin step" section, the
  same place at the head of the one-line summary (also with -q), and a `gherkin_step`
  property in the JUnit XML (which `make mutants` and the article's shooter read).
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest

from portal_suite.record import FAILED, ScenarioRecord, set_property
from steps.world import PORTAL_KEY

GHERKIN_STEP_PROPERTY = "gherkin_step"


@dataclass(frozen=True)
class GherkinPlace:
    """Where a scenario failed, as the feature file says it."""

    file: str
    line: int
    feature: str
    scenario: str
    step: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.feature} › {self.scenario} › {self.step}"

    def block(self) -> str:
        return (f"Feature:  {self.feature}  ({self.file})\nScenario: {self.scenario}\n"
                f"Step:     {self.step}  (line {self.line})")


def place_of(record: ScenarioRecord) -> GherkinPlace | None:
    step = record.failed_step
    if step is None:
        return None
    return GherkinPlace(record.file, step.line, record.feature, record.scenario, step.text())


def pytest_scenario_record_made(item: pytest.Item, record: ScenarioRecord, report: pytest.TestReport) -> None:
    if record.outcome != FAILED:
        return
    place = place_of(record)
    if place is not None and report.when == "call":
        set_property(item, GHERKIN_STEP_PROPERTY, str(place))
    portal = item.stash.get(PORTAL_KEY, None)
    if portal is None:
        return
    try:
        png = portal.page.screenshot(full_page=True, timeout=5000)
    except Exception as error:  # a crashed page: the report still says why the test failed
        report.sections.append(("Failure screenshot", f"not taken: {error}"))
        return
    record.screenshot_png_b64 = base64.b64encode(png).decode()
    html = item.config.pluginmanager.getplugin("html")
    if html is None or not getattr(item.config.option, "htmlpath", None):
        return
    failed_step = place.step if place is not None else "the scenario"
    caption = f"Failed at: {failed_step} — after: {portal.journal.tail()}"
    report.extras = [*getattr(report, "extras", []), html.extras.png(record.screenshot_png_b64, name=caption)]
