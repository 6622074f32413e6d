"""Rendering the shots: one browser, one simulator, one context per walkthrough.

Screenshots are stable to the byte: fixed clock, fixed viewport, the portal's own font,
animations off, no caret, no hover or focus left over, and a freshly loaded scenario
(so invoice numbers repeat).
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable, Iterable

from harness.browser import launch_args
from harness.control_client import ControlError, SimulatorControl
from harness.server import start_simulator

from .errors import DocsError, StepFailed, first_line
from .images import Shots
from .pdf import pdf_to_png
from .source import PDF, Source
from .walk import Walk
from .walkthroughs import WALKTHROUGHS, Walkthrough, sample_scenario

VIEWPORT = {"width": 1100, "height": 720}
STEP_TIMEOUT_MS = 15_000  # an element not there within this fails its step (generous: a busy CI)


def render(source: Source, *, scale: int = 1, color_scheme: str = "light",
           only: Iterable[str] | None = None, playwright=None,
           prepare_context: Callable | None = None) -> Shots:
    """The PNG of every image the source asks for (or of those of the steps in `only`).

    `playwright`: a running sync Playwright (e.g. pytest-playwright's) to use instead
    of starting one. `prepare_context(context)`: called on each new browser context
    (the visual gate's own test routes a changed stylesheet through it).
    """
    wanted = set(only) if only is not None else None
    pdf_steps = source.pdf_steps()
    walks = [w for w in WALKTHROUGHS if wanted is None or wanted & set(w.steps)]
    options = dict(scale=scale, color_scheme=color_scheme, prepare_context=prepare_context)
    if playwright is not None:
        shots, renderer, outcomes, failed = _walk(walks, source.badges, pdf_steps, playwright, **options)
    else:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as started:
            shots, renderer, outcomes, failed = _walk(walks, source.badges, pdf_steps, started, **options)
    ordered = Shots({name: shots[name] for name, marker in source.markers.items()
                     if name in shots and (wanted is None or marker.step in wanted)})
    ordered.renderer = renderer
    ordered.outcomes = {step: reason for step, reason in outcomes.items() if wanted is None or step in wanted}
    ordered.failed = {step: png for step, png in failed.items() if step in ordered.outcomes}
    ordered.walkthroughs = {step: walk.name for walk in walks for step in walk.steps}
    return ordered


def _walk(walks: list[Walkthrough], badges: dict[str, str], pdf_steps: set[str], playwright, *,
          scale: int, color_scheme: str, prepare_context: Callable | None):
    """Every walk in turn: (shots, renderer, outcome per step (None: passed, else why
    not), the screen each failing step stopped on). A failing walk does not stop the others."""
    sample = sample_scenario()
    launch = launch_args({"headless": True}, playwright)
    try:
        browser = playwright.chromium.launch(**launch)
    except Exception as exc:
        raise DocsError(f"cannot start Chromium: {first_line(exc)}") from None
    executable = launch.get("executable_path")
    renderer = f"{Path(executable).name if executable else 'playwright-chromium'} {browser.version}"
    server = start_simulator()  # each walk loads its own scenario
    control = SimulatorControl(server.url)
    shots: dict[str, bytes] = {}
    outcomes: dict[str, str | None] = {}
    failed: dict[str, bytes] = {}
    logged_in = None  # the first walk logs in through the form; the others reuse its session
    try:
        for walk in walks:
            context = browser.new_context(
                base_url=server.url, viewport=VIEWPORT, device_scale_factor=scale,
                color_scheme=color_scheme, reduced_motion="reduce", locale="en-US",
                timezone_id="UTC", storage_state=logged_in)
            context.set_default_timeout(STEP_TIMEOUT_MS)
            if prepare_context is not None:
                prepare_context(context)
            walker = Walk(context.new_page(), control, badges, logged_in=logged_in is not None)
            try:
                try:
                    control.load_scenario(walk.scenario(copy.deepcopy(sample)))
                except ControlError as exc:
                    raise StepFailed(walk.steps[0], f"the simulator refused the scenario: {exc}") from None
                walk.walk(walker)
                logged_in = logged_in or context.storage_state()
                taken = _own_shots(walk, walker, pdf_steps, scale)
            except StepFailed as exc:
                _merge(outcomes, _stopped_at(walk, exc, walker))
                if walker.failed_screen is not None:
                    failed[exc.step] = walker.failed_screen
                taken = {name: png for name, png in walker.shots.items() if outcomes[name] is None}
                for step in pdf_steps.intersection(walk.steps).intersection(walker.pdfs):
                    if outcomes[step] is None:
                        taken[f"{step}-{PDF}"] = pdf_to_png(walker.pdfs[step], step, scale)
            else:
                _merge(outcomes, {step: None for step in walk.steps})
            finally:
                context.close()
            shots.update(taken)
    finally:
        browser.close()
        server.stop()
    return shots, renderer, outcomes, failed


def _own_shots(walk: Walkthrough, walker: Walk, pdf_steps: set[str], scale: int) -> dict[str, bytes]:
    """The walk's screenshots, and the PDFs the source asks for as images."""
    for step in walk.steps:
        if step not in walker.shots:
            raise StepFailed(step, f"walkthrough {walk.name} took no screenshot of it")
    taken = dict(walker.shots)
    for step in pdf_steps.intersection(walk.steps):
        if step not in walker.pdfs:
            raise StepFailed(step, f"the source asks for its PDF, and walkthrough "
                                   f"{walk.name} downloads none in it")
        taken[f"{step}-{PDF}"] = pdf_to_png(walker.pdfs[step], step, scale)
    return taken


def _stopped_at(walk: Walkthrough, failure: StepFailed, walker: Walk) -> dict[str, str | None]:
    """Each step of a failed walk: shot before the failure (passed), the failing one, or not reached."""
    outcomes = {failure.step: failure.reason}  # (a walk may check a step another walk shoots)
    for step in walk.steps:
        if step == failure.step:
            outcomes[step] = failure.reason
        elif step in walker.shots:
            outcomes[step] = None
        else:
            outcomes[step] = f"not reached: step {failure.step} failed"
    return outcomes


def _merge(outcomes: dict[str, str | None], more: dict[str, str | None]) -> None:
    """Add a walk's outcomes; a step one walk failed stays failed when another passes it."""
    for step, reason in more.items():
        if reason is not None or outcomes.get(step) is None:
            outcomes[step] = reason
