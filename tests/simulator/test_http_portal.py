"""The portal through HTTP (SPEC §5 screens, §6 rules), with Flask's test client.

Assertions are on the page text and on /__sim__/state (SPEC §4)."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from sim_helpers import (
    ALICE, BOB, CAROL, change, credit_of, hidden, logged_in, login, review,
    row_value, scenario, service_state, state, submit, table_rows, text_of,
)

WORKED = {"Subtotal": "$3.39", "Tax (10%)": "$0.34", "Credit applied": "$1.00"}


def html_of(response) -> str:
    return response.get_data(as_text=True)


def links(html: str) -> dict[str, str]:
    """Visible link text -> href."""
    return {text_of(body): href for href, body in
            re.findall(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', html, flags=re.S)}


def go(client, response):
    """Follow one redirect (the Location of `response`)."""
    assert response.status_code in (301, 302, 303), (response.status_code, html_of(response))
    return client.get(response.headers["Location"])


def invoice_number(response) -> str:
    assert response.status_code == 303, (response.status_code, html_of(response))
    match = re.fullmatch(r"/invoices/(INV-\d{6})", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


# --- §5.1 log in ---------------------------------------------------------------------

def test_login_page_has_the_labelled_fields_and_button(client):
    html = html_of(client.get("/login"))
    assert re.search(r'<label for="(\w+)">Email</label>', html)
    assert re.search(r'<label for="(\w+)">Password</label>', html)
    for label in ("Email", "Password"):
        target = re.search(rf'<label for="(\w+)">{label}</label>', html).group(1)
        assert re.search(rf'<input\b[^>]*\bid="{target}"', html), label
    assert re.search(r"<button\b[^>]*>\s*Log in\s*</button>", html)


@pytest.mark.parametrize("path", [
    "/services/dns", "/services/dns/1001", "/services/dns/1001/change",
    "/services/dns/1001/change/review?plan=start&cycle=monthly",
])
def test_every_page_needs_login_and_the_visitor_comes_back_after(client, path):
    response = client.get(path)
    assert response.status_code in (302, 303)
    location = response.headers["Location"]
    assert location.startswith("/login")
    assert "next=" in location
    # log in through the form the visitor was sent to
    form = client.get(location)
    assert form.status_code == 200
    next_value = hidden(html_of(form), "next")
    assert next_value == path
    response = client.post(location, data={"email": ALICE[0], "password": ALICE[1],
                                           "next": next_value})
    assert response.status_code in (302, 303)
    assert response.headers["Location"] == path
    assert client.get(path).status_code == 200


def test_invoice_pages_need_login(alice, make_app):
    number = invoice_number(change(alice))
    # a fresh client on the same app, not logged in
    visitor = alice.application.test_client()
    for path in (f"/invoices/{number}", f"/invoices/{number}/pdf"):
        response = visitor.get(path)
        assert response.status_code in (302, 303)
        assert response.headers["Location"].startswith("/login")


def test_submit_without_login_issues_nothing(client):
    response = submit(client, token="anything")
    assert response.status_code in (302, 303)
    assert response.headers["Location"].startswith("/login")
    assert state(client)["invoices"] == []


def test_wrong_password_is_refused(client):
    response = client.post("/login", data={"email": ALICE[0], "password": "wrong"})
    assert response.status_code in (200, 400, 401)
    assert "not correct" in html_of(response) or "incorrect" in html_of(response).lower()
    assert client.get("/services/dns").status_code in (302, 303)


def test_login_email_is_case_insensitive(client):
    response = login(client, ("Alice@Example.com", ALICE[1]))
    assert response.status_code in (302, 303)
    assert client.get("/services/dns").status_code == 200


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x"])
def test_next_never_leaves_the_site(client, evil):
    response = client.post(f"/login?next={evil}", data={"email": ALICE[0],
                                                         "password": ALICE[1]})
    assert response.status_code in (302, 303)
    assert "evil" not in response.headers["Location"]


def test_logout_ends_the_session(alice):
    response = alice.post("/logout")
    assert response.status_code in (302, 303)
    assert alice.get("/services/dns").status_code in (302, 303)


# --- §5.2 left menu, §5.3 list -------------------------------------------------------------

def test_left_menu_is_a_navigation_landmark_with_services_and_dns_service(alice):
    html = html_of(alice.get("/services/dns/1001"))
    nav = re.search(r"<nav\b[^>]*>(.*?)</nav>", html, flags=re.S)
    assert nav, "no <nav> landmark"
    assert "Services" in text_of(nav.group(1))
    assert links(nav.group(1)).get("DNS SERVICE") == "/services/dns"


def test_list_shows_one_row_per_service_with_price_cycle_due_and_status(make_app):
    client = make_app(scenario(extra_services=[
        {"id": 1002, "plan": "business", "cycle": "annually", "next_due": "2026-12-01",
         "status": "Suspended"}], carol=True)).test_client()
    logged_in(client)
    html = html_of(client.get("/services/dns"))
    rows = [text_of(" ".join(c["text"] for c in r)) for r in table_rows(html)[1:]]
    assert len(rows) == 2                               # carol's service is not listed
    assert re.search(r"Basic.*\$5\.00 / Monthly.*2026-04-01.*Active", rows[0])
    assert re.search(r"Business.*\$300\.00 / Annually.*2026-12-01.*Suspended", rows[1])
    found = links(html)
    assert found["Basic"] == "/services/dns/1001"
    assert found["Business"] == "/services/dns/1002"
    assert "/services/dns/2002" not in html


# --- §5.4 details ---------------------------------------------------------------------------

def test_details_show_billing_information_and_the_change_link(alice):
    html = html_of(alice.get("/services/dns/1001"))
    text = text_of(html)
    assert "Billing Information" in text
    assert row_value(html, "Plan") == "Basic"
    assert row_value(html, "Price") == "$5.00"
    assert row_value(html, "Billing cycle") == "Monthly"
    assert row_value(html, "Next due date") == "2026-04-01"
    assert row_value(html, "Status") == "Active"
    assert links(html)["Upgrade / Downgrade"] == "/services/dns/1001/change"


LOCKS = {
    "suspended": (dict(service={"status": "Suspended"}), ALICE, "Active"),
    "pending": (dict(service={"status": "Pending"}), ALICE, "Active"),
    "cancelled": (dict(service={"status": "Cancelled"}), ALICE, "Active"),
    "terminated": (dict(service={"status": "Terminated"}), ALICE, "Active"),
    "contract": (dict(service={"plan_change_allowed": False}), ALICE, "contract"),
    "permission": ({}, BOB, "permission"),
}


@pytest.mark.parametrize("case", sorted(LOCKS))
def test_locked_service_hides_the_link_says_why_and_refuses_the_url(make_app, case):
    overrides, who, reason = LOCKS[case]
    client = make_app(scenario(**overrides)).test_client()
    logged_in(client, who)
    before = state(client)
    details = html_of(client.get("/services/dns/1001"))
    assert "Upgrade / Downgrade" not in links(details)
    assert reason in text_of(details) and "contact support" in text_of(details)
    # the change page, the review page and Submit by URL anyway: 403, same explanation
    for response in (client.get("/services/dns/1001/change"),
                     review(client)[0],
                     submit(client, token="x")):
        assert response.status_code == 403
        text = text_of(html_of(response))
        assert reason in text and "contact support" in text
    assert state(client) == before


# --- §5.5 change page ------------------------------------------------------------------------

def test_change_page_offers_the_allowed_targets_with_their_tier(alice):
    html = html_of(alice.get("/services/dns/1001/change"))
    plan_select = re.search(r'<label for="(\w+)">Upgrade / Downgrade to</label>', html)
    assert plan_select
    select = re.search(rf'<select\b[^>]*id="{plan_select.group(1)}"[^>]*>(.*?)</select>',
                       html, flags=re.S).group(1)
    options = [text_of(o) for o in re.findall(r"<option\b[^>]*>(.*?)</option>", select,
                                              flags=re.S)]
    assert options == ["Start (upgrade)", "Business (upgrade)"]
    cycle_label = re.search(r'<label for="(\w+)">Select billing cycle</label>', html)
    assert cycle_label
    cycles = re.search(rf'<select\b[^>]*id="{cycle_label.group(1)}"[^>]*>(.*?)</select>',
                       html, flags=re.S).group(1)
    assert re.findall(r'<option value="(\w+)"', cycles) == ["monthly", "annually"]
    assert re.search(r"<button\b[^>]*>\s*Continue\s*</button>", html)
    text = text_of(html)
    assert "not available under the current plan structure or contract" in text
    assert "contact support" in text
    assert "immediately" in text


def test_change_page_lists_a_lower_tier_as_downgrade(make_app):
    client = make_app(scenario(service={"plan": "start", "allowed_targets": None}))\
        .test_client()
    logged_in(client)
    html = html_of(client.get("/services/dns/1001/change"))
    text = text_of(html)
    assert "Basic (downgrade)" in text and "Business (upgrade)" in text
    assert "not available under the current plan structure" not in text


def test_change_page_says_downgrades_wait_for_the_next_renewal(make_app):
    client = make_app(scenario(service={"plan": "start", "allowed_targets": None},
                               settings={"downgrade_timing": "next_renewal"})).test_client()
    logged_in(client)
    text = text_of(html_of(client.get("/services/dns/1001/change")))
    assert "next renewal" in text


def test_change_page_offers_only_cycles_the_plan_prices(make_app):
    plans = [
        {"id": "basic", "name": "Basic", "prices": {"monthly": "5.00"}},
        {"id": "start", "name": "Start", "prices": {"quarterly": "33.00", "annually": "120.00"}},
    ]
    client = make_app(scenario(plans=plans, service={"allowed_targets": None})).test_client()
    logged_in(client)
    html = html_of(client.get("/services/dns/1001/change"))
    cycles = re.search(r'<select\b[^>]*name="cycle"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="(\w+)"', cycles) == ["quarterly", "annually"]


# --- §5.6 review --------------------------------------------------------------------------------

def test_review_page_shows_before_after_amounts_and_computation(alice):
    response, html, token = review(alice)
    assert response.status_code == 200 and token
    rows = {r[0]["text"]: [c["text"] for c in r[1:]] for r in table_rows(html) if r}
    assert rows["Plan"] == ["Basic", "Start"]
    assert rows["Billing cycle"] == ["Monthly", "Monthly"]
    assert rows["Recurring price"] == ["$5.00 / Monthly", "$12.00 / Monthly"]
    assert rows["Next due date"] == ["2026-04-01", "2026-04-01"]
    for header, value in WORKED.items():
        assert row_value(html, header) == value
    assert row_value(html, "Total charge for today") == "$2.73"
    text = text_of(html)
    assert "15 unused days of 31" in text
    assert "final calculation result" in text
    assert re.search(r"<button\b[^>]*>\s*Submit\s*</button>", html)


def test_review_shows_new_next_due_for_a_new_cycle(alice):
    _, html, _ = review(alice, cycle="annually")
    rows = {r[0]["text"]: [c["text"] for c in r[1:]] for r in table_rows(html) if r}
    assert rows["Next due date"] == ["2026-04-01", "2027-03-17"]
    assert rows["Billing cycle"] == ["Monthly", "Annually"]
    assert row_value(html, "Subtotal") == "$117.58"


def test_tax_row_is_absent_when_the_rate_is_zero(make_app):
    client = make_app(scenario(tax={"rate": "0"})).test_client()
    logged_in(client)
    _, html, _ = review(client)
    assert not any(r and r[0]["text"].startswith("Tax") for r in table_rows(html))
    assert row_value(html, "Total charge for today") == "$2.39"
    number = invoice_number(change(client))
    invoice = html_of(client.get(f"/invoices/{number}"))
    assert not any(r and r[0]["text"].startswith("Tax") for r in table_rows(invoice))
    assert row_value(invoice, "Total") == "$2.39"


def test_tax_name_and_rate_come_from_the_scenario(make_app):
    client = make_app(scenario(tax={"name": "VAT", "rate": "8.5"})).test_client()
    logged_in(client)
    _, html, _ = review(client)
    assert row_value(html, "VAT (8.5%)") == "$0.29"
    assert row_value(html, "Total charge for today") == "$2.68"


def test_inclusive_tax_on_the_review_and_invoice(make_app):
    client = make_app(scenario(tax={"inclusive": True})).test_client()
    logged_in(client)
    _, html, _ = review(client)
    assert row_value(html, "Tax (10%)") == "$0.31"
    assert row_value(html, "Total charge for today") == "$2.39"
    number = invoice_number(change(client))
    inv = state(client)["invoices"][0]
    assert (inv["number"], inv["subtotal"], inv["tax"], inv["credit_applied"], inv["total"]) \
        == (number, "3.39", "0.31", "1.00", "2.39")


def test_jpy_amounts_print_without_decimals(make_app):
    plans = [
        {"id": "basic", "name": "Basic", "prices": {"monthly": "500"}},
        {"id": "start", "name": "Start", "prices": {"monthly": "1200"}},
        {"id": "business", "name": "Business", "prices": {"monthly": "3000"}},
    ]
    client = make_app(scenario(currency="JPY", plans=plans, client={"credit": "100"}))\
        .test_client()
    logged_in(client)
    _, html, _ = review(client)
    assert row_value(html, "Subtotal") == "¥339"
    assert row_value(html, "Tax (10%)") == "¥34"
    assert row_value(html, "Credit applied") == "¥100"
    assert row_value(html, "Total charge for today") == "¥273"
    change(client)
    assert state(client)["invoices"][0]["total"] == "273"
    assert credit_of(client) == "0"


# --- §5.7 invoice, §5.8 list afterwards; the worked example end to end -------------------------

def test_worked_example_end_to_end(alice):
    # 1-2: list -> details -> change page
    listing = html_of(alice.get("/services/dns"))
    details = html_of(alice.get(links(listing)["Basic"]))
    assert alice.get(links(details)["Upgrade / Downgrade"]).status_code == 200
    # 3-5: review and Submit
    response = change(alice)
    number = invoice_number(response)
    assert number == "INV-000001"
    # 6: the invoice
    page = alice.get(f"/invoices/{number}")
    html = html_of(page)
    text = text_of(html)
    assert re.search(r"<h1\b[^>]*>\s*Invoice #INV-000001\s*</h1>", html)
    assert "Paid" in text and "Unpaid" not in text
    assert "2026-03-17" in text
    for header, value in WORKED.items():
        assert row_value(html, header) == value
    assert row_value(html, "Total") == "$2.73"
    assert links(html)["Download PDF"] == f"/invoices/{number}/pdf"
    # state after
    after = state(alice)
    svc = service_state(alice)
    assert (svc["plan"], svc["cycle"], svc["price"], svc["next_due"], svc["status"]) == (
        "start", "monthly", "12.00", "2026-04-01", "Active")
    assert svc["pending_change"] is None
    assert after["invoices"] == [{
        "number": "INV-000001", "client": "alice@example.com", "service": 1001,
        "status": "Paid", "subtotal": "3.39", "tax": "0.34", "credit_applied": "1.00",
        "total": "2.73"}]
    assert credit_of(alice) == "0.00"
    # 7: back on the list, the new plan name and price
    listing = html_of(alice.get("/services/dns"))
    assert links(listing)["Start"] == "/services/dns/1001"
    assert "$12.00 / Monthly" in text_of(listing)
    assert "Basic" not in links(listing)


def test_pdf_carries_the_same_number_lines_and_amounts(alice):
    number = invoice_number(change(alice))
    html = html_of(alice.get(f"/invoices/{number}"))
    response = alice.get(f"/invoices/{number}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    flat = re.sub(r"\s+", " ", pdf_text)
    assert number in flat
    # every line description of the invoice page is in the PDF
    line_rows = [r for r in table_rows(html) if len(r) == 2 and r[0]["tag"] == "td"]
    assert line_rows, "no line items on the invoice page"
    for row in line_rows:
        assert row[0]["text"] in flat, row[0]["text"]
        assert row[1]["text"] in flat
    for header in ("Subtotal", "Tax (10%)", "Credit applied", "Total"):
        assert re.search(rf"{re.escape(header)}\s*{re.escape(row_value(html, header))}", flat), \
            header
    assert "$2.73" in flat


JPY_PLANS = [
    {"id": "basic", "name": "Basic", "prices": {"monthly": "500"}},
    {"id": "start", "name": "Start", "prices": {"monthly": "1200"}},
    {"id": "business", "name": "Business", "prices": {"monthly": "3000"}},
]


@pytest.mark.parametrize("variant, headers", [
    (dict(tax={"inclusive": True}), ["Subtotal", "Tax (10%)", "Credit applied", "Total"]),
    (dict(tax={"rate": "0"}), ["Subtotal", "Credit applied", "Total"]),
    (dict(tax={"name": "VAT", "rate": "8.5"}), ["Subtotal", "VAT (8.5%)", "Total"]),
    (dict(currency="JPY", plans=JPY_PLANS, client={"credit": "100"}),
     ["Subtotal", "Tax (10%)", "Credit applied", "Total"]),
    (dict(client={"payment_method": "bank_transfer"}), ["Subtotal", "Total"]),
])
def test_pdf_matches_the_invoice_page_in_every_tax_and_currency_variant(make_app, variant,
                                                                         headers):
    client = make_app(scenario(**variant)).test_client()
    logged_in(client)
    number = invoice_number(change(client))
    html = html_of(client.get(f"/invoices/{number}"))
    response = client.get(f"/invoices/{number}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    flat = re.sub(r"\s+", " ", " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages))
    assert number in flat
    for header in headers:
        assert re.search(rf"{re.escape(header)}\s*{re.escape(row_value(html, header))}", flat), \
            (header, flat)


def test_amounts_rows_are_rows_with_row_headers(alice):
    _, review_html, token = review(alice)
    number = invoice_number(submit(alice, token=token))
    invoice_html = html_of(alice.get(f"/invoices/{number}"))
    for html, total in ((review_html, "Total charge for today"), (invoice_html, "Total")):
        for header in ("Subtotal", "Tax (10%)", "Credit applied", total):
            row_value(html, header)           # asserts <tr><th scope="row">header</th>...


# --- §6 rules through HTTP ----------------------------------------------------------------------

def test_new_cycle_moves_next_due_to_today_plus_one_cycle(alice):
    invoice_number(change(alice, cycle="annually"))
    svc = service_state(alice)
    assert (svc["plan"], svc["cycle"], svc["price"], svc["next_due"]) == (
        "start", "annually", "120.00", "2027-03-17")
    inv = state(alice)["invoices"][0]
    assert (inv["subtotal"], inv["tax"], inv["credit_applied"], inv["total"]) == (
        "117.58", "11.76", "1.00", "128.34")


def _on_start(make_app, **kw):
    client = make_app(scenario(service={"plan": "start", "allowed_targets": None}, **kw))\
        .test_client()
    return logged_in(client)


def test_immediate_downgrade_credits_the_difference_and_issues_a_zero_invoice(make_app):
    client = _on_start(make_app)
    _, html, _ = review(client, plan="basic")
    assert row_value(html, "Total charge for today") == "$0.00"
    number = invoice_number(change(client, plan="basic"))
    inv = state(client)["invoices"]
    assert [(i["number"], i["status"], i["total"]) for i in inv] == [(number, "Paid", "0.00")]
    assert service_state(client)["plan"] == "basic"
    assert credit_of(client) == "4.39"                # 1.00 + 3.39
    page = html_of(client.get(f"/invoices/{number}"))
    assert row_value(page, "Total") == "$0.00"
    assert "$3.39" in text_of(page)


def test_no_credit_for_a_downgrade_when_credit_on_downgrade_is_false(make_app):
    client = _on_start(make_app, settings={"credit_on_downgrade": False})
    invoice_number(change(client, plan="basic"))
    assert service_state(client)["plan"] == "basic"
    assert credit_of(client) == "1.00"


def test_credit_not_applied_when_apply_credit_automatically_is_false(make_app):
    client = make_app(scenario(settings={"apply_credit_automatically": False})).test_client()
    logged_in(client)
    _, html, _ = review(client)
    assert row_value(html, "Credit applied") == "$0.00"
    assert row_value(html, "Total charge for today") == "$3.73"
    change(client)
    assert state(client)["invoices"][0]["total"] == "3.73"
    assert credit_of(client) == "1.00"


def test_credit_covering_everything_gives_a_zero_paid_invoice(make_app):
    client = make_app(scenario(client={"credit": "10.00", "payment_method": "bank_transfer"}))\
        .test_client()
    logged_in(client)
    change(client)
    inv = state(client)["invoices"][0]
    assert (inv["credit_applied"], inv["total"], inv["status"]) == ("3.73", "0.00", "Paid")
    assert credit_of(client) == "6.27"
    assert service_state(client)["plan"] == "start"


def test_next_renewal_downgrade_is_scheduled_then_applied_when_the_clock_reaches_it(make_app):
    client = _on_start(make_app, settings={"downgrade_timing": "next_renewal"})
    _, html, _ = review(client, plan="basic")
    assert row_value(html, "Total charge for today") == "$0.00"
    assert "2026-04-01" in text_of(html)
    number = invoice_number(change(client, plan="basic"))
    inv = state(client)["invoices"]
    assert [(i["number"], i["status"], i["total"]) for i in inv] == [(number, "Paid", "0.00")]
    svc = service_state(client)
    assert svc["plan"] == "start"
    pending = svc["pending_change"]
    assert {k: pending[k] for k in ("plan", "cycle", "effective")} == {
        "plan": "basic", "cycle": "monthly", "effective": "2026-04-01"}
    assert credit_of(client) == "1.00"                # nothing credited
    assert "Changes to Basic on 2026-04-01" in text_of(html_of(client.get("/services/dns")))
    # a day before: still Start
    client.post("/__sim__/clock", json={"now": "2026-03-31T23:59:00"})
    assert service_state(client)["plan"] == "start"
    client.post("/__sim__/clock", json={"now": "2026-04-01"})
    svc = service_state(client)
    assert (svc["plan"], svc["price"], svc["pending_change"]) == ("basic", "5.00", None)
    listing = text_of(html_of(client.get("/services/dns")))
    assert "Changes to Basic" not in listing and "$5.00 / Monthly" in listing


def test_next_renewal_downgrade_keeps_the_chosen_cycle(make_app):
    client = _on_start(make_app, settings={"downgrade_timing": "next_renewal"})
    change(client, plan="basic", cycle="annually")
    pending = service_state(client)["pending_change"]
    assert (pending["plan"], pending["cycle"], pending["effective"]) == (
        "basic", "annually", "2026-04-01")
    client.post("/__sim__/clock", json={"advance_days": 15})
    svc = service_state(client)
    assert (svc["plan"], svc["cycle"], svc["price"]) == ("basic", "annually", "50.00")


def test_bank_transfer_leaves_the_invoice_unpaid_until_paid(make_app):
    client = make_app(scenario(client={"payment_method": "bank_transfer"})).test_client()
    logged_in(client)
    number = invoice_number(change(client))
    inv = state(client)["invoices"][0]
    assert (inv["status"], inv["total"]) == ("Unpaid", "2.73")
    assert "Unpaid" in text_of(html_of(client.get(f"/invoices/{number}")))
    svc = service_state(client)
    assert svc["plan"] == "basic"                     # the change waits for payment
    assert (svc["pending_change"]["plan"], svc["pending_change"]["cycle"]) == ("start", "monthly")
    listing = text_of(html_of(client.get("/services/dns")))
    assert "$5.00 / Monthly" in listing
    # an unpaid plan-change invoice blocks a new change and points to it
    for response in (client.get("/services/dns/1001/change"),
                     review(client, plan="business")[0]):
        assert response.status_code == 409
        assert number in text_of(html_of(response))
        assert "Unpaid" in text_of(html_of(response))
        assert f"/invoices/{number}" in html_of(response)
    before = state(client)
    assert submit(client, plan="business", token="x").status_code == 409
    assert state(client) == before
    # the transfer arrives
    paid = client.post(f"/__sim__/invoices/{number}/pay", json={})
    assert paid.status_code == 200
    after = state(client)
    assert after["invoices"][0]["status"] == "Paid"
    svc = service_state(client)
    assert (svc["plan"], svc["price"], svc["pending_change"]) == ("start", "12.00", None)
    assert "Paid" in text_of(html_of(client.get(f"/invoices/{number}")))
    assert client.get("/services/dns/1001/change").status_code == 200


def test_provisioning_delay_shows_change_in_progress_until_the_clock_advances(make_app):
    client = make_app(scenario(settings={"provisioning_delay_minutes": 30})).test_client()
    logged_in(client)
    change(client)
    assert state(client)["invoices"][0]["status"] == "Paid"
    assert service_state(client)["plan"] == "basic"
    assert service_state(client)["pending_change"]["plan"] == "start"
    assert "Change in progress" in text_of(html_of(client.get("/services/dns")))
    client.post("/__sim__/clock", json={"advance_minutes": 29})
    assert service_state(client)["plan"] == "basic"
    assert "Change in progress" in text_of(html_of(client.get("/services/dns")))
    client.post("/__sim__/clock", json={"advance_minutes": 1})
    assert service_state(client)["plan"] == "start"
    listing = text_of(html_of(client.get("/services/dns")))
    assert "Change in progress" not in listing and "$12.00 / Monthly" in listing


def test_bank_transfer_with_provisioning_delay_starts_the_delay_at_payment(make_app):
    client = make_app(scenario(client={"payment_method": "bank_transfer"},
                               settings={"provisioning_delay_minutes": 60})).test_client()
    logged_in(client)
    number = invoice_number(change(client))
    client.post("/__sim__/clock", json={"advance_minutes": 120})
    assert service_state(client)["plan"] == "basic"   # unpaid: the delay has not started
    client.post(f"/__sim__/invoices/{number}/pay", json={})
    assert service_state(client)["plan"] == "basic"
    assert "Change in progress" in text_of(html_of(client.get("/services/dns")))
    client.post("/__sim__/clock", json={"advance_minutes": 60})
    assert service_state(client)["plan"] == "start"


def test_no_day_left_explains_the_renewal_must_be_paid_first(make_app):
    client = make_app(scenario(now="2026-04-01T09:00:00")).test_client()
    logged_in(client)
    before = state(client)
    for response in (client.get("/services/dns/1001/change"), review(client)[0]):
        assert 400 <= response.status_code < 500
        text = text_of(html_of(response))
        assert "renewal" in text and "paid first" in text
    assert submit(client, token="x").status_code >= 400
    assert state(client) == before


@pytest.mark.parametrize("settings", [{}, {"downgrade_timing": "next_renewal"}])
def test_state_amounts_always_carry_the_currency_decimals(make_app, settings):
    client = _on_start(make_app, settings=settings)
    change(client, plan="basic")
    (inv,) = state(client)["invoices"]
    for key in ("subtotal", "tax", "credit_applied", "total"):
        assert re.fullmatch(r"\d+\.\d\d", inv[key]), (key, inv[key])
    assert re.fullmatch(r"\d+\.\d\d", credit_of(client))


# --- rule 9: one invoice per Submit; rule 11: double submit and stale reviews --------------------

def test_double_submit_of_the_same_review_issues_one_invoice(alice):
    _, _, token = review(alice)
    first = invoice_number(submit(alice, token=token))
    second = invoice_number(submit(alice, token=token))
    assert first == second
    assert len(state(alice)["invoices"]) == 1
    assert credit_of(alice) == "0.00"


def test_review_in_two_tabs_then_both_submitted(alice):
    _, _, start_token = review(alice, plan="start")
    _, _, business_token = review(alice, plan="business")
    invoice_number(submit(alice, plan="start", token=start_token))
    before = state(alice)
    response = submit(alice, plan="business", token=business_token)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/services/dns/1001/change/review?")
    assert "plan=business" in response.headers["Location"]
    assert state(alice) == before                     # nothing issued
    # the new figures: Start -> Business, 18 x 15/31 = 8.71
    page = go(alice, response)
    assert page.status_code == 200
    assert row_value(html_of(page), "Subtotal") == "$8.71"


def test_review_of_a_service_changed_meanwhile_is_stale_even_with_the_same_balance(make_app):
    # no credit: the balance does not move, only the service does
    client = make_app(scenario(client={"credit": "0.00"})).test_client()
    logged_in(client)
    _, _, start_token = review(client, plan="start")
    _, _, business_token = review(client, plan="business")
    invoice_number(submit(client, plan="start", token=start_token))
    assert credit_of(client) == "0.00"
    before = state(client)
    response = submit(client, plan="business", token=business_token)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/services/dns/1001/change/review?")
    assert state(client) == before


def test_stale_review_after_the_date_changed_is_sent_back(alice):
    _, _, token = review(alice)
    alice.post("/__sim__/clock", json={"advance_days": 1})
    before = state(alice)
    response = submit(alice, token=token)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/services/dns/1001/change/review?")
    assert "plan=start" in location and "cycle=monthly" in location
    assert state(alice) == before
    page = html_of(go(alice, response))
    assert "14 unused days of 31" in text_of(page)
    assert row_value(page, "Subtotal") == "$3.16"     # 7 x 14/31 = 3.161
    fresh = hidden(page, "review_token")
    assert fresh and fresh != token
    invoice_number(submit(alice, token=fresh))
    assert state(alice)["invoices"][0]["subtotal"] == "3.16"


def test_review_stays_valid_when_only_the_time_of_day_moves(alice):
    _, _, token = review(alice)
    alice.post("/__sim__/clock", json={"advance_minutes": 60})
    invoice_number(submit(alice, token=token))
    assert state(alice)["invoices"][0]["total"] == "2.73"


def test_stale_review_after_the_balance_changed_is_sent_back(make_app):
    client = make_app(scenario(extra_services=[{"id": 1002, "plan": "start"}])).test_client()
    logged_in(client)
    _, _, token = review(client, 1001)
    # a downgrade of the other service adds 3.39 to the balance
    invoice_number(change(client, 1002, plan="basic"))
    assert credit_of(client) == "4.39"
    before = state(client)
    response = submit(client, 1001, token=token)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/services/dns/1001/change/review?")
    assert state(client) == before
    page = html_of(go(client, response))
    assert row_value(page, "Credit applied") == "$3.73"
    assert row_value(page, "Total charge for today") == "$0.00"


def test_forged_review_token_issues_nothing(alice):
    before = state(alice)
    response = submit(alice, token="0" * 32)
    assert response.status_code == 303
    assert "/change/review" in response.headers["Location"]
    assert state(alice) == before


def test_submit_without_a_review_token_is_refused(alice):
    before = state(alice)
    response = submit(alice)
    assert response.status_code == 400
    assert state(alice) == before


def test_each_submit_of_a_new_review_issues_its_own_invoice(make_app):
    client = _on_start(make_app)
    change(client, plan="business")
    change(client, plan="start")
    numbers = [i["number"] for i in state(client)["invoices"]]
    assert numbers == ["INV-000001", "INV-000002"]


# --- rule 12: form values the user may not choose ------------------------------------------------

@pytest.mark.parametrize("plan, cycle, word", [
    ("gold", "monthly", "gold"),                # no such plan
    ("basic", "monthly", "basic"),              # the current plan
    ("start", "weekly", "weekly"),              # no such cycle
    ("start", "quarterly", "quarterly"),        # a cycle Start does not price
    ("", "monthly", "plan"),
    ("start", "", "cycle"),
])
def test_bad_plan_or_cycle_is_refused_with_400_and_nothing_changes(alice, plan, cycle, word):
    before = state(alice)
    for response in (alice.get(f"/services/dns/1001/change/review?plan={plan}&cycle={cycle}"),
                     submit(alice, plan=plan, cycle=cycle, token="x")):
        assert response.status_code == 400
        text = text_of(html_of(response))
        assert word in text
        assert "Traceback" not in text
    assert state(alice) == before


def test_plan_outside_allowed_targets_is_refused(make_app):
    client = make_app(scenario(service={"allowed_targets": ["start"]})).test_client()
    logged_in(client)
    html = html_of(client.get("/services/dns/1001/change"))
    assert "Business" not in text_of(html)
    before = state(client)
    assert review(client, plan="business")[0].status_code == 400
    assert submit(client, plan="business", token="x").status_code == 400
    assert state(client) == before


def test_another_clients_service_and_invoice_are_not_found(make_app):
    client = make_app(scenario(carol=True)).test_client()
    logged_in(client, CAROL)
    carol_invoice = invoice_number(change(client, 2002))
    logged_in(client, ALICE)
    before = state(client)
    for response in (client.get("/services/dns/2002"),
                     client.get("/services/dns/2002/change"),
                     review(client, 2002)[0],
                     submit(client, 2002, token="x"),
                     client.get(f"/invoices/{carol_invoice}"),
                     client.get(f"/invoices/{carol_invoice}/pdf")):
        assert response.status_code == 404
    assert state(client) == before


def test_unknown_service_and_invoice_are_not_found(alice):
    assert alice.get("/services/dns/9999").status_code == 404
    assert alice.get("/services/dns/9999/change").status_code == 404
    assert submit(alice, 9999, token="x").status_code == 404
    assert alice.get("/invoices/INV-999999").status_code == 404
