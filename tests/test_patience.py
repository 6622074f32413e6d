"""How long a step waits for a target (pages.patience): a page that has settled without it
fails at once, while a slow portal still answering, or a page still drawing what it
fetched, gets the whole timeout. The slow portal is a small HTTP server whose answers
take SLOW_S, three times the settling time, so an early verdict would be caught."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pages.patience import Missing, Patience, watch

SLOW_S = 1.5
BUTTONS = "<!doctype html><title>Change</title><main><button>Next</button>{more}</main>"
PAGES = {
    "/settled": BUTTONS.format(more=""),
    # The button comes from a request the page makes once loaded (a portal drawn by script).
    "/fetched": BUTTONS.format(more="""<script>
        addEventListener('load', () => fetch('/slow-data').then(r => r.text()).then(text => {
          const button = document.createElement('button'); button.textContent = text;
          document.querySelector('main').append(button); }));</script>"""),
    "/slow-data": "Continue",
    "/link": BUTTONS.format(more='<a href="/slow-page">Upgrade / Downgrade</a>'),
    "/slow-page": BUTTONS.format(more="<button>Continue</button>"),
}


class SlowPortal(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(SLOW_S)  # the portal is slow to answer: what is being tested
        body = PAGES.get(self.path)
        try:
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "").encode())
        except (BrokenPipeError, ConnectionResetError):  # the page closed before the slow answer
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def portal_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowPortal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    watch(page)  # as a page object does when it is made
    yield page
    page.close()


def waited(patience: Patience, page) -> float:
    """Seconds until the Continue button arrived; Missing if it did not."""
    started = time.monotonic()
    patience.arrival(page.get_by_role("button", name="Continue"), page)
    return time.monotonic() - started


def test_a_control_the_settled_page_lacks_is_missing_long_before_the_timeout(page, portal_url):
    page.goto(f"{portal_url}/settled")
    started = time.monotonic()
    with pytest.raises(Missing):
        waited(Patience(timeout_ms=10_000), page)
    assert time.monotonic() - started < 2


def test_a_control_there_is_found_even_when_the_short_wait_runs_out_first(page, portal_url):
    """On a busy machine the browser can answer the short wait after it ran out: a settled
    page that holds the control has it, it is not "missing" (CI's flake: "is on the page but
    could not be used"). A 1 ms wait runs out before any answer, as load makes it do."""
    page.goto(f"{portal_url}/slow-page")
    waited(Patience(timeout_ms=10_000, settled_ms=0, poll_ms=1), page)


def test_a_control_drawn_from_a_slow_request_is_waited_for(page, portal_url):
    page.goto(f"{portal_url}/fetched", wait_until="domcontentloaded")
    assert waited(Patience(timeout_ms=10_000), page) >= SLOW_S * 0.9


def test_a_control_on_a_page_still_on_its_way_is_waited_for(page, portal_url):
    page.goto(f"{portal_url}/link")
    page.get_by_role("link").click(no_wait_after=True)  # as a click not known to lead anywhere
    assert waited(Patience(timeout_ms=10_000), page) >= SLOW_S * 0.9


def test_a_page_that_never_settles_is_waited_for_no_longer_than_the_timeout(page, portal_url):
    page.goto(f"{portal_url}/fetched", wait_until="domcontentloaded")
    started = time.monotonic()
    with pytest.raises(Missing):
        waited(Patience(timeout_ms=SLOW_S * 1000 / 3), page)
    assert time.monotonic() - started < SLOW_S * 0.9
