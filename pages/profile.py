"""UI profiles (SPEC §9): how one portal, in one language, shows what the page objects name.

    profile = load_profile("ja")                    # profiles/ja.yaml, or a file's path
    profile.locate(page, "the Submit button")       # page.get_by_role("button", name="確定する")
    profile.shown("$12.00 / Monthly")               # "$12.00（月払い）"

A profile is a YAML file (README.md, "A profile for your own portal"): `targets` maps each
human-named target ("the Submit button") to how the portal shows it (a role and its
accessible name, a label, a row header, a text, or a CSS locator); `formats`, `cycles`,
`words` and `phrases` say how the portal writes money, dates, billing cycles, statuses
and sentences. The features are written in the `en` profile's words: a value a step
quotes is read with en's formats and written with the selected profile's (`shown`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import InvalidOperation
from functools import lru_cache
from pathlib import Path

import parse as parse_lib
import yaml
from babel.dates import format_date
from playwright.sync_api import Locator, Page

from .formats import Amount, MoneyFormat, as_regex, fields_of, is_regex, template_regex

__all__ = ["Amount", "Named", "ProfileError", "Spec", "UiProfile", "UnknownLabel", "bundled",
           "features_profile", "is_regex", "load_profile"]

PROFILES = Path(__file__).resolve().parents[1] / "profiles"
FEATURES_PROFILE = "en"  # the words the features are written in
MAX_PROFILE_BYTES = 1024 * 1024  # a profile is a few KB; a huge file is a wrong path

KEYS = {"profile", "description", "locale", "simulator", "formats", "cycles", "words", "phrases", "targets",
        "aliases"}
TARGET_KEYS = {"role", "name", "label", "row", "text", "css", "level", "exact"}
ROLES_WITH_TEXT = {"alert", "status", "note"}  # role + text: the element of that role saying it


class ProfileError(ValueError):
    """A profile that cannot be used, named with the file and the key at fault."""


class UnknownLabel(LookupError):
    """A quoted label that names no target of the features' profile."""


@dataclass(frozen=True)
class Spec:
    """How the portal shows one target; `text` of the label may hold {fields}."""

    kind: str  # role | label | row | text | css
    label: str  # the accessible name, label, row header or text; the selector for css
    role: str | None = None
    level: int | None = None
    exact: bool = False
    has_text: str | None = None  # role + text, css + text: the element of that role saying it


@dataclass(frozen=True)
class Named:
    """What a label quoted in a feature names: a target key and the values of its fields
    ("Tax (10%)" -> "the tax row", {"name": "Tax", "rate": "10"})."""

    key: str
    fields: dict


class UiProfile:
    """One portal in one language; see the module's docstring."""

    def __init__(self, data: dict, source: Path, features: "UiProfile | None" = None):
        self.source = source
        self.name = str(data.get("profile") or source.stem)
        self.description = str(data.get("description", ""))
        self.locale = data.get("locale")
        simulator = data.get("simulator") or {}
        catalog = simulator.get("label_catalog")
        self.label_catalog = (source.parent / catalog).resolve() if catalog else None
        formats = data["formats"]
        self.date_format = str(formats["date"])
        self.money_formats = {code: MoneyFormat(**spec) for code, spec in formats["money"].items()}
        self.cycles: dict[str, str] = {str(k): str(v) for k, v in data["cycles"].items()}
        self.words: dict[str, str] = {str(k): str(v) for k, v in (data.get("words") or {}).items()}
        self.phrases: dict[str, str] = {str(k): str(v) for k, v in (data.get("phrases") or {}).items()}
        self.targets: dict[str, Spec] = {key: self._spec(key, entry) for key, entry in data["targets"].items()}
        # Other names a help text gives a target ("Target plan" for the Upgrade / Downgrade to
        # field): the article's words check accepts them where the target's label is on screen.
        self.aliases: dict[str, str] = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}
        if unknown := [key for key in self.aliases.values() if key not in self.targets]:
            raise ProfileError(f"{source}: aliases: {unknown[0]!r} is no target of this profile")
        self._features = features or self

    def __repr__(self) -> str:
        return f"UiProfile({self.name!r} from {self.source})"

    def scenario(self) -> dict:
        """What every scenario seeded for this portal asks of it: its language."""
        return {"locale": self.locale} if self.locale else {}

    def simulator_config(self) -> dict:
        """The app config of the suite's own simulator serving this portal (not used with
        --base-url): its default language (the login page's) and its label catalog."""
        config = {"PORTAL_LOCALE": self.locale} if self.locale else {}
        if self.label_catalog is not None:
            config["LABEL_CATALOG"] = str(self.label_catalog)
        return config

    def _spec(self, key: str, entry) -> Spec:
        where = f"{self.source}: targets: {key!r}"
        if not isinstance(entry, dict) or set(entry) - TARGET_KEYS:
            unknown = sorted(set(entry) - TARGET_KEYS) if isinstance(entry, dict) else entry
            raise ProfileError(f"{where}: expected a mapping of {', '.join(sorted(TARGET_KEYS))}; got {unknown!r}")
        exact = bool(entry.get("exact", False))
        if "role" in entry and "name" in entry:
            return Spec("role", str(entry["name"]), role=entry["role"], level=entry.get("level"), exact=exact)
        if "role" in entry and "text" in entry:
            return Spec("role", "", role=entry["role"], has_text=str(entry["text"]))
        if "css" in entry:
            return Spec("css", str(entry["css"]), has_text=str(entry["text"]) if "text" in entry else None)
        for kind in ("label", "row", "text"):
            if kind in entry:
                return Spec(kind, str(entry[kind]), exact=exact or kind == "row")
        raise ProfileError(f"{where}: give role + name, role + text, label, row, text or css")

    # --- Targets --------------------------------------------------------------------

    def spec(self, key: str) -> Spec:
        try:
            return self.targets[key]
        except KeyError:
            raise ProfileError(f"{self.source}: no target {key!r}") from None

    def label(self, key: str, **fields) -> str | re.Pattern:
        """What the target reads in this portal: a text, or a pattern when its label is a
        regex or keeps fields not given ("Invoice #{number}" without a number)."""
        spec = self.spec(key)
        template = spec.has_text or spec.label
        return self._text(template, fields, anchored=spec.exact)

    def _text(self, template: str, fields: dict, *, anchored: bool) -> str | re.Pattern:
        if is_regex(template):
            return as_regex(template)
        shown = {name: self.shown(str(value)) for name, value in fields.items()}
        if set(fields_of(template)) - set(shown):
            return template_regex(template, shown, anchored=anchored)
        return template.format(**shown)

    def locate(self, scope: Page | Locator, key: str, **fields) -> Locator:
        """The locator of target `key` within `scope` (a page, or a part of one)."""
        spec = self.spec(key)
        label = self.label(key, **fields)
        page = scope if isinstance(scope, Page) else scope.page
        if spec.kind == "role" and spec.has_text is not None:
            return scope.get_by_role(spec.role).filter(has_text=label)
        if spec.kind == "role":
            options = {"name": label}
            if spec.level is not None:
                options["level"] = spec.level
            if isinstance(label, str):
                options["exact"] = spec.exact
            return scope.get_by_role(spec.role, **options)
        if spec.kind == "label":
            return scope.get_by_label(label, **({"exact": spec.exact} if isinstance(label, str) else {}))
        if spec.kind == "row":
            header = page.get_by_role("rowheader", name=label, **({"exact": True} if isinstance(label, str) else {}))
            return scope.get_by_role("row").filter(has=header)
        if spec.kind == "text":
            return scope.get_by_text(label, **({"exact": spec.exact} if isinstance(label, str) else {}))
        located = scope.locator(spec.label)
        return located.filter(has_text=label) if spec.has_text is not None else located

    def read_field(self, key: str, field: str, text: str) -> str | None:
        """The value of `field` in a text the target reads: the number of "Invoice #INV-1"."""
        found = template_regex(self.spec(key).label, {}, anchored=True, named=True).match(" ".join(text.split()))
        return found[field] if found else None

    # --- Values, as this portal writes them ------------------------------------------

    def money(self, amount: Amount) -> str:
        try:
            return self.money_formats[amount.currency].write(amount.value)
        except KeyError:
            raise ProfileError(f"{self.source}: formats: money: no format for {amount.currency}") from None

    def date(self, value: date) -> str:
        return format_date(value, format=self.date_format, locale=self.locale or FEATURES_PROFILE)

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

    def shown(self, text: str) -> str:
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
            found = _parser(template).parse(text)
            if found is not None and key in self.phrases:
                return self.phrases[key].format(**{name: self.shown(value) for name, value in found.named.items()})
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
        return {key: spec.label for key, spec in self.targets.items() if spec.label and not is_regex(spec.label)}

    def named(self, quote: str) -> list[Named]:
        """The targets a quoted label names: exact labels, then labels with fields
        ("Tax (10%)" names "{name} ({rate}%)")."""
        exact = [Named(key, {}) for key, label in self.labels().items() if label == quote]
        if exact:
            return exact
        found = []
        for key, label in self.labels().items():
            if fields_of(label) and not re.fullmatch(r"\{\w+\}", label):  # "{plan}" would name any quote
                match = _parser(label).parse(quote)
                if match is not None:
                    found.append(Named(key, dict(match.named)))
        return found


@lru_cache(maxsize=None)
def _parser(template: str) -> parse_lib.Parser:
    return parse_lib.compile(template, case_sensitive=True)


def _check_shape(data, source: Path) -> dict:
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: expected a mapping of {', '.join(sorted(KEYS))}")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ProfileError(f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    for key in ("formats", "cycles", "targets"):
        if not isinstance(data.get(key), dict):
            raise ProfileError(f"{source}: {key}: missing, or not a mapping")
    for key in ("date", "money"):
        if key not in data["formats"]:
            raise ProfileError(f"{source}: formats: {key}: missing")
    return data


def _check_complete(profile: UiProfile, features: UiProfile) -> None:
    """Every target, cycle, word and phrase of the features' profile must be given: the
    page objects and steps use them all."""
    for section in ("targets", "cycles", "words", "phrases"):
        given, wanted = set(getattr(profile, section)), set(getattr(features, section))
        if wanted - given:
            raise ProfileError(f"{profile.source}: {section}: missing {', '.join(map(repr, sorted(wanted - given)))} "
                               f"(every one that {features.source.name} gives)")
        if given - wanted:
            raise ProfileError(f"{profile.source}: {section}: {', '.join(map(repr, sorted(given - wanted)))} "
                               f"unknown (not one that {features.source.name} gives)")


def bundled() -> list[str]:
    return sorted(path.stem for path in PROFILES.glob("*.yaml"))


def profile_path(name_or_file: str | Path) -> Path:
    """A bundled profile's name ("ja"), or the path of a profile file."""
    text = str(name_or_file)
    if re.fullmatch(r"[\w-]+", text) and not text.endswith((".yaml", ".yml")):
        path = PROFILES / f"{text}.yaml"
        if not path.is_file():
            raise ProfileError(f"no UI profile {text!r}: bundled ones are {', '.join(bundled())}; "
                               f"or give a profile file's path")
        return path
    path = Path(text)
    if not path.is_file():
        raise ProfileError(f"UI profile file {text} does not exist")
    return path


@lru_cache(maxsize=None)
def _load(path: Path) -> UiProfile:
    features_path = PROFILES / f"{FEATURES_PROFILE}.yaml"
    features = None if path == features_path else _load(features_path)
    try:
        with path.open("rb") as handle:  # a FIFO was refused by profile_path (is_file)
            raw = handle.read(MAX_PROFILE_BYTES + 1)
        if len(raw) > MAX_PROFILE_BYTES:
            raise ProfileError(f"{path}: longer than {MAX_PROFILE_BYTES:,} bytes: not a profile")
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: not UTF-8 text (byte {exc.start + 1}): not a profile") from None
    except RecursionError:  # PyYAML recurses once per level of nesting
        raise ProfileError(f"{path}: nested too deeply to be a profile") from None
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {' '.join(str(exc).split())[:300]}") from None
    try:
        profile = UiProfile(_check_shape(data, path), path, features)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ProfileError):
            raise
        raise ProfileError(f"{path}: {type(exc).__name__}: {exc}") from None
    if features is not None:
        _check_complete(profile, features)
    return profile


def load_profile(name_or_file: str | Path = FEATURES_PROFILE) -> UiProfile:
    return _load(profile_path(name_or_file).resolve())


def features_profile() -> UiProfile:
    """The profile whose words the features are written in (en)."""
    return load_profile(FEATURES_PROFILE)
