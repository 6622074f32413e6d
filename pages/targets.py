"""Target kinds (SPEC §9): how one entry of a UI profile's `targets` finds what it names.

    the Submit button:   {role: button, name: Submit}          a control, by role and name
    the Email field:     {label: Email}                        a form field, by its label
    the refusal:         {text: /contact support/}             a sentence, by its text
    the Plan row:        {fact: Plan}                          a value read by its label
    the Invoice date row: {fact: Invoice date, form: colon}    ... written "Invoice date: 17/03/2026"
    the plan field:      {choice: select, label: Plan}         options of a select
                         {choice: radio, group: Billing cycle} radio buttons in a group
                         {choice: card, item: {css: .plan}, control: {role: button, name: Choose}}
    the services:        {items: {css: .service}, name: {role: heading}}   items found by their name
    the computation:     {absent: this portal shows no computation line}

A *fact* is a value found by the label beside it, whichever way the portal pairs them: a
table row whose first cell (header or not) is the label, a `dt` and its `dd`, the cell of a
table column whose header is the label (within a row), or, with `form: colon`, a text
"Label: value". Nothing here knows one portal's markup: that is the profile's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

KIND_KEYS = {
    "role": {"role", "name", "text", "level", "exact"},
    "label": {"label", "exact"},
    "text": {"text", "exact"},
    "css": {"css", "text"},
    "fact": {"fact", "form"},
    "choice": {"choice", "label", "group", "item", "reads", "control"},
    "items": {"items", "name"},
    "absent": {"absent"},
}
CHOICE_STYLES = ("select", "radio", "card")
FACT_FORMS = ("cell", "colon")


class TargetError(ValueError):
    """A target entry of a profile that cannot be used; the message says why."""


@dataclass(frozen=True)
class Spec:
    """How the portal shows one target; `label` may hold {fields} (or be a /regex/)."""

    kind: str  # role | label | text | css | fact | choice | items | absent
    label: str = ""  # accessible name, label, text, fact label, choice label or group; css: the selector
    role: str | None = None
    level: int | None = None
    exact: bool = False
    has_text: str | None = None  # role + text, css + text: the element of that role saying it
    form: str = "cell"  # fact: "cell" (rows, dl, columns) or "colon" ("Label: value")
    style: str | None = None  # choice: select | radio | card
    item: "Spec | None" = None  # choice card, items: one option or item
    part: "Spec | None" = None  # items: an item's name; choice card: what an option reads
    control: "Spec | None" = None  # choice card: what to click in the chosen card
    reason: str | None = None  # absent: why the portal has no such thing

    @property
    def template(self) -> str:
        """The text with {fields} a quote or a value of this target is written in."""
        return self.has_text or self.label

    @property
    def clickable(self) -> bool:
        """A control a person clicks: a button or a link (by role), or a text or element to click."""
        return self.kind in ("role", "text", "css") and (self.kind != "role" or self.role in ("button", "link"))


def spec_of(entry, where: str) -> Spec:
    """An entry of `targets` (a mapping, see the module's docstring) as a Spec."""
    if not isinstance(entry, dict) or not entry:
        raise TargetError(f"{where}: expected a mapping such as {{role: button, name: Submit}}; got {entry!r}")
    if "row" in entry:  # older profiles: `row: Label` is a fact read from a table row
        entry = {"fact": entry["row"], **{k: v for k, v in entry.items() if k != "row"}}
    # The first of these keys an entry has says its kind ({choice: select, label: X} is a choice).
    kind = next((kind for kind in ("choice", "items", "fact", "absent", "css", "role", "label", "text")
                 if kind in entry), None)
    if kind is None:
        raise TargetError(f"{where}: give one of {', '.join(KIND_KEYS)} (see README, 'Target kinds')")
    unknown = sorted(set(entry) - KIND_KEYS[kind])
    if unknown:
        raise TargetError(f"{where}: {kind} takes {', '.join(sorted(KIND_KEYS[kind]))}; "
                          f"{', '.join(map(repr, unknown))} unknown")
    text = lambda key: str(entry[key]) if key in entry else None  # noqa: E731
    if kind == "role":
        if "name" in entry:
            return Spec("role", text("name"), role=str(entry["role"]), level=entry.get("level"),
                        exact=bool(entry.get("exact", False)), has_text=None)
        if "text" in entry:
            return Spec("role", "", role=str(entry["role"]), has_text=text("text"))
        return Spec("role", "", role=str(entry["role"]))
    if kind in ("label", "text"):
        return Spec(kind, text(kind), exact=bool(entry.get("exact", False)))
    if kind == "css":
        return Spec("css", text("css"), has_text=text("text"))
    if kind == "fact":
        form = str(entry.get("form", "cell"))
        if form not in FACT_FORMS:
            raise TargetError(f"{where}: form: {form!r}; expected {' or '.join(FACT_FORMS)}")
        return Spec("fact", text("fact"), form=form, exact=True)
    if kind == "absent":
        reason = text("absent")
        if not reason or not reason.strip():
            raise TargetError(f"{where}: absent: say why the portal has no such thing")
        return Spec("absent", reason=reason.strip())
    if kind == "items":
        if "name" not in entry:
            raise TargetError(f"{where}: items: give `name`, what in an item says which it is "
                              f"(e.g. {{role: heading}})")
        return Spec("items", item=spec_of(entry["items"], f"{where}: items"), part=spec_of(entry["name"], f"{where}: name"))
    style = str(entry["choice"])
    if style not in CHOICE_STYLES:
        raise TargetError(f"{where}: choice: {style!r}; expected one of {', '.join(CHOICE_STYLES)}")
    if style == "select":
        if "label" not in entry:
            raise TargetError(f"{where}: choice: select needs `label`, the select's label")
        return Spec("choice", text("label"), style="select")
    if style == "radio":
        if "group" not in entry:
            raise TargetError(f"{where}: choice: radio needs `group`, the name of the group (its legend)")
        return Spec("choice", text("group"), style="radio")
    for key in ("item", "control"):
        if key not in entry:
            raise TargetError(f"{where}: choice: card needs `{key}`")
    return Spec("choice", text("label") or "", style="card", item=spec_of(entry["item"], f"{where}: item"),
                part=spec_of(entry["reads"], f"{where}: reads") if "reads" in entry else None,
                control=spec_of(entry["control"], f"{where}: control"))


# --- Locators ------------------------------------------------------------------------------

def xpath_literal(text: str) -> str:
    """`text` as an XPath 1.0 string literal, whatever quotes it holds."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def spaced(pattern: str) -> str:
    """A regex whose spaces match any run of white space: Playwright matches a regex
    against an element's raw text ("Start\\n        upgrade"), not its rendered one."""
    return re.sub(r"(?:\\ | )+", r"\\s+", pattern)


def reads_exactly(name: str) -> re.Pattern:
    """The raw text of an element whose rendered text is `name`, whatever line breaks it has."""
    return re.compile(rf"^\s*{spaced(re.escape(name))}\s*$")


def exactly(label: str | re.Pattern) -> re.Pattern:
    """A pattern matching the whole (whitespace-trimmed) text `label`."""
    if isinstance(label, re.Pattern):
        return label
    return re.compile(rf"^\s*{re.escape(label)}\s*$")


def fact_values(scope: Page | Locator, label: str | re.Pattern, form: str = "cell") -> Locator:
    """The value(s) beside `label`: the other cells of its row, its `dd`, the cell of its
    column (when `scope` is a row or an item holding one), or the "Label: value" text."""
    page = scope if isinstance(scope, Page) else scope.page
    if form == "colon":
        if isinstance(label, re.Pattern):
            body = label.pattern.removeprefix("^").removesuffix("$")
            return scope.get_by_text(re.compile(rf"^\s*(?:{body})\s*:"))
        said = f"starts-with(normalize-space(.), {xpath_literal(label + ':')})"
        return scope.locator(f"xpath=.//*[{said}][not(.//*[{said}])]")
    if isinstance(label, re.Pattern):
        first = page.locator("xpath=./*[1]").filter(has_text=label)
        rows = scope.locator("xpath=.//tr").filter(has=first).locator("xpath=./*[position()>1]")
        terms = scope.locator("xpath=.//dt").filter(has_text=label).locator("xpath=./following-sibling::dd[1]")
        return rows.or_(terms)
    literal = xpath_literal(label)
    header = f"ancestor::table[1]/thead/tr/th[normalize-space(.)={literal}]"
    return scope.locator(
        f"xpath=.//tr[normalize-space(*[1])={literal}]/*[position()>1]"
        f" | .//dt[normalize-space(.)={literal}]/following-sibling::dd[1]"
        f" | self::tr/*[{header}][position() = count({header}/preceding-sibling::*) + 1]"
        f" | .//tr/*[{header}][position() = count({header}/preceding-sibling::*) + 1][ancestor::tbody]")


def fact_holder(scope: Page | Locator, label: str | re.Pattern, form: str = "cell") -> Locator:
    """The whole of a fact (its row, its term and value, its "Label: value" text)."""
    if form == "colon":
        return fact_values(scope, label, form)
    page = scope if isinstance(scope, Page) else scope.page
    first = page.locator("xpath=./*[1]").filter(has_text=exactly(label))
    return scope.locator("xpath=.//tr").filter(has=first).or_(scope.locator("xpath=.//dt").filter(has_text=exactly(label)))


def element(scope: Page | Locator, spec: Spec, label: str | re.Pattern) -> Locator:
    """The element(s) `spec` names, its label already written out (`label`)."""
    if spec.kind == "role" and spec.has_text is not None:
        return scope.get_by_role(spec.role).filter(has_text=label)
    if spec.kind == "role":
        if not spec.label:
            return scope.get_by_role(spec.role, **({"level": spec.level} if spec.level is not None else {}))
        options = {"name": label}
        if spec.level is not None:
            options["level"] = spec.level
        if isinstance(label, str):
            options["exact"] = spec.exact
        return scope.get_by_role(spec.role, **options)
    if spec.kind == "label":
        return scope.get_by_label(label, **({"exact": spec.exact} if isinstance(label, str) else {}))
    if spec.kind == "text":
        return scope.get_by_text(label, **({"exact": spec.exact} if isinstance(label, str) else {}))
    if spec.kind == "css":
        located = scope.locator(spec.label)
        return located.filter(has_text=label) if spec.has_text is not None else located
    if spec.kind == "fact":
        return fact_values(scope, label, spec.form)
    if spec.kind == "choice":
        return choice_field(scope, spec, label)
    if spec.kind == "items":
        return element(scope, spec.item, "")
    raise TargetError(f"a target declared absent cannot be located ({spec.reason})")


def choice_field(scope: Page | Locator, spec: Spec, label: str | re.Pattern) -> Locator:
    """The field of a choice: the select, the radio group, or what holds the cards."""
    if spec.style == "select":
        return scope.get_by_label(label, **({"exact": True} if isinstance(label, str) else {}))
    if spec.style == "radio":
        return scope.get_by_role("group", name=label).or_(scope.get_by_role("radiogroup", name=label))
    return element(scope, spec.item, "")


def choice_options(field: Locator, spec: Spec) -> Locator:
    """Each option of a choice field, as a person reads it: an option of the select, the
    label of a radio button, a card (or the part of it that `reads` names)."""
    if spec.style == "select":
        return field.get_by_role("option")
    if spec.style == "radio":
        return field.locator("label")
    return element(field, spec.part, "") if spec.part is not None else field


# --- What else a screen has, when a target is not found ------------------------------------

# The elements a missing target could have been, by what a failure calls them: listed in
# the message ("buttons there: Back, Next"), so a QA engineer sees what the screen has.
CANDIDATES = {
    "fields": "select, input:not([type=hidden]), textarea, fieldset, [role=group], [role=radiogroup]",
    "inputs": "input:not([type=hidden])",
    "notes": "p, [role=note], [role=alert], [role=status]",
    "facts": "th, dt",
    "labels": "th, td:first-child, dt",
    "controls": "a, button, input[type=submit]",
    "menu entries": "a, button",
}


def candidates(scope: Page | Locator, kind: str) -> Locator:
    return scope.locator(CANDIDATES[kind])


def lines_of(table: Locator) -> Locator:
    """The body rows of a table of line items (not its header row)."""
    return table.locator("xpath=.//tr[not(th[@scope='col']) and not(parent::thead) and not(parent::tfoot)]")


# Whether clicking the element loads another page: a link with an address, a form's button.
LEADS_TO_A_PAGE_JS = """e => { const a = e.closest('a[href]'); if (a) return !a.getAttribute('href').startsWith('#');
  const b = e.closest('button, input[type=submit]'); return !!(b && b.form && (b.type || 'submit') === 'submit'); }"""
