"""How a portal writes values: amounts of money, and texts with {fields} (templates that
become regexes when a field is not known). Used by the UI profiles (profile.py)."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class MoneyFormat:
    """How a portal writes one currency: `symbol` before the number ("$12.00") or `suffix`
    after it ("12.00 USD", "1.234,50 €"), with its grouping and decimal marks."""

    symbol: str = ""
    decimals: int = 2
    grouping: str = ","
    decimal_mark: str = "."
    suffix: str = ""

    def write(self, amount: Decimal) -> str:
        """-3.5 -> "-$3.50", "-3.50 USD" (the sign first, as the simulator writes it)."""
        quantum = Decimal(1).scaleb(-self.decimals)
        number = f"{abs(amount.quantize(quantum)):,.{self.decimals}f}"
        number = number.translate({ord(","): "\0", ord("."): "\1"}).replace("\0", self.grouping) \
            .replace("\1", self.decimal_mark)
        return f"{'-' if amount < 0 else ''}{self.symbol}{number}{self.suffix}"

    def pattern(self, capture: bool = True) -> str:
        """A regex for an amount written this way; groups (with `capture`): sign, whole, fraction."""
        group = "(" if capture else "(?:"
        separator = re.escape(self.grouping)
        whole = rf"\d{{1,3}}(?:{separator}\d{{3}})*(?!\d)|\d+" if self.grouping else r"\d+"
        fraction = (rf"(?:{re.escape(self.decimal_mark)}{group}\d{{{self.decimals}}}))" if self.decimals
                    else f"{group})")
        return rf"{group}-?){re.escape(self.symbol)}{group}{whole}){fraction}{re.escape(self.suffix)}"

    def read(self, text: str) -> Decimal | None:
        found = re.fullmatch(self.pattern(), text)
        if not found:
            return None
        sign, whole, fraction = found.groups()
        digits = whole.replace(self.grouping, "") if self.grouping else whole
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")

    @classmethod
    def of(cls, spec: dict, where: str) -> "MoneyFormat":
        """A format from a profile's `formats: money: CODE:` mapping."""
        if not isinstance(spec, dict) or set(spec) - set(cls.__dataclass_fields__):
            raise ValueError(f"{where}: expected a mapping of {', '.join(cls.__dataclass_fields__)}; got {spec!r}")
        made = cls(**{key: (int(value) if key == "decimals" else str(value)) for key, value in spec.items()})
        if not made.symbol and not made.suffix:
            raise ValueError(f"{where}: give `symbol` (before the number) or `suffix` (after it)")
        if made.grouping and made.grouping == made.decimal_mark:
            raise ValueError(f"{where}: grouping and decimal_mark are both {made.grouping!r}")
        return made


@dataclass(frozen=True)
class Amount:
    """An amount of money in a currency ("USD", "JPY")."""

    value: Decimal
    currency: str


def regex_body(text: str | re.Pattern) -> str:
    r"""`text` as a piece of a larger regex: a pattern's body without its anchors, or a text
    escaped ("$3.39" -> r"\$3\.39")."""
    return text.pattern.removeprefix("^").removesuffix("$") if isinstance(text, re.Pattern) else re.escape(text)


def fields_of(template: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(template) if field]


def is_regex(text: str) -> bool:
    return len(text) > 2 and text.startswith("/") and text.rstrip("ims").endswith("/")


def as_regex(text: str) -> re.Pattern:
    """ "/contact support/i" -> re.compile("contact support", re.I)."""
    body, flags = text[1:].rsplit("/", 1)
    return re.compile(body, sum(getattr(re, flag.upper()) for flag in flags))


def template_regex(template: str, fields: dict, *, anchored: bool, named: bool = False) -> re.Pattern:
    """A template with its unknown fields as wildcards: "Invoice #{number}" -> ^Invoice\\ \\#(.+?)$
    (`named`: groups named for the fields, which Playwright's JavaScript regexes cannot take)."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field:
            parts.append(re.escape(str(fields[field])) if field in fields else
                         f"(?P<{field}>.+?)" if named else "(.+?)")
    body = "".join(parts)
    return re.compile(f"^{body}$" if anchored else body)
