"""Allure results (allure-pytest-bdd, `--alluredir DIR`) carry what the other reports carry
(SPEC §11): the steps (allure-pytest-bdd's own), every tag of the scenario as it is written
(`guide:upgrade-5`, `needs:clock`, also Examples' and Rules') plus `guide` and `needs` labels
to group by, the failure screenshot, and the Playwright trace of a failed scenario
(`--tracing retain-on-failure`) as attachments; with --step-screenshots, each step's
screenshot attached to that step. Inactive without allure-pytest-bdd or
without --alluredir."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest

from portal_suite.gherkin import place_of
from portal_suite.record import FAILED, ScenarioRecord

try:
    import allure
except ImportError:  # allure-pytest-bdd is not installed: nothing to do
    allure = None


def _active(config: pytest.Config) -> bool:
    return allure is not None and bool(getattr(config.option, "allure_report_dir", None))


def pytest_bdd_before_scenario(request, feature, scenario) -> None:
    if not _active(request.config):
        return
    place = place_of(request.node)
    tags = list(dict.fromkeys(place.tags if place else sorted(scenario.tags | feature.tags)))
    for tag in tags:
        allure.dynamic.tag(tag)
        kind, colon, value = tag.partition(":")
        if colon and kind in ("guide", "needs"):
            allure.dynamic.label(kind, value)


@pytest.hookimpl(trylast=True)  # after harness.failure_report has taken the screenshot
def pytest_scenario_record_made(item: pytest.Item, record: ScenarioRecord, report: pytest.TestReport) -> None:
    if not _active(item.config) or record.outcome != FAILED or not record.screenshot_png_b64:
        return
    step = record.failed_step
    _attach(lambda: allure.attach(base64.b64decode(record.screenshot_png_b64),
                                  name=f"failed at: {step.text() if step else record.when}",
                                  attachment_type=allure.attachment_type.PNG))


@pytest.hookimpl
def pytest_scenario_step_shot(item: pytest.Item, step, png: bytes) -> None:
    """--step-screenshots: the page after the step, attached to the step (still open)."""
    if _active(item.config):
        _attach(lambda: allure.attach(png, name=f"after: {step.text()}", attachment_type=allure.attachment_type.PNG))


def _attach(attach) -> None:
    """Allure has no test open for a scenario allure-pytest-bdd did not start (one failing
    before its first step, or on an undefined step): its attachments are dropped, not the run."""
    try:
        attach()
    except KeyError:
        pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem):
    """pytest-playwright writes a failed scenario's trace when its context closes (in this
    teardown), into a folder named after the test's slugified node id: attach the trace it
    wrote while Allure still has the test open."""
    active = _active(item.config)
    output = Path(item.config.getoption("--output", default="test-results"))
    before = {trace: trace.stat().st_mtime for trace in output.glob("*/trace.zip")} if active else {}
    yield
    if not active:
        return
    from slugify import slugify  # pytest-playwright's own dependency, which names the folders

    mine = slugify(item.nodeid)[:40]
    for trace in sorted(output.glob("*/trace.zip")):
        if before.get(trace) != trace.stat().st_mtime and trace.parent.name.startswith(mine):
            _attach(lambda: allure.attach.file(str(trace), name="Playwright trace (playwright show-trace)",
                                               extension="zip"))
