"""One walkthrough in one browser context: its steps, the article's checks, its shots."""
from __future__ import annotations

from contextlib import contextmanager

from pages import Portal, load_profile
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .errors import StepFailed, first_line
from .overlay import BOX_JS, shoot


class Walk:
    """One walkthrough in one browser context: steps, checks and screenshots."""

    def __init__(self, page, control, badges: dict[str, str], *, logged_in: bool = False):
        self.logged_in = logged_in
        self.page = page
        self.portal = Portal(page, load_profile("en"))  # the article's walkthroughs read the en portal
        self.control = control
        self.badges = badges
        self.shots: dict[str, bytes] = {}
        self.pdfs: dict[str, bytes] = {}  # step -> the PDF it downloaded
        self.current: str | None = None
        self.failed_screen: bytes | None = None  # the page as the failing step left it

    @contextmanager
    def step(self, step: str):
        """Run part of `step`; whatever goes wrong fails the walk naming the step, the
        screen it failed on kept for the writer."""
        self.current = step
        try:
            yield
        except StepFailed:
            self._keep_failed_screen()
            raise
        except Exception as exc:  # Playwright timeouts, a missing option, ...
            self._keep_failed_screen()
            raise StepFailed(step, f"{first_line(exc)} (after: {self.portal.journal.tail()})") from None
        finally:
            self.current = None

    def _keep_failed_screen(self) -> None:
        try:
            self.failed_screen = self.page.screenshot(full_page=True, animations="disabled", caret="hide")
        except Exception:  # the page itself is gone: the reason says enough
            self.failed_screen = None

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
        self.pdfs[self.current] = answer.body()  # for a marker asking for the step's PDF

    # The screenshot of the current step.
    def shot(self, *targets) -> None:
        step = self.current
        if step in self.shots:
            self.fail("a second screenshot for the same step")
        boxes = []
        for target in targets:
            box = target.locator.evaluate(BOX_JS)  # strict: exactly one element
            if not box["width"] or not box["height"]:
                self.fail(f"{target.name} is not visible, nothing to outline")
            boxes.append(box)
        self.shots[step] = shoot(self.page, boxes, self.badges[step])
