"""Logins that the server can end (SPEC §8, Sessions), and login throttling.

The browser's cookie carries only a random session id (inside Flask's signed
session); the session itself is a row kept with the state, so that

- logging out deletes the row: a replayed old cookie finds nothing;
- a session unused for `idle` ends, and every session ends `lifetime` after login;
- with ``--db`` a login survives a restart, as the state does.

Times here are the real wall clock (not the simulator's business clock, which
tests move by days): the app's ``WALL_CLOCK`` config, ``time.time`` by default.
"""
from __future__ import annotations

import math
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from typing import Callable

from .storage.dbfile import StorageFailure

# `load` is the generation of the scenario load the user logged in to (a tenant's or the
# default's): a session belongs to one account of one load, so neither a new scenario
# nor a new tenant with the same email ever inherits it (SPEC §8).
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, user TEXT NOT NULL, load TEXT NOT NULL, created REAL NOT NULL,
    last_seen REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_by_load ON sessions (load);
"""

# last_seen is written at most this often: a page view need not be a write.
TOUCH_EVERY_SECONDS = 60

# Emails and addresses with recent failures kept at most (memory stays bounded).
MAX_TRACKED = 10_000


class SessionStore:
    def __init__(self, store, clock: Callable[[], float], *, idle: float, lifetime: float):
        self._store = store
        self._clock = clock
        self.idle = idle
        self.lifetime = lifetime
        with store.transaction() as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
            if columns and "load" not in columns:
                # A state file from before sessions were bound to a load: its logins
                # cannot say which account they were, so they end (users log in again).
                db.execute("DROP TABLE sessions")
            for statement in SCHEMA.split(";"):  # executescript would commit mid-transaction
                if statement.strip():
                    db.execute(statement)

    def start(self, user: str, load: str) -> str:
        """A new session for `user` of the scenario load `load`; returns its id (a fresh
        one at every login)."""
        session_id = secrets.token_urlsafe(32)
        now = self._clock()
        with self._store.transaction() as db:
            db.execute("DELETE FROM sessions WHERE last_seen < ? OR created < ?",
                       (now - self.idle, now - self.lifetime))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                       (session_id, user, load, now, now))
        return session_id

    def user(self, session_id: str) -> tuple[str, str] | None:
        """The session's (user, load), or None when it ended (logout, idle, lifetime) or
        never was."""
        now = self._clock()
        with self._store.reading() as db:
            row = db.execute("SELECT user, load, created, last_seen FROM sessions WHERE id = ?",
                             (session_id,)).fetchone()
        if row is None:
            return None
        if now - row["last_seen"] > self.idle or now - row["created"] > self.lifetime:
            self.end(session_id)
            return None
        if now - row["last_seen"] >= TOUCH_EVERY_SECONDS:
            try:
                with self._store.transaction() as db:
                    db.execute("UPDATE sessions SET last_seen = ? WHERE id = ?", (now, session_id))
            except StorageFailure:
                pass  # a read-only or full disk: reading pages goes on; the next view retries
        return row["user"], row["load"]

    def end(self, session_id: str) -> None:
        with self._store.transaction() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def end_load(self, load: str) -> None:
        """End every session of a scenario load (replaced, or its tenant deleted)."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM sessions WHERE load = ?", (load,))

    def end_all_but(self, load: str) -> None:
        """End every session but the ones of `load` (the stored default's). Tenants live
        in memory, so after a restart their loads are gone, and a tenant id used again
        must not inherit an old login (alice+t1 of the last run is not this run's)."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM sessions WHERE load != ?", (load,))


@dataclass(frozen=True)
class Verdict:
    """Whether a login attempt may go ahead; if not, how long to wait."""

    allowed: bool
    retry_after: int = 0


class LoginThrottle:
    """At most `per_email` failed logins per email and `per_address` per client
    address within `window` seconds; past that, refuse until the oldest failure
    leaves the window. A successful login clears its email's failures.

    Failures are forgotten when the scenario changes (`generation`): a new
    scenario is a new portal with new accounts."""

    def __init__(self, clock: Callable[[], float], *, window: float, per_email: int,
                 per_address: int):
        self._clock = clock
        self.window = window
        self.limits = {"email": per_email, "address": per_address}
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._generation: str | None = None
        self._lock = threading.Lock()

    def check(self, email: str, address: str, generation: str) -> Verdict:
        now = self._clock()
        with self._lock:
            self._forget_if_new(generation)
            waits = []
            for key in self._keys(email, address):
                times = self._recent(key, now)
                if len(times) >= self.limits[key[0]]:
                    waits.append(times[0] + self.window - now)
        if waits:
            return Verdict(False, max(1, math.ceil(max(waits))))
        return Verdict(True)

    def failed(self, email: str, address: str, generation: str) -> None:
        now = self._clock()
        with self._lock:
            self._forget_if_new(generation)
            for key in self._keys(email, address):
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > MAX_TRACKED:
                self._prune(now)

    def succeeded(self, email: str, generation: str) -> None:
        with self._lock:
            self._forget_if_new(generation)
            self._failures.pop(("email", email), None)

    @staticmethod
    def _keys(email: str, address: str) -> tuple[tuple[str, str], ...]:
        return ("email", email), ("address", address)

    def _recent(self, key, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def _prune(self, now: float) -> None:
        """Bounded memory under a flood of made-up emails: drop what left the window,
        then, if still too many, the keys whose last failure is oldest."""
        for key in [k for k in self._failures if not self._recent(k, now)]:
            del self._failures[key]
        if len(self._failures) > MAX_TRACKED:
            by_age = sorted(self._failures, key=lambda k: self._failures[k][-1])
            for key in by_age[:len(self._failures) - MAX_TRACKED]:
                del self._failures[key]

    def _forget_if_new(self, generation: str) -> None:
        if generation != self._generation:
            self._failures.clear()
            self._generation = generation
