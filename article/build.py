"""`portal-sim docs`: rebuild the help article and its step screenshots.

    portal-sim docs [--out DIR] [--scale 1|2] [--color-scheme light|dark]
                    [--update] [--only STEP ...] [--text-only]

writes OUT/dns-service-plan-change.md from docs/source/ (markers become figures) and
OUT/img/<step>.png per marker, plus OUT/img/renderer.txt (the browser build) when an
image was written. An image whose bytes did not change is left alone ("unchanged").

Exit status: 0 done; 1 a walkthrough step failed or the portal no longer matches the
article ("portal-sim: docs step upgrade-5 failed: ..."); 2 bad input (arguments, the
source, the output folder, no browser), in one line.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import DocsError, StepFailed
from .images import KEPT, NEW, UNCHANGED, WRITTEN, write_images
from .publish import write_article
from .source import load_source

PROG = "portal-sim docs"


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage too; one line is enough
        raise UsageError(message)


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="rebuild the help article and its screenshots")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--scale", type=int, default=1, choices=(1, 2))
    parser.add_argument("--color-scheme", default="light", choices=("light", "dark"))
    parser.add_argument("--update", action="store_true",
                        help="rewrite only images that changed beyond the visual threshold")
    parser.add_argument("--only", action="append", metavar="STEP",
                        help="shoot only this step's images (repeatable); the text is rebuilt whole")
    parser.add_argument("--text-only", action="store_true",
                        help="rebuild the article's text only: no browser, no images")
    return parser


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    return run_docs(args)


def run_docs(args) -> int:
    from . import shots
    from .walkthroughs import STEPS

    started = time.monotonic()
    out = Path(args.out)
    try:
        source = load_source(out, STEPS)
        if args.only and (unknown := [step for step in args.only if step not in STEPS]):
            raise DocsError(f"--only {unknown[0]}: no such step (steps: {', '.join(STEPS)})")
        if args.text_only and (args.only or args.update):
            raise DocsError("--text-only renders no images: --only and --update have nothing to do")
        rendered = None if args.text_only else shots.render(
            source, scale=args.scale, color_scheme=args.color_scheme, only=args.only)
        article, text_changed = write_article(source, out)
        outcomes = [] if rendered is None else write_images(rendered, out / "img", update=args.update)
    except DocsError as exc:
        print(f"portal-sim: docs: {exc}", file=sys.stderr)
        return 2
    except StepFailed as exc:
        print(f"portal-sim: {exc}", file=sys.stderr)
        return 1
    print(f"portal-sim: docs: {article} {'rewritten' if text_changed else 'unchanged'}; "
          f"{_counted(outcomes)} in {time.monotonic() - started:.1f} s")
    for name, outcome, difference in outcomes:
        if outcome in (WRITTEN, KEPT) and difference is not None:
            print(f"  {name}: {outcome} ({difference})")
        elif outcome in (NEW, WRITTEN):
            print(f"  {name}: {outcome}")
    return 0


def _counted(outcomes) -> str:
    if not outcomes:
        return "no images rendered (--text-only)"
    counts = {kind: sum(1 for _, outcome, _ in outcomes if outcome == kind)
              for kind in (NEW, WRITTEN, KEPT, UNCHANGED)}
    said = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
    return f"{len(outcomes)} images ({said})"
