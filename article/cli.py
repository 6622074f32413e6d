"""`portal-docs`: the living article's own command (SPEC §2, §10).

    portal-docs build [...]        rebuild the articles, their screenshots and the site (article.build)
    portal-docs serve [--out DIR] [--host H] [--port P]
                                   preview the site with live reload
    portal-docs targets STEP [--locale en|ja] [--ui-profile NAME]
                                   the target names a marker can ring on that step's screen

The article engine runs the acceptance scenarios, so it needs the suite beside it
(features/, steps/, pages/, harness/, drivers/): the source checkout this package was
installed from (`pip install -e '.[docs]'`, or `make`). Bad input: one line, exit 2.
"""
from __future__ import annotations

import argparse
from pathlib import Path
import importlib.util
import sys
import time

from .errors import DocsError
from .source import PROJECT

PROG = "portal-docs"
NEEDS = ("playwright", "pixelmatch", "PIL", "pypdfium2", "pytest_bdd", "pytest_playwright", "mkdocs", "material",
         "mkdocs_static_i18n")
SUITE = ("pages", "harness", "steps", "drivers", "features")


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage too; one line is enough
        raise UsageError(message)


def build_parser() -> Parser:
    from .build import add_arguments

    parser = Parser(prog=PROG, description="the living help article: shots, words, site")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    add_arguments(commands.add_parser("build", help="rebuild the articles, their screenshots and the site"))
    serve = commands.add_parser("serve", help="preview the site with live reload")
    serve.add_argument("--out", type=Path, default=None,
                       help="the articles' folder (default docs/; a restyle preview's --out DIR)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8008)
    targets = commands.add_parser("targets", help="the target names a marker can ring on a step's screen")
    targets.add_argument("step", metavar="STEP", help="a marker's step (upgrade-5) or image name")
    targets.add_argument("--locale", default="en", choices=("en", "ja"))
    targets.add_argument("--ui-profile", metavar="NAME|FILE")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _suite_at_hand()
        args = build_parser().parse_args(argv)
        if args.command == "build":
            from .build import run_build

            return run_build(args)
        if args.command == "serve":
            from .site import serve

            print(f"{PROG}: serving the site on http://{args.host}:{args.port}/ (live reload; Ctrl-C stops)",
                  file=sys.stderr)
            serve(args.out, args.host, args.port)
            return 0
        return targets(args)
    except (UsageError, DocsError) as exc:
        print(f"{PROG}: error: {exc}" if isinstance(exc, UsageError) else f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _suite_at_hand() -> None:
    """The suite beside this package on the path (the checkout it was installed from), or one line."""
    missing = [name for name in NEEDS if not _importable(name)]
    if missing:
        raise UsageError(f"portal-docs needs {', '.join(missing)}: pip install -e '.[docs]' in the source checkout")
    if not all((PROJECT / name).is_dir() for name in SUITE):
        raise UsageError(f"portal-docs runs the acceptance scenarios, and {PROJECT} holds no suite (features/, "
                         f"steps/, pages/): install it from the project's source checkout (pip install -e '.[docs]')")
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))  # the package's own checkout, not the current directory


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # (a module set to None, as a test does to hide it)
        return False


def targets(args) -> int:
    """Run the marker's scenario to its step and list the profile's targets on that screen."""
    from .build import default_out
    from .render import render
    from .source import load_source

    started = time.monotonic()
    source = load_source(default_out(args.locale), args.locale)
    markers = [m for m in source.markers.values() if args.step in (m.step, m.name)]
    if not markers:
        raise DocsError(f"targets {args.step}: no marker shoots that step (steps: "
                        f"{', '.join(sorted({m.step for m in source.markers.values()}))})")
    marker = markers[0]
    shot = render(source, names=[marker.name], profile=args.ui_profile, probe=True).shots[marker.name]
    record = shot.record
    if not record.targets and record.outcome != "passed":
        raise DocsError(f"targets {args.step}: the scenario did not reach the step: {record.reason}")
    print(f"{marker.name}: the screen “{record.title}” after `{record.step}` "
          f"(scenario “{marker.scenario}”), in {time.monotonic() - started:.1f} s")
    print(f"the targets a marker can ring there (ring: NAME; NAME ...), profile {args.ui_profile or args.locale}:")
    width = max((len(name) for name, _ in record.targets), default=0)
    for name, reads in record.targets:
        print(f"  {name:<{width}}   reads “{reads}”")
    ringed = ", ".join(str(ring) for ring in marker.ring) or "nothing"
    print(f"(the marker rings now: {ringed})")
    return 0
if __name__ == "__main__":
    sys.exit(main())
