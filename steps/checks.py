"""Thens: what the portal shows, on screen (web-first `expect`) and in files (the PDF)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pytest_bdd import then

from pages import Portal
from pages.base import texts_of

from . import see
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
        see.reads(portal.invoice.amounts.value(INVOICE_ROW.get(header, header)), value)


def _check_pdf_has_lines(text: str, cells: list[str]) -> None:
    """Each line item of the invoice page (description, amount) is in the PDF too."""
    squeezed = "".join(text.split())
    for description, amount in zip(cells[::2], cells[1::2]):
        see.that("".join(f"{description}{amount}".split()) in squeezed,
                 f'PDF line items: expected "{description}  {amount}" as on the invoice page, the PDF shows '
                 + " | ".join(line for line in _pdf_lines(text) if line))


def _check_pdf(text: str, number: str, amounts: dict[str, str]) -> None:
    lines = [line for line in _pdf_lines(text) if line]
    heading = f"Invoice #{number}"
    if heading not in lines:
        raise AssertionError(f'PDF: expected "{heading}", the PDF begins "{lines[0] if lines else ""}"')
    for header, value in amounts.items():
        label = INVOICE_ROW.get(header, header)
        if f"{label} {value}" not in lines:
            shown = [line for line in lines if line.startswith(f"{label} ")]
            raise AssertionError(f'PDF {label}: expected "{label} {value}", the PDF shows '
                                 + (", ".join(f'"{line}"' for line in shown) if shown else
                                    "no such line; its lines: " + " | ".join(lines)))


# --- DNS SERVICE list ---------------------------------------------------------------

@then(step('the list shows "{plan:Text}" at "{price:Text}", next due "{next_due:Date}", "{status:Text}"'))
def _(portal: Portal, plan: str, price: str, next_due, status: str):
    see.reads(portal.services.cells(plan), [price, next_due.isoformat(), status])


@then(step('the list shows "{plan:Text}" at "{price:Text}"'))
def _(portal: Portal, plan: str, price: str):
    see.reads(portal.services.price(plan), price)


@then(step('the list shows only "{plan:Text}"'))
def _(portal: Portal, plan: str):
    see.reads(portal.services.services(), [plan])


@then(step('the list shows "{plan:Text}" with the note "{note:Text}"'))
def _(portal: Portal, plan: str, note: str):
    see.says(portal.services.row(plan), note)


# --- Service details ----------------------------------------------------------------

@then(step('the details of "{plan:Text}" are shown'))
def _(portal: Portal, plan: str):
    see.shown(portal.details.billing)
    see.reads(portal.details.fact("Plan"), plan)


@then('"Billing Information" reads:')
def _(portal: Portal, datatable: list[list[str]]):
    for name, value in _rows(datatable).items():
        see.reads(portal.details.fact(name), value)


@then('"Upgrade / Downgrade" is offered')
def _(portal: Portal):
    see.shown(portal.details.change_link)


@then('"Upgrade / Downgrade" is not offered and the page says to contact support')
def _(portal: Portal):
    see.shown(portal.details.billing)
    see.absent(portal.details.change_link)
    see.shown(portal.details.support_note)


@then("the page says there is no such service and shows nothing of it")
def _(portal: Portal, page_status: int):
    see.answered("the service's address", page_status, 404)
    see.absent(portal.details.billing)


# --- Change page --------------------------------------------------------------------

@then("the change is refused and the page says to contact support")
def _(portal: Portal, change_page_status: int):
    see.answered("the change page", change_page_status, 403)
    see.shown(portal.change.refusal)
    see.absent(portal.change.target_plan)


@then("the change is refused until the renewal is paid")
def _(portal: Portal):
    see.shown(portal.change.renewal_refusal)
    see.absent(portal.change.target_plan)


@then("the choice is refused and there is nothing to submit")
def _(portal: Portal, page_status: int):
    see.answered("the review's address", page_status, 400)
    see.absent(portal.review.submit_button)


@then(step('"{control:Text}" offers:'))
def _(portal: Portal, control: str, datatable: list[list[str]]):
    options = {"Upgrade / Downgrade to": portal.change.target_options,
               "Select billing cycle": portal.change.cycle_options}[control]
    see.reads(options, [row[0].strip() for row in datatable])


@then(step('the page says a downgrade takes effect "{timing:Text}"'))
def _(portal: Portal, timing: str):
    see.shown(portal.change.timing_note(timing))


@then("the page says downgrading is not available and to contact support")
def _(portal: Portal):
    see.shown(portal.change.no_downgrade_note)
    see.says(portal.change.no_downgrade_note, "contact support")


@then(step('the page points to the unpaid invoice "{number:Text}"'))
def _(portal: Portal, number: str):
    see.says(portal.change.refusal, f"Invoice #{number}")
    see.shown(portal.change.invoice_link(number))


# --- Review page --------------------------------------------------------------------

@then("the review compares:")
def _(portal: Portal, datatable: list[list[str]]):
    for item, before, after in datatable:
        see.reads(portal.review.compared(item.strip()), [before.strip(), after.strip()])


@then("the amounts read:", target_fixture="reviewed_amounts")
def _(portal: Portal, datatable: list[list[str]]) -> dict[str, str]:
    amounts = _rows(datatable)
    for header, value in amounts.items():
        see.reads(portal.review.amounts.value(header), value)
    return amounts


@then("the review is shown again, saying the figures changed")
def _(portal: Portal):
    see.shown(portal.review.stale_note)
    see.shown(portal.review.submit_button)


@then(step('the "Total charge for today" is "{total:Money}"'))
def _(portal: Portal, total: Money):
    see.reads(portal.review.amounts.value("Total charge for today"), total.text)


@then("the review shows no tax row")
def _(portal: Portal):
    see.shown(portal.review.amounts.value("Total charge for today"))
    see.absent(portal.review.amounts.tax_row)


@then(step('the review says "{text:Text}"'))
def _(portal: Portal, text: str):
    see.shown(portal.review.statement(text))


@then("the review says the amount shown is the final calculation result")
def _(portal: Portal):
    see.shown(portal.review.final_note)


# --- Invoice and its PDF ------------------------------------------------------------

@then(step('invoice "{number:Text}" is "{status:Text}" with a Total of "{total:Money}"'))
def _(portal: Portal, number: str, status: str, total: Money):
    see.reads(portal.invoice.heading, f"Invoice #{number}")
    see.reads(portal.invoice.status, status)
    see.reads(portal.invoice.amounts.value("Total"), total.text)


@then(step('the invoice lists a line for "{plan:Text}" of "{amount:Money}"'))
def _(portal: Portal, plan: str, amount: Money):
    see.reads(portal.invoice.line_amount(plan), amount.text)


@then(step('the PDF shows invoice "{number:Text}" with:'))
def _(pdf_text: str, number: str, datatable: list[list[str]]):
    _check_pdf(pdf_text, number, _rows(datatable))


@then(step('the invoice shown is "{status:Text}" with a Total of "{total:Money}"'))
def _(portal: Portal, invoices_shown: list[str], status: str, total: Money):
    invoices_shown.append(portal.invoice.number())
    see.reads(portal.invoice.status, status)
    see.reads(portal.invoice.amounts.value("Total"), total.text)


@then(step('a new invoice is shown, dated "{issued:Date}", "{status:Text}" with a Total of "{total:Money}"'))
def _(portal: Portal, invoices_shown: list[str], issued, status: str, total: Money):
    number = portal.invoice.number()
    see.that(number not in invoices_shown,
             f"invoice heading: expected a new invoice number, the screen shows #{number} again "
             f"(invoices shown so far: {', '.join(invoices_shown)})")
    invoices_shown.append(number)
    see.reads(portal.invoice.date, issued.isoformat())
    see.reads(portal.invoice.status, status)
    see.reads(portal.invoice.amounts.value("Total"), total.text)


@then("the second tab shows the same invoice")
def _(portal: Portal, second_tab: Portal):
    see.reads(second_tab.invoice.heading, f"Invoice #{portal.invoice.number()}")


@then(step("it lists the invoices {who:Actor} was shown"))
def _(portal: Portal, invoices_shown: list[str]):
    see.shown(portal.invoices.heading)
    see.reads_in_any_order(portal.invoices.numbers, [f"#{number}" for number in invoices_shown])


@then(step('the invoice and its PDF show the reviewed amounts with a Total of "{total:Money}"'))
def _(portal: Portal, reviewed_amounts: dict[str, str], total: Money, tmp_path: Path):
    see.that(reviewed_amounts["Total charge for today"] == total.text, "the Examples row contradicts itself")
    invoice_number = portal.invoice.number()
    _check_invoice_amounts(portal, reviewed_amounts)
    see.shown(portal.invoice.line_cells)
    cells = texts_of(portal.invoice.line_cells)
    text = read_pdf(portal, portal.invoice.download_pdf(tmp_path))
    _check_pdf(text, invoice_number, reviewed_amounts)
    _check_pdf_has_lines(text, cells)


# --- Log in, account ----------------------------------------------------------------

@then("the Log in page is shown")
def _(portal: Portal):
    see.shown(portal.login.heading)
    see.shown(portal.login.email)


@then(step('Alice\'s credit balance is "{credit:Money}"'))
def _(world: World, credit: Money):
    # The portal shows no balance (SPEC §5); the control API's state does (SPEC §4).
    balance = world.state()["clients"][0]["credit"]
    see.that(Decimal(balance) == Decimal(credit.amount),
             f"Alice's credit balance (control API state): expected {credit.amount}, it is {balance}")
