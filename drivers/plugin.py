"""pytest wiring of the portal drivers: --portal-driver, the `portal_driver` fixture,
and @needs:<capability> tags, which skip a scenario its driver cannot serve.

A feature tag `@needs:clock` becomes the marker `needs(capability="clock")` (select
with -m "needs(capability='clock')"); a tag on an Examples block reaches the test as
the marker `needs:clock` (pytest-bdd marks those rows with the tag's own name), so
both spellings are read.
"""
from __future__ import annotations

import pytest

from harness import skips

from .interface import CAPABILITIES, PortalDriver, served
from .loading import DriverNotFound, driver_class

DRIVER_CLASS_KEY = pytest.StashKey[type]()
NEEDS_TAG = "needs:"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--portal-driver", default="simulator", metavar="NAME|module:Class",
        help="how scenarios seed accounts and watch the back office (default: simulator, "
             "the bundled simulator's tenants; or a registered driver name, or module:Class)")


def pytest_configure(config: pytest.Config) -> None:
    # A tag on an Examples block (@needs:cycle-change) reaches pytest as a mark of that very
    # name, which pytest cannot register (needs_of reads it).
    config.addinivalue_line("filterwarnings", "ignore:Unknown pytest.mark.needs.:pytest.PytestUnknownMarkWarning")
    config.addinivalue_line(
        "markers", f"needs(capability): the scenario runs only with a portal driver that declares "
                   f"it ({', '.join(CAPABILITIES)})")
    try:
        config.stash[DRIVER_CLASS_KEY] = driver_class(config.getoption("--portal-driver"))
    except DriverNotFound as error:
        raise pytest.UsageError(str(error)) from None


# tryfirst: pytest-bdd's own implementation (a mark named after the whole tag) answers any tag;
# loaded with -p (portal-suite), this plugin registers before it and would never be asked.
@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function):
    if tag.startswith(NEEDS_TAG):
        pytest.mark.needs(capability=tag.removeprefix(NEEDS_TAG))(function)
        return True
    return None


def needs_of(item: pytest.Item) -> frozenset[str]:
    """The capabilities an item's tags say it needs (feature, rule, scenario and Examples tags)."""
    needs = {mark.kwargs["capability"] for mark in item.iter_markers("needs") if "capability" in mark.kwargs}
    needs |= {mark.name.removeprefix(NEEDS_TAG) for mark in item.iter_markers()
              if mark.name.startswith(NEEDS_TAG)}
    return frozenset(needs)


def missing_reason(driver: type[PortalDriver], needs: frozenset[str]) -> str | None:
    missing = sorted(needs - served(driver.capabilities))
    if not missing:
        return None
    what = "; ".join(f"{name} ({CAPABILITIES[name]})" for name in missing)
    return f"portal driver {driver.name!r} lacks {what}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    driver = config.stash[DRIVER_CLASS_KEY]
    for item in items:
        needs = needs_of(item)
        unknown = sorted(needs - set(CAPABILITIES))
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: @needs:{unknown[0]} names no capability; "
                                    f"known: {', '.join(CAPABILITIES)}")
        reason = missing_reason(driver, needs)
        if reason:
            skips.mark(item, skips.CAPABILITY, reason)


@pytest.fixture(scope="session")
def portal_driver(pytestconfig: pytest.Config, base_url: str):
    """The driver --portal-driver names, for this process, over the portal under test."""
    driver = pytestconfig.stash[DRIVER_CLASS_KEY](base_url)
    yield driver
    driver.close()
