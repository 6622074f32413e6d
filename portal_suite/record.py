"""One record per scenario run, which every report reads (SPEC §11): the scenario, each
step with its status, time, step definition, data table, doc string and (--step-screenshots,
portal_suite.step_artifacts) the page after it, the failure (Gherkin first), the failure
screenshot and the number of attempts.

It is made once, on the process that runs the scenario, from pytest-bdd's public hooks
(pytest_bdd_before_scenario, _before_step, _after_step, _step_error,
_step_func_lookup_error, _after_scenario) and, for a scenario skipped or failed before its
first step, from where the feature file has it (portal_suite.gherkin). It travels to the
xdist controller on the test report (its attribute RECORD_PROPERTY, plain JSON), where
`records(config)` holds the last attempt of each scenario, and attempts are counted
(pytest-rerunfailures' "rerun" reports, or the suite's own retries).

    from portal_suite.record import ScenarioRecord, records
    for record in records(config).values(): ...   # on the controller, at sessionfinish
"""
from __future__ import annotations

import contextlib
import inspect
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import _pytest
import pluggy
import pytest
import pytest_bdd
import pytest_playwright
from _pytest._code.code import ReprEntryNative

from portal_suite.gherkin import Place, place_of

RECORD_KEY = pytest.StashKey["ScenarioRecord"]()
RECORDS_KEY = pytest.StashKey[dict]()
RECORD_PROPERTY = "scenario_record"
PASSED, FAILED, SKIPPED, UNDEFINED = "passed", "failed", "skipped", "undefined"


@dataclass
class StepRecord:
    keyword: str  # as written: Given, When, Then, And, But, *
    name: str  # rendered (an outline's placeholders filled)
    line: int
    type: str  # given | when | then
    status: str = SKIPPED  # passed | failed | skipped | undefined
    duration_ns: int = 0
    location: str = ""  # the step definition: path:line
    error: str = ""  # failed: the exception, its type and message
    datatable: list[list[str]] | None = None
    docstring: str | None = None
    screenshot_png_b64: str = ""  # --step-screenshots: the page after it passed

    def text(self) -> str:
        return f"{self.keyword} {self.name}"


@dataclass
class ScenarioRecord:
    nodeid: str
    feature: str
    file: str  # the feature file, relative to the rootdir
    feature_line: int
    scenario: str
    line: int
    keyword: str = "Scenario"
    feature_description: str = ""
    description: str = ""
    example: str = ""  # an outline's Examples row, as pytest names it
    row_line: int = 0
    tags: list[str] = field(default_factory=list)  # every tag on it (feature, rule, scenario, Examples)
    steps: list[StepRecord] = field(default_factory=list)
    outcome: str = PASSED  # passed | failed | skipped
    when: str = "call"  # where it failed or was skipped: setup | call | teardown
    message: str = ""  # failed: the exception's type and message, whole; skipped: the reason
    gherkin_first: str = ""  # failed: feature › scenario, the step and its place, then the message
    traceback: str = ""  # failed: the user's frames, short
    screenshot_png_b64: str = ""  # failed: the page when it failed
    attempts: int = 1  # > 1: it was retried (flaky if it then passed)
    started: float = 0.0  # time.time() when its first step started
    duration_ns: int = 0

    @property
    def failed_step(self) -> StepRecord | None:
        return next((step for step in self.steps if step.status in (FAILED, UNDEFINED)), None)

    @property
    def flaky(self) -> bool:
        return self.attempts > 1 and self.outcome == PASSED

    def title(self) -> str:
        return f"{self.feature} › {self.scenario}" + (f" [{self.example}]" if self.example else "")

    @classmethod
    def from_dict(cls, data: dict) -> ScenarioRecord:
        return cls(**{**data, "steps": [StepRecord(**step) for step in data.get("steps", ())]})


def record_of(item: pytest.Item) -> ScenarioRecord | None:
    return item.stash.get(RECORD_KEY, None)


def set_property(item: pytest.Item, name: str, value: str) -> None:
    """A user property of the item (JUnit's <property>), once, whatever the attempts."""
    item.user_properties[:] = [(key, old) for key, old in item.user_properties if key != name] + [(name, value)]


def _relative(path: str, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


def _from_place(item: pytest.Item, place: Place) -> ScenarioRecord:
    callspec = getattr(item, "callspec", None)
    return ScenarioRecord(
        nodeid=item.nodeid, feature=place.feature, file=_relative(place.file, item.config.rootpath),
        feature_line=place.feature_line, scenario=place.scenario, line=place.line, keyword=place.keyword,
        description=place.description, example=callspec.id if callspec and place.row_line else "",
        row_line=place.row_line, tags=list(dict.fromkeys(place.tags)),
        steps=[StepRecord(step.keyword, step.name, step.line, step.type,
                          datatable=[list(row) for row in step.datatable] if step.datatable else None,
                          docstring=step.docstring) for step in place.steps])


def _step_location(step_func, root: Path) -> str:
    try:
        source = inspect.getsourcefile(step_func)
        _, line = inspect.getsourcelines(step_func)
    except (OSError, TypeError):
        return getattr(step_func, "__qualname__", "")
    return f"{_relative(source, root)}:{line}"


# --- On the process that runs the scenario ----------------------------------------------

def pytest_bdd_before_scenario(request, feature, scenario) -> None:
    item = request.node
    place = place_of(item)
    callspec = getattr(item, "callspec", None)
    record = ScenarioRecord(
        nodeid=item.nodeid, feature=feature.name, file=_relative(feature.filename, item.config.rootpath),
        feature_line=place.feature_line if place else 1, scenario=scenario.name, line=scenario.line_number,
        keyword=place.keyword if place else "Scenario",
        feature_description=(feature.description or "").strip(), description=(scenario.description or "").strip(),
        example=callspec.id if callspec and place and place.row_line else "",
        row_line=place.row_line if place else 0,
        tags=list(dict.fromkeys(place.tags if place else sorted(scenario.tags | feature.tags))),
        steps=[StepRecord(step.keyword, step.name, step.line_number, step.type,
                          datatable=step.datatable.raw() if step.datatable is not None else None,
                          docstring=step.docstring) for step in scenario.steps],
        started=time.time())
    previous = record_of(item)
    if previous is not None and previous.nodeid == item.nodeid:
        record.attempts = previous.attempts + 1 if previous.outcome == FAILED else previous.attempts
    item.stash[RECORD_KEY] = record
    item.stash[_CLOCK_KEY] = time.perf_counter_ns()


_CLOCK_KEY = pytest.StashKey[int]()
_STEP_CLOCK_KEY = pytest.StashKey[tuple]()


def _step_of(record: ScenarioRecord, step) -> StepRecord | None:
    return next((mine for mine in record.steps if mine.line == step.line_number and mine.status == SKIPPED
                 and mine.name == step.name), None)


def step_record(item: pytest.Item, step) -> StepRecord | None:
    """The record of pytest-bdd's `step` while it runs (before it is marked passed or failed)."""
    record = record_of(item)
    return _step_of(record, step) if record is not None else None


def pytest_bdd_before_step(request, feature, scenario, step, step_func) -> None:
    mine = step_record(request.node, step)
    if mine is not None:
        mine.location = _step_location(step_func, request.config.rootpath)
        request.node.stash[_STEP_CLOCK_KEY] = (id(mine), time.perf_counter_ns())


def _finish(request, step, status: str, error: BaseException | None = None) -> None:
    record = record_of(request.node)
    if record is None:
        return
    mine = _step_of(record, step)
    if mine is None:
        return
    mine.status = status
    started = request.node.stash.get(_STEP_CLOCK_KEY, (None, 0))
    if started[0] == id(mine):
        mine.duration_ns = time.perf_counter_ns() - started[1]
    if error is not None:
        mine.error = _exception_line(error)


def _exception_line(error: BaseException) -> str:
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ in ("builtins", "__main__") else f"{kind.__module__}.{kind.__qualname__}"
    text = str(error)
    return f"{name}: {text}" if text else name


def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args) -> None:
    _finish(request, step, PASSED)


def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception) -> None:
    _finish(request, step, FAILED, exception)


def pytest_bdd_step_func_lookup_error(request, feature, scenario, step, exception) -> None:
    _finish(request, step, UNDEFINED, exception)


def pytest_bdd_after_scenario(request, feature, scenario) -> None:
    record = record_of(request.node)
    if record is not None:
        record.duration_ns = time.perf_counter_ns() - request.node.stash.get(_CLOCK_KEY, time.perf_counter_ns())


def gherkin_first(record: ScenarioRecord, message: str) -> str:
    """The failure as a QA reader looks for it: feature › scenario, the step and where it
    is written, then what was expected and what was shown (the exception's message)."""
    step = record.failed_step
    where = f"{record.file}:{step.line if step else record.line}"
    said = f"{step.text()}  ({where})" if step else f"{record.when} of the scenario  ({where})"
    return f"{record.title()}\n  {said}\n{message}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    record = record_of(item)
    started = record is not None and record.nodeid == item.nodeid and call.when != "setup"
    if not started:
        if report.when == "setup" and (report.failed or report.skipped):
            place = place_of(item)
            if place is None:
                return
            record = _from_place(item, place)
            item.stash[RECORD_KEY] = record
        else:
            return
    if report.when == "teardown" and report.passed:
        return
    if report.when == "call" or report.failed or report.skipped:
        record.when = report.when
        if report.skipped:
            record.outcome = SKIPPED
            longrepr = report.longrepr
            record.message = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr).removeprefix("Skipped: ")
        elif report.failed:
            record.outcome = FAILED
            error = call.excinfo.value if call.excinfo else None
            record.message = _exception_line(error) if error is not None else str(report.longrepr)
            record.gherkin_first = gherkin_first(record, record.message)
            if call.excinfo is not None:
                report.longrepr = _gherkin_longrepr(record, call.excinfo)
                record.traceback = _text(report.longrepr.reprtraceback.reprentries[1:])
        else:
            record.outcome = PASSED
        item.ihook.pytest_scenario_record_made(item=item, record=record, report=report)
        setattr(report, RECORD_PROPERTY, asdict(record))  # a report's attributes travel to the xdist controller
        if record.attempts > 1:  # JUnit's <properties> (written from the item's, at teardown)
            set_property(item, "attempts", str(record.attempts))


_FRAMEWORK = tuple(str(Path(module.__file__).resolve().parent) + os.sep
                   for module in (pytest_bdd, _pytest, pluggy, pytest_playwright, contextlib))


def _framework(entry) -> bool:
    """A frame of pytest, pluggy, pytest-bdd or pytest-playwright, or a hook of the suite's
    own plugins (`pytest_pyfunc_call` wrapping the step): nothing a scenario's reader needs.
    Resolved: a virtual environment reached through a symbolic link names the same files."""
    return entry.name.startswith("pytest_") or str(Path(entry.path).resolve()).startswith(_FRAMEWORK)


def one_line(record: ScenarioRecord) -> str:
    """The failure in a line: where in the feature file, feature › scenario › step, then the
    exception's first line (the summary line, JUnit's failure message)."""
    step = record.failed_step
    where = f"{record.file}:{step.line if step else record.line}"
    said = step.text() if step else f"{record.when} of the scenario"
    return f"{where} {record.title()} › {said} — {record.message.splitlines()[0] if record.message else ''}"


def _gherkin_longrepr(record: ScenarioRecord, excinfo: pytest.ExceptionInfo):
    """The failure as the terminal, the HTML report and JUnit show it: the Gherkin block,
    then the suite's own frames (pytest's, pluggy's and pytest-bdd's hidden), short."""
    kept = excinfo.traceback.filter(lambda entry: not _framework(entry))
    if len(kept):
        excinfo.traceback = kept
    longrepr = excinfo.getrepr(style="short", chain=False, tbfilter=True)
    if not len(kept):  # nothing of the suite's own (an undefined step): the message alone
        longrepr.reprtraceback.reprentries.clear()
    step = record.failed_step
    block = [f"Feature:  {record.feature}  ({record.file}:{record.feature_line})",
             f"Scenario: {record.scenario}" + (f"  [{record.example}]" if record.example else ""),
             f"Step:     {step.text()}  (line {step.line})" if step else f"In:       {record.when} of the scenario",
             record.message, ""] + (["Traceback (the suite's own frames):", ""] if len(kept) else [])
    longrepr.reprtraceback.reprentries.insert(0, ReprEntryNative([line + "\n" for line in block]))
    longrepr.reprcrash.message = one_line(record)
    return longrepr


def _text(entries) -> str:
    from _pytest._io import TerminalWriter
    import io
    out = io.StringIO()
    writer = TerminalWriter(out)
    for entry in entries:
        entry.toterminal(writer)
    return out.getvalue().strip()


# --- On the controller (or the one process) ---------------------------------------------

class Records:
    """The last attempt of each scenario, by node id, in the order they finished."""

    def __init__(self) -> None:
        self.by_nodeid: dict[str, ScenarioRecord] = {}
        self.reruns: dict[str, int] = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.outcome == "rerun":  # pytest-rerunfailures: this attempt failed, another follows
            self.reruns[report.nodeid] = self.reruns.get(report.nodeid, 0) + 1
            return
        data = getattr(report, RECORD_PROPERTY, None)
        if data is None:
            return
        record = ScenarioRecord.from_dict(data)
        record.attempts = max(record.attempts, 1 + self.reruns.get(report.nodeid, 0))
        known = self.by_nodeid.get(report.nodeid)
        if known is not None and report.when == "teardown" and known.outcome != PASSED:
            return  # a teardown's failure after a failed or skipped call: the call's record stands
        self.by_nodeid[report.nodeid] = record


def records(config: pytest.Config) -> dict[str, ScenarioRecord]:
    """Every scenario run so far (on the controller under xdist), by node id."""
    keeper = config.stash.get(RECORDS_KEY, None)
    return keeper.by_nodeid if keeper is not None else {}


class _Hooks:
    @pytest.hookspec
    def pytest_scenario_record_made(self, item: pytest.Item, record: ScenarioRecord,
                                    report: pytest.TestReport) -> None:
        """A scenario's record is complete (on the process that ran it), before it travels
        on its report: add to it (a failure screenshot: record.screenshot_png_b64)."""

    @pytest.hookspec
    def pytest_scenario_step_shot(self, item: pytest.Item, step: StepRecord, png: bytes) -> None:
        """A screenshot of the page after `step` is in its record (--step-screenshots), and
        the step is still open in pytest-bdd's hooks (Allure attaches it to the step)."""


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(_Hooks)


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        keeper = Records()
        config.stash[RECORDS_KEY] = keeper
        config.pluginmanager.register(keeper, "scenario-records")
