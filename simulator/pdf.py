"""The invoice as a real PDF (fpdf2), carrying the invoice page's number,
lines and amounts, in the portal's language."""
from __future__ import annotations

import logging
import unicodedata
from datetime import timezone
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace

from .billing import Currency
from .i18n import N_, day, gettext, locale_code, money
from .rules import Refused
from .storage.records import Client, Invoice, InvoiceLine
from .wording import amount_rows, tax_note

FONTS = Path(__file__).with_name("static") / "fonts"
# The font files per language: DejaVu Sans has no Japanese glyphs; the bundled
# Noto Sans CJK JP subset (static/fonts/NotoSansJP-Portal*.ttf) has the catalog's.
PDF_FONTS = {
    "en": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "ja": ("NotoSansJP-Portal.ttf", "NotoSansJP-Portal-Bold.ttf"),
}
# Names (and plan names) may be in any script (SPEC §8): what the language's font lacks
# comes from GNU Unifont, which draws every assigned character of the BMP (unifont.otf,
# 5 MB) and most of the others, emoji included (unifont_upper.otf, 0.9 MB). Loaded only
# for a PDF that needs them (parsing them costs about a second). A character none of
# them has is refused in words, never dropped.
FALLBACK_FONTS = ("unifont.otf", "unifont_upper.otf")
# Unifont's head table dates its creation 1904 (a zero): fontTools would warn on every load.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
# Characters that need no glyph: joiners, direction marks, variation selectors (format
# characters, Cf) and the marks that combine with the letter before them are drawn, or
# not, with it.
_NO_GLYPH_NEEDED = {"Cf", "Mn", "Me", "Zl", "Zp", "Cc"}


@lru_cache(maxsize=None)
def _characters(font_file: str) -> frozenset[int]:
    """The code points a font file draws."""
    return frozenset(TTFont(FONTS / font_file, lazy=True).getBestCmap())


def _unprintable(texts, font_files) -> tuple[str, str] | None:
    """(character, text) of the first character none of `font_files` draws, or None."""
    for text in texts:
        for char in text:
            if char.isspace() or unicodedata.category(char) in _NO_GLYPH_NEEDED:
                continue
            if not any(ord(char) in _characters(f) for f in font_files):
                return char, text
    return None


def _fonts_for(texts, regular: str) -> tuple[str, ...]:
    """The fallback fonts this PDF needs (none, usually); Refused if even they lack a
    character."""
    if _unprintable(texts, (regular,)) is None:
        return ()
    missing = _unprintable(texts, (regular, *FALLBACK_FONTS))
    if missing is not None:
        char, text = missing
        raise Refused(N_("The invoice PDF cannot be made: no font of the portal can print "
                         "the character U+%(code)s of “%(text)s”."),
                      code=f"{ord(char):04X}", text=text)
    return FALLBACK_FONTS


def invoice_pdf(invoice: Invoice, lines: list[InvoiceLine], client: Client,
                currency: Currency) -> bytes:
    title = gettext("Invoice #%(number)s", number=invoice.number)
    regular, bold = PDF_FONTS.get(locale_code(), PDF_FONTS["en"])
    # What the PDF draws from the state (names, plan names in the lines and the note):
    # the catalog's own words are in the language's font already.
    drawn = [client.name, client.email, invoice.computation, invoice.tax_label or "",
             *(line.description for line in lines)]
    fallbacks = _fonts_for(drawn, regular)
    pdf = FPDF(format="A4")
    pdf.set_creator("DNS SERVICE portal simulator")
    pdf.set_title(title)
    pdf.set_creation_date(invoice.issued.replace(tzinfo=timezone.utc))
    pdf.add_font("DejaVu", "", FONTS / regular)
    pdf.add_font("DejaVu", "B", FONTS / bold)
    for index, name in enumerate(fallbacks):
        pdf.add_font(f"Fallback{index}", "", FONTS / name)
    if fallbacks:  # bold text falls back to the regular glyphs: better than none
        pdf.set_fallback_fonts([f"Fallback{i}" for i in range(len(fallbacks))],
                               exact_match=False)
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
            table.row((line.description, money(line.amount, currency)))
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 10)
    with pdf.table(col_widths=(width - 40, 40), text_align=("RIGHT", "RIGHT"),
                   first_row_as_headings=False, borders_layout="NONE") as table:
        for amount in amount_rows(invoice, invoice.tax_label, gettext("Total")):
            style = FontFace(emphasis="BOLD") if amount.kind == "total" else None
            row = table.row()
            row.cell(amount.label, style=style)
            row.cell(money(amount.amount, currency), style=style)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, invoice.computation, new_x="LMARGIN", new_y="NEXT")
    note = tax_note(invoice.tax_label, invoice.tax_inclusive)
    if note:
        pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
