"""`portal-sim docs`: rebuild the help article and its screenshots from the scenarios.

    portal-sim docs [--locale en|ja] [--out DIR] [--scale 1|2] [--update]
                    [--only STEP ...] [--text-only] [--ui-profile NAME] [--stylesheet FILE]

reads docs/source/[LOCALE/]dns-service-plan-change.md, runs the acceptance scenarios
its markers name (article.shots), checks its words against their screens
(article.words), and writes OUT/dns-service-plan-change.md (markers become figures),
OUT/img/<name>.png and OUT/img/dark/<name>.png per marker (an image whose bytes did
not change is left alone: "unchanged"), OUT/img/renderer.txt (the browser build) when
an image was written, and OUT/verified.json, the stamp of each image. OUT is docs/
for en, docs/<locale>/ otherwise.

Exit status: 0 done; 1 a scenario failed or the words no longer match the screens
("portal-sim: docs step upgrade-5 failed: ..."): the article is still written, that
image stamped not verified with its last good image kept and the failing screen
beside it, the other images shot; 2 bad input (arguments, the source, the output
folder, no browser), in one line, nothing written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import struct
import sys
import time
from pathlib import Path

from .errors import DocsError
from .images import KEPT, NEW, UNCHANGED, WRITTEN, write_failed_screens, write_images
from .publish import write_article
from .source import LOCALES, PROJECT, load_source
from .stamps import current_commit, load_stamps, save_stamps, stamp

PROG = "portal-sim docs"


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage too; one line is enough
        raise UsageError(message)


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="rebuild the help article and its screenshots")
    parser.add_argument("--locale", default="en", choices=LOCALES, help="the article's language")
    parser.add_argument("--out", type=Path, default=None, help="default: docs/ (en), docs/<locale>/")
    parser.add_argument("--scale", type=int, default=1, choices=(1, 2))
    parser.add_argument("--update", action="store_true",
                        help="rewrite only images that changed beyond the visual threshold")
    parser.add_argument("--only", action="append", metavar="STEP",
                        help="shoot only this step's images (repeatable); the text is rebuilt whole")
    parser.add_argument("--text-only", action="store_true",
                        help="rebuild the article's text only: no browser, no images")
    parser.add_argument("--ui-profile", metavar="NAME|FILE",
                        help="the UI profile the scenarios run and the words are checked with "
                             "(default: the article's language; `renamed` for the renamed-label portal)")
    parser.add_argument("--stylesheet", type=Path, help="shoot with this stylesheet instead of the "
                                                        "portal's (a restyle's preview; use with --out)")
    return parser


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    return run_docs(args)


def default_out(locale: str) -> Path:
    return Path("docs") if locale == "en" else Path("docs") / locale


def run_docs(args, today: dt.date | None = None) -> int:
    from pages.profile import ProfileError, load_profile

    from . import shots, words

    started = time.monotonic()
    out = Path(args.out) if args.out is not None else default_out(args.locale)
    try:
        source = load_source(out, args.locale)
        steps = {marker.step for marker in source.markers.values()}
        if args.only and (unknown := [step for step in args.only if step not in steps]):
            raise DocsError(f"--only {unknown[0]}: no marker shoots that step (steps: {', '.join(sorted(steps))})")
        if args.text_only and (args.only or args.update or args.stylesheet):
            raise DocsError("--text-only renders no images: --only, --update and --stylesheet have nothing to do")
        if args.stylesheet is not None and not args.stylesheet.is_file():
            raise DocsError(f"--stylesheet {args.stylesheet}: no such file")
        try:
            profile = load_profile(args.ui_profile or args.locale)
        except ProfileError as exc:
            raise DocsError(str(exc)) from None
        stamps = load_stamps(out)
        rendered = None if args.text_only else shots.render(
            source, scale=args.scale, only=args.only, stylesheet=args.stylesheet, profile=args.ui_profile)
        problems = words.check(source, profile, rendered.shots if rendered else None)
        outcomes, failures = [], {}
        if rendered is not None:
            outcomes, failures, stamps = _keep(rendered, problems, source, stamps, out, args,
                                               today or dt.date.today(), profile.name)
            save_stamps(out, stamps, list(source.markers))
        article, text_changed = write_article(source, stamps, out)
    except DocsError as exc:
        print(f"portal-sim: docs: {exc}", file=sys.stderr)
        return 2
    print(f"portal-sim: docs: {article} {'rewritten' if text_changed else 'unchanged'}; "
          f"{_counted(outcomes, args.text_only)} in {time.monotonic() - started:.1f} s")
    for name, outcome, difference in outcomes:
        if outcome in (WRITTEN, KEPT) and difference is not None:
            print(f"  {name}: {outcome} ({difference})")
        elif outcome in (NEW, WRITTEN):
            print(f"  {name}: {outcome}")
    for problem in problems:
        print(f"portal-sim: docs: {problem.where(source)}", file=sys.stderr)
    for name, reason in failures.items():  # marked not verified in the article; the run fails
        print(f"portal-sim: docs step {name} failed: {reason}", file=sys.stderr)
    return 1 if failures or problems else 0


def _keep(rendered, problems, source, stamps, out: Path, args, today: dt.date, profile_name: str):
    """Write the verified images, the failing screens beside the last good ones, and the
    stamps: (image outcomes, why each failing image is not verified, the stamps)."""
    said = {}
    for problem in problems:
        said.setdefault(problem.step, f"the words at line {problem.line}: {problem.message}")
    commit = current_commit(PROJECT)
    light, dark, failed, failures = {}, {}, {}, {}
    stamps = dict(stamps)
    for name, shot in rendered.shots.items():
        marker = source.markers[name]
        reason = shot.reason if not shot.verified else said.get(marker.step)
        figure = {"fills": shot.fills, "ringed": shot.ringed, "title": shot.title, "kind": shot.kind,
                  "dark": shot.dark is not None, **_size(shot.light, args.scale)}
        if reason is None:
            light[name] = shot.light
            if shot.dark is not None:
                dark[name] = shot.dark
            failed[name] = None
        else:
            failures[name] = reason
            failed[name] = shot.light or shot.failed_screen
        stamps[name] = stamp(stamps.get(name), reason=reason, scenario=marker.scenario, profile=profile_name,
                             figure=figure, commit=commit, today=today)
    outcomes = write_images(light, out / "img", update=args.update, renderer=rendered.renderer)
    outcomes += [(f"dark/{file}", outcome, difference) for file, outcome, difference
                 in write_images(dark, out / "img" / "dark", update=args.update)]
    write_failed_screens(failed, out / "img")
    return outcomes, failures, stamps


def _size(png: bytes | None, scale: int) -> dict:
    """The image's size in CSS pixels, from its PNG header."""
    if not png or png[12:16] != b"IHDR":
        return {}
    width, height = struct.unpack(">II", png[16:24])
    return {"width": width // scale, "height": height // scale}


def _counted(outcomes, text_only: bool) -> str:
    if text_only:
        return "no images rendered (--text-only)"
    if not outcomes:
        return "no image verified"
    counts = {kind: sum(1 for _, outcome, _ in outcomes if outcome == kind)
              for kind in (NEW, WRITTEN, KEPT, UNCHANGED)}
    said = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
    return f"{len(outcomes)} images ({said})"
