"""Thens: what the portal shows, on screen (web-first `expect`) and in files (the PDF)."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect
from pytest_bdd import then

from pages import Portal

from .actions import read_pdf
from .types import Money, step
from .world import World

# The invoice prints the review's last row as its amount due.
INVOICE_ROW = {"Total charge for today": "Total"}


def _rows(datatable: list[list[str]]) -> dict[str, str]:
    return {header.strip(): value.strip() for header, value in datatable}


def _pdf_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def _check_invoice_amounts(portal: Portal, amounts: dict[str, str]) -> None:
    for header, value in amounts.items():
        expect(portal.invoice.amounts.value(INVOICE_ROW.get(header, header)).locator).to_have_text(value)


def _check_pdf(text: str, number: str, amounts: dict[str, str]) -> None:
    lines = _pdf_lines(text)
    assert f"Invoice #{number}" in lines, f"the PDF is not invoice {number}:\n{text}"
    for header, value in amounts.items():
        row = f"{INVOICE_ROW.get(header, header)} {value}"
        assert row in lines, f"the PDF has no line {row!r}:\n{text}"


# --- DNS SERVICE list ---------------------------------------------------------------

@then(step('the list shows "{plan:Text}" at "{price:Text}", next due "{next_due:Date}", "{status:Text}"'))
def _(portal: Portal, plan: str, price: str, next_due, status: str):
    cells = portal.services.row(plan).locator.get_by_role("cell")
    expect(cells).to_have_text([price, next_due.isoformat(), status])


@then(step('the list shows "{plan:Text}" at "{price:Text}"'))
def _(portal: Portal, plan: str, price: str):
    expect(portal.services.row(plan).locator.get_by_role("cell").first).to_have_text(price)


@then(step('the list shows "{plan:Text}" with the note "{note:Text}"'))
def _(portal: Portal, plan: str, note: str):
    expect(portal.services.row(plan).locator).to_contain_text(note)


# --- Service details ----------------------------------------------------------------

@then(step('the details of "{plan:Text}" are shown'))
def _(portal: Portal, plan: str):
    expect(portal.details.billing.locator).to_be_visible()
    expect(portal.details.fact("Plan").locator).to_have_text(plan)


@then('"Billing Information" reads:')
def _(portal: Portal, datatable: list[list[str]]):
    for name, value in _rows(datatable).items():
        expect(portal.details.fact(name).locator).to_have_text(value)


@then('"Upgrade / Downgrade" is offered')
def _(portal: Portal):
    expect(portal.details.change_link.locator).to_be_visible()


@then('"Upgrade / Downgrade" is not offered and the page says to contact support')
def _(portal: Portal):
    expect(portal.details.billing.locator).to_be_visible()
    expect(portal.details.change_link.locator).to_have_count(0)
    expect(portal.details.support_note.locator).to_be_visible()


# --- Change page --------------------------------------------------------------------

@then("the change is refused and the page says to contact support")
def _(portal: Portal, change_page_status: int):
    assert change_page_status == 403, f"the change page answered {change_page_status}, not 403"
    expect(portal.change.refusal.locator).to_be_visible()
    expect(portal.change.target_plan.locator).to_have_count(0)


@then(step('"{control:Text}" offers:'))
def _(portal: Portal, control: str, datatable: list[list[str]]):
    options = {"Upgrade / Downgrade to": portal.change.target_options,
               "Select billing cycle": portal.change.cycle_options}[control]
    expect(options.locator).to_have_text([row[0].strip() for row in datatable])


@then(step('the page says a downgrade takes effect "{timing:Text}"'))
def _(portal: Portal, timing: str):
    expect(portal.change.timing_note(timing).locator).to_be_visible()


@then("the page says downgrading is not available and to contact support")
def _(portal: Portal):
    expect(portal.change.no_downgrade_note.locator).to_be_visible()
    expect(portal.change.no_downgrade_note.locator).to_contain_text("contact support")


@then(step('the page points to the unpaid invoice "{number:Text}"'))
def _(portal: Portal, number: str):
    expect(portal.change.refusal.locator).to_contain_text(f"Invoice #{number}")
    expect(portal.page.get_by_role("link", name=re.compile(re.escape(f"Invoice #{number}")))).to_be_visible()


# --- Review page --------------------------------------------------------------------

@then("the review compares:")
def _(portal: Portal, datatable: list[list[str]]):
    for item, before, after in datatable:
        expect(portal.review.compared(item.strip()).locator).to_have_text([before.strip(), after.strip()])


@then("the amounts read:", target_fixture="reviewed_amounts")
def _(portal: Portal, datatable: list[list[str]]) -> dict[str, str]:
    amounts = _rows(datatable)
    for header, value in amounts.items():
        expect(portal.review.amounts.value(header).locator).to_have_text(value)
    return amounts


@then(step('the "Total charge for today" is "{total:Money}"'))
def _(portal: Portal, total: Money):
    expect(portal.review.amounts.value("Total charge for today").locator).to_have_text(total.text)


@then("the review shows no tax row")
def _(portal: Portal):
    expect(portal.review.amounts.value("Total charge for today").locator).to_be_visible()
    expect(portal.page.get_by_role("rowheader", name=re.compile(r"^Tax\b"))).to_have_count(0)


@then(step('the review says "{text:Text}"'))
def _(portal: Portal, text: str):
    expect(portal.review.statement(text).locator).to_be_visible()


@then("the review says the amount shown is the final calculation result")
def _(portal: Portal):
    expect(portal.review.final_note.locator).to_be_visible()


# --- Invoice and its PDF ------------------------------------------------------------

@then(step('invoice "{number:Text}" is "{status:Text}" with a Total of "{total:Money}"'))
def _(portal: Portal, number: str, status: str, total: Money):
    expect(portal.invoice.heading.locator).to_have_text(f"Invoice #{number}")
    expect(portal.invoice.status.locator).to_have_text(status)
    expect(portal.invoice.amounts.value("Total").locator).to_have_text(total.text)


@then(step('the invoice lists a line for "{plan:Text}" of "{amount:Money}"'))
def _(portal: Portal, plan: str, amount: Money):
    expect(portal.invoice.line(plan).locator.get_by_role("cell").last).to_have_text(amount.text)


@then(step('the PDF shows invoice "{number:Text}" with:'))
def _(pdf_text: str, number: str, datatable: list[list[str]]):
    _check_pdf(pdf_text, number, _rows(datatable))


@then(step('the invoice and its PDF show the reviewed amounts with a Total of "{total:Money}"'))
def _(portal: Portal, reviewed_amounts: dict[str, str], total: Money, invoice_number: str, tmp_path: Path):
    assert reviewed_amounts["Total charge for today"] == total.text, "the Examples row contradicts itself"
    expect(portal.invoice.heading.locator).to_have_text(f"Invoice #{invoice_number}")
    _check_invoice_amounts(portal, reviewed_amounts)
    _check_pdf(read_pdf(portal.invoice.download_pdf(tmp_path)), invoice_number, reviewed_amounts)


# --- Log in, account ----------------------------------------------------------------

@then("the Log in page is shown")
def _(portal: Portal):
    expect(portal.login.heading.locator).to_be_visible()
    expect(portal.login.email.locator).to_be_visible()


@then(step('Alice\'s credit balance is "{credit:Money}"'))
def _(world: World, credit: Money):
    # The portal shows no balance (SPEC §5); the control API's state does (SPEC §4).
    balance = world.state()["clients"][0]["credit"]
    assert Decimal(balance) == Decimal(credit.amount), f"the credit balance is {balance}, not {credit.amount}"
