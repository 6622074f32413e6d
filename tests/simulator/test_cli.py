"""`portal-sim` on the command line (SPEC §2): bad input -> one line, exit status 2,
no traceback; good input serves the portal with a production server.

The commands are started all at once by module fixtures (each is a fresh Python
process) and each test checks its own outcome."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from sim_helpers import sample_mapping

PORTAL_SIM = Path(sys.executable).with_name("portal-sim")
TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """name -> CompletedProcess of every bad command line, run in parallel."""
    assert PORTAL_SIM.exists(), f"{PORTAL_SIM} is not installed (pip install -e .)"
    tmp = tmp_path_factory.mktemp("cli")
    bad_plan = sample_mapping()
    bad_plan["services"][0]["plan"] = "gold"
    (tmp / "bad_plan.yaml").write_text(yaml.safe_dump(bad_plan), encoding="utf-8")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    busy_port = busy.getsockname()[1]
    cases = {
        "missing": ["serve", "--scenario", tmp / "missing.yaml", "--port", free_port()],
        "bad_plan": ["serve", "--scenario", tmp / "bad_plan.yaml", "--port", free_port()],
        "port_70000": ["serve", "--port", "70000"],
        "port_in_use": ["serve", "--host", "127.0.0.1", "--port", busy_port],
    }
    processes = {name: subprocess.Popen([str(PORTAL_SIM), *map(str, args)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
                 for name, args in cases.items()}
    results = {}
    try:
        for name, process in processes.items():
            try:
                out, err = process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:       # it started serving: a failure
                process.kill()
                out, err = process.communicate()
            results[name] = subprocess.CompletedProcess(process.args, process.returncode,
                                                        out, err)
    finally:
        busy.close()
    results["port_in_use"].busy_port = busy_port
    return results


def usage_error(result, *fragments) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def test_missing_scenario_file(outcomes):
    usage_error(outcomes["missing"], "missing.yaml")


def test_malformed_scenario_names_the_key_and_entry(outcomes):
    usage_error(outcomes["bad_plan"], "services[0]", "plan", "gold")


def test_port_out_of_range(outcomes):
    usage_error(outcomes["port_70000"], "port", "70000")


def test_port_in_use(outcomes):
    result = outcomes["port_in_use"]
    line = usage_error(result, str(result.busy_port))
    assert "in use" in line


# --- more bad input, in process (simulator.cli.main, without starting a server) ----------

def run_main(capsys, *args) -> tuple[int, str]:
    from simulator.cli import main
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return code, lines[0]


def test_unknown_key_in_scenario(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({**sample_mapping(), "colour": "blue"}), encoding="utf-8")
    code, line = run_main(capsys, "serve", "--scenario", path, "--port", free_port())
    assert code == 2 and "colour" in line


def test_unparseable_scenario(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("plans: [\n", encoding="utf-8")
    code, line = run_main(capsys, "serve", "--scenario", path, "--port", free_port())
    assert code == 2 and "bad.yaml" in line


@pytest.mark.parametrize("port", ["-1", "65536", "http"])
def test_bad_port(capsys, port):
    code, line = run_main(capsys, "serve", "--port", port)
    assert code == 2 and "port" in line


@pytest.mark.parametrize("args", [["frobnicate"], ["serve", "--colour", "blue"], []])
def test_unknown_command_and_option(capsys, args):
    code, _ = run_main(capsys, *args)
    assert code == 2


# --- serving -----------------------------------------------------------------------------

def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two `portal-sim serve` processes: {"testing": url, "plain": url}, plus the db path."""
    db = tmp_path_factory.mktemp("serve") / "state.db"
    commands = {
        "testing": ["serve", "--testing", "--db", str(db)],
        "plain": ["serve"],
    }
    started = {}
    for name, args in commands.items():
        port = free_port()
        process = subprocess.Popen([str(PORTAL_SIM), *args, "--port", str(port)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started[name] = (process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + TIMEOUT
        for name, (process, url) in started.items():
            while True:
                try:
                    _get(url + "/login")
                    break
                except OSError:
                    assert process.poll() is None, process.communicate()
                    assert time.monotonic() < deadline, f"portal-sim {name} did not answer"
                    time.sleep(0.1)
        yield {name: url for name, (_, url) in started.items()} | {"db": db}
    finally:
        for process, _ in started.values():
            process.terminate()
        for process, _ in started.values():
            try:
                process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()


def test_serve_answers_with_a_production_server_and_the_control_api(servers):
    status, headers, body = _get(servers["testing"] + "/__sim__/state")
    assert status == 200
    assert json.loads(body)["now"] == "2026-03-17T09:00:00"
    assert "Werkzeug" not in headers.get("Server", "")          # not Flask's debug server
    status, _, body = _get(servers["testing"] + "/login")
    assert status == 200 and "Log in" in body
    assert servers["db"].exists()


def test_serve_without_testing_has_no_control_api(servers):
    status, _, body = _get(servers["plain"] + "/login")
    assert status == 200 and "Log in" in body
    with pytest.raises(urllib.error.HTTPError) as info:
        _get(servers["plain"] + "/__sim__/state")
    assert info.value.code == 404
