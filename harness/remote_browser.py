"""pytest options to use a browser that runs elsewhere instead of launching one.

--connect-ws WS_URL   a Playwright server (`playwright run-server`, e.g. in a
                      container, which brings its own browsers: the server does
                      not take an executable path from its clients); goes
                      through pytest-playwright's own `connect_options`.
--connect-cdp URL     any Chrome DevTools Protocol endpoint: a Chromium started
                      with --remote-debugging-port, or Selenium Grid 4's
                      se:cdp address.

The remote browser must reach the portal: with the embedded simulator that
means the same machine (it listens on 127.0.0.1); otherwise pass --base-url
with an address the browser can reach.
"""
from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("remote browser", "use a browser that runs elsewhere")
    group.addoption("--connect-ws", metavar="WS_URL", default=None,
                    help="connect to a Playwright server instead of launching a browser")
    group.addoption("--connect-cdp", metavar="URL", default=None,
                    help="connect to a Chromium over CDP instead of launching a browser")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--connect-ws") and config.getoption("--connect-cdp"):
        raise pytest.UsageError("--connect-ws and --connect-cdp: choose one remote browser")


@pytest.fixture(scope="session")
def connect_options(pytestconfig: pytest.Config) -> dict | None:
    endpoint = pytestconfig.getoption("--connect-ws")
    return {"endpoint": endpoint} if endpoint else None


@pytest.fixture(scope="session")
def launch_browser(launch_browser, browser_type, pytestconfig: pytest.Config):
    """pytest-playwright's launcher, or a CDP connection when --connect-cdp is given."""
    endpoint = pytestconfig.getoption("--connect-cdp")
    if not endpoint:
        return launch_browser

    def connect(**_launch_options):
        return browser_type.connect_over_cdp(endpoint)

    return connect
