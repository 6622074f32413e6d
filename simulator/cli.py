"""`portal-sim`: serve the portal, regenerate the article (SPEC §2).

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
    parser = Parser(prog="portal-sim", description="DNS SERVICE plan-change portal simulator")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    serve = commands.add_parser("serve", help="serve the portal with waitress")
    serve.add_argument("--scenario", type=Path, help="scenario file (YAML or JSON); default: the sample environment")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--db", type=Path, help="SQLite file holding the state across restarts; default: in memory")
    serve.add_argument("--testing", action="store_true", help="enable the control API under /__sim__/")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")

    docs = commands.add_parser("docs", help="regenerate the article and its screenshots")
    docs.add_argument("--out", type=Path, default=Path("docs"))
    docs.add_argument("--scale", type=int, default=1, choices=(1, 2))
    docs.add_argument("--color-scheme", default="light", choices=("light", "dark"))
    docs.add_argument("--update", action="store_true",
                      help="rewrite only images that changed beyond the visual threshold")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "serve":
            return serve(args)
        if args.command == "docs":
            from .docs_cli import run_docs
            return run_docs(args)
    except UsageError as exc:
        print(f"portal-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


def make_app(scenario: Path | None, db: Path | None, testing: bool):
    """The app for `serve`: a --db that already holds state keeps it across restarts."""
    from . import create_app
    from .scenario import ScenarioError, load_file
    from .store import Store

    try:
        loaded = load_file(scenario) if scenario else None
    except ScenarioError as exc:
        raise UsageError(str(exc)) from None
    if db is not None:
        try:
            if db.exists() and db.is_dir():
                raise UsageError(f"--db {shown(db)} is a folder, not a file")
            if not db.parent.exists():
                raise UsageError(f"--db {shown(db)}: folder {shown(db.parent)} does not exist")
        except OSError as exc:  # a name too long, a folder we may not look into
            raise UsageError(f"--db {shown(db)}: {exc.strerror or exc}") from None
        try:
            kept = Store(str(db)).has_scenario()
        except Exception as exc:  # sqlite3.DatabaseError: not a database file
            raise UsageError(f"--db {db} is not a portal state file ({exc})") from None
        if kept:
            if loaded is not None:
                print(f"portal-sim: {db} already holds state; --scenario ignored "
                      f"(delete the file to start from the scenario)", file=sys.stderr)
            loaded = None
    config = {"TESTING": testing, "DATABASE": str(db) if db else None}
    if loaded is not None or db is None:
        config["SCENARIO"] = loaded
    return create_app(config)


def serve(args) -> int:
    import logging

    from waitress import create_server

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is out of range (0-65535)")
    if not 1 <= args.threads <= MAX_THREADS:
        raise UsageError(f"--threads {args.threads} is out of range (1-{MAX_THREADS})")
    app = make_app(args.scenario, args.db, args.testing)
    host = shown(args.host)
    try:
        server = create_server(app, host=args.host, port=args.port, threads=args.threads,
                               ident="portal-sim")
    except ValueError:  # waitress: the host name does not resolve (or is no name at all)
        raise UsageError(f"--host {host} is not a host name or address") from None
    except OSError as exc:
        if exc.errno in (98, 48):
            raise UsageError(f"port {args.port} on {host} is already in use") from None
        if exc.errno in (99, 49):  # EADDRNOTAVAIL
            raise UsageError(f"--host {host} is not an address of this machine") from None
        raise UsageError(f"port {args.port} on {host} cannot be used ({exc.strerror})") from None
    # A queue under load is normal for a simulator; waitress would log every request of it.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    where = f"state in {args.db}" if args.db else "state in memory"
    control = "control API on /__sim__/" if args.testing else "control API off"
    print(f"portal-sim: serving http://{args.host}:{server.effective_port}/ ({where}; {control})",
          flush=True)
    try:
        server.run()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
