"""The conformance report (SPEC §9): which scenarios the portal under test passes, and
for those it does not, whose gap it is.

Every run that holds acceptance scenarios writes `reports/conformance.md` and
`reports/conformance.json` (--conformance PREFIX writes PREFIX.md and PREFIX.json
instead): one row per scenario (Examples rows included), under a header naming the
driver, the UI profile, the portal's URL, the date and the git commit, with counts per
outcome, per class of failure and per group of skip.

A failure is classified where it happens (on the worker, which has the exception):

- **differs**: a Then step failed on an assertion: the portal shows other than the
  article says (with what was expected and what was shown, when the message says so);
- **not driven**: the suite could not reach or read a screen, control or address
  (pages.base.NotDriven, e.g. ControlNotFound), or the UI profile cannot be used
  (pages.profile.ProfileError): a gap of the profile or the driver;
- **error**: anything else: the portal or the driver failed (HTTP errors, driver
  exceptions), a Given or When step's own check, or a scenario using a capability its
  tags do not declare.

Its message is kept whole, in a block of its own. Skips are grouped by why
(harness.skips: capability missing, refused by the driver, absent target, ...).
Under xdist the classes travel as user properties to the controller, which alone
writes the files.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from drivers.interface import UndeclaredCapability
from harness import skips
from portal_suite.gherkin import place_of
from portal_suite.record import record_of

# The scenarios' records (each step's outcome), made from pytest-bdd's public hooks.
pytest_plugins = ["portal_suite.record"]

SCENARIO_PROPERTY = "conformance_scenario"
FAILURE_PROPERTY = "conformance_failure"
DEFAULT_PREFIX = "reports/conformance"
OUTCOMES = ("passed", "failed", "skipped")
DIFFERS, NOT_DRIVEN, ERROR = "differs", "not driven", "error"
FAILURE_KINDS = (DIFFERS, NOT_DRIVEN, ERROR)


@dataclass
class Row:
    feature: str
    file: str
    scenario: str
    line: int = 0
    example: str = ""  # an outline's Examples row, as pytest names it
    outcome: str = "passed"
    kind: str = ""  # failed: differs | not driven | error; skipped: its group (harness.skips)
    detail: str = ""  # failed: the step that failed; skipped: the reason
    message: str = ""  # failed: the exception's message, whole
    expected: str = ""  # differs: what the article says, when the message tells
    shown: str = ""  # differs: what the portal shows instead
    attempts: int = 1  # > 1: retried (pytest-rerunfailures); flaky when it then passed

    def key(self) -> tuple[str, int, str]:
        return self.file, self.line, self.example

    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def title(self) -> str:
        return f"{self.scenario}{f' [{self.example}]' if self.example else ''}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--conformance", default=DEFAULT_PREFIX, metavar="PREFIX",
                     help=f"where the conformance report goes: PREFIX.md and PREFIX.json "
                          f"(default {DEFAULT_PREFIX})")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Name each scenario in its reports, so the controller can tell them apart under xdist
    (scenarios bound with portal_suite.gherkin.scenarios: where each is written)."""
    for item in items:
        place = place_of(item)
        if place is None:
            continue
        item.user_properties.append((SCENARIO_PROPERTY, {
            "feature": place.feature, "line": place.line,
            "file": os.path.relpath(place.file, item.config.rootpath), "scenario": place.scenario,
            # the row's values, as pytest-bdd names it (not callspec.id, which pytest-repeat extends)
            "example": "-".join(value for _, value in place.row) if place.row_line else ""}))


# --- On the worker: what failed, where, and whose gap it is ------------------------------

def _not_driven_types() -> tuple[type, ...]:
    """What says the suite could not drive the portal: the page objects' NotDriven and an
    unusable profile (imported late: this plugin also reports suites without pages/)."""
    try:
        from pages.base import NotDriven
        from pages.profile import ProfileError
    except ImportError:
        return ()
    return NotDriven, ProfileError


def classify(error: BaseException, step_type: str | None) -> str:
    if isinstance(error, _not_driven_types()):
        return NOT_DRIVEN
    if isinstance(error, AssertionError) and step_type == "then" and not isinstance(error, UndeclaredCapability):
        return DIFFERS
    return ERROR


# "Total charge for today amount: expected "$2.73", the screen shows "$3.07""; the PDF's,
# the back office's ("expected 4.39, it is 1.00"); Playwright's own expect messages.
_SAID = [re.compile(r"expected (?P<expected>.+?), (?:the screen shows|the PDF shows|the PDF begins|"
                    r"it is|got|shown) (?P<shown>.+)", re.S),
         # Playwright: "Locator expected to have text '$2.73'\nActual value: $3.07 \nCall log: ..."
         re.compile(r"expected to (?:have|contain) [\w ]*?(?:text|value|values|count|title|URL) "
                    r"(?P<expected>[^\n]+)\nActual value: (?P<shown>[^\n]*)")]


def expected_and_shown(message: str) -> tuple[str, str]:
    for pattern in _SAID:
        found = pattern.search(message)
        if found:
            return found["expected"].strip(), found["shown"].strip().splitlines()[0].strip()
    return "", ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if place_of(item) is None or call.excinfo is None:
        return
    error = call.excinfo.value
    if report.skipped:
        if isinstance(error, skips.Skip):
            report.user_properties.append((skips.KIND_PROPERTY, error.kind))
            if isinstance(report.longrepr, tuple):  # "Skipped: reason", as pytest.skip's read (-rs too)
                report.longrepr = (*report.longrepr[:2], f"Skipped: {error.msg}")
        return
    if not report.failed:
        return
    record = record_of(item) if call.when == "call" else None
    step = record.failed_step if record is not None else None
    failed_step = {"step": f"line {step.line}: {step.keyword} {step.name}", "type": step.type} if step else None
    kind = classify(error, failed_step["type"] if failed_step else None)
    message = call.excinfo.exconly().strip()
    expected, shown = expected_and_shown(message) if kind == DIFFERS else ("", "")
    report.user_properties.append((FAILURE_PROPERTY, {
        "kind": kind, "step": failed_step["step"] if failed_step else f"{call.when} of the scenario",
        "message": message, "expected": expected, "shown": shown}))


# --- On the controller (or the one process): the rows and the files -----------------------

class Conformance:
    def __init__(self, config: pytest.Config):
        self.config = config
        self.rows: dict[tuple, Row] = {}
        self.reruns: dict[str, int] = {}
        self.runs: dict[tuple, dict[str, int]] = {}  # a scenario's key -> its tests (pytest-repeat) -> attempts

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.outcome == "rerun":  # a failed attempt pytest-rerunfailures runs again: not an outcome
            self.reruns[report.nodeid] = self.reruns.get(report.nodeid, 0) + 1
            return
        properties = dict(report.user_properties)
        named = properties.get(SCENARIO_PROPERTY)
        if named is None:
            return
        # One row per scenario (and Examples row), however many tests ran it (pytest-repeat's
        # --count) and however often (pytest-rerunfailures): any failure fails it.
        named_row = Row(**named)
        row = self.rows.setdefault(named_row.key(), named_row)
        runs = self.runs.setdefault(row.key(), {})
        runs[report.nodeid] = 1 + self.reruns.get(report.nodeid, 0)
        row.attempts = sum(runs.values())
        if report.skipped and row.outcome == "passed":
            row.outcome = "skipped"
            longrepr = report.longrepr
            row.detail = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr).removeprefix("Skipped: ")
            row.kind = properties.get(skips.KIND_PROPERTY) or skips.kind_of(row.detail)
        elif report.failed and row.outcome != "failed":
            row.outcome = "failed"
            failure = properties.get(FAILURE_PROPERTY) or {
                "kind": ERROR, "step": f"{report.when} of the scenario", "expected": "", "shown": "",
                "message": getattr(getattr(report.longrepr, "reprcrash", None), "message", "")}
            row.kind, row.detail, row.message = failure["kind"], failure["step"], failure["message"]
            row.expected, row.shown = failure["expected"], failure["shown"]

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
        failures = {kind: sum(row.outcome == "failed" and row.kind == kind for row in rows)
                    for kind in FAILURE_KINDS}
        skipped = {kind: sum(row.outcome == "skipped" and row.kind == kind for row in rows)
                   for kind in skips.KINDS}
        skipped = {kind: count for kind, count in skipped.items() if count}
        flaky = sum(row.outcome == "passed" and row.attempts > 1 for row in rows)
        prefix.with_suffix(".json").write_text(json.dumps(
            {**header, "counts": counts, "flaky": flaky, "failures": failures, "skips": skipped,
             "scenarios": [asdict(row) for row in rows]},
            indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        prefix.with_suffix(".md").write_text(_markdown(header, counts, failures, skipped, rows, flaky),
                                             encoding="utf-8")

    def _header(self) -> dict:
        config = self.config
        profile = getattr(config.option, "ui_profile", None) or "en"
        url = config.getoption("--base-url", default=None) or _ini(config, "base_url") or "embedded simulator"
        return {"driver": config.getoption("--portal-driver"), "ui_profile": str(profile),
                "portal": url, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "commit": _commit(config.rootpath)}


def _ini(config: pytest.Config, name: str) -> str:
    """An ini value another plugin declares (base_url: pytest-base-url's), or "" without it."""
    try:
        return config.getini(name)
    except ValueError:
        return ""


def _commit(root: Path) -> str:
    try:
        run = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return run.stdout.strip() if run.returncode == 0 else "unknown"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _counted(counts: dict) -> str:
    return ", ".join(f"{count} {name}" for name, count in counts.items())


def _fence(text: str) -> str:
    """A code block that no backtick run inside `text` can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}\n{text}\n{ticks}"


def _markdown(header: dict, counts: dict, failures: dict, skipped: dict, rows: list[Row], flaky: int = 0) -> str:
    lines = ["# Conformance report", "",
             f"- Driver: `{header['driver']}`", f"- UI profile: `{header['ui_profile']}`",
             f"- Portal: {header['portal']}", f"- Date: {header['date']}",
             f"- Commit: `{header['commit']}`",
             f"- Scenarios: {len(rows)}: {_counted(counts)}",
             f"- Failed: {counts['failed']}: {_counted(failures)}",
             f"- Skipped: {counts['skipped']}" + (f": {_counted(skipped)}" if skipped else ""),
             f"- Flaky: {flaky} (passed on a retry)", "",
             "| Feature | Scenario | Outcome | Step failed or reason skipped |",
             "| --- | --- | --- | --- |"]
    for row in rows:
        outcome = f"{row.outcome}: {row.kind}" if row.outcome == "failed" else row.outcome
        if row.attempts > 1:
            outcome += f" (flaky: {row.attempts} attempts)" if row.outcome == "passed" else f" ({row.attempts} attempts)"
        lines.append(f"| {_cell(row.feature)} ({row.file}) | {_cell(row.title())} | {outcome} | "
                     f"{_cell(row.detail)} |")
    failed = [row for row in rows if row.outcome == "failed"]
    if failed:
        lines += ["", "## Failures"]
        for kind in FAILURE_KINDS:
            for row in (row for row in failed if row.kind == kind):
                lines += ["", f"### {kind}: {row.feature} › {row.title()} ({row.where()})", "",
                          f"- Step: {row.detail}"]
                if row.expected or row.shown:
                    lines += [f"- Expected: {row.expected}", f"- Shown: {row.shown}"]
                lines += ["", _fence(row.message or "(no message)")]
    if skipped:
        lines += ["", "## Skipped, by reason"]
        for kind in skipped:
            lines += ["", f"### {kind} ({skipped[kind]})"]
            reasons: dict[str, list[Row]] = {}
            for row in rows:
                if row.outcome == "skipped" and row.kind == kind:
                    reasons.setdefault(row.detail, []).append(row)
            for reason, alike in reasons.items():
                lines += ["", f"- {reason} ({len(alike)}):"]
                lines += [f"  - {row.feature} › {row.title()} ({row.where()})" for row in alike]
    return "\n".join(lines) + "\n"


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        config.pluginmanager.register(Conformance(config), "conformance-report")
