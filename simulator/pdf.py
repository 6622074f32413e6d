"""The invoice as a real PDF (fpdf2), carrying the invoice page's number,
lines and amounts, in the portal's language."""
from __future__ import annotations

from datetime import timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from .billing import Currency
from .i18n import day, gettext, locale_code
from .storage.records import Client, Invoice, InvoiceLine
from .wording import amount_rows, tax_note

FONTS = Path(__file__).with_name("static") / "fonts"
# The font files per language: DejaVu Sans has no Japanese glyphs; the bundled
# Noto Sans CJK JP subset (static/fonts/NotoSansJP-Portal*.ttf) has them.
PDF_FONTS = {
    "en": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "ja": ("NotoSansJP-Portal.ttf", "NotoSansJP-Portal-Bold.ttf"),
}


def invoice_pdf(invoice: Invoice, lines: list[InvoiceLine], client: Client,
                currency: Currency) -> bytes:
    title = gettext("Invoice #%(number)s", number=invoice.number)
    pdf = FPDF(format="A4")
    pdf.set_creator("DNS SERVICE portal simulator")
    pdf.set_title(title)
    pdf.set_creation_date(invoice.issued.replace(tzinfo=timezone.utc))
    regular, bold = PDF_FONTS.get(locale_code(), PDF_FONTS["en"])
    pdf.add_font("DejaVu", "", FONTS / regular)
    pdf.add_font("DejaVu", "B", FONTS / bold)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for label, value in ((gettext("Status"), gettext(invoice.status.value)),
                         (gettext("Invoice date"), day(invoice.issued)),
                         (gettext("Billed to"), f"{client.name} <{client.email}>")):
        pdf.cell(35, 6, label)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    width = pdf.epw
    pdf.set_font("DejaVu", "", 10)  # headings are bold by the table's own style
    with pdf.table(col_widths=(width - 40, 40), text_align=("LEFT", "RIGHT"),
                   first_row_as_headings=True) as table:
        table.row((gettext("Description"), gettext("Amount")))
        for line in lines:
            table.row((line.description, currency.format(line.amount)))
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 10)
    with pdf.table(col_widths=(width - 40, 40), text_align=("RIGHT", "RIGHT"),
                   first_row_as_headings=False, borders_layout="NONE") as table:
        for amount in amount_rows(invoice, invoice.tax_label, gettext("Total")):
            style = FontFace(emphasis="BOLD") if amount.kind == "total" else None
            row = table.row()
            row.cell(amount.label, style=style)
            row.cell(currency.format(amount.amount), style=style)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, invoice.computation, new_x="LMARGIN", new_y="NEXT")
    note = tax_note(invoice.tax_label, invoice.tax_inclusive)
    if note:
        pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
