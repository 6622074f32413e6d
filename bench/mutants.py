"""`make mutants`: does the acceptance suite, on its own, catch every regression a user would see?

Each mutant of bench/mutant_catalog.py is a plausible regression written as exact
source edits (file, old text, new text). One at a time, it is planted in a
temporary COPY of this repository (the working tree is never touched), the
acceptance suite runs against the copy (tests/test_acceptance.py, -n 2, stopping
at the first failure), and the copy is restored. The kill matrix says, per mutant,
whether the suite caught it and at which Gherkin step it failed first.

    .venv/bin/python -m bench.mutants                      # every mutant, after a green run of the copy
    .venv/bin/python -m bench.mutants --only tax-from-unrounded-net --only cycle-not-applied
    .venv/bin/python -m bench.mutants --suite-from REV     # the suite (features, steps, pages) of a commit
    .venv/bin/python -m bench.mutants --list
    .venv/bin/python -m bench.mutants --catalog ../elsewhere/catalog.py   # a catalog kept outside the project

A kill counts only when confirmed: the first scenario that failed is run again, alone,
on the mutant, and must fail again; a red suite whose failing scenario then passes alone
is reported FLAKY (a race, not a catch) and counts as not caught. A mutant may carry pytest
options of its own (`options=("--ui-profile", "ja")`: a Japanese wording runs the ja
profile); its edits of a `.po` catalog are compiled to the `.mo` beside it before the run.

An edit whose old text is not in its file exactly once fails loudly (exit 2): it is
never counted as caught. Exit 0 only when the unmutated copy passes and every mutant
is caught; 1 when one is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ["tests/test_acceptance.py"]
# The scenario that caught each mutant last time: tried alone first, a few seconds
# instead of a suite run; the whole suite runs when it no longer catches the mutant.
KILLERS = ROOT / "reports" / "mutant-killers.json"
RUN_TIMEOUT_S = 480  # a suite run takes one or two minutes; one that hangs is reported, not waited for


@dataclass(frozen=True)
class Edit:
    """Replace `old`, which must occur exactly once in `path`, by `new`."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Mutant:
    name: str
    rule: str  # the SPEC rule it breaks ("§6.3"), or "-" for one beyond SPEC §5–§6
    what: str  # the regression, in a few words
    edits: tuple[Edit, ...]
    options: tuple[str, ...] = ()  # pytest options of its runs ("--ui-profile", "ja")


class PatchError(Exception):
    """A mutant's edit no longer applies: its old text is gone or ambiguous."""


@dataclass(frozen=True)
class Failure:
    test: str
    step: str  # "features/x.feature:12 Feature › Scenario › Then ..." or "" if none was reached
    message: str


@dataclass
class Run:
    exit_code: int
    seconds: float
    output: str
    failures: list[Failure] = field(default_factory=list)

    @property
    def green(self) -> bool:
        return self.exit_code == 0

    @property
    def red(self) -> bool:
        """Failed by failing scenarios: exit 1, or 2 when --maxfail stopped the run early;
        not a usage, collection or internal error."""
        return (self.exit_code in (1, 2) and any(failure.test for failure in self.failures)
                and "error during collection" not in self.output)


# --- the copy ---------------------------------------------------------------------------

def copy_repo(dest: Path, root: Path = ROOT) -> Path:
    """Copy the repository's files (tracked and new, not ignored ones such as .venv) to `dest`."""
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-co", "--exclude-standard", "-z"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = root / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


# The acceptance suite: what --suite-from takes from another commit.
# (portal_suite/ holds the plugin conftest.py loads since issue #18; older revisions lack it.)
SUITE_PARTS = ("features", "steps", "pages", "harness", "drivers", "portal_suite", "conftest.py",
               "tests/test_acceptance.py")


def suite_from(copy: Path, revision: str, root: Path = ROOT) -> None:
    """Replace the copy's acceptance suite by that of `revision` (to measure an older suite
    against today's simulator and mutants)."""
    parts = [part for part in SUITE_PARTS if subprocess.run(
        ["git", "-C", str(root), "cat-file", "-e", f"{revision}:{part}"], capture_output=True).returncode == 0]
    archive = subprocess.run(["git", "-C", str(root), "archive", revision, *parts],
                             check=True, capture_output=True).stdout
    for part in parts:
        path = copy / part
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive, check=True)


def mutated(tree: Path, edits: tuple[Edit, ...] | list[Edit]) -> dict[Path, str]:
    """The new text of each file `edits` change in `tree`, without writing anything;
    PatchError when an edit's old text is not in its file exactly once."""
    planned: dict[Path, str] = {}
    for edit in edits:
        path = tree / edit.path
        if not path.is_file():
            raise PatchError(f"{edit.path}: no such file")
        text = planned.get(path) or path.read_text(encoding="utf-8")
        found = text.count(edit.old)
        if found != 1:
            raise PatchError(f"{edit.path}: the text to replace occurs {found} times, not once: {edit.old!r}")
        planned[path] = text.replace(edit.old, edit.new)
    return planned


def apply(copy: Path, edits: tuple[Edit, ...] | list[Edit]) -> dict[Path, str | bytes]:
    """Plant `edits` in `copy`; returns the original contents for restore(). Nothing is
    changed when an edit does not apply. An edited `.po` catalog is compiled to its `.mo`
    (the portal reads the compiled one), whose original bytes are kept too."""
    planned = mutated(copy, edits)
    originals: dict[Path, str | bytes] = {path: path.read_text(encoding="utf-8") for path in planned}
    for path, text in planned.items():
        path.write_text(text, encoding="utf-8")
        if path.suffix == ".po":
            compiled = path.with_suffix(".mo")
            if compiled.exists():
                originals[compiled] = compiled.read_bytes()
            compile_catalog(path)
    return originals


def compile_catalog(po: Path) -> None:
    """`po` compiled to the `.mo` beside it (what `pybabel compile` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source)
    with po.with_suffix(".mo").open("wb") as target:
        write_mo(target, catalog)


def restore(originals: dict[Path, str | bytes]) -> None:
    for path, content in originals.items():
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


# --- the suite ------------------------------------------------------------------------------

def run_suite(copy: Path, *options: str, timeout: float = RUN_TIMEOUT_S) -> Run:
    """The acceptance suite in `copy` (its own simulator, pages and steps), with `options`."""
    junit = copy / "reports" / "mutant-junit.xml"
    junit.unlink(missing_ok=True)
    # A scenario named alone (SUITE::test) runs alone: the suite's file too would run everything.
    alone = any(option.startswith(f"{SUITE[0]}::") for option in options)
    command = [sys.executable, "-m", "pytest", *([] if alone else SUITE), "-p", "no:randomly", "-q",
               f"--junitxml={junit}", "--output", str(copy / "test-results"), *options]
    # The copy first on the path: its simulator/, pages/ and steps/, not the installed ones.
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    # Its own process group, so pytest's workers and browsers go with it if we stop early.
    child = subprocess.Popen(command, cwd=copy, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = child.communicate(timeout=timeout)
        code = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        output, _ = child.communicate()
        code, output = -1, f"timed out after {timeout:.0f} s\n{output}"
    except BaseException:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        raise
    seconds = time.monotonic() - started
    return Run(code, seconds, output, read_failures(junit) if junit.exists() else [])


def read_failures(junit: Path) -> list[Failure]:
    """The failed or erroring tests of a JUnit report, in the order they were reported."""
    failures = []
    for case in ET.parse(junit).iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            continue
        step = next((prop.get("value", "") for prop in case.iter("property")
                     if prop.get("name") == "gherkin_step"), "")
        failures.append(Failure(case.get("name", "?"), step, (problem.get("message") or "").strip()))
    return failures


# --- the matrix ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    verdict: str  # caught | FLAKY | MISSED | PATCH FAILED | ERROR
    seconds: float
    detail: str  # the first failing step, or why there is none
    killer: str = ""  # the test that failed first


def try_mutant(copy: Path, mutant: Mutant, options: list[str], killer: str | None = None) -> Outcome:
    """Plant `mutant`, run the suite (its last `killer` alone first, if known), confirm the
    kill by running the first failing scenario alone again, restore."""
    try:
        originals = apply(copy, mutant.edits)
    except PatchError as error:
        return Outcome(mutant, "PATCH FAILED", 0.0, str(error))
    confirm: Run | None = None
    try:
        own = list(mutant.options)
        run = run_suite(copy, f"{SUITE[0]}::{killer}", *own) if killer else None
        if run is None or not run.red:
            spent = run.seconds if run else 0.0
            run = run_suite(copy, *options, *own)
            run.seconds += spent
        if run.red:
            # The kill counts only if the scenario that failed fails again, alone, on the mutant.
            confirm = run_suite(copy, f"{SUITE[0]}::{run.failures[0].test}", *own)
            run.seconds += confirm.seconds
    finally:
        restore(originals)
    if run.red:
        first = run.failures[0]
        message = first.message.removeprefix(f"{first.step} — ") if first.step else first.message
        where = first.step or f"{first.test} (no Gherkin step recorded)"
        if confirm is not None and confirm.red:
            return Outcome(mutant, "caught", run.seconds, f"{where}\n      {_one_line(message)}", first.test)
        return Outcome(mutant, "FLAKY", run.seconds,
                       f"{where}\n      failed in the suite run, then passed alone: not counted "
                       f"({_one_line(message)})")
    if run.green:
        return Outcome(mutant, "MISSED", run.seconds, "every scenario passed")
    log = ROOT / "reports" / f"mutant-{mutant.name}.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(run.output)
    return Outcome(mutant, "ERROR", run.seconds,
                   f"pytest exit {run.exit_code}: {_last_lines(run.output)} (output: {log.relative_to(ROOT)})")


def _one_line(text: str, width: int = 220) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _last_lines(text: str, count: int = 3) -> str:
    return " | ".join(line for line in text.strip().splitlines()[-count:])


def print_matrix(outcomes: list[Outcome], out=sys.stdout) -> None:
    width = max((len(o.mutant.name) for o in outcomes), default=10)
    print(f"\n{'mutant':<{width}}  {'rule':<6} {'result':<12} {'secs':>5}  first failing step", file=out)
    for o in outcomes:
        print(f"{o.mutant.name:<{width}}  {o.mutant.rule:<6} {o.verdict:<12} {o.seconds:5.0f}  {o.detail}",
              file=out)
    caught = sum(o.verdict == "caught" for o in outcomes)
    flaky = sum(o.verdict == "FLAKY" for o in outcomes)
    in_spec = sum(o.verdict == "caught" and o.mutant.rule.startswith(("§5", "§6")) for o in outcomes)
    spec_total = sum(o.mutant.rule.startswith(("§5", "§6")) for o in outcomes)
    print(f"\ncaught {caught} of {len(outcomes)} mutants, every kill confirmed alone ({in_spec} of {spec_total} "
          f"on SPEC §5–§6 rules); {flaky} flaky (red in the suite, green alone: not counted)", file=out)


def _read_killers() -> dict[str, str]:
    try:
        return json.loads(KILLERS.read_text())
    except (OSError, ValueError):
        return {}


def _write_killers(found: dict[str, str]) -> None:
    KILLERS.parent.mkdir(exist_ok=True)
    KILLERS.write_text(json.dumps({**_read_killers(), **found}, indent=1, sort_keys=True))


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through run_suite, which stops its pytest


def load_catalog(path: str | None) -> list[Mutant]:
    """The mutants of bench/mutant_catalog.py, or of a catalog file (a Python file defining
    MUTANTS, a list of bench.mutants.Mutant) kept elsewhere."""
    if path is None:
        from bench.mutant_catalog import MUTANTS
        return MUTANTS
    import importlib.util

    spec = importlib.util.spec_from_file_location("mutant_catalog_given", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"mutants: {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.MUTANTS)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    parser = argparse.ArgumentParser(prog="python -m bench.mutants", description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="run this mutant (repeatable)")
    parser.add_argument("--suite-from", metavar="REV",
                        help="run the acceptance suite (features, steps, pages, conftest) of this commit")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the green run of the unmutated copy (it guards against counting a "
                             "broken suite as catching everything)")
    parser.add_argument("--full", action="store_true",
                        help=f"run the whole suite for every mutant, not first the scenario that caught it "
                             f"last time ({KILLERS.relative_to(ROOT)})")
    parser.add_argument("-n", "--workers", default="2", help="pytest-xdist workers (default 2)")
    parser.add_argument("--catalog", metavar="FILE",
                        help="a catalog file (Python, defining MUTANTS) instead of bench/mutant_catalog.py")
    options = parser.parse_args(argv)
    MUTANTS = load_catalog(options.catalog)

    chosen = MUTANTS
    if options.only:
        names = {m.name for m in MUTANTS}
        if unknown := [name for name in options.only if name not in names]:
            print(f"mutants: no mutant named {', '.join(unknown)} (see --list)", file=sys.stderr)
            return 2
        chosen = [m for m in MUTANTS if m.name in options.only]
    if options.list:
        for mutant in chosen:
            print(f"{mutant.name:<34} {mutant.rule:<6} {mutant.what}"
                  + (f"  [{' '.join(mutant.options)}]" if mutant.options else ""))
        return 0

    pytest_options = ["-n", options.workers, "--maxfail=1"]
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        copy = copy_repo(Path(tmp))
        if options.suite_from:
            suite_from(copy, options.suite_from)
        if not options.no_baseline:
            # A green run of the unmutated copy under each set of options the mutants use.
            for own in dict.fromkeys(mutant.options for mutant in chosen):
                baseline = run_suite(copy, *pytest_options, *own)
                print(f"unmutated copy{' (' + ' '.join(own) + ')' if own else ''}: "
                      f"{'green' if baseline.green else 'RED'} in {baseline.seconds:.0f} s", flush=True)
                if not baseline.green:
                    print(_last_lines(baseline.output, 15), file=sys.stderr)
                    print("mutants: the suite fails without any mutant; fix that first", file=sys.stderr)
                    return 2
        # Another suite's killers would be the wrong tests: only today's suite keeps a record.
        remember = not options.suite_from
        killers = _read_killers() if remember and not options.full else {}
        outcomes = []
        for mutant in chosen:
            outcome = try_mutant(copy, mutant, pytest_options, killers.get(mutant.name))
            print(f"{mutant.name}: {outcome.verdict} ({outcome.seconds:.0f} s)", flush=True)
            outcomes.append(outcome)
        if remember and not options.catalog:
            _write_killers({o.mutant.name: o.killer for o in outcomes if o.killer})
    print_matrix(outcomes)
    if any(o.verdict in ("PATCH FAILED", "ERROR") for o in outcomes):
        return 2
    return 0 if all(o.verdict == "caught" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
