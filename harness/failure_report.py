"""How a failing scenario reports itself (a pytest plugin of the acceptance suite).

- The failure names where it happened in the feature file: a "Gherkin step" block
  under the traceback, the same place at the head of the one-line summary (both
  also with -q), and a `gherkin_step` property in the JUnit XML (which
  `make mutants` reads).
- With --html, the report embeds a screenshot captioned with the failing step
  and the last actions taken.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest

from steps.world import PORTAL_KEY

FAILED_STEP_KEY = pytest.StashKey["GherkinPlace"]()


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


def _remember_failed_step(request, feature, scenario, step) -> None:
    place = GherkinPlace(feature.rel_filename, step.line_number, feature.name, scenario.name,
                         f"{step.keyword} {step.name}")
    request.node.stash[FAILED_STEP_KEY] = place
    request.node.user_properties.append(("gherkin_step", str(place)))


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    _remember_failed_step(request, feature, scenario, step)


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception):
    _remember_failed_step(request, feature, scenario, step)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    place = item.stash.get(FAILED_STEP_KEY, None)
    if place is not None:
        # The failure block and the one-line summary (also with -q) name the Gherkin step.
        report.sections.append(("Gherkin step", place.block()))
        crash = getattr(report.longrepr, "reprcrash", None)
        if crash is not None:
            crash.message = f"{place} — {crash.message}"
    html = item.config.pluginmanager.getplugin("html")
    portal = item.stash.get(PORTAL_KEY, None)
    if html is None or not getattr(item.config.option, "htmlpath", None) or portal is None:
        return
    try:
        png = portal.page.screenshot(full_page=True, timeout=5000)
    except Exception as error:  # a crashed page: the report still says why the test failed
        report.sections.append(("Failure screenshot", f"not taken: {error}"))
        return
    failed_step = place.step if place is not None else "the scenario"
    caption = f"Failed at: {failed_step} — after: {portal.journal.tail()}"
    report.extras = [*getattr(report, "extras", []), html.extras.png(base64.b64encode(png).decode(), name=caption)]
