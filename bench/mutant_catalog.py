"""Plausible regressions of the simulator, for `make mutants` (bench/mutants.py).

Each is one slip a developer could make, written as exact edits of the source:
a rule dropped or misread, a figure rounded wrongly, a template showing the wrong
field. `rule` names the SPEC section a user would see broken. The acceptance suite
must catch every one; when a new kind of regression slips past it, add it here
together with the scenario that catches it.
"""
from __future__ import annotations

from bench.makefile import language_run_k
from bench.mutants import Edit, Mutant

BILLING = "simulator/billing.py"
RULES = "simulator/rules.py"
STORE = "simulator/storage/store.py"
WORDING = "simulator/wording.py"
TEMPLATES = "simulator/templates"


JA_PO = "simulator/translations/ja/LC_MESSAGES/messages.po"
# The Japanese run of `make test-ja` (Makefile): the ja profile, the examples it keeps.
JA_RUN = ("--ui-profile", "ja", "-k", language_run_k())


def m(name: str, rule: str, what: str, *edits: tuple[str, str, str], options: tuple[str, ...] = ()) -> Mutant:
    return Mutant(name, rule, what, tuple(Edit(*edit) for edit in edits), options)


# The review and the Submit reach the lock checks through one path (Store._quote_basis →
# _changeable → rules.check_change_may_start); a regression of one screen only lets that
# screen's call hand the check a `slip` that hides one lock from it.
SLIP_PATH = (
    (STORE, "    def _changeable(self, db, viewer: Viewer, service_id: int) -> tuple[ServiceRow, datetime]:\n",
     "    def _changeable(self, db, viewer: Viewer, service_id: int, slip=None) -> tuple[ServiceRow, datetime]:\n"),
    (STORE, "        rules.check_change_may_start(viewer, service, pending, now.date())\n",
     "        rules.check_change_may_start(viewer, service,\n"
     "                                     *(slip or (lambda pending, today: (pending, today)))(pending, now.date()))\n"),
    (STORE, "                     cycle: str) -> QuoteBasis:\n", "                     cycle: str, slip=None) -> QuoteBasis:\n"),
    (STORE, "        service, now = self._changeable(db, viewer, service_id)\n        target = rules.chosen_target",
     "        service, now = self._changeable(db, viewer, service_id, slip)\n        target = rules.chosen_target"),
)
REVIEW_CALL = "            basis = self._quote_basis(db, viewer, service_id, plan_id, cycle)\n        quote, token"
SUBMIT_CALL = "            basis = self._quote_basis(db, viewer, service_id, plan_id, cycle)\n            quote, token"
UNPAID_HIDDEN = "lambda pending, today: (None if pending and pending.state == ChangeState.AWAITING_PAYMENT else pending, today)"
PERIOD_NOT_ENDED = "lambda pending, today: (pending, today.min)"


def slipped(call: str, slip: str) -> tuple[str, str, str]:
    """The edit of one screen's call (REVIEW_CALL, SUBMIT_CALL) that hands the check `slip`."""
    return STORE, call, call.replace("plan_id, cycle)", f"plan_id, cycle, slip={slip})")


MUTANTS: list[Mutant] = [
    # --- the arithmetic (billing.py) ---------------------------------------------------
    m("days-left-off-by-one", "§6.1", "the unused days counted one too many",
      (BILLING, "unused = Fraction(period.days_left, period.days_in_period)",
       "unused = Fraction(period.days_left + 1, period.days_in_period)")),
    m("new-cycle-old-price-not-prorated", "§6.2", "a new cycle credits the whole old price",
      (BILLING, "raw = Fraction(new_price) - Fraction(old_price) * unused",
       "raw = Fraction(new_price) - Fraction(old_price)")),
    m("new-cycle-keeps-next-due", "§6.2", "a new cycle does not move the next due date",
      (BILLING, "new_next_due = add_months(today, CYCLE_MONTHS[target_cycle])",
       "new_next_due = next_due")),
    m("net-rounded-half-even", "§6.3", "the net rounded half to even (1.745 → 1.74)",
      (BILLING, "from decimal import ROUND_HALF_UP, Decimal",
       "from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal"),
      (BILLING, "net = currency.round(raw)",
       "net = (Decimal(raw.numerator) / Decimal(raw.denominator)).quantize("
       "currency.quantum, rounding=ROUND_HALF_EVEN)")),
    m("net-truncated", "§6.3", "the net cut to the cent instead of rounded",
      (BILLING, "net = currency.round(raw)",
       "net = Decimal(floor(raw * 10**currency.decimals)).scaleb(-currency.decimals)")),
    m("rounding-half-even", "§6.3", "every amount rounded half to even",
      (BILLING, "units = floor(scaled + Fraction(1, 2))", "units = round(scaled)")),
    m("tax-from-unrounded-net", "§6.6", "the tax worked out on the net before rounding",
      (BILLING, "tax_amount = currency.round(Fraction(net) * Fraction(tax.rate) / 100)",
       "tax_amount = currency.round(raw * Fraction(tax.rate) / 100)")),
    m("inclusive-tax-as-added", "§6.6", "included tax worked out as rate/100",
      (BILLING, "Fraction(tax.rate) / (100 + Fraction(tax.rate))", "Fraction(tax.rate) / 100")),
    m("inclusive-tax-charged-on-top", "§6.6", "included tax added to the charge again",
      (BILLING, "        before_credit = net\n", "        before_credit = net + tax_amount\n")),
    m("credit-beyond-the-charge", "§6.7", "credit applied beyond the charge",
      (BILLING, "applied = min(max(balance, zero), before_credit)", "applied = max(balance, zero)")),
    m("credit-applied-regardless", "§6.7", "apply_credit_automatically: false ignored",
      (BILLING, "if settings.apply_credit_automatically else zero", "if True else zero")),
    m("downgrade-credit-regardless", "§6.5", "credit_on_downgrade: false ignored",
      (BILLING, "credit = -net if settings.credit_on_downgrade else zero", "credit = -net")),
    m("downgrade-credit-never", "§6.5", "a cheaper change never credits",
      (BILLING, "credit = -net if settings.credit_on_downgrade else zero", "credit = zero")),
    m("next-renewal-setting-misread", "§6.4", "downgrade_timing compared with a misspelt value",
      (BILLING, 'settings.downgrade_timing == "next_renewal"', 'settings.downgrade_timing == "next-renewal"')),
    m("month-end-not-clamped", "§6", "31 March minus a month is not clamped to February's end",
      (BILLING, "return date(year, month, min(day.day, last))", "return date(year, month, day.day)")),
    m("yen-with-cents", "§3", "yen amounts rounded to two decimals",
      (BILLING, '"JPY": Currency("JPY", "¥", 0)', '"JPY": Currency("JPY", "¥", 2)')),

    # --- who may change what, and what a Submit starts (rules.py) -----------------------
    m("token-ignores-date", "§6.11", "a review from yesterday is charged at today's figures",
      (RULES, "service.version, basis.now.date(), basis.balance,", "service.version, basis.balance,")),
    m("token-ignores-balance", "§6.11", "a review is charged after the balance changed",
      (RULES, "service.version, basis.now.date(), basis.balance,", "service.version, basis.now.date(),")),
    m("token-ignores-service", "§6.11", "a review is charged after the service changed",
      (RULES, "service.version, basis.now.date(), basis.balance,", "basis.now.date(), basis.balance,")),
    m("zero-invoice-waits-for-transfer", "§6.9", "a $0.00 invoice left Unpaid for a bank transfer",
      (RULES, "return quote.total == 0 or payment_method == PaymentMethod.CARD",
       "return payment_method == PaymentMethod.CARD")),
    m("transfer-paid-at-once", "§6.9", "a bank-transfer invoice is Paid at Submit",
      (RULES, "return quote.total == 0 or payment_method == PaymentMethod.CARD", "return True")),
    m("provisioning-delay-ignored", "§6.9", "a paid change appears before provisioning is done",
      (RULES, "return paid_at + timedelta(minutes=settings.provisioning_delay_minutes)", "return paid_at")),
    m("unpaid-invoice-does-not-block", "§6.10", "a new change starts while an invoice is Unpaid",
      (RULES, "    if pending is not None:\n        if pending.state == ChangeState.AWAITING_PAYMENT:",
       "    if pending is not None and pending.state != ChangeState.AWAITING_PAYMENT:\n"
       "        if pending.state == ChangeState.AWAITING_PAYMENT:")),
    m("due-date-not-blocking", "§6", "a change starts on the due date, with no day left",
      (RULES, "if (service.next_due - today).days < 1:", "if (service.next_due - today).days < 0:")),
    m("only-suspended-locked", "§5.4", "a Pending, Cancelled or Terminated service may change",
      (RULES, "if service.status != ServiceStatus.ACTIVE:", "if service.status == ServiceStatus.SUSPENDED:")),
    m("contract-lock-ignored", "§5.4", "plan_change_allowed: false ignored",
      (RULES, "    if not service.plan_change_allowed:\n", "    if False:\n")),
    m("permission-ignored", "§5.4", "a login without permission may change plans",
      (RULES, "    if not viewer.can_change_plans:\n", "    if False:\n")),
    m("only-the-owner-may-change", "§5.4", "a second login with permission is refused",
      (RULES, "    if not viewer.can_change_plans:\n",
       "    if not viewer.can_change_plans or viewer.email != viewer.client:\n")),
    m("allowed-targets-ignored", "§5.5", "the contract's allowed targets ignored",
      (RULES, "if p.id != service.plan.id and (allowed is None or p.id in allowed)]",
       "if p.id != service.plan.id]")),
    m("credit-not-taken-from-balance", "§6.7", "the credit applied stays in the balance",
      (RULES, "balance - quote.credit_applied + quote.credit_added", "balance + quote.credit_added")),

    # --- the state (storage/store.py) -----------------------------------------------------------
    m("list-shows-every-client", "§5.3", "the list shows other clients' services",
      (STORE, 'SERVICES_WITH_PENDING + "WHERE s.client = ? ORDER BY s.id", (viewer.client,)',
       'SERVICES_WITH_PENDING + "ORDER BY s.id", ()')),
    m("any-clients-service-by-address", "§5.4", "another client's service opens by its address",
      (STORE, '"WHERE s.id = ? AND s.client = ?", (service_id, viewer.client)',
       '"WHERE s.id = ?", (service_id,)')),
    m("resubmit-not-recognised", "§6.11", "the same review submitted again is not recognised",
      (STORE, '"SELECT number FROM invoices WHERE review_token = ? AND client = ?"',
       '"SELECT number FROM invoices WHERE review_token = ? AND client = ? AND 0"')),
    m("invoice-number-not-advanced", "§6.9", "a second invoice gets the first one's number",
      (STORE, """db.execute("UPDATE meta SET value = ? WHERE key = 'invoice_seq'", (str(seq),))""",
       "pass")),
    m("change-keeps-old-cycle", "§6.2", "the applied change keeps the old billing cycle",
      (STORE, "(service.id, number, quote.new_plan.id, quote.new_cycle, quote.next_due.isoformat(),",
       "(service.id, number, quote.new_plan.id, service.cycle, quote.next_due.isoformat(),")),
    m("change-keeps-old-next-due", "§6.2", "the applied change keeps the old next due date",
      (STORE, "(service.id, number, quote.new_plan.id, quote.new_cycle, quote.next_due.isoformat(),",
       "(service.id, number, quote.new_plan.id, quote.new_cycle, service.next_due.isoformat(),")),
    m("review-accepts-any-plan", "§6.12", "a plan the contract does not offer is quoted by its address",
      (STORE, "target = rules.chosen_target(self.targets(service), plan_id, cycle)",
       "target = rules.chosen_target(self.catalog.tiers, plan_id, cycle)")),
    m("invoice-line-shows-total", "§5.7", "the invoice line carries the total, not the subtotal",
      (STORE, "(number, words.description, str(quote.subtotal))",
       "(number, words.description, str(quote.total))")),

    # --- the screens (templates, wording, PDF) ------------------------------------------
    m("list-price-of-first-cycle", "§5.3", "the list prices every service at its plan's first cycle",
      (f"{TEMPLATES}/services.html", "<td>{{ service.price|money|per_cycle(service.cycle) }}</td>",
       "<td>{{ service.plan.prices[service.plan.cycles()[0]]|money|per_cycle(service.cycle) }}</td>")),
    m("details-cycle-of-plan", "§5.4", "Billing Information shows the plan's first cycle",
      (f"{TEMPLATES}/service.html", "<td>{{ service.cycle|cycle }}</td>",
       "<td>{{ service.plan.cycles()[0]|cycle }}</td>")),
    m("tiers-swapped", "§5.5", "upgrades labelled downgrades and back",
      (f"{TEMPLATES}/change.html", "if plan.tier > service.plan.tier else", "if plan.tier < service.plan.tier else")),
    m("days-used-not-left", "§5.6", "the review states the days used as unused",
      (WORDING, "left=p.days_left,", "left=p.days_in_period - p.days_left,")),
    m("tax-row-at-zero-rate", "§5.6", "a Tax (0%) row when there is no tax",
      (WORDING, "    if not tax.rate:\n        return None\n", "")),
    m("pdf-total-before-credit", "§5.7", "the PDF's Total ignores the credit applied",
      ("simulator/pdf.py", "row.cell(money(amount.amount, currency), style=style)",
       "row.cell(money(amount.amount + (invoice.credit_applied if amount.kind == 'total' "
       "else 0), currency), style=style)")),
    m("pdf-without-line-items", "§5.7", "the PDF leaves out the invoice's line items",
      ("simulator/pdf.py", "        for line in lines:\n", "        for line in lines[:0]:\n")),
    m("pdf-link-serves-the-page", "§5.7", "Download PDF serves the invoice page",
      ("simulator/invoices.py", "data = invoice_pdf(invoice, lines, store.client(invoice.client), "
       "store.catalog.currency)", "data = globals()['invoice'](number)"),
      ("simulator/invoices.py", 'mimetype="application/pdf"', 'mimetype="text/html"')),
    m("login-forgets-destination", "§5.1", "after Log in the visitor lands on the list, not where they were going",
      ("simulator/auth.py", "return redirect(safe_next(next_url), code=303)",
       'return redirect(safe_next(None), code=303)')),

    # --- issue #19: what a screen only displays -------------------------------------------
    m("amounts-credit-before-tax", "§5.6", "the amounts rows list Credit applied before the tax row",
      (WORDING, '    if tax_label:\n        rows.append(AmountRow(tax_label, amounts.tax))\n'
                '    rows.append(AmountRow(gettext("Credit applied"), amounts.credit_applied))\n',
       '    rows.append(AmountRow(gettext("Credit applied"), amounts.credit_applied))\n'
       '    if tax_label:\n        rows.append(AmountRow(tax_label, amounts.tax))\n')),
    m("credit-added-row-dropped", "§5.7", "a downgrade's \"Credit added to your balance\" row is left out",
      (WORDING, "    if amounts.credit_added > 0:\n", "    if amounts.credit_added > 0 and False:\n")),
    m("invoice-line-wording-swapped", "§5.7", "an upgrade's invoice line says \"Downgrade:\" and back",
      (WORDING, '%(start)s to %(end)s") if quote.is_downgrade', '%(start)s to %(end)s") if not quote.is_downgrade')),
    m("invoice-line-period-ends-today", "§5.7", "the invoice line's period ends today, not on the next due date",
      (WORDING, "end=day(quote.next_due))", "end=day(quote.period.today))")),
    m("billed-to-email-only", "§5.7", "the invoice is billed to an email, without the client's name",
      (f"{TEMPLATES}/invoice.html", "<td>{{ client.name }} &lt;{{ client.email }}&gt;</td>",
       "<td>{{ client.email }}</td>")),
    m("invoices-list-every-client", "§5.7", "the Invoices list shows every client's invoices",
      (STORE, '"SELECT * FROM invoices WHERE client = ? ORDER BY number DESC", (viewer.client,))',
       '"SELECT * FROM invoices ORDER BY number DESC", ())')),
    m("invoices-list-shows-subtotal", "§5.7", "the Invoices list shows each invoice's subtotal as its total",
      (f"{TEMPLATES}/invoices.html", '<td class="num">{{ inv.total|money }}</td>',
       '<td class="num">{{ inv.subtotal|money }}</td>')),
    m("pdf-status-untranslated", "§5", "the PDF's status word is left in English in the Japanese portal",
      ("simulator/pdf.py", '(gettext("Status"), gettext(invoice.status.value))',
       '(gettext("Status"), invoice.status.value)'), options=JA_RUN),
    m("ja-semiannual-misnamed", "§5", "the Japanese catalog names the semi-annual cycle wrongly",
      (JA_PO, 'msgid "Semi-Annually"\nmsgstr "6か月払い"', 'msgid "Semi-Annually"\nmsgstr "半年ごと"'),
      options=JA_RUN),

    # --- issue #19: two accounts, two invoices side by side --------------------------------
    m("pdf-of-newest-invoice", "§5.7", "Download PDF of an older invoice serves the newest one",
      ("simulator/invoices.py", "    invoice, lines = store.invoice(g.viewer, number)\n    data = invoice_pdf(",
       "    invoice, lines = store.invoice(g.viewer, store.invoices(g.viewer)[0].number)\n    data = invoice_pdf(")),
    m("tenant-clock-moves-first-tenant", "§4.1", "a tenant's clock request moves the oldest live tenant's clock",
      ("simulator/control_api.py", "    store = _store_of(tenant)  # an unknown tenant is 404, whatever the body\n",
       "    store = _store_of(tenant)  # an unknown tenant is 404, whatever the body\n"
       "    if tenant is not None:\n        store = next(iter(_tenants()._stores.values()))\n")),

    # --- issue #19: refusals reached by address; Log out ----------------------------------
    m("review-and-submit-skip-lock", "§5.4", "the review and Submit of a locked service are served by address",
      (STORE, "        service, now = self._changeable(db, viewer, service_id)\n        target = rules.chosen_target",
       "        service, now = self._service(db, viewer, service_id)[0], self._clock\n"
       "        target = rules.chosen_target")),
    m("review-ignores-unpaid-invoice", "§6.10", "the review typed by its address is served while a plan-change invoice is Unpaid",
      *SLIP_PATH, slipped(REVIEW_CALL, UNPAID_HIDDEN)),
    m("review-ignores-ended-period", "§6", "the review typed by its address skips the check that the period has not ended",
      *SLIP_PATH, slipped(REVIEW_CALL, PERIOD_NOT_ENDED)),
    m("submit-ignores-unpaid-invoice", "§6.10", "a Submit sent to the address of a service with an Unpaid plan-change invoice is not refused",
      *SLIP_PATH, slipped(SUBMIT_CALL, UNPAID_HIDDEN)),
    m("submit-ignores-ended-period", "§6", "a Submit sent to the address of a service past its due date skips the check that the period has not ended",
      *SLIP_PATH, slipped(SUBMIT_CALL, PERIOD_NOT_ENDED)),
    m("submit-ignores-permission", "§5.4", "a Submit is checked against the account owner's permission, not the login's",
      (STORE, SUBMIT_CALL, SUBMIT_CALL.replace("(db, viewer,", "(db, Viewer(viewer.email, viewer.client, True),"))),
    m("logout-keeps-session", "§5.1", "Log out shows the Log in page but the session goes on",
      ("simulator/auth.py", "        _sessions().end(sid)  # the cookie, replayed, no longer logs anyone in\n"
                            "    session.clear()\n", "        pass\n")),
]
