"""The invoice screen and its PDF (SPEC §5.7)."""
from flask import Blueprint, Response, g

from . import themes
from .i18n import gettext
from .pdf import invoice_pdf
from .web import get_store, login_required
from .wording import amount_rows, tax_note

bp = Blueprint("invoices", __name__)


@bp.route("/invoices")
@login_required
def invoice_list():
    return themes.render("invoices.html", invoices=get_store().invoices(g.viewer))


@bp.route("/invoices/<number>")
@login_required
def invoice(number: str):
    store = get_store()
    invoice, lines = store.invoice(g.viewer, number)
    return themes.render("invoice.html", invoice=invoice, lines=lines,
                         client=store.client(invoice.client),
                         amounts=amount_rows(invoice, invoice.tax_label, gettext("Total")),
                         tax_note=tax_note(invoice.tax_label, invoice.tax_inclusive))


@bp.route("/invoices/<number>/pdf")
@login_required
def invoice_download(number: str):
    store = get_store()
    invoice, lines = store.invoice(g.viewer, number)
    data = invoice_pdf(invoice, lines, store.client(invoice.client), store.catalog.currency)
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{number}.pdf"'})
