"""waitress's settings for the portal (SPEC §8, Load): idle or slow connections
cannot lock other clients out.

waitress reads requests in its event loop and hands only complete ones to the
worker threads, so an idle or slowly dribbled connection costs a socket, not a
thread. What locks clients out is the connection limit (100 by default: 100
idle sockets and waitress stops accepting), select()'s ceiling of 1024
descriptors, and the process's open-file limit. We raise all three and reap
silent connections sooner.
"""
from __future__ import annotations

import ipaddress
import resource

CONNECTION_LIMIT = 2000
# Descriptors besides the clients': the listening socket, the database and its
# -wal/-shm, the lock file, templates and fonts being read, the worker's pipes.
SPARE_FILES = 64


def open_file_limit(wanted: int) -> int:
    """Raise this process's soft RLIMIT_NOFILE towards `wanted` (never above the
    hard limit); returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def server_options() -> dict:
    """Keyword arguments for waitress.create_server."""
    files = open_file_limit(CONNECTION_LIMIT + SPARE_FILES)
    return {
        "connection_limit": max(16, min(CONNECTION_LIMIT, files - SPARE_FILES)),
        "asyncore_use_poll": True,  # select() cannot watch descriptors above 1024
        "channel_timeout": 60,      # a connection silent this long is closed (default 120 s)
        "cleanup_interval": 10,     # how often waitress looks for them (default 30 s)
    }


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach a server bound to `host`."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False
