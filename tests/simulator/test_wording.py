"""The amounts rows, written once for the review page, the invoice page and the PDF
(simulator.wording.amount_rows), and when the tax row shows."""
from __future__ import annotations

from decimal import Decimal

from simulator.billing import Tax
from simulator.wording import AmountRow, amount_rows, tax_note, tax_row_label

from sim_helpers import BASIC, START, D, quote


def test_an_upgrade_shows_subtotal_tax_credit_applied_and_total_in_that_order():
    assert amount_rows(quote(), "Tax (10%)", "Total charge for today") == [
        AmountRow("Subtotal", D("3.39")),
        AmountRow("Tax (10%)", D("0.34")),
        AmountRow("Credit applied", D("1.00")),
        AmountRow("Total charge for today", D("2.73"), "total"),
    ]


def test_without_a_tax_label_there_is_no_tax_row():
    labels = [row.label for row in amount_rows(quote(), None, "Total")]
    assert labels == ["Subtotal", "Credit applied", "Total"]


def test_credit_added_to_the_balance_shows_only_when_there_is_some():
    downgrade = quote(plan=START, target=BASIC)
    assert amount_rows(downgrade, None, "Total")[-1] == AmountRow(
        "Credit added to your balance", downgrade.credit_added, "credit")
    assert downgrade.credit_added > 0


def test_the_tax_row_shows_only_when_the_rate_is_not_zero():
    assert tax_row_label(Tax("VAT", Decimal("0"))) is None
    assert tax_row_label(Tax("VAT", Decimal("7.50"))) == "VAT (7.5%)"


def test_the_inclusive_note_needs_a_tax_row():
    assert tax_note("GST (8%)", inclusive=True) == "Prices include GST (8%)."
    assert tax_note("GST (8%)", inclusive=False) is None
    assert tax_note(None, inclusive=True) is None
