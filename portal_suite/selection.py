"""Selecting scenarios as Cucumber does (SPEC §11), a pytest plugin of the suite.

- `pytest features/upgrade.feature` runs that feature's scenarios and
  `pytest features/upgrade.feature:23` the one written at line 23 (a Scenario's line or
  any line of it, an Examples keyword's line for its rows, one row's line for that row, a
  Rule's line for its scenarios, the Feature's for all). Several may be given; a folder
  holding only .feature files means its features. The test module that binds the features
  (tests/test_acceptance.py in a checkout, portal_suite/test_scenarios.py installed) is
  collected instead and the other scenarios deselected.
- Tags become the same markers wherever they are written (feature, Rule, scenario or
  Examples block): `@needs:clock` -> `needs(capability="clock")` and `needs_clock`;
  `@guide:upgrade-5` -> `guide(id="upgrade-5")` and `guide_upgrade_5` (a dash or a
  colon in a name becomes `_`). So `-m "not needs_clock"` and
  `-m "needs(capability='clock')"` select the same scenarios, Examples rows included.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal_suite import SCENARIOS_MODULE
from portal_suite.gherkin import place_of

WANTED_KEY = pytest.StashKey[list]()
_FEATURE_ARG = re.compile(r"^(?P<path>.+\.feature)(?::(?P<lines>\d+(?::\d+)*))?$")
TAG_MARKS = {"needs": "capability", "guide": "id"}


def scenarios_module(config: pytest.Config) -> Path:
    """The module that binds the features: the checkout's tests/test_acceptance.py, else the
    installed package's."""
    checkout = Path(config.rootpath) / "tests" / "test_acceptance.py"
    return checkout if checkout.is_file() else SCENARIOS_MODULE


def _feature_arg(config: pytest.Config, arg: str) -> list[tuple[Path, int | None]] | None:
    """[(feature file, line or None)] an argument names, or None: not a feature argument."""
    found = _FEATURE_ARG.match(arg)
    base = Path(config.invocation_params.dir)
    if found is None:
        folder = base / arg
        if folder.is_dir() and any(folder.rglob("*.feature")) and not any(folder.rglob("*.py")):
            return [(file.resolve(), None) for file in sorted(folder.rglob("*.feature"))]
        return None
    path = (base / found["path"]).resolve()
    if not path.is_file():
        raise pytest.UsageError(f"{arg}: no such feature file")
    lines = found["lines"]
    return [(path, int(line)) for line in lines.split(":")] if lines else [(path, None)]


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    config = session.config
    wanted, args = [], []
    for arg in config.args:
        named = _feature_arg(config, arg)
        if named is None:
            args.append(arg)
            continue
        wanted += named
        module = str(scenarios_module(config))
        if module not in args:
            args.append(module)
    if wanted:
        config.args[:] = args
        config.stash[WANTED_KEY] = wanted


# tryfirst: pytest-bdd's own implementation (a mark named after the whole tag) answers any tag;
# loaded with -p (portal-suite), this plugin registers before it and would never be asked.
@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function):
    """@guide:upgrade-5 on a feature, rule or scenario -> guide(id="upgrade-5"); @needs:clock ->
    needs(capability="clock"). (An Examples block's tags are not offered to this hook:
    pytest_collection_modifyitems below gives its rows the same markers.)"""
    kind, colon, value = tag.partition(":")
    if colon and kind in TAG_MARKS and value:
        getattr(pytest.mark, kind)(**{TAG_MARKS[kind]: value})(function)
        return True
    return None


def _mark_name(kind: str, value: str) -> str:
    return f"{kind}_{re.sub(r'[^0-9A-Za-z]', '_', value)}"


def _tags_of(item: pytest.Item) -> set[tuple[str, str]]:
    """(kind, value) of the item's @needs and @guide tags, however pytest-bdd marked them."""
    tags = set()
    place = place_of(item)
    for tag in place.tags if place else ():
        kind, _, value = tag.partition(":")
        if kind in TAG_MARKS and value:
            tags.add((kind, value))
    for mark in item.iter_markers():
        if mark.name in TAG_MARKS and TAG_MARKS[mark.name] in mark.kwargs:
            tags.add((mark.name, mark.kwargs[TAG_MARKS[mark.name]]))
        kind, colon, value = mark.name.partition(":")  # an Examples tag, marked by its own name
        if colon and kind in TAG_MARKS and value:
            tags.add((kind, value))
    return tags


# tryfirst: before pytest's own -m/-k deselection reads the markers.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    registered = set()
    for item in items:
        have = {(mark.name, mark.kwargs.get(TAG_MARKS.get(mark.name, ""), None)) for mark in item.iter_markers()}
        for kind, value in sorted(_tags_of(item)):
            if (kind, value) not in have:
                item.add_marker(getattr(pytest.mark, kind)(**{TAG_MARKS[kind]: value}))
            name = _mark_name(kind, value)
            if name not in registered:  # registered first: --strict-markers accepts it
                registered.add(name)
                config.addinivalue_line("markers", f"{name}: the scenarios tagged @{kind}:{value}")
            item.add_marker(name)
    _check_tag_selection(config, registered)
    wanted = config.stash.get(WANTED_KEY, None)
    if wanted is None:
        return
    selected, deselected, matched = [], [], set()
    for item in items:
        place = place_of(item)
        hits = [(file, line) for file, line in wanted
                if place is not None and str(file) == place.file and (line is None or place.selected_by(line))]
        matched.update(hits)
        (selected if hits else deselected).append(item)
    missed = [f"{file}{f':{line}' if line else ''}" for file, line in wanted if (file, line) not in matched]
    if missed:
        raise pytest.UsageError(f"no scenario at {', '.join(missed)} (in {scenarios_module(config)})")
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


_TAG_WORD = re.compile(r"\b(?P<kind>needs|guide)(?P<rest>[_:][\w:-]*)")


def _check_tag_selection(config: pytest.Config, known: set[str]) -> None:
    """-m naming a tag marker that no collected scenario has (a typo, or the `needs:clock`
    spelling pytest reads as something else) stops the run instead of selecting everything."""
    expression = config.getoption("markexpr", default="") or ""
    if not known:  # no scenario collected (the project's other tests): nothing to check against
        return
    for found in _TAG_WORD.finditer(expression):
        word = found[0]
        if ":" in word:
            raise pytest.UsageError(f"-m {expression!r}: write {_mark_name(found['kind'], found['rest'][1:])} "
                                    f"(or {found['kind']}({TAG_MARKS[found['kind']]}='{found['rest'][1:]}')) "
                                    f"for the tag @{word}")
        if word not in known:
            raise pytest.UsageError(f"-m {expression!r}: no collected scenario is tagged so ({word}); "
                                    f"known: {', '.join(sorted(name for name in known if name.startswith(found['kind'])))}")


def _check_expressions(config: pytest.Config) -> None:
    """A -k or -m that pytest cannot read stops the run here, in one line: under xdist each
    worker would fail on it alone and the controller report an INTERNALERROR."""
    from _pytest.mark.expression import Expression  # pytest's own reader of -k and -m

    for option, name in (("keyword", "-k"), ("markexpr", "-m")):
        expression = config.getoption(option, default="") or ""
        try:
            if expression.strip():
                Expression.compile(expression)
        except SyntaxError as error:  # what pytest's reader raises (ParseError before pytest 8.4)
            hint = ("; an example whose name holds other characters is selected by its line: "
                    "pytest features/FILE.feature:LINE") if name == "-k" else ""
            raise pytest.UsageError(f"{name} {expression!r}: at column {error.offset}: {error.msg}{hint}") from None


def pytest_configure(config: pytest.Config) -> None:
    _check_expressions(config)
    config.addinivalue_line("markers", "needs(capability): a scenario tagged @needs:<capability>")
    config.addinivalue_line("markers", "guide(id): a scenario tagged @guide:<id> (the help article's item)")
    config.addinivalue_line("markers", "gherkin(file, line): the scenario a test runs, where it is written "
                                       "(portal_suite.gherkin.scenarios)")
