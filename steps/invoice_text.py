"""What an invoice says, as text: its amounts rows written whole, as the portal writes them,
and its PDF read line by line on its own (not compared with the page, which comes from the
same source). The checks the Thens of steps/checks.py make of the invoice's figures."""
from __future__ import annotations

import re
from datetime import date

from pages import UiProfile
from pages.formats import regex_body
from pages.profile import Named
from pages.targets import spaced

from . import see

# The invoice prints the review's last row as its amount due.
INVOICE_ROW = {"the Total charge for today row": "the Total row"}


def pdf_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def on_the_invoice(amounts: list[tuple[Named, str]]) -> list[tuple[Named, str]]:
    """The review's rows as the invoice names them (its last row is the Total)."""
    return [(Named(INVOICE_ROW.get(row.key, row.key), row.fields), value) for row, value in amounts]


def amounts_rows(profile: UiProfile, rows: list[tuple[Named, str]]) -> list[re.Pattern]:
    """Each amounts row as the portal writes it, whole: its label, then its amount."""
    return [re.compile(rf"^\s*{spaced(regex_body(profile.label(row.key, **row.fields)))}\s*:?\s*"
                       rf"{spaced(regex_body(profile.shown(value)))}\s*$") for row, value in rows]


def pdf_line(label: str | re.Pattern, value: str | re.Pattern) -> re.Pattern:
    """A PDF line "<label> <value>" (a colon after the label allowed)."""
    return re.compile(rf"{regex_body(label)}:? {regex_body(value)}")


def check_pdf_has_lines(text: str, cells: list[str], where: str = " as on the invoice page") -> None:
    """Each line item (description, amount, description, amount...) is in the PDF, its
    description perhaps wrapped over lines."""
    squeezed = "".join(text.split())
    for description, amount in zip(cells[::2], cells[1::2]):
        see.that("".join(f"{description}{amount}".split()) in squeezed,
                 f'PDF line items: expected "{description}  {amount}"{where}, the PDF shows '
                 + " | ".join(line for line in pdf_lines(text) if line))


def check_pdf(profile: UiProfile, text: str, number: str, issued: date, amounts: list[tuple[Named, str]]) -> None:
    """The PDF's lines: the invoice's title, its date, and "<row label> <amount>" for each row
    (a colon after the label allowed)."""
    lines = [line for line in pdf_lines(text) if line]
    heading = profile.label("the invoice heading", number=number)
    if heading not in lines:
        raise AssertionError(f'PDF: expected "{heading}", the PDF begins "{lines[0] if lines else ""}"')
    expected = [(profile.label("the Invoice date row"), profile.date(issued))]
    expected += [(profile.label(INVOICE_ROW.get(row.key, row.key), **row.fields), profile.shown(value))
                 for row, value in amounts]
    for label, value in expected:
        line = pdf_line(label, value)
        if not any(line.fullmatch(shown) for shown in lines):
            said = str(label) if isinstance(label, str) else label.pattern
            shown = [found for found in lines if re.match(regex_body(label), found)]
            raise AssertionError(f'PDF {said}: expected "{said} {value if isinstance(value, str) else value.pattern}", '
                                 f'the PDF shows ' + (", ".join(f'"{found}"' for found in shown) if shown else
                                                      "no such line; its lines: " + " | ".join(lines)))
    check_pdf_rows_in_order(profile, text, on_the_invoice(amounts))


def check_pdf_rows_in_order(profile: UiProfile, text: str, amounts: list[tuple[Named, str]]) -> None:
    """The PDF's amounts rows are these, whole, in this order, and no other."""
    expected = amounts_rows(profile, amounts)
    shown = _pdfamounts_rows(profile, text)
    see.that(len(shown) == len(expected) and all(row.fullmatch(line) for row, line in zip(expected, shown)),
             "PDF amounts rows: expected " + " | ".join(row.pattern for row in expected)
             + ", the PDF shows " + (" | ".join(shown) or "none"))


def _pdfamounts_rows(profile: UiProfile, text: str) -> list[str]:
    """The PDF's lines that are amounts rows (a label of an amounts row, then an amount), in order."""
    labels = [profile.label(key) for key in ("the Subtotal row", "the tax row", "the Credit applied row",
                                             "the Total row", "the Credit added to your balance row")]
    row = re.compile(rf"(?:{'|'.join(regex_body(label) for label in labels)}):? (?:{profile.money_pattern()})")
    return [line for line in pdf_lines(text) if row.fullmatch(line)]
