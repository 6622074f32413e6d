"""The `--db` file on disk (SPEC §8, State): only the portal's own file, one process
per file, readable by its owner only, and the disk's refusals told in plain words.

- Ours: a portal state file carries SQLite's ``application_id`` APPLICATION_ID (files
  of earlier portals, without it, are known by their tables). Another program's SQLite
  file is refused before anything opens it for writing: it stays byte-for-byte as it was.
- The lock is an OS lock (flock) on the database file itself, held for the process's
  life: the kernel keys it by the file (its inode), so the same file reached through a
  symlink or a hard link is locked too, and frees it when the holder ends, crashed or
  killed included. (SQLite's own locks are POSIX fcntl locks, which flock does not
  touch.) A sidecar ``<db>.lock`` beside the resolved file names the holder.
"""
from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
from contextlib import closing
from pathlib import Path

from ..marks import N_

PRIVATE = 0o600  # the state holds password hashes and the session signing key

# SQLite's header field for "which application's file is this" (bytes 68-71): "PSIM".
APPLICATION_ID = 0x5053494D
# The tables a portal state file holds (earlier portals' files carry no APPLICATION_ID).
OWN_TABLES = frozenset({"meta", "clients", "users", "services", "invoices", "invoice_lines",
                        "changes", "sessions", "sqlite_sequence"})


class StorageFailure(Exception):
    """The disk refused a write (full, read-only, failing): nothing was changed."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason} ({detail})" if detail else reason)
        self.reason = reason  # plain words, for a page
        self.detail = detail  # SQLite's or the OS's own words, for a log line


class DatabaseInUse(Exception):
    """Another process holds the --db file."""


class ForeignFile(Exception):
    """A --db file that is not a portal state file: left as it is."""


def check_own(path: Path) -> None:
    """ForeignFile unless `path` is missing, empty, or a portal state file. Reads only:
    the header, then (for a file without the stamp) the table names, read-only."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return
    if not header:
        return  # a new file (create_private made it): the portal's from now on
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        raise ForeignFile("is not a portal state file (not an SQLite database)")
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return
    try:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            tables = {row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise ForeignFile(f"is not a portal state file ({exc})") from None
    if "meta" not in tables or not tables <= OWN_TABLES or not _portal_meta(uri):
        shown = ", ".join(sorted(tables)[:5]) or "none"
        raise ForeignFile(f"is not a portal state file: another program's SQLite database "
                          f"(tables: {shown}); it was left as it is")


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


def _portal_meta(uri: str) -> bool:
    """Whether the meta table is an earlier portal's: (key, value) rows with its keys."""
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            columns = [row[1] for row in db.execute("PRAGMA table_info(meta)")]
            if columns != ["key", "value"]:
                return False
            return db.execute("SELECT COUNT(*) FROM meta WHERE key IN "
                              "('secret_key', 'generation')").fetchone()[0] > 0
    except sqlite3.Error:
        return False


class StateLock:
    """The OS lock that makes one process the only one serving a --db file."""

    def __init__(self, db: Path):
        self.db = db
        resolved = Path(os.path.realpath(db))
        self.path = resolved.with_name(resolved.name + ".lock")  # the holder's note
        self._fd: int | None = None
        self._note: int | None = None

    def acquire(self) -> "StateLock":
        """Take the lock, or DatabaseInUse naming the holder; OSError if the file or its
        folder refuses."""
        # Read-only is enough for flock: a read-only state file is then told as such.
        fd = os.open(self.db, os.O_RDONLY | os.O_CREAT, PRIVATE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._holder(fd)
            os.close(fd)
            raise DatabaseInUse(
                f"{self.db} is in use by another portal-sim ({holder or 'pid unknown'}); "
                f"stop it or use another --db") from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        try:
            self._note = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE)
        except OSError:
            self._note = None  # a folder we may not write a note in: the lock still holds
        self._announce(f"pid {os.getpid()}")
        return self

    def _holder(self, fd: int) -> str:
        """Who holds the lock: the note beside the resolved file, else the kernel's word
        (/proc/locks) for a note we cannot find (a hard link in another folder)."""
        try:
            note = self.path.read_text(errors="replace").strip()
        except OSError:
            note = ""
        if note:
            return note
        st = os.fstat(fd)
        wanted = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        try:
            for line in Path("/proc/locks").read_text().splitlines():
                fields = line.split()
                if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == wanted:
                    return f"pid {fields[4]}"
        except OSError:
            pass
        return ""

    def serving(self, url: str) -> None:
        """Name the address too, once the server has its port."""
        self._announce(f"pid {os.getpid()}, serving {url}")

    def _announce(self, holder: str) -> None:
        if self._note is not None:
            os.ftruncate(self._note, 0)
            os.pwrite(self._note, (holder + "\n").encode(), 0)

    def release(self) -> None:
        for fd in (self._note, self._fd):
            if fd is not None:
                os.close(fd)  # closing the last descriptor frees the flock
        self._fd = self._note = None
