"""SPEC §2/§8 on the command line: `portal-sim serve` given a hostile scenario file or a
hostile option ends in one line on stderr and exit status 2 within seconds, never a
traceback, a hang or a server started anyway.

What could hang or serve on a regression runs as real `portal-sim` processes under a
memory and time cap (capped.py), all at once; the rest runs in process.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from capped import finish, start_capped
from test_cli import run_main
from test_hostile_inputs import SCENARIOS

PORTAL_SIM = Path(sys.executable).with_name("portal-sim")
WITHIN_SECONDS = 20  # the process starts Python and Flask on a machine shared with the suite

# A few hostile classes (test_hostile_inputs.py tries every case on the loader itself),
# and files whose reading would never end.
FILE_CASES = ["billion laughs in a value", "binary file", "2 MiB of text",
              "next_due a year ahead", "a FIFO", "a device"]
THREADS = ["0", "-3", "100000000"]  # 0 would serve nothing; 10**8 threads, no machine


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """name -> (returncode, stderr, seconds) of each `portal-sim serve` command."""
    assert PORTAL_SIM.exists(), f"{PORTAL_SIM} is not installed (pip install -e .)"
    folder = tmp_path_factory.mktemp("hostile-cli")
    commands = {}
    for index, name in enumerate(FILE_CASES):
        path = folder / f"case{index}.yaml"
        if name == "a FIFO":
            os.mkfifo(path)
        elif name == "a device":
            path = Path("/dev/zero")
        else:
            body = SCENARIOS[name][0]
            path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
        commands[name] = ["--scenario", path]
    commands |= {f"--threads {n}": ["--threads", n] for n in THREADS}
    started = {name: (time.monotonic(), start_capped([PORTAL_SIM, "serve", "--port", "0", *args]))
               for name, args in commands.items()}
    results = {}
    for name, (began, process) in started.items():
        code, _, err = finish(process, timeout=60)
        results[name] = (code, err, time.monotonic() - began)
    return results


def one_line_exit_2(run) -> str:
    code, err, seconds = run
    lines = err.strip().splitlines()
    assert code == 2, (code, err[-800:])
    assert len(lines) == 1 and "Traceback" not in err, err[-800:]
    assert lines[0].startswith("portal-sim: error: ")
    assert seconds < WITHIN_SECONDS
    return lines[0]


@pytest.mark.parametrize("name", FILE_CASES)
def test_hostile_scenario_file_ends_in_one_line_and_exit_2(runs, name):
    line = one_line_exit_2(runs[name])
    for fragment in SCENARIOS[name][1] if name in SCENARIOS else ("not a regular file",):
        assert fragment in line, (fragment, line)


@pytest.mark.parametrize("threads", THREADS)
def test_threads_out_of_range(runs, threads):
    line = one_line_exit_2(runs[f"--threads {threads}"])
    assert "--threads" in line and threads in line, line


# --- options: refused before anything is served (in process) ----------------------------

@pytest.mark.parametrize("host, fragment", [
    ("not a host!", "not a host!"),
    ("a" * 300, "--host"),
    ("", "--host ''"),
    ("999.1.1.1", "999.1.1.1"),
    ("local\nhost", "'local\\nhost'"),
    ("192.0.2.1", "not an address of this machine"),   # TEST-NET: never this machine's
])
def test_bad_host(capsys, host, fragment):
    code, line = run_main(capsys, "serve", "--host", host, "--port", "0")
    assert code == 2 and fragment in line, line


@pytest.mark.parametrize("value", ["abc", "", "8000.5", "1e3"])
def test_threads_and_port_must_be_whole_numbers(capsys, value):
    for option in ("--threads", "--port"):
        code, line = run_main(capsys, "serve", option, value)
        assert code == 2 and option in line, line


@pytest.mark.parametrize("name", ["folder", "5,000-character name"])
def test_scenario_path_that_is_no_file(capsys, tmp_path, name):
    path = tmp_path if name == "folder" else tmp_path / ("s" * 5_000)
    code, line = run_main(capsys, "serve", "--scenario", path, "--port", "0")
    assert code == 2 and "scenario file" in line, line


def test_db_name_too_long(capsys, tmp_path):
    code, line = run_main(capsys, "serve", "--db", tmp_path / ("d" * 5_000), "--port", "0")
    assert code == 2 and "--db" in line, line
