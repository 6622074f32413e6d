"""The step definitions against the feature files (SPEC §11, "Writing steps"):

- at collection, every step of every collected scenario that no step definition matches is
  reported (a section of the terminal, before any scenario runs) with a ready-to-paste
  snippet; an outline's steps are matched as they run, each Examples row filled in, and its
  snippet keeps the <placeholders> as parameters (no false "undefined" for them);
- `python -m portal_suite.step_index --catalog` prints the steps catalog (docs/steps.md):
  every step pattern, where it is defined, an example from the features and the quoted
  values the features give it (tests/test_steps_catalog.py keeps docs/steps.md current).

pytest-bdd has no public way to list step definitions: `definitions()` is the one place the
suite reads its registry (pytest_bdd.steps.step_function_context_registry), and
tests/test_step_definitions.py fails if that changes.
"""
from __future__ import annotations

import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal_suite.gherkin import GherkinStep, Place, feature_files, parse, place_of

UNDEFINED_KEY = pytest.StashKey[dict]()


@dataclass(frozen=True, eq=False)
class Definition:
    type: str | None  # given | when | then | None (any)
    pattern: str
    module: str
    line: int
    matches: object  # str -> bool
    func: object = None  # the step function

    def where(self) -> str:
        return f"{self.module}:{self.line}"


def definitions(modules: tuple[str, ...] | None = None) -> list[Definition]:
    """The step definitions of the loaded modules (or of those named)."""
    from pytest_bdd.steps import step_function_context_registry  # no public way (see above)

    found = []
    for context in list(step_function_context_registry.values()):
        func = context.step_func
        if modules is not None and func.__module__ not in modules:
            continue
        try:
            _, line = inspect.getsourcelines(func)
        except (OSError, TypeError):
            line = 0
        found.append(Definition(context.type, context.parser.name, func.__module__, line,
                                context.parser.is_matching, func))
    return found


def matching(step: GherkinStep, known: list[Definition]) -> list[Definition]:
    return [definition for definition in known if definition.type in (None, step.type) and definition.matches(step.name)]


_QUOTED = re.compile(r'"[^"]*"')
_NUMBER = re.compile(r"(?<![\w$.])\d+(?![\w.])")
_OUTLINE = re.compile(r"<([^<>]+)>")


def snippet(step: GherkinStep) -> str:
    """A step definition to paste: quoted text and numbers become parameters, an outline's
    <placeholders> too (by their names)."""
    names: list[str] = []

    def name(base: str) -> str:
        candidate = re.sub(r"\W+", "_", base).strip("_").lower() or "value"
        if candidate[0].isdigit():
            candidate = f"value_{candidate}"
        unique, index = candidate, 1
        while unique in names:
            index += 1
            unique = f"{candidate}{index}"
        names.append(unique)
        return unique

    text = (step.template or step.name).replace("{", "{{").replace("}", "}}")
    text = _OUTLINE.sub(lambda found: "{" + name(found[1]) + "}", text)
    text = _QUOTED.sub(lambda found: '"{' + name("text") + '}"' if not found[0].startswith('"{') else found[0], text)
    text = _NUMBER.sub(lambda found: "{" + name("number") + ":d}", text)
    quote = "'" if '"' in text else '"'
    if not names:
        text = text.replace("{{", "{").replace("}}", "}")
    decorator = f"@{step.type}(parsers.parse({quote}{text}{quote}))" if names else f"@{step.type}({quote}{text}{quote})"
    arguments = re.findall(r"(?<!\{)\{(\w+)(?::\w+)?\}", text)  # in the order they are written
    return f"{decorator}\ndef _({', '.join(arguments)}):\n    raise NotImplementedError\n"


def undefined(places: list[Place], known: list[Definition]) -> dict[tuple[str, int], tuple[Place, GherkinStep]]:
    """(feature file, line) -> the first scenario and step found there that nothing matches."""
    missing = {}
    for place in places:
        for step in place.steps:
            if (place.file, step.line) not in missing and not matching(step, known):
                missing[(place.file, step.line)] = (place, step)
    return missing


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    places = [place for place in map(place_of, items) if place is not None]
    if places:
        config.stash[UNDEFINED_KEY] = undefined(places, definitions())


def pytest_collection_finish(session: pytest.Session) -> None:
    missing = session.config.stash.get(UNDEFINED_KEY, {})
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not missing or reporter is None or hasattr(session.config, "workerinput"):
        return
    reporter.write_sep("=", f"undefined steps: {len(missing)} (these scenarios will fail there)", yellow=True)
    root = Path(session.config.rootpath)
    for (file, line), (place, step) in sorted(missing.items()):
        where = Path(file).relative_to(root) if Path(file).is_relative_to(root) else Path(file)
        reporter.write_line(f"{where}:{line} {place.feature} › {place.scenario} › {step.keyword} {step.template or step.name}")
    reporter.write_line("")
    reporter.write_line("Paste and fill in (from pytest_bdd import given, when, then, parsers):")
    seen = set()
    for _, step in sorted(missing.values(), key=lambda found: (found[0].file, found[1].line)):
        code = snippet(step)
        if code not in seen:
            seen.add(code)
            reporter.write_line("")
            for line in code.splitlines():
                reporter.write_line(line)


# --- The steps catalog -------------------------------------------------------------------

def catalog(features: Path, modules: tuple[str, ...], root: Path, profile: str = "en") -> str:
    import importlib

    profile_file = features.parent / "profiles" / f"{profile}.yaml"
    targets = profile_targets(profile_file) if profile_file.exists() else {}
    for module in modules:
        importlib.import_module(module)
    known = sorted(definitions(modules), key=lambda definition: (definition.module, definition.line))
    uses: dict[Definition, list[tuple[str, GherkinStep]]] = {definition: [] for definition in known}
    for file in feature_files(features):
        for outline in parse(str(file))[1]:
            for place in outline.places:
                for step in place.steps:
                    for definition in matching(step, known):
                        uses[definition].append((f"{file.relative_to(root)}:{step.line}", step))
    lines = ["# Steps catalog", "",
             "Every step definition of the suite (steps/), where it is defined, an example from the",
             "features, the quoted values the features give it and, for a quoted label, the targets it",
             "accepts from the UI profile. Generated: do not edit; rebuild with",
             "`.venv/bin/python -m portal_suite.step_index --catalog > docs/steps.md`",
             "(tests/test_steps_catalog.py fails when it is stale).", ""]
    for kind in ("given", "when", "then", None):
        chosen = [definition for definition in known if definition.type == kind]
        if not chosen:
            continue
        lines += [f"## {kind.capitalize() if kind else 'Any keyword'}", ""]
        for definition in chosen:
            used = uses[definition]
            lines.append(f"### `{definition.pattern}`")
            lines.append("")
            lines.append(f"- Defined: `{definition.module.replace('.', '/')}.py:{definition.line}`")
            if used:
                where, step = used[0]
                lines.append(f"- Example: `{step.keyword} {step.template or step.name}` ({where}; used {len(used)}×)")
                quoted = sorted({value for _, step in used for value in re.findall(r'"([^"<>]*)"', step.name)})
                if quoted:
                    shown = ", ".join(f"`{value}`" for value in quoted[:25]) + (" …" if len(quoted) > 25 else "")
                    lines.append(f"- Quoted values in the features: {shown}")
            else:
                lines.append("- Example: none (unused)")
            if ":Label}" in definition.pattern and targets:
                clicks = "clicks" in definition.pattern
                accepted = sorted({label for label, clickable in targets.values() if clickable or not clicks})
                lines.append(f"- Accepts ({'a control to click' if clicks else 'a target'}, by its label in the "
                             f"`{profile}` profile): " + ", ".join(f"`{label}`" for label in accepted))
            lines.append("")
    if targets:
        lines += [f"## Targets of the `{profile}` profile", "",
                  f"What a quoted label names (profiles/{profile}.yaml `targets:`); a portal's own profile",
                  "gives its own labels to the same target names.", "",
                  "| Target | Label | Clicked |", "| --- | --- | --- |"]
        lines += [f"| {name} | {label} | {'yes' if clickable else ''} |" for name, (label, clickable) in targets.items()]
    return "\n".join(lines).rstrip() + "\n"


def profile_targets(path: Path) -> dict[str, tuple[str, bool]]:
    """target name -> (its label, whether a person clicks it), from a UI profile's `targets:`."""
    import yaml

    from pages.targets import spec_of

    found = {}
    for name, entry in (yaml.safe_load(path.read_text(encoding="utf-8")).get("targets") or {}).items():
        try:
            spec = spec_of(entry, name)
        except ValueError:
            continue
        if spec.kind != "absent" and spec.label and not spec.label.startswith("/"):
            found[name] = (spec.label, spec.clickable)
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["--catalog"]:
        print("usage: python -m portal_suite.step_index --catalog > docs/steps.md", file=sys.stderr)
        return 2
    from portal_suite import FEATURES
    from steps import MODULES

    sys.stdout.write(catalog(FEATURES, tuple(MODULES), FEATURES.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
