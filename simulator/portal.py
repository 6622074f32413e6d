"""Services → DNS SERVICE: the list, the details, the change, review and Submit
screens (SPEC §5.2–§5.6, §5.8). Thin views over the store."""
from flask import Blueprint, g, redirect, request

from . import themes
from .i18n import N_, gettext, translated_refusal
from .rules import Refused, StaleReview, lock_reason
from .wording import amount_rows, computation, invoice_words, tax_note, tax_row_label
from .web import get_store, login_required

bp = Blueprint("portal", __name__)


@bp.route("/")
@login_required
def home():
    return redirect(themes.url("portal.service_list"))


@bp.route("/services/dns")
@login_required
def service_list():
    store = get_store()
    return themes.render("services.html", rows=store.services(g.viewer),
                         today=store.now().date())


@bp.route("/services/dns/<id:service_id>")
@login_required
def service_details(service_id: int):
    store = get_store()
    service, pending = store.service(g.viewer, service_id)
    locked = lock_reason(g.viewer, service)
    why = translated_refusal(locked.template, locked.params) if locked else None
    return themes.render("service.html", service=service, pending=pending, lock_reason=why)


@bp.route("/services/dns/<id:service_id>/change")
@login_required
def change(service_id: int):
    store = get_store()
    service, targets = store.change_options(g.viewer, service_id)
    chosen = request.args.get("plan")
    selected = next((p for p in targets if p.id == chosen), targets[0] if targets else None)
    return themes.render(
        "change.html", service=service, targets=targets, selected=selected,
        has_lower=any(p.tier < service.plan.tier for p in targets),
        settings=store.catalog.settings,
    )


def _choice() -> tuple[str, str]:
    plan, cycle = request.values.get("plan", ""), request.values.get("cycle", "")
    if not plan:
        raise Refused(N_("Choose a plan in “Upgrade / Downgrade to”."))
    if not cycle:
        raise Refused(N_("Choose a billing cycle in “Select billing cycle”."))
    return plan, cycle


@bp.route("/services/dns/<id:service_id>/change/review")
@login_required
def review(service_id: int):
    plan, cycle = _choice()
    store = get_store()
    service, quote, token = store.quote(g.viewer, service_id, plan, cycle)
    tax_label = tax_row_label(store.catalog.tax)
    return themes.render(
        "review.html", service=service, quote=quote, token=token,
        stale=request.args.get("stale") == "1",
        amounts=amount_rows(quote, tax_label, gettext("Total charge for today")),
        computation=computation(quote, store.catalog.currency),
        tax_note=tax_note(tax_label, store.catalog.tax.inclusive))


@bp.route("/services/dns/<id:service_id>/change", methods=["POST"])
@login_required
def submit(service_id: int):
    plan, cycle = _choice()
    token = request.form.get("review_token", "")
    if not token:
        raise Refused(N_("The review is missing; review the change before submitting."))
    try:
        number = get_store().submit(g.viewer, service_id, plan, cycle, token, invoice_words)
    except StaleReview:
        return redirect(themes.url("portal.review", service_id=service_id, plan=plan,
                                   cycle=cycle, stale=1), code=303)
    return redirect(themes.url("invoices.invoice", number=number), code=303)
