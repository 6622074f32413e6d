"""The store keeps the clock and the logins in memory as well as in SQLite (so a
page view reads neither): the memory must always say what was committed."""
from __future__ import annotations

from datetime import datetime

import pytest

from simulator import scenario as scenario_mod
from simulator.rules import Refused
from simulator.storage.store import Store
from sim_helpers import sample_mapping

MARCH_17 = datetime(2026, 3, 17, 9, 0)


def _stored_now(store: Store) -> datetime:
    with store.reading() as db:
        return datetime.fromisoformat(
            db.execute("SELECT value FROM meta WHERE key = 'now'").fetchone()["value"])


@pytest.fixture
def store() -> Store:
    store = Store()
    store.load_scenario(scenario_mod.from_mapping(sample_mapping()))
    return store


def test_the_clock_moves_in_memory_and_in_the_file_together(store):
    later = datetime(2026, 3, 20, 12, 0)
    store.set_clock(later)
    assert store.now() == _stored_now(store) == later


def test_a_refused_clock_move_changes_neither(store):
    with pytest.raises(Refused, match="never goes backwards"):
        store.set_clock(datetime(2026, 3, 1))
    assert store.now() == _stored_now(store) == MARCH_17


def test_a_new_scenario_replaces_the_logins_and_the_clock(store):
    mapping = sample_mapping()
    mapping["now"] = "2026-05-02T10:00:00"
    mapping["clients"][0]["users"] = []  # bob is gone
    store.load_scenario(scenario_mod.from_mapping(mapping))
    assert store.viewer("bob@example.com") is None
    assert store.viewer("alice@example.com").can_change_plans
    assert store.now() == datetime(2026, 5, 2, 10, 0)


def test_a_reopened_file_restores_the_logins_and_the_clock(tmp_path):
    path = str(tmp_path / "state.db")
    first = Store(path)
    first.load_scenario(scenario_mod.from_mapping(sample_mapping()))
    first.set_clock(datetime(2026, 3, 25, 8, 30))
    reopened = Store(path)
    assert reopened.now() == datetime(2026, 3, 25, 8, 30)
    bob = reopened.viewer("bob@example.com")
    assert bob is not None and not bob.can_change_plans
