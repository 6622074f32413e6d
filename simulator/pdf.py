"""The invoice as a real PDF (fpdf2), carrying the invoice page's number,
lines and amounts."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from .billing import Currency

FONTS = Path(__file__).with_name("static") / "fonts"


def amount_rows(invoice, currency: Currency) -> list[tuple[str, str]]:
    """The amounts rows, in order, exactly as the invoice page prints them."""
    rows = [("Subtotal", currency.format(Decimal(invoice["subtotal"])))]
    if invoice["tax_label"]:
        rows.append((invoice["tax_label"], currency.format(Decimal(invoice["tax"]))))
    rows.append(("Credit applied", currency.format(Decimal(invoice["credit_applied"]))))
    rows.append(("Total", currency.format(Decimal(invoice["total"]))))
    if Decimal(invoice["credit_added"]) > 0:
        rows.append(("Credit added to your balance",
                     currency.format(Decimal(invoice["credit_added"]))))
    return rows


def invoice_pdf(invoice, lines, client, currency: Currency) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creator("DNS SERVICE portal simulator")
    pdf.set_title(f"Invoice #{invoice['number']}")
    pdf.set_creation_date(_issued(invoice))
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 10, f"Invoice #{invoice['number']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for label, value in (("Status", invoice["status"]),
                         ("Invoice date", invoice["issued"][:10]),
                         ("Billed to", f"{client['name']} <{client['email']}>")):
        pdf.cell(35, 6, label)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    width = pdf.epw
    pdf.set_font("DejaVu", "", 10)  # headings are bold by the table's own style
    with pdf.table(col_widths=(width - 40, 40), text_align=("LEFT", "RIGHT"),
                   first_row_as_headings=True) as table:
        table.row(("Description", "Amount"))
        for line in lines:
            table.row((line["description"], currency.format(Decimal(line["amount"]))))
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 10)
    with pdf.table(col_widths=(width - 40, 40), text_align=("RIGHT", "RIGHT"),
                   first_row_as_headings=False, borders_layout="NONE") as table:
        for label, value in amount_rows(invoice, currency):
            style = FontFace(emphasis="BOLD") if label == "Total" else None
            row = table.row()
            row.cell(label, style=style)
            row.cell(value, style=style)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, invoice["computation"], new_x="LMARGIN", new_y="NEXT")
    if invoice["tax_inclusive"] and invoice["tax_label"]:
        pdf.multi_cell(0, 5, f"Prices include {invoice['tax_label']}.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _issued(invoice):
    from datetime import datetime, timezone
    return datetime.fromisoformat(invoice["issued"]).replace(tzinfo=timezone.utc)
