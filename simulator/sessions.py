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
    """Whether a login attempt may go ahead; if not, how long to wait. An attempt let
    in is already counted (`reserved`): a success gives it back."""

    allowed: bool
    retry_after: int = 0
    reserved: tuple = ()  # ((key, time), ...) the attempt was counted under


class LoginThrottle:
    """At most `per_email` failed logins per account (its scenario load + email) and
    `per_address` per client address *within that load* in `window` seconds; past
    that, refuse until the oldest failure leaves the window (SPEC §8).

    - Per load: one tenant's failures never lock the loopback address (every CI worker's)
      out of the other tenants, and a new scenario starts from nothing.
    - An attempt is counted when it is let in, before its password is checked, and given
      back on success: 32 guesses at once get `per_email` password checks, not 32.
    - Per key at most the last `limit` times are kept (a tuple of floats), and at most
      MAX_TRACKED keys: memory stays bounded whatever the flood.
    """

    def __init__(self, clock: Callable[[], float], *, window: float, per_email: int,
                 per_address: int):
        self._clock = clock
        self.window = window
        self.limits = {"email": per_email, "address": per_address}
        self._failures: dict[tuple[str, str, str], tuple[float, ...]] = {}
        self._lock = threading.Lock()

    def check(self, email: str, address: str, load: str) -> Verdict:
        """Let the attempt in (counting it now) or say how long to wait."""
        now = self._clock()
        keys = (("email", load, email), ("address", load, address))
        with self._lock:
            waits = []
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.limits[key[0]]:
                    waits.append(times[0] + self.window - now)
            if waits:
                return Verdict(False, max(1, math.ceil(max(waits))))
            for key in keys:
                limit = self.limits[key[0]]
                self._failures[key] = (self._failures.get(key, ()) + (now,))[-limit:]
            if len(self._failures) > MAX_TRACKED:
                self._prune(now)
        return Verdict(True, reserved=tuple((key, now) for key in keys))

    def succeeded(self, verdict: Verdict) -> None:
        """The attempt was a login: give it back, and clear its account's failures."""
        with self._lock:
            for key, when in verdict.reserved:
                if key[0] == "email":
                    self._failures.pop(key, None)
                    continue
                times = list(self._failures.get(key, ()))
                if when in times:
                    times.remove(when)
                if times:
                    self._failures[key] = tuple(times)
                else:
                    self._failures.pop(key, None)

    def keys(self) -> int:
        return len(self._failures)

    def _recent(self, key, now: float) -> tuple[float, ...]:
        times = self._failures.get(key, ())
        recent = tuple(t for t in times if t > now - self.window)
        if len(recent) != len(times):
            if recent:
                self._failures[key] = recent
            else:
                self._failures.pop(key, None)
        return recent

    def _prune(self, now: float) -> None:
        """Bounded memory under a flood of made-up emails: drop what left the window,
        then, if still too many, the keys whose last failure is oldest."""
        for key in list(self._failures):
            self._recent(key, now)
        if len(self._failures) > MAX_TRACKED:
            by_age = sorted(self._failures, key=lambda k: self._failures[k][-1])
            for key in by_age[:len(self._failures) - MAX_TRACKED]:
                del self._failures[key]
