"""The suite's fixtures that replace pytest-playwright's of the same name: the portal under
test (base_url) and the browser (launch and context options). portal_suite.plugin
registers this module at pytest_configure, after pytest-playwright's base_url fallback
(registered once the initial conftests are loaded): among plugins the later one wins.
"""
from __future__ import annotations

import pytest

from harness import browser as browser_discovery
from harness.server import ServedAs, start_simulator
from portal_suite import given_base_url
from steps.world import Logins, SignedIn, World


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config, ui_profile):
    """The portal's URL: --base-url when given, else a simulator of this process's own,
    served as the UI profile says (its language, its label catalog, its theme)."""
    given = given_base_url(pytestconfig)
    if given:
        yield given
        return
    server = start_simulator(**ServedAs.of(ui_profile).app_config())
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, playwright, browser_name: str) -> dict:
    """pytest-playwright's launch options, plus the system Chromium when Playwright's is missing."""
    if browser_name != "chromium":
        return browser_type_launch_args
    return browser_discovery.launch_args(browser_type_launch_args, playwright)


@pytest.fixture
def browser_context_args(browser_context_args: dict, signed_in: SignedIn, world: World,
                         logins: Logins, pytestconfig: pytest.Config) -> dict:
    """Each scenario's fresh context starts logged in as its Given said, with the login the
    driver gave its account (seeded now, the Givens being done)."""
    signed_in.context_opened = True
    args = {**browser_context_args, **pytestconfig.stash.get(browser_discovery.CONTEXT_OPTIONS, {})}
    if signed_in.email is not None:
        args["storage_state"] = logins.storage_state(world.login(signed_in.email),
                                                     world.password(signed_in.email))
    return args
