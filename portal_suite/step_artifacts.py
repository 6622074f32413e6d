"""What each Gherkin step leaves beside its status (SPEC §11), through pytest-bdd's public
hooks and pytest-playwright's own fixtures (the scenario's `context` and `page`, never
redefined):

- `--step-screenshots`: after each step that passed, a screenshot of the page goes into the
  step's record (portal_suite.record), which the cucumber JSON embeds on that step, the
  HTML report shows captioned with the step, and Allure attaches to the step. Off by
  default: it costs a screenshot per step. A step run before the scenario's browser
  opened (a Given that only sets up the account) has no page to show; a failed step has
  the failure screenshot instead (harness.failure_report).
- With Playwright tracing on (`--tracing on|retain-on-failure`), each step's browser
  actions are one group of the trace, named after the step and pointing at its line in
  the feature file, so the trace viewer reads as the scenario.

Both look at the browser only once the scenario has opened it: asking for `page` before
would open the context during the Givens, before the driver seeds the account.
"""
from __future__ import annotations

import base64
import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError

from portal_suite.record import step_record

_GROUPED = pytest.StashKey[object]()  # the context whose trace has the running step's group open
SHOT_TIMEOUT_MS = 5000


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--step-screenshots", action="store_true", default=False,
                     help="after each Gherkin step, a screenshot of the page, shown with that step in the "
                          "cucumber JSON, the HTML report and Allure (off by default: it costs time)")


def _opened(request: pytest.FixtureRequest, name: str):
    """pytest-playwright's fixture `name` if the scenario has it already, else None."""
    return request.getfixturevalue(name) if name in request.fixturenames else None


def _tracing(config: pytest.Config) -> bool:
    return config.getoption("--tracing", default="off") in ("on", "retain-on-failure")


# pytest-bdd calls this once the step's fixtures are made: the context is open by then
# when the step itself opens the browser.
def pytest_bdd_before_step_call(request, feature, scenario, step, step_func, step_func_args) -> None:
    context = _opened(request, "context") if _tracing(request.config) else None
    if context is None:
        return
    context.tracing.group(f"{step.keyword} {step.name}",
                          location={"file": feature.filename, "line": step.line_number, "column": 1})
    request.node.stash[_GROUPED] = context


def _end_group(request) -> None:
    context = request.node.stash.get(_GROUPED, None)
    if context is not None:
        del request.node.stash[_GROUPED]
        context.tracing.group_end()


# tryfirst: before Allure closes the step (so the screenshot is attached to it) and before
# portal_suite.record marks it passed.
@pytest.hookimpl(tryfirst=True)
def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args) -> None:
    if request.config.getoption("--step-screenshots"):
        _shoot(request, step)
    _end_group(request)


def _shoot(request, step) -> None:
    page = _opened(request, "page")
    mine = step_record(request.node, step)
    if page is None or mine is None:
        return
    try:
        png = page.screenshot(full_page=True, timeout=SHOT_TIMEOUT_MS)
    except PlaywrightError:  # the step passed; a page that cannot be shot leaves it without a picture
        return
    mine.screenshot_png_b64 = base64.b64encode(png).decode()
    request.node.ihook.pytest_scenario_step_shot(item=request.node, step=mine, png=png)


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception) -> None:
    with contextlib.suppress(PlaywrightError):  # a browser gone with the failure: the step's own error stands
        _end_group(request)
