"""The acceptance suite's pytest plugin: step plugins, the simulator under test, the
browser, reports. A checkout's root conftest.py loads it; installed, `portal-suite`
(portal_suite.cli) runs pytest with it over the installed features.

- By default each pytest process (each xdist worker) serves its own simulator
  (waitress on a free port, control API on). `--base-url URL` runs the same
  scenarios against an already running portal instead (`portal-sim serve
  --testing`, or any portal --portal-driver can seed), also with -n: every
  scenario seeds an account of its own (drivers/, SPEC §9). The embedded
  simulator is served as the UI profile's `simulator:` section says
  (harness.server.ServedAs).
- The browser comes from pytest-playwright's fixtures and options (--headed,
  --slowmo, --tracing, --screenshot); where Playwright's Chromium is missing the
  system one is used (harness.browser).
- Feature tags @guide:<id>, @needs:<capability> and @extra become the markers `guide(id)` and
  `guide_<id>`, `needs(capability)` and `needs_<capability>`, and `extra`, on a scenario, a
  Rule and an Examples block alike; `features/x.feature:LINE` selects a scenario
  (portal_suite.selection).
- Every failure names its feature, scenario and Gherkin step, and with --html
  embeds a captioned screenshot (harness.failure_report).
- --ui-timeout SECONDS (ini `ui_timeout`): how long a step waits for the screen
  before failing; 5 s against the embedded simulator, 15 s with --base-url.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytest.register_assert_rewrite("steps", "pages", "drivers", "harness.conformance")

from portal_suite.gherkin import place_of  # noqa: E402
from portal_suite import given_base_url  # noqa: E402
from harness.browser import video_unavailable  # noqa: E402
from harness.server import ServedAs, ServedAsError  # noqa: E402
from pages.patience import PATIENCE  # noqa: E402
from steps import MODULES  # noqa: E402
from steps.labels import selected_profile  # noqa: E402

pytest_plugins = [*MODULES, "portal_suite.selection", "portal_suite.record", "portal_suite.cucumber",
                  "portal_suite.html_report", "portal_suite.terminal", "portal_suite.step_artifacts", "portal_suite.step_index",
                  "portal_suite.allure_report", "drivers.plugin", "harness.conformance", "harness.remote_browser", "harness.hang_report",
                  "harness.failure_report"]

# Seconds a step waits for the screen: the local simulator answers in milliseconds, so a
# missing control fails in seconds; a staging portal across a network gets longer.
UI_TIMEOUT_LOCAL = 5.0
UI_TIMEOUT_REMOTE = 15.0
SCENARIO_TIMEOUT_S = 180


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--ui-timeout", type=float, default=None, metavar="SECONDS",
        help=f"how long a step waits for a control or a text before failing (default "
             f"{UI_TIMEOUT_LOCAL:g} s against the embedded simulator, {UI_TIMEOUT_REMOTE:g} s with "
             f"--base-url; raise it for a slow staging portal)")
    parser.addini("ui_timeout", help="default for --ui-timeout, in seconds", default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "guide(id): scenario covering the help article's item {@guide:id}")
    config.addinivalue_line("markers", "extra: scenario for behaviour beyond the help article")
    config.addinivalue_line("markers", "smoke: the few scenarios run against a separate or staging portal")
    config.pluginmanager.import_plugin("portal_suite.fixtures")
    if config.getoption("--video", default="off") != "off":
        why_not = video_unavailable()
        if why_not:  # a one-line explanation instead of every scenario failing on a missing ffmpeg
            config.option.video = "off"
            config.issue_config_time_warning(pytest.PytestConfigWarning(why_not), stacklevel=2)
    try:
        ServedAs.of(selected_profile(config))  # a bad `simulator:` section stops the run before any test
    except ServedAsError as error:
        raise pytest.UsageError(f"--ui-profile: {error}") from None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A scenario that hangs (a browser call that never returns) fails after
    SCENARIO_TIMEOUT_S with every thread's stack, instead of holding a CI job or a
    mutant run until it is killed: a scenario takes seconds, failing ones a few timeouts."""
    for item in items:
        if _is_scenario(item) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(SCENARIO_TIMEOUT_S, method="thread"))


def _is_scenario(item: pytest.Item) -> bool:
    """A test pytest-bdd made of a feature's scenario (tests/test_acceptance.py in a checkout,
    portal_suite/test_scenarios.py installed), not one of the project's own tests."""
    return place_of(item) is not None


# tryfirst: pytest-bdd's own implementation (a mark named after the whole tag) answers any tag;
# loaded with -p (portal-suite), this plugin registers before it and would never be asked.
@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function):
    """@extra -> @pytest.mark.extra (@guide: and @needs: tags: portal_suite.selection)."""
    if tag == "extra":
        pytest.mark.extra(function)
        return True
    return None


# --- The run's own fixtures -------------------------------------------------------------

@pytest.fixture(scope="session")
def account_asks(ui_profile) -> dict:
    """What every account seeded for this run asks of the portal: the profile's language,
    and the theme its `simulator:` section names (with --base-url too)."""
    return {**ui_profile.scenario(), **ServedAs.of(ui_profile).scenario()}


@pytest.fixture(scope="session")
def ui_timeout_ms(pytestconfig: pytest.Config) -> float:
    """--ui-timeout (else the ini's ui_timeout, else local or remote default), in ms; it is
    Playwright's default for actions, navigations and `expect`, and the most a step waits
    for a target; one the page settles without fails sooner (pages.patience)."""
    seconds = pytestconfig.getoption("--ui-timeout") or pytestconfig.getini("ui_timeout")
    if not seconds:
        seconds = UI_TIMEOUT_REMOTE if given_base_url(pytestconfig) else UI_TIMEOUT_LOCAL
    try:
        milliseconds = float(seconds) * 1000
    except ValueError:
        raise pytest.UsageError(f"ui_timeout: expected seconds, got {seconds!r}") from None
    if milliseconds <= 0:
        raise pytest.UsageError(f"--ui-timeout: expected seconds > 0, got {seconds}")
    expect.set_options(timeout=milliseconds)
    PATIENCE.timeout_ms = milliseconds
    return milliseconds
