"""The classic theme (SPEC §5.1): the same rules, state and words at the query-string
addresses and in the table-less markup of an older client area; money as "12.00 USD",
dates as DD/MM/YYYY. Chosen by `serve --theme` (config PORTAL_THEME) or by a scenario's
`theme:`, per tenant as the language is."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from pypdf import PdfReader

import simulator
from simulator.scenario import ScenarioError, from_mapping
from simulator.themes import ThemeError

from sim_helpers import (ALICE, BOB, TEST_SECRET, credit_of, hidden, sample_mapping, scenario,
                         service_state, state, text_of)

LIST = "/clientarea.php?action=services"
DETAILS = "/clientarea.php?action=productdetails&id={}"
CHANGE = "/upgrade.php?type=package&id={}"
REVIEW = "/upgrade.php?type=package&id={}&step=review&plan={}&cycle={}"
INVOICES = "/clientarea.php?action=invoices"
INVOICE = "/viewinvoice.php?id={}"
PDF = "/dl.php?type=i&id={}"
TEMPLATES = Path(simulator.__file__).parent / "templates"


# --- helpers ----------------------------------------------------------------------

class Markup(HTMLParser):
    """The elements of a page as (tag, attributes, text inside), in document order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[list] = []
        self._open: list[list] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), ""]
        self.elements.append(element)
        if tag not in ("input", "meta", "link", "br", "img"):
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element[2] += data

    def find(self, tag, **attrs) -> list[list]:
        return [e for e in self.elements if e[0] == tag
                and all(e[1].get(k.rstrip("_")) == v for k, v in attrs.items())]

    def text(self, element) -> str:
        return re.sub(r"\s+", " ", element[2]).strip()

    def by_id(self, id_) -> list:
        found = [e for e in self.elements if e[1].get("id") == id_]
        assert len(found) == 1, (id_, found)
        return found[0]

    def name_of(self, element) -> str:
        """The accessible name as aria-labelledby or aria-label or the text give it."""
        if "aria-labelledby" in element[1]:
            return " ".join(self.text(self.by_id(i)) for i in element[1]["aria-labelledby"].split())
        return element[1].get("aria-label") or self.text(element)

    def addresses(self) -> list[str]:
        return ([e[1]["href"] for e in self.elements if e[0] == "a" and "href" in e[1]]
                + [e[1]["action"] for e in self.elements if e[0] == "form"])


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code,
                                             response.get_data(as_text=True)[:2000])
    return response.get_data(as_text=True)


def dl_facts(html: str) -> dict[str, str]:
    """The dt → dd pairs of the page's description lists."""
    return {text_of(dt): text_of(dd)
            for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S)}


def column_rows(html: str, caption: str) -> list[list[str]]:
    """The rows (cell texts) of the table with that caption, its header row first."""
    table = re.search(r"<table\b[^>]*>\s*<caption[^>]*>" + re.escape(caption) + r"</caption>(.*?)</table>",
                      html, re.S)
    assert table, f"no table captioned {caption!r}"
    return [[text_of(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", table.group(1), re.S)]


def amounts(html: str, caption="Amounts") -> dict[str, str]:
    rows = column_rows(html, caption)
    assert rows[0] == ["Description", "Amount"]
    return {label: amount for label, amount in rows[1:]}


def classic_app(make_app, data=None, **config):
    return make_app(data or sample_mapping(), PORTAL_THEME="classic", **config)


def log_in(client, who=ALICE, next_url=None):
    url = "/login.php" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": who[0], "password": who[1]})


def logged_in(client, who=ALICE):
    response = log_in(client, who)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def submit(client, sid=1001, plan="start", cycle="monthly", token=None):
    data = {"plan": plan, "cycle": cycle}
    if token is not None:
        data["review_token"] = token
    return client.post(CHANGE.format(sid), data=data)


def change(client, sid=1001, plan="start", cycle="monthly"):
    html = page(client, REVIEW.format(sid, plan, cycle))
    return submit(client, sid, plan, cycle, hidden(html, "review_token"))


@pytest.fixture
def portal(make_app):
    return classic_app(make_app)


@pytest.fixture
def alice(portal):
    return logged_in(portal.test_client())


# --- addresses ----------------------------------------------------------------------

def test_a_visitor_is_sent_to_the_classic_login_and_back_where_they_were_going(portal):
    client = portal.test_client()
    target = DETAILS.format(1001)
    response = client.get(target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login.php?next=/clientarea.php?action%3Dproductdetails%26id%3D1001"
    login_page = page(client, response.headers["Location"])
    assert hidden(login_page, "next") == target
    assert Markup(login_page).find("form", method="post", action="/login.php")
    back = client.post(response.headers["Location"],
                       data={"email": ALICE[0], "password": ALICE[1], "next": target})
    assert back.status_code == 303 and back.headers["Location"] == target
    assert "Billing Information" in page(client, target)


def test_logging_in_without_a_destination_opens_the_classic_service_list(portal):
    client = portal.test_client()
    response = log_in(client)
    assert response.status_code == 303 and response.headers["Location"] == LIST
    assert client.get("/").headers["Location"] == LIST
    assert client.get("/clientarea.php").headers["Location"] == LIST
    assert client.get("/login.php").headers["Location"] == LIST


def test_log_out_posts_to_the_classic_script_and_ends_at_its_login(alice):
    html = page(alice, LIST)
    assert Markup(html).find("form", method="post", action="/logout.php")
    response = alice.post("/logout.php")
    assert response.status_code == 303 and response.headers["Location"] == "/login.php"
    assert alice.get(LIST).headers["Location"].startswith("/login.php?next=")


def test_every_classic_screen_answers_and_links_only_classic_addresses(alice):
    screens = [LIST, DETAILS.format(1001), CHANGE.format(1001),
               CHANGE.format(1001) + "&plan=business", REVIEW.format(1001, "start", "monthly")]
    pages = {url: page(alice, url) for url in screens}
    invoice_url = change(alice).headers["Location"]
    assert invoice_url == INVOICE.format("INV-000001")
    pages.update({url: page(alice, url) for url in (invoice_url, INVOICES, LIST)})
    for url, html in pages.items():
        for address in Markup(html).addresses():
            assert "/services/" not in address and not address.startswith("/invoices"), (url, address)
            assert address.startswith(("/clientarea.php", "/upgrade.php", "/viewinvoice.php",
                                       "/dl.php", "/logout.php", "#")), (url, address)


def test_the_pdf_downloads_at_the_classic_address(alice):
    change(alice)
    response = alice.get(PDF.format("INV-000001"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert 'filename="INV-000001.pdf"' in response.headers["Content-Disposition"]


@pytest.mark.parametrize("url", [
    "/clientarea.php?action=nope", "/clientarea.php?action=productdetails",
    "/clientarea.php?action=productdetails&id=abc", "/clientarea.php?action=productdetails&id=0",
    "/clientarea.php?action=productdetails&id=9999", "/clientarea.php?action=productdetails&id=1" + "0" * 20,
    "/upgrade.php?id=1001", "/upgrade.php?type=addon&id=1001", "/upgrade.php?type=package",
    "/upgrade.php?type=package&id=1001&step=pay", "/upgrade.php?type=package&id=9999",
    "/viewinvoice.php", "/viewinvoice.php?id=INV-999999", "/dl.php?type=i&id=INV-999999",
    "/dl.php?type=x&id=INV-000001", "/dl.php?id=INV-000001",
])
def test_an_address_that_names_nothing_of_the_account_is_not_found(alice, url):
    change(alice)  # INV-000001 exists: only the address is wrong
    html = page(alice, url, 404)
    assert Markup(html).find("p", role="alert")
    assert Markup(html).find("nav")  # the classic page, with its menu


def test_another_clients_service_and_invoice_are_not_found_at_classic_addresses(make_app):
    app = classic_app(make_app, scenario(carol=True))
    carol = logged_in(app.test_client(), ("carol@example.com", "carol-pass"))
    assert change(carol, 2002).status_code == 303
    alice = logged_in(app.test_client())
    for url in (DETAILS.format(2002), CHANGE.format(2002), REVIEW.format(2002, "start", "monthly"),
                INVOICE.format("INV-000001"), PDF.format("INV-000001")):
        page(alice, url, 404)
    assert submit(alice, 2002, token="x").status_code == 404
    assert service_state(alice, 2002)["plan"] == "start"


def test_a_change_the_user_may_not_make_is_refused_with_the_same_explanation(portal):
    bob = logged_in(portal.test_client(), BOB)
    details = page(bob, DETAILS.format(1001))
    assert "Upgrade / Downgrade" not in text_of(details)
    refusal = page(bob, CHANGE.format(1001), 403)
    reason = "Your login does not have permission to change plans."
    assert "Plan change not available" in refusal
    assert reason in text_of(refusal) and reason in text_of(details)
    page(bob, REVIEW.format(1001, "start", "monthly"), 403)
    assert submit(bob, token="x").status_code == 403
    assert service_state(bob)["plan"] == "basic"


def test_a_locked_contract_and_a_bad_choice_are_refused_as_in_the_default_theme(make_app):
    app = classic_app(make_app, scenario(service={"plan_change_allowed": False}))
    alice = logged_in(app.test_client())
    page(alice, CHANGE.format(1001), 403)
    app = classic_app(make_app)
    alice = logged_in(app.test_client())
    assert "Choose a plan" in text_of(page(alice, CHANGE.format(1001) + "&step=review&cycle=monthly", 400))
    assert "Choose a billing cycle" in text_of(page(alice, CHANGE.format(1001) + "&step=review&plan=start", 400))
    page(alice, REVIEW.format(1001, "nope", "monthly"), 400)
    page(alice, REVIEW.format(1001, "start", "weekly"), 400)
    assert submit(alice).status_code == 400  # no review token


# --- the rules through the classic addresses -------------------------------------------

def test_a_stale_review_goes_back_to_the_classic_review_and_charges_nothing(alice):
    html = page(alice, REVIEW.format(1001, "start", "monthly"))
    token = hidden(html, "review_token")
    alice.post("/__sim__/clock", json={"advance_days": 1})
    response = submit(alice, token=token)
    assert response.status_code == 303
    assert response.headers["Location"] == REVIEW.format(1001, "start", "monthly") + "&stale=1"
    again = page(alice, response.headers["Location"])
    assert "The figures changed since you reviewed them" in text_of(again)
    assert state(alice)["invoices"] == []


def test_submitting_twice_makes_one_invoice(alice):
    html = page(alice, REVIEW.format(1001, "start", "monthly"))
    token = hidden(html, "review_token")
    first = submit(alice, token=token)
    second = submit(alice, token=token)
    assert first.status_code == 303 and first.headers["Location"] == INVOICE.format("INV-000001")
    assert second.status_code in (303, 409)
    assert len(state(alice)["invoices"]) == 1
    assert service_state(alice)["plan"] == "start"


def test_the_csrf_token_and_the_login_throttle_guard_the_classic_scripts(make_app):
    app = classic_app(make_app, WTF_CSRF_ENABLED=True, LOGIN_MAX_FAILURES_PER_EMAIL=1)
    client = app.test_client()
    assert client.post("/login.php", data={"email": ALICE[0], "password": ALICE[1]}).status_code == 400
    token = hidden(page(client, "/login.php"), "csrf_token")
    wrong = client.post("/login.php", data={"email": ALICE[0], "password": "x", "csrf_token": token})
    assert wrong.status_code == 400
    throttled = client.post("/login.php", data={"email": ALICE[0], "password": ALICE[1],
                                                "csrf_token": token})
    assert throttled.status_code == 429 and "Retry-After" in throttled.headers
    assert client.post(CHANGE.format(1001), data={"plan": "start", "cycle": "monthly"}).status_code == 400


def test_the_classic_pages_keep_the_portals_headers(alice):
    response = alice.get(LIST)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert alice.get("/static/classic.css").status_code == 200


def test_the_classic_templates_hold_no_inline_script_or_style():
    for path in (TEMPLATES / "classic").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "<style" not in text and " style=" not in text, path


# --- markup ------------------------------------------------------------------------

def test_the_menu_is_a_top_navigation_bar_of_plain_links(alice):
    html = page(alice, LIST)
    nav = Markup(html).find("nav")
    assert len(nav) == 1 and nav[0][1]["aria-label"] == "Main menu"
    menu = re.search(r"<nav\b.*?</nav>", html, re.S).group(0)
    assert "<button" not in menu
    links = Markup(menu).find("a")
    assert [(Markup(menu).text(a), a[1]["href"]) for a in links] == [
        ("DNS SERVICE", LIST), ("Invoices", INVOICES)]
    assert links[0][1].get("aria-current") == "page"


def test_the_service_list_is_cards_with_a_heading_facts_and_a_manage_link(make_app):
    app = classic_app(make_app, scenario(extra_services=[{"id": 1002, "plan": "start"}]))
    alice = logged_in(app.test_client())
    html = page(alice, LIST)
    assert "<table" not in html
    markup = Markup(html)
    cards = markup.find("article")
    assert [markup.name_of(card) for card in cards] == ["Basic", "Start"]
    assert [markup.text(h) for h in markup.find("h2")] == ["Basic", "Start"]
    links = [a for a in markup.find("a") if markup.text(a) == "Manage"]
    assert [markup.name_of(a) for a in links] == ["Manage Basic", "Manage Start"]
    assert [a[1]["href"] for a in links] == [DETAILS.format(1001), DETAILS.format(1002)]
    first = html.split("<article")[1]
    assert dl_facts(first) == {"Price": "5.00 USD / Monthly", "Next due date": "01/04/2026",
                               "Status": "Active"}


def test_the_list_card_tells_a_scheduled_change_and_a_change_in_progress(make_app):
    data = scenario(settings={"downgrade_timing": "next_renewal", "provisioning_delay_minutes": 30},
                    extra_services=[{"id": 1002, "plan": "start"}])
    app = classic_app(make_app, data)
    alice = logged_in(app.test_client())
    assert change(alice, 1002, "basic").status_code == 303
    assert change(alice, 1001, "start").status_code == 303
    text = text_of(page(alice, LIST))
    assert "Changes to Basic on 01/04/2026" in text
    assert "Change in progress" in text


def test_the_details_are_a_dl_in_the_billing_information_region(alice):
    html = page(alice, DETAILS.format(1001))
    markup = Markup(html)
    region = markup.find("section")[0]
    assert markup.name_of(region) == "Billing Information"
    assert dl_facts(html) == {"Plan": "Basic", "Price": "5.00 USD", "Billing cycle": "Monthly",
                              "Next due date": "01/04/2026", "Status": "Active"}
    link = [a for a in markup.find("a") if markup.text(a) == "Upgrade / Downgrade"]
    assert [a[1]["href"] for a in link] == [CHANGE.format(1001)]
    assert "<table" not in html


def test_the_change_page_offers_plan_cards_and_cycle_radios(alice):
    html = page(alice, CHANGE.format(1001))
    markup = Markup(html)
    cards = markup.find("article")
    assert [markup.name_of(card) for card in cards] == ["Start", "Business"]
    assert "<select" not in html
    text = text_of(html)
    assert "upgrade" in text and "12.00 USD / Monthly" in text and "300.00 USD / Annually" in text
    buttons = markup.find("button", name="plan")
    assert [(b[1]["value"], markup.text(b), markup.name_of(b), b[1]["aria-pressed"]) for b in buttons] == [
        ("start", "Choose", "Choose Start", "true"), ("business", "Choose", "Choose Business", "false")]
    # Choose works without a script: a GET of the change page with the plan chosen.
    choose_form = re.search(r"<form[^>]*>(?:(?!</form>).)*value=\"business\".*?</form>", html, re.S).group(0)
    assert 'method="get" action="/upgrade.php"' in choose_form
    assert hidden(choose_form, "type") == "package" and hidden(choose_form, "id") == "1001"
    chosen = page(alice, CHANGE.format(1001) + "&plan=business")
    markup = Markup(chosen)
    assert [b[1]["aria-pressed"] for b in markup.find("button", name="plan")] == ["false", "true"]
    legend = re.search(r"<fieldset>\s*<legend>(.*?)</legend>", chosen, re.S).group(1)
    assert legend == "Select billing cycle"
    radios = markup.find("input", type="radio")
    assert [(r[1]["value"], "checked" in r[1]) for r in radios] == [("monthly", True), ("annually", False)]
    labels = {markup.find("label", for_=f"cycle-{r[1]['value']}")[0][2] for r in radios}
    assert labels == {"Monthly — 30.00 USD", "Annually — 300.00 USD"}
    # Continue: a GET of the review on the same script, the plan and the cycle in the query.
    form = re.search(r"<form[^>]*>(?:(?!</form>).)*<fieldset>.*?</form>", chosen, re.S).group(0)
    assert hidden(form, "step") == "review" and hidden(form, "plan") == "business"
    assert ">Continue</button>" in form
    assert "Downgrading is not available" in text_of(chosen)


def test_the_change_page_says_when_a_downgrade_takes_effect(make_app):
    app = classic_app(make_app, scenario(service={"plan": "business", "allowed_targets": None},
                                         settings={"downgrade_timing": "next_renewal"}))
    alice = logged_in(app.test_client())
    text = text_of(page(alice, CHANGE.format(1001)))
    assert "A downgrade takes effect at the next renewal (01/04/2026)" in text
    assert "downgrade" in text


def test_the_review_compares_and_lists_the_amounts_under_column_headers(alice):
    html = page(alice, REVIEW.format(1001, "start", "monthly"))
    compare = column_rows(html, "Before → after")
    assert compare == [["Item", "Before", "After"], ["Plan", "Basic", "Start"],
                       ["Billing cycle", "Monthly", "Monthly"],
                       ["Recurring price", "5.00 USD / Monthly", "12.00 USD / Monthly"],
                       ["Next due date", "01/04/2026", "01/04/2026"]]
    assert amounts(html) == {"Subtotal": "3.39 USD", "Tax (10%)": "0.34 USD",
                             "Credit applied": "1.00 USD", "Total charge for today": "2.73 USD"}
    assert '<th scope="row"' not in html  # the first column is plain cells
    text = text_of(html)
    assert "(12.00 USD − 5.00 USD) × 15 unused days of 31 = 3.39 USD" in text
    assert "is the final calculation result" in text
    form = Markup(html).find("form", method="post")
    assert [f[1]["action"] for f in form] == ["/logout.php", CHANGE.format(1001)]
    assert ">Submit</button>" in html


def test_a_downgrade_with_credit_prints_the_negative_amount_with_its_code(make_app):
    app = classic_app(make_app, scenario(service={"plan": "start", "allowed_targets": None}))
    alice = logged_in(app.test_client())
    html = page(alice, REVIEW.format(1001, "basic", "monthly"))
    assert "= -3.39 USD; nothing to pay today, 3.39 USD is added to your credit balance." in text_of(html)
    assert amounts(html)["Credit added to your balance"] == "3.39 USD"


def test_the_invoice_has_its_heading_badge_date_line_and_amounts(alice):
    url = change(alice).headers["Location"]
    html = page(alice, url)
    markup = Markup(html)
    assert [markup.text(h) for h in markup.find("h1")] == ["Invoice #INV-000001"]
    assert [markup.text(b) for b in markup.find("span") if "badge" in b[1].get("class", "")] == ["Paid"]
    text = text_of(html)
    assert "Invoice date: 17/03/2026" in text
    rows = column_rows(html, "Line items")
    assert rows[0] == ["Description", "Amount"]
    assert rows[1] == ["Upgrade: Basic (Monthly) → Start (Monthly), 17/03/2026 to 01/04/2026",
                       "3.39 USD"]
    assert dict(rows[2:]) == {"Subtotal": "3.39 USD", "Tax (10%)": "0.34 USD",
                              "Credit applied": "1.00 USD", "Total": "2.73 USD"}
    pdf = [a for a in markup.find("a") if markup.text(a) == "Download PDF"]
    assert [a[1]["href"] for a in pdf] == [PDF.format("INV-000001")]


def test_an_unpaid_invoice_shows_its_badge_and_the_list_links_it(make_app):
    app = classic_app(make_app, scenario(client={"payment_method": "bank_transfer"}))
    alice = logged_in(app.test_client())
    url = change(alice).headers["Location"]
    html = page(alice, url)
    assert "badge-unpaid" in html and "awaiting your bank transfer" in text_of(html)
    listing = page(alice, LIST)
    assert INVOICE.format("INV-000001") in listing  # "Awaiting payment of Invoice #..."


def test_the_invoices_list_is_entries_with_date_total_and_status(alice):
    assert "No invoices yet." in text_of(page(alice, INVOICES))
    change(alice)
    html = page(alice, INVOICES)
    assert "<table" not in html
    markup = Markup(html)
    links = [a for a in markup.find("a") if a[1]["href"] == INVOICE.format("INV-000001")]
    assert [markup.text(a) for a in links] == ["Invoice #INV-000001"]
    text = text_of(html)
    assert "Invoice date: 17/03/2026" in text and "Total: 2.73 USD" in text and "Paid" in text
    nav = re.search(r"<nav\b.*?</nav>", html, re.S).group(0)
    assert 'href="/clientarea.php?action=invoices" aria-current="page"' in nav


def test_the_pdf_carries_the_classic_amounts_and_dates(alice):
    change(alice)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        alice.get(PDF.format("INV-000001")).data)).pages)
    for expected in ("Invoice #INV-000001", "17/03/2026", "17/03/2026 to 01/04/2026", "3.39 USD",
                     "0.34 USD", "1.00 USD", "2.73 USD", "15 unused days of 31"):
        assert expected in text, (expected, text)
    assert "$" not in text and "2026-03-17" not in text


def test_yen_prints_whole_with_the_code_after(make_app):
    data = scenario(currency="JPY", client={"credit": "100"}, plans=[
        {"id": "basic", "name": "Basic", "prices": {"monthly": "500"}},
        {"id": "start", "name": "Start", "prices": {"monthly": "1200"}}])
    data["services"][0]["allowed_targets"] = ["start"]
    alice = logged_in(classic_app(make_app, data).test_client())
    assert dl_facts(page(alice, DETAILS.format(1001)))["Price"] == "500 JPY"
    html = page(alice, REVIEW.format(1001, "start", "monthly"))
    assert amounts(html)["Subtotal"] == "339 JPY"
    assert "1,200 JPY / Monthly" in text_of(page(alice, CHANGE.format(1001)))


# --- languages -----------------------------------------------------------------------

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED = re.compile(r"[\w.+-]+@[\w.-]+|INV-\d+|-?[\d,]+(\.\d+)? JPY|DNS SERVICE|Basic|Start"
                     r"|Business|Alice Example|PDF")


def test_a_japanese_classic_portal_keeps_no_english_and_its_own_formats(make_app):
    data = scenario(currency="JPY", client={"credit": "100"}, plans=[
        {"id": "basic", "name": "Basic", "prices": {"monthly": "500", "annually": "5000"}},
        {"id": "start", "name": "Start", "prices": {"monthly": "1200", "annually": "12000"}},
        {"id": "business", "name": "Business", "prices": {"monthly": "3000", "annually": "30000"}}])
    data["locale"] = "ja"
    app = classic_app(make_app, data)
    client = app.test_client()
    shown = {"login": page(client, "/login.php")}
    logged_in(client)
    for name, url in (("list", LIST), ("details", DETAILS.format(1001)),
                      ("change", CHANGE.format(1001) + "&plan=business"),
                      ("review", REVIEW.format(1001, "start", "monthly")),
                      ("refusal", REVIEW.format(1001, "start", "weekly"))):
        shown[name] = page(client, url, 400 if name == "refusal" else 200)
    url = change(client).headers["Location"]
    shown["invoice"], shown["invoices"] = page(client, url), page(client, INVOICES)
    for name, html in shown.items():
        text = text_of(re.sub(r'<(title)\b.*?</\1>', " ", html, flags=re.S))
        text += " " + " ".join(re.findall(r'aria-label="([^"]*)"', html))
        text = text.replace("“weekly”", "").replace("「weekly」", "")
        assert LATIN_WORD.findall(ALLOWED.sub(" ", text)) == [], (name, text)
    assert "管理" in shown["list"] and "選択" in shown["change"]
    font = TTFont(Path(simulator.__file__).parent / "static" / "fonts" / "NotoSansJP-Portal.ttf")
    glyphs = font.getBestCmap()
    missing = {ch for html in shown.values() for ch in text_of(html) if ord(ch) not in glyphs}
    assert missing - {" "} == set()  # every character has its glyph in the Japanese font
    assert "請求日：17/03/2026" in text_of(shown["invoice"])
    assert "339 JPY" in text_of(shown["invoice"]) and "273 JPY" in text_of(shown["invoice"])
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get(PDF.format("INV-000001")).data)).pages)
    assert "17/03/2026" in pdf and "339 JPY" in pdf and "¥" not in pdf


# --- choosing the theme ------------------------------------------------------------------

def test_the_default_theme_is_the_default(make_app):
    app = make_app()
    assert app.config["PORTAL_THEME"] == "default"
    client = app.test_client()
    assert client.get("/services/dns").headers["Location"].startswith("/login?next=")


def test_a_default_themed_portal_also_answers_the_classic_addresses_in_its_own_markup(make_app):
    app = make_app()  # the shared app: PORTAL_THEME default
    client = app.test_client()
    assert client.get(LIST).headers["Location"].startswith("/login?next=")
    logged_in(client)
    html = page(client, DETAILS.format(1001))
    assert '<table class="facts">' in html and 'href="/services/dns/1001/change"' in html


def test_an_unknown_portal_theme_is_refused(make_app):
    with pytest.raises(ThemeError, match="PORTAL_THEME: 'modern' is not one of default, classic"):
        make_app(sample_mapping(), PORTAL_THEME="modern")


@pytest.mark.parametrize("value", ["modern", "Classic", "", 1, ["classic"], True])
def test_a_scenario_theme_must_be_default_or_classic(value):
    with pytest.raises(ScenarioError, match=r"^theme: .* is not one of default, classic$"):
        from_mapping({**sample_mapping(), "theme": value})


def test_the_scenario_theme_is_optional_and_wins_over_the_portals(make_app):
    assert from_mapping(sample_mapping()).theme is None
    data = {**sample_mapping(), "theme": "classic"}
    client = make_app(data, PORTAL_THEME="default").test_client()
    assert client.get("/").headers["Location"] == "/login.php?next=/"
    data["theme"] = "default"
    client = make_app(data, PORTAL_THEME="classic").test_client()
    assert client.get("/").headers["Location"] == "/login?next=/"


def test_a_tenant_sees_its_own_theme_once_its_user_is_logged_in(make_app):
    app = make_app(sample_mapping(), TENANT_LIMIT=10)
    control = app.test_client()
    seeded = control.post("/__sim__/tenants", data=yaml.safe_dump({**sample_mapping(), "theme": "classic"}),
                          content_type="application/yaml").get_json()
    email, sid = seeded["logins"]["alice@example.com"], seeded["services"]["1001"]
    client = app.test_client()
    assert "/login.php" not in page(client, "/login")  # before a tenant is known: the portal's
    response = client.post("/login", data={"email": email, "password": ALICE[1]})
    assert response.status_code == 303 and response.headers["Location"] == LIST
    html = page(client, LIST)
    assert DETAILS.format(sid) in Markup(html).addresses()
    assert "<nav" in html and "<table" not in html
    invoice = change(client, sid).headers["Location"]
    assert invoice.startswith("/viewinvoice.php?id=INV-T")
    default_user = logged_in(app.test_client())
    assert default_user.get("/").headers["Location"] == "/services/dns"


def test_the_theme_survives_a_restart_with_a_state_file(tmp_path):
    from simulator import create_app

    db = str(tmp_path / "state.db")
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": TEST_SECRET,
              "DATABASE": db}
    create_app({**config, "SCENARIO": {**sample_mapping(), "theme": "classic"}})
    again = create_app(config)
    assert again.extensions["store"].catalog.theme == "classic"
    assert again.test_client().get("/").headers["Location"] == "/login.php?next=/"


def test_serve_theme_sets_the_portal_theme():
    from simulator.cli import make_app

    app = make_app(None, None, False, theme="classic")
    assert app.config["PORTAL_THEME"] == "classic"
    assert '<form method="post" action="/login.php"' in page(app.test_client(), "/login.php")


def test_serve_refuses_an_unknown_theme_in_one_line(capsys):
    from simulator.cli import main

    assert main(["serve", "--theme", "modern"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--theme" in err and "modern" in err


def test_the_same_store_answers_both_themes(make_app):
    """One rule set: a change made through the classic addresses is what the state says."""
    app = classic_app(make_app)
    alice = logged_in(app.test_client())
    change(alice, plan="business", cycle="annually")
    assert service_state(alice)["plan"] == "business"
    assert service_state(alice)["cycle"] == "annually"
    assert credit_of(alice) == "0.00"


def test_a_label_catalog_renames_the_classic_words_too(make_app, tmp_path):
    from test_label_catalog import _catalog

    folder = _catalog(tmp_path / "labels", "en", Manage="Details", Choose="Select",
                      Continue="Next")
    app = classic_app(make_app, LABEL_CATALOG=str(folder))
    alice = logged_in(app.test_client())
    markup = Markup(page(alice, LIST))
    assert [markup.name_of(a) for a in markup.find("a") if a[1].get("id") == "manage-1001"] == [
        "Details Basic"]
    change_page = page(alice, CHANGE.format(1001))
    assert ">Select</button>" in change_page and ">Next</button>" in change_page


def test_each_classic_address_shows_the_very_screen_of_its_default_twin(alice, portal):
    """The theme's address table (themes.CLASSIC) and the classic routes (classic.py) agree:
    under the classic theme an address and its default twin give the same page."""
    from simulator.themes import CLASSIC

    change(alice)  # an invoice to show
    values = {"portal.service_list": {}, "portal.service_details": {"service_id": 1001},
              "portal.change": {"service_id": 1001, "plan": "business"},
              "portal.review": {"service_id": 1001, "plan": "business", "cycle": "annually"},
              "invoices.invoice_list": {}, "invoices.invoice": {"number": "INV-000001"},
              "invoices.invoice_download": {"number": "INV-000001"},
              "auth.login": {}}
    assert set(values) | {"portal.submit", "auth.logout"} == set(CLASSIC.addresses)
    with portal.test_request_context():
        from flask import url_for

        pairs = [(url_for(endpoint, **v), CLASSIC.url(endpoint, **v)) for endpoint, v in values.items()]
    for default, classic in pairs:
        assert not classic.startswith(("/services", "/invoices")), classic
        mine, twin = alice.get(classic), alice.get(default)
        assert (mine.status_code, mine.headers.get("Location")) == (twin.status_code, twin.headers.get("Location"))
        tokenless = [re.sub(rb'name="(csrf_token|review_token)" value="[^"]*"', b"", r.data)
                     for r in (mine, twin)]
        assert tokenless[0] == tokenless[1], (classic, default)
