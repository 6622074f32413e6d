"""Marks a message for the gettext catalog without translating it.

The pure modules (rules.py) word their refusals in English with this mark;
the web layer translates them when a screen shows them. No Flask here.
"""


def N_(message: str) -> str:
    """The message unchanged: `pybabel extract` collects it into the catalog."""
    return message
