"""The feature files as the suite's reports and selections read them, from the Gherkin
parser pytest-bdd itself uses (gherkin-official), not from pytest-bdd's internals.

- `scenarios(*paths)` binds every scenario of the feature files (or folders) to a test of
  the calling module, as pytest_bdd.scenarios does (same test names), through pytest-bdd's
  public `scenario` decorator, and marks each test with where its scenario is written
  (`gherkin(file=..., line=...)`), so a collected item can be traced to its scenario and its
  Examples row without pytest-bdd's private registry (`place_of(item)`).
- A test bound by pytest-bdd's own `scenarios()` still runs and reports (the records are
  made at run time from pytest-bdd's public hooks, portal_suite.record); only the
  collection-time selections (`features/x.feature:LINE`) and the rows of skipped scenarios
  need this binding.
"""
from __future__ import annotations

from collections.abc import Mapping

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest
from gherkin.parser import Parser
from gherkin.token_scanner import TokenScanner
from pytest_bdd import scenario as bdd_scenario

MARK = "gherkin"


@dataclass(frozen=True)
class GherkinStep:
    keyword: str  # as written ("And "), stripped
    name: str
    line: int
    type: str  # given | when | then (an And/But takes the one before it)
    datatable: tuple[tuple[str, ...], ...] | None = None
    docstring: str | None = None
    template: str = ""  # as written: an outline's <placeholders> kept


@dataclass(frozen=True)
class Place:
    """A scenario, or one row of a Scenario Outline's Examples, where the feature file has it."""

    file: str  # absolute path of the .feature file
    feature: str
    feature_line: int
    scenario: str  # the name, an outline's <placeholders> filled from its row
    line: int  # the Scenario (Outline) keyword's line
    end_line: int  # the last line before the next scenario or rule
    start_line: int  # its first tag's line, else its keyword's
    keyword: str = "Scenario"
    description: str = ""
    tags: tuple[str, ...] = ()  # feature, rule, scenario and Examples tags, without "@"
    rule_line: int = 0
    examples_line: int = 0  # an outline's row: the Examples keyword's line
    row_line: int = 0  # an outline's row: the row's own line
    examples_start: int = 0  # an outline's row: the first line of the outline's first Examples
    row: tuple[tuple[str, str], ...] = ()  # an outline's row: (placeholder, value)
    steps: tuple[GherkinStep, ...] = ()  # the Background's steps, then its own, rendered

    def selected_by(self, line: int) -> bool:
        """Cucumber's `file:LINE`: the Feature line selects all; a Rule's line, its scenarios;
        a scenario's lines, it (every row); an Examples line, its rows; a row's line, that row."""
        if line == self.feature_line or (self.rule_line and line == self.rule_line):
            return True
        if self.row_line and line == self.row_line:
            return True
        if self.examples_line and self.examples_start <= line <= self.end_line:
            return line in (self.examples_line, self.examples_line + 1)  # its block's keyword or header
        return self.start_line <= line <= self.end_line


@dataclass(frozen=True)
class Outline:
    """One Scenario or Scenario Outline: its places (one, or one per Examples row)."""

    name: str
    line: int
    places: tuple[Place, ...] = field(default=())


def _tags(node: dict) -> tuple[str, ...]:
    return tuple(tag["name"].removeprefix("@") for tag in node.get("tags", ()))


def _start(node: dict) -> int:
    """A scenario's or rule's first line: its first tag's, else its keyword's."""
    return min([node["location"]["line"], *(tag["location"]["line"] for tag in node.get("tags", ()))])


_PLACEHOLDER = re.compile(r"<(.+?)>")


def _render(text: str, row: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda found: row.get(found[1], found[0]), text)


_TYPES = {"Context": "given", "Action": "when", "Outcome": "then"}


def _steps(steps: list[dict], row: dict[str, str]) -> tuple[GherkinStep, ...]:
    rendered, kind = [], "given"
    for step in steps:
        kind = _TYPES.get(step.get("keywordType"), kind)
        table = step.get("dataTable")
        doc = step.get("docString")
        rendered.append(GherkinStep(
            step["keyword"].strip(), _render(step["text"], row), step["location"]["line"], kind,
            tuple(tuple(_render(cell["value"], row) for cell in table_row["cells"]) for table_row in table["rows"])
            if table else None,
            _render(doc["content"], row) if doc else None, step["text"]))
    return tuple(rendered)


@lru_cache(maxsize=None)
def parse(path: str) -> tuple[str, tuple[Outline, ...]]:
    """(feature name, its scenarios in file order) of one feature file."""
    text = Path(path).read_text(encoding="utf-8")
    document = Parser().parse(TokenScanner(text))
    feature = document.get("feature")
    if feature is None:
        return "", ()
    last_line = len(text.splitlines())
    # (scenario, tags above it, rule line, background steps)
    found: list[tuple[dict, tuple[str, ...], int, list[dict]]] = []
    background: list[dict] = []
    for child in feature["children"]:
        if "background" in child:
            background = child["background"]["steps"]
        elif "scenario" in child:
            found.append((child["scenario"], _tags(feature), 0, background))
        elif "rule" in child:
            rule, inner_background = child["rule"], list(background)
            for inner in rule["children"]:
                if "background" in inner:
                    inner_background = background + inner["background"]["steps"]
                if "scenario" in inner:
                    found.append((inner["scenario"], _tags(feature) + _tags(rule), rule["location"]["line"],
                                  inner_background))
    starts = sorted({_start(scenario) for scenario, *_ in found}
                    | {_start(child["rule"]) for child in feature["children"] if "rule" in child})
    outlines = []
    for scenario, above, rule_line, background in found:
        line = scenario["location"]["line"]
        end = next((start - 1 for start in starts if start > line), last_line)
        common = dict(file=str(Path(path).resolve()), feature=feature["name"],
                      feature_line=feature["location"]["line"], line=line, end_line=end, start_line=_start(scenario),
                      keyword=scenario["keyword"], description=scenario.get("description", "").strip(),
                      rule_line=rule_line)
        tags = above + _tags(scenario)
        places = []
        first = min((_start(examples) for examples in scenario.get("examples", ())), default=0)
        for examples in scenario.get("examples", ()):
            header = [cell["value"] for cell in examples.get("tableHeader", {}).get("cells", ())]
            for body in examples.get("tableBody", ()):
                row = dict(zip(header, (cell["value"] for cell in body["cells"])))
                places.append(Place(**common, scenario=_render(scenario["name"], row),
                                    tags=tags + _tags(examples), examples_line=examples["location"]["line"],
                                    row_line=body["location"]["line"], examples_start=first, row=tuple(row.items()),
                                    steps=_steps(background + scenario["steps"], row)))
        if not places:
            places.append(Place(**common, scenario=scenario["name"], tags=tags,
                                steps=_steps(background + scenario["steps"], {})))
        outlines.append(Outline(scenario["name"], line, tuple(places)))
    return feature["name"], tuple(outlines)


def feature_files(*paths: str | Path) -> list[Path]:
    files = []
    for path in map(Path, paths):
        files += sorted(path.rglob("*.feature")) if path.is_dir() else [path]
    return [file.resolve() for file in files]


def _python_name(name: str) -> str:
    """pytest-bdd's test name for a scenario (the same node ids as its own `scenarios()`)."""
    name = re.sub(r"\W", "", name.replace(" ", "_"))
    return re.sub(r"^\d+_*", "", name).lower()


def scenarios(*paths: str | Path) -> None:
    """Bind every scenario of the feature files or folders (relative to the calling module)
    to a test of that module, marked with where it is written."""
    caller = sys._getframe(1)
    module_locals = caller.f_locals
    base = Path(caller.f_globals["__file__"]).resolve().parent
    files = feature_files(*(path if Path(path).is_absolute() else base / path for path in paths))
    if not files:
        raise pytest.UsageError(f"no feature files in {', '.join(map(str, paths))}")
    features = sorted(((parse(str(file))[0] or str(file), file) for file in files))
    for _, file in features:
        for outline in parse(str(file))[1]:
            def test() -> None:
                pass

            bound = bdd_scenario(str(file), outline.name, features_base_dir=str(file.parent))(test)
            bound = getattr(pytest.mark, MARK)(file=str(file), line=outline.line)(bound)
            python_name, index = _python_name(outline.name), 0
            test_name = f"test_{python_name}"
            while test_name in module_locals:
                index += 1
                test_name = f"test_{python_name}_{index}"
            module_locals[test_name] = bound


def place_of(item: pytest.Item) -> Place | None:
    """Where an item's scenario (and Examples row) is written; None: not bound by `scenarios`."""
    mark = item.get_closest_marker(MARK)
    if mark is None:
        return None
    for outline in parse(mark.kwargs["file"])[1]:
        if outline.line == mark.kwargs["line"]:
            if len(outline.places) == 1 and not outline.places[0].row_line:
                return outline.places[0]
            # The outline's row is the one whose values the item is parametrized with (not
            # by position: other plugins' parametrizations, pytest-repeat's --count,
            # multiply the positions).
            callspec = getattr(item, "callspec", None)
            for value in (callspec.params.values() if callspec else ()):
                if isinstance(value, Mapping):
                    given = {str(key): str(cell) for key, cell in value.items()}
                    for place in outline.places:
                        if dict(place.row) == given:
                            return place
            return outline.places[0]
    return None
