"""Hostile input is tried in child processes with a memory and time cap of their own,
so a regression (a hang, a billion-node expansion) fails its tests instead of taking
the suite or the machine down (issue 10).

`run_capped` runs one command under the cap; `hostile_outcomes` runs a batch of inputs
through the scenario loader and the control API in one capped child (`hostile_child.py`),
which reports each outcome as soon as it has it: if the child dies, the inputs it
reached are reported and the rest say where it died.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

MEMORY_BYTES = 1024 * 1024 * 1024   # address space: Flask and a few threads fit well
CPU_SECONDS = 30
WALL_SECONDS = 60
CHILD = Path(__file__).with_name("hostile_child.py")


def _cap() -> None:  # runs in the child, before it starts
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _same_simulator() -> dict:
    """The environment for a child that imports the simulator these tests import."""
    import simulator
    root = str(Path(simulator.__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [root, *filter(None, [os.environ.get("PYTHONPATH")])])}


def start_capped(argv: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([str(a) for a in argv], preexec_fn=_cap, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_same_simulator(), **kwargs)


def finish(process: subprocess.Popen, timeout: float = WALL_SECONDS):
    """(returncode, stdout, stderr) of a started process; killed (-9) past `timeout`."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        err += f"\n[killed after {timeout} s]"
    return process.returncode, out, err


def hostile_outcomes(folder: Path, cases: dict[str, tuple[str, str | bytes]]) -> dict:
    """name -> outcome of each case {name: (kind, body)}, kind "scenario" or "clock".

    A scenario case is loaded as a file and posted to /__sim__/scenario; a clock case
    is posted to /__sim__/clock. Each outcome is the dict hostile_child.py wrote."""
    listing = []
    for index, (name, (kind, body)) in enumerate(cases.items()):
        path = folder / f"case{index}.txt"
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
        listing.append({"name": name, "kind": kind, "path": str(path)})
    (folder / "cases.json").write_text(json.dumps(listing), encoding="utf-8")
    process = start_capped([sys.executable, CHILD, folder / "cases.json"])
    code, out, err = finish(process)
    results = {}
    for line in out.splitlines():
        if line.startswith("{"):
            outcome = json.loads(line)
            results[outcome["name"]] = outcome
    died = f"the capped child ended with {code} before this case: {err.strip()[-600:]}"
    return {name: results.get(name, {"died": died}) for name in cases}
