"""Acceptance suite wiring: step plugins, the simulator under test, the browser, reports.

- By default each pytest process (each xdist worker) serves its own simulator
  (waitress on a free port, control API on). `--base-url URL` runs the same
  scenarios against an already running `portal-sim serve --testing` instead.
- The browser comes from pytest-playwright's fixtures and options (--headed,
  --slowmo, --tracing, --screenshot); where Playwright's Chromium is missing the
  system one is used (harness.browser).
- Feature tags @guide:<id> and @extra become the markers `guide(<id>)` and `extra`.
- With --html, a failing scenario's report embeds a screenshot captioned with the
  failing step and the last actions taken.
"""
from __future__ import annotations

import base64

import pytest

pytest.register_assert_rewrite("steps", "pages")

from harness import browser as browser_discovery  # noqa: E402
from harness.server import start_simulator  # noqa: E402
from steps import MODULES  # noqa: E402
from steps.world import PORTAL_KEY, SignedIn  # noqa: E402

pytest_plugins = [*MODULES, "harness.remote_browser"]

FAILED_STEP_KEY = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "guide(id): scenario covering the help article's item {@guide:id}")
    config.addinivalue_line("markers", "extra: scenario for behaviour beyond the help article")
    config.addinivalue_line("markers", "smoke: the few scenarios run against a separate or staging portal")
    workers = getattr(config.option, "numprocesses", None)
    if _given_base_url(config) and workers not in (None, 0, "0"):
        raise pytest.UsageError(
            "--base-url: the scenarios share that one simulator's state, so they cannot run "
            "in parallel; drop -n (or run without --base-url: each worker gets its own simulator)"
        )


def _given_base_url(config: pytest.Config) -> str | None:
    url = config.getoption("--base-url", default=None) or config.getini("base_url")
    return url.rstrip("/") if url else None


def pytest_bdd_apply_tag(tag: str, function):
    """@guide:upgrade-5 -> @pytest.mark.guide(id="upgrade-5") (select: -m "guide(id='upgrade-5')"); @extra -> @pytest.mark.extra."""
    if tag.startswith("guide:"):
        pytest.mark.guide(id=tag.removeprefix("guide:"))(function)
        return True
    if tag == "extra":
        pytest.mark.extra(function)
        return True
    return None


# --- The portal under test ------------------------------------------------------------

@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config):
    """The portal's URL: --base-url when given, else a simulator of this process's own."""
    given = _given_base_url(pytestconfig)
    if given:
        yield given
        return
    server = start_simulator()
    yield server.url
    server.stop()


# --- The browser ------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, playwright, browser_name: str) -> dict:
    """pytest-playwright's launch options, plus the system Chromium when Playwright's is missing."""
    if browser_name != "chromium":
        return browser_type_launch_args
    return browser_discovery.launch_args(browser_type_launch_args, playwright)


@pytest.fixture
def browser_context_args(browser_context_args: dict, signed_in: SignedIn) -> dict:
    """Each scenario's fresh context starts logged in as its Given said (a saved storage state)."""
    signed_in.context_opened = True
    args = dict(browser_context_args)
    if signed_in.storage_state is not None:
        args["storage_state"] = str(signed_in.storage_state)
    return args


# --- Reports ----------------------------------------------------------------------------

def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    request.node.stash[FAILED_STEP_KEY] = f"{step.keyword} {step.name}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    html = item.config.pluginmanager.getplugin("html")
    portal = item.stash.get(PORTAL_KEY, None)
    if html is None or not getattr(item.config.option, "htmlpath", None) or portal is None:
        return
    try:
        png = portal.page.screenshot(full_page=True, timeout=5000)
    except Exception as error:  # a crashed page: the report still says why the test failed
        report.sections.append(("Failure screenshot", f"not taken: {error}"))
        return
    failed_step = item.stash.get(FAILED_STEP_KEY, "the scenario")
    caption = f"Failed at: {failed_step} — after: {portal.journal.tail()}"
    report.extras = [*getattr(report, "extras", []), html.extras.png(base64.b64encode(png).decode(), name=caption)]
