"""`portal-suite`: pytest over the installed features, with the suite's plugin, from the
folder a QA team runs it in (which holds only their driver module and UI profile).

    portal-suite --base-url https://staging.example.com \\
        --portal-driver my_driver:StagingDriver --ui-profile my-portal.yaml -n 4

Every pytest option works (-k, -m, -n, --lf, --junitxml, ...). The folder it runs in is
pytest's rootdir, so `reports/conformance.md`, `.pytest_cache` and relative paths are
there, and its pytest.ini / pyproject.toml / tox.ini / setup.cfg is read if it has one;
`--portal-driver module:Class` imports the module from that folder. The same run without
the script: `python -m pytest -p portal_suite.plugin --pyargs portal_suite.test_scenarios
--rootdir .`
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# The modules the suite cannot run without; the `suite` extra installs them.
NEEDED = ("pytest", "pytest_bdd", "pytest_playwright", "playwright", "xdist", "pytest_timeout", "pypdf", "parse")
# In the order pytest itself looks for them (pytest.toml: pytest 9).
INI_FILES = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


def _missing() -> list[str]:
    # Found, not imported: pytest must import its plugins itself to rewrite their asserts.
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


def _given(args: list[str], *options: str) -> bool:
    return any(arg == option or arg.startswith(option + "=") for arg in args for option in options)


def arguments(args: list[str], folder: Path) -> list[str]:
    """pytest's arguments for a `portal-suite` run in `folder`."""
    from portal_suite import SCENARIOS_MODULE

    chosen = ["-p", "portal_suite.plugin"]
    if not _given(args, "--rootdir"):
        chosen.append(f"--rootdir={folder}")
    if not _given(args, "-c", "--config-file"):
        # Else pytest would look for an ini file above the installed scenarios (site-packages).
        own = next((folder / name for name in INI_FILES if (folder / name).is_file()), None)
        if own is not None:
            chosen.append(f"--config-file={own}")
    return [*chosen, *args, str(SCENARIOS_MODULE)]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    missing = _missing()
    if missing:
        print(f"portal-suite: {', '.join(missing)} not installed; "
              f"pip install 'dns-plan-portal[suite]'", file=sys.stderr)
        return 2
    import pytest

    return int(pytest.main(arguments(args, Path.cwd())))


if __name__ == "__main__":
    sys.exit(main())
