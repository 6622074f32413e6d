"""`portal-sim docs`: rebuild the help article and its step screenshots (issue #4).

The article's words live in one editable file, docs/source/dns-service-plan-change.md,
with a marker line ``<!-- shot: upgrade-5 | caption -->`` wherever a screenshot goes.
The builder walks the article's flows through a live simulator seeded with the sample
environment (and variants of it built here), checking on the way that the portal still
behaves as the words say, and photographs each step with the element it acts on
outlined and a badge carrying the step's number. It then writes

    OUT/dns-service-plan-change.md   the article, markers replaced by figures
    OUT/img/<step>.png               one screenshot per step
    OUT/img/renderer.txt             the browser build that rendered them

Screenshots are stable to the byte: fixed clock, fixed viewport, the portal's own font,
animations off, no caret, no hover or focus left over, and a freshly loaded scenario
(so invoice numbers repeat). The same comparison that `--update` uses is the visual
regression gate of tests/test_visual.py.

Exit status: 0 done; 1 a walkthrough step failed or the product no longer matches the
article ("portal-sim: docs step upgrade-5 failed: ..."); 2 bad input (the source, the
output folder, no browser).
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

ARTICLE = "dns-service-plan-change.md"
PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).with_name("sample_scenario.yaml")

VIEWPORT = {"width": 1100, "height": 720}
STEP_TIMEOUT_MS = 15_000  # an element not there within this fails its step (generous: a busy CI)

# The visual gate. pixelmatch's per-pixel colour distance (0..1, its default 0.1; at
# 0.05 a slightly lighter accent blue, #1f5fbf -> #2b6fd1, still counts; anti-aliased
# pixels are ignored), and the share of an image's pixels that may differ beyond it
# before the image counts as changed. Renders on one machine are byte-identical, so
# this only absorbs the odd rasterisation pixel; a changed colour, word or layout is
# far above it.
PIXEL_THRESHOLD = 0.05
MAX_DIFF_RATIO = 0.0001

OUTLINE_COLOUR = "#d6246e"
# Text anti-aliasing differs between browser builds (Debian's headless shell, its full
# Chromium, Playwright's own): the visual gate compares only renders of the same build.
RENDERER_FILE = "renderer.txt"


class Shots(dict):
    """step -> PNG, and the browser build that rendered them ("chromium-headless-shell 156.0...")."""

    renderer: str = ""


class DocsError(Exception):
    """Bad input (the source, the output folder, no browser): one line, exit status 2."""


class StepFailed(Exception):
    """A walkthrough step failed, or the portal no longer behaves as the article says."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"docs step {step} failed: {reason}")
        self.step = step
        self.reason = reason


# --------------------------------------------------------------------------------------
# The command


def run_docs(args) -> int:
    """`portal-sim docs [--out DIR] [--scale 1|2] [--color-scheme light|dark] [--update]`."""
    started = time.monotonic()
    out = Path(args.out)
    try:
        source = load_source(out)
        shots = render(source, scale=args.scale, color_scheme=args.color_scheme)
        article = write_article(source, out)
        written, kept = write_images(shots, out / "img", update=args.update)
    except DocsError as exc:
        print(f"portal-sim: docs: {exc}", file=sys.stderr)
        return 2
    except StepFailed as exc:
        print(f"portal-sim: {exc}", file=sys.stderr)
        return 1
    summary = f"{len(written)} changed, {len(kept)} unchanged" if args.update else f"{len(written)} written"
    print(f"portal-sim: docs: {article} with {len(shots)} screenshots in {out / 'img'} "
          f"({summary}) in {time.monotonic() - started:.1f} s")
    if args.update:
        for name, difference in written:
            print(f"  {name}: {difference}")
    return 0


# --------------------------------------------------------------------------------------
# The source: the article's words and where the screenshots go

MARKER = re.compile(r"^<!--\s*shot:\s*(?P<step>[\w-]+)\s*(?:\|\s*(?P<caption>.*?))?\s*-->\s*$")
HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<title>.*?)\s*(?:\{@guide:(?P<id>[\w-]+)\})?\s*$")
GUIDE_ID = re.compile(r"\s*\{@guide:[\w-]+\}")
COMMENT = re.compile(r"<!--.*?-->", re.S)
NUMBERED = re.compile(r"^(?P<number>\d+)\.\s")


@dataclass(frozen=True)
class Marker:
    step: str
    caption: str
    line: int  # 1-based, in the source
    badge: str  # the step's number in the article ("5"), "?" for a question


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    markers: dict[str, Marker]  # by step, in the article's order

    @property
    def badges(self) -> dict[str, str]:
        return {step: marker.badge for step, marker in self.markers.items()}


def source_path(out: Path) -> Path:
    """OUT/source/ARTICLE when the output folder holds the source, else the project's."""
    beside = out / "source" / ARTICLE
    return beside if beside.is_file() else PROJECT / "docs" / "source" / ARTICLE


def load_source(out: Path) -> Source:
    """Read and check the source against the walkthroughs; DocsError names the problem."""
    path = source_path(out)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot read the article source {path}: {exc.strerror}") from None
    return parse_source(path, text)


def parse_source(path: Path, text: str) -> Source:
    known = {step: walk for walk in WALKTHROUGHS for step in walk.steps}
    markers: dict[str, Marker] = {}
    section: tuple[int, str, str | None] | None = None  # line, title, guide id
    numbered_without_shot: list[tuple[int, str]] = []
    shot_in_section = True

    def close_section():
        if section and not shot_in_section and NUMBERED.match(section[1]):
            numbered_without_shot.append(section[:2])

    for number, line in enumerate(_outside_comments(text), start=1):
        if line is None:
            continue
        if heading := HEADING.match(line):
            close_section()
            section, shot_in_section = (number, heading["title"], heading["id"]), False
            continue
        marker = MARKER.match(line)
        if marker is None:
            if re.search(r"<!--\s*shot\b", line):
                raise DocsError(f"{path}:{number}: malformed screenshot marker {line.strip()!r} "
                                f"(write <!-- shot: STEP | caption -->)")
            continue
        step = marker["step"]
        if step not in known:
            raise DocsError(f"{path}:{number}: marker {step!r} names no walkthrough step "
                            f"(steps: {', '.join(known)})")
        if step in markers:
            raise DocsError(f"{path}:{number}: a second marker for {step!r} "
                            f"(the first is on line {markers[step].line})")
        if section is None or section[2] != step:
            where = f"section {section[2]!r}" if section and section[2] else "a section without that id"
            raise DocsError(f"{path}:{number}: marker {step!r} stands in {where}; move it under "
                            f"the heading carrying {{@guide:{step}}}")
        numbered = NUMBERED.match(section[1])
        markers[step] = Marker(step, (marker["caption"] or "").strip() or _plain(section[1]),
                               number, numbered["number"] if numbered else "?")
        shot_in_section = True
    close_section()

    if missing := [step for step in known if step not in markers]:
        raise DocsError(f"{path}: walkthrough step {missing[0]!r} has no marker "
                        f"(add <!-- shot: {missing[0]} --> under its heading)")
    if numbered_without_shot:
        number, title = numbered_without_shot[0]
        raise DocsError(f"{path}:{number}: step {title!r} has no screenshot marker")
    return Source(path, text, markers)


def _outside_comments(text: str) -> Iterator[str | None]:
    """The source's lines, None for those inside a multi-line (non-marker) comment."""
    inside = False
    for line in text.splitlines():
        if inside:
            inside = "-->" not in line
            yield None
        elif "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            inside = True
            yield None
        else:
            yield line


def _plain(title: str) -> str:
    return NUMBERED.sub("", title).replace("“", "").replace("”", "")


def build_article(source: Source, image_folder: str = "img") -> str:
    """The published article: markers become figures; ids and comments are left out."""
    figures = {marker.line: (figure, marker)
               for figure, marker in enumerate(source.markers.values(), start=1)}
    lines = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        if number in figures:
            figure, marker = figures[number]
            alt = marker.caption.replace("[", "\\[").replace("]", "\\]")
            lines += [f"![{alt}]({image_folder}/{marker.step}.png)", "",
                      f"*Figure {figure}. {marker.caption}*"]
        elif HEADING.match(line):
            lines.append(GUIDE_ID.sub("", line).rstrip())
        else:
            lines.append(line)
    body = COMMENT.sub("", "\n".join(lines))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    note = (f"<!-- Built by `portal-sim docs` from {_shown(source.path)}: edit that file, "
            f"not this one. -->")
    return f"{note}\n\n{body}\n"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT))
    except ValueError:
        return str(path)


def write_article(source: Source, out: Path) -> Path:
    target = out / ARTICLE
    try:
        (out / "img").mkdir(parents=True, exist_ok=True)
        target.write_text(build_article(source), encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write to {out}: {exc.strerror}") from None
    return target


# --------------------------------------------------------------------------------------
# The scenarios: the sample environment and the variants the FAQ needs


def sample_scenario() -> dict:
    """simulator/sample_scenario.yaml as a JSON-ready mapping (dates as ISO strings)."""
    import yaml

    def plain(value):
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")))


def _sample(scenario: dict) -> dict:
    return scenario


def _on_start(scenario: dict) -> dict:
    """Alice's service is on Start, every other plan offered: the downgrade to Basic."""
    service = scenario["services"][0]
    service["plan"] = "start"
    service.pop("allowed_targets", None)
    return scenario


def _suspended(scenario: dict) -> dict:
    scenario["services"][0]["status"] = "Suspended"
    return scenario


def _credit_covers_all(scenario: dict) -> dict:
    scenario["clients"][0]["credit"] = "10.00"
    return scenario


def _provisioning_delay(scenario: dict) -> dict:
    scenario["settings"]["provisioning_delay_minutes"] = 30
    return scenario


# --------------------------------------------------------------------------------------
# Walking: a page, the portal's page objects, checks and annotated screenshots


@dataclass(frozen=True)
class Walkthrough:
    name: str
    steps: tuple[str, ...]  # the steps it photographs, one screenshot each
    scenario: Callable[[dict], dict]  # the sample, changed as this walk needs
    walk: Callable[["Walk"], None]


WALKTHROUGHS: list[Walkthrough] = []


def walkthrough(*steps: str, scenario: Callable[[dict], dict] = _sample):
    def register(walk: Callable[["Walk"], None]):
        WALKTHROUGHS.append(Walkthrough(walk.__name__, steps, scenario, walk))
        return walk
    return register


# Document coordinates of an element's border box.
BOX_JS = """element => {
  const r = element.getBoundingClientRect();
  return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
}"""

# Ready for the picture: no focus ring left from the last action; a ring around each
# box and a numbered badge beside it, on a layer of their own above the page (the badge
# goes to the first free place of: left of the ring, right of it, its top-left, top-right,
# bottom-left corner; "free" means covering no text, control or other ring); the fonts
# loaded. Returns the clip: the window from the top down to the end of the content and
# of the rings, the portal's chrome for orientation and no empty space below.
OVERLAY_JS = """({boxes, badge, colour}) => {
  document.activeElement?.blur();
  const pad = 5, size = 24, gap = 4, margin = 2;
  const sx = window.scrollX, sy = window.scrollY, width = document.documentElement.clientWidth;
  const obstacles = [];
  const add = r => { if (r.width > 2 && r.height > 2) obstacles.push({x: r.left + sx, y: r.top + sy, w: r.width, h: r.height}); };
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const parent = node.parentElement, box = parent.getBoundingClientRect();
    if (!node.textContent.trim() || box.width <= 2 || box.height <= 2 || !parent.checkVisibility()) continue;
    range.selectNodeContents(node);  // (a visually hidden caption is a 1 px box: skipped)
    for (const r of range.getClientRects()) add(r);
  }
  for (const el of document.querySelectorAll("input, select, textarea, button, img, .button, .status")) add(el.getBoundingClientRect());
  const rings = boxes.map(b => {  // kept inside the window, so that every side shows
    const x = Math.max(1, b.x - pad), right = Math.min(width - 1, b.x + b.width + pad);
    return {x, y: Math.max(1, b.y - pad), w: right - x, h: b.height + 2 * pad};
  });
  const hits = (a, b) => a.x < b.x + b.w + margin && b.x < a.x + a.w + margin && a.y < b.y + b.h + margin && b.y < a.y + a.h + margin;
  const layer = document.createElement("div");
  layer.id = "portal-docs-overlay";
  layer.setAttribute("aria-hidden", "true");
  layer.style.cssText = "position:absolute;left:0;top:0;width:0;height:0;z-index:2147483647;pointer-events:none";
  rings.forEach((ring, index) => {
    const middle = ring.y + ring.h / 2 - size / 2, half = size / 2;
    const places = [
      {x: ring.x - gap - size, y: middle}, {x: ring.x + ring.w + gap, y: middle},
      {x: ring.x - half, y: ring.y - half}, {x: ring.x + ring.w - half, y: ring.y - half},
      {x: ring.x - half, y: ring.y + ring.h - half},
    ].map(p => ({...p, w: size, h: size}));
    const others = rings.filter((_, i) => i !== index);
    const free = p => p.x >= 0 && p.y >= 0 && p.x + size <= width
      && !obstacles.some(o => hits(p, o)) && !others.some(o => hits(p, o));
    const place = places.find(free) || places[2];
    const frame = document.createElement("div");
    frame.style.cssText = `position:absolute;box-sizing:border-box;left:${ring.x}px;top:${ring.y}px;`
      + `width:${ring.w}px;height:${ring.h}px;border:3px solid ${colour};border-radius:8px;`
      + `box-shadow:0 0 0 2px #fff,inset 0 0 0 1px #fff`;
    const mark = document.createElement("div");
    mark.textContent = badge;
    mark.style.cssText = `position:absolute;left:${Math.max(0, place.x)}px;top:${Math.max(0, place.y)}px;`
      + `width:${size}px;height:${size}px;border-radius:50%;background:${colour};color:#fff;`
      + `text-align:center;font:700 13px/${size}px "Portal Sans",sans-serif;box-shadow:0 0 0 2px #fff`;
    layer.append(frame, mark);
  });
  document.body.append(layer);

  let bottom = 0;
  for (const child of document.querySelector("main").children) {
    const r = child.getBoundingClientRect();
    if (r.height > 1) bottom = Math.max(bottom, r.bottom + sy);
  }
  for (const ring of rings) bottom = Math.max(bottom, ring.y + ring.h + size / 2);  // a badge below
  const page = document.documentElement;
  const clip = {x: 0, y: 0, width, height: Math.min(page.scrollHeight, Math.ceil(bottom + 24))};
  return document.fonts.load('700 13px "Portal Sans"').then(() => document.fonts.ready).then(() => clip);
}"""

REMOVE_OVERLAY_JS = "() => document.getElementById('portal-docs-overlay')?.remove()"


class Walk:
    """One walkthrough in one browser context: steps, checks and screenshots."""

    def __init__(self, page, control, badges: dict[str, str], *, logged_in: bool = False):
        from pages import Portal, load_profile

        self.logged_in = logged_in
        self.page = page
        self.portal = Portal(page, load_profile("en"))
        self.control = control
        self.badges = badges
        self.shots: dict[str, bytes] = {}
        self.current: str | None = None

    @contextmanager
    def step(self, step: str):
        """Run part of `step`; whatever goes wrong fails the command naming the step."""
        self.current = step
        try:
            yield
        except StepFailed:
            raise
        except Exception as exc:  # Playwright timeouts, a missing option, ...
            raise StepFailed(step, f"{_first_line(exc)} (after: {self.portal.journal.tail()})") from None
        finally:
            self.current = None

    def fail(self, reason: str):
        raise StepFailed(self.current or "?", f"{reason} (after: {self.portal.journal.tail()})")

    # Actions the page objects do not narrate themselves.
    def log_in(self) -> None:
        """Log in as the sample's Alice and land on the DNS SERVICE list (at once with
        a session already held)."""
        if self.logged_in:
            self.portal.services.open()
        else:
            self.portal.login.open()
            self.portal.login.log_in("alice@example.com", "alice-pass")
            self.logged_in = True
        self.portal.services.heading.locator.wait_for()

    # Checks: the article's claims about the product.
    def expect_shown(self, target, state: str = "visible") -> None:
        """`target` is there (waiting as actions do); else fail naming it."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            target.locator.first.wait_for(state=state)
        except PlaywrightTimeout:
            self.fail(f"{target.name} is not on the page, the article expects it")

    def expect(self, target, *texts: str) -> None:
        """`target` reads `texts` (one per element it matches), whitespace aside."""
        self.expect_shown(target)
        shown = [" ".join(text.split()) for text in target.locator.all_inner_texts()]
        if shown != list(texts):
            said = shown[0] if len(shown) == 1 else shown
            wanted = texts[0] if len(texts) == 1 else list(texts)
            self.fail(f"{target.name} shows {said!r}, the article expects {wanted!r}")

    def expect_options(self, target, *labels: str) -> None:
        """Each of `labels` starts one of the options of `target`."""
        self.expect_shown(target, "attached")
        offered = [" ".join(text.split()) for text in target.locator.all_text_contents()]
        for label in labels:
            if not any(option == label or option.startswith(label + " ") for option in offered):
                self.fail(f"{target.name} offers {offered}, the article expects {label!r}")

    def expect_absent(self, target) -> None:
        if target.locator.count():
            self.fail(f"{target.name} is shown, the article expects it absent")

    def expect_pdf(self, link) -> None:
        """The link downloads a real PDF."""
        answer = self.page.request.get(link.locator.get_attribute("href"))
        kind = answer.headers.get("content-type", "")
        if not answer.ok or not kind.startswith("application/pdf") or not answer.body().startswith(b"%PDF-"):
            self.fail(f"{link.name} gives {answer.status} {kind!r}, the article expects a PDF")

    # The screenshot of the current step.
    def shot(self, *targets) -> None:
        step = self.current
        if step in self.shots:
            self.fail("a second screenshot for the same step")
        self.page.wait_for_load_state("load")  # a click's navigation may still be loading
        self.page.mouse.move(0, 0)  # no hover left over from the last click
        boxes = []
        for target in targets:
            box = target.locator.evaluate(BOX_JS)  # strict: exactly one element
            if not box["width"] or not box["height"]:
                self.fail(f"{target.name} is not visible, nothing to outline")
            boxes.append(box)
        clip = self.page.evaluate(OVERLAY_JS, {"boxes": boxes, "badge": self.badges[step],
                                               "colour": OUTLINE_COLOUR})
        try:
            self.shots[step] = self.page.screenshot(
                full_page=True, clip=clip, animations="disabled", caret="hide")
        finally:
            self.page.evaluate(REMOVE_OVERLAY_JS)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].strip()


def _price(portal, plan: str):
    from pages import Target

    row = portal.services.row(plan)
    return Target(f"price of {plan} in the DNS SERVICE list", row.locator.get_by_role("cell").first)


def _amounts(walk: Walk, rows, **expected: str) -> None:
    for key, amount in expected.items():
        walk.expect(rows.value(key), amount)


# --------------------------------------------------------------------------------------
# The article's walkthroughs


@walkthrough(*(f"upgrade-{n}" for n in range(1, 8)))
def upgrade(walk: Walk) -> None:
    """Upgrade Instructions 1–7 on the sample: Basic → Start, monthly, $2.73 today."""
    portal = walk.portal
    with walk.step("upgrade-1"):
        walk.log_in()
        portal.menu.open_dns_service()
        walk.expect(_price(portal, "Basic"), "$5.00 / Monthly")
        walk.shot(portal.menu.dns_service, portal.services.service_link("Basic"))
        portal.services.open_service("Basic")
    with walk.step("upgrade-2"):
        walk.expect(portal.details.fact("the Status row"), "Active")  # Prerequisites
        walk.shot(portal.details.change_link)
        portal.details.open_change()
    with walk.step("upgrade-3"):
        walk.expect_options(portal.change.target_options, "Start (upgrade)", "Business (upgrade)")
        portal.change.choose_plan("Start")
        walk.shot(portal.change.target_plan)
    with walk.step("downgrade-2"):  # Basic is the lowest tier: no plan below it
        walk.expect_shown(portal.change.no_downgrade_note)
    with walk.step("upgrade-4"):
        walk.expect_options(portal.change.cycle_options, "Monthly", "Annually")
        portal.change.choose_cycle("monthly")
        walk.shot(portal.change.billing_cycle, portal.change.continue_button)
        portal.change.continue_()
    with walk.step("upgrade-5"):
        review = portal.review
        walk.expect(review.compared("the Plan row"), "Basic", "Start")
        walk.expect(review.compared("the Billing cycle row"), "Monthly", "Monthly")
        walk.expect(review.compared("the Recurring price row"), "$5.00 / Monthly", "$12.00 / Monthly")
        walk.expect(review.compared("the Next due date row"), "2026-04-01", "2026-04-01")
        _amounts(walk, review.amounts, **{"the Subtotal row": "$3.39", "the tax row": "$0.34",
                                          "the Credit applied row": "$1.00",
                                          "the Total charge for today row": "$2.73"})
        walk.expect_shown(review.final_note)
        walk.shot(review.amounts.row("the Total charge for today row"), review.submit_button)
        review.submit()
    with walk.step("upgrade-6"):
        walk.expect(portal.invoice.heading, "Invoice #INV-000001")
        walk.expect(portal.invoice.status, "Paid")
        walk.expect(portal.invoice.amounts.value("the Total row"), "$2.73")
        walk.expect_pdf(portal.invoice.download_link)
        walk.shot(portal.invoice.download_link)
    with walk.step("upgrade-7"):
        portal.menu.open_dns_service()
        walk.expect(_price(portal, "Start"), "$12.00 / Monthly")
        walk.shot(portal.services.row("Start"))


@walkthrough("downgrade-1", "downgrade-2", scenario=_on_start)
def downgrade(walk: Walk) -> None:
    """Downgrade Instructions: Start → Basic, immediately, the difference credited."""
    portal = walk.portal
    with walk.step("downgrade-1"):  # "Follow steps 1–4 from Upgrade Instructions"
        walk.log_in()
        portal.services.open_service("Start")
        portal.details.open_change()
        walk.expect_options(portal.change.target_options, "Basic (downgrade)")
        portal.change.choose_plan("Basic")
        walk.shot(portal.change.target_plan)
    with walk.step("downgrade-2"):
        walk.expect_shown(portal.change.note("the note that a downgrade takes effect immediately"))
        portal.change.choose_cycle("monthly")
        portal.change.continue_()
        _amounts(walk, portal.review.amounts, **{"the Total charge for today row": "$0.00",
                                                 "the Credit added to your balance row": "$3.39"})
        walk.shot(portal.review.statement("This downgrade takes effect immediately."))
    with walk.step("downgrade-1"):  # ... and click "Submit" to confirm
        portal.review.submit()
        walk.expect(portal.invoice.status, "Paid")
        walk.expect(portal.invoice.amounts.value("the Total row"), "$0.00")
        portal.menu.open_dns_service()
        walk.expect(_price(portal, "Basic"), "$5.00 / Monthly")


@walkthrough("faq-link-not-displayed", scenario=_suspended)
def link_not_displayed(walk: Walk) -> None:
    """FAQ: no "Upgrade / Downgrade" link for a service that is not Active."""
    portal = walk.portal
    with walk.step("faq-link-not-displayed"):
        walk.log_in()
        portal.services.open_service("Basic")
        walk.expect(portal.details.fact("the Status row"), "Suspended")
        walk.expect_absent(portal.details.change_link)
        walk.expect_shown(portal.details.support_note)
        walk.shot(portal.details.support_note)


@walkthrough("faq-amount-zero", scenario=_credit_covers_all)
def amount_zero(walk: Walk) -> None:
    """FAQ: a credit balance offsets the whole difference; today's total is $0.00."""
    portal = walk.portal
    with walk.step("faq-amount-zero"):
        walk.log_in()
        portal.change.review_change(1001, "Start", "monthly")
        _amounts(walk, portal.review.amounts, **{"the Subtotal row": "$3.39", "the tax row": "$0.34",
                                                 "the Credit applied row": "$3.73",
                                                 "the Total charge for today row": "$0.00"})
        walk.shot(portal.review.amounts.row("the Total charge for today row"))


@walkthrough("faq-display-not-updating", scenario=_provisioning_delay)
def display_not_updating(walk: Walk) -> None:
    """FAQ: a paid change still being provisioned reads "Change in progress" until it lands."""
    from pages import Target

    portal = walk.portal
    with walk.step("faq-display-not-updating"):
        walk.log_in()
        portal.change.review_change(1001, "Start", "monthly")
        portal.review.submit()
        walk.expect(portal.invoice.status, "Paid")
        portal.services.open()
        walk.expect(_price(portal, "Basic"), "$5.00 / Monthly")
        in_progress = portal.services.row("Basic").locator.get_by_text("Change in progress", exact=True)
        walk.shot(Target("Change in progress note", in_progress))
        walk.control.advance(minutes=30)  # provisioning done; "try refreshing your browser"
        portal.refresh()
        walk.expect(_price(portal, "Start"), "$12.00 / Monthly")


# --------------------------------------------------------------------------------------
# Rendering: one browser, one simulator, one context per walkthrough


def render(source: Source, *, scale: int = 1, color_scheme: str = "light",
           only: Iterable[str] | None = None, playwright=None,
           prepare_context: Callable | None = None) -> Shots:
    """The PNG of every step (or of the walkthroughs holding the steps in `only`).

    `playwright`: a running sync Playwright (e.g. pytest-playwright's) to use instead
    of starting one. `prepare_context(context)`: called on each new browser context
    (the visual gate's own test routes a changed stylesheet through it).
    """
    wanted = set(only) if only is not None else None
    walks = [w for w in WALKTHROUGHS if wanted is None or wanted & set(w.steps)]
    if playwright is not None:
        shots, renderer = _walk(walks, source.badges, playwright, scale, color_scheme, prepare_context)
    else:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as started:
            shots, renderer = _walk(walks, source.badges, started, scale, color_scheme, prepare_context)
    ordered = Shots({step: shots[step] for step in source.markers if step in shots})
    ordered.renderer = renderer
    return ordered


def _walk(walks: list[Walkthrough], badges: dict[str, str], playwright, scale: int,
          color_scheme: str, prepare_context: Callable | None) -> tuple[dict[str, bytes], str]:
    from harness.browser import launch_args
    from harness.control_client import ControlError, SimulatorControl
    from harness.server import start_simulator

    sample = sample_scenario()
    launch = launch_args({"headless": True}, playwright)
    try:
        browser = playwright.chromium.launch(**launch)
    except Exception as exc:
        raise DocsError(f"cannot start Chromium: {_first_line(exc)}") from None
    executable = launch.get("executable_path")
    renderer = f"{Path(executable).name if executable else 'playwright-chromium'} {browser.version}"
    server = start_simulator()  # each walk loads its own scenario
    control = SimulatorControl(server.url)
    shots: dict[str, bytes] = {}
    logged_in = None  # the first walk logs in through the form; the others reuse its session
    try:
        for walk in walks:
            try:
                control.load_scenario(walk.scenario(copy.deepcopy(sample)))
            except ControlError as exc:
                raise StepFailed(walk.steps[0], f"the simulator refused the scenario: {exc}") from None
            context = browser.new_context(
                base_url=server.url, viewport=VIEWPORT, device_scale_factor=scale,
                color_scheme=color_scheme, reduced_motion="reduce", locale="en-US",
                timezone_id="UTC", storage_state=logged_in)
            context.set_default_timeout(STEP_TIMEOUT_MS)
            if prepare_context is not None:
                prepare_context(context)
            try:
                walker = Walk(context.new_page(), control, badges, logged_in=logged_in is not None)
                walk.walk(walker)
                logged_in = logged_in or context.storage_state()
            finally:
                context.close()
            for step in walk.steps:
                if step not in walker.shots:
                    raise StepFailed(step, f"walkthrough {walk.name} took no screenshot of it")
            shots.update(walker.shots)
    finally:
        browser.close()
        server.stop()
    return shots, renderer


# --------------------------------------------------------------------------------------
# Comparing images: --update and the visual gate


@dataclass(frozen=True)
class Difference:
    """How an image differs from the one it replaces."""

    pixels: int  # beyond pixelmatch's threshold, anti-aliasing aside
    total: int
    reason: str = ""  # e.g. "size 1100×640 → 1100×700": changed, whatever the pixels
    touched: int = 0  # pixels whose bytes differ at all
    counted_all: bool = True  # False: counting stopped once past the allowance

    @property
    def allowed(self) -> int:
        return int(self.total * MAX_DIFF_RATIO)

    @property
    def beyond_threshold(self) -> bool:
        return bool(self.reason) or self.pixels > self.allowed

    def __str__(self) -> str:
        if self.reason:
            return self.reason
        if not self.touched:
            return "identical pixels"
        if not self.pixels:
            return f"{self.touched} pixels differ slightly (below the colour threshold or anti-aliasing)"
        many = "" if self.counted_all else "more than "
        return f"{many}{self.pixels} of {self.total} pixels differ (at most {self.allowed} allowed)"


def compare(expected: bytes, actual: bytes, diff_path: Path | None = None) -> Difference:
    """Compare two PNGs; if their pixels differ, write a diff image to `diff_path`.

    pixelmatch is pure Python, so it only sees what may count: Pillow first finds the
    pixels whose channels differ enough to pass its colour threshold at all, then
    pixelmatch checks them tile by tile (with a margin for its anti-aliasing test) until
    they are all counted or the allowance is exceeded. The diff image is the expected
    image faded, differing pixels red (anti-aliasing yellow where pixelmatch looked).
    """
    from PIL import Image, ImageChops

    before = Image.open(io.BytesIO(expected)).convert("RGBA")
    after = Image.open(io.BytesIO(actual)).convert("RGBA")
    total = after.width * after.height
    if before.size != after.size:
        return Difference(total, total, "size {}×{} → {}×{}".format(*before.size, *after.size))
    red_band, green_band, blue_band = ImageChops.difference(before.convert("RGB"), after.convert("RGB")).split()
    largest = ImageChops.lighter(ImageChops.lighter(red_band, green_band), blue_band)
    touched = total - largest.histogram()[0]
    if not touched:
        return Difference(0, total)
    # pixelmatch's YIQ distance is at most 1.144 × (largest channel difference)²: below
    # this a pixel cannot pass its threshold, whatever the channels.
    least = int((35215 * PIXEL_THRESHOLD ** 2 / 1.144) ** 0.5)
    candidates = largest.point(lambda value: 255 if value >= least else 0)
    diff = Image.blend(Image.new("RGBA", before.size, "white"), before.convert("L").convert("RGBA"), 0.1)
    red = (255, 0, 0, 255)
    diff.paste(red, mask=candidates)

    from pixelmatch.contrib.PIL import pixelmatch

    width, height = after.size
    allowed, tile, margin = int(total * MAX_DIFF_RATIO), 32, 3
    pixels, counted_all = 0, True
    for top in range(0, height, tile):
        for left in range(0, width, tile):
            inside = candidates.crop((left, top, min(left + tile, width), min(top + tile, height))).getbbox()
            if inside is None:
                continue
            if pixels > allowed:
                counted_all = False
                break
            core = (left + inside[0], top + inside[1], left + inside[2], top + inside[3])
            outer = (max(0, core[0] - margin), max(0, core[1] - margin),
                     min(width, core[2] + margin), min(height, core[3] + margin))
            marked = Image.new("RGBA", (outer[2] - outer[0], outer[3] - outer[1]))
            pixelmatch(before.crop(outer), after.crop(outer), marked, threshold=PIXEL_THRESHOLD)
            mine = marked.crop((core[0] - outer[0], core[1] - outer[1],
                                core[2] - outer[0], core[3] - outer[1]))
            pixels += _count(mine, red)
            diff.paste(mine, core[:2])
        if not counted_all:
            break
    if diff_path is not None:
        diff_path.parent.mkdir(parents=True, exist_ok=True)
        diff.save(diff_path)
    return Difference(pixels, total, touched=touched, counted_all=counted_all)


def _count(image, colour: tuple[int, ...]) -> int:
    """How many pixels of `image` are exactly `colour`."""
    from PIL import ImageChops

    match = None
    for band, wanted in zip(image.split(), colour):
        hit = band.point(lambda value, wanted=wanted: 255 if value == wanted else 0)
        match = hit if match is None else ImageChops.darker(match, hit)
    return match.histogram()[255]


def write_images(shots: dict[str, bytes], folder: Path, *, update: bool
                 ) -> tuple[list[tuple[str, Difference | str]], list[str]]:
    """Write every shot; with `update`, only those new or changed beyond the threshold.

    Returns the names written (each with its difference under `update`) and those kept.
    """
    written, kept = [], []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for step, png in shots.items():
            path = folder / f"{step}.png"
            difference: Difference | str = "written"
            if update:
                difference = compare(path.read_bytes(), png) if path.is_file() else "new image"
                if isinstance(difference, Difference) and not difference.beyond_threshold:
                    kept.append(path.name)
                    continue
            path.write_bytes(png)
            written.append((path.name, difference))
        if getattr(shots, "renderer", ""):
            (folder / RENDERER_FILE).write_text(shots.renderer + "\n", encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write to {folder}: {exc.strerror}") from None
    return written, kept
