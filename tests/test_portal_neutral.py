"""The suite knows no portal (SPEC §9): pages/ and steps/ hold no address, no label and no
HTML tag name of either theme of our simulator. What a portal's screens are lives in its
profile; the one module that knows HTML at all is pages/targets.py, which implements the
target kinds the SPEC names (a fact as a row, a `dt`/`dd`, a column...), for any portal."""
from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pages.profile import bundled, load_profile

ROOT = Path(__file__).resolve().parents[1]
SCANNED = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("steps/*.py")])
KINDS_MODULE = ROOT / "pages" / "targets.py"
STEP_DECORATORS = {"step", "given", "when", "then"}
SELECTOR_CALLS = {"locator", "query_selector", "query_selector_all", "wait_for_selector", "evaluate"}


def _selectors(tree: ast.AST) -> set[int]:
    """The literals given to Playwright as CSS/XPath selectors or page scripts."""
    return {id(node.args[0]) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in SELECTOR_CALLS and node.args
            and isinstance(node.args[0], ast.Constant)}


def _literals(path: Path) -> list[tuple[int, str, bool]]:
    """The string literals of a module that are neither docstrings nor Gherkin step texts
    (the features' own words, not a portal's), each with whether it is a selector."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    selectors = _selectors(tree)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skipped.add(id(node.body[0].value))
        if isinstance(node, ast.Dict):  # keys of a mapping are names in the code (the parse types)
            skipped.update(id(key) for key in node.keys if isinstance(key, ast.Constant))
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in STEP_DECORATORS:
            skipped.update(id(arg) for arg in ast.walk(node) if isinstance(arg, ast.Constant))
    return [(node.lineno, node.value, id(node) in selectors) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped]


def _theme_tags() -> set[str]:
    """Every tag name the simulator's templates (both themes) use."""
    tags: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.add(tag)

    for template in (ROOT / "simulator" / "templates").rglob("*.html"):
        Collect().feed(re.sub(r"\{[{%#].*?[}%#]\}", " ", template.read_text(encoding="utf-8"), flags=re.S))
    return tags


def _labels() -> set[str]:
    """Every label, word and cycle name any bundled profile gives (not target keys)."""
    labels: set[str] = set()
    for name in bundled():
        profile = load_profile(name)
        labels |= {spec.template for spec in profile.targets.values() if spec.template and "{" not in spec.template
                   and not spec.template.startswith("/")}
        labels |= set(profile.words.values()) | set(profile.cycles.values())
    return {label for label in labels if len(label) > 2}


def _addresses() -> set[str]:
    fixed = set()
    for name in bundled():
        for template in load_profile(name).addresses.values():
            fixed |= {part for part in re.split(r"\{\w+\}", template) if len(part) > 3}
    return fixed | {"/services", "/invoices", "/login", ".php"}


def problems(path: Path) -> list[str]:
    """Each address, label or theme's tag name among the string literals of `path`."""
    keys = set(load_profile("en").targets)
    tags, labels, addresses = _theme_tags(), _labels(), _addresses()
    assert {"table", "select", "nav"} <= tags and len(labels) > 50 and addresses, "the scan scans nothing"
    found = []
    for line, text, selector in _literals(path):
        if text in keys:
            continue  # a target's key: the suite's own name for it, not the portal's
        if any(address in text for address in addresses):
            found.append(f"{line}: address {text!r}")
        if text.strip() in labels:
            found.append(f"{line}: label {text!r}")
        if path != KINDS_MODULE and (selector or "<" in text):
            named = set(re.findall(r"(?:^|[\s,>(/:'<]|xpath=)([a-z][a-z0-9]*)(?=$|[\s.#:\[,>)/'])", text))
            if named & tags:
                found.append(f"{line}: tag {sorted(named & tags)} in {text!r}")
    return found


@pytest.mark.parametrize("path", SCANNED, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_address_label_or_tag_of_a_theme(path: Path):
    found = problems(path)
    assert not found, f"{path.relative_to(ROOT)} knows a portal's screens (move it to a profile):\n" + "\n".join(found)


def test_the_scan_would_catch_a_typed_address_a_label_and_a_tag(tmp_path):
    """The scan is no test that cannot fail: planted lines are each found."""
    planted = tmp_path / "planted.py"
    planted.write_text('def f(page):\n    page.goto("/services/dns/1001")\n    page.get_by_text("Billing Information")\n'
                       '    page.locator("main tbody tr")\n', encoding="utf-8")
    message = "\n".join(problems(planted))
    assert "address '/services/dns/1001'" in message and "label 'Billing Information'" in message \
        and "tag ['main', 'tbody', 'tr']" in message
