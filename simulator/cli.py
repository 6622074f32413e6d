"""`portal-sim`: serve the portal (SPEC §2). The article has its own command, `portal-docs`.

Bad input ends with one line naming the problem and exit status 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


MAX_THREADS = 256  # each a real thread; a typo of 100000000 must not take the host down


def shown(text) -> str:
    """A command-line value as a message quotes it: on one line whatever it holds."""
    text = str(text)
    return text if text and text.isprintable() and text == text.strip() else repr(text)


class UsageError(Exception):
    """Bad input from the command line; printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage too; one line is enough
        raise UsageError(message)


def build_parser() -> Parser:
    from .scenario import LOCALES, THEMES

    parser = Parser(prog="portal-sim", description="DNS SERVICE plan-change portal simulator")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    serve = commands.add_parser("serve", help="serve the portal with waitress")
    serve.add_argument("--scenario", type=Path, help="scenario file (YAML or JSON); default: the sample environment")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--db", type=Path, help="SQLite file holding the state across restarts; default: in memory")
    serve.add_argument("--testing", action="store_true", help="enable the control API under /__sim__/")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="a host name the control API answers besides the loopback ones "
                            "and --host (repeatable), e.g. the name CI reaches it by")
    serve.add_argument("--locale", default="en", choices=LOCALES,
                       help="the portal's language when the scenario names none (default en)")
    serve.add_argument("--theme", default="default", choices=THEMES,
                       help="the portal's template when the scenario names none: default, or "
                            "classic, an older client area at query-string addresses "
                            "(default: default)")
    serve.add_argument("--label-catalog", type=Path, metavar="DIR",
                       help="a folder of gettext catalogs (LOCALE/LC_MESSAGES/messages.mo) whose "
                            "messages replace the portal's own, e.g. \"Continue\" shown as \"Next\"")

    commands.add_parser("docs", add_help=False, help="moved: the article is `portal-docs build`")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv[:1] == ["docs"]:
            raise UsageError("the article has its own command now: portal-docs build (portal-docs --help)")
        args = build_parser().parse_args(argv)
        if args.command == "serve":
            return serve(args)
    except UsageError as exc:
        print(f"portal-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


def control_hosts(host: str, allowed: list[str]) -> frozenset[str]:
    """The host names the control API answers to (besides loopback): --host when it
    names one, this machine's name, and every --allow-host."""
    import socket

    names = {name.strip().lower().strip("[]") for name in allowed if name.strip()}
    if host not in ("0.0.0.0", "::", ""):
        names.add(host.lower().strip("[]"))
    names.add(socket.gethostname().lower())
    return frozenset(names)


def make_app(scenario: Path | None, db: Path | None, testing: bool,
             allowed_hosts: frozenset[str] = frozenset(), locale: str = "en",
             label_catalog: Path | None = None, theme: str = "default"):
    """The app for `serve`: a --db that already holds state keeps it across restarts."""
    from . import create_app
    from .storage import dbfile
    from .i18n import LabelCatalogError, label_catalog_directories
    from .scenario import ScenarioError, load_file
    from .storage.store import Store

    if label_catalog is not None:
        try:
            label_catalog_directories(label_catalog)
        except (LabelCatalogError, OSError) as exc:
            raise UsageError(f"--label-catalog {shown(label_catalog)}: {exc}") from None
    try:
        loaded = load_file(scenario) if scenario else None
    except ScenarioError as exc:
        raise UsageError(str(exc)) from None
    if db is not None:
        try:
            dbfile.create_private(db)
            dbfile.check_writable(db)
            kept = Store(str(db)).has_scenario()
        except dbfile.StorageFailure as exc:
            raise UsageError(f"--db {db}: {exc}") from None
        except OSError as exc:
            raise UsageError(f"--db {db} cannot be created: {dbfile.os_reason(exc)}") from None
        except dbfile.ForeignFile as exc:
            raise UsageError(f"--db {shown(db)} {exc}") from None
        except Exception as exc:  # sqlite3.DatabaseError: not a database file
            raise UsageError(f"--db {db} is not a portal state file ({exc})") from None
        if kept:
            if loaded is not None:
                print(f"portal-sim: {db} already holds state; --scenario ignored "
                      f"(delete the file to start from the scenario)", file=sys.stderr)
            loaded = None
    config = {"TESTING": testing, "DATABASE": str(db) if db else None,
              "CONTROL_ALLOWED_HOSTS": allowed_hosts, "PORTAL_LOCALE": locale,
              "PORTAL_THEME": theme,
              "LABEL_CATALOG": str(label_catalog) if label_catalog else None}
    if loaded is not None or db is None:
        config["SCENARIO"] = loaded
    try:
        return create_app(config)
    except dbfile.StorageFailure as exc:  # the first writes: the scenario, the signing key
        raise UsageError(f"--db {db}: {exc}") from None


def serve(args) -> int:
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is out of range (0-65535)")
    if not 1 <= args.threads <= MAX_THREADS:
        raise UsageError(f"--threads {args.threads} is out of range (1-{MAX_THREADS})")
    lock = claim(args.db) if args.db is not None else None
    try:
        return _serve(args, lock)
    finally:
        if lock is not None:
            lock.release()


def claim(db: Path):
    """The lock that makes this process the only one serving `db` (SPEC §8)."""
    from .storage.dbfile import DatabaseInUse, ForeignFile, StateLock, check_own, os_reason

    try:
        if db.is_dir():
            raise UsageError(f"--db {shown(db)} is a folder, not a file")
        if not db.parent.is_dir():
            raise UsageError(f"--db {shown(db)}: folder {shown(db.parent)} does not exist")
        if db.exists() and not db.is_file():  # a FIFO, a device: nothing SQLite can hold
            raise UsageError(f"--db {shown(db)} is not a regular file")
        check_own(db)  # before the lock: another program's file gets no sidecar either
    except ForeignFile as exc:
        raise UsageError(f"--db {shown(db)} {exc}") from None
    except OSError as exc:  # a name too long, a folder we may not look into
        raise UsageError(f"--db {shown(db)}: {os_reason(exc)}") from None
    lock = StateLock(db)
    try:
        return lock.acquire()
    except DatabaseInUse as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"--db {shown(db)}: cannot be locked for this process: "
                         f"{os_reason(exc)}") from None


def _serve(args, lock) -> int:
    import logging

    from waitress import create_server

    from .serving import is_loopback, server_options

    app = make_app(args.scenario, args.db, args.testing,
                   control_hosts(args.host, args.allow_host), args.locale, args.label_catalog,
                   args.theme)
    host = shown(args.host)
    try:
        server = create_server(app, host=args.host, port=args.port, threads=args.threads,
                               ident="portal-sim", **server_options())
    except ValueError:  # waitress: the host name does not resolve (or is no name at all)
        raise UsageError(f"--host {host} is not a host name or address") from None
    except OSError as exc:
        if exc.errno in (98, 48):
            raise UsageError(f"port {args.port} on {host} is already in use") from None
        if exc.errno in (99, 49):  # EADDRNOTAVAIL
            raise UsageError(f"--host {host} is not an address of this machine") from None
        raise UsageError(f"port {args.port} on {host} cannot be used ({exc.strerror})") from None
    url = f"http://{args.host}:{server.effective_port}/"
    if lock is not None:
        lock.serving(url)
    if args.testing and not is_loopback(args.host):
        print(f"portal-sim: warning: --testing on {args.host}: the control API (/__sim__/) "
              f"lets anyone who can reach this address rewrite the portal's state",
              file=sys.stderr, flush=True)
    # A queue under load is normal for a simulator; waitress would log every request of it.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    where = f"state in {args.db}" if args.db else "state in memory"
    control = "control API on /__sim__/" if args.testing else "control API off"
    print(f"portal-sim: serving {url} ({where}; {control})", flush=True)
    try:
        server.run()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
