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


def test_a_scenario_named_alone_runs_alone_and_the_suite_runs_whole(tmp_path, monkeypatch):
    """The killer tried first and the confirmation of a kill run one scenario, not the suite's
    file beside it (which would run every scenario, one after another)."""
    import bench.mutants as mutants

    commands = []

    class Child:
        returncode, pid = 0, 0

        def __init__(self, command, **kwargs):
            commands.append(command)

        def communicate(self, timeout=None):
            return "", None

    monkeypatch.setattr(mutants.subprocess, "Popen", Child)
    mutants.run_suite(tmp_path, f"{mutants.SUITE[0]}::test_x")
    mutants.run_suite(tmp_path, "-n", "2")
    alone, whole = commands
    assert mutants.SUITE[0] not in alone and f"{mutants.SUITE[0]}::test_x" in alone
    assert mutants.SUITE[0] in whole


def test_a_kill_counts_only_when_the_failing_scenario_fails_again_alone(tmp_path, monkeypatch):
    import bench.mutants as mutants

    red = mutants.Run(1, 1.0, "", [mutants.Failure("test_x", "features/x.feature:3 X", "boom")])
    green = mutants.Run(0, 1.0, "")
    mutant = mutants.Mutant("m", "§6", "what", ())
    for second, verdict in ((red, "caught"), (green, "FLAKY")):
        runs = iter([red, second])
        monkeypatch.setattr(mutants, "run_suite", lambda *args, **kwargs: next(runs))
        assert mutants.try_mutant(tmp_path, mutant, ["-n", "2"]).verdict == verdict
