"""No request a user can send makes the portal answer 500 (SPEC §8): hypothesis
sends odd paths, query strings, form values and headers to every screen as a
logged-in user, and the answer is always a page or a plain 4xx refusal."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim_helpers import logged_in, state

PLAIN = {200, 302, 303, 308, 400, 403, 404, 405, 409, 413, 429}

odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["basic", "start", "business", "monthly", "annually", "quarterly",
                     "1001", "2002", "INV-000001", "", " ", "\x00", "\r\n", "../..", "%",
                     "9" * 30, "-1", "0", "1e999", "NaN", "<script>", "’", "🙂"]),
)
ids = st.one_of(st.integers(min_value=-2**70, max_value=2**70).map(str), odd_text)
paths = st.one_of(
    ids.map(lambda i: f"/services/dns/{quote(i, safe='')}"),
    ids.map(lambda i: f"/services/dns/{quote(i, safe='')}/change"),
    ids.map(lambda i: f"/services/dns/{quote(i, safe='')}/change/review"),
    odd_text.map(lambda n: f"/invoices/{quote(n, safe='')}"),
    odd_text.map(lambda n: f"/invoices/{quote(n, safe='')}/pdf"),
    st.sampled_from(["/", "/services/dns", "/invoices", "/login", "/logout",
                     "/services/dns/1001/change/review", "/services/dns/1001/change"]),
)
params = st.dictionaries(st.sampled_from(["plan", "cycle", "next", "stale", "review_token",
                                          "email", "password", "x"]), odd_text, max_size=4)




@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD"]), path=paths,
       query=params, form=params,
       cookie=st.one_of(st.none(), st.text(max_size=30), st.just("x" * 4000)))
def test_no_request_makes_a_500(client, method, path, query, form, cookie):
    logged_in(client)
    if cookie is not None:
        client.set_cookie("session", cookie)
    response = client.open(path, method=method, query_string=query,
                           data=form if method in ("POST", "PUT") else None)
    assert response.status_code in PLAIN, (method, path, query, form,
                                           response.get_data(as_text=True)[:500])


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=odd_text, cycle=odd_text, token=odd_text)
def test_odd_submits_change_nothing(client, plan, cycle, token):
    logged_in(client)
    before = state(client)
    response = client.post("/services/dns/1001/change",
                           data={"plan": plan, "cycle": cycle, "review_token": token})
    assert response.status_code in PLAIN
    if response.status_code != 303 or "stale=1" in response.headers.get("Location", ""):
        assert state(client) == before
