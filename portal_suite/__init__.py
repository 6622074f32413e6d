"""The acceptance suite as an installed package (SPEC §9): the features, the bundled UI
profiles and the pytest plugin that runs them against any portal.

    pip install "dns-plan-portal[suite]"
    portal-suite --base-url https://staging.example.com \
        --portal-driver my_driver:StagingDriver --ui-profile my-portal.yaml -n 4

`portal-suite` is pytest over the installed features with the suite's plugin
(portal_suite.plugin); every pytest option works. In a source checkout the root
conftest.py loads the same plugin, and the features and profiles are the checkout's.
"""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _data(name: str) -> Path:
    """An installed wheel holds the folder beside this file; a checkout holds it at its root."""
    installed = _HERE / name
    return installed if installed.is_dir() else _HERE.parent / name


FEATURES = _data("features")
PROFILES = _data("profiles")
SCENARIOS_MODULE = _HERE / "test_scenarios.py"


def given_base_url(config) -> str | None:
    """The portal named with --base-url (or the ini's base_url); None: the embedded simulator."""
    url = config.getoption("--base-url", default=None) or config.getini("base_url")
    return url.rstrip("/") if url else None
