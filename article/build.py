"""`portal-sim docs`: rebuild the help article and its step screenshots.

    portal-sim docs [--out DIR] [--scale 1|2] [--color-scheme light|dark]
                    [--update] [--only STEP ...] [--text-only]

writes OUT/dns-service-plan-change.md from docs/source/ (markers become figures) and
OUT/img/<step>.png per marker, OUT/img/renderer.txt (the browser build) when an image
was written (an image whose bytes did not change is left alone: "unchanged"), and
OUT/verified.json, the stamp of each image (article.stamps), shown under its figure.

Exit status: 0 done; 1 a walkthrough step failed or the portal no longer matches the
article ("portal-sim: docs step upgrade-5 failed: ..."): the article is still written,
that step stamped not verified with its last good image kept and the failing screen
beside it, and the other walkthroughs' steps shot; 2 bad input (arguments, the source,
the output folder, no browser), in one line, nothing written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from .errors import DocsError
from .images import KEPT, NEW, UNCHANGED, WRITTEN, write_failed_screens, write_images
from .publish import write_article
from .source import PROJECT, load_source
from .stamps import current_commit, load_stamps, save_stamps, stamp_run

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


def run_docs(args, today: dt.date | None = None) -> int:
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
        stamps = load_stamps(out)
        rendered = None if args.text_only else shots.render(
            source, scale=args.scale, color_scheme=args.color_scheme, only=args.only)
        outcomes = []
        if rendered is not None:
            outcomes = write_images(rendered, out / "img", update=args.update)
            write_failed_screens(rendered, out / "img")
            names = {}
            for name, marker in source.markers.items():
                names.setdefault(marker.step, []).append(name)
            stamps = stamp_run(names, rendered.outcomes, rendered.walkthroughs, stamps,
                               commit=current_commit(PROJECT), today=today or dt.date.today())
            save_stamps(out, stamps, list(source.markers))
        article, text_changed = write_article(source, stamps, out)
    except DocsError as exc:
        print(f"portal-sim: docs: {exc}", file=sys.stderr)
        return 2
    print(f"portal-sim: docs: {article} {'rewritten' if text_changed else 'unchanged'}; "
          f"{_counted(outcomes)} in {time.monotonic() - started:.1f} s")
    for name, outcome, difference in outcomes:
        if outcome in (WRITTEN, KEPT) and difference is not None:
            print(f"  {name}: {outcome} ({difference})")
        elif outcome in (NEW, WRITTEN):
            print(f"  {name}: {outcome}")
    failures = {} if rendered is None else {
        step: reason for step, reason in rendered.outcomes.items()
        if reason is not None and not reason.startswith("not reached")}
    for step, reason in failures.items():  # marked not verified in the article; the run fails
        print(f"portal-sim: docs step {step} failed: {reason}", file=sys.stderr)
    return 1 if failures else 0


def _counted(outcomes) -> str:
    if not outcomes:
        return "no images rendered (--text-only)"
    counts = {kind: sum(1 for _, outcome, _ in outcomes if outcome == kind)
              for kind in (NEW, WRITTEN, KEPT, UNCHANGED)}
    said = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
    return f"{len(outcomes)} images ({said})"
