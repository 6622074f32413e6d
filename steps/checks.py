"""Thens: what the portal shows, on screen (web-first `expect`) and in files (the PDF)."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from pytest_bdd import then

from pages import Portal
from pages.base import texts_of
from pages.formats import regex_body
from pages.profile import Named
from pages.targets import spaced

from . import see
from .actions import read_pdf
from .invoice_text import (amounts_rows, check_pdf, check_pdf_has_lines, check_pdf_rows_in_order,
                           on_the_invoice, pdf_line, pdf_lines)
from .labels import target
from .types import FEATURES, Label, Money, step
from .world import InvoicesShown, World


def _rows(datatable: list[list[str]]) -> dict[str, str]:
    return {header.strip(): value.strip() for header, value in datatable}


def _named_rows(datatable: list[list[str]], what: str) -> list[tuple[Named, str]]:
    """Each row's label as the fact it names (key and fields), with its value as written."""
    facts = dict.fromkeys(FEATURES.of_kind("fact"))
    return [(target(label, facts, what)[1], value) for label, value in _rows(datatable).items()]


def _check_invoice_amounts(portal: Portal, amounts: list[tuple[Named, str]]) -> None:
    """The invoice's amounts rows are these, whole, in this order, and no other."""
    see.reads(portal.invoice.amounts.all, amounts_rows(portal.profile, on_the_invoice(amounts)))


# --- DNS SERVICE list ---------------------------------------------------------------

@then(step('the list shows "{plan:Text}" at "{price:Text}", next due "{next_due:Date}", "{status:Text}"'))
def _(portal: Portal, plan: str, price: str, next_due: date, status: str):
    shown = portal.profile.shown
    for fact, value in zip(portal.services.facts(plan), [shown(price), portal.profile.date(next_due), shown(status)]):
        see.reads(fact, value)


@then(step('the list shows "{plan:Text}" at "{price:Text}"'))
def _(portal: Portal, plan: str, price: str):
    see.reads(portal.services.price(plan), portal.profile.shown(price))


@then(step('the list shows only "{plan:Text}"'))
def _(portal: Portal, plan: str):
    see.reads(portal.services.services(), [plan])


@then(step('the list shows "{plan:Text}" with the note "{note:Text}"'))
def _(portal: Portal, plan: str, note: str):
    see.says(portal.services.item(plan), portal.profile.shown(note))


# --- Service details ----------------------------------------------------------------

@then(step('the details of "{plan:Text}" are shown'))
def _(portal: Portal, plan: str):
    see.shown(portal.details.billing)
    see.reads(portal.details.fact("the Plan row"), plan)


@then(step('"{section:Label}" reads:', labels_in_rows=True))
def _(portal: Portal, section: Label, datatable: list[list[str]]):
    target(section, {"the Billing Information section": None}, "section of facts")
    for row, value in _named_rows(datatable, "row of Billing Information"):
        see.reads(portal.details.fact(row.key), portal.profile.shown(value))


@then(step('"{link:Label}" is offered'))
def _(portal: Portal, link: Label):
    offered, _ = target(link, {"the Upgrade / Downgrade link": portal.details.change_link}, "link")
    see.shown(offered)


@then(step('"{link:Label}" is not offered and the page says to contact support'))
def _(portal: Portal, link: Label):
    offered, _ = target(link, {"the Upgrade / Downgrade link": portal.details.change_link}, "link")
    see.shown(portal.details.billing)
    see.absent(offered)
    see.shown(portal.details.support_note)


@then("the page says there is no such service and shows nothing of it")
def _(portal: Portal, page_status: int):
    see.answered("the service's address", page_status, 404)
    see.absent(portal.details.billing)


# --- Change page --------------------------------------------------------------------

@then(step("the change is refused and the page says to contact support", uses=("the contact support explanation",)))
def _(portal: Portal, change_page_status: int):
    see.answered("the change page", change_page_status, 403)
    see.shown(portal.change.refusal)
    see.absent(portal.change.target_plan)


@then(step("the change is refused until the renewal is paid", uses=("the explanation that the renewal must be paid first",)))
def _(portal: Portal):
    see.shown(portal.change.renewal_refusal)
    see.absent(portal.change.target_plan)


@then("the choice is refused and there is nothing to submit")
def _(portal: Portal, page_status: int):
    see.answered("the review's address", page_status, 400)
    see.absent(portal.review.submit_button)


@then(step('"{field:Label}" offers:'))
def _(portal: Portal, field: Label, datatable: list[list[str]]):
    options, _ = target(field, {"the Upgrade / Downgrade to field": portal.change.target_options,
                                "the Select billing cycle field": portal.change.cycle_options}, "list")
    see.reads(options, [portal.profile.shown(row[0].strip()) for row in datatable])


@then(step('the page says a downgrade takes effect "{timing:Timing}"', uses=("the note that a downgrade takes effect immediately", "the note that a downgrade takes effect at the next renewal")))
def _(portal: Portal, timing: str):
    notes = {"immediate": "the note that a downgrade takes effect immediately",
             "next_renewal": "the note that a downgrade takes effect at the next renewal"}
    see.shown(portal.change.note(notes[timing]))


@then(step("the page says downgrading is not available and to contact support", uses=("the downgrade not available note",)))
def _(portal: Portal):
    see.shown(portal.change.no_downgrade_note)
    see.says(portal.change.no_downgrade_note, portal.change.contact_support)


@then(step("the page points to the unpaid invoice of this change", uses=("the link to an unpaid invoice",)))
def _(portal: Portal, invoices_shown: InvoicesShown):
    _points_to_the_unpaid_invoice(portal, invoices_shown)


def _points_to_the_unpaid_invoice(portal: Portal, invoices_shown: InvoicesShown) -> None:
    """The refusal names the invoice of this change and links to it (SPEC §6.10)."""
    number = invoices_shown.of_this_change()
    see.says(portal.change.refusal, portal.profile.label("the invoice heading", number=number))
    see.shown(portal.change.invoice_link(number))


# --- Review page --------------------------------------------------------------------

@then(step("the review compares:", labels_in_rows=True))
def _(portal: Portal, datatable: list[list[str]]):
    shown = portal.profile.shown
    for item, before, after in datatable:
        row = target(item.strip(), dict.fromkeys(FEATURES.of_kind("fact")), "row compared")[1]
        see.reads(portal.review.compared(row.key), [shown(before.strip()), shown(after.strip())])


@then(step("the amounts read:", labels_in_rows=True), target_fixture="reviewed_amounts")
def _(portal: Portal, datatable: list[list[str]]) -> list[tuple[Named, str]]:
    amounts = _named_rows(datatable, "row of amounts")
    for row, value in amounts:
        see.reads(portal.review.amounts.value(row.key, **row.fields), portal.profile.shown(value))
    return amounts


@then(step("the review is shown again, saying the figures changed", uses=("the note that the figures changed",)))
def _(portal: Portal):
    see.shown(portal.review.stale_note)
    see.shown(portal.review.submit_button)


@then(step('the "{row:Label}" is "{total:Money}"'))
def _(portal: Portal, row: Label, total: Money):
    _, amount = target(row, dict.fromkeys(FEATURES.of_kind("fact")), "row of amounts")
    see.reads(portal.review.amounts.value(amount.key, **amount.fields), portal.profile.money(total.value))


@then(step("the review shows no tax row", uses=("the tax row",)))
def _(portal: Portal):
    see.shown(portal.review.amounts.value("the Total charge for today row"))
    see.absent(portal.review.amounts.tax_row)


@then(step('the review says "{text:Text}"'))
def _(portal: Portal, text: str):
    see.shown(portal.review.statement(portal.profile.shown(text)))


@then(step("the review says the amount shown is the final calculation result", uses=("the final calculation statement",)))
def _(portal: Portal):
    see.shown(portal.review.final_note)


# --- Invoice and its PDF ------------------------------------------------------------

def _check_invoice(portal: Portal, status: str, total: Money) -> None:
    see.reads(portal.invoice.status, portal.profile.shown(status))
    see.reads(portal.invoice.amounts.value("the Total row"), portal.profile.money(total.value))


@then(step('the invoice of this change is "{status:Text}" with a Total of "{total:Money}"'))
def _(portal: Portal, invoices_shown: InvoicesShown, status: str, total: Money):
    """The invoice shown after the last Submit; read again later (after a refresh), the same one."""
    if invoices_shown.this_change is None:
        invoices_shown.this_change = portal.invoice.number()
        invoices_shown.shown(invoices_shown.this_change)
    see.shown(portal.invoice.heading_of(invoices_shown.this_change))
    _check_invoice(portal, status, total)


@then(step("the PDF shows the invoice of this change with:", labels_in_rows=True))
def _(portal: Portal, world: World, pdf_text: str, invoices_shown: InvoicesShown, datatable: list[list[str]]):
    amounts = _named_rows(datatable, "row of amounts")
    check_pdf(portal.profile, pdf_text, invoices_shown.of_this_change(), world.today(), amounts)


@then(step('a new invoice is shown, dated "{issued:Date}", "{status:Text}" with a Total of "{total:Money}"'))
def _(portal: Portal, invoices_shown: InvoicesShown, issued: date, status: str, total: Money):
    number = portal.invoice.number()
    see.that(number not in invoices_shown.numbers,
             f"invoice heading: expected a new invoice number, the screen shows #{number} again "
             f"(invoices shown so far: {', '.join(invoices_shown.numbers)})")
    invoices_shown.this_change = number
    invoices_shown.shown(number)
    see.reads(portal.invoice.date, portal.profile.date(issued))
    _check_invoice(portal, status, total)


@then("the second tab shows the same invoice")
def _(portal: Portal, second_tab: Portal):
    see.shown(second_tab.invoice.heading_of(portal.invoice.number()))


@then(step("it lists the invoices {who:Actor} was shown"))
def _(portal: Portal, invoices_shown: InvoicesShown):
    see.shown(portal.invoices.heading)
    see.reads_in_any_order(portal.invoices.numbers,
                           [portal.invoices.entry(number) for number in invoices_shown.numbers])


@then(step('the invoice and its PDF show the reviewed amounts with a Total of "{total:Money}"'))
def _(portal: Portal, world: World, reviewed_amounts: list[tuple[Named, str]], total: Money, tmp_path: Path):
    last = [value for row, value in reviewed_amounts if row.key == "the Total charge for today row"]
    see.that(last == [total.text], "the Examples row contradicts itself")
    invoice_number = portal.invoice.number()
    see.reads(portal.invoice.date, portal.profile.date(world.today()))
    _check_invoice_amounts(portal, reviewed_amounts)
    see.shown(portal.invoice.line_cells)
    cells = texts_of(portal.invoice.line_cells)
    text = read_pdf(portal, portal.invoice.download_pdf(tmp_path))
    check_pdf(portal.profile, text, invoice_number, world.today(), reviewed_amounts)
    check_pdf_has_lines(text, cells)


# --- Log in, account ----------------------------------------------------------------

@then("the Log in page is shown")
def _(portal: Portal):
    see.shown(portal.login.heading)
    see.shown(portal.login.email)


@then(step('Alice\'s credit balance is "{credit:Money}"'))
def _(world: World, credit: Money):
    # The portal shows no balance (SPEC §5); the back office does, through the driver.
    balance = world.credit_of(world.owner_email)
    see.that(Decimal(balance) == Decimal(credit.amount),
             f"Alice's credit balance (back office): expected {credit.amount}, it is {balance}")


# --- Facts read exactly, whole and in order (issue #19) ---------------------------------

@then(step("the review's amounts rows are, in this order:", labels_in_rows=True))
def _(portal: Portal, datatable: list[list[str]]):
    see.reads(portal.review.amounts.all, amounts_rows(portal.profile, _named_rows(datatable, "row of amounts")))


@then(step("the invoice's amounts rows are, in this order:", labels_in_rows=True))
def _(portal: Portal, datatable: list[list[str]]):
    _check_invoice_amounts(portal, _named_rows(datatable, "row of amounts"))


@then(step("the PDF's amounts rows are, in this order:", labels_in_rows=True))
def _(portal: Portal, pdf_text: str, datatable: list[list[str]]):
    check_pdf_rows_in_order(portal.profile, pdf_text, _named_rows(datatable, "row of amounts"))


@then(step('the invoice lists one line, "{description:Text}" of "{amount:Money}"'))
def _(portal: Portal, description: str, amount: Money):
    line = (rf"^\s*{spaced(regex_body(portal.profile.shown(description)))}\s*"
            rf"{spaced(regex_body(portal.profile.money(amount.value)))}\s*$")
    see.reads(portal.invoice.lines, [re.compile(line)])


@then(step('the PDF lists one line, "{description:Text}" of "{amount:Money}"'))
def _(portal: Portal, pdf_text: str, description: str, amount: Money):
    """Read from the PDF alone: the line between the column headings and the amounts rows,
    its description perhaps wrapped over lines."""
    check_pdf_has_lines(pdf_text, [portal.profile.shown(description), portal.profile.money(amount.value)], where="")


@then(step('the invoice is billed to "{name:Text}" at "{email:Email}"', uses=("the Billed to row",)))
def _(portal: Portal, world: World, name: str, email: str):
    see.reads(portal.invoice.billed_to, portal.profile.phrase("billed to", name=name, email=world.login(email)))


@then(step('the PDF says it is "{status:Text}", dated "{issued:Date}", billed to "{name:Text}" at "{email:Email}"'))
def _(portal: Portal, world: World, pdf_text: str, status: str, issued: date, name: str, email: str):
    """Read from the PDF alone, line by line: its status, date and who it is billed to."""
    profile = portal.profile
    lines = [line for line in pdf_lines(pdf_text) if line]
    expected = [profile.phrase("pdf status line", status=status),
                pdf_line(profile.label("the Invoice date row"), profile.date(issued)),
                profile.phrase("pdf billed to line", name=name, email=world.login(email))]
    for line in expected:
        found = any(line.fullmatch(shown) if isinstance(line, re.Pattern) else line == shown for shown in lines)
        see.that(found, f'PDF: expected a line "{line if isinstance(line, str) else line.pattern}", '
                        f'the PDF shows ' + " | ".join(lines))


@then(step('the Invoices list shows only the invoice of this change, dated "{issued:Date}", "{status:Text}", '
           'with a Total of "{total:Money}"'))
def _(portal: Portal, invoices_shown: InvoicesShown, issued: date, status: str, total: Money):
    number = invoices_shown.of_this_change()
    see.reads(portal.invoices.numbers, [portal.invoices.entry(number)])
    _check_entry(portal, number, issued, status, total)


def _check_entry(portal: Portal, number: str, issued: date, status: str, total: Money) -> None:
    shown = portal.profile
    for fact, value in zip(portal.invoices.facts(number),
                           [shown.date(issued), shown.shown(status), shown.money(total.value)]):
        see.reads(fact, value)


@then(step("the review is refused and the page says to contact support", uses=("the contact support explanation",)))
def _(portal: Portal, page_status: int):
    see.answered("the review's address", page_status, 403)
    see.shown(portal.change.refusal)
    see.absent(portal.review.submit_button)


@then(step("the Submit is refused and the page says to contact support", uses=("the contact support explanation",)))
def _(portal: Portal, page_status: int):
    see.answered("the Submit address", page_status, 403)
    see.shown(portal.change.refusal)


# --- Refusals at the review's and the Submit's address, for a change that must wait ----

ADDRESSED = {"review": "the review's address", "submit": "the Submit address"}  # by the profile's address names


def _refused_at(portal: Portal, screen: str, page_status: int) -> None:
    """The review or Submit address answered with a refusal of its own (not a redirect to a
    page that refuses), and the page offers nothing to submit."""
    see.refused(ADDRESSED[screen], page_status)
    see.absent(portal.review.submit_button)


@then(step('the {screen:Addressed} is refused until the renewal due "{due:Date}" is paid',
           uses=("the explanation that the renewal must be paid first",)))
def _(portal: Portal, page_status: int, screen: str, due: date):
    _refused_at(portal, screen, page_status)
    see.says(portal.change.renewal_refusal, portal.profile.date(due))


@then(step("the {screen:Addressed} is refused and the page points to the unpaid invoice of this change",
           uses=("the link to an unpaid invoice",)))
def _(portal: Portal, invoices_shown: InvoicesShown, page_status: int, screen: str):
    _refused_at(portal, screen, page_status)
    _points_to_the_unpaid_invoice(portal, invoices_shown)
