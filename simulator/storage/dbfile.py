"""The `--db` file on disk (SPEC §8, State): one process per file, readable by
its owner only, and the disk's refusals told in plain words.

The lock is an OS lock (flock) on a sidecar ``<db>.lock`` file, held for the
process's life: the kernel frees it when the holder ends, crashed or killed
included. The sidecar is never deleted (deleting it would let a third process
lock a new file while a second one holds the old one); it names its holder.
"""
from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
from pathlib import Path

from ..marks import N_

PRIVATE = 0o600  # the state holds password hashes and the session signing key


class StorageFailure(Exception):
    """The disk refused a write (full, read-only, failing): nothing was changed."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason} ({detail})" if detail else reason)
        self.reason = reason  # plain words, for a page
        self.detail = detail  # SQLite's or the OS's own words, for a log line


class DatabaseInUse(Exception):
    """Another process holds the --db file."""


# SQLite's primary result codes (the part of the extended name before a second
# underscore) that mean the disk, not the request, is at fault.
_DISK_REASONS = {  # marked for the catalog: the 503 page shows them
    "SQLITE_FULL": N_("the disk holding the portal's state is full"),
    "SQLITE_READONLY": N_("the portal's state file is read-only"),
    "SQLITE_IOERR": N_("the disk holding the portal's state reported an error"),
    "SQLITE_CANTOPEN": N_("the portal's state file cannot be opened"),
}
_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "it is not writable by this user",
    errno.EPERM: "it is not writable by this user",
}


def storage_failure(exc: sqlite3.Error) -> StorageFailure | None:
    """The StorageFailure an SQLite error stands for, or None if it is not the disk's."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    for code, reason in _DISK_REASONS.items():
        if name == code or name.startswith(code + "_"):
            return StorageFailure(reason, str(exc))
    return None


def os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc))


def create_private(path: Path) -> None:
    """Create the (empty) database file readable by its owner only; SQLite gives
    its -wal and -shm files the database file's mode. An existing file is kept."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except FileExistsError:
        pass


def check_writable(path: Path) -> None:
    """StorageFailure unless SQLite can write to `path` now (a write, rolled back)."""
    try:
        if os.statvfs(path.parent).f_bavail == 0:
            raise StorageFailure(f"the disk holding {path} is full")
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("CREATE TABLE portal_sim_write_probe (x)")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        failure = storage_failure(exc)
        if failure is None:
            raise
        raise failure from None


class StateLock:
    """The OS lock that makes one process the only one serving a --db file."""

    def __init__(self, db: Path):
        self.db = db
        self.path = db.with_name(db.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> "StateLock":
        """Take the lock, or DatabaseInUse naming the holder; OSError if the folder
        refuses the lock file."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
            os.close(fd)
            raise DatabaseInUse(
                f"{self.db} is in use by another portal-sim ({holder or 'pid unknown'}); "
                f"stop it or use another --db") from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._announce(f"pid {os.getpid()}")
        return self

    def serving(self, url: str) -> None:
        """Name the address too, once the server has its port."""
        self._announce(f"pid {os.getpid()}, serving {url}")

    def _announce(self, holder: str) -> None:
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, (holder + "\n").encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the last descriptor frees the flock
            self._fd = None
