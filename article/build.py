"""`portal-docs build`: rebuild the help articles, their screenshots and the site.

    portal-docs build [--locale en|ja ...] [--out DIR] [--site DIR | --no-site] [--scale 1|2]
                      [--update] [--only STEP ...] [--changed] [--text-only] [--ui-profile NAME]
                      [--stylesheet FILE --out DIR]

reads docs/source/[LOCALE/]dns-service-plan-change.md (every language unless --locale
names some), runs the acceptance scenarios its markers name (article.render; the
languages side by side, one browser and one simulator each), checks its words against
their screens (article.wordcheck), and writes OUT/dns-service-plan-change.md (markers
become figures), OUT/img/<name>.png and OUT/img/dark/<name>.png per marker (an image
whose bytes did not change is left alone: "unchanged"), OUT/img/renderer.txt (the
browser build) when an image was written, and OUT/verified.json, the stamp of each
image. OUT is docs/ for en, docs/<locale>/ otherwise (--out DIR: DIR, DIR/<locale>).
Then the site (article.site): site/ (--out DIR: DIR/site).

Exit status: 0 done; 1 a scenario failed, the words no longer match the screens, a
figure has no image or an image no figure, or the languages' figures differ ("portal-docs:
step upgrade-5 failed: ..."): the article is still written, that image stamped not
verified with its last good image kept and the failing screen beside it, the other
images shot; 2 bad input (arguments, the source, the output folder, no browser), in
one line, nothing written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocsError
from .images import KEPT, NEW, REMOVED, UNCHANGED, WRITTEN, remove_orphans, write_failed_screens, write_images
from .publish import present_images, write_article
from .source import LOCALES, PROJECT, Source, load_source, shown_path
from .stamps import current_commit, fingerprint, load_stamps, recheck, save_stamps, stamp
from .wordcheck import Problem, quoted_in

PROG = "portal-docs"
WORDS_FAILED = "the words at line"  # the reason of an image whose words do not match its screen
DOCS = PROJECT / "docs"


def default_out(locale: str, out: Path | None = None) -> Path:
    base = DOCS if out is None else Path(out)
    return base if locale == "en" else base / locale


def words_of(source: Source, marker) -> str:
    """The fingerprint of the words checked against a figure's screen: its marker, and
    the labels its section quotes."""
    return fingerprint(marker.as_json(), quoted_in(source.prose(marker.step), source.locale))


@dataclass
class Article:
    """One language's article through a build."""

    locale: str
    out: Path
    source: Source
    profile: object = None
    stamps: dict = field(default_factory=dict)
    running: object = None  # the child run shooting it
    problems: list[Problem] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    outcomes: list = field(default_factory=list)
    shot: list[str] = field(default_factory=list)  # the images this run shot


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locale", action="append", choices=LOCALES,
                        help="the article's language (repeatable; default: every language)")
    parser.add_argument("--out", type=Path, default=None,
                        help="default: docs/ (en) and docs/<locale>/; DIR: DIR and DIR/<locale>")
    parser.add_argument("--site", type=Path, default=None, help="where the site goes (default: site/, "
                                                                "or OUT/site with --out)")
    parser.add_argument("--no-site", action="store_true", help="write the articles only, not the site")
    parser.add_argument("--scale", type=int, default=1, choices=(1, 2))
    parser.add_argument("--update", action="store_true",
                        help="rewrite only images that changed beyond the visual threshold")
    parser.add_argument("--only", action="append", metavar="STEP",
                        help="shoot only this step's images (repeatable); the text is rebuilt whole")
    parser.add_argument("--changed", action="store_true",
                        help="shoot only the figures whose marker or quoted words changed since their "
                             "stamp, or that are not verified or have no image")
    parser.add_argument("--text-only", action="store_true",
                        help="rebuild the article's text only: no browser, no images; a stamp whose "
                             "words changed is cleared, none is granted")
    parser.add_argument("--ui-profile", metavar="NAME|FILE",
                        help="the UI profile the scenarios run and the words are checked with "
                             "(default: the article's language; `renamed` for the renamed-label portal)")
    parser.add_argument("--stylesheet", type=Path, help="shoot with this stylesheet instead of the "
                                                        "portal's: a restyle's preview, into --out DIR "
                                                        "(never into docs/)")


def run_build(args, today: dt.date | None = None) -> int:
    from pages.profile import ProfileError, load_profile

    from . import render

    started = time.monotonic()
    locales = list(dict.fromkeys(args.locale or LOCALES))
    articles: list[Article] = []
    try:
        _refuse_bad_options(args)
        for locale in locales:
            out = default_out(locale, args.out)
            source = load_source(out, locale)
            steps = {marker.step for marker in source.markers.values()}
            if args.only and (unknown := [step for step in args.only if step not in steps]):
                raise DocsError(f"--only {unknown[0]}: no marker shoots that step (steps: {', '.join(sorted(steps))})")
            try:
                profile = load_profile(args.ui_profile or locale)
            except ProfileError as exc:
                raise DocsError(str(exc)) from None
            articles.append(Article(locale, out, source, profile, load_stamps(out)))
        for article in articles:
            if not args.text_only:
                names = _changed(article) if args.changed else None
                if names != []:
                    article.running = render.start(article.source, scale=args.scale, only=args.only, names=names,
                                                   stylesheet=args.stylesheet, profile=args.ui_profile)
        commit = current_commit(PROJECT)
        for article in articles:
            rendered = render.finish(article.running) if article.running is not None else None
            _check_and_write(article, rendered, args, today or dt.date.today(), commit)
        site = None
        if not args.no_site:
            from .site import build_site

            site = build_site([(a.locale, a.out, a.source) for a in _every_language(articles, args)],
                              args.site or (PROJECT / "site" if args.out is None else Path(args.out) / "site"))
    except DocsError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    finally:  # the children close their browsers and portals meanwhile
        for article in articles:
            if article.running is not None:
                render.reap(article.running)
    for article in articles:
        print(f"{PROG}: {article.source.shown()} → {article.out / 'dns-service-plan-change.md'}: "
              f"{_counted(article.outcomes, args.text_only)}")
        for name, outcome, difference in article.outcomes:
            if outcome in (WRITTEN, KEPT) and difference is not None:
                print(f"  {name}: {outcome} ({difference})")
            elif outcome in (NEW, WRITTEN, REMOVED):
                print(f"  {name}: {outcome}")
    if site is not None:
        print(f"{PROG}: site → {site}")
    print(f"{PROG}: done in {time.monotonic() - started:.1f} s")
    failed = False
    for article in articles:
        for problem in article.problems:
            print(f"{PROG}: {problem.where(article.source)}", file=sys.stderr)
        for name, reason in article.failures.items():  # marked not verified in the article; the run fails
            if reason.startswith(WORDS_FAILED):  # said above in full
                reason = reason.split(": ", 1)[0] + ", above"
            print(f"{PROG}: step {name} failed ({article.locale}): {reason}", file=sys.stderr)
        failed = failed or bool(article.problems or article.failures)
    return 1 if failed else 0


def _refuse_bad_options(args) -> None:
    if args.text_only and (args.only or args.update or args.stylesheet or args.changed):
        raise DocsError("--text-only renders no images: --only, --changed, --update and --stylesheet have "
                        "nothing to do")
    if args.stylesheet is not None:
        if not args.stylesheet.is_file():
            raise DocsError(f"--stylesheet {args.stylesheet}: no such file")
        out = None if args.out is None else Path(args.out).resolve()
        if out is None or out == DOCS.resolve() or DOCS.resolve() in out.parents:
            raise DocsError("--stylesheet shoots a restyle's preview, which never goes into docs/: "
                            "add --out DIR outside docs/ (e.g. --out /tmp/restyle), then "
                            "`portal-docs serve --out DIR`")


def _every_language(articles: list[Article], args) -> list[Article]:
    """The site shows every language: those this build did not write are read as they are."""
    built = {article.locale for article in articles}
    others = []
    for locale in LOCALES:
        if locale not in built:
            out = default_out(locale, args.out)
            try:
                others.append(Article(locale, out, load_source(out, locale)))
            except DocsError:
                continue
    return sorted([*articles, *others], key=lambda article: LOCALES.index(article.locale))


def _changed(article: Article) -> list[str]:
    """The figures whose marker or quoted words changed since their stamp, or that are not
    verified, or have no image."""
    present = present_images(article.out)
    return [name for name, marker in article.source.markers.items()
            if name not in present or name not in article.stamps or not article.stamps[name].verified
            or article.stamps[name].words != words_of(article.source, marker)]


def _check_and_write(article: Article, rendered, args, today: dt.date, commit: str) -> None:
    from . import wordcheck

    source, out = article.source, article.out
    published = _published_headings(out)
    shots = rendered.shots if rendered else None
    article.problems = wordcheck.check(source, article.profile, shots, published_headings=published)
    built = set(args.locale or LOCALES)
    for locale in LOCALES:
        if locale != article.locale:
            try:
                other = load_source(default_out(locale, args.out), locale)
            except DocsError:
                continue
            article.problems += wordcheck.parity(source, other, both_ways=locale not in built)
    stamps = dict(article.stamps)
    if rendered is not None:
        stamps = _keep(article, rendered, stamps, args, today, commit)
    for name, marker in source.markers.items():  # the figures not shot: kept, or cleared
        if name not in article.shot and name in stamps:
            stamps[name] = recheck(stamps[name], words=words_of(source, marker), step=marker.step)
    save_stamps(out, stamps, list(source.markers))
    if rendered is not None and not args.only and not args.changed:  # a full run: images no figure has go
        article.outcomes += remove_orphans(out / "img", set(source.markers))
    present = present_images(out)
    for name, marker in source.markers.items():
        if name not in present and name not in article.failures:
            article.problems.append(Problem(marker.line, (name,), (
                f"figure {name} has no image yet (img/{name}.png): `portal-docs build --only {marker.step}` "
                f"shoots it")))
    for name in sorted(present - set(source.markers)):
        article.problems.append(Problem(0, (), (
            "belongs to no figure of the article (a renamed or removed marker?): a full `portal-docs build` "
            "removes it"), path=shown_path(out / "img" / f"{name}.png")))
    article.problems.sort(key=lambda problem: problem.line)
    write_article(source, stamps, out)


def _keep(article: Article, rendered, stamps: dict, args, today: dt.date, commit: str) -> dict:
    """Write the verified images, the failing screens beside the last good ones, and the
    stamps of the images shot."""
    said = {}
    for problem in article.problems:
        for name in problem.figures:
            said.setdefault(name, f"{WORDS_FAILED} {problem.line}: {problem.message}")
    light, dark, failed = {}, {}, {}
    for name, shot in rendered.shots.items():
        marker = article.source.markers[name]
        record = shot.record
        reason = record.reason if not shot.verified else said.get(name)
        figure = {"fills": record.fills, "ringed": record.ringed, "title": record.title, "kind": record.kind,
                  "dark": shot.dark is not None, **_size(shot.light, args.scale)}
        if reason is None:
            light[name] = shot.light
            if shot.dark is not None:
                dark[name] = shot.dark
            failed[name] = None
        else:
            article.failures[name] = reason
            failed[name] = shot.light or shot.failed_screen
        image = fingerprint(shot.light or b"", shot.dark or b"") if reason is None else ""
        stamps[name] = stamp(stamps.get(name), reason=reason, scenario=marker.scenario,
                             profile=article.profile.name, figure=figure, commit=commit, today=today,
                             image=image, words=words_of(article.source, marker))
        article.shot.append(name)
    article.outcomes = write_images(light, article.out / "img", update=args.update, renderer=rendered.renderer)
    article.outcomes += [(f"dark/{file}", outcome, difference) for file, outcome, difference
                         in write_images(dark, article.out / "img" / "dark", update=args.update)]
    write_failed_screens(failed, article.out / "img")
    return stamps


def _published_headings(out: Path) -> frozenset[str]:
    """The headings of the article as last published in OUT (quoted as a reader would)."""
    from .source import HEADING, _plain

    path = out / "dns-service-plan-change.md"
    if not path.is_file():
        return frozenset()
    return frozenset(_plain(heading["title"]) for line in path.read_text(encoding="utf-8").splitlines()
                     if (heading := HEADING.match(line)))


def _size(png: bytes | None, scale: int) -> dict:
    """The image's size in CSS pixels, from its PNG header."""
    if not png or png[12:16] != b"IHDR":
        return {}
    width, height = struct.unpack(">II", png[16:24])
    return {"width": width // scale, "height": height // scale}


def _counted(outcomes, text_only: bool) -> str:
    if text_only:
        return "text only, no images rendered"
    if not outcomes:
        return "no image verified"
    counts = {kind: sum(1 for _, outcome, _ in outcomes if outcome == kind)
              for kind in (NEW, WRITTEN, KEPT, UNCHANGED, REMOVED)}
    said = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
    return f"{len(outcomes)} images ({said})"
