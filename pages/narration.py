"""The journal: what a person did in a scenario, in words, one line per action (the last
ones caption a failure screenshot). A page object's action says its line through
`@narrated`, as ScreenPy's `@beat` does, instead of writing it by hand."""
from __future__ import annotations

import functools
import inspect


class Journal(list):
    """The actions taken so far in a scenario, in words; the last ones caption a failure."""

    def tail(self, count: int = 3) -> str:
        return " → ".join(self[-count:]) if self else "(no action yet)"


class Secret(str):
    """A value typed but never written out (a password): the journal reads ••••."""

    def __repr__(self) -> str:
        return "••••"


def narrated(line: str):
    """Append `line` to `self.journal` before the method runs, filled in from its arguments
    by name, `self` included: `@narrated("click {target.name}")`."""

    def narrate(method):
        signature = inspect.signature(method)

        @functools.wraps(method)
        def narrating(self, *args, **kwargs):
            bound = signature.bind(self, *args, **kwargs)
            bound.apply_defaults()
            self.journal.append(line.format(**bound.arguments))
            return method(self, *args, **kwargs)

        return narrating

    return narrate
