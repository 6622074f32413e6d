"""Whens: what people do in the portal (through the page objects) and what happens meanwhile.

Screens are reached by clicking, as the article says (menu → list → details →
change page → review); only the scenarios about typing an address type one, from the
profile's `addresses:`. Time passes and bank transfers arrive through the portal
driver; nothing waits on the wall clock.
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

from .labels import clickable, named, target
from .types import Cycle, Label, cycle, step
from .world import InvoicesShown, Logins, World

SUBMIT = "the Submit button"  # clicking it issues an invoice (SPEC §6.9)
CYCLE_FIELD = "the Select billing cycle field"


def _review(portal: Portal, world: World, plan: str, cycle: Cycle, current: str | None = None) -> None:
    """From the service on `current` (the sample's by default), to the review of the change."""
    current = world.plan_of_service() if current is None else current
    if cycle.id != world.cycle_of_plan(current):
        world.uses("cycle-change")
    portal.review_change(current, plan, cycle.id)


def _click(portal: Portal, control: Label, invoices_shown: InvoicesShown | None = None) -> None:
    """Click the control `control` names (any button or link of the profile) and wait for
    what it leads to; a Submit clicked in the scenario's own tab (`invoices_shown` given)
    issues the invoice of this change."""
    key = clickable(control)
    if key == SUBMIT and invoices_shown is not None:
        invoices_shown.submitted()
    portal.click(key)


def _submit_button(button: Label) -> None:
    """These steps only ever click Submit; any other quote says so."""
    target(button, {SUBMIT: None}, "submit button")


@when(step("{who:Actor} opens Services → DNS SERVICE"))
def _(portal: Portal):
    portal.open_dns_service()


@when(step('{who:Actor} opens "{plan:Text}" from Services → DNS SERVICE'))
def _(portal: Portal, plan: str):
    portal.open_service(plan)


@when(step('{who:Actor} selects the service "{plan:Text}"'))
def _(portal: Portal, plan: str):
    portal.services.open_service(plan)


@when(step("{who:Actor} opens the details of the DNS SERVICE"))
def _(portal: Portal, world: World):
    portal.open_service(world.plan_of_service())


@when(step("{who:Actor} opens the details of the DNS SERVICE by its address", uses=("address:details",)),
      target_fixture="page_status")
def _(portal: Portal, world: World) -> int:
    return portal.visit("details", service=world.service_id()).status


@when(step('{who:Actor} opens the details of the DNS SERVICE of "{email:Email}" by its address',
           uses=("address:details",)), target_fixture="page_status")
def _(portal: Portal, world: World, email: str) -> int:
    return portal.visit("details", service=world.service_id(email)).status


@when(step('{who:Actor} clicks "{control:Label}" in "{section:Label}"'))
def _(portal: Portal, control: Label, section: Label):
    named(section)
    _click(portal, control)


@when(step("{who:Actor} opens the Upgrade / Downgrade page"))
def _(portal: Portal, world: World):
    portal.open_change_page(world.plan_of_service())


@when(step("{who:Actor} opens the Upgrade / Downgrade page by its address", uses=("address:change",)),
      target_fixture="change_page_status")
def _(portal: Portal, world: World) -> int:
    return portal.visit("change", service=world.service_id()).status


@when(step('{who:Actor} selects "{choice:Text}" in "{field:Label}"'))
def _(portal: Portal, choice: str, field: Label):
    """A plan in the target plan field, or a billing cycle ("Monthly") in the cycle field:
    any choice of the profile."""
    key = target(field, dict.fromkeys(portal.profile.of_kind("choice")), "choice field")[1].key
    if key == CYCLE_FIELD:
        portal.change.choose_cycle(cycle(choice).id)
    else:
        portal.change.choose_plan(choice)


@when(step('{who:Actor} reviews the change to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(portal: Portal, world: World, plan: str, cycle: Cycle):
    _review(portal, world, plan, cycle)


@when(step('{who:Actor} clicks "{button:Label}"'))
def _(portal: Portal, invoices_shown: InvoicesShown, button: Label):
    _click(portal, button, invoices_shown)


@when(step('{who:Actor} submits the change to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(portal: Portal, world: World, invoices_shown: InvoicesShown, plan: str, cycle: Cycle):
    _review(portal, world, plan, cycle)
    invoices_shown.submitted()
    portal.review.submit()


@when(step('{who:Actor} clicks "{button:Label}" twice, the portal slow to answer the first click'))
def _(portal: Portal, invoices_shown: InvoicesShown, button: Label):
    _submit_button(button)
    invoices_shown.submitted()
    portal.review.submit_twice()


@when(step("{who:Actor} opens the same review in a second tab"), target_fixture="second_tab")
def _(portal: Portal, new_tab) -> Portal:
    tab = new_tab()
    tab.open_address_of(portal)
    return tab


@when(step('{who:Actor} clicks "{button:Label}" in the second tab'))
def _(second_tab: Portal, button: Label):
    _click(second_tab, button)


@when(step('in a second tab {who:Actor} changes the same service to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(new_tab, world: World, invoices_shown: InvoicesShown, plan: str, cycle: Cycle):
    _change_in_a_second_tab(new_tab(), world, world.plan_of_service(), plan, cycle, invoices_shown)


@when(step('in a second tab {who:Actor} changes her "{current:Text}" service to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(new_tab, world: World, invoices_shown: InvoicesShown, current: str, plan: str, cycle: Cycle):
    _change_in_a_second_tab(new_tab(), world, current, plan, cycle, invoices_shown)


def _change_in_a_second_tab(tab: Portal, world: World, current: str, plan: str, cycle: Cycle,
                            invoices_shown: InvoicesShown):
    """The whole change in another tab; its invoice counts as one she was shown."""
    _review(tab, world, plan, cycle, current)
    tab.review.submit()
    invoices_shown.shown(tab.invoice.number())
    tab.page.close()


@when(step('the clock reaches "{when:Date}" before {who:Actor} clicks "{button:Label}"'))
def _(portal: Portal, world: World, invoices_shown: InvoicesShown, when, button: Label):
    _submit_button(button)
    world.set_clock(when)
    invoices_shown.submitted()
    portal.review.submit()


@when(step('{who:Actor} opens the review of a change to "{plan:Text}" billed "{cycle:Cycle}" by its address',
           uses=("address:review",)), target_fixture="page_status")
def _(portal: Portal, world: World, plan: str, cycle: Cycle) -> int:
    return portal.visit("review", service=world.service_id(), plan=world.plan_id(plan), cycle=cycle.id).status


@when(step('{who:Actor} reviews the change of her "{current:Text}" service to "{plan:Text}" billed "{cycle:Cycle}" '
           'and sends its Submit to the address of the DNS SERVICE', uses=("address:submit",)),
      target_fixture="page_status")
def _(portal: Portal, world: World, current: str, plan: str, cycle: Cycle) -> int:
    """The review of a change she may make, its Submit sent to the Submit address of the
    sample's service instead (a Submit typed, or crafted, for that service). It is to be
    refused: the invoice of this change stays the last one shown (one issued anyway fails
    the Then's status check and shows in the Invoices list)."""
    _review(portal, world, plan, cycle, current)
    return portal.review.submit_to(portal.profile.address("submit", service=world.service_id()))


@when(step('Alice reviews the change to "{plan:Text}" billed "{cycle:Cycle}" and {who:Actor} sends its Submit '
           'to the address of the DNS SERVICE', uses=("address:submit",)), target_fixture="page_status")
def _(portal: Portal, world: World, logins: Logins, plan: str, cycle: Cycle) -> int:
    """Alice's review, in a browser of her own; its Submit sent from the browser of the login
    logged in here, with its own session (a Submit crafted by a login that may not change plans).
    It is to be refused, as above."""
    owner = world.owner_email
    context = logins.context(world.login(owner), world.password(owner))
    try:
        hers = Portal(context.new_page(), portal.profile)
        _review(hers, world, plan, cycle)
        fields = hers.review.sent_fields()
    finally:
        context.close()
    portal.enter()
    return portal.send_form(portal.profile.address("submit", service=world.service_id()), fields)


@when(step("{who:Actor} opens the Invoices list"))
def _(portal: Portal):
    portal.open_invoices()


@when(step("{who:Actor} downloads the PDF"), target_fixture="pdf_text")
def _(portal: Portal, tmp_path: Path) -> str:
    return read_pdf(portal, portal.invoice.download_pdf(tmp_path))


@when(step('the clock reaches "{when:Date}" and {who:Actor} refreshes the page'))
def _(portal: Portal, world: World, when):
    world.set_clock(when)
    portal.refresh()


@when(step('the clock advances "{minutes:d}" minutes and {who:Actor} refreshes the page'))
def _(portal: Portal, world: World, minutes: int):
    world.advance_clock(minutes)
    portal.refresh()


@when(step("the bank transfer for the invoice of this change arrives and {who:Actor} refreshes the page"))
def _(portal: Portal, world: World, invoices_shown: InvoicesShown):
    world.pay_invoice(invoices_shown.of_this_change())
    portal.refresh()


@when(step('the visitor logs in as "{email:Email}"'))
def _(portal: Portal, world: World, email: str):
    portal.login.log_in(world.login(email), world.password(email))


@when(step('another account in the same portal submits the change to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(other_accounts: list[World], logins: Logins, portal: Portal, plan: str, cycle: Cycle):
    """The other account's owner, in a browser of their own, reviews and submits a change."""
    other = other_accounts[-1]
    context = logins.context(other.login(other.owner_email), other.password(other.owner_email))
    try:
        theirs = Portal(context.new_page(), portal.profile)
        _review(theirs, other, plan, cycle)
        theirs.review.submit()
        theirs.invoice.number()  # their invoice is shown
    finally:
        context.close()


@when(step('another client, "{email:Email}", submits the change of her service to "{plan:Text}" billed "{cycle:Cycle}"'))
def _(world: World, logins: Logins, portal: Portal, email: str, plan: str, cycle: Cycle):
    """Another client of this account's portal, in a browser of her own, changes her only service."""
    context = logins.context(world.login(email), world.password(email))
    try:
        theirs = Portal(context.new_page(), portal.profile)
        theirs.review_change(None, plan, cycle.id)
        theirs.review.submit()
        theirs.invoice.number()  # her invoice is shown
    finally:
        context.close()


@when(step('the clock of another account in the same portal reaches "{when:Date}"'))
def _(other_accounts: list[World], when):
    other_accounts[-1].set_clock(when)


@when(step("{who:Actor} opens her first invoice from the Invoices list"))
def _(portal: Portal, invoices_shown: InvoicesShown):
    number = invoices_shown.numbers[0]
    portal.open_invoice(number)
    invoices_shown.this_change = number


def read_pdf(portal: Portal, download: Downloaded) -> str:
    """The text of every page of the downloaded PDF; a download that is not a PDF
    fails saying what it is ("expected a PDF, got text/html: <its title>")."""
    data = download.path.read_bytes()
    if not data.startswith(b"%PDF-"):
        kind = portal.page.request.head(download.url).headers.get("content-type", "no content type")
        title = re.search(rb"<title>(.*?)</title>", data, re.S | re.I)
        what = html.unescape(title[1].decode(errors="replace")) if title else data[:80].decode(errors="replace")
        raise AssertionError(f"{portal.invoice.download_link.name}: expected a PDF, got {kind.split(';')[0]}: {' '.join(what.split())}")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
