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


def _review(portal: Portal, plan: str, cycle: Cycle, service_id: int = SERVICE_ID) -> None:
    portal.change.review_change(service_id, plan, cycle.label)


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


@when(step('{who:Actor} clicks "Submit"'))
def _(portal: Portal):
    portal.review.submit()


@when(step('{who:Actor} submits the change to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(portal: Portal, plan: str, cycle: Cycle):
    _review(portal, plan, cycle)
    portal.review.submit()


@when(step('{who:Actor} clicks "Submit" twice, the portal slow to answer the first click'))
def _(portal: Portal):
    portal.review.submit_twice()


@when(step("{who:Actor} opens the same review in a second tab"), target_fixture="second_tab")
def _(portal: Portal, new_tab) -> Portal:
    tab = new_tab()
    tab.open_address_of(portal)
    return tab


@when(step('{who:Actor} clicks "Submit" in the second tab'))
def _(second_tab: Portal):
    second_tab.review.submit()


@when(step('in a second tab {who:Actor} changes the same service to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(new_tab, invoices_shown: list[str], plan: str, cycle: Cycle):
    _change_in_a_second_tab(new_tab(), SERVICE_ID, plan, cycle, invoices_shown)


@when(step('in a second tab {who:Actor} changes her "{current:Text}" service to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(new_tab, world: World, invoices_shown: list[str], current: str, plan: str, cycle: Cycle):
    service_id = world.service_id(world.owner["email"], current)
    _change_in_a_second_tab(new_tab(), service_id, plan, cycle, invoices_shown)


def _change_in_a_second_tab(tab: Portal, service_id: int, plan: str, cycle: Cycle, invoices_shown: list[str]):
    """The whole change in another tab; its invoice counts as one she was shown."""
    _review(tab, plan, cycle, service_id)
    tab.review.submit()
    invoices_shown.append(tab.invoice.number())
    tab.page.close()


@when(step('the clock reaches "{when:Date}" before {who:Actor} clicks "Submit"'))
def _(portal: Portal, world: World, when):
    world.control.set_clock(when.isoformat())
    portal.review.submit()


@when(step('{who:Actor} opens the review of a change to "{plan:Text}" billed "{cycle:Cycle}" by its address'),
      target_fixture="page_status")
def _(portal: Portal, world: World, plan: str, cycle: Cycle) -> int:
    return portal.review.open(SERVICE_ID, world.plan_id(plan), cycle.id).status


@when(step("{who:Actor} opens the Invoices list"))
def _(portal: Portal):
    portal.enter()
    portal.menu.open_invoices()


@when(step('{who:Actor} opens the details of the DNS SERVICE of "{email:Email}"'), target_fixture="page_status")
def _(portal: Portal, world: World, email: str) -> int:
    return portal.details.open(world.service_id(email)).status


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
