"""The `--db` file (SPEC §8, State): one process per file, readable by its owner
only, a read-only or full disk told in one line at start or as a 503 while
serving (nothing half-written), and control-API changes that are atomic."""
from __future__ import annotations

import ctypes
import errno
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from harness.control_client import SimulatorControl
from harness.http_client import FormClient
from harness.portal_process import PortalProcess
from harness.server import serve_in_thread
from simulator.storage.dbfile import APPLICATION_ID
from sim_helpers import credit_of, logged_in, review, sample_mapping, state, submit, text_of

SERVE = [sys.executable, "-m", "simulator.cli", "serve", "--port", "0"]
REVIEW = "/services/dns/1001/change/review?plan=start&cycle=monthly"


def refused_at_start(args, **run) -> str:
    """Run `portal-sim serve ARGS`, which must refuse: exit 2 and one line; returns it."""
    result = subprocess.run(SERVE + [str(a) for a in args], capture_output=True, text=True,
                            timeout=60, **run)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


# --- one process per file ---------------------------------------------------------------

def test_a_second_portal_on_the_same_db_exits_2_naming_the_holder(tmp_path):
    db = tmp_path / "state.db"
    with PortalProcess(db=db) as first:
        line = refused_at_start(["--db", db])
        assert "in use by another portal-sim" in line, line
        assert f"pid {first.process.pid}" in line and first.url in line, line
        assert SimulatorControl(first.url).state()["now"]  # the holder serves on


def test_a_killed_holder_frees_the_db(tmp_path):
    db = tmp_path / "state.db"
    first = PortalProcess(db=db).start()
    SimulatorControl(first.url).advance(days=1)
    first.kill()  # SIGKILL: no clean-up ran; the kernel dropped the lock
    with PortalProcess(db=db) as second:
        assert SimulatorControl(second.url).state()["now"] == "2026-03-18T09:00:00"


def test_state_files_are_readable_by_their_owner_only(tmp_path):
    db = tmp_path / "state.db"
    with PortalProcess(db=db) as portal:
        SimulatorControl(portal.url).advance(minutes=1)
        modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in tmp_path.iterdir()}
    assert modes == {name: "0o600" for name in
                     ("state.db", "state.db-wal", "state.db-shm", "state.db.lock")}


# --- refused at start --------------------------------------------------------------------

def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n" * 100)
    line = refused_at_start(["--db", db])
    assert f"--db {db} is not a portal state file" in line, line
    assert db.read_text().startswith("these are my notes")


def test_a_folder_given_as_db_is_refused(tmp_path):
    assert "is a folder" in refused_at_start(["--db", tmp_path])


def _drop_root_overrides() -> None:
    """In the child before exec: drop the capabilities that let root ignore file
    permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) from its
    bounding set, so root is bound by a chmod like any file owner."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


PR_CAPBSET_DROP = 24
# Keyword arguments for subprocess.run so that a chmod binds the process run.
BOUND_BY_PERMISSIONS = {"preexec_fn": _drop_root_overrides} if os.geteuid() == 0 else {}


@pytest.fixture
def read_only(tmp_path):
    """Make a path read-only for the test; writable again afterwards (for clean-up)."""
    made = []

    def make(path: Path, mode: int) -> Path:
        path.chmod(mode)
        made.append(path)
        return path

    yield make
    for path in made:
        path.chmod(0o700)


def test_a_read_only_folder_is_refused_at_start(tmp_path, read_only):
    folder = tmp_path / "shelf"
    folder.mkdir()
    read_only(folder, 0o555)
    line = refused_at_start(["--db", folder / "state.db"], **BOUND_BY_PERMISSIONS)
    assert "not writable" in line and "state.db" in line, line
    assert list(folder.iterdir()) == []


def test_a_read_only_state_file_is_refused_at_start(tmp_path, read_only):
    db = tmp_path / "state.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # the portal's own file
    read_only(db, 0o444)
    line = refused_at_start(["--db", db], **BOUND_BY_PERMISSIONS)
    assert f"--db {db}: the portal's state file is read-only" in line, line


# --- a write the disk refuses while serving: 503, nothing half-written ----------------------

def pragma(app, setting: str) -> None:
    """Set a pragma on the app's own database connection (how SQLite simulates a
    read-only or full disk without root)."""
    with app.extensions["store"].reading() as db:
        db.execute(f"PRAGMA {setting}")


@pytest.fixture
def file_app(make_app, tmp_path):
    return make_app(DATABASE=str(tmp_path / "state.db"))


def test_a_submit_on_a_read_only_disk_is_a_503_page_and_changes_nothing(file_app):
    client = logged_in(file_app.test_client())
    _, _, token = review(client)
    pragma(file_app, "query_only = ON")

    answer = submit(client, token=token)

    assert answer.status_code == 503
    text = text_of(answer.get_data(as_text=True))
    assert "Changes cannot be saved right now" in text
    assert "the portal's state file is read-only" in text and "Nothing was changed" in text
    assert state(client)["invoices"] == [] and credit_of(client) == "1.00"

    pragma(file_app, "query_only = OFF")  # the disk is back: the same review goes through
    answer = submit(client, token=token)
    assert answer.status_code == 303 and answer.location.endswith("/invoices/INV-000001")


def test_a_clock_move_on_a_read_only_disk_is_a_503_json_and_changes_nothing(file_app):
    client = file_app.test_client()
    pragma(file_app, "query_only = ON")
    answer = client.post("/__sim__/clock", json={"advance_days": 1})
    assert answer.status_code == 503
    assert answer.get_json() == {"error": "the change was not saved: the portal's state file "
                                          "is read-only"}
    assert state(client)["now"] == "2026-03-17T09:00:00"


def test_a_scenario_on_a_full_disk_is_a_503_json_and_changes_nothing(file_app):
    client = file_app.test_client()
    before = state(client)
    with file_app.extensions["store"].reading() as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    pragma(file_app, f"max_page_count = {pages}")  # the disk holds not one page more
    bigger = sample_mapping()
    bigger["services"] += [{**bigger["services"][0], "id": 5000 + n} for n in range(400)]

    answer = client.post("/__sim__/scenario", data=yaml.safe_dump(bigger),
                         content_type="application/yaml")

    assert answer.status_code == 503
    assert "the disk holding the portal's state is full" in answer.get_json()["error"]
    assert state(client) == before


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs, and a function that fills it up (needs root allowed to mount)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs",
                                            str(disk)], capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root in a system that allows it")

    def fill() -> Path:
        filler = disk / "filler"
        # Unbuffered: a buffered writer keeps the bytes that did not fit, and its close
        # then fails again with ENOSPC, outside the try.
        with open(filler, "wb", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
        return filler

    try:
        yield disk, fill
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_full_disk_is_refused_at_start(small_disk):
    disk, fill = small_disk
    fill()
    db = disk / "state.db"
    line = refused_at_start(["--db", db])
    assert line.startswith(f"portal-sim: error: --db {db}: ") and line.endswith("is full"), line


def test_a_submit_when_the_disk_fills_up_is_a_503_page_and_changes_nothing(small_disk):
    disk, fill = small_disk
    with PortalProcess(db=disk / "state.db") as portal:
        user = FormClient(portal.url)
        user.log_in("alice@example.com", "alice-pass")
        review_page = user.get(REVIEW)
        filler = fill()
        with pytest.raises(urllib.error.HTTPError) as refusal:
            user.submit_review(review_page, 1001)
        assert refusal.value.code == 503
        text = text_of(refusal.value.read().decode())
        assert "the disk holding the portal's state is full" in text, text
        control = SimulatorControl(portal.url)
        assert control.state()["invoices"] == []

        filler.unlink()  # room again: the same review goes through, numbered from 1
        assert "Invoice #INV-000001" in user.submit_review(review_page, 1001)


# --- atomic control-API changes ---------------------------------------------------------

def test_ten_concurrent_clock_advances_of_an_hour_add_ten_hours(make_app, tmp_path):
    # A file database: each commit takes long enough for the others to queue behind it.
    server = serve_in_thread(make_app(DATABASE=str(tmp_path / "state.db")))
    try:
        control = SimulatorControl(server.url)
        start = datetime.fromisoformat(control.state()["now"])
        ready = threading.Barrier(10)

        def advance(_):
            ready.wait()
            return control.advance(minutes=60)

        with ThreadPoolExecutor(10) as pool:
            list(pool.map(advance, range(10)))
        assert datetime.fromisoformat(control.state()["now"]) == start + timedelta(hours=10)
    finally:
        server.stop()


def test_pages_stay_readable_on_a_read_only_disk(make_app, tmp_path):
    """Reading needs no write: a session's last-seen time that cannot be saved is no 503."""
    clock = [1_800_000_000.0]
    app = make_app(DATABASE=str(tmp_path / "state.db"), WALL_CLOCK=lambda: clock[0])
    client = logged_in(app.test_client())
    clock[0] += 5 * 60                   # past the interval at which a view records itself
    pragma(app, "query_only = ON")
    page = client.get("/services/dns")
    assert page.status_code == 200
    assert "Basic" in text_of(page.get_data(as_text=True))
