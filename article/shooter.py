"""The pytest plugin that shoots the article's screenshots while the scenarios run.

`portal-docs build` runs the acceptance suite with this plugin (`-p article.shooter`,
from article.render), narrowed to the scenarios the article's markers name. After the
Gherkin step a marker names, it rings the marker's targets (the UI profile's, as the
steps locate them) and shoots the page, light and dark; it keeps what the words check
needs (that screen's text and the names of its controls, the values a caption fills in,
the plans on offer) in one ShotRecord per marker (article.record), written to
SHOTS/manifest.json. A marker is verified when its scenario passes; a scenario that
fails leaves its markers not verified, with the step and the screen it failed on. A
scenario whose markers are all shot already (the other examples of an outline) is
skipped. A marker with `probe` set is not shot: the record lists the targets of the
UI profile on that screen instead (`portal-docs targets STEP`).

    --article-markers FILE   the markers to shoot (JSON, written by article.build)
    --article-shots DIR      where the PNGs and manifest.json go
    --article-scale 1|2      device pixels per CSS pixel
    --article-stylesheet F   serve this stylesheet instead of the portal's (a restyle's preview)
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.browser import CONTEXT_OPTIONS
from pages.base import Among
from portal_suite.gherkin import place_of
from pages.formats import fields_of

from .errors import StepFailed, first_line
from .overlay import BOX_JS, shoot
from .pdf_image import pdf_to_png
from .record import FAILED, MANIFEST, NOT_RUN, PASSED, SHOT, ShotRecord
from .source import FILL_IN

VIEWPORT = {"width": 1100, "height": 720}
BROWSER_LOCALES = {"ja": "ja-JP"}  # the browser's language beside the portal's; en-US otherwise
# What a caption's short fill-ins read: the first of these rows on screen (its last cell).
SHORT_FILLS = {
    "total": ("the Total charge for today row", "the Total row"),
    "subtotal": ("the Subtotal row",),
    "tax": ("the tax row",),
    "credit": ("the Credit applied row", "the Credit added to your balance row"),
}

# Everything a reader sees: the page's text, the option each list shows, the values typed.
SCREEN_TEXT_JS = """() => {
  const parts = [document.body.innerText];
  for (const s of document.querySelectorAll('select')) if (s.selectedOptions[0]) parts.push(s.selectedOptions[0].textContent);
  for (const i of document.querySelectorAll('input')) if (i.value && !['hidden', 'password'].includes(i.type)) parts.push(i.value);
  return parts.join('\\n');
}"""
# What a writer can point at on a screen: its controls, field labels, row headers and headings.
CONTROLS = ("a, button, select, input:not([type=hidden]), textarea, label, th[scope=row], "
            "[role=rowheader], h1, h2, h3, legend, .status")

def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("article", "the article's screenshots (portal-docs build)")
    group.addoption("--article-markers", type=Path, help="the markers to shoot (JSON)")
    group.addoption("--article-shots", type=Path, help="where the PNGs and manifest.json go")
    group.addoption("--article-scale", type=int, default=1, choices=(1, 2))
    group.addoption("--article-locale", default="en", help="the article's language")
    group.addoption("--article-stylesheet", type=Path, help="serve this stylesheet instead of the portal's")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--article-markers", None) is not None:
        config.pluginmanager.register(Shooter(config), "article-shooter")


class Shooter:
    def __init__(self, config: pytest.Config):
        self.markers: list[dict] = json.loads(config.getoption("--article-markers").read_text(encoding="utf-8"))
        self.out: Path = config.getoption("--article-shots")
        self.out.mkdir(parents=True, exist_ok=True)
        self.scale: int = config.getoption("--article-scale")
        stylesheet = config.getoption("--article-stylesheet")
        self.stylesheet = stylesheet.read_text(encoding="utf-8") if stylesheet else None
        locale = config.getoption("--article-locale")
        config.stash[CONTEXT_OPTIONS] = {
            "viewport": VIEWPORT, "device_scale_factor": self.scale, "color_scheme": "light",
            "reduced_motion": "reduce", "locale": BROWSER_LOCALES.get(locale, "en-US"), "timezone_id": "UTC"}
        # Per marker, filled as the run goes.
        self.records: dict[str, ShotRecord] = {
            marker["name"]: ShotRecord(marker["name"], reason="its scenario did not run", scenario=marker["scenario"])
            for marker in self.markers}
        self.scenarios = {marker["scenario"] for marker in self.markers}
        self.renderer = ""
        self._item_markers: dict[str, list[dict]] = {}  # nodeid -> the markers shot in it
        self._nodes: dict[str, str | None] = {}  # nodeid -> its scenario's name, once it runs
        self._restyled: set[str] = set()
        self._last: str | None = None  # the last scenario to run: the manifest is written after it

    # --- which scenarios run ---------------------------------------------------------

    @staticmethod
    def scenario_of(item: pytest.Item) -> str | None:
        """The name of the scenario an item runs, as pytest-bdd names it when it runs (an
        outline's row rendered), from where the feature file has it; None: not a scenario."""
        place = place_of(item)
        return place.scenario if place is not None else None

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        kept = [item for item in items if self.scenario_of(item) in self.scenarios]
        found = {self.scenario_of(item) for item in kept}
        for marker in self.markers:
            if marker["scenario"] not in found:
                record = self.records[marker["name"]]
                record.outcome = FAILED
                record.reason = (f"no scenario named {marker['scenario']!r} "
                                 f"(or it does not run against this portal)")
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
        self._last = kept[-1].nodeid if kept else None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        scenario = self._nodes[item.nodeid] = self.scenario_of(item)
        if all(self.records[m["name"]].outcome == PASSED for m in self.markers if m["scenario"] == scenario):
            pytest.skip("its markers are shot already (another example of the outline)")

    def pytest_bdd_before_step(self, request, feature, scenario, step, step_func):
        """The restyle's stylesheet, routed once the Givens are done (the page opens then)."""
        if self.stylesheet is None or step.type == "given" or request.node.nodeid in self._restyled:
            return
        self._restyled.add(request.node.nodeid)
        request.getfixturevalue("page").context.route(
            "**/static/portal.css", lambda route: route.fulfill(body=self.stylesheet, content_type="text/css"))

    # --- the shots -------------------------------------------------------------------

    def pytest_bdd_after_step(self, request, feature, scenario, step, step_func, step_func_args):
        if scenario.name not in self.scenarios or step.type == "given":
            return  # (a Given's portal is not open yet: looking would open the browser too early)
        due = [marker for marker in self.markers
               if marker["scenario"] == scenario.name and marker["after"] == step.name
               and self.records[marker["name"]].outcome in (NOT_RUN, FAILED)
               and marker not in self._item_markers.get(request.node.nodeid, [])]
        if not due:
            return
        nodeid = request.node.nodeid
        portal = request.getfixturevalue("portal")
        screen = _screen_text(portal.page)
        shot_here = self._item_markers.setdefault(nodeid, [])
        for marker in due:
            self._renderer(request)
            try:
                record = self._shoot(marker, portal, request, screen)
            except StepFailed as exc:  # the step passed, the shot cannot be taken
                raise AssertionError(f"the article's shot {marker['name']}: {exc.reason}") from None
            record.step = f"{step.keyword} {step.name}"
            shot_here.append(marker)
            self.records[marker["name"]] = record

    def pytest_bdd_step_error(self, request, feature, scenario, step, step_func, step_func_args, exception):
        if scenario.name not in self.scenarios:
            return
        try:
            page = request.getfixturevalue("portal").page
            screen = page.screenshot(full_page=True, animations="disabled", caret="hide")
        except Exception:  # the page itself is gone: the reason says enough
            return
        (self.out / f"{_slug(request.node.nodeid)}.failed.png").write_bytes(screen)

    def pytest_bdd_step_func_lookup_error(self, request, feature, scenario, step, exception):
        self.pytest_bdd_step_error(request, feature, scenario, step, None, {}, exception)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """A marker is verified when its scenario's steps pass (the call); the scenario's
        fixtures closing after it (teardown) do not change what the screens showed."""
        if report.when == "teardown":
            return
        if report.failed or report.when == "call":
            failed_screen = self.out / f"{_slug(report.nodeid)}.failed.png"
            failed_name = failed_screen.name if failed_screen.is_file() else None
            for name in [m["name"] for m in self._item_markers.get(report.nodeid, [])]:
                record = self.records[name]
                if report.failed and record.outcome == SHOT:
                    record.outcome, record.reason, record.failed_screen = FAILED, _reason(report), failed_name
                elif record.outcome == SHOT:
                    record.outcome = PASSED
            if report.failed:  # the markers this scenario did not reach
                scenario = self._nodes.get(report.nodeid)
                for marker in self.markers:
                    record = self.records[marker["name"]]
                    if marker["scenario"] == scenario and record.outcome == NOT_RUN:
                        record.outcome, record.reason, record.failed_screen = FAILED, _reason(report), failed_name
        if report.nodeid == self._last and (report.when == "call" or report.failed or report.skipped):
            self._write_manifest()  # the parent reads it now, while the browser and portal close

    def pytest_sessionfinish(self, session) -> None:
        self._write_manifest()

    def _write_manifest(self) -> None:
        ran = set(self._nodes.values())
        for marker in self.markers:  # a scenario that passed without the marker's step
            record = self.records[marker["name"]]
            if record.outcome == NOT_RUN and marker["scenario"] in ran:
                record.outcome = FAILED
                record.reason = (f"scenario {marker['scenario']!r} passed, but has no "
                                 f"step {marker['after']!r} to shoot after")
        manifest = {"renderer": self.renderer, "records": {name: r.to_json() for name, r in self.records.items()}}
        part = self.out / f"{MANIFEST}.part"
        part.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        part.replace(self.out / MANIFEST)  # whole or not at all

    # --- one shot --------------------------------------------------------------------

    def _renderer(self, request) -> None:
        if not self.renderer:
            launch = request.getfixturevalue("browser_type_launch_args")
            executable = launch.get("executable_path")
            version = request.getfixturevalue("browser").version
            self.renderer = f"{Path(executable).name if executable else 'playwright-chromium'} {version}"

    def _shoot(self, marker: dict, portal, request, screen: str) -> ShotRecord:
        page, profile, name = portal.page, portal.profile, marker["name"]
        world = request.getfixturevalue("world")
        record = ShotRecord(name, SHOT, scenario=marker["scenario"], screen=screen, plans=world.plan_names(),
                            controls=_controls(page), fills=_fills(portal, marker["caption"]), title=_title(page))
        if marker.get("probe"):
            record.targets = _targets_on(profile, page, record.plans)
            return record
        if marker["pdf"]:
            link = _located(profile, page, marker["pdf"], marker["step"])
            address = link.get_attribute("href")
            answer = page.request.get(address)
            body = answer.body()
            if not answer.ok or not body.startswith(b"%PDF-"):
                raise StepFailed(marker["step"], f"{marker['pdf'][0]} gives {answer.status} "
                                                 f"{answer.headers.get('content-type', '')!r}, not a PDF")
            (self.out / f"{name}.png").write_bytes(pdf_to_png(body, marker["step"], self.scale))
            record.images, record.kind = [f"{name}.png"], "pdf"
            return record
        targets = [_located(profile, page, ring, marker["step"]) for ring in marker["ring"]]
        record.ringed = [name for target in targets for name in Among("ringed", target).names()[:1]]
        for scheme, file in (("light", f"{name}.png"), ("dark", f"{name}.dark.png")):
            page.emulate_media(color_scheme=scheme)
            boxes = [_box(target, ring, marker["step"]) for target, ring in zip(targets, marker["ring"])]
            (self.out / file).write_bytes(shoot(page, boxes))
            record.images.append(file)
        page.emulate_media(color_scheme="light")
        return record


def _controls(page) -> list[str]:
    """The names of what a writer can point at on the screen, once each, in page order."""
    return list(dict.fromkeys(Among("controls", page.locator(CONTROLS)).names()))


def _targets_on(profile, page, plans: list[str]) -> list[list[str]]:
    """[target name, what it reads] for each target of the profile on this screen; a target
    whose label takes a value is tried with each plan name of the scenario."""
    found = []
    for key, spec in profile.targets.items():
        names = fields_of(spec.has_text or spec.label)
        tries = [({}, key)] if not names else (
            [({names[0]: plan}, f'{key} "{plan}"') for plan in plans] if len(names) == 1 else [])
        for fields, shown in tries:
            try:
                located = profile.locate_whole(page, key, **fields)
                if located.count() != 1 or not located.is_visible():
                    continue
                reads = " ".join(located.inner_text(timeout=500).split())[:60]
            except Exception:  # a label this screen cannot even express: not here
                continue
            found.append([shown, reads])
    return found


def _located(profile, page, ring: list, step: str):
    key, value = ring
    try:
        spec = profile.spec(key)
    except Exception as exc:
        raise StepFailed(step, first_line(exc)) from None
    label = spec.has_text or spec.label
    fields = {}
    if value is not None and spec.kind == "items":
        fields = {"name": value}  # the item of the list whose name reads so
    elif value is not None:
        names = fields_of(label)
        if len(names) != 1:
            raise StepFailed(step, f"{key} takes no quoted value" if not names else
                                   f"{key} has fields {', '.join(names)}: it cannot be given one value")
        fields = {names[0]: value}
    locator = profile.locate_whole(page, key, **fields)
    try:
        locator.first.wait_for(state="visible")
    except Exception:
        raise StepFailed(step, f"{key}{f' {value!r}' if value else ''} is not on the screen to ring") from None
    count = locator.count()
    if count != 1:
        raise StepFailed(step, f"{key} matches {count} elements on the screen: ring one (give its value)")
    return locator


def _box(locator, ring: list, step: str) -> dict:
    box = locator.evaluate(BOX_JS)
    if not box["width"] or not box["height"]:
        raise StepFailed(step, f"{ring[0]} is not visible, nothing to ring")
    return box


def _screen_text(page) -> str:
    try:
        return page.evaluate(SCREEN_TEXT_JS)
    except Exception:  # navigating: the next step's screen will say it
        return ""


def _title(page) -> str:
    headings = page.locator("h1").all_inner_texts()
    return " ".join(headings[0].split()) if headings else page.title()


def _fills(portal, caption: str) -> dict[str, str | None]:
    """The value on screen of each {field} the caption uses: a short name (SHORT_FILLS),
    a row ("{Subtotal}" is the Subtotal row's last cell), or a target's text."""
    values = {}
    for field in FILL_IN.findall(caption):
        keys = SHORT_FILLS.get(field) or (f"the {field} row", f"the {field}")
        values[field] = None
        for key in keys:
            if key not in portal.profile.targets:
                continue
            located = portal.profile.locate_whole(portal.page, key)
            if not located.count():
                continue
            cells = located.first.get_by_role("cell")
            element = cells.last if cells.count() else located.first
            values[field] = " ".join(element.inner_text().split())
            break
    return values


def _reason(report: pytest.TestReport) -> str:
    """The failing Gherkin step and the first line of why, as the failure report gives them."""
    step = next((value for key, value in report.user_properties if key == "gherkin_step"), None)
    message = report.longrepr.reprcrash.message if hasattr(report.longrepr, "reprcrash") else str(report.longrepr)
    why = first_line(Exception(message))
    return f"{step}: {why}" if step and step not in why else why


def _slug(nodeid: str) -> str:
    return re.sub(r"[^\w-]+", "_", nodeid.rsplit("::", 1)[-1])[:120]
