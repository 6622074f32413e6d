"""Values the Makefile holds, for the tools that must run what `make` runs."""
from __future__ import annotations

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parent.parent / "Makefile"


def language_run_k() -> str:
    """LANGUAGE_RUN_K: the -k of `make test-ja` and `make test-renamed` (the examples a
    language run keeps)."""
    found = re.search(r"^LANGUAGE_RUN_K\s*:?=\s*(.+)$", MAKEFILE.read_text(encoding="utf-8"), re.M)
    if found is None:
        raise LookupError(f"{MAKEFILE}: no LANGUAGE_RUN_K")
    return found[1].strip()
