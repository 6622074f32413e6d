"""The mutants of `make mutants` still apply to today's code, and the harness
never counts an edit that no longer applies as caught. (Running them is
`make mutants`, minutes long; this checks them in milliseconds.)"""
from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from bench.mutant_catalog import MUTANTS
from bench.mutants import Edit, Mutant, PatchError, apply, mutated, try_mutant

ROOT = Path(__file__).resolve().parents[1]


def test_the_catalog_covers_the_portal_rules():
    names = [mutant.name for mutant in MUTANTS]
    assert len(names) == len(set(names)), "two mutants share a name"
    assert len(MUTANTS) >= 27
    assert sum(mutant.rule.startswith(("§5", "§6")) for mutant in MUTANTS) >= 25


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda mutant: mutant.name)
def test_each_mutant_applies_once_and_leaves_valid_source(mutant: Mutant):
    for path, text in mutated(ROOT, mutant.edits).items():
        assert text != path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            compile(text, str(path), "exec")
        elif path.suffix == ".html":
            jinja2.Environment(extensions=["jinja2.ext.i18n"]).parse(text)


def test_an_edit_that_no_longer_applies_fails_loudly_and_changes_nothing(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\ny = 2\n")
    with pytest.raises(PatchError, match="occurs 0 times"):
        apply(tmp_path, [Edit("a.py", "y = 2", "y = 3"), Edit("a.py", "z = 3", "z = 4")])
    with pytest.raises(PatchError, match="no such file"):
        apply(tmp_path, [Edit("b.py", "x", "y")])
    assert (tmp_path / "a.py").read_text() == "x = 1\ny = 2\n"


def test_a_stale_mutant_is_reported_not_caught(tmp_path):
    stale = Mutant("stale", "§6.1", "its text is gone", (Edit("simulator/billing.py", "no such text", "x"),))
    (tmp_path / "simulator").mkdir()
    (tmp_path / "simulator" / "billing.py").write_text("pass\n")
    outcome = try_mutant(tmp_path, stale, [])
    assert outcome.verdict == "PATCH FAILED"
    assert "occurs 0 times" in outcome.detail
