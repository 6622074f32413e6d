"""UI profiles (SPEC §9): how one portal, in one language, shows what the page objects name.

    profile = load_profile("ja")                    # profiles/ja.yaml, or a file's path
    profile.locate(page, "the Submit button")       # page.get_by_role("button", name="確定する")
    profile.shown("$12.00 / Monthly")               # "$12.00（月払い）"

A profile is a YAML file (README, "Testing your own portal"): `targets` maps each
human-named target ("the Submit button") to how the portal shows it (pages/targets.py
lists the kinds: controls, fields, texts, facts, choices, lists of items, or `absent`);
`formats`, `cycles`, `words` and `phrases` say how the portal writes money, dates, billing
cycles, statuses and sentences; `addresses` the few URL templates the scenarios about
typing an address need. The features are written in the `en` profile's words: a value a
step quotes is read with en's formats and written with the selected profile's (`shown`).
Loading and checking the file is profile_file.py's job.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import InvalidOperation

from babel.dates import format_date
from playwright.sync_api import Locator, Page

from . import quotes
from .formats import Amount, MoneyFormat, as_regex, fields_of, is_regex, template_regex
from .targets import Spec, element, fact_holder, reads_exactly

FEATURES_PROFILE = "en"  # the words the features are written in


class ProfileError(ValueError):
    """A profile that cannot be used, named with the file and the key at fault."""


class TargetAbsent(LookupError):
    """A target the profile declares absent was asked for; the message is its reason."""


class NoAddress(LookupError):
    """A scenario types an address the profile gives no template for."""


class UiProfile:
    """One portal in one language; see the module's docstring. Built by profile_file.load."""

    def __init__(self, *, name: str, source, description: str, locale: str | None, simulator: dict,
                 date_formats: list[str], money_formats: dict[str, MoneyFormat], cycles: dict[str, str],
                 words: dict[str, str], phrases: dict[str, str], targets: dict[str, Spec],
                 aliases: dict[str, str], addresses: dict[str, str], features: "UiProfile | None" = None):
        self.name, self.source, self.description, self.locale = name, source, description, locale
        # How the suite serves its own simulator for this portal (harness.server reads it).
        self.simulator = simulator
        self.date_formats = date_formats
        self.money_formats = money_formats
        self.cycles, self.words, self.phrases = cycles, words, phrases
        self.targets = targets
        # Other names a help text gives a target ("Target plan" for the Upgrade / Downgrade to
        # field): the article's words check accepts them where the target's label is on screen.
        self.aliases = aliases
        self.addresses = addresses
        self._features = features or self

    def __repr__(self) -> str:
        return f"UiProfile({self.name!r} from {self.source})"

    def scenario(self) -> dict:
        """What every scenario seeded for this portal asks of it: its language."""
        return {"locale": self.locale} if self.locale else {}

    # --- Targets --------------------------------------------------------------------

    def spec(self, key: str) -> Spec:
        try:
            spec = self.targets[key]
        except KeyError:
            raise ProfileError(f"{self.source}: no target {key!r}") from None
        if spec.kind == "absent":
            raise TargetAbsent(f"{self.name} profile: {spec.reason} ({key} is declared absent)")
        return spec

    def absent(self, key: str) -> str | None:
        """Why the portal has no `key` (the profile's `absent:` reason), or None."""
        spec = self.targets.get(key)
        return spec.reason if spec is not None and spec.kind == "absent" else None

    def label(self, key: str, **fields) -> str | re.Pattern:
        """What the target reads in this portal: a text, or a pattern when its label is a
        regex or keeps fields not given ("Invoice #{number}" without a number)."""
        spec = self.spec(key)
        return self._text(spec.template, fields, anchored=spec.exact)

    def _text(self, template: str, fields: dict, *, anchored: bool) -> str | re.Pattern:
        if is_regex(template):
            return as_regex(template)
        shown = {name: self.shown(str(value)) for name, value in fields.items()}
        if set(fields_of(template)) - set(shown) or any(isinstance(value, re.Pattern) for value in shown.values()):
            return template_regex(template, shown, anchored=anchored)
        return template.format(**shown)

    def part(self, scope: Page | Locator, spec: Spec) -> Locator:
        """The element a part of a target names (an item's name, a card's control), within
        `scope`, its label written as this portal writes it."""
        return element(scope, spec, self._text(spec.template, {}, anchored=spec.exact) if spec.template else "")

    def locate(self, scope: Page | Locator, key: str, **fields) -> Locator:
        """The locator of target `key` within `scope` (a page, or a part of one)."""
        spec = self.spec(key)
        return element(scope, spec, self.label(key, **fields))

    def locate_whole(self, scope: Page | Locator, key: str, **fields) -> Locator:
        """Like `locate`, but a fact as a whole (its row, its term and value), as a figure
        rings it; `locate` finds a fact's value, which the checks read."""
        spec = self.spec(key)
        if spec.kind == "fact":
            return fact_holder(scope, self.label(key, **fields), spec.form)
        if spec.kind == "items" and "name" in fields:  # the item whose name reads so
            named = self.part(scope if isinstance(scope, Page) else scope.page, spec.part)
            return self.locate(scope, key).filter(has=named.filter(has_text=reads_exactly(str(fields["name"]))))
        return self.locate(scope, key, **fields)

    def read_field(self, key: str, field: str, text: str) -> str | None:
        """The value of `field` in a text the target reads: the number of "Invoice #INV-1"."""
        found = template_regex(self.spec(key).label, {}, anchored=True, named=True).match(" ".join(text.split()))
        return found[field] if found else None

    def address(self, name: str, **fields) -> str:
        """The URL (a path, or a whole URL) of `addresses: name` with its fields; NoAddress
        when the profile gives none (the scenario is then skipped, saying so)."""
        try:
            template = self.addresses[name]
        except KeyError:
            raise NoAddress(f"{self.name} profile gives no address {name!r} (addresses: in {self.source.name}): "
                            f"this scenario types one") from None
        missing = set(fields_of(template)) - set(fields)
        if missing:
            raise ProfileError(f"{self.source}: addresses: {name}: unknown field {sorted(missing)[0]!r} "
                               f"(fields: {', '.join(sorted(fields))})")
        return template.format(**fields)

    # --- Values, as this portal writes them ------------------------------------------

    def money(self, amount: Amount) -> str:
        try:
            return self.money_formats[amount.currency].write(amount.value)
        except KeyError:
            raise ProfileError(f"{self.source}: formats: money: no format for {amount.currency}") from None

    def date(self, value: date) -> str | re.Pattern:
        """The date as the portal writes it: a text, or a pattern of each way the profile
        says it may write dates (`formats: date:` a list)."""
        written = [format_date(value, format=pattern, locale=self.locale or FEATURES_PROFILE)
                   for pattern in self.date_formats]
        if len(set(written)) == 1:
            return written[0]
        return re.compile("^(?:" + "|".join(map(re.escape, dict.fromkeys(written))) + ")$")

    def cycle(self, cycle_id: str) -> str:
        """ "monthly" -> "Monthly" (en), "月払い" (ja)."""
        return self.cycles[cycle_id]

    def phrase(self, key: str, *, anchored: bool = True, **fields) -> str | re.Pattern:
        """A sentence of `phrases` with its fields, as the portal writes it (a pattern
        when a field is not given)."""
        try:
            template = self.phrases[key]
        except KeyError:
            raise ProfileError(f"{self.source}: phrases: no {key!r}") from None
        return self._text(template, fields, anchored=anchored)

    def shown(self, text: str) -> str | re.Pattern:
        """A value as a feature writes it (in the en profile's words and formats), as this
        portal shows it: words, cycles, dates, amounts, and phrases whose fields are
        shown the same way. Anything else (plan names, numbers) is shown as written."""
        features = self._features
        if text in features.words:
            return self.words.get(text, text)
        for cycle_id, label in features.cycles.items():
            if text == label:
                return self.cycles[cycle_id]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return self.date(date.fromisoformat(text))
            except ValueError:
                return text
        amount = features.read_money(text)
        if amount is not None:
            return self.money(amount)
        for key, template in features.phrases.items():
            found = quotes.parser(template).parse(text)
            if found is not None and key in self.phrases:
                return self._text(self.phrases[key], dict(found.named), anchored=True)
        return text

    def read_money(self, text: str) -> Amount | None:
        """ "$1,234.50" -> Amount(1234.50, "USD"), as this profile writes money."""
        for code, money_format in self.money_formats.items():
            try:
                value = money_format.read(text)
            except InvalidOperation:
                value = None
            if value is not None:
                return Amount(value, code)
        return None

    def money_pattern(self) -> str:
        """A regex of any amount this profile writes (no capturing groups)."""
        return "|".join(f"(?:{money_format.pattern(capture=False)})" for money_format in self.money_formats.values())

    # --- Labels the features quote ---------------------------------------------------

    def labels(self) -> dict[str, str]:
        """Each target's label as a feature can quote it (regex labels cannot be quoted)."""
        return quotes.quotable(self.targets)

    def named(self, quote: str) -> list[quotes.Named]:
        return quotes.named(self.targets, quote)

    def of_kind(self, *kinds: str) -> set[str]:
        """The target keys of these kinds in this profile ("fact", "choice", ...)."""
        return {key for key, spec in self.targets.items() if spec.kind in kinds}

    def clickable(self, key: str) -> bool:
        return key in self.targets and self.targets[key].clickable


# Loading lives in profile_file.py; these names are imported from here by the suite.
from .profile_file import PROFILES, bundled, features_profile, load_profile, profile_path  # noqa: E402

Named, UnknownLabel = quotes.Named, quotes.UnknownLabel

__all__ = ["Amount", "Named", "NoAddress", "PROFILES", "ProfileError", "Spec", "TargetAbsent", "UiProfile",
           "UnknownLabel", "bundled", "features_profile", "is_regex", "load_profile", "profile_path"]
