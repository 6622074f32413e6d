"""Fuzzing the scenario loader and the control API with hypothesis (issue 10, item 2).

Random mutations of the bundled sample scenario (wrong types, huge and tiny values,
odd text, deleted and unknown keys) and of its text (aliases, duplicate keys, deep
nesting, cut-offs, stray bytes and encodings), and random clock bodies. The only
outcomes allowed: a valid load, or a one-line refusal naming the key (a ScenarioError;
in the control API a 400 with that same JSON error), each within a second.

`make test` runs 200 examples of each; FUZZ_EXAMPLES=20000 pytest this file runs
a longer search.
"""
from __future__ import annotations

import copy
import json
import os
import re
from datetime import timedelta

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from simulator.scenario import Scenario, ScenarioError, from_mapping, key_name, parse_text

from sim_helpers import sample_mapping

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=1),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SAMPLE = sample_mapping()


# --- values and mutations ---------------------------------------------------------------

ODD_TEXT = ["", " ", "1e999999", "NaN", "-Infinity", "-0", "0.001", "5.00", "1000000000.01",
            "2026-02-30", "2026-04-01", "2027-04-01", "0000-01-01", "99999-01-01",
            "9999-12-31T23:59:59", "2026-03-17T25:00:00", "basic", "start", "monthly",
            "annually", "alice@example.com", "bob@example.com", "Active", "card",
            "next_renewal", "a\nb", "\u2028", "\x00", "\t", "\u202e", "*a", "&a", "!!str",
            "<<", "{", "[", "'", '"', "x" * 300, "9" * 5000]
SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(),
    st.sampled_from([0, -1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30, 10**4000, 525_601]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(ODD_TEXT),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates(), st.datetimes(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "name", "email", "x", "monthly"]) | st.text(max_size=5),
                      inner, max_size=3),
    max_leaves=6,
)


def _paths(node, prefix=()):
    """Every place in the sample: tuples of keys and indices."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


PATHS = [p for p in _paths(SAMPLE) if p]  # not the root itself


def _at(data, path):
    for step in path:
        data = data[step]
    return data


MAPPING_PATHS = [p for p in _paths(SAMPLE) if isinstance(_at(SAMPLE, p), dict)]
LIST_PATHS = [p for p in _paths(SAMPLE) if isinstance(_at(SAMPLE, p), list)]


@st.composite
def mutated_mappings(draw) -> dict:
    data = copy.deepcopy(SAMPLE)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["set", "set", "set", "delete", "add", "repeat"]))
        try:
            if kind in ("set", "delete"):
                path = draw(st.sampled_from(PATHS))
                parent = _at(data, path[:-1])
                if kind == "set":
                    parent[path[-1]] = draw(VALUES)
                else:
                    del parent[path[-1]]
            elif kind == "add":
                target = _at(data, draw(st.sampled_from(MAPPING_PATHS)))
                target[draw(st.text(max_size=10) | st.sampled_from(["now", "id", "plans"]))] = \
                    draw(VALUES)
            else:
                target = _at(data, draw(st.sampled_from(LIST_PATHS)))
                if target:
                    target.append(copy.deepcopy(target[draw(st.integers(0, len(target) - 1))]))
        except (KeyError, IndexError, TypeError, AttributeError):  # an earlier mutation moved it
            pass
    return data


def as_text(data: dict, style: str) -> str:
    if style == "json":
        return json.dumps(data, default=str)
    return yaml.safe_dump(data, allow_unicode=True)


# Text-level mutations: (name, function(text, draw) -> text or bytes)
def _duplicate_key(text, draw):
    return text + "\nnow: 2026-03-18T09:00:00\n"


def _laughs(text, draw):
    levels = draw(st.integers(1, 12))
    chain = ["&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
        f"&l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return re.sub(r"(?m)^tax:.*$", "tax: {name: [" + ", ".join(chain) + "]}", text, count=1)


def _alias_reuse(text, draw):
    return re.sub(r"(?m)^(tax:) ", r"\1 &t ", text, count=1) + "extra: *t\n"


def _deep(text, draw):
    depth = draw(st.integers(1, 3000))
    return re.sub(r"(?m)^currency:.*$", "currency: " + "[" * depth + "]" * depth, text, count=1)


def _cut(text, draw):
    return text[: draw(st.integers(0, len(text)))]


def _insert(text, draw):
    where = draw(st.integers(0, len(text)))
    piece = draw(st.sampled_from(["\x00", "\t", "\r", "\u2028", "\ufeff", "&", "*", "!", ":",
                                  "- ", "{", "}", "[", "]", "'", '"', "#", "%", "@", "`",
                                  "!!python/object:os.system ", "<<: ", "? ", "|", ">"]))
    return text[:where] + piece + text[where:]


def _encoding(text, draw):
    encoding = draw(st.sampled_from(["utf-16", "latin-1", "utf-32", "cp1252"]))
    return text.encode(encoding, errors="replace")


def _garbage(text, draw):
    return draw(st.binary(max_size=200))


TEXT_MUTATIONS = [_duplicate_key, _laughs, _alias_reuse, _deep, _cut, _insert, _encoding,
                  _garbage]


# --- the outcomes allowed ---------------------------------------------------------------

NAMED = re.compile(r"(scenario|now|currency|tax|settings|plans|clients|services)\b")


def assert_one_line_naming(message: str, data: dict | None) -> None:
    """One line that starts with what it is about: a key of the scenario (or of the
    mutated `data`), or "scenario" and the line of the text."""
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert len(message) < 600, message
    if data is None:  # the text itself was mutated: its keys are not known here
        assert re.match(r"""('.*?'|".*?"|[^:'"]+): """, message), message
        return
    starts = [key_name(k) for k in data] if isinstance(data, dict) else []
    assert NAMED.match(message) or any(message.startswith(f"{s}:") for s in starts), message


def load(text) -> Scenario | ScenarioError:
    try:
        return from_mapping(parse_text(text))
    except ScenarioError as exc:
        return exc


@pytest.fixture(scope="module")
def api():
    from simulator import create_app
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE": None,
                      "SECRET_KEY": "fuzz"})
    return app


def post_scenario(app, text):
    response = app.test_client().post("/__sim__/scenario", data=text,
                                      content_type="application/yaml")
    return response.status_code, response.get_json(silent=True)


SAMPLE_PASSWORDS = {"alice-pass", "bob-pass"}


def _passwords(scn: Scenario) -> set[str]:
    return {c.password for c in scn.clients} | {u.password for c in scn.clients for u in c.users}


def agrees(app, text, outcome, data) -> None:
    """The control API gives the loader's outcome: 200, or 400 with its message."""
    if isinstance(outcome, Scenario) and not _passwords(outcome) <= SAMPLE_PASSWORDS:
        return  # storing a new password hashes it (scrypt, ~0.3 s by design): not fuzzed
    status, body = post_scenario(app, text)
    if isinstance(outcome, Scenario):
        assert status == 200, body
        state = app.test_client().get("/__sim__/state")
        assert state.status_code == 200
    else:
        assert status == 400, body
        assert isinstance(body, dict) and isinstance(body.get("error"), str), body
        if (text.strip() if isinstance(text, (str, bytes)) else text):
            assert body["error"] == str(outcome)


# --- the fuzz tests -------------------------------------------------------------------------

@FUZZ
@given(data=mutated_mappings(), style=st.sampled_from(["yaml", "json"]))
def test_mutated_scenarios_load_or_are_refused_naming_the_key(api, data, style):
    text = as_text(data, style)
    outcome = load(text)
    if isinstance(outcome, ScenarioError):
        assert_one_line_naming(str(outcome), data)
    agrees(api, text, outcome, data)


@FUZZ
@given(data=mutated_mappings(), mutation=st.sampled_from(TEXT_MUTATIONS), draw=st.data())
def test_odd_scenario_text_loads_or_is_refused_in_one_line(api, data, mutation, draw):
    text = mutation(as_text(data, draw.draw(st.sampled_from(["yaml", "json"]))), draw.draw)
    outcome = load(text)
    if isinstance(outcome, ScenarioError):
        assert_one_line_naming(str(outcome), None)
    agrees(api, text, outcome, data)


CLOCK_KEYS = st.sampled_from(["now", "advance_days", "advance_minutes"]) | st.text(max_size=8)
CLOCK_BODIES = st.one_of(
    st.dictionaries(CLOCK_KEYS, VALUES, min_size=1, max_size=2).map(
        lambda d: json.dumps(d, default=str)),
    st.dictionaries(CLOCK_KEYS, VALUES, min_size=1, max_size=2).map(
        lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.sampled_from(["", "null", "[]", "{", '{"advance_days": ' + "[" * 5000 + "}"]),
    st.binary(max_size=64),
)


@FUZZ
@given(body=CLOCK_BODIES)
def test_clock_bodies_move_the_clock_or_are_a_400(api, body):
    store = api.extensions["store"]
    if store.now() != SAMPLE["now"]:  # the last example moved it
        store.load_scenario(from_mapping(copy.deepcopy(SAMPLE)))
    before = store.state()
    response = api.test_client().post("/__sim__/clock", data=body,
                                      content_type="application/json")
    answer = response.get_json(silent=True)
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 400:
        assert isinstance(answer, dict) and answer["error"], answer
        assert "\n" not in answer["error"]
        assert store.state() == before  # a refusal changes nothing
    else:
        assert answer["now"] >= before["now"]
