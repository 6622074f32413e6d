"""Whens: what people do in the portal (through the page objects) and what happens meanwhile.

Time passes and bank transfers arrive through the control API; nothing waits
on the wall clock.
"""
from __future__ import annotations

import html
import re
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pytest_bdd import when

from pages import Portal
from pages.invoice import Downloaded

from .types import Cycle, step
from .world import SERVICE_ID, World


def _review(portal: Portal, plan: str, cycle: Cycle) -> None:
    portal.change.review_change(SERVICE_ID, plan, cycle.label)


def _submit(portal: Portal) -> str:
    """Submit the reviewed change; the invoice page follows. Returns its number."""
    portal.review.submit()
    return portal.invoice.number()


@when(step("{who:Actor} opens Services → DNS SERVICE"))
def _(portal: Portal):
    portal.enter()
    portal.menu.open_dns_service()


@when(step('{who:Actor} opens "{plan:Text}" from Services → DNS SERVICE'))
def _(portal: Portal, plan: str):
    portal.enter()
    portal.menu.open_dns_service()
    portal.services.open_service(plan)


@when(step('{who:Actor} selects the service "{plan:Text}"'))
def _(portal: Portal, plan: str):
    portal.services.open_service(plan)


@when(step("{who:Actor} opens the details of the DNS SERVICE"))
def _(portal: Portal):
    portal.details.open(SERVICE_ID)


@when(step('{who:Actor} clicks "Upgrade / Downgrade" in "Billing Information"'))
def _(portal: Portal):
    portal.details.open_change()


@when(step("{who:Actor} opens the Upgrade / Downgrade page"), target_fixture="change_page_status")
def _(portal: Portal) -> int:
    return portal.change.open(SERVICE_ID).status


@when(step('{who:Actor} selects "{plan:Text}" in "Upgrade / Downgrade to"'))
def _(portal: Portal, plan: str):
    portal.change.choose_plan(plan)


@when(step('{who:Actor} selects "{cycle:Cycle}" in "Select billing cycle" and clicks "Continue"'))
def _(portal: Portal, cycle: Cycle):
    portal.change.choose_cycle(cycle.label)
    portal.change.continue_()


@when(step('{who:Actor} reviews the change to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(portal: Portal, plan: str, cycle: Cycle):
    _review(portal, plan, cycle)


@when(step('{who:Actor} clicks "Submit"'), target_fixture="invoice_number")
def _(portal: Portal) -> str:
    return _submit(portal)


@when(step('{who:Actor} submits the change to "{plan:Text}" billed "{cycle:Cycle}"'), target_fixture="invoice_number")
def _(portal: Portal, plan: str, cycle: Cycle) -> str:
    _review(portal, plan, cycle)
    return _submit(portal)


@when(step("{who:Actor} downloads the PDF"), target_fixture="pdf_text")
def _(portal: Portal, tmp_path: Path) -> str:
    return read_pdf(portal, portal.invoice.download_pdf(tmp_path))


@when(step('the clock reaches "{when:Date}" and {who:Actor} refreshes the page'))
def _(portal: Portal, world: World, when):
    world.control.set_clock(when.isoformat())
    portal.refresh()


@when(step('the clock advances "{minutes:d}" minutes and {who:Actor} refreshes the page'))
def _(portal: Portal, world: World, minutes: int):
    world.control.advance(minutes=minutes)
    portal.refresh()


@when(step('the bank transfer for invoice "{number:Text}" arrives and {who:Actor} refreshes the page'))
def _(portal: Portal, world: World, number: str):
    world.control.pay_invoice(number)
    portal.refresh()


@when(step('the visitor logs in as "{email:Email}"'))
def _(portal: Portal, world: World, email: str):
    portal.login.log_in(email, world.user(email)["password"])


def read_pdf(portal: Portal, download: Downloaded) -> str:
    """The text of every page of the downloaded PDF; a download that is not a PDF
    fails saying what it is ("expected a PDF, got text/html: Invoice #INV-000001")."""
    data = download.path.read_bytes()
    if not data.startswith(b"%PDF-"):
        kind = portal.page.request.head(download.url).headers.get("content-type", "no content type")
        title = re.search(rb"<title>(.*?)</title>", data, re.S | re.I)
        what = html.unescape(title[1].decode(errors="replace")) if title else data[:80].decode(errors="replace")
        raise AssertionError(f"Download PDF: expected a PDF, got {kind.split(';')[0]}: {' '.join(what.split())}")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
