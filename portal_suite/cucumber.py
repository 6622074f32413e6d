"""Cucumber JSON (SPEC §11) from the scenario records (portal_suite.record), written by
the xdist controller or the one process, so it holds every worker's scenarios.

`--cucumberjson PATH` (pytest-bdd's own option, taken over: pytest-bdd 9's writer gives
`[]` under -n, marks every step after a failure as failed and stops the run on a
pytest-rerunfailures rerun) writes, for standard reporters (cucumber-html-reporter,
multiple-cucumber-html-reporter, Jenkins' and Azure's Cucumber plugins):

- steps after a failure `skipped`, an undefined step `undefined`; a failure before the
  first step (the account's seeding) as a failed `before` hook, after the last as `after`;
- data tables (`rows`) and doc strings (`doc_string`); `match.location`: the step
  definition's file:line;
- the failure's message Gherkin first (feature › scenario, step and its place, then what
  was expected and shown), then the short traceback of the suite's own frames;
- the failure screenshot embedded on the failed step (base64, image/png), and with
  --step-screenshots the page after each step that passed embedded on that step;
- tags (`@guide:..`, `@needs:..`) on the feature and on each scenario (inherited ones too,
  as cucumber-js does);
- a scenario that passed after retries keeps its last attempt, with a `@flaky` tag and
  `"attempts"` on the element; one still failing after retries, its last failure.
"""
from __future__ import annotations

import json
import re
from collections import OrderedDict
from pathlib import Path

import pytest

from portal_suite.record import FAILED, ScenarioRecord, records

PATH_KEY = pytest.StashKey[str]()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Take --cucumberjson from pytest-bdd's writer (before its own pytest_configure reads it)."""
    path = getattr(config.option, "cucumber_json_path", None)
    if path:
        config.stash[PATH_KEY] = path
        config.option.cucumber_json_path = None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tags(tags: list[str], line: int) -> list[dict]:
    return [{"name": f"@{tag}", "line": line} for tag in tags]


def _status(status: str) -> str:
    return status if status in ("passed", "failed", "skipped", "undefined") else "skipped"


def _step(record: ScenarioRecord, step, failed_step) -> dict:
    result: dict = {"status": _status(step.status), "duration": step.duration_ns}
    out: dict = {"keyword": f"{step.keyword} ", "name": step.name, "line": step.line,
                 "match": {"location": step.location or f"{record.file}:{step.line}"}, "result": result}
    if step is failed_step:
        result["error_message"] = "\n\n".join(part for part in (record.gherkin_first or step.error,
                                                               record.traceback) if part)
        if record.screenshot_png_b64:
            out["embeddings"] = [{"mime_type": "image/png", "data": record.screenshot_png_b64,
                                  "name": f"failed at: {step.keyword} {step.name}"}]
    elif step.screenshot_png_b64:
        out["embeddings"] = [{"mime_type": "image/png", "data": step.screenshot_png_b64,
                              "name": f"after: {step.text()}"}]
    if step.datatable:
        out["rows"] = [{"cells": list(row)} for row in step.datatable]
    if step.docstring is not None:
        out["doc_string"] = {"value": step.docstring, "content_type": "", "line": step.line + 1}
    return out


def _hook(record: ScenarioRecord) -> dict:
    hook = {"match": {"location": f"pytest {record.when} of {record.nodeid}"},
            "result": {"status": "failed", "duration": 0,
                       "error_message": "\n\n".join(part for part in (record.gherkin_first, record.traceback) if part)}}
    if record.screenshot_png_b64:
        hook["embeddings"] = [{"mime_type": "image/png", "data": record.screenshot_png_b64}]
    return hook


def element(record: ScenarioRecord) -> dict:
    failed_step = record.failed_step if record.outcome == FAILED else None
    steps = record.steps  # a skipped scenario: the steps it ran passed, the rest skipped
    tags = list(record.tags) + (["flaky"] if record.flaky else [])
    out = {"id": f"{_slug(record.feature)};{_slug(record.scenario)}" + (f";{_slug(record.example)}" if record.example else ""),
           "keyword": record.keyword, "name": record.scenario + (f" [{record.example}]" if record.example else ""),
           "description": record.description, "line": record.row_line or record.line, "type": "scenario",
           "tags": _tags(tags, max(record.line - 1, 1)),
           "steps": [_step(record, step, failed_step) for step in steps]}
    if record.outcome == FAILED and failed_step is None:
        out["before" if record.when == "setup" else "after"] = [_hook(record)]
    if record.attempts > 1:
        out["attempts"] = record.attempts
    return out


def document(scenario_records: list[ScenarioRecord]) -> list[dict]:
    """The cucumber JSON of these records: one feature per file, scenarios in file order."""
    features: OrderedDict[str, dict] = OrderedDict()
    ordered = sorted(scenario_records, key=lambda record: (record.file, record.line, record.row_line))
    for record in ordered:
        feature = features.setdefault(record.file, {
            "uri": record.file, "id": _slug(record.feature), "keyword": "Feature", "name": record.feature,
            "description": record.feature_description, "line": record.feature_line, "tags": None, "elements": []})
        shared = set(record.tags)
        feature["tags"] = shared if feature["tags"] is None else feature["tags"] & shared
        feature["elements"].append(element(record))
    for feature, first in zip(features.values(), (next(r for r in ordered if r.file == uri) for uri in features)):
        feature["tags"] = _tags([tag for tag in first.tags if tag in feature["tags"]], max(feature["line"] - 1, 1))
    return list(features.values())


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    path = config.stash.get(PATH_KEY, None)
    if not path or hasattr(config, "workerinput"):
        return
    target = Path(path).expanduser()
    if not target.is_absolute():
        target = Path(config.invocation_params.dir) / target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document(list(records(config).values())), indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    path = config.stash.get(PATH_KEY, None)
    if path and not hasattr(config, "workerinput"):
        terminalreporter.write_sep("-", f"cucumber json: {len(records(config))} scenarios in {path}")
