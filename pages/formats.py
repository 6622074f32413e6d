"""How a portal writes values: amounts of money, and texts with {fields} (templates that
become regexes when a field is not known). Used by the UI profiles (profile.py)."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class MoneyFormat:
    symbol: str
    decimals: int
    grouping: str = ","
    decimal_mark: str = "."

    def write(self, amount: Decimal) -> str:
        """-3.5 -> "-$3.50" (the sign before the symbol, as the simulator writes it)."""
        quantum = Decimal(1).scaleb(-self.decimals)
        number = f"{abs(amount.quantize(quantum)):,.{self.decimals}f}"
        number = number.translate({ord(","): "\0", ord("."): "\1"}).replace("\0", self.grouping) \
            .replace("\1", self.decimal_mark)
        return f"{'-' if amount < 0 else ''}{self.symbol}{number}"

    def pattern(self, capture: bool = True) -> str:
        """A regex for an amount written this way; groups (with `capture`): sign, whole, fraction."""
        group = "(" if capture else "(?:"
        separator = re.escape(self.grouping)
        whole = rf"\d{{1,3}}(?:{separator}\d{{3}})*(?!\d)|\d+" if self.grouping else r"\d+"
        fraction = (rf"(?:{re.escape(self.decimal_mark)}{group}\d{{{self.decimals}}}))" if self.decimals
                    else f"{group})")
        return rf"{group}-?){re.escape(self.symbol)}{group}{whole}){fraction}"

    def read(self, text: str) -> Decimal | None:
        found = re.fullmatch(self.pattern(), text)
        if not found:
            return None
        sign, whole, fraction = found.groups()
        digits = whole.replace(self.grouping, "") if self.grouping else whole
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")


@dataclass(frozen=True)
class Amount:
    """An amount of money in a currency ("USD", "JPY")."""

    value: Decimal
    currency: str


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
