"""The conformance report (SPEC §9): which scenarios the portal under test passes.

Every run that holds acceptance scenarios writes `reports/conformance.md` and
`reports/conformance.json` (--conformance PREFIX writes PREFIX.md and PREFIX.json
instead): one row per scenario (Examples rows included) with its outcome, passed,
failed with the Gherkin step that failed, or skipped with the reason (a capability
the portal driver lacks), under a header naming the driver, the UI profile, the
portal's URL, the date and the git commit. Under xdist the workers' reports reach
the controller, which alone writes the files.
"""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

SCENARIO_PROPERTY = "conformance_scenario"
FAILED_STEP_PROPERTY = "conformance_failed_step"
DEFAULT_PREFIX = "reports/conformance"
OUTCOMES = ("passed", "failed", "skipped")


@dataclass
class Row:
    feature: str
    file: str
    scenario: str
    line: int = 0
    example: str = ""  # an outline's Examples row, as pytest names it
    outcome: str = "passed"
    detail: str = ""  # the failing step, or the reason for a skip

    def key(self) -> tuple[str, int, str]:
        return self.file, self.line, self.example


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--conformance", default=DEFAULT_PREFIX, metavar="PREFIX",
                     help=f"where the conformance report goes: PREFIX.md and PREFIX.json "
                          f"(default {DEFAULT_PREFIX})")


def template_of(item: pytest.Item):
    """The pytest-bdd scenario an item runs, or None for another test. (pytest-bdd has no
    public way to ask; this is the one place the suite reads its registry.)"""
    return scenario_wrapper_template_registry.get(getattr(item, "obj", None))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Name each scenario in its reports, so the controller can tell them apart under xdist."""
    for item in items:
        template = template_of(item)
        if template is None:
            continue
        callspec = getattr(item, "callspec", None)
        example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
        item.user_properties.append((SCENARIO_PROPERTY, {
            "feature": template.feature.name, "line": template.line_number,
            "file": os.path.relpath(template.feature.filename, item.config.rootpath),
            "scenario": template.render(example).name if example else template.name,
            "example": callspec.id if example else ""}))


def _failed_at(request: pytest.FixtureRequest, step) -> None:
    request.node.user_properties.append(
        (FAILED_STEP_PROPERTY, f"line {step.line_number}: {step.keyword} {step.name}"))


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    _failed_at(request, step)


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception):
    _failed_at(request, step)


class Conformance:
    def __init__(self, config: pytest.Config):
        self.config = config
        self.rows: dict[str, Row] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        named = properties.get(SCENARIO_PROPERTY)
        if named is None:
            return
        row = self.rows.setdefault(report.nodeid, Row(**named))
        if report.skipped and row.outcome == "passed":
            row.outcome = "skipped"
            longrepr = report.longrepr
            row.detail = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr).removeprefix("Skipped: ")
        elif report.failed and row.outcome != "failed":
            row.outcome = "failed"
            crash = getattr(report.longrepr, "reprcrash", None)
            message = " ".join(crash.message.split())[:300] if crash else ""
            step = properties.get(FAILED_STEP_PROPERTY) or f"{report.when} of the scenario"
            row.detail = f"{step}: {message}" if message else step

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.rows:
            return
        prefix = Path(self.config.getoption("--conformance"))
        if not prefix.is_absolute():
            prefix = Path(self.config.rootpath) / prefix
        prefix.parent.mkdir(parents=True, exist_ok=True)
        header = self._header()
        rows = sorted(self.rows.values(), key=Row.key)
        counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in OUTCOMES}
        prefix.with_suffix(".json").write_text(json.dumps(
            {**header, "counts": counts, "scenarios": [asdict(row) for row in rows]},
            indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        prefix.with_suffix(".md").write_text(_markdown(header, counts, rows), encoding="utf-8")

    def _header(self) -> dict:
        config = self.config
        profile = getattr(config.option, "ui_profile", None) or "en"
        url = config.getoption("--base-url", default=None) or config.getini("base_url") or (
            "embedded simulator")
        return {"driver": config.getoption("--portal-driver"), "ui_profile": str(profile),
                "portal": url, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "commit": _commit(config.rootpath)}


def _commit(root: Path) -> str:
    try:
        run = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return run.stdout.strip() if run.returncode == 0 else "unknown"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(header: dict, counts: dict, rows: list[Row]) -> str:
    lines = ["# Conformance report", "",
             f"- Driver: `{header['driver']}`", f"- UI profile: `{header['ui_profile']}`",
             f"- Portal: {header['portal']}", f"- Date: {header['date']}",
             f"- Commit: `{header['commit']}`",
             f"- Scenarios: {len(rows)}: " + ", ".join(f"{counts[o]} {o}" for o in OUTCOMES), "",
             "| Feature | Scenario | Outcome | Step failed or reason skipped |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {_cell(row.feature)} ({row.file}) | {_cell(row.scenario)}"
              f"{f' [{_cell(row.example)}]' if row.example else ''} | {row.outcome} | "
              f"{_cell(row.detail)} |" for row in rows]
    return "\n".join(lines) + "\n"


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        config.pluginmanager.register(Conformance(config), "conformance-report")
